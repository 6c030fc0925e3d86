"""Indicators as plain data: the one shape the API returns and the dashboard, the Excel workbook
and the PDF report are filled from, so a number never differs between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import InvalidField, NotFound
from jamsostek.coverage.indicators import (
    UCJ_CONFIRMED,
    UCJ_FORMULA,
    UCJ_NOTE,
    ClosingCost,
    Figure,
    Indicators,
    Projection,
    current,
)

__all__ = ["PROVINCE", "Query", "current", "figure", "query", "region_report"]
from jamsostek.coverage.models import DenominatorKind
from jamsostek.registry.models import Region
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month


@dataclass(frozen=True)
class Query:
    """What a page or an API call asks for: the indicators of one definition, at one month."""

    indicators: Indicators
    month: Month | None  # None: nothing computed yet


def query(month: str | None, denominator: str | None) -> Query:
    kind = denominator or DenominatorKind.EMPLOYED
    if kind not in DenominatorKind.values:
        raise InvalidField(_("must be one of: %s") % ", ".join(DenominatorKind.values), field="denominator")
    indicators = current(kind)
    if month:
        try:
            chosen = Month.parse(month, field="month")
        except InvalidInput as error:
            raise InvalidField(error.message(get_language() or "id"), field="month") from None
        if chosen not in indicators.months:
            raise InvalidField(_("no coverage has been computed for %s") % chosen, field="month")
        return Query(indicators, chosen)
    return Query(indicators, indicators.latest_month())


def region_or_404(indicators: Indicators, code: str) -> Region:
    region = indicators.regions.get(code)
    if region is None:
        raise NotFound(_("no region with code %s") % code)
    return region


def figure(item: Figure) -> dict[str, Any]:
    denominator = item.denominator
    target = item.target
    return {
        "region": item.region,
        "name": item.name,
        "level": item.level,
        "month": str(item.month),
        "participants": item.participants,
        "ucj": item.ucj,
        "denominator": None
        if denominator is None
        else {
            "value": denominator.value,
            "kind": denominator.kind,
            "label": denominator.label,
            "period": denominator.period.strftime("%Y-%m"),
            "is_estimate": denominator.is_estimate,
            "method": denominator.method,
            "source": denominator.source,
        },
        "target": None
        if target is None
        else {"percent": target.percent, "year": target.year, "region": target.region, "own": target.own},
        "gap": item.gap,
        "to_target": None if item.to_target is None else round(item.to_target, 4),
        "segments": item.segments,
        "payers": item.payers,
    }


def projection(item: Projection) -> dict[str, Any]:
    return {
        "status": item.status,
        "month": None if item.month is None else str(item.month),
        "pace": None if item.slope is None else round(item.slope, 4),
        "target": None if item.target is None else item.target.percent,
        "target_year": None if item.target is None else item.target.year,
    }


def closing(item: ClosingCost | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "workers": item.workers,
        "year": item.year,
        "per_worker": item.per_worker,
        "total": item.total,
        "package": "BPU JKK + JKM",
        "warnings": list(item.warnings),
    }


def region_report(indicators: Indicators, code: str, month: Month) -> dict[str, Any]:
    """One region in full: its figure, projection, the cost of closing its gap, and the regions in it."""
    main = indicators.figure(code, month)
    if code == PROVINCE:
        children = [dict(figure(f), rank=rank) for rank, f in indicators.regencies(month)]
    else:
        children = [figure(f) for f in indicators.districts(code, month)]
    return {
        **figure(main),
        "projection": projection(indicators.projection(code)),
        "closing": closing(indicators.closing_cost(main)),
        "children": children,
        "definition": definition(),
    }


def definition() -> dict[str, Any]:
    return {"formula": UCJ_FORMULA, "confirmed": UCJ_CONFIRMED, "note": str(UCJ_NOTE)}


def segment_names() -> dict[str, str]:
    return {"pu": _("PU (wage earners)"), "bpu": _("BPU (non-wage earners)"), "jakon": _("Jakon (construction)"),
            "pmi": _("PMI (migrant workers)")}  # fmt: skip


def payer_names() -> dict[str, str]:
    """Who pays, in the user's language (the dashboard, the workbook)."""
    return {"employer": _("employer"), "self": _("the worker"), "budget": _("government budget (APBD/APBDes)")}
