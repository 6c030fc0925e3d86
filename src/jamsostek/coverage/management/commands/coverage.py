"""``jamsostek coverage {reference,recompute,import-denominators,import-targets,show}``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jamsostek.core.cli import count, date_option, month_option, row_problem
from jamsostek.core.constants import PROVINCE
from jamsostek.coverage.indicators import Indicators
from jamsostek.coverage.reference import load_reference
from jamsostek.coverage.services import coverage_recompute, denominators_import, targets_import
from jamsostek.registry.figures import published_figures


class Command(BaseCommand):
    help = "Coverage (UCJ): load published figures, recompute the facts, import denominators and targets."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        reference = actions.add_parser(
            "reference", help="load the published denominators and targets of Kalimantan Barat"
        )
        reference.add_argument("--scale", type=float, default=1.0,
                               help="shrink them to a synthetic province of this scale")  # fmt: skip
        compute = actions.add_parser("recompute", help="recompute protected participants per district and month")
        compute.add_argument("--first", required=True, help="YYYY-MM")
        compute.add_argument("--last", required=True, help="YYYY-MM")
        compute.add_argument("--as-of", help="payments known on this date, YYYY-MM-DD (default today)")
        for name in ("import-denominators", "import-targets"):
            sub = actions.add_parser(name, help="CSV or XLSX; all rows or none")
            sub.add_argument("file")
        show = actions.add_parser("show", help="the province and its regencies for a month")
        show.add_argument("--month", help="YYYY-MM (default: the latest computed)")
        show.add_argument("--denominator", default="employed", choices=["employed", "potential", "user"])

    def _published(self) -> None:
        """The published UCJ figures, for comparison only (never mixed with computed ones): a doubtful
        one is shown as such."""
        self.stdout.write(_("published UCJ figures (for comparison; denominators differ):"))
        for figure in published_figures("ucj_coverage"):
            status = _("DOUBTFUL, not used") if not figure.usable else figure.status
            self.stdout.write(f"  {figure.region:<10} {figure.name:<26} {figure.value:>6}% {figure.period:<9} {status}")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "reference":
            if not 0 < options["scale"] <= 1:
                raise CommandError(_("scale: must be above 0 and at most 1"), returncode=2)
            denominators, targets = load_reference(options["scale"])
            self.stdout.write(_("loaded %(denominators)s denominators and %(targets)s targets") % {
                "denominators": count(denominators), "targets": count(targets)})  # fmt: skip
            self._published()
        elif action == "recompute":
            as_of = date_option(options["as_of"], "as-of", timezone.localdate())
            first, last = month_option(options["first"], "first"), month_option(options["last"], "last")
            result = coverage_recompute(actor=None, first=first, last=last, as_of=as_of)
            self.stdout.write(_("coverage recomputed for %(first)s..%(last)s: %(rows)s facts in %(seconds)s s") % {
                "first": f"{result.first:%Y-%m}", "last": f"{result.last:%Y-%m}", "rows": count(result.rows),
                "seconds": number_format(result.seconds, 1)})  # fmt: skip
        elif action in ("import-denominators", "import-targets"):
            importer = denominators_import if action == "import-denominators" else targets_import
            outcome = importer(actor=None, path=Path(options["file"]))
            if not outcome.ok:
                for row, field, reason in outcome.rows[:20]:
                    self.stdout.write("  " + row_problem(row, field, reason))
                raise CommandError(outcome.problem or _("%(count)s rows rejected; nothing imported") % {
                    "count": count(len(outcome.rows))}, returncode=2)  # fmt: skip
            self.stdout.write(_("%(count)s rows imported") % {"count": count(outcome.written)})
        else:
            indicators = Indicators(options["denominator"])
            chosen = month_option(options["month"], "month") if options["month"] else indicators.latest_month()
            if chosen is None:
                raise CommandError(_("nothing computed yet: run jamsostek coverage recompute"), returncode=2)
            rows = [(None, indicators.figure(PROVINCE, chosen)), *indicators.regencies(chosen)]
            self.stdout.write(_("UCJ %(month)s, denominator: %(label)s") % {"month": chosen, "label": indicators.label})
            target_word, gap_word = _("target"), _("gap")
            for rank, figure in rows:
                ucj = "—" if figure.ucj is None else f"{number_format(figure.ucj, 1)}%"
                target = "—" if figure.target is None else f"{number_format(figure.target.percent)}%"
                gap = "—" if figure.gap is None else count(figure.gap)
                estimate = " " + _("(estimate)") if figure.denominator and figure.denominator.is_estimate else ""
                self.stdout.write(f"{rank or '':>3} {figure.name:<22} {count(figure.participants):>10} {ucj:>7} "
                                  f"{target_word} {target:>7} {gap_word} {gap:>10}{estimate}")  # fmt: skip
