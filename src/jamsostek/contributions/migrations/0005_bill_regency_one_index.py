"""The bill's regency loses its own index (and PostgreSQL's pattern index): the (regency, period)
index serves a regency's bills. Only the indexes are dropped: Django's way of altering the field
would copy the bills table on SQLite and lose the SQLite-only ``bill_payer_months`` index."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "contributions_bill_regency_id_7bb4c1c5"


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0004_payment_allocated"),
        ("registry", "0003_employer_labour_intensive"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="bill",
                    name="regency",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.region",
                        verbose_name="regency",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{INDEX}"', f'DROP INDEX IF EXISTS "{INDEX}_like"'],
                    [f'CREATE INDEX "{INDEX}" ON "contributions_bill" ("regency_id")'],
                ),
            ],
        ),
    ]
