"""The registry's REST endpoints. Reads go through the selectors (scoped to the user), writes
through the services (validated, checked against the access policy before and after, audited); a
NIK is masked unless the role needs it. Lists are keyset pages (``core.paging``); writes take an
``Idempotency-Key`` header (``core.idempotency``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from jamsostek.accounts.nik_log import nik_shown
from jamsostek.accounts.policy import for_user
from jamsostek.core.api import ID_MAX, READ, READ_ONE, WRITE, Day, RecordId, errors, links
from jamsostek.core.errors import NotFound
from jamsostek.core.idempotency import IdempotencyKey
from jamsostek.core.paging import Page, PageQuery, Row, columns, page
from jamsostek.registry import selectors, services
from jamsostek.registry.models import Employer, Membership, Person, Project, SponsorProgram
from jamsostek.rules.model import MAX_PMI_MONTHS, MAX_RUPIAH

router = Router(tags=["registry"])
OPERATIONS = "jamsostek_registry_api_"  # the operation ids' prefix (Django Ninja's: module, then function)

NIK = r"^[0-9]{16}$"
KPJ = r"^[0-9]{11}$"
REGENCY = r"^61\.[0-9]{2}$"
DISTRICT = r"^61\.[0-9]{2}\.[0-9]{2}$"
REGION = r"^61(\.[0-9]{2}(\.[0-9]{2})?)?$"
CODE = r"^[A-Za-z0-9._/-]{1,40}$"
NPP = r"^[A-Za-z0-9./-]{1,20}$"
Segment = Literal["pu", "bpu", "jakon", "pmi"]
Sex = Literal["L", "M", "P", "F", "l", "m", "p", "f"]
Reason = Field(min_length=1, max_length=500, description="why: kept in the audit record")


# --- schemas --------------------------------------------------------------------------------------


class RegionRecordOut(Schema):
    code: str = Field(description="Kemendagri code")
    bps_code: str
    name: str
    level: str
    parent: str | None = Field(None, alias="parent_id")
    population: int | None


class PersonOut(Row):
    id: int
    nik: str = Field(description="masked (first 6 and last 2 digits) unless the role needs the NIK")
    name: str
    birth_date: date
    sex: str = Field(description="M or F")
    district: str
    regency: str
    phone: str
    kpj: str | None = Field(description="BPJS Ketenagakerjaan card number; null when absent or the NIK is masked")


class PersonIn(Schema):
    nik: str = Field(pattern=NIK, examples=["6171014506000004"])
    name: str = Field(min_length=1, max_length=150, examples=["Dewi Lestari"])
    birth_date: Day = Field(examples=["2000-06-05"])
    sex: Sex = Field(description="L/M (male) or P/F (female)", examples=["P"])
    district_code: str = Field(pattern=DISTRICT, examples=["61.71.01"])
    phone: str = Field("", max_length=20)
    kpj: str | None = Field(None, pattern=KPJ)
    reason: str = Reason


class PersonChange(Schema):
    """Only the fields given change; the NIK never does."""

    name: str | None = Field(None, min_length=1, max_length=150)
    birth_date: Day | None = None
    sex: Sex | None = None
    district_code: str | None = Field(None, pattern=DISTRICT)
    phone: str | None = Field(None, max_length=20)
    kpj: str | None = Field(None, pattern=KPJ)
    reason: str = Reason


class EmployerOut(Row):
    id: int
    npp: str
    name: str
    kind: str
    kbli: str
    risk_class: int
    size_class: str
    region: str = Field(alias="region_id")
    regency: str = Field(alias="regency_id")
    state_body: bool = Field(description="a state body is not fined for late payment")
    labour_intensive: bool = Field(description="eligible for the PP 7/2025 JKK discount")


EmployerKind = Literal["company", "agency", "village", "contractor"]
EmployerSize = Literal["micro", "small", "medium", "large"]


class EmployerIn(Schema):
    npp: str = Field(pattern=NPP, examples=["K0009876"])
    name: str = Field(min_length=1, max_length=150)
    kind: EmployerKind = "company"
    kbli: str = Field("", pattern=r"^([0-9]{2,5})?$")
    risk_class: int = Field(ge=1, le=5, description="JKK risk class as registered")
    size_class: EmployerSize
    region_code: str = Field(pattern=REGION, description="the regency or district of its address")
    state_body: bool | None = Field(None, description="default: a government agency is one")
    labour_intensive: bool = False
    reason: str = Reason


class EmployerChange(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    kind: EmployerKind | None = None
    kbli: str | None = Field(None, pattern=r"^([0-9]{2,5})?$")
    risk_class: int | None = Field(None, ge=1, le=5)
    size_class: EmployerSize | None = None
    region_code: str | None = Field(None, pattern=REGION)
    state_body: bool | None = None
    labour_intensive: bool | None = None
    reason: str = Reason


class MembershipOut(Row):
    id: int
    person_id: int
    segment: str
    payer: str
    employer_id: int | None
    sponsor_id: int | None
    project_id: int | None
    regency: str = Field(alias="regency_id")
    programs: list[str]
    start_date: date
    end_date: date | None


class WageOut(Schema):
    valid_from: date
    amount: int
    fixed_allowances: int


class MembershipDetailOut(MembershipOut):
    wages: list[WageOut] = Field(description="every reported wage or declared income, oldest first")


class MembershipIn(Schema):
    person_id: int = Field(ge=1, le=ID_MAX)
    segment: Segment
    start_date: Day
    wage: int | None = Field(None, ge=0, le=MAX_RUPIAH, description="monthly wage (PU, Jakon) or income (BPU)")
    fixed_allowances: int = Field(0, ge=0, le=MAX_RUPIAH)
    npp: str | None = Field(None, pattern=NPP)
    sponsor_code: str | None = Field(None, pattern=CODE)
    project_code: str | None = Field(None, pattern=CODE)
    jht: bool | None = None
    jp: bool | None = None
    jkp: bool | None = None
    contract_months: int | None = Field(None, ge=1, le=MAX_PMI_MONTHS)
    pre_departure: bool = False
    reason: str = Reason


class EndIn(Schema):
    end_date: Day
    reason: str = Reason


class WageIn(Schema):
    valid_from: Day
    amount: int = Field(ge=0, le=MAX_RUPIAH)
    fixed_allowances: int = Field(0, ge=0, le=MAX_RUPIAH)
    reason: str = Reason


class SponsorProgramOut(Row):
    id: int
    code: str
    name: str
    kind: str
    region: str = Field(alias="region_id")
    budget_line: str
    year: int
    quota: int
    with_jht: bool
    income_nominal: int
    start_date: date
    end_date: date


class SponsorProgramIn(Schema):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=150)
    kind: Literal["province_budget", "regency_budget", "village_budget", "csr"]
    region_code: str = Field(pattern=REGION, description="the funding government's region")
    year: int = Field(ge=2015, le=2100)
    quota: int = Field(ge=1, le=10_000_000)
    start_date: Day
    end_date: Day
    budget_line: str = Field("", max_length=200)
    with_jht: bool = False
    income_nominal: int = Field(1_000_000, ge=0, le=MAX_RUPIAH)
    reason: str = Reason


class ProjectOut(Row):
    id: int
    code: str
    name: str
    employer_id: int
    region: str = Field(alias="region_id")
    contract_value: int
    start_date: date
    end_date: date


class ProjectIn(Schema):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=150)
    npp: str = Field(pattern=NPP, description="the contractor's NPP")
    region_code: str = Field(pattern=REGION, description="where the work is done")
    contract_value: int = Field(ge=0, le=MAX_RUPIAH, description="excluding VAT")
    start_date: Day
    end_date: Day
    reason: str = Reason


class PersonFilters(PageQuery):
    search: str | None = Field(None, min_length=1, max_length=150, description="a full NIK or a part of the name")
    nik: str | None = Field(None, pattern=NIK)
    kpj: str | None = Field(None, pattern=KPJ)
    regency: str | None = Field(None, pattern=REGENCY)
    district: str | None = Field(None, pattern=DISTRICT)


class EmployerFilters(PageQuery):
    search: str | None = Field(None, min_length=1, max_length=150, description="an NPP or a part of the name")
    npp: str | None = Field(None, pattern=NPP)
    regency: str | None = Field(None, pattern=REGENCY)
    kind: EmployerKind | None = None


class MembershipFilters(PageQuery):
    person_id: int | None = Field(None, ge=1, le=ID_MAX)
    segment: Segment | None = None
    regency: str | None = Field(None, pattern=REGENCY)
    employer_id: int | None = Field(None, ge=1, le=ID_MAX)
    sponsor_id: int | None = Field(None, ge=1, le=ID_MAX)
    payer: Literal["employer", "participant", "sponsor"] | None = None
    active_on: Day | None = Field(None, description="only memberships running on this day")


# --- answers --------------------------------------------------------------------------------------


# The columns an answer is made of: a page reads these alone (``page(..., fields=...)``), a single
# record is read into the same shape (``_values``), so both go through one function.
PERSON_COLUMNS = ("id", "nik", "name", "birth_date", "sex", "region_id", "regency_id", "phone", "kpj")
PROGRAMS = ("jkk", "jkm", "jht", "jp", "jkp")
MEMBERSHIP_COLUMNS = ("id", "person_id", "segment", "payer", "employer_id", "sponsor_id", "project_id", "regency_id",
                      "start_date", "end_date", *PROGRAMS)  # fmt: skip


def _values(record: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _persons(request: HttpRequest, persons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The persons (``PERSON_COLUMNS``) as the user may see them (the NIK and KPJ masked unless the role
    needs them); the full NIKs shown are recorded (``accounts.nik_log``), one insert for the page."""
    policy = for_user(request.user)
    shown = nik_shown(request.user, [(person["id"], person["nik"]) for person in persons], f"api:{request.path}")
    return [
        {"id": person["id"], "nik": shown[person["id"]], "name": person["name"], "birth_date": person["birth_date"],
         "sex": person["sex"], "district": person["region_id"], "regency": person["regency_id"],
         "phone": person["phone"], "kpj": person["kpj"] if policy.sees_nik else None}
        for person in persons
    ]  # fmt: skip


