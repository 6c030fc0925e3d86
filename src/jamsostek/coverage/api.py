"""Coverage endpoints: every UCJ indicator the dashboard shows, as JSON (login required).

``month`` is ``YYYY-MM`` (default: the latest computed month) and ``denominator`` one of
``employed`` (BPS Sakernas employed population, the default), ``potential`` (BPJS potential
workers) or ``user``. Figures of different denominators are never mixed in one answer.

The dashboard's endpoints keep their rendered answers per path, query and language while the
facts, denominators and targets stay the same (``indicators.stamp()``); the access check runs on
every request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import TypeAdapter

from jamsostek.core.api import READ, READ_ONE, errors, renderer
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import InvalidField
from jamsostek.coverage import present
from jamsostek.coverage.kept import Kept
from jamsostek.coverage.selectors import denominator_list, region_check, target_list
from jamsostek.rules.periods import Month

router = Router(tags=["coverage"])


class Filters(Schema):
    month: str | None = Field(None, description="YYYY-MM; default: the latest computed month")
    denominator: str = Field("employed", description="employed | potential | user")


class DenominatorOut(Schema):
    value: int
    kind: str
    label: str
    period: str = Field(description="the month the value refers to (YYYY-MM)")
    is_estimate: bool
    method: str = Field(description="how an estimate was made (empty for a published figure)")
    source: str


class TargetOut(Schema):
    percent: Decimal
    year: int
    region: str = Field(description="whose target: the region's own, or the province's standing in")
    own: bool


class FigureOut(Schema):
    region: str
    name: str
    level: str
    month: str
    participants: int = Field(description="protected participants (distinct persons) living in the region")
    ucj: Decimal | None = Field(description="participants / denominator x 100, two decimals; null without one")
    denominator: DenominatorOut | None
    target: TargetOut | None
    gap: int | None = Field(description="workers to enrol to reach the target")
    to_target: float | None = Field(description="UCJ / target (1.0 = reached)")
    segments: dict[str, int] = Field(description="participants by segment: pu, bpu, jakon, pmi")
    payers: dict[str, int] = Field(description="participants by payer: employer, self, budget")


class RankedOut(FigureOut):
    rank: int | None = Field(None, description="1 = highest UCJ among the regencies; null without a denominator")


class ProjectionOut(Schema):
    status: str = Field(description="reached | projected | not at the current pace | not enough data")
    month: str | None = Field(description="when the target is reached at the pace of the last 12 months")
    pace: float | None = Field(description="percentage points per month")
    target: Decimal | None
    target_year: int | None


class ClosingOut(Schema):
    workers: int
    year: int
    per_worker: int = Field(description="rupiah per worker for twelve months")
    total: int = Field(description="rupiah per year for all the workers of the gap")
    package: str
    warnings: list[str]


class DefinitionOut(Schema):
    formula: str
    confirmed: bool
    note: str


class RegionOut(FigureOut):
    projection: ProjectionOut
    closing: ClosingOut | None
    children: list[RankedOut] = Field(description="the regencies (ranked) of the province, the districts of a regency")
    definition: DefinitionOut = Field(description="the UCJ formula used, and whether it is confirmed")


class ComputationOut(Schema):
    months: list[str]
    as_of: date | None = Field(description="payments known on this day")
    computed_at: datetime | None


class DenominatorRecordOut(DenominatorOut):
    region: str


class TargetRecordOut(Schema):
    region: str
    year: int
    percent: Decimal
    source: str


_responses: Kept[bytes] = Kept(2048)  # rendered answers kept per process
_adapters: dict[Any, TypeAdapter[Any]] = {}  # validating and dumping the answers' schemas


def _answer(
    request: HttpRequest, shape: Any, build: Callable[[], Any], check: Callable[[], None] | None = None
) -> HttpResponse:
    """The answer of ``build()`` validated as ``shape`` and rendered as the API renders it, or the
    same bytes again while nothing it depends on has changed. ``build`` checks access (and raises
    404 or 403) itself; ``check`` is the access check to run before an answer kept from before.
    Only answers that were built (200) are kept."""

    def render() -> bytes:
        adapter = _adapters.get(shape)
        if adapter is None:
            adapter = _adapters.setdefault(shape, TypeAdapter(shape))
        data = adapter.dump_python(adapter.validate_python(build()))
        body = renderer.render(request, data, response_status=200)
        return body.encode() if isinstance(body, str) else body

    content, kept = _responses.get((request.get_full_path(), get_language() or ""), render)
    if kept and check is not None:
        check()
    return HttpResponse(content, content_type=renderer.media_type)


def _month_required(answer: present.Query) -> Month:
    if answer.month is None:
        raise InvalidField(_("no coverage has been computed yet"), field="month")
    return answer.month


@router.get("/months", response={200: ComputationOut, **errors(*READ)}, summary="The computed months")
def months(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        current = present.current()
        computation = current.computation
        return {
            "months": [str(month) for month in current.months],
            "as_of": computation.as_of if computation else None,
            "computed_at": computation.computed_at if computation else None,
        }

    return _answer(request, ComputationOut, build)


@router.get(
    "/summary",
    response={200: RegionOut, **errors(400, *READ)},
    summary="The province: headline, projection, cost, ranked regencies",
)
def summary(request: HttpRequest, filters: Query[Filters]) -> HttpResponse:
    region_check(request.user, PROVINCE)

    def build() -> dict[str, Any]:
        answer = present.query(filters.month, filters.denominator)
        return present.region_report(answer.indicators, PROVINCE, _month_required(answer))

    return _answer(request, RegionOut, build)


@router.get("/regencies", response={200: list[RankedOut], **errors(400, *READ)}, summary="The regencies, ranked by UCJ")
def regencies(request: HttpRequest, filters: Query[Filters]) -> HttpResponse:
    region_check(request.user, PROVINCE)

    def build() -> list[dict[str, Any]]:
        answer = present.query(filters.month, filters.denominator)
        month = _month_required(answer)
        return [dict(present.figure(f), rank=rank) for rank, f in answer.indicators.regencies(month)]

    return _answer(request, list[RankedOut], build)


@router.get(
    "/regions/{code}",
    response={200: RegionOut, **errors(400, *READ_ONE)},
    summary="One region: figure, projection, cost, sub-regions",
)
def region(request: HttpRequest, code: str, filters: Query[Filters]) -> HttpResponse:
    def build() -> dict[str, Any]:
        answer = present.query(filters.month, filters.denominator)
        present.region_or_404(answer.indicators, code)
        region_check(request.user, code)
        return present.region_report(answer.indicators, code, _month_required(answer))

    return _answer(request, RegionOut, build, check=lambda: region_check(request.user, code))


@router.get(
    "/regions/{code}/trend",
    response={200: list[FigureOut], **errors(400, *READ_ONE)},
    summary="One region, month by month",
)
def trend(request: HttpRequest, code: str, denominator: str = "employed") -> HttpResponse:
    def build() -> list[dict[str, Any]]:
        answer = present.query(None, denominator)
        present.region_or_404(answer.indicators, code)
        region_check(request.user, code)
        return [present.figure(f) for f in answer.indicators.trend(code)]

    return _answer(request, list[FigureOut], build, check=lambda: region_check(request.user, code))


@router.get(
    "/denominators",
    response={200: list[DenominatorRecordOut], **errors(*READ)},
    summary="Every denominator with its source",
)
def denominators(request: HttpRequest, region: str | None = None) -> list[dict[str, Any]]:
    visible = denominator_list(visible_to=request.user, region=region)
    return [
        {"region": row.region_id, "value": row.value, "kind": row.kind, "label": str(row.get_kind_display()),
         "period": row.period.strftime("%Y-%m"), "is_estimate": row.is_estimate, "method": row.method,
         "source": row.source}
        for row in visible
    ]  # fmt: skip


@router.get("/targets", response={200: list[TargetRecordOut], **errors(*READ)}, summary="Every target with its source")
def targets(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"region": row.region_id, "year": row.year, "percent": row.percent, "source": row.source}
        for row in target_list(visible_to=request.user)
    ]
