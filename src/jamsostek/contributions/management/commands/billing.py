"""``jamsostek billing run --period YYYY-MM``, ``jamsostek billing status`` and ``jamsostek billing
due-dates``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.contributions.selectors.status import derive_status
from jamsostek.contributions.services import billing_run
from jamsostek.core.bulk.importer import stderr_progress
from jamsostek.core.cli import count, date_option, month_option
from jamsostek.rules.periods import Month


class Command(BaseCommand):
    help = (
        "Bill every active membership for a month (run), show who is protected (status), or list the bills "
        "whose due date is not the one the rules give now (due-dates)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="issue the bills of a contribution month (idempotent)")
        run.add_argument("--period", required=True, help="YYYY-MM")
        run.add_argument("--through", help="also every month up to this one, YYYY-MM")
        status = actions.add_parser("status", help="protected participants per month and segment")
        status.add_argument("--first", required=True, help="YYYY-MM")
        status.add_argument("--last", required=True, help="YYYY-MM")
        status.add_argument("--as-of", help="payments known on this date (default today), YYYY-MM-DD")
        actions.add_parser("due-dates", help="bills whose due date differs from today's rules (changes nothing)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "run":
            first = month_option(options["period"], "period")
            last = month_option(options["through"], "through") if options["through"] else first
            if last < first:
                raise CommandError(_("through: must not be before period"), returncode=2)
            current = first
            while current <= last:
                self.stdout.write(billing_run(actor=None, period=current, progress=stderr_progress).summary())
                current = current.plus(1)
            return
        if options["action"] == "due-dates":
            self._due_dates()
            return
        first, last = month_option(options["first"], "first"), month_option(options["last"], "last")
        as_of = date_option(options["as_of"], "as-of", timezone.localdate())
        frame = derive_status(first, last, as_of=as_of)
        if frame.height == 0:
            self.stdout.write(_("no memberships in these months"))
            return
        import polars as pl

        table = (
            frame.group_by("month", "segment")
            .agg(pl.col("protected").sum().alias("protected"), pl.len().alias("memberships"))
            .sort("month", "segment")
        )
        month, segment_, protected_, of = _("month"), _("segment"), _("protected"), _("of")
        self.stdout.write(f"{month:<8} {segment_:<7} {protected_:>10} {of:>10}")
        for index, segment, protected, total in table.iter_rows():
            self.stdout.write(f"{Month.from_index(index)!s:<8} {segment:<7} {count(protected):>10} {count(total):>10}")

    def _due_dates(self) -> None:
        from jamsostek.accounts.policy import SYSTEM
        from jamsostek.contributions.selectors import stale_due_dates

        stale = stale_due_dates(visible_to=SYSTEM)
        if not stale:
            self.stdout.write(_("every bill has the due date the rules give now"))
            return
        self.stdout.write(
            _("%(bills)s bills have a due date other than the one the rules give now (nothing was changed):")
            % {"bills": count(len(stale))}
        )
        headers = (_("reference"), _("month"), _("due on the bill"), _("due now"), _("fine"))
        self.stdout.write(f"{headers[0]:<20} {headers[1]:<8} {headers[2]:>16} {headers[3]:>12} {headers[4]:>14}  "
                          + _("payer"))  # fmt: skip
        for row in stale:
            fine = "-" if row.fine is None else count(row.fine) + (" *" if row.fine_charged else "")
            self.stdout.write(f"{row.reference:<20} {row.period!s:<8} {row.stored.isoformat():>16} "
                              f"{row.expected.isoformat():>12} {fine:>14}  {row.payer_name}")  # fmt: skip
        if any(row.fine_charged for row in stale):
            self.stdout.write(_("* already charged on a later bill: a correction is needed by hand"))