def _person(request: HttpRequest, person: Person) -> dict[str, Any]:
    return _persons(request, [_values(person, PERSON_COLUMNS)])[0]


def _memberships(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Memberships (``MEMBERSHIP_COLUMNS``) as the API answers them: the programs as a list of names."""
    return [
        {**{name: row[name] for name in MEMBERSHIP_COLUMNS if name not in PROGRAMS},
         "programs": [name for name in PROGRAMS if row[name]]}
        for row in rows
    ]  # fmt: skip


def _membership(membership: Membership) -> dict[str, Any]:
    return _memberships([_values(membership, MEMBERSHIP_COLUMNS)])[0]


def _detail(membership: Membership) -> dict[str, Any]:
    wages = membership.wages.order_by("valid_from").values("valid_from", "amount", "fixed_allowances")
    return {**_membership(membership), "wages": list(wages)}


def _by(rows: QuerySet[Any], field: str, value: str | None, name: str) -> Any:
    """The record of ``rows`` (already limited to what the user may see) with ``field`` = ``value``."""
    if not value:
        return None
    found = rows.filter(**{field: value}).first()
    if found is None:
        raise NotFound(_("no record with this code that you may see"), field=name)
    return found


# --- regions --------------------------------------------------------------------------------------


@router.get(
    "/regions", response={200: list[RegionRecordOut], **errors(*READ)},
    summary="Regions of Kalimantan Barat (province, regencies, districts)",
)  # fmt: skip
def list_regions(request: HttpRequest, level: Literal["province", "regency", "district"] | None = None) -> Any:
    return selectors.region_list(level=level)


# --- persons --------------------------------------------------------------------------------------


@router.get("/persons", response={200: Page[PersonOut], **errors(*READ)}, summary="Persons the user may see")
def list_persons(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    persons = selectors.person_list(
        visible_to=request.user, search=filters.search, regency_code=filters.regency,
        district_code=filters.district, nik=filters.nik, kpj=filters.kpj,
    )  # fmt: skip
    return page(persons.select_related(None), filters, lambda rows: _persons(request, rows), fields=PERSON_COLUMNS)


@router.get("/persons/{person_id}", response={200: PersonOut, **errors(*READ_ONE)})
def get_person(request: HttpRequest, person_id: RecordId) -> Any:
    return _person(request, selectors.person_get(visible_to=request.user, pk=person_id))


@router.post(
    "/persons", response={201: PersonOut, **errors(*WRITE)}, summary="Register a person (validated against the NIK)",
    openapi_extra=links(201, "person_id", f"{OPERATIONS}get_person", f"{OPERATIONS}update_person",
                        f"{OPERATIONS}person_memberships"),
)  # fmt: skip
def register_person(request: HttpRequest, payload: PersonIn, idempotency: IdempotencyKey = None) -> Any:
    person = services.person_register(
        actor=request.user, nik=payload.nik, name=payload.name, birth_date=payload.birth_date, sex=payload.sex,
        region_code=payload.district_code, phone=payload.phone, kpj=payload.kpj, reason=payload.reason,
    )  # fmt: skip
    return Status(201, _person(request, person))


@router.patch("/persons/{person_id}", response={200: PersonOut, **errors(*WRITE)},
              summary="Change a person's details (not the NIK)")  # fmt: skip
def update_person(
    request: HttpRequest, person_id: int, payload: PersonChange, idempotency: IdempotencyKey = None
) -> Any:
    person = selectors.person_get(visible_to=request.user, pk=person_id)
    given = payload.dict(exclude_unset=True)
    reason = given.pop("reason")
    if "district_code" in given:
        given["region_code"] = given.pop("district_code")
    person = services.person_update(actor=request.user, person=person, reason=reason, **given)
    return _person(request, person)


@router.get("/persons/{person_id}/memberships", response={200: list[MembershipOut], **errors(*READ_ONE)},
            summary="A person's memberships, newest first")  # fmt: skip
def person_memberships(request: HttpRequest, person_id: RecordId) -> Any:
    person = selectors.person_get(visible_to=request.user, pk=person_id)
    return _memberships(
        list(selectors.membership_list(visible_to=request.user, person_id=person.pk).values(*MEMBERSHIP_COLUMNS))
    )


# --- employers ------------------------------------------------------------------------------------


@router.get("/employers", response={200: Page[EmployerOut], **errors(*READ)})
def list_employers(request: HttpRequest, filters: Query[EmployerFilters]) -> Any:
    employers = selectors.employer_list(visible_to=request.user, search=filters.search, regency_code=filters.regency,
                                        kind=filters.kind, npp=filters.npp)  # fmt: skip
    return page(employers.select_related(None), filters, fields=columns(EmployerOut))


@router.get("/employers/{employer_id}", response={200: EmployerOut, **errors(*READ_ONE)})
def get_employer(request: HttpRequest, employer_id: RecordId) -> Any:
    return selectors.employer_get(visible_to=request.user, pk=employer_id)


@router.post(
    "/employers",
    response={201: EmployerOut, **errors(*WRITE)},
    summary="Register an employer by NPP",
    openapi_extra=links(201, "employer_id", f"{OPERATIONS}get_employer", f"{OPERATIONS}update_employer"),
)
def register_employer(request: HttpRequest, payload: EmployerIn, idempotency: IdempotencyKey = None) -> Any:
    employer = services.employer_register(
        actor=request.user, npp=payload.npp, name=payload.name, kind=payload.kind, kbli=payload.kbli,
        risk_class=payload.risk_class, size_class=payload.size_class, region_code=payload.region_code,
        state_body=payload.state_body, labour_intensive=payload.labour_intensive, reason=payload.reason,
    )  # fmt: skip
    return Status(201, employer)


@router.patch("/employers/{employer_id}", response={200: EmployerOut, **errors(*WRITE)},
              summary="Change an employer's details (not the NPP)")  # fmt: skip
def update_employer(
    request: HttpRequest, employer_id: int, payload: EmployerChange, idempotency: IdempotencyKey = None
) -> Any:
    employer = selectors.employer_get(visible_to=request.user, pk=employer_id)
    given = payload.dict(exclude_unset=True)
    reason = given.pop("reason")
    return services.employer_update(actor=request.user, employer=employer, reason=reason, **given)


# --- memberships ----------------------------------------------------------------------------------


@router.get("/memberships", response={200: Page[MembershipOut], **errors(*READ)})
def list_memberships(request: HttpRequest, filters: Query[MembershipFilters]) -> Any:
    memberships = selectors.membership_list(
        visible_to=request.user, active=filters.active_on, segment=filters.segment, person_id=filters.person_id,
        regency_code=filters.regency, employer_id=filters.employer_id, sponsor_id=filters.sponsor_id,
        payer=filters.payer,
    )  # fmt: skip
    return page(memberships.select_related(None), filters, _memberships, descending=True, fields=MEMBERSHIP_COLUMNS)


@router.get("/memberships/{membership_id}", response={200: MembershipDetailOut, **errors(*READ_ONE)})
def get_membership(request: HttpRequest, membership_id: RecordId) -> Any:
    return _detail(selectors.membership_get(visible_to=request.user, pk=membership_id))


@router.post(
    "/memberships", response={201: MembershipOut, **errors(*WRITE)}, summary="Enrol a person in a segment",
    openapi_extra=links(201, "membership_id", f"{OPERATIONS}get_membership", f"{OPERATIONS}end",
                        f"{OPERATIONS}report_wage"),
)  # fmt: skip
def enrol(request: HttpRequest, payload: MembershipIn, idempotency: IdempotencyKey = None) -> Any:
    person = selectors.person_get(visible_to=request.user, pk=payload.person_id)
    employer = _by(selectors.employer_list(visible_to=request.user), "npp", payload.npp, "npp")
    sponsor = _by(selectors.sponsor_program_list(visible_to=request.user), "code", payload.sponsor_code, "sponsor_code")
    project = _by(selectors.project_list(visible_to=request.user), "code", payload.project_code, "project_code")
    membership = services.membership_enrol(
        actor=request.user, person=person, segment=payload.segment, start_date=payload.start_date, wage=payload.wage,
        fixed_allowances=payload.fixed_allowances, employer=employer, sponsor=sponsor, project=project,
        jht=payload.jht, jp=payload.jp, jkp=payload.jkp, contract_months=payload.contract_months,
        pre_departure=payload.pre_departure, reason=payload.reason,
    )  # fmt: skip
    return Status(201, _membership(membership))


@router.post("/memberships/{membership_id}/end", response={200: MembershipOut, **errors(*WRITE)},
             summary="End a membership")  # fmt: skip
def end(request: HttpRequest, membership_id: RecordId, payload: EndIn, idempotency: IdempotencyKey = None) -> Any:
    membership = selectors.membership_get(visible_to=request.user, pk=membership_id)
    ended = services.membership_end(
        actor=request.user, membership=membership, end_date=payload.end_date, reason=payload.reason
    )
    return _membership(ended)


@router.post("/memberships/{membership_id}/wages", response={201: MembershipDetailOut, **errors(*WRITE)},
             summary="Report a new wage (or declared income) from a date")  # fmt: skip
def report_wage(
    request: HttpRequest, membership_id: RecordId, payload: WageIn, idempotency: IdempotencyKey = None
) -> Any:
    membership = selectors.membership_get(visible_to=request.user, pk=membership_id)
    services.membership_report_wage(
        actor=request.user, membership=membership, valid_from=payload.valid_from, amount=payload.amount,
        fixed_allowances=payload.fixed_allowances, reason=payload.reason,
    )  # fmt: skip
    return Status(201, _detail(membership))


# --- sponsor programs and projects ----------------------------------------------------------------


@router.get("/sponsor-programs", response={200: Page[SponsorProgramOut], **errors(*READ)})
def list_sponsor_programs(request: HttpRequest, paging: Query[PageQuery]) -> Any:
    return page(
        selectors.sponsor_program_list(visible_to=request.user).select_related(None),
        paging,
        fields=columns(SponsorProgramOut),
    )


@router.get("/sponsor-programs/{program_id}", response={200: SponsorProgramOut, **errors(*READ_ONE)})
def get_sponsor_program(request: HttpRequest, program_id: RecordId) -> Any:
    return selectors.sponsor_program_get(visible_to=request.user, pk=program_id)


@router.post("/sponsor-programs", response={201: SponsorProgramOut, **errors(*WRITE)},
             summary="A budget that pays contributions for a cohort")  # fmt: skip
def create_sponsor_program(request: HttpRequest, payload: SponsorProgramIn, idempotency: IdempotencyKey = None) -> Any:
    program: SponsorProgram = services.sponsor_program_create(
        actor=request.user, code=payload.code, name=payload.name, kind=payload.kind, region_code=payload.region_code,
        year=payload.year, quota=payload.quota, start_date=payload.start_date, end_date=payload.end_date,
        budget_line=payload.budget_line, with_jht=payload.with_jht, income_nominal=payload.income_nominal,
        reason=payload.reason,
    )  # fmt: skip
    return Status(201, program)


@router.get("/projects", response={200: Page[ProjectOut], **errors(*READ)})
def list_projects(request: HttpRequest, paging: Query[PageQuery]) -> Any:
    return page(
        selectors.project_list(visible_to=request.user).select_related(None), paging, fields=columns(ProjectOut)
    )


@router.get("/projects/{project_id}", response={200: ProjectOut, **errors(*READ_ONE)})
def get_project(request: HttpRequest, project_id: RecordId) -> Any:
    return selectors.project_get(visible_to=request.user, pk=project_id)


@router.post("/projects", response={201: ProjectOut, **errors(*WRITE)}, summary="A construction project (Jakon)")
def create_project(request: HttpRequest, payload: ProjectIn, idempotency: IdempotencyKey = None) -> Any:
    employer: Employer = _by(selectors.employer_list(visible_to=request.user), "npp", payload.npp, "npp")
    project: Project = services.project_create(
        actor=request.user, code=payload.code, name=payload.name, employer=employer, region_code=payload.region_code,
        contract_value=payload.contract_value, start_date=payload.start_date, end_date=payload.end_date,
        reason=payload.reason,
    )  # fmt: skip
    return Status(201, project)
