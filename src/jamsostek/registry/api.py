"""The registry's REST endpoints. Reads go through the selectors (scoped to the user), writes
through the services (validated and audited); a NIK is masked unless the role needs it."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from jamsostek.accounts.nik_log import nik_shown
from jamsostek.core.api import READ, READ_ONE, WRITE, errors
from jamsostek.core.errors import NotFound
from jamsostek.registry import selectors, services
from jamsostek.registry.models import Membership, Person

router = Router(tags=["registry"])


class RegionOut(Schema):
    code: str = Field(description="Kemendagri code")
    bps_code: str
    name: str
    level: str
    parent: str | None = Field(None, alias="parent_id")
    population: int | None


class PersonOut(Schema):
    id: int
    nik: str = Field(description="masked (first 6 and last 2 digits) unless the role needs the NIK")
    name: str
    birth_date: date
    sex: str
    district: str
    regency: str
    phone: str


class PersonIn(Schema):
    nik: str
    name: str
    birth_date: date
    sex: str = Field(description="L/M (male) or P/F (female)")
    district_code: str
    phone: str = ""
    kpj: str | None = None
    reason: str = Field(description="why: kept in the audit record")


class EmployerOut(Schema):
    id: int
    npp: str
    name: str
    kind: str
    kbli: str
    risk_class: int
    size_class: str
    regency: str = Field(alias="regency_id")


class MembershipOut(Schema):
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


class MembershipIn(Schema):
    person_id: int
    segment: str = Field(description="pu, bpu, jakon or pmi")
    start_date: date
    wage: int | None = Field(None, description="monthly wage (PU, Jakon) or declared income (BPU)")
    fixed_allowances: int = 0
    npp: str | None = None
    sponsor_code: str | None = None
    project_code: str | None = None
    jht: bool | None = None
    jp: bool | None = None
    jkp: bool | None = None
    contract_months: int | None = None
    pre_departure: bool = False
    reason: str


class EndIn(Schema):
    end_date: date
    reason: str


def _person(request: HttpRequest, person: Person, nik: str | None = None) -> dict[str, Any]:
    """A person as the API answers it; ``nik`` as ``accounts.nik_log.nik_shown`` gave it (asked here
    for one person when not given: a full NIK is recorded as shown)."""
    if nik is None:
        nik = nik_shown(request.user, [(person.pk, person.nik)], f"api:{request.path}")[person.pk]
    return {
        "id": person.pk,
        "nik": nik,
        "name": person.name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "district": person.region_id,
        "regency": person.regency_id,
        "phone": person.phone,
    }


def _membership(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "person_id": membership.person_id,
        "segment": membership.segment,
        "payer": membership.payer,
        "employer_id": membership.employer_id,
        "sponsor_id": membership.sponsor_id,
        "project_id": membership.project_id,
        "regency_id": membership.regency_id,
        "programs": [name for name in ("jkk", "jkm", "jht", "jp", "jkp") if getattr(membership, name)],
        "start_date": membership.start_date,
        "end_date": membership.end_date,
    }


@router.get(
    "/regions",
    response={200: list[RegionOut], **errors(*READ)},
    summary="Regions of Kalimantan Barat (province, regencies, districts)",
)
def list_regions(request: HttpRequest, level: str | None = None) -> Any:
    return selectors.region_list(level=level)


@router.get("/persons", response={200: list[PersonOut], **errors(*READ)}, summary="Persons the user may see")
@paginate(LimitOffsetPagination)
def list_persons(request: HttpRequest, search: str | None = None, regency: str | None = None) -> Any:
    persons = selectors.person_list(visible_to=request.user, search=search, regency_code=regency)
    return _PersonPage(request, persons)


class _PersonPage:
    """The persons of a list, answered a page at a time: only the page the paging slices is read and
    shown, and its full NIKs are recorded in one insert (``nik_shown``), not the whole list's."""

    def __init__(self, request: HttpRequest, persons: QuerySet[Person]) -> None:
        self.request, self.persons = request, persons

    def __len__(self) -> int:
        return self.persons.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        rows = list(self.persons[page])
        shown = nik_shown(self.request.user, [(row.pk, row.nik) for row in rows], f"api:{self.request.path}")
        return [_person(self.request, row, shown[row.pk]) for row in rows]


@router.get("/persons/{person_id}", response={200: PersonOut, **errors(*READ_ONE)})
def get_person(request: HttpRequest, person_id: int) -> Any:
    return _person(request, selectors.person_get(visible_to=request.user, pk=person_id))


@router.post(
    "/persons", response={201: PersonOut, **errors(*WRITE)}, summary="Register a person (validated against the NIK)"
)
def register_person(request: HttpRequest, payload: PersonIn) -> Any:
    person = services.person_register(
        actor=request.user,
        nik=payload.nik,
        name=payload.name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        region_code=payload.district_code,
        phone=payload.phone,
        kpj=payload.kpj,
        reason=payload.reason,
    )
    return Status(201, _person(request, person))


@router.get("/employers", response={200: list[EmployerOut], **errors(*READ)})
@paginate(LimitOffsetPagination)
def list_employers(request: HttpRequest, search: str | None = None) -> Any:
    return selectors.employer_list(visible_to=request.user, search=search)


@router.get("/memberships", response={200: list[MembershipOut], **errors(*READ)})
@paginate(LimitOffsetPagination)
def list_memberships(
    request: HttpRequest, active_on: date | None = None, segment: str | None = None, person_id: int | None = None
) -> Any:
    memberships = selectors.membership_list(visible_to=request.user, active=active_on, segment=segment)
    if person_id is not None:
        memberships = memberships.filter(person_id=person_id)
    return [_membership(membership) for membership in memberships]


@router.post("/memberships", response={201: MembershipOut, **errors(*WRITE)}, summary="Enrol a person in a segment")
def enrol(request: HttpRequest, payload: MembershipIn) -> Any:
    person = selectors.person_get(visible_to=request.user, pk=payload.person_id)
    employer = _by(selectors.employer_list(visible_to=request.user), "npp", payload.npp, "npp")
    sponsor = _by(selectors.sponsor_program_list(visible_to=request.user), "code", payload.sponsor_code, "sponsor_code")
    project = _by(selectors.project_list(visible_to=request.user), "code", payload.project_code, "project_code")
    membership = services.membership_enrol(
        actor=request.user,
        person=person,
        segment=payload.segment,
        start_date=payload.start_date,
        wage=payload.wage,
        fixed_allowances=payload.fixed_allowances,
        employer=employer,
        sponsor=sponsor,
        project=project,
        jht=payload.jht,
        jp=payload.jp,
        jkp=payload.jkp,
        contract_months=payload.contract_months,
        pre_departure=payload.pre_departure,
        reason=payload.reason,
    )
    return Status(201, _membership(membership))


@router.post(
    "/memberships/{membership_id}/end", response={200: MembershipOut, **errors(*WRITE)}, summary="End a membership"
)
def end(request: HttpRequest, membership_id: int, payload: EndIn) -> Any:
    membership = selectors.membership_get(visible_to=request.user, pk=membership_id)
    ended = services.membership_end(
        actor=request.user, membership=membership, end_date=payload.end_date, reason=payload.reason
    )
    return _membership(ended)


def _by(rows: QuerySet[Any], field: str, value: str | None, name: str) -> Any:
    """The record of ``rows`` (already limited to what the user may see) with ``field`` = ``value``."""
    if not value:
        return None
    found = rows.filter(**{field: value}).first()
    if found is None:
        raise NotFound(_("no record with this code that you may see"), field=name)
    return found
