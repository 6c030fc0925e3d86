"""The published labour and coverage figures of ``data/kalbar_labour_coverage_figures.csv`` (a copy
of the project's shared file), each with its period, source and status.

A figure marked ``doubtful`` is kept and shown as such but never used: Landak's 53.43 % "UCJ" of
2024 equals 69,590 active members divided by 130,245 members ever registered, not a share of
workers. ``latest_coverage`` gives, per region, the most recent coverage figure that is not doubtful
(what the synthetic province is calibrated on)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal

from jamsostek.registry.regions import DATA

FIGURES = DATA / "kalbar_labour_coverage_figures.csv"
DOUBTFUL = "doubtful"


@dataclass(frozen=True)
class PublishedFigure:
    region: str
    name: str
    indicator: str
    value: Decimal
    unit: str
    period: str
    source_url: str
    status: str  # confirmed, derived, partial, doubtful
    note: str

    @property
    def usable(self) -> bool:
        """Whether the figure may be used (to calibrate, to compare): not when it is doubtful."""
        return self.status != DOUBTFUL

    @property
    def period_key(self) -> tuple[int, int]:
        """(year, month) of the period's start for ordering; a year alone counts as its December."""
        head = self.period.strip()
        year = int(head[:4]) if head[:4].isdigit() else 0
        month = int(head[5:7]) if len(head) >= 7 and head[4] == "-" and head[5:7].isdigit() else 12
        return year, month


def published_figures(indicator: str | None = None) -> list[PublishedFigure]:
    """Every figure of the file (of ``indicator`` when given), in file order."""
    with FIGURES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    figures = []
    for row in rows:
        if indicator is None or row["indicator"] == indicator:
            texts = {name: row[name] for name in ("unit", "period", "source_url", "status", "note")}
            figures.append(PublishedFigure(row["region_code"], row["region_name"], row["indicator"],
                                           Decimal(row["value"]), **texts))  # fmt: skip
    return figures


def latest_coverage() -> dict[str, PublishedFigure]:
    """Per region, its most recent published UCJ figure that is not doubtful."""
    latest: dict[str, PublishedFigure] = {}
    for figure in published_figures("ucj_coverage"):
        if not figure.usable:
            continue
        known = latest.get(figure.region)
        if known is None or figure.period_key > known.period_key:
            latest[figure.region] = figure
    return latest
