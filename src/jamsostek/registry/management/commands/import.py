"""``jamsostek import {persons,employers,memberships} FILE``: bulk import with a row-by-row report."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jamsostek.core.bulk.importer import stderr_progress
from jamsostek.core.cli import add_import_options, import_outcome, import_request
from jamsostek.registry.selectors import IMPORT_KINDS, import_template
from jamsostek.registry.services import import_file


class Command(BaseCommand):
    help = (
        "Import persons, employers or memberships from a CSV (UTF-8) or XLSX file. Every row is checked; "
        "the file applies whole or not at all; a report per row is written as CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS))
        add_import_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if options["template"]:
            self.stdout.write(import_template(kind, "csv").decode("utf-8"), ending="")
            return
        asked = import_request(options, kind=kind, reason="bulk import of")
        report = import_file(
            actor=asked.actor,
            kind=kind,
            path=asked.path,
            reason=asked.reason,
            dry_run=asked.dry_run,
            progress=stderr_progress,
            report_path=asked.report_path,
        )
        import_outcome(self.stdout.write, report, asked.report_path)
