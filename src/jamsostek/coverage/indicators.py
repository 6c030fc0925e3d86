"""The coverage indicators. Every view (dashboard, API, Excel, PDF) reads them from here, so the
same region and month always shows the same numbers.

UCJ (%) = protected participants / workers x 100, where the workers come from one denominator
definition at a time (Sakernas employed population, BPJS potential workers, or a user's value):
never mixed, and every figure says which one it used, from when, and whether it is an estimate.
A region without a denominator of that definition has participants but no UCJ.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy

from jamsostek.contributions.selectors import cohort_cost
from jamsostek.core.constants import PROVINCE
from jamsostek.coverage.models import Computation, CoverageFact, Denominator, DenominatorKind, Target
from jamsostek.registry.models import Region
from jamsostek.rules.model import SEGMENTS
from jamsostek.rules.periods import Month

PAYER_GROUPS = ("employer", "self", "budget")
CENT = Decimal("0.01")

# The UCJ formula is a working definition derived from published examples (regulations note, 6.1);
# the official document is not in hand. It stays marked UNCONFIRMED wherever UCJ is shown.
UCJ_FORMULA = "UCJ (%) = protected participants / workers (denominator) x 100"
UCJ_CONFIRMED = False
UCJ_NOTE = gettext_lazy(
    "UNCONFIRMED: working definition derived from published examples (Kalbar July 2025: 575,504 / "
    "1,819,430 = 31.63%); the official formula (which segments count, whether PMI and Jakon are in, "
    "which Sakernas wave) is not confirmed"
)


@dataclass(frozen=True)
class DenominatorUsed:
    value: int
    kind: str
    label: str
    period: date
    is_estimate: bool
    method: str
    source: str


@dataclass(frozen=True)
class TargetUsed:
    percent: Decimal
    year: int
    region: str
    own: bool  # False when the province target stands in for a region without its own


@dataclass
class Figure:
    """One region in one month."""

    region: str
    name: str
    level: str
    month: Month
    participants: int
    denominator: DenominatorUsed | None
    target: TargetUsed | None
    segments: dict[str, int] = field(default_factory=dict)
    payers: dict[str, int] = field(default_factory=dict)

    @property
    def ucj(self) -> Decimal | None:
        """Percent, rounded half up to two decimals from the exact ratio: the number every view shows."""
        if self.denominator is None or self.denominator.value == 0:
            return None
        exact = Decimal(100 * self.participants) / Decimal(self.denominator.value)
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def gap(self) -> int | None:
        """Workers to enrol to reach the target (0 when reached; None without a denominator or target)."""
        if self.denominator is None or self.denominator.value == 0 or self.target is None:
            return None
        needed = math.ceil(self.target.percent * self.denominator.value / 100)
        return max(0, needed - self.participants)

    @property
    def to_target(self) -> float | None:
        """UCJ as a share of the target (1.0 = reached), for colouring the map."""
        if self.ucj is None or self.target is None or self.target.percent == 0:
            return None
        return float(self.ucj / self.target.percent)


class Indicators:
    """The indicators for one denominator definition, read once from the computed facts."""

    def __init__(self, kind: str = DenominatorKind.EMPLOYED) -> None:
        if kind not in DenominatorKind.values:
            raise ValueError(f"unknown denominator kind {kind!r}")
        self.kind = kind
        self._packages: dict[int, tuple[int, tuple[str, ...]]] = {}

    @property
    def label(self) -> str:
        """The definition's name in the language of the request that reads it: one instance serves
        every request of the process (see ``current``), so it must not keep the first one's language."""
        return str(DenominatorKind(self.kind).label)

    # --- data read once ---

    @cached_property
    def regions(self) -> dict[str, Region]:
        return {region.code: region for region in Region.objects.only("code", "name", "level", "parent_id")}

    @cached_property
    def _facts(self) -> dict[tuple[date, str, str, str], int]:
        """(month, region, segment, payer group) -> persons, for districts, regencies and the province."""
        totals: dict[tuple[date, str, str, str], int] = {}
        rows = CoverageFact.objects.values_list("period", "district", "regency", "segment", "payer_group", "persons")
        for period, district, regency, segment, group, persons in rows.iterator(chunk_size=20_000):
            for region in (district, regency, PROVINCE):
                key = (period, region, segment, group)
                totals[key] = totals.get(key, 0) + persons
        return totals

    @cached_property
    def months(self) -> list[Month]:
        """Every computed month: those with facts, and those a computation covered (even with nobody
        protected, which is a result, not a gap)."""
        indexes = {Month.of(key[0]).index for key in self._facts}
        for first, last in Computation.objects.values_list("first", "last"):
            indexes.update(range(Month.of(first).index, Month.of(last).index + 1))
        return [Month.from_index(index) for index in sorted(indexes)]

    @cached_property
    def _denominators(self) -> dict[str, list[Denominator]]:
        result: dict[str, list[Denominator]] = {}
        for denominator in Denominator.objects.filter(kind=self.kind).order_by("period"):
            result.setdefault(denominator.region_id, []).append(denominator)
        return result

    @cached_property
    def _targets(self) -> dict[str, list[Target]]:
        result: dict[str, list[Target]] = {}
        for target in Target.objects.order_by("year"):
            result.setdefault(target.region_id, []).append(target)
        return result

    @property
    def computation(self) -> Computation | None:
        return Computation.objects.first()

    def warm(self) -> None:
        """Read everything now, so concurrent readers of a shared instance never load it twice."""
        _ = self.regions, self._facts, self.months, self._denominators, self._targets

    # --- lookups ---

    def denominator(self, region: str, month: Month) -> DenominatorUsed | None:
        """The latest denominator of this definition from on or before ``month``."""
        found = None
        for denominator in self._denominators.get(region, []):
            if denominator.period <= month.first_day:
                found = denominator
        if found is None:
            return None
        return DenominatorUsed(found.value, found.kind, self.label, found.period, found.is_estimate, found.method,
                               found.source)  # fmt: skip

    def target(self, region: str, month: Month) -> TargetUsed | None:
        """The region's target for the month's year, or its next target; else the province's."""
        for code, own in ((region, True), (PROVINCE, region == PROVINCE)):
            for target in self._targets.get(code, []):
                if target.year >= month.year:
                    return TargetUsed(target.percent, target.year, code, own)
        return None

    def figure(self, region: str, month: Month) -> Figure:
        facts = self._facts
        key = month.first_day
        info = self.regions[region]
        return Figure(
            region=region,
            name=info.name,
            level=info.level,
            month=month,
            participants=facts.get((key, region, "all", "all"), 0),
            denominator=self.denominator(region, month),
            target=self.target(region, month),
            segments={segment: facts.get((key, region, segment, "all"), 0) for segment in SEGMENTS},
            payers={group: facts.get((key, region, "all", group), 0) for group in PAYER_GROUPS},
        )

    def latest_month(self) -> Month | None:
        return self.months[-1] if self.months else None

    def trend(self, region: str) -> list[Figure]:
        return [self.figure(region, month) for month in self.months]

    def regencies(self, month: Month) -> list[tuple[int | None, Figure]]:
        """The 14 regencies with their rank by UCJ (None when a regency has no UCJ)."""
        figures = [self.figure(code, month) for code, region in sorted(self.regions.items())
                   if region.level == Region.Level.REGENCY]  # fmt: skip
        shown = [f.ucj for f in figures if f.ucj is not None]

        def rank(figure: Figure) -> int | None:  # standard competition ranking on the UCJ shown: 1, 1, 3
            if figure.ucj is None:
                return None
            return 1 + sum(1 for other in shown if other > figure.ucj)

        return [(rank(figure), figure) for figure in figures]

    def districts(self, regency: str, month: Month) -> list[Figure]:
        codes = sorted(code for code, region in self.regions.items() if region.parent_id == regency)
        return [self.figure(code, month) for code in codes]

    def projection(self, region: str) -> Projection:
        """When the target is reached at the pace of the last twelve months (a straight line)."""
        # exact fractions: in floats 40.10, 40.20, 40.30 -> 45.00 takes 47.000000000001 months, ceil 48
        points = [(f.month.index, Fraction(f.ucj)) for f in self.trend(region)[-12:] if f.ucj is not None]
        target = self.target(region, self.months[-1]) if self.months else None
        if len(points) < 2 or target is None:
            return Projection(None, None, target, "not enough data")
        n = len(points)
        mean_x = Fraction(sum(x for x, _ in points), n)
        mean_y = sum((y for _, y in points), Fraction(0)) / n
        denominator = sum((x - mean_x) ** 2 for x, _ in points)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / denominator if denominator else Fraction(0)
        last_x, last_y = points[-1]
        goal = Fraction(target.percent)
        if last_y >= goal:
            return Projection(Month.from_index(last_x), float(slope), target, "reached")
        if slope <= 0:
            return Projection(None, float(slope), target, "not at the current pace")
        months = math.ceil((goal - last_y) / slope)
        return Projection(Month.from_index(last_x + months), float(slope), target, "projected")

    def closing_cost(self, figure: Figure) -> ClosingCost | None:
        """Enrolling the gap as BPU workers at the cheapest package (JKK + JKM at the lowest income
        band), for twelve months of the target's year, priced month by month by the rules."""
        if figure.gap is None or figure.target is None:
            return None
        year = max(figure.target.year, figure.month.year)
        per_worker, warnings = self._package_cost(year)
        return ClosingCost(figure.gap, year, per_worker, per_worker * figure.gap, warnings)

    def _package_cost(self, year: int) -> tuple[int, tuple[str, ...]]:
        if year not in self._packages:
            cost = cohort_cost(workers=1, months=12, first_month=Month(year, 1))
            self._packages[year] = (cost.per_worker, cost.warnings)
        return self._packages[year]


