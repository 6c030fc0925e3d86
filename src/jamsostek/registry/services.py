"""Every write to the registry goes through these functions (admin, API, CLI and imports alike).

Each takes the acting user and a reason, checks what the user may change, validates, writes, and
leaves an audit record. Invalid input raises ``InvalidField`` naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.access import scope_of
from jamsostek.core.audit import actor_label, audit_record, diff, snapshot
from jamsostek.core.errors import Conflict, Forbidden, InvalidField, NotFound
from jamsostek.registry.models import (
    Employer,
    Membership,
    MembershipEvent,
    Payer,
    Person,
    Project,
    Region,
    Segment,
    SponsorProgram,
    WageReport,
)
from jamsostek.registry.nik import check_against, parse_nik

PERSON_FIELDS = ("nik", "name", "birth_date", "sex", "region", "phone", "kpj")
EMPLOYER_FIELDS = ("npp", "name", "kind", "kbli", "risk_class", "size_class", "region")
MEMBERSHIP_FIELDS = (
    "person", "segment", "employer", "project", "sponsor", "payer", "regency",
    "jkk", "jkm", "jht", "jp", "jkp", "start_date", "end_date", "contract_months", "pre_departure",
)  # fmt: skip
MAX_RUPIAH = 100_000_000_000
SEGMENTS = frozenset(Segment.values)
_NPP = re.compile(r"^[A-Za-z0-9./-]{1,20}$")
_PHONE = re.compile(r"^\+?[0-9 -]{6,20}$")
_KPJ = re.compile(r"^[0-9]{11}$")


# --- validation shared by the services and the bulk import -------------------------------------


def district_codes() -> set[str]:
    return set(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True))


def clean_name(value: Any, field: str = "name") -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidField(_("is required"), field=field, code="required")
    if len(text) > 150:
        raise InvalidField(_("is longer than 150 characters"), field=field, code="too_long")
    return text


SEX_ALIASES = {"M": "M", "L": "M", "LAKI-LAKI": "M", "MALE": "M", "F": "F", "P": "F", "PEREMPUAN": "F", "FEMALE": "F"}


def clean_sex(value: Any) -> str:
    sex = SEX_ALIASES.get(str(value or "").strip().upper())
    if sex is None:
        raise InvalidField(_("must be L/M (male) or P/F (female)"), field="sex", code="invalid")
    return sex


def clean_rupiah(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField(_("must be a whole number of rupiah"), field=field, code="not_integer")
    if value < 0:
        raise InvalidField(_("must not be negative"), field=field, code="negative")
    if value > MAX_RUPIAH:
        raise InvalidField(_("is implausibly large"), field=field, code="too_large")
    return value


def clean_person(
    *,
    nik: str,
    name: Any,
    birth_date: date,
    sex: Any,
    region_code: str,
    phone: Any = "",
    kpj: Any = None,
    districts: set[str],
    today: date,
) -> dict[str, Any]:
    """Validated person values, or ``InvalidField`` for the first problem found."""
    facts = parse_nik(nik, districts=districts)
    cleaned_sex = clean_sex(sex)
    if birth_date > today:
        raise InvalidField(_("is in the future"), field="birth_date", code="future")
    check_against(facts, birth_date=birth_date, sex=cleaned_sex)
    if region_code not in districts:
        raise InvalidField(
            _("district %(code)s does not exist in Kalimantan Barat") % {"code": region_code},
            field="district_code",
            code="unknown_region",
        )
    phone_text = str(phone or "").strip()
    if phone_text and not _PHONE.match(phone_text):
        raise InvalidField(_("is not a phone number"), field="phone", code="invalid")
    kpj_text = str(kpj or "").strip() or None
    if kpj_text is not None and not _KPJ.match(kpj_text):
        raise InvalidField(_("a KPJ number has 11 digits (format unconfirmed)"), field="kpj", code="invalid")
    return {
        "nik": facts.nik,
        "name": clean_name(name),
        "birth_date": birth_date,
        "sex": cleaned_sex,
        "region_id": region_code,
        "regency_id": region_code[:5],
        "phone": phone_text,
        "kpj": kpj_text,
    }


def _require_edit(actor: Any, *, regency_code: str | None = None, employer_id: int | None = None) -> None:
    """The actor may change records of this regency / employer; otherwise it does not exist for them."""
    if actor is None:  # system jobs (migrations, synthetic data) act as the system
        return
    scope = scope_of(actor)
    if not scope.may_edit:
        raise Forbidden(_("your role cannot change the registry"))
    if scope.everything:
        return
    if scope.regency_code is not None and regency_code == scope.regency_code:
        return
    if scope.employer_id is not None and employer_id == scope.employer_id:
        return
    raise NotFound()


# --- persons -----------------------------------------------------------------------------------


@transaction.atomic
def person_register(
    *,
    actor: Any,
    nik: str,
    name: str,
    birth_date: date,
    sex: str,
    region_code: str,
    phone: str = "",
    kpj: str | None = None,
    reason: str,
) -> Person:
    values = clean_person(
        nik=nik,
        name=name,
        birth_date=birth_date,
        sex=sex,
        region_code=region_code,
        phone=phone,
        kpj=kpj,
        districts=district_codes(),
        today=timezone.localdate(),
    )
    _require_edit(actor, regency_code=values["regency_id"])
    if Person.objects.filter(nik=values["nik"]).exists():
        raise Conflict(_("a person with this NIK is already registered"), field="nik", code="duplicate")
    try:
        with transaction.atomic():
            person = Person.objects.create(**values)
    except IntegrityError:
        raise Conflict(_("the NIK or KPJ number is already registered"), field="nik", code="duplicate") from None
    audit_record(
        actor=actor,
        action="create",
        instance=person,
        changes=diff({}, snapshot(person, PERSON_FIELDS)),
        reason=reason,
    )
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, reason: str, **changes: Any) -> Person:
    """Change a person's name, birth date, sex, address, phone or KPJ (not the NIK)."""
    allowed = {"name", "birth_date", "sex", "region_code", "phone", "kpj"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidField(_("cannot be changed here"), field=sorted(unknown)[0], code="not_editable")
    _require_edit(actor, regency_code=person.regency_id)
    before = snapshot(person, PERSON_FIELDS)
    values = clean_person(
        nik=person.nik,
        name=changes.get("name", person.name),
        birth_date=changes.get("birth_date", person.birth_date),
        sex=changes.get("sex", person.sex),
        region_code=changes.get("region_code", person.region_id),
        phone=changes.get("phone", person.phone),
        kpj=changes.get("kpj", person.kpj),
        districts=district_codes(),
        today=timezone.localdate(),
    )
    _require_edit(actor, regency_code=values["regency_id"])
    for key, value in values.items():
        setattr(person, key, value)
    person.save()
    changed = diff(before, snapshot(person, PERSON_FIELDS))
    if changed:
        audit_record(actor=actor, action="update", instance=person, changes=changed, reason=reason)
    return person


# --- employers, sponsors, projects --------------------------------------------------------------


def clean_employer(
    *,
    npp: Any,
    name: Any,
    kind: Any,
    kbli: Any,
    risk_class: Any,
    size_class: Any,
    region_code: Any,
    regions: set[str],
) -> dict[str, Any]:
    npp_text = str(npp or "").strip()
    if not _NPP.match(npp_text):
        raise InvalidField(_("must be 1-20 letters, digits, '.', '/' or '-'"), field="npp", code="invalid")
    kind_text = str(kind or "company").strip().lower()
    if kind_text not in Employer.Kind.values:
        raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(Employer.Kind.values)}, field="kind")
    kbli_text = str(kbli or "").strip()
    if kbli_text and not (kbli_text.isdigit() and 2 <= len(kbli_text) <= 5):
        raise InvalidField(_("a KBLI code has 2 to 5 digits"), field="kbli", code="invalid")
    try:
        risk = int(str(risk_class).strip())
    except ValueError:
        risk = 0
    if not 1 <= risk <= 5:
        raise InvalidField(_("must be a JKK risk class from 1 to 5"), field="risk_class", code="out_of_range")
    size_text = str(size_class or "").strip().lower()
    if size_text not in Employer.Size.values:
        raise InvalidField(
            _("must be one of %(choices)s") % {"choices": ", ".join(Employer.Size.values)}, field="size_class"
        )
    region = str(region_code or "").strip()
    if region not in regions or len(region) < 5:
        raise InvalidField(
            _("region %(code)s is not a regency or district of Kalimantan Barat") % {"code": region},
            field="region_code",
            code="unknown_region",
        )
    return {
        "npp": npp_text,
        "name": clean_name(name),
        "kind": kind_text,
        "kbli": kbli_text,
        "risk_class": risk,
        "size_class": size_text,
        "region_id": region,
        "regency_id": region[:5],
    }


