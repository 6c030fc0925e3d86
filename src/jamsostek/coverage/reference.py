"""The published denominators and targets of Kalimantan Barat (from ``registry/data``), and the
regency estimates derived from the province total, each labelled as such."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from jamsostek.core.constants import PROVINCE
from jamsostek.coverage.models import Denominator, DenominatorKind, Origin, Target
from jamsostek.coverage.services import denominator_set, target_set
from jamsostek.registry.regions import DATA

FIGURES = DATA / "kalbar_labour_coverage_figures.csv"
TARGETS = (  # region, year, percent, source
    (PROVINCE, 2025, "59.56", "Pemprov Kalbar and BPJS TK (ANTARA Kalbar 669209; insidepontianak; suaraborneo)"),
    (PROVINCE, 2026, "60.80", "Pemprov Kalbar (insidepontianak 2025; suaraborneo 2025)"),
    (PROVINCE, 2030, "65.77", "Pemprov Kalbar (insidepontianak 2025; suaraborneo 2025)"),
    ("61.12", 2025, "59.00", "Kubu Raya regency, target for the end of 2025 (press)"),
    ("61.71", 2026, "45.00", "Pontianak city, 2026 target (faktakalbar.id, 12 Feb 2026)"),
)
ESTIMATE_METHOD = (
    "estimate: the province's employed population (BPS Sakernas {period}) spread over the regencies by their "
    "Dukcapil population (December 2024); BPS does not publish employment by regency here"
)


def _month(text: str) -> date | None:
    """``2024-08 Sakernas`` -> 2024-08-01 (None when the period is not a plain month)."""
    head = text.strip()[:7]
    if len(head) == 7 and head[4] == "-" and head[:4].isdigit() and head[5:].isdigit():
        return date(int(head[:4]), int(head[5:]), 1)
    return None


POTENTIAL = (  # region, month, workers, source: BPJS "potential workers" (tenaga kerja potensial)
    (PROVINCE, date(2025, 7, 1), 1_819_430, "BPJS TK Kalbar, July 2025: 800,904 formal + 864,518 informal + "
     "154,008 construction workers (harianberkat.com, 24 Sep 2025)"),
    ("61.71", date(2024, 1, 1), 244_236, "Pontianak 2024 workers base quoted by BPJS TK (planet.merdeka.com); "
     "partly consistent"),
)  # fmt: skip
SCALED_METHOD = (
    "synthetic province: the figure above x {scale:g}, to match a synthetic province generated at that scale; "
    "not a real denominator"
)


Figure = tuple[str, str, date, int, str, str]  # region, kind, month, value, source, method


def _put(actor: Any, figure: Figure, scale: float) -> Denominator | None:
    """Write one published figure (shrunk to ``scale``), unless a user's figure holds the same region,
    definition and month."""
    region, kind, period, value, source, method = figure
    if Denominator.objects.filter(region_id=region, kind=kind, period=period, origin=Origin.USER).exists():
        return None
    if scale != 1:
        value = round(value * scale)
        method = "; ".join(filter(None, [method, SCALED_METHOD.format(scale=scale)]))
    return denominator_set(actor=actor, region=region, kind=kind, period=period, value=value, source=source,
                           is_estimate=bool(method), method=method, origin=Origin.REFERENCE,
                           reason="published reference (jamsostek coverage reference)")  # fmt: skip


@transaction.atomic
def load_reference(scale: float = 1.0, *, actor: Any = None) -> tuple[int, int]:
    """Load (or refresh) the published figures; returns (denominators, targets) written.

    ``scale`` below 1 shrinks these denominators for a synthetic province generated at that scale
    (``jamsostek synth --scale``), so its UCJ reads like the real one; they are then marked as
    estimates and say why. Denominators imported by users are never touched."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be above 0 and at most 1")
    figures: list[Figure] = []
    with FIGURES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        period = _month(row["period"])
        if row["indicator"] != "employed_persons" or row["status"] != "confirmed" or period is None:
            continue
        figures.append((row["region_code"], DenominatorKind.EMPLOYED, period, int(row["value"]),
                        f"{row['period']}; {row['source_url']}", ""))  # fmt: skip
    with (DATA / "kalbar_regions.csv").open(encoding="utf-8") as handle:
        regencies = list(csv.DictReader(handle))
    population = {row["kemendagri_code"]: int(row["population_dukcapil_2024s2"]) for row in regencies}
    total = sum(population.values())
    written = [_put(actor, figure, scale) for figure in figures]
    province = Denominator.objects.filter(region_id=PROVINCE, kind=DenominatorKind.EMPLOYED).order_by("-period").first()
    if province is not None:
        # the province's value before any scaling: the regencies are shares of it, scaled in turn
        published = [figure[3] for figure in figures if figure[:3] == (PROVINCE, DenominatorKind.EMPLOYED,
                                                                        province.period)]  # fmt: skip
        province_value = published[0] if published and province.origin == Origin.REFERENCE else province.value
        method = ESTIMATE_METHOD.format(period=f"{province.period:%B %Y}")
        for code, people in population.items():
            value = round(province_value * people / total)
            written.append(_put(actor, (code, DenominatorKind.EMPLOYED, province.period, value, province.source,
                                        method), scale))  # fmt: skip
    for region, period, value, source in POTENTIAL:
        written.append(_put(actor, (region, DenominatorKind.POTENTIAL, period, value, source, ""), scale))
    kept = [row for row in written if row is not None]
    targets = 0
    for region, year, percent, source in TARGETS:
        if Target.objects.filter(region_id=region, year=year, origin=Origin.USER).exists():
            continue
        target_set(actor=actor, region=region, year=year, percent=Decimal(percent), source=source,
                   origin=Origin.REFERENCE, reason="published reference (jamsostek coverage reference)")  # fmt: skip
        targets += 1
    return len(kept), targets
