"""Every read of the drives goes through these functions; each takes the user and applies what they
may see (``accounts.policy``): a regency officer their regency's lists, programs and drives, an
agency or village administrator their own, province-wide roles everything. A record outside the
user's reach does not exist for them. Planning reads need the ``plan drives`` action."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.bulk.frames import query_frame
from jamsostek.core.bulk.templates import template_csv, template_xlsx
from jamsostek.core.constants import LAST_DAY, PROVINCE
from jamsostek.core.errors import Forbidden, InvalidField, NotFound
from jamsostek.coverage.indicators import current
from jamsostek.coverage.models import DenominatorKind
from jamsostek.drives.bulk import costing
from jamsostek.drives.bulk.checking import COLUMNS
from jamsostek.drives.bulk.matching import ASKED, asked_query
from jamsostek.drives.bulk.selection import in_drives
from jamsostek.drives.funding import FundingRule, Package, funding_rules
from jamsostek.drives.models import Candidate, CandidateList, Drive, DriveMember, DriveStatus, Funding
from jamsostek.drives.planning import (
    PROVINCE_SCOPE,
    Allocation,
    BudgetPlan,
    PlanPackage,
    Pot,
    Regency,
    allocate,
    need_for,
    what_budget_buys,
)
from jamsostek.registry.models import Region, SponsorProgram
from jamsostek.rules.periods import Month

# --- lists and candidates ------------------------------------------------------------------------


def candidate_list_list(*, visible_to: Any) -> QuerySet[CandidateList]:
    return for_user(visible_to).visible(CandidateList.objects.select_related("region", "owner")).order_by("-id")


def candidate_list_get(*, visible_to: Any, pk: int) -> CandidateList:
    try:
        return candidate_list_list(visible_to=visible_to).get(pk=pk)
    except CandidateList.DoesNotExist:
        raise NotFound() from None


def candidate_rows(
    *, visible_to: Any, listed: CandidateList, status: str | None = None, match: str | None = None
) -> QuerySet[Candidate]:
    """The rows of a list the user may see (all of them, or none), in file order."""
    rows = for_user(visible_to).visible(Candidate.objects.filter(list=listed))
    if status:
        rows = rows.filter(status=status)
    if match:
        rows = rows.filter(match=match)
    return rows.order_by("row")


LIST_COLUMNS = COLUMNS
"""The columns of a candidate list file (what each means, the aliases it accepts)."""


def list_template(extension: str) -> bytes:
    """The template of a candidate list: ``csv`` (header and an example row) or ``xlsx``."""
    if extension == "csv":
        return template_csv(COLUMNS).encode("utf-8")
    if extension == "xlsx":
        return template_xlsx("candidates", COLUMNS)
    raise NotFound()


# --- funding ------------------------------------------------------------------------------------


def funding_list(*, visible_to: Any, year: int | None = None) -> QuerySet[Funding]:
    rows = for_user(visible_to).visible(Funding.objects.select_related("program", "program__region", "owner"))
    if year:
        rows = rows.filter(fiscal_year=year)
    return rows.order_by("-fiscal_year", "program__code")


def funded_program_get(*, visible_to: Any, code: str) -> SponsorProgram:
    """A funded sponsor program the user may see, by its code."""
    funding = funding_list(visible_to=visible_to).filter(program__code=code).first()
    if funding is None:
        raise NotFound(_("no funded sponsor program with this code that you may see"), field="program")
    return funding.program


def funding_rule_list() -> tuple[FundingRule, ...]:
    """Who may pay for whom: public configuration, the same for every user."""
    return funding_rules()


# --- drives -------------------------------------------------------------------------------------


def drive_list(*, visible_to: Any, year: int | None = None, status: str | None = None) -> QuerySet[Drive]:
    drives = for_user(visible_to).visible(
        Drive.objects.select_related("program", "program__region", "funding", "funding__owner", "renewal_of")
    )
    if year:
        drives = drives.filter(fiscal_year=year)
    if status:
        drives = drives.filter(status=status)
    return drives.order_by("-fiscal_year", "code")


def drive_get(*, visible_to: Any, pk: int) -> Drive:
    try:
        return drive_list(visible_to=visible_to).get(pk=pk)
    except Drive.DoesNotExist:
        raise NotFound() from None


def drive_members(*, visible_to: Any, drive: Drive, status: str | None = None) -> QuerySet[DriveMember]:
    members = for_user(visible_to).visible(DriveMember.objects.filter(drive=drive))
    if status:
        members = members.filter(status=status)
    return members.order_by("id")


# --- renewal and lapse ----------------------------------------------------------------------------

RENEWALS_FROM = 10
"""The month from which a fiscal year's drives are listed for renewal (October)."""


