"""``jamsostek claims {import,stats,overdue,synth}``: historical claims, the statistics the province
reports, the claims past their service level, and the demo's synthetic claims."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import SYSTEM
from jamsostek.claims import selectors
from jamsostek.claims.services import claims_import
from jamsostek.core.bulk.importer import stderr_progress
from jamsostek.core.bulk.templates import template_csv
from jamsostek.core.cli import add_import_options, count, date_option, import_outcome, import_request
from jamsostek.core.constants import PROVINCE


class Command(BaseCommand):
    help = (
        "Claims: import historical claims (import FILE), the benefits paid (stats), the claims past their "
        "service level (overdue), or the demo's synthetic claims (synth)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        imports = actions.add_parser("import", help="historical claims from a CSV or XLSX file: all rows or none")
        columns = ", ".join(column.name for column in selectors.import_columns())
        add_import_options(imports, file_help=f"CSV or XLSX; columns: {columns}")
        stats = actions.add_parser("stats", help="cases and rupiah paid in a year")
        stats.add_argument("--year", type=int, required=True)
        stats.add_argument("--region", default=PROVINCE, help="61 (the province, default) or a regency code")
        stats.add_argument("--by", default="program", choices=selectors.BREAKDOWNS)
        stats.add_argument("--format", default="table", choices=["table", "json"])
        overdue = actions.add_parser("overdue", help="open claims past a deadline or service level")
        overdue.add_argument("--on", help="YYYY-MM-DD (default today)")
        synth = actions.add_parser("synth", help="synthetic claims for the demo, on the synthetic province")
        synth.add_argument("--seed", type=int, default=2025)
        synth.add_argument("--as-of", help="YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "stats":
            self._stats(options)
        elif action == "overdue":
            self._overdue(date_option(options["on"], "on", timezone.localdate()))
        else:
            from jamsostek.claims.synth import synthesize

            as_of = date_option(options["as_of"], "as-of", timezone.localdate())
            self.stdout.write(synthesize(seed=options["seed"], as_of=as_of).summary())

    def _import(self, options: dict[str, Any]) -> None:
        if options["template"]:
            self.stdout.write(template_csv(selectors.import_columns()), ending="")
            return
        asked = import_request(options, kind="claims", reason="historical claims from")
        report = claims_import(actor=asked.actor, path=asked.path, reason=asked.reason, dry_run=asked.dry_run,
                               progress=stderr_progress, report_path=asked.report_path)  # fmt: skip
        import_outcome(self.stdout.write, report, asked.report_path)

    def _stats(self, options: dict[str, Any]) -> None:
        figures = selectors.statistics(visible_to=SYSTEM, year=options["year"], region=options["region"],
                                       by=options["by"])  # fmt: skip
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures.as_json(), ensure_ascii=False))
            return
        header = (_("key"), _("cases"), _("amount (Rp)"))
        self.stdout.write(f"{header[0]:<20} {header[1]:>10} {header[2]:>22}")
        for row in figures.rows:
            self.stdout.write(f"{row.key:<20} {count(row.cases):>10} {count(row.amount):>22}")
        self.stdout.write(f"{_('total'):<20} {count(figures.cases):>10} {count(figures.amount):>22}")

    def _overdue(self, on: Any) -> None:
        late = list(selectors.claim_list(visible_to=SYSTEM, overdue_on=on)[:500])
        if not late:
            self.stdout.write(_("no claim is past a deadline on %(date)s") % {"date": on})
            return
        self.stdout.write(_("%(count)s claims past a deadline on %(date)s:") % {"count": count(len(late)), "date": on})
        for claim in late:
            self.stdout.write(f"{claim.number:<18} {claim.program:<11} {claim.get_state_display():<22} "
                              f"{claim.due_what:<12} {claim.due_on}  {claim.regency_id}")  # fmt: skip
