"""The published denominators and targets of Kalimantan Barat (from ``registry/data``), and the
regency estimates derived from the province total, each labelled as such."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from django.db import transaction

from jamsostek.coverage.models import Denominator, DenominatorKind, Origin, Target
from jamsostek.registry.regions import DATA

FIGURES = DATA / "kalbar_labour_coverage_figures.csv"
TARGETS = (  # region, year, percent, source
    ("61", 2025, "59.56", "Pemprov Kalbar and BPJS TK (ANTARA Kalbar 669209; insidepontianak; suaraborneo)"),
    ("61", 2026, "60.80", "Pemprov Kalbar (insidepontianak 2025; suaraborneo 2025)"),
    ("61", 2030, "65.77", "Pemprov Kalbar (insidepontianak 2025; suaraborneo 2025)"),
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
    ("61", date(2025, 7, 1), 1_819_430, "BPJS TK Kalbar, July 2025: 800,904 formal + 864,518 informal + "
     "154,008 construction workers (harianberkat.com, 24 Sep 2025)"),
    ("61.71", date(2024, 1, 1), 244_236, "Pontianak 2024 workers base quoted by BPJS TK (planet.merdeka.com); "
     "partly consistent"),
)  # fmt: skip
SCALED_METHOD = (
    "synthetic province: the figure above x {scale:g}, to match a synthetic province generated at that scale; "
    "not a real denominator"
)


def _put(region: str, kind: str, period: date, value: int, source: str, method: str = "") -> Denominator | None:
    """Write one published figure, unless a user's figure holds the same region, definition and month."""
    if Denominator.objects.filter(region_id=region, kind=kind, period=period, origin=Origin.USER).exists():
        return None
    row, _created = Denominator.objects.update_or_create(
        region_id=region, kind=kind, period=period,
        defaults={"value": value, "is_estimate": bool(method), "method": method, "source": source,
                  "origin": Origin.REFERENCE},
    )  # fmt: skip
    return row


@transaction.atomic
def load_reference(scale: float = 1.0) -> tuple[int, int]:
    """Load (or refresh) the published figures; returns (denominators, targets) written.

    ``scale`` below 1 shrinks these denominators for a synthetic province generated at that scale
    (``jamsostek synth --scale``), so its UCJ reads like the real one; they are then marked as
    estimates and say why. Denominators imported by users are never touched."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be above 0 and at most 1")
    written: list[Denominator | None] = []
    with FIGURES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        period = _month(row["period"])
        if row["indicator"] != "employed_persons" or row["status"] != "confirmed" or period is None:
            continue
        written.append(_put(row["region_code"], DenominatorKind.EMPLOYED, period, int(row["value"]),
                            f"{row['period']}; {row['source_url']}"))  # fmt: skip
    with (DATA / "kalbar_regions.csv").open(encoding="utf-8") as handle:
        regencies = list(csv.DictReader(handle))
    population = {row["kemendagri_code"]: int(row["population_dukcapil_2024s2"]) for row in regencies}
    total = sum(population.values())
    province = Denominator.objects.filter(region_id="61", kind=DenominatorKind.EMPLOYED).order_by("-period").first()
    if province is not None:
        method = ESTIMATE_METHOD.format(period=f"{province.period:%B %Y}")
        for code, people in population.items():
            value = round(province.value * people / total)
            written.append(_put(code, DenominatorKind.EMPLOYED, province.period, value, province.source, method))
    for region, period, value, source in POTENTIAL:
        written.append(_put(region, DenominatorKind.POTENTIAL, period, value, source))
    kept = [row for row in written if row is not None]
    if scale != 1:
        for denominator in kept:
            denominator.value = round(denominator.value * scale)
            denominator.is_estimate = True
            denominator.method = "; ".join(filter(None, [denominator.method, SCALED_METHOD.format(scale=scale)]))
            denominator.save()
    targets = 0
    for region, year, percent, source in TARGETS:
        if Target.objects.filter(region_id=region, year=year, origin=Origin.USER).exists():
            continue
        Target.objects.update_or_create(region_id=region, year=year,
                                        defaults={"percent": Decimal(percent), "source": source,
                                                  "origin": Origin.REFERENCE})  # fmt: skip
        targets += 1
    return len(kept), targets