@dataclass(frozen=True)
class Projection:
    month: Month | None
    slope: float | None  # percentage points per month
    target: TargetUsed | None
    status: str  # reached | projected | not at the current pace | not enough data


@dataclass(frozen=True)
class ClosingCost:
    workers: int
    year: int
    per_worker: int
    total: int
    warnings: tuple[str, ...]


# --- one Indicators per process, rebuilt when the facts, denominators or targets change ------------

_cache: dict[str, tuple[tuple[object, ...], Indicators]] = {}
_lock = threading.Lock()

# How long a process trusts the stamp it read before asking the database again (``stamp()``). A
# change made in this process (a recomputation, the back office, an import) is seen at once; one
# made by another process (the CLI) within this many seconds.
STAMP_SECONDS = 1.0
_checked: tuple[float, tuple[object, ...]] | None = None


def _stamp() -> tuple[object, ...]:
    computed = Computation.objects.aggregate(last=Max("id"))["last"]
    denominators = Denominator.objects.aggregate(n=Count("id"), at=Max("updated"))
    targets = Target.objects.aggregate(n=Count("id"), at=Max("updated"))
    return computed, denominators["n"], denominators["at"], targets["n"], targets["at"]


def stamp() -> tuple[object, ...]:
    """What the facts, denominators and targets look like (the last computation, how many
    denominators and targets and when one last changed), read at most every STAMP_SECONDS."""
    global _checked
    now = time.monotonic()
    checked = _checked
    if checked is not None and now - checked[0] < STAMP_SECONDS:
        return checked[1]
    value = _stamp()
    _checked = (now, value)
    return value


