"""A bill line's unique (membership, bill) index becomes (bill, membership), and the bill key loses
its own index, which the new one's first column serves. A billing run's lines then go at the end
of the index instead of at random places in it (see ``BillLine.Meta``).

PostgreSQL builds the new index before it drops the old ones, and keeps the foreign key (Django's
way of altering the field would drop it and check it again over every line). SQLite cannot drop a
constraint declared with its table, so Django copies the table there: once, not once for each of
the three changes."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState

INDEX = "contributions_billline_bill_id_ea29f30a"

CHANGES = [
    migrations.AddConstraint(
        model_name="billline",
        constraint=models.UniqueConstraint(fields=("bill", "membership"), name="one_line_per_bill_and_member"),
    ),
    migrations.RemoveConstraint(model_name="billline", name="one_line_per_member_and_bill"),
    migrations.AlterField(
        model_name="billline",
        name="bill",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="lines",
            to="contributions.bill",
        ),
    ),
]


CONSTRAINTS = CHANGES[:2]  # done by Django on PostgreSQL; the bill key's index is dropped by name


def _constraint_states(app_label: str, start: ProjectState) -> list[ProjectState]:
    """``start`` and the state after each of ``CONSTRAINTS``."""
    states = [start]
    for change in CONSTRAINTS:
        after = states[-1].clone()
        change.state_forwards(app_label, after)
        states.append(after)
    return states


class BillFirst(Operation):
    """``CHANGES``, with one table copy on SQLite."""

    reversible = True

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        for change in CHANGES:
            change.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor._remake_table(to_state.apps.get_model(app_label, "billline"))
            return
        states = _constraint_states(app_label, from_state)
        for index, change in enumerate(CONSTRAINTS):
            change.database_forwards(app_label, schema_editor, states[index], states[index + 1])
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor._remake_table(to_state.apps.get_model(app_label, "billline"))
            return
        schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "contributions_billline" ("bill_id")')
        states = _constraint_states(app_label, to_state)
        for index in reversed(range(len(CONSTRAINTS))):
            CONSTRAINTS[index].database_backwards(app_label, schema_editor, states[index + 1], states[index])

    def describe(self) -> str:
        return "Bill lines: unique (bill, membership) instead of (membership, bill); no index of the bill key alone"


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0005_bill_regency_one_index"),
        ("registry", "0003_employer_labour_intensive"),
    ]

    operations = [BillFirst()]
