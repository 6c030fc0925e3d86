"""``jamsostek arrears [--region CODE]``: who owes what, by age, with the fines accruing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jamsostek.accounts.policy import SYSTEM
from jamsostek.contributions.selectors import arrears
from jamsostek.core.cli import count, date_option


class Command(BaseCommand):
    help = "Arrears per payer: current, 1, 2, 3+ months late, and the late-payment fine accruing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="a regency's Kemendagri code, e.g. 61.04")
        parser.add_argument("--as-of", help="YYYY-MM-DD (default today)")
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = date_option(options["as_of"], "as-of", timezone.localdate())
        rows = arrears(visible_to=SYSTEM, as_of=as_of, regency=options["region"])
        payer, kind, regency, current, fines_, total = (
            _("payer"), _("kind"), pgettext("short column header", "regency"), _("current"), _("fines"), _("total")
        )  # fmt: skip
        header = f"{payer:<40} {kind:<11} {regency:<8} {current:>14} {'1':>14} {'2':>14} {'3+':>14} {fines_:>12}"
        self.stdout.write(
            _("arrears on %(day)s: %(count)s payers owe something") % {"day": as_of, "count": count(len(rows))}
        )
        self.stdout.write(header)
        for row in rows[: options["limit"]]:
            self.stdout.write(
                f"{row.payer_name[:40]:<40} {row.payer_kind:<11} {row.regency:<8} {count(row.current):>14} "
                f"{count(row.one):>14} {count(row.two):>14} {count(row.three_plus):>14} {count(row.accrued_fines):>12}"
            )
        totals = [sum(getattr(row, name) for row in rows) for name in ("current", "one", "two", "three_plus")]
        fines = sum(row.accrued_fines for row in rows)
        self.stdout.write(
            f"{total:<61} {count(totals[0]):>14} {count(totals[1]):>14} {count(totals[2]):>14} "
            f"{count(totals[3]):>14} {count(fines):>12}"
        )
