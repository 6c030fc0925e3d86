"""The coverage indicators. Every view (dashboard, API, Excel, PDF) reads them from here, so the
same region and month always shows the same numbers.

UCJ (%) = protected participants / workers x 100, where the workers come from one denominator
definition at a time (Sakernas employed population, BPJS potential workers, or a user's value):
never mixed, and every figure says which one it used, from when, and whether it is an estimate.
A region without a denominator of that definition has participants but no UCJ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Sum

from jamsostek.contributions.budget import cohort_cost
from jamsostek.coverage.models import Computation, CoverageFact, Denominator, DenominatorKind, Target
from jamsostek.registry.models import Region
from jamsostek.rules.periods import Month

SEGMENTS = ("pu", "bpu", "jakon", "pmi")
PAYER_GROUPS = ("employer", "self", "budget")
PROVINCE = "61"


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
    def ucj(self) -> float | None:
        if self.denominator is None or self.denominator.value == 0:
            return None
        return 100 * self.participants / self.denominator.value

    @property
    def gap(self) -> int | None:
        """Workers to enrol to reach the target (0 when reached; None without denominator or target)."""
        if self.denominator is None or self.target is None:
            return None
        needed = math.ceil(self.target.percent * self.denominator.value / 100)
        return max(0, needed - self.participants)

    @property
    def to_target(self) -> float | None:
        """UCJ as a share of the target (1.0 = reached), for colouring the map."""
        if self.ucj is None or self.target is None or self.target.percent == 0:
            return None
        return self.ucj / float(self.target.percent)


class Indicators:
    """The indicators for one denominator definition, read once from the computed facts."""

    def __init__(self, kind: str = DenominatorKind.EMPLOYED) -> None:
        if kind not in DenominatorKind.values:
            raise ValueError(f"unknown denominator kind {kind!r}")
        self.kind = kind
        self.label = str(DenominatorKind(kind).label)

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
        periods = sorted({key[0] for key in self._facts})
        return [Month.of(period) for period in periods]

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
        ranked = sorted((f for f in figures if f.ucj is not None), key=lambda f: -(f.ucj or 0))
        rank = {figure.region: position for position, figure in enumerate(ranked, start=1)}
        return [(rank.get(figure.region), figure) for figure in figures]

    def districts(self, regency: str, month: Month) -> list[Figure]:
        codes = sorted(code for code, region in self.regions.items() if region.parent_id == regency)
        return [self.figure(code, month) for code in codes]

    def projection(self, region: str) -> Projection:
        """When the target is reached at the pace of the last twelve months (a straight line)."""
        points = [(figure.month.index, figure.ucj) for figure in self.trend(region)[-12:] if figure.ucj is not None]
        target = self.target(region, self.months[-1]) if self.months else None
        if len(points) < 2 or target is None:
            return Projection(None, None, target, "not enough data")
        n = len(points)
        mean_x = sum(x for x, _ in points) / n
        mean_y = sum(y for _, y in points) / n
        denominator = sum((x - mean_x) ** 2 for x, _ in points)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / denominator if denominator else 0.0
        last_x, last_y = points[-1]
        goal = float(target.percent)
        if last_y >= goal:
            return Projection(Month.from_index(last_x), slope, target, "reached")
        if slope <= 0:
            return Projection(None, slope, target, "not at the current pace")
        months = math.ceil((goal - last_y) / slope)
        return Projection(Month.from_index(last_x + months), slope, target, "projected")

    def closing_cost(self, figure: Figure) -> ClosingCost | None:
        """Enrolling the gap as BPU workers at the cheapest package, for the target's year."""
        if figure.gap is None or figure.target is None:
            return None
        year = max(figure.target.year, figure.month.year)
        cost = cohort_cost(workers=figure.gap, months=12, first_month=Month(year, 1))
        return ClosingCost(figure.gap, year, cost.per_worker, cost.total, cost.warnings)

    def participants_total(self, month: Month) -> int:
        return int(
            CoverageFact.objects.filter(period=month.first_day, segment="all", payer_group="all").aggregate(
                total=Sum("persons")
            )["total"]
            or 0
        )


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
