"""The UCJ dashboard (the app's main page), a regency's page, and the Excel and PDF exports.

Every number comes from ``present`` (the same dicts the API returns)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import DomainError
from jamsostek.coverage import drawing, exports, panels, present
from jamsostek.coverage.indicators import Indicators
from jamsostek.coverage.kept import Kept
from jamsostek.coverage.models import DenominatorKind
from jamsostek.coverage.selectors import REFUSED, home_region, may_see
from jamsostek.registry.models import Region
from jamsostek.rules.model import SEGMENTS
from jamsostek.rules.periods import Month


@cache
def _shapes(parent: str) -> tuple[drawing.Projection, list[drawing.Shape]]:
    """The projected boundaries of a region's children (read once per process)."""
    rows = Region.objects.filter(parent_id=parent).order_by("code").values_list("code", "name", "boundary")
    return drawing.project(rows)


def _query(request: HttpRequest) -> present.Query:
    try:
        return present.query(request.GET.get("month") or None, request.GET.get("denominator") or None)
    except DomainError:
        return present.query(None, None)  # a stale or mistyped link shows the latest month instead


def _map(report: dict[str, Any], parent: str, *, link: bool) -> tuple[str, list[tuple[str, str]]]:
    projection, shapes = _shapes(parent)
    children = {child["region"]: child for child in report["children"]}
    by_ucj = any(child["ucj"] is not None for child in children.values())
    biggest = max([child["participants"] for child in children.values()] + [1])
    areas = []
    for shape in shapes:
        child = children.get(shape.code)
        if child is None:
            continue
        if by_ucj:
            fill = drawing.colour(child["to_target"])
            value = "—" if child["ucj"] is None else drawing.percent(child["ucj"])
            title = f"{shape.name}: UCJ {value}"
        else:
            fill = drawing.colour(child["participants"] / biggest)
            title = f"{shape.name}: {drawing.count(child['participants'])} " + _("participants")
        href = reverse("coverage:region", args=[shape.code]) if link else None
        areas.append(drawing.Area(shape, fill, title, href))
    label = _("Map of UCJ against the target") if by_ucj else _("Map of participants")
    svg = drawing.map_svg(projection, areas, label=label)
    if by_ucj:
        return svg, drawing.legend()
    key = [
        (colour, f"≤ {bound:.0%} " + _("of the largest"))
        for bound, colour in zip(drawing.CLASSES, drawing.COLOURS, strict=False)
    ]
    return svg, [*key, (drawing.COLOURS[-1], _("the largest"))]


def _region_name(indicators: Indicators, code: str) -> str:
    return indicators.regions[code].name if code in indicators.regions else code


def _context(request: HttpRequest, answer: present.Query, code: str) -> dict[str, Any]:
    indicators: Indicators = answer.indicators
    month = answer.month
    context: dict[str, Any] = {
        "indicators": indicators,
        "months": [str(m) for m in reversed(indicators.months)],
        "kinds": DenominatorKind.choices,
        "kind": indicators.kind,
        "computation": indicators.computation,
        "month": month,
        "segment_names": present.segment_names(),
        "region_name": _region_name(indicators, code),
        "code": code,
        "query": request.GET.urlencode(),
    }
    if month is None:
        return context
    report = present.region_report(indicators, code, month)
    trend = indicators.trend(code)
    map_svg, key = _map(report, code, link=code == PROVINCE)
    names = present.segment_names()
    payers = present.payer_names()
    context.update(
        report=report,
        map_svg=map_svg,
        legend=key,
        trend_svg=drawing.line_svg(
            [(str(f.month), f.ucj) for f in trend],
            target=report["target"]["percent"] if report["target"] else None,
            label=_("UCJ month by month"),
        ),
        has_trend=any(f.ucj is not None for f in trend),
        segments_svg=drawing.bars_svg(
            [(names[s], report["segments"][s]) for s in SEGMENTS], label=_("Participants by segment")
        ),
        payers_svg=drawing.bars_svg(
            [(payers[p], n) for p, n in report["payers"].items()], label=_("Participants by payer")
        ),
        estimates=[c for c in report["children"] if c["denominator"] and c["denominator"]["is_estimate"]],
    )
    return context


# The pages' sections (headline, map, charts, table) rendered once per path, query, language and
# (on a regency's page) whether the province may be seen, while the data is unchanged: rendering
# one took about 20 ms of Python, which under 20 clients made the page wait half a second. Access
# is checked on every request, before a kept section is given.
_sections: Kept[str] = Kept(512)


def _page(request: HttpRequest, template: str, code: str, answer: present.Query, **extra: Any) -> HttpResponse:
    def build() -> str:
        return render_to_string(f"coverage/_{template}_section.html", {**_context(request, answer, code), **extra})

    key = (template, request.get_full_path(), get_language() or "", tuple(sorted(extra.items())))
    section, _kept = _sections.get(key, build)
    name = _region_name(answer.indicators, code)
    shown = panels.render(request, region=code, month=answer.month)
    return render(request, f"coverage/{template}.html", {"section": section, "region_name": name, "panels": shown})


def dashboard(request: HttpRequest) -> HttpResponse:
    home = home_region(request.user)
    if home is None:
        raise PermissionDenied(_("Your role does not include the coverage dashboard."))
    if home != PROVINCE:
        return redirect("coverage:region", code=home)
    return _page(request, "dashboard", PROVINCE, _query(request))


def region(request: HttpRequest, code: str) -> HttpResponse:
    answer = _query(request)
    if code == PROVINCE:
        return redirect("coverage:dashboard")
    info = answer.indicators.regions.get(code)
    if info is None or info.level != Region.Level.REGENCY:
        raise Http404(_("no regency with code %s") % code)
    if not may_see(request.user, code):
        raise PermissionDenied(REFUSED)
    return _page(request, "region", code, answer, may_see_province=may_see(request.user, PROVINCE))


def _export_region(request: HttpRequest) -> str:
    home = home_region(request.user)
    if home is None:
        raise PermissionDenied(_("Your role does not include the coverage dashboard."))
    return home


def _export(request: HttpRequest, build: Callable[[Indicators, Month, str], bytes], content_type: str,
            extension: str) -> HttpResponse:  # fmt: skip
    """The month's figures of the user's home region as a download, from the same indicators as the page."""
    answer = _query(request)
    if answer.month is None:
        raise Http404(_("no coverage has been computed yet"))
    scope = _export_region(request)
    response = HttpResponse(build(answer.indicators, answer.month, scope), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ucj-{scope}-{answer.month}.{extension}"'
    return response


def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "xlsx")  # fmt: skip


def export_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.pdf, "application/pdf", "pdf")


__all__ = ["dashboard", "export_pdf", "export_xlsx", "region"]