def region_codes() -> set[str]:
    return set(Region.objects.values_list("code", flat=True))


@transaction.atomic
def employer_register(
    *,
    actor: Any,
    npp: str,
    name: str,
    risk_class: int,
    size_class: str,
    region_code: str,
    kind: str = "company",
    kbli: str = "",
    reason: str,
) -> Employer:
    values = clean_employer(
        npp=npp,
        name=name,
        kind=kind,
        kbli=kbli,
        risk_class=risk_class,
        size_class=size_class,
        region_code=region_code,
        regions=region_codes(),
    )
    _require_edit(actor, regency_code=values["regency_id"])
    if Employer.objects.filter(npp=values["npp"]).exists():
        raise Conflict(_("an employer with this NPP is already registered"), field="npp", code="duplicate")
    employer = Employer.objects.create(**values)
    audit_record(
        actor=actor,
        action="create",
        instance=employer,
        changes=diff({}, snapshot(employer, EMPLOYER_FIELDS)),
        reason=reason,
    )
    return employer


@transaction.atomic
def employer_update(*, actor: Any, employer: Employer, reason: str, **changes: Any) -> Employer:
    allowed = {"name", "kind", "kbli", "risk_class", "size_class", "region_code"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidField(_("cannot be changed here"), field=sorted(unknown)[0], code="not_editable")
    _require_edit(actor, regency_code=employer.regency_id, employer_id=employer.pk)
    before = snapshot(employer, EMPLOYER_FIELDS)
    values = clean_employer(
        npp=employer.npp,
        name=changes.get("name", employer.name),
        kind=changes.get("kind", employer.kind),
        kbli=changes.get("kbli", employer.kbli),
        risk_class=changes.get("risk_class", employer.risk_class),
        size_class=changes.get("size_class", employer.size_class),
        region_code=changes.get("region_code", employer.region_id),
        regions=region_codes(),
    )
    for key, value in values.items():
        setattr(employer, key, value)
    employer.save()
    changed = diff(before, snapshot(employer, EMPLOYER_FIELDS))
    if changed:
        audit_record(actor=actor, action="update", instance=employer, changes=changed, reason=reason)
    return employer


@transaction.atomic
def sponsor_program_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    region_code: str,
    year: int,
    quota: int,
    start_date: date,
    end_date: date,
    budget_line: str = "",
    with_jht: bool = False,
    income_nominal: int = 1_000_000,
    reason: str,
) -> SponsorProgram:
    if kind not in SponsorProgram.Kind.values:
        raise InvalidField(_("unknown sponsor kind"), field="kind")
    if not Region.objects.filter(code=region_code).exists():
        raise InvalidField(_("unknown region"), field="region_code", code="unknown_region")
    if end_date < start_date:
        raise InvalidField(_("must not be before the start date"), field="end_date")
    if quota < 1:
        raise InvalidField(_("must be at least 1"), field="quota")
    clean_rupiah(income_nominal, "income_nominal")
    _require_edit(actor, regency_code=region_code[:5] if len(region_code) >= 5 else None)
    if SponsorProgram.objects.filter(code=code).exists():
        raise Conflict(_("a sponsor program with this code exists"), field="code", code="duplicate")
    program = SponsorProgram.objects.create(
        code=code,
        name=clean_name(name),
        kind=kind,
        region_id=region_code,
        budget_line=budget_line,
        year=year,
        quota=quota,
        with_jht=with_jht,
        income_nominal=income_nominal,
        start_date=start_date,
        end_date=end_date,
    )
    audit_record(
        actor=actor,
        action="create",
        instance=program,
        changes={"code": [None, code], "quota": [None, quota], "year": [None, year]},
        reason=reason,
    )
    return program