@dataclass(frozen=True)
class RenewalRow:
    drive: Drive
    enrolled: int
    lapsing: int
    renewal: Drive | None


@dataclass(frozen=True)
class RegencyLoss:
    code: str
    name: str
    lapsing: int
    participants: int
    denominator: int | None
    ucj: Decimal | None
    ucj_after: Decimal | None

    @property
    def loss(self) -> Decimal | None:
        return None if self.ucj is None or self.ucj_after is None else self.ucj - self.ucj_after


@dataclass
class Renewals:
    year: int
    listed: bool  # False before October: nothing is listed yet
    drives: list[RenewalRow] = field(default_factory=list)
    regencies: list[RegencyLoss] = field(default_factory=list)
    month: Month | None = None  # the coverage month the UCJ is taken from

    @property
    def lapsing(self) -> int:
        return sum(row.lapsing for row in self.drives)


def _lapsing(drives: Sequence[Drive], year: int) -> pl.DataFrame:
    """(drive_id, regency, nik) of the enrolled members of ``drives`` who have no protection on
    1 January of the next year: their drive's membership ends with the year, no other membership of
    theirs runs then, and no renewal not rejected carries them."""
    db = connections[DEFAULT_DB_ALIAS]
    if not drives:
        return pl.DataFrame(schema={"drive_id": pl.Int64, "regency": pl.String, "nik": pl.String})
    marks = ", ".join(["%s"] * len(drives))
    enrolled = query_frame(
        db,
        f"SELECT drive_id, regency, nik, person_id, membership_id FROM drives_drivemember "
        f"WHERE status = 'enrolled' AND drive_id IN ({marks})",
        [drive.pk for drive in drives],
        {
            "drive_id": pl.Int64,
            "regency": pl.String,
            "nik": pl.String,
            "person_id": pl.Int64,
            "membership_id": pl.Int64,
        },
    )
    january = date(year + 1, 1, 1)
    still = asked_query(
        db,
        f"SELECT p.nik, m.id FROM {ASKED} a JOIN registry_person p ON p.nik = a.nik "
        "JOIN registry_membership m ON m.person_id = p.id "
        "WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)",
        enrolled["nik"].unique().to_list(),
        {"nik": pl.String, "id": pl.Int64},
        [january, january],
    )
    carried = in_drives(db, enrolled["nik"].unique().to_list(), year + 1)
    return enrolled.filter(
        ~pl.col("nik").is_in(still["nik"].implode()) & ~pl.col("nik").is_in(carried["nik"].implode())
    ).select("drive_id", "regency", "nik")