def changed(**_kwargs: object) -> None:
    """A computation, denominator or target was saved or deleted here: read the stamp again."""
    global _checked
    _checked = None
    transaction.on_commit(_clear_checked)  # and again once it is committed, for the other threads


def _clear_checked() -> None:
    global _checked
    _checked = None


def forget() -> None:
    """Drop everything this process keeps (for tests)."""
    global _checked
    _checked = None
    _cache.clear()


def current(kind: str = DenominatorKind.EMPLOYED) -> Indicators:
    """The indicators of one denominator definition, shared by the requests of this process until
    a recomputation or a new denominator or target makes them stale (``stamp()``: seen at once when
    the change is made in this process, within STAMP_SECONDS when in another)."""
    seen = stamp()
    cached = _cache.get(kind)
    if cached is not None and cached[0] == seen:
        return cached[1]
    with _lock:
        cached = _cache.get(kind)
        if cached is not None and cached[0] == seen:
            return cached[1]
        indicators = Indicators(kind)
        indicators.warm()
        _cache[kind] = (seen, indicators)
        return indicators


def connect_signals() -> None:
    """Read the stamp again after any save or delete of what it covers (from ``CoverageConfig.ready``)."""
    for model in (Computation, Denominator, Target):
        post_save.connect(changed, sender=model, dispatch_uid=f"coverage-stamp-save-{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"coverage-stamp-delete-{model.__name__}")