@transaction.atomic
def project_create(
    *,
    actor: Any,
    code: str,
    name: str,
    employer: Employer,
    region_code: str,
    contract_value: int,
    start_date: date,
    end_date: date,
    reason: str,
) -> Project:
    clean_rupiah(contract_value, "contract_value")
    if end_date < start_date:
        raise InvalidField(_("must not be before the start date"), field="end_date")
    if not Region.objects.filter(code=region_code).exists():
        raise InvalidField(_("unknown region"), field="region_code", code="unknown_region")
    _require_edit(actor, regency_code=employer.regency_id, employer_id=employer.pk)
    project = Project.objects.create(
        code=code,
        name=clean_name(name),
        employer=employer,
        region_id=region_code,
        contract_value=contract_value,
        start_date=start_date,
        end_date=end_date,
    )
    audit_record(
        actor=actor,
        action="create",
        instance=project,
        changes={"code": [None, code], "contract_value": [None, contract_value]},
        reason=reason,
    )
    return project


# --- memberships -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployerFacts:
    """What enrolment needs to know of an employer (the bulk import keeps these, not models)."""

    id: int
    regency_id: str
    jp_required: bool

    @classmethod
    def of(cls, employer: Employer) -> EmployerFacts:
        return cls(employer.pk, employer.regency_id, employer.jp_required)