def renewal_list(*, visible_to: Any, on: date, kind: str = DenominatorKind.EMPLOYED) -> Renewals:
    """From October of a fiscal year: its enrolled drives the user may see, who in each would lapse
    on 1 January, and the UCJ each regency would lose with them (on the latest computed month)."""
    year = on.year
    if on.month < RENEWALS_FROM:
        return Renewals(year, listed=False)
    drives = list(drive_list(visible_to=visible_to, year=year, status=DriveStatus.ENROLLED))
    lapsing = _lapsing(drives, year)
    per_drive = dict(lapsing.group_by("drive_id").len().iter_rows())
    enrolled = {drive.pk: drive.members.filter(status="enrolled").count() for drive in drives}
    renewals = {
        drive.renewal_of_id: drive
        for drive in Drive.objects.filter(renewal_of__in=drives).exclude(status=DriveStatus.REJECTED)
    }
    rows = [
        RenewalRow(drive, enrolled[drive.pk], int(per_drive.get(drive.pk, 0)), renewals.get(drive.pk))
        for drive in drives
    ]
    indicators = current(kind)
    month = indicators.latest_month()
    regencies = []
    for code, count in sorted(lapsing.group_by("regency").len().iter_rows()):
        region = indicators.regions.get(code)
        if region is None:
            continue
        if month is None:
            regencies.append(RegencyLoss(code, region.name, int(count), 0, None, None, None))
            continue
        figure = indicators.figure(code, month)
        denominator = figure.denominator.value if figure.denominator else None
        after = figure.participants - int(count)
        ucj_after = None
        if denominator:
            ucj_after = (Decimal(100 * after) / Decimal(denominator)).quantize(Decimal("0.01"))
        regencies.append(
            RegencyLoss(code, region.name, int(count), figure.participants, denominator, figure.ucj, ucj_after)
        )
    return Renewals(year, True, rows, regencies, month)


# --- planning ----------------------------------------------------------------------------------

PLAN_INCOME = 1_000_000
"""Declared income of the planning packages: the lowest BPU band, which sponsored schemes pay."""
PACKAGES = (
    ("jkk_jkm_12", False, 12),
    ("jkk_jkm_jht_12", True, 12),
    ("jkk_jkm_6", False, 6),
    ("jkk_jkm_jht_6", True, 6),
)
REGENCY_SOURCES = ("regency_apbd", "dana_desa", "add", "dbh_sawit", "csr")
PLAN_SOURCES = (*REGENCY_SOURCES, "province_apbd")
"""The funding sources a plan draws on, in the order ties are broken (a regency's own first)."""


@functools.cache
def plan_packages(year: int) -> dict[str, PlanPackage]:
    """The four planning packages of ``year``, each priced exactly for one worker by the rules' batch
    path (JKK and JKM at the lowest income band, with or without JHT, for the whole year or its last
    six months)."""
    packages = {}
    for key, with_jht, months in PACKAGES:
        package = Package(with_jht=with_jht, income=PLAN_INCOME, first=Month(year, 13 - months), months=months)
        packages[key] = PlanPackage(key, with_jht, months, costing.per_worker(package))
    return packages


@dataclass(frozen=True)
class RegencyFigures:
    code: str
    name: str
    participants: int
    denominator: int | None
    target: Decimal | None
    own_target: bool


@dataclass(frozen=True)
class PlanBasis:
    """The coverage a plan starts from: the latest computed month, the province and the regencies
    the user may plan for (participants, denominator in the target month, target of its year)."""

    month: Month | None
    kind: str
    province: RegencyFigures | None
    regencies: list[RegencyFigures]


def _require_planning(visible_to: Any) -> None:
    policy = for_user(visible_to)
    policy.require(Action.PLAN_DRIVES)
    if policy.home_region() is None:
        raise Forbidden(_("You may not see the coverage of this region."))


FIRST_PLAN_YEAR = 2016
"""The first year a plan can price from January: the encoded rules begin in July 2015 (PP 44/2015)."""


