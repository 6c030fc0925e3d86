"""``jamsostek coverage {reference,recompute,import-denominators,import-targets,show}``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jamsostek.core.cli import date_option, month_option
from jamsostek.coverage.compute import recompute
from jamsostek.coverage.imports import import_denominators, import_targets
from jamsostek.coverage.indicators import PROVINCE, Indicators
from jamsostek.coverage.reference import load_reference


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

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "reference":
            if not 0 < options["scale"] <= 1:
                raise CommandError("scale: must be above 0 and at most 1", returncode=2)
            denominators, targets = load_reference(options["scale"])
            self.stdout.write(f"loaded {denominators} denominators and {targets} targets")
        elif action == "recompute":
            as_of = date_option(options["as_of"], "as-of", timezone.localdate())
            first, last = month_option(options["first"], "first"), month_option(options["last"], "last")
            result = recompute(first=first, last=last, as_of=as_of)
            self.stdout.write(f"coverage recomputed for {result.first:%Y-%m}..{result.last:%Y-%m}: {result.rows:,} "
                              f"facts in {result.seconds:.1f} s")  # fmt: skip
        elif action in ("import-denominators", "import-targets"):
            importer = import_denominators if action == "import-denominators" else import_targets
            outcome = importer(Path(options["file"]))
            if not outcome.ok:
                for row, field, reason in outcome.rows[:20]:
                    self.stdout.write(f"  row {row}: {field}: {reason}")
                raise CommandError(outcome.problem or f"{len(outcome.rows)} rows rejected; nothing imported",
                                   returncode=2)  # fmt: skip
            self.stdout.write(f"{outcome.written} rows imported")
        else:
            indicators = Indicators(options["denominator"])
            chosen = month_option(options["month"], "month") if options["month"] else indicators.latest_month()
            if chosen is None:
                raise CommandError("nothing computed yet: run jamsostek coverage recompute", returncode=2)
            rows = [(None, indicators.figure(PROVINCE, chosen)), *indicators.regencies(chosen)]
            self.stdout.write(f"UCJ {chosen}, denominator: {indicators.label}")
            for rank, figure in rows:
                ucj = "—" if figure.ucj is None else f"{figure.ucj:5.1f}%"
                target = "—" if figure.target is None else f"{figure.target.percent}%"
                gap = "—" if figure.gap is None else f"{figure.gap:,}"
                estimate = " (estimate)" if figure.denominator and figure.denominator.is_estimate else ""
                self.stdout.write(f"{rank or '':>3} {figure.name:<22} {figure.participants:>10,} {ucj:>7} "
                                  f"target {target:>7} gap {gap:>10}{estimate}")  # fmt: skip
