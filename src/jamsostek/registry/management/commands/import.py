"""``jamsostek import {persons,employers,memberships} FILE``: bulk import with a row-by-row report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.core.bulk.importer import stderr_progress
from jamsostek.core.cli import row_problem
from jamsostek.registry.selectors import IMPORT_KINDS, import_template
from jamsostek.registry.services import import_file

EXIT_REJECTED = 2


class Command(BaseCommand):
    help = (
        "Import persons, employers or memberships from a CSV (UTF-8) or XLSX file. Every row is checked; "
        "the file applies whole or not at all; a report per row is written as CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS))
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--template", action="store_true", help="print the CSV template and exit")
        parser.add_argument("--report", help="where to write the row-by-row report (CSV)")
        parser.add_argument("--reason", help="why (kept in the audit record); default: the file name")
        parser.add_argument("--user", help="username of the acting user (default: the system)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if options["template"]:
            self.stdout.write(import_template(kind, "csv").decode("utf-8"), ending="")
            return
        if not options["file"]:
            raise CommandError(_("file: give the file to import (or --template)"), returncode=EXIT_REJECTED)
        path = Path(options["file"])
        actor = None
        if options["user"]:
            from jamsostek.accounts.models import User

            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(
                    _("user: no active user %(user)r") % {"user": options["user"]}, returncode=EXIT_REJECTED
                )
        reason = options["reason"] or f"bulk import of {path.name}"
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        report_path = Path(options["report"] or settings.DATA_DIR / "reports" / f"import-{kind}-{stamp}.csv")
        report = import_file(
            actor=actor,
            kind=kind,
            path=path,
            reason=reason,
            dry_run=options["dry_run"],
            progress=stderr_progress,
            report_path=report_path,
        )
        self.stdout.write(report.summary())
        self.stdout.write(_("report: %(path)s") % {"path": report_path})
        for result in [r for r in report.rows if r.status == "rejected"][:10]:
            self.stdout.write("  " + row_problem(result.row, result.field, result.reason))
        if not report.ok:
            raise CommandError(_("the file was not imported (see the report)"), returncode=EXIT_REJECTED)
