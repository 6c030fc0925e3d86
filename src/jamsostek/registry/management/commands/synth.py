"""``jamsostek synth --scale S --seed N``: generate and load a synthetic Kalimantan Barat."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jamsostek.core.bulk.importer import stderr_progress
from jamsostek.core.cli import count, date_option, percent, row_problem
from jamsostek.registry import selectors, services
from jamsostek.registry.figures import published_figures
from jamsostek.registry.models import Employer, Membership, Project, SponsorProgram
from jamsostek.registry.services import import_file
from jamsostek.registry.synth import Files, Generator, calibration


def last_day_of_previous_month(today: date) -> date:
    return today.replace(day=1) - timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Generate a synthetic Kalimantan Barat (persons with valid NIKs, employers, sponsor programs, projects, "
        "memberships) calibrated to the published labour and coverage figures, and load it through the bulk "
        "import. Scale 1.0 is the whole province (about 1 million active participants). Deterministic for a "
        "seed and reference date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.02, help="share of the province (default 0.02)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--as-of", help="reference date YYYY-MM-DD (default: end of the previous month)")
        parser.add_argument("--directory", help="where the generated import files go")
        parser.add_argument("--files-only", action="store_true", help="write the import files, load nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 2:
            raise CommandError(_("scale: must be above 0 and at most 2"), returncode=2)
        as_of = date_option(options["as_of"], "as-of", last_day_of_previous_month(timezone.localdate()))
        seed = options["seed"]
        directory = Path(options["directory"] or settings.DATA_DIR / f"synth-seed{seed}-scale{scale:g}")
        started = time.perf_counter()
        files = Generator(scale=scale, seed=seed, as_of=as_of).write(directory, progress=stderr_progress)
        generated = _(
            "generated %(persons)s persons, %(employers)s employers, %(memberships)s memberships in %(directory)s "
            "(%(seconds)s s)"
        )
        self.stdout.write(
            generated
            % {
                "persons": count(files.counts["persons"]),
                "employers": count(files.counts["employers"]),
                "memberships": count(files.counts["memberships"]),
                "directory": directory,
                "seconds": number_format(time.perf_counter() - started, 1),
            }
        )
        if options["files_only"]:
            return
        reason = f"synthetic province (seed {seed}, scale {scale:g}, as of {as_of})"
        self._load("employers", files.employers, reason)
        self._sponsors_and_projects(files, as_of, reason)
        self._load("persons", files.persons, reason)
        self._load("memberships", files.memberships, reason)
        self.stdout.write(_("loaded in %(seconds)s s") % {"seconds": number_format(time.perf_counter() - started, 1)})
        self._summary(scale, as_of)

    def _load(self, kind: str, path: Path, reason: str) -> None:
        report = import_file(actor=None, kind=kind, path=path, reason=reason, progress=stderr_progress)
        self.stdout.write(report.summary())
        if not report.ok:
            problems = [row_problem(r.row, r.field, r.reason) for r in report.rows if r.status == "rejected"][:5]
            refused = _("the synthetic file %(file)s was refused: %(problems)s")
            raise CommandError(refused % {"file": path.name, "problems": report.file_problem or "; ".join(problems)})

    def _sponsors_and_projects(self, files: Files, as_of: date, reason: str) -> None:
        existing = set(SponsorProgram.objects.values_list("code", flat=True))
        for sponsor in files.sponsors:
            if sponsor["code"] in existing:
                continue
            services.sponsor_program_create(
                actor=None, year=as_of.year, start_date=date(as_of.year, 1, 1), end_date=date(as_of.year, 12, 31),
                budget_line="5.1.02.01 Belanja iuran jaminan sosial ketenagakerjaan", reason=reason, **sponsor,
            )  # fmt: skip
        contractors = {e.npp: e for e in Employer.objects.filter(kind=Employer.Kind.CONTRACTOR)}
        existing = set(Project.objects.values_list("code", flat=True))
        for project in files.projects:
            if project["code"] in existing:
                continue
            services.project_create(
                actor=None, code=project["code"], name=project["name"], employer=contractors[project["contractor"]],
                region_code=project["region_code"], contract_value=project["contract_value"],
                start_date=project["start_date"], end_date=project["end_date"], reason=reason,
            )  # fmt: skip

    def _summary(self, scale: float, as_of: date) -> None:
        active = dict(
            Membership.objects.filter(selectors.active_on(as_of))
            .values("regency_id")
            .annotate(people=Count("person", distinct=True))
            .values_list("regency_id", "people")
        )
        title = _("active participants on %(date)s against the calibration (scale %(scale)s):")
        self.stdout.write("\n" + title % {"date": as_of, "scale": f"{scale:g}"})
        headers = (pgettext("short column header", "regency"), _("employed (est.)"), _("target"), _("active"),
                   _("coverage"))  # fmt: skip
        self.stdout.write(f"{headers[0]:<14} {headers[1]:>15} {headers[2]:>8} {headers[3]:>9} {headers[4]:>9}")
        for plan in calibration(scale):
            employed = plan.employed * scale
            people = active.get(plan.code, 0)
            mark = "*" if plan.coverage_source == "assumed" else " "
            self.stdout.write(
                f"{plan.name:<14} {count(round(employed)):>15} {percent(plan.coverage):>7}{mark} {count(people):>9} "
                f"{percent(people / employed):>9}"
            )
        self.stdout.write(_("* assumed: no published coverage for this regency that may be used"))
        for figure in published_figures("ucj_coverage"):
            if not figure.usable:
                self.stdout.write(_("  %(name)s: the published %(value)s%% (%(period)s) is doubtful and not used") % {
                    "name": figure.name, "value": figure.value, "period": figure.period})  # fmt: skip