def plan_basis(*, visible_to: Any, year: int, kind: str = DenominatorKind.EMPLOYED) -> PlanBasis:
    _require_planning(visible_to)
    if not FIRST_PLAN_YEAR <= year <= LAST_DAY.year:
        raise InvalidField(
            _("must be a year from %(first)d to %(last)d") % {"first": FIRST_PLAN_YEAR, "last": LAST_DAY.year},
            field="year",
        )
    if kind not in DenominatorKind.values:
        raise InvalidField(_("must be one of: %s") % ", ".join(DenominatorKind.values), field="denominator")
    policy = for_user(visible_to)
    indicators = current(kind)
    month = indicators.latest_month()
    target_month = Month(year, 12)

    def figures(code: str) -> RegencyFigures:
        region = indicators.regions[code]
        participants = indicators.figure(code, month).participants if month else 0
        denominator = indicators.denominator(code, target_month)
        target = indicators.target(code, target_month)
        return RegencyFigures(
            code,
            region.name,
            participants,
            denominator.value if denominator else None,
            target.percent if target and target.year == year else None,
            bool(target and target.own),
        )

    codes = sorted(code for code, region in indicators.regions.items() if region.level == Region.Level.REGENCY)
    only = policy.regency_filter()
    if only is not None:
        codes = [code for code in codes if code == only]
    province = figures(PROVINCE) if policy.province_wide else None
    return PlanBasis(month, kind, province, [figures(code) for code in codes])


def _hundredths(percent: Decimal) -> int:
    return int((percent * 100).to_integral_value())


@dataclass
class TargetPlan:
    basis: PlanBasis
    year: int
    month: int
    mode: str  # province | regencies | both
    percent: Decimal | None  # the target asked for (None: the published targets)
    sources: tuple[str, ...]
    packages: dict[str, PlanPackage]
    regencies: list[Regency]
    province_need: int
    allocation: Allocation
    ceilings: dict[str, int]
    missing: list[str] = field(default_factory=list)
    """Regions whose target or denominator is missing for the year: no need is counted for them."""

    def trajectory(self, code: str | None = None) -> list[tuple[int, int, int | None]]:
        """(month, participants with the plan, denominator) of a regency (or the province) for
        each month of the year, the plan's workers counted in the months their package covers."""
        figures = (
            self.basis.province
            if code is None
            else next((item for item in self.basis.regencies if item.code == code), None)
        )
        if figures is None:
            return []
        result = []
        for month in range(1, 13):
            added = sum(
                line.workers
                for line in self.allocation.lines
                if (code is None or line.regency == code) and self.packages[line.package].covers(month)
            )
            result.append((month, figures.participants + added, figures.denominator))
        return result


@functools.lru_cache(maxsize=64)
def _allocated(
    regencies: tuple[Regency, ...],
    pots: tuple[Pot, ...],
    packages: tuple[tuple[str, PlanPackage], ...],
    month: int,
    province_need: int,
) -> Allocation:
    """``planning.allocate``, solved once per process for the same inputs (they are all of what the
    answer depends on: the coverage, targets and denominators come in as the regencies' figures). The
    coverage page of the province showed the plan by solving it on every visit: 123 ms a visit in one
    process, 16 ms with the plan kept, and 1.3 s at the median under 20 clients (benchmark province).
    Callers get the kept answer: copy before changing it."""
    return allocate(regencies, pots, dict(packages), month=month, province_need=province_need)


