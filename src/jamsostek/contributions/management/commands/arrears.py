"""``jamsostek arrears [--region CODE]``: who owes what, by age, with the fines accruing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from jamsostek.contributions.arrears import arrears
from jamsostek.core.cli import date_option


class Command(BaseCommand):
    help = "Arrears per payer: current, 1, 2, 3+ months late, and the late-payment fine accruing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="a regency's Kemendagri code, e.g. 61.04")
        parser.add_argument("--as-of", help="YYYY-MM-DD (default today)")
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = date_option(options["as_of"], "as-of", timezone.localdate())
        rows = arrears(as_of=as_of, regency=options["region"])
        header = (
            f"{'payer':<40} {'kind':<11} {'regency':<7} {'current':>12} {'1':>12} {'2':>12} {'3+':>12} {'fines':>10}"
        )
        self.stdout.write(f"arrears on {as_of}: {len(rows):,} payers owe something")
        self.stdout.write(header)
        for row in rows[: options["limit"]]:
            self.stdout.write(
                f"{row.payer_name[:40]:<40} {row.payer_kind:<11} {row.regency:<7} {row.current:>12,} {row.one:>12,} "
                f"{row.two:>12,} {row.three_plus:>12,} {row.accrued_fines:>10,}"
            )
        totals = [sum(getattr(row, name) for row in rows) for name in ("current", "one", "two", "three_plus")]
        fines = sum(row.accrued_fines for row in rows)
        self.stdout.write(
            f"{'total':<60} {totals[0]:>12,} {totals[1]:>12,} {totals[2]:>12,} {totals[3]:>12,} {fines:>10,}"
        )
