"""The drives' REST endpoints: funding, candidate lists (imported through the page or the command
line: a file upload is not a JSON call), drives and their steps, renewals and planning. Reads go
through the selectors (scoped to the user), writes through the services (validated, asked of the
access policy, audited); every operation declares its error answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator

from jamsostek.core.api import READ, READ_ONE, WRITE, Day, RecordId, errors
from jamsostek.core.constants import LAST_DAY
from jamsostek.core.errors import InvalidField, NotFound
from jamsostek.core.paging import Page, PageQuery, page
from jamsostek.drives import present, selectors, services
from jamsostek.registry import selectors as registry
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month

FIRST_YEAR = selectors.FIRST_PLAN_YEAR
MAX_BUDGET = 10**15
"""A budget beyond Rp1,000 trillion (the national budget is about Rp3,600 trillion) is a typing error."""
YearQuery = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_DAY.year, description="a year")]

router = Router(tags=["drives"])


class FundingRuleOut(Schema):
    source: str
    pays_for: list[str]
    region: str | None = Field(description="a regency code; null: the whole province")
    valid_from: date
    valid_until: date | None
    reference: str
    url: str | None
    confirmed: bool
    note: str


class FundingOut(Schema):
    program: str
    program_name: str
    region: str
    source: str
    fiscal_year: int
    budget_ceiling: int
    owner: str | None
    instrument: str
    prepare_levels: list[str]
    approve_levels: list[str]
    programs: list[str]
    income: int
    quota: int
    start_date: date
    end_date: date


class FundingIn(Schema):
    program: str = Field(description="the sponsor program's code")
    source: str = Field(description="province_apbd, regency_apbd, apbdes, dana_desa, add, dbh_sawit, csr or other")
    budget_ceiling: int = Field(ge=0, le=MAX_BUDGET, description="rupiah")
    instrument_kind: str = Field(description="pergub, kepgub, perbup, kepbup, perdes, dpa, mou or other")
    instrument_number: str
    instrument_date: Day
    prepare_levels: list[str] = Field(description="employer, regency and/or province")
    approve_levels: list[str] = Field(description="employer, regency and/or province")
    owner_npp: str | None = Field(None, description="the agency or village government holding the budget")
    reason: str


class ListOut(Schema):
    id: int
    name: str
    source: str
    source_date: date
    region: str
    owner: str | None
    default_category: str
    checked_on: date
    rows: int
    usable: int
    rejected: int
    imported_by: str


class CandidateOut(Schema):
    row: int
    nik: str = Field(description="masked unless the role sees NIKs")
    name: str
    birth_date: date | None
    sex: str
    district: str
    village: str
    category: str
    status: str = Field(description="usable or rejected")
    field: str
    reason: str = Field(description="why the row was rejected, in the session's language")
    match: str = Field(description="new, registered, protected or lapsed (usable rows)")
    protected_segment: str
    protected_payer: str
    protected_by: str = Field(description="named only to a reader who may see that membership's region")
    last_end: date | None
    in_other_lists: int


class ExcludedOut(Schema):
    count: int
    reason: str


class DriveOut(Schema):
    id: int
    code: str
    name: str
    program: str
    region: str
    source: str
    fiscal_year: int
    first_month: str
    months: int
    status: str
    members: int
    cost: int = Field(description="exact, rupiah, for the drive's months (the rules' batch path)")
    budget_ceiling: int
    cost_notes: list[str]
    quotas: dict[str, int]
    excluded: dict[str, ExcludedOut]
    prepared_by: str
    decided_by: str | None
    decision_note: str
    enrolled_by: str | None
    protected_from: date | None
    renewal_of: str | None


class DriveIn(Schema):
    program: str = Field(description="the funded sponsor program's code")
    code: str
    name: str
    lists: list[int] = Field(description="candidate lists, in the order people are taken")
    categories: list[str] | None = None
    quotas: dict[str, int] | None = Field(None, description="district code, or 'district/village', to persons")
    first_month: str | None = Field(None, description="YYYY-MM (default: the program's first month)")
    on: Day | None = Field(None, description="the day protection is checked (default today)")
    reason: str


class StepIn(Schema):
    reason: str
    on: Day | None = Field(None, description="enrolment: protected from this day's month (default today)")


class RenewIn(Schema):
    program: str = Field(description="the sponsor program funded for the next fiscal year")
    code: str
    name: str | None = None
    reason: str


class MemberOut(Schema):
    nik: str
    name: str
    birth_date: date
    sex: str
    district: str
    village: str
    category: str
    cost: int
    status: str
    not_enrolled_because: str


class RenewalDriveOut(Schema):
    drive: str
    name: str
    program: str
    enrolled: int
    lapsing: int
    renewal: str | None


class RegencyLossOut(Schema):
    region: str
    name: str
    lapsing: int
    participants: int
    denominator: int | None
    ucj: Decimal | None
    ucj_after: Decimal | None
    loss: Decimal | None = Field(description="percentage points of UCJ lost if they lapse")


class RenewalsOut(Schema):
    year: int
    listed: bool = Field(description="false before October: drives are listed for renewal from October")
    month: str | None = Field(description="the computed coverage month the UCJ is taken from")
    lapsing: int
    drives: list[RenewalDriveOut]
    regencies: list[RegencyLossOut]


class MonthOut(Schema):
    month: int
    participants: int
    ucj: Decimal | None


class BudgetPlanOut(Schema):
    region: str
    name: str
    year: int
    budget: int
    package: str
    cost_per_worker: int
    workers: int
    cost: int
    left: int
    room: int
    participants: int
    denominator: int | None
    months: list[MonthOut]


class PackageOut(Schema):
    key: str
    name: str
    months: int
    with_jht: bool
    cost_per_worker: int


class PlanRegencyOut(Schema):
    region: str
    name: str
    room: int
    need: int
    workers: int
    cost: int


class BudgetLineOut(Schema):
    region: str
    name: str
    source: str
    workers: int
    cost: int


class PlanLineOut(Schema):
    region: str
    source: str
    package: str
    workers: int
    cost: int


class TargetPlanOut(Schema):
    year: int
    month: int
    mode: str
    percent: Decimal | None
    coverage_month: str | None
    denominator: str
    sources: list[str]
    packages: list[PackageOut]
    province_need: int
    missing_targets: list[str] = Field(description="regions without a target (or denominator) for the year: no need")
    needed: int
    workers: int
    cost: int
    reached: bool
    shortfall: int
    regency_shortfalls: dict[str, int]
    regencies: list[PlanRegencyOut]
    budget: list[BudgetLineOut] = Field(description="the budget per regency and funding source")
    lines: list[PlanLineOut]
    months: list[MonthOut]


def _blank_is_none(value: Any) -> Any:
    """An empty query value (``percent=``) is a value not given."""
    return None if value == "" else value


class TargetFilters(Schema):
    year: int = Field(ge=FIRST_YEAR, le=LAST_DAY.year)
    month: int = Field(12, ge=1, le=12)
    mode: str | None = Field(None, description="province, regencies or both (default: the reader's own region)")
    percent: Annotated[float | None, BeforeValidator(_blank_is_none)] = Field(
        None, ge=0, le=100, description="replaces the published targets (a number: 65.77)"
    )
    sources: list[str] | None = None
    packages: list[str] | None = None
    ceilings: list[str] | None = Field(None, description="source:rupiah, e.g. dbh_sawit:907000000")
    denominator: str = "employed"


# --- funding ----------------------------------------------------------------------------------


@router.get(
    "/funding-rules",
    response={200: list[FundingRuleOut], **errors(*READ)},
    summary="Who may pay for whom: funding sources, the categories they may pay for, with citations",
)
def funding_rules(request: HttpRequest) -> Any:
    return [present.funding_rule(rule) for rule in selectors.funding_rule_list()]


@router.get("/fundings", response={200: list[FundingOut], **errors(*READ)}, summary="Funded sponsor programs")
def fundings(request: HttpRequest, year: YearQuery | None = None) -> Any:
    return [present.funding(item) for item in selectors.funding_list(visible_to=request.user, year=year)]


@router.post("/fundings", response={201: FundingOut, **errors(*WRITE)}, summary="Fund a sponsor program")
def fund(request: HttpRequest, payload: FundingIn) -> Any:
    program = _program(request, payload.program)
    owner = None
    if payload.owner_npp:
        owner = registry.employer_list(visible_to=request.user).filter(npp=payload.owner_npp).first()
        if owner is None:
            raise NotFound(_("no record with this code that you may see"), field="owner_npp")
    funding = services.funding_set(
        actor=request.user,
        program=program,
        source=payload.source,
        budget_ceiling=payload.budget_ceiling,
        instrument_kind=payload.instrument_kind,
        instrument_number=payload.instrument_number,
        instrument_date=payload.instrument_date,
        prepare_levels=payload.prepare_levels,
        approve_levels=payload.approve_levels,
        owner=owner,
        reason=payload.reason,
    )
    return Status(201, present.funding(funding))


def _program(request: HttpRequest, code: str) -> Any:
    program = registry.sponsor_program_list(visible_to=request.user).filter(code=code).first()
    if program is None:
        raise NotFound(_("no record with this code that you may see"), field="program")
    return program


# --- lists ------------------------------------------------------------------------------------


class ListFilters(PageQuery):
    pass


class CandidateFilters(PageQuery):
    status: str | None = Field(None, description="usable or rejected")
    match: str | None = Field(None, description="new, registered, protected or lapsed")


class DriveFilters(PageQuery):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_DAY.year, description="the fiscal year")
    status: str | None = None


class MemberFilters(PageQuery):
    status: str | None = None


@router.get("/lists", response={200: Page[ListOut], **errors(*READ)}, summary="Candidate lists the user may see")
def lists(request: HttpRequest, paging: Query[ListFilters]) -> Any:
    rows = selectors.candidate_list_list(visible_to=request.user)
    return page(rows, paging, lambda chunk: [present.candidate_list(item) for item in chunk], descending=True)


@router.get("/lists/{list_id}", response={200: ListOut, **errors(*READ_ONE)})
def get_list(request: HttpRequest, list_id: RecordId) -> Any:
    return present.candidate_list(selectors.candidate_list_get(visible_to=request.user, pk=list_id))


@router.get(
    "/lists/{list_id}/candidates",
    response={200: Page[CandidateOut], **errors(*READ_ONE)},
    summary="A list's rows in file order: the rejected ones with their reason, the usable ones with what the "
    "registry says",
)
def candidates(request: HttpRequest, list_id: RecordId, filters: Query[CandidateFilters]) -> Any:
    listed = selectors.candidate_list_get(visible_to=request.user, pk=list_id)
    rows = selectors.candidate_rows(visible_to=request.user, listed=listed, status=filters.status, match=filters.match)
    return page(rows, filters, lambda chunk: present.candidates(request.user, chunk, f"api:{request.path}"))


# --- drives -----------------------------------------------------------------------------------


@router.get("/drives", response={200: Page[DriveOut], **errors(*READ)}, summary="Drives the user may see, newest first")
def drives(request: HttpRequest, filters: Query[DriveFilters]) -> Any:
    rows = selectors.drive_list(visible_to=request.user, year=filters.year, status=filters.status)
    return page(rows, filters, lambda chunk: [present.drive(item) for item in chunk], descending=True)


@router.get("/drives/{drive_id}", response={200: DriveOut, **errors(*READ_ONE)})
def get_drive(request: HttpRequest, drive_id: RecordId) -> Any:
    return present.drive(selectors.drive_get(visible_to=request.user, pk=drive_id))


@router.get("/drives/{drive_id}/members", response={200: Page[MemberOut], **errors(*READ_ONE)})
def members(request: HttpRequest, drive_id: RecordId, filters: Query[MemberFilters]) -> Any:
    drive = selectors.drive_get(visible_to=request.user, pk=drive_id)
    rows = selectors.drive_members(visible_to=request.user, drive=drive, status=filters.status)
    return page(rows, filters, lambda chunk: present.members(request.user, chunk, f"api:{request.path}"))


@router.post(
    "/drives",
    response={201: DriveOut, **errors(*WRITE)},
    summary="Prepare a drive: choose its people from candidate lists, freeze them, price them",
)
def prepare(request: HttpRequest, payload: DriveIn) -> Any:
    program = selectors.funded_program_get(visible_to=request.user, code=payload.program)
    chosen = [selectors.candidate_list_get(visible_to=request.user, pk=pk) for pk in payload.lists]
    first = None
    if payload.first_month:
        try:
            first = Month.parse(payload.first_month, field="first_month")
        except InvalidInput:
            raise InvalidField(_("must be a month written YYYY-MM"), field="first_month") from None
    drive = services.drive_prepare(
        actor=request.user,
        program=program,
        code=payload.code,
        name=payload.name,
        lists=chosen,
        categories=payload.categories,
        quotas=payload.quotas,
        first_month=first,
        on=payload.on,
        reason=payload.reason,
    )
    return Status(201, present.drive(drive))


@router.post(
    "/drives/{drive_id}/approve",
    response={200: DriveOut, **errors(*WRITE)},
    summary="Approve a drive (not its preparer; within the budget ceiling)",
)
def approve(request: HttpRequest, drive_id: RecordId, payload: StepIn) -> Any:
    drive = selectors.drive_get(visible_to=request.user, pk=drive_id)
    return present.drive(services.drive_approve(actor=request.user, drive=drive, reason=payload.reason))


@router.post("/drives/{drive_id}/reject", response={200: DriveOut, **errors(*WRITE)}, summary="Reject a drive")
def reject(request: HttpRequest, drive_id: RecordId, payload: StepIn) -> Any:
    drive = selectors.drive_get(visible_to=request.user, pk=drive_id)
    return present.drive(services.drive_reject(actor=request.user, drive=drive, reason=payload.reason))


@router.post(
    "/drives/{drive_id}/enrol",
    response={200: DriveOut, **errors(*WRITE)},
    summary="Enrol an approved drive in one transaction (sponsored BPU memberships, billed to the sponsor)",
)
def enrol(request: HttpRequest, drive_id: RecordId, payload: StepIn) -> Any:
    drive = selectors.drive_get(visible_to=request.user, pk=drive_id)
    return present.drive(services.drive_enrol(actor=request.user, drive=drive, on=payload.on, reason=payload.reason))


@router.post(
    "/drives/{drive_id}/renew",
    response={201: DriveOut, **errors(*WRITE)},
    summary="Carry an enrolled drive's people into next year's funded program, checked again",
)
def renew(request: HttpRequest, drive_id: RecordId, payload: RenewIn) -> Any:
    drive = selectors.drive_get(visible_to=request.user, pk=drive_id)
    program = selectors.funded_program_get(visible_to=request.user, code=payload.program)
    renewal = services.drive_renew(
        actor=request.user, drive=drive, program=program, code=payload.code, name=payload.name, reason=payload.reason
    )
    return Status(201, present.drive(renewal))


@router.get(
    "/renewals",
    response={200: RenewalsOut, **errors(*READ)},
    summary="From October: drives to renew, who would lapse, the UCJ each regency would lose",
)
def renewals(request: HttpRequest, on: Day | None = None) -> Any:
    return present.renewals(selectors.renewal_list(visible_to=request.user, on=on or timezone.localdate()))


# --- planning ---------------------------------------------------------------------------------


@router.get(
    "/plan/budget",
    response={200: BudgetPlanOut, **errors(400, *READ)},
    summary="What a budget buys in a region: workers protected and the UCJ month by month",
)
def plan_budget(
    request: HttpRequest,
    region: str,
    budget: Annotated[int, Query(ge=0, le=MAX_BUDGET, description="rupiah")],
    year: YearQuery,
    package: str = "jkk_jkm_12",
    denominator: str = "employed",
) -> Any:
    answer = selectors.plan_budget(
        visible_to=request.user, region=region, budget=budget, package=package, year=year, kind=denominator
    )
    return present.budget_plan(answer)


@router.get(
    "/plan/target",
    response={200: TargetPlanOut, **errors(400, *READ)},
    summary="The cheapest allocation across regencies, funding sources and packages that reaches a target",
)
def plan_target(request: HttpRequest, filters: Query[TargetFilters]) -> Any:
    plan = selectors.plan_target(
        visible_to=request.user,
        year=filters.year,
        month=filters.month,
        mode=filters.mode,
        percent=None if filters.percent is None else Decimal(str(filters.percent)),
        sources=filters.sources,
        packages=filters.packages,
        ceilings=parse_ceilings(filters.ceilings or []),
        kind=filters.denominator,
    )
    return present.target_plan(plan)


def parse_ceilings(items: list[str]) -> dict[str, int]:
    """``source:rupiah`` items as a mapping."""
    ceilings = {}
    for item in items:
        source, _colon, amount = item.partition(":")
        if not amount.isdigit():
            raise InvalidField(_("write a ceiling as source:rupiah"), field="ceilings")
        ceilings[source.strip()] = int(amount)
    return ceilings