def plan_target(
    *,
    visible_to: Any,
    year: int,
    month: int = 12,
    mode: str | None = None,
    percent: Decimal | None = None,
    sources: Sequence[str] | None = None,
    ceilings: Mapping[str, int] | None = None,
    packages: Sequence[str] | None = None,
    kind: str = DenominatorKind.EMPLOYED,
) -> TargetPlan:
    """The cheapest allocation across the regencies the user may plan for, funding sources and
    packages that reaches the target in ``month`` of ``year``: the province's (``mode`` province),
    each regency's own (regencies), or both. ``percent`` replaces the published targets; a source's
    ``ceilings`` entry caps what it pays (per regency for a regency's source, in all for the
    province's); the rooms are each regency's unprotected workers (its denominator less its
    participants)."""
    basis = plan_basis(visible_to=visible_to, year=year, kind=kind)
    mode = mode or ("province" if basis.province is not None else "regencies")
    if not 1 <= month <= 12:
        raise InvalidField(_("must be a month from 1 to 12"), field="month")
    if mode not in ("province", "regencies", "both") or (mode != "regencies" and basis.province is None):
        raise InvalidField(
            _("must be province, regencies or both (the province for province-wide roles only)"), field="mode"
        )
    chosen_sources = tuple(source for source in PLAN_SOURCES if source in (sources or PLAN_SOURCES))
    if not chosen_sources or (sources and set(sources) - set(PLAN_SOURCES)):
        raise InvalidField(
            _("must be one or more of %(choices)s") % {"choices": ", ".join(PLAN_SOURCES)}, field="sources"
        )
    all_packages = plan_packages(year)
    chosen_packages = tuple(packages or all_packages)
    if set(chosen_packages) - set(all_packages):
        raise InvalidField(
            _("must be one or more of %(choices)s") % {"choices": ", ".join(all_packages)}, field="packages"
        )
    caps = dict(ceilings or {})
    for source, value in caps.items():
        if source not in PLAN_SOURCES or isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidField(_("a ceiling is a whole number of rupiah for one of the sources"), field="ceilings")
    regencies = []
    missing = []  # regions whose target (or denominator) the plan needs and does not have

    for item in basis.regencies:
        room = max(0, (item.denominator or 0) - item.participants)
        goal = percent if percent is not None else item.target
        need = 0
        if mode in ("regencies", "both"):
            if goal is not None and item.denominator:
                need = need_for(_hundredths(goal), item.denominator, item.participants)
            else:
                missing.append(item.code)
        regencies.append(Regency(item.code, item.name, room, need, item.participants, item.denominator))
    province_need = 0
    if mode in ("province", "both") and basis.province is not None:
        goal = percent if percent is not None else basis.province.target
        if goal is not None and basis.province.denominator:
            province_need = need_for(_hundredths(goal), basis.province.denominator, basis.province.participants)
        else:
            missing.append(basis.province.code)
    pots = []
    for source in chosen_sources:
        if source == "province_apbd":
            if basis.province is not None:
                pots.append(Pot(source, PROVINCE_SCOPE, caps.get(source), chosen_packages))
            continue
        pots += [Pot(source, regency.code, caps.get(source), chosen_packages) for regency in regencies]
    chosen = tuple((key, all_packages[key]) for key in chosen_packages)
    kept = _allocated(tuple(regencies), tuple(pots), chosen, month, province_need)
    allocation = replace(kept, lines=list(kept.lines), regency_shortfalls=dict(kept.regency_shortfalls))
    return TargetPlan(
        basis,
        year,
        month,
        mode,
        percent,
        chosen_sources,
        all_packages,
        regencies,
        province_need,
        allocation,
        caps,
        missing,
    )


@dataclass(frozen=True)
class BudgetAnswer:
    region: RegencyFigures
    year: int
    plan: BudgetPlan


def plan_budget(
    *, visible_to: Any, region: str, budget: int, package: str, year: int, kind: str = DenominatorKind.EMPLOYED
) -> BudgetAnswer:
    """What ``budget`` rupiah buys in ``region`` (the province or a regency the user may plan for)
    with ``package``: workers protected and the UCJ month by month."""
    basis = plan_basis(visible_to=visible_to, year=year, kind=kind)
    figures = (
        basis.province if region == PROVINCE else next((item for item in basis.regencies if item.code == region), None)
    )
    if figures is None:
        if region != PROVINCE and not Region.objects.filter(code=region, level=Region.Level.REGENCY).exists():
            raise InvalidField(_("must be the province's code (61) or a regency's (61.04)"), field="region")
        raise Forbidden(_("You may not see the coverage of this region."), field="region")
    packages = plan_packages(year)
    if package not in packages:
        raise InvalidField(_("must be one or more of %(choices)s") % {"choices": ", ".join(packages)}, field="package")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise InvalidField(_("must be a whole number of rupiah"), field="budget")
    # without a denominator there is no count of unprotected workers: the budget alone limits
    room = max(0, figures.denominator - figures.participants) if figures.denominator else budget
    plan = what_budget_buys(
        budget=budget,
        package=packages[package],
        participants=figures.participants,
        denominator=figures.denominator,
        room=room,
    )
    return BudgetAnswer(figures, year, plan)