@dataclass(frozen=True)
class SponsorFacts:
    id: int
    with_jht: bool
    income_nominal: int
    start_date: date
    end_date: date
    quota: int

    @classmethod
    def of(cls, sponsor: SponsorProgram) -> SponsorFacts:
        return cls(sponsor.pk, sponsor.with_jht, sponsor.income_nominal, sponsor.start_date, sponsor.end_date,
                   sponsor.quota)  # fmt: skip


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    employer_id: int
    regency_id: str

    @classmethod
    def of(cls, project: Project) -> ProjectFacts:
        return cls(project.pk, project.employer_id, project.region_id[:5])


def membership_defaults(
    *,
    segment: str,
    person_regency_id: str,
    employer: EmployerFacts | None,
    sponsor: SponsorFacts | None,
    project: ProjectFacts | None,
    jht: bool | None,
    jp: bool | None,
    jkp: bool | None,
    contract_months: int | None,
) -> dict[str, Any]:
    """Who pays, where the member counts, which programs, by segment; raises on bad combinations.

    Returns ``payer``, ``regency_id``, ``employer_id`` and the five program flags."""
    if segment not in SEGMENTS:
        raise InvalidField(_("must be one of pu, bpu, jakon, pmi"), field="segment", code="unknown_segment")
    if segment == Segment.PU:
        if employer is None:
            raise InvalidField(_("a wage earner (PU) needs an employer"), field="npp", code="required")
        if sponsor is not None or project is not None:
            raise InvalidField(_("a wage earner is paid for by the employer"), field="sponsor_code")
        if jp is False and employer.jp_required:
            raise InvalidField(_("JP is required for medium and large enterprises"), field="jp", code="jp_required")
        return {
            "payer": Payer.EMPLOYER,
            "regency_id": employer.regency_id,
            "employer_id": employer.id,
            "jkk": True,
            "jkm": True,
            "jht": True,
            "jp": employer.jp_required if jp is None else jp,
            "jkp": True if jkp is None else jkp,
        }
    if segment == Segment.JAKON:
        if project is None:
            raise InvalidField(_("a construction worker (Jakon) needs a project"), field="project_code")
        return {
            "payer": Payer.EMPLOYER,
            "regency_id": project.regency_id,
            "employer_id": project.employer_id,
            "jkk": True,
            "jkm": True,
            "jht": False,
            "jp": False,
            "jkp": False,
        }
    if employer is not None:
        raise InvalidField(_("this segment has no employer"), field="npp")
    if segment == Segment.PMI:
        if contract_months is None or not 1 <= contract_months <= 120:
            raise InvalidField(_("a PMI contract lasts 1 to 120 months"), field="contract_months")
        return {
            "payer": Payer.PARTICIPANT,
            "regency_id": person_regency_id,
            "employer_id": None,
            "jkk": True,
            "jkm": True,
            "jht": bool(jht),
            "jp": False,
            "jkp": False,
        }
    return {
        "payer": Payer.SPONSOR if sponsor is not None else Payer.PARTICIPANT,
        "regency_id": person_regency_id,
        "employer_id": None,
        "jkk": True,
        "jkm": True,
        "jht": (sponsor.with_jht if sponsor is not None else False) if jht is None else jht,
        "jp": False,
        "jkp": False,
    }


