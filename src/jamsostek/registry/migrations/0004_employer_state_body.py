"""Employers that are state bodies are not fined for late payment (PP 44/2015: the fine is for employers
other than state bodies). Government agencies are marked; villages are left to be marked one by one."""

from typing import Any

from django.db import migrations, models


def agencies_are_state_bodies(apps: Any, schema_editor: Any) -> None:
    apps.get_model("registry", "Employer").objects.filter(kind="agency").update(state_body=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_employer_labour_intensive"),
    ]

    operations = [
        migrations.AddField(
            model_name="employer",
            name="state_body",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="A state body (penyelenggara negara: a government agency paying for its non-ASN staff) is "
                "not fined for late payment. Agencies are marked when registered; whether a village government "
                "counts is not confirmed: mark it here when it does.",
                verbose_name="state body",
            ),
        ),
        migrations.RunPython(agencies_are_state_bodies, migrations.RunPython.noop),
    ]
