"""On SQLite, an index holding every bill column the status reads, in payer order.

SQLite then aggregates a province's bills per payer from the index alone, without sorting: the
per-payer rules of the status and coverage took 7.8 s without it, 3.7 s with it, on a copy of the
benchmark province's 2.2 million bills.

Not on PostgreSQL: there an index-only scan needs the visibility map, which every payment posting
clears for the pages it touches until VACUUM runs; right after a month's payments were posted,
the same aggregation took 17 s through such an index against 4.7 s without it (docs/performance.md).
The index is not in the model's state, so Django's migrations neither expect nor remove it.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

COLUMNS = '"payer_kind", "payer_id", "period", "due_date", "total", "allocated", "adjusted"'


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "bill_payer_months" ON "contributions_bill" ({COLUMNS})')


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute('DROP INDEX IF EXISTS "bill_payer_months"')


class Migration(migrations.Migration):
    dependencies = [("contributions", "0002_bill_allocated_adjusted")]

    operations = [migrations.RunPython(create, drop)]