@transaction.atomic
def membership_enrol(
    *,
    actor: Any,
    person: Person,
    segment: str,
    start_date: date,
    wage: int | None = None,
    fixed_allowances: int = 0,
    employer: Employer | None = None,
    sponsor: SponsorProgram | None = None,
    project: Project | None = None,
    jht: bool | None = None,
    jp: bool | None = None,
    jkp: bool | None = None,
    contract_months: int | None = None,
    pre_departure: bool = False,
    reason: str,
) -> Membership:
    """Enrol a person in a segment from ``start_date``; the wage (or declared income) is dated too."""
    values = membership_defaults(
        segment=segment,
        person_regency_id=person.regency_id,
        employer=EmployerFacts.of(employer) if employer else None,
        sponsor=SponsorFacts.of(sponsor) if sponsor else None,
        project=ProjectFacts.of(project) if project else None,
        jht=jht,
        jp=jp,
        jkp=jkp,
        contract_months=contract_months,
    )
    employer_id = values.pop("employer_id")
    _require_edit(actor, regency_code=values["regency_id"], employer_id=employer_id)
    if sponsor is not None and not sponsor.start_date <= start_date <= sponsor.end_date:
        raise InvalidField(_("is outside the sponsor program's period"), field="start_date")
    amount = wage
    if amount is None and sponsor is not None:
        amount = sponsor.income_nominal
    if segment in (Segment.PU, Segment.JAKON, Segment.BPU) and amount is None:
        field = "income" if segment == Segment.BPU else "wage"
        raise InvalidField(_("is required for this segment"), field=field, code="required")
    if amount is not None:
        clean_rupiah(amount, "wage")
    clean_rupiah(fixed_allowances, "fixed_allowances")
    key = Membership.make_key(
        person.pk,
        segment,
        employer_id,
        sponsor.pk if sponsor else None,
        project.pk if project else None,
        start_date,
    )
    if Membership.objects.filter(natural_key=key).exists():
        raise Conflict(_("this membership is already registered"), field="start_date", code="duplicate")
    overlapping = Membership.objects.filter(
        person=person, segment=segment, employer_id=employer_id, sponsor=sponsor, project=project
    ).exclude(end_date__lt=start_date)
    if overlapping.exists():
        raise Conflict(
            _("the person already has an open membership of this kind; end it first"),
            field="start_date",
            code="overlap",
        )
    if sponsor is not None and sponsor.memberships.count() >= sponsor.quota:
        raise Conflict(_("the sponsor program's quota is full"), field="sponsor_code", code="quota_full")
    membership = Membership.objects.create(
        person=person,
        segment=segment,
        employer_id=employer_id,
        sponsor=sponsor,
        project=project,
        start_date=start_date,
        contract_months=contract_months,
        pre_departure=pre_departure,
        natural_key=key,
        **values,
    )
    if amount is not None:
        WageReport.objects.create(
            membership=membership, valid_from=start_date, amount=amount, fixed_allowances=fixed_allowances
        )
    MembershipEvent.objects.create(
        membership=membership, kind=MembershipEvent.Kind.ENROLLED, on=start_date, reason=reason,
        actor_label=actor_label(actor),
    )  # fmt: skip
    changes = diff({}, snapshot(membership, MEMBERSHIP_FIELDS))
    if amount is not None:
        changes["wage"] = [None, amount]
    audit_record(actor=actor, action="create", instance=membership, changes=changes, reason=reason)
    _adjust_billed_months(actor, membership, start_date, reason)
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, end_date: date, reason: str) -> Membership:
    """End a membership (possibly back-dated); the history stays."""
    _require_edit(actor, regency_code=membership.regency_id, employer_id=membership.employer_id)
    if end_date < membership.start_date:
        raise InvalidField(_("must not be before the start date"), field="end_date")
    if membership.end_date is not None and membership.end_date <= end_date:
        raise Conflict(_("the membership already ended on %(date)s") % {"date": membership.end_date}, field="end_date")
    before = membership.end_date
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    MembershipEvent.objects.create(
        membership=membership, kind=MembershipEvent.Kind.ENDED, on=end_date, reason=reason,
        actor_label=actor_label(actor),
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="update",
        instance=membership,
        changes={"end_date": [before.isoformat() if before else None, end_date.isoformat()]},
        reason=reason,
    )
    _adjust_billed_months(actor, membership, end_date, reason)
    return membership


