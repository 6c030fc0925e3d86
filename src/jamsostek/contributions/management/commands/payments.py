"""``jamsostek payments import FILE`` (a bank statement) and ``jamsostek payments record``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jamsostek.contributions.services import STATEMENT_COLUMNS, payment_record, payments_import
from jamsostek.core.cli import date_option, row_problem
from jamsostek.core.errors import DomainError


class Command(BaseCommand):
    help = "Post payments: a bank statement (CSV) or one payment; each bank transaction is posted once."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        imports = actions.add_parser("import", help=f"a CSV statement with columns {', '.join(STATEMENT_COLUMNS)}")
        imports.add_argument("file")
        imports.add_argument("--dry-run", action="store_true")
        record = actions.add_parser("record", help="one payment")
        record.add_argument("--transaction-reference", required=True)
        record.add_argument("--payment-reference", required=True, help="the bill's payment reference")
        record.add_argument("--amount", required=True)
        record.add_argument("--paid-on", required=True, help="YYYY-MM-DD")
        simulate = actions.add_parser("simulate", help="synthetic payments of the issued bills (demonstrations)")
        simulate.add_argument("--seed", type=int, default=2025)
        simulate.add_argument("--as-of", help="payments up to this date, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "simulate":
            from django.conf import settings
            from django.utils import timezone

            from jamsostek.contributions.simulate import simulate_payments

            as_of = date_option(options["as_of"], "as-of", timezone.localdate())
            report = simulate_payments(seed=options["seed"], as_of=as_of, directory=settings.DATA_DIR / "statements")
            self.stdout.write(report.summary())
            return
        if options["action"] == "import":
            report = payments_import(actor=None, path=Path(options["file"]), dry_run=options["dry_run"])
            self.stdout.write(report.summary())
            for row in report.rows:
                if row.status == "rejected":
                    self.stdout.write("  " + row_problem(row.row, row.field, row.reason))
            if not report.ok:
                raise CommandError(_("the statement was not imported"), returncode=2)
            return
        try:
            amount = int(options["amount"])
            paid_on = date.fromisoformat(options["paid_on"])
        except ValueError:
            raise CommandError(_("amount or paid-on: not a whole number / a date YYYY-MM-DD"), returncode=2) from None
        try:
            result = payment_record(
                actor=None, transaction_reference=options["transaction_reference"],
                payment_reference=options["payment_reference"], amount=amount, paid_on=paid_on,
            )  # fmt: skip
        except DomainError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(result.summary())