@transaction.atomic
def membership_report_wage(
    *,
    actor: Any,
    membership: Membership,
    valid_from: date,
    amount: int,
    fixed_allowances: int = 0,
    reason: str,
) -> WageReport:
    """Report a new wage (or declared income) from a date; earlier reports stay."""
    _require_edit(actor, regency_code=membership.regency_id, employer_id=membership.employer_id)
    clean_rupiah(amount, "wage")
    clean_rupiah(fixed_allowances, "fixed_allowances")
    if valid_from < membership.start_date:
        raise InvalidField(_("is before the membership started"), field="valid_from")
    if membership.wages.filter(valid_from=valid_from).exists():
        raise Conflict(_("a wage is already reported from this date"), field="valid_from", code="duplicate")
    report = WageReport.objects.create(
        membership=membership, valid_from=valid_from, amount=amount, fixed_allowances=fixed_allowances
    )
    MembershipEvent.objects.create(
        membership=membership, kind=MembershipEvent.Kind.WAGE_REPORTED, on=valid_from, reason=reason,
        actor_label=actor_label(actor),
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="update",
        instance=membership,
        changes={"wage": [None, amount], "wage_valid_from": [None, valid_from.isoformat()]},
        reason=reason,
    )
    _adjust_billed_months(actor, membership, valid_from, reason)
    return report


def _adjust_billed_months(actor: Any, membership: Membership, since: date, reason: str) -> None:
    """A change that reaches months already billed becomes adjustment notes (bills stay as issued)."""
    from jamsostek.contributions.adjustments import adjust_billed

    adjust_billed(actor=actor, membership=membership, since=since, reason=reason)
