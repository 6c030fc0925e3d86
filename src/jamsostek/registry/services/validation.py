"""Validation shared by the registry's services and its bulk paths: one copy of every rule.

Each function takes plain values and returns cleaned ones, or raises ``InvalidField`` naming the
field and the reason in the user's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from jamsostek.core.bulk.values import check_day
from jamsostek.core.errors import InvalidField
from jamsostek.registry.models import Employer, Payer, Project, Region, Segment, SponsorProgram
from jamsostek.registry.nik import check_against, parse_nik
from jamsostek.rules.model import MAX_PMI_MONTHS, MAX_RUPIAH

PERSON_FIELDS = ("nik", "name", "birth_date", "sex", "region", "phone", "kpj")
EMPLOYER_FIELDS = ("npp", "name", "kind", "kbli", "risk_class", "size_class", "region")
MEMBERSHIP_FIELDS = (
    "person", "segment", "employer", "project", "sponsor", "payer", "regency",
    "jkk", "jkm", "jht", "jp", "jkp", "start_date", "end_date", "contract_months", "pre_departure",
)  # fmt: skip
_CODE = re.compile(r"^[A-Za-z0-9._/-]{1,40}$")
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


def clean_code(value: Any, field: str = "code") -> str:
    """A program's or project's code: 1-40 letters, digits, '.', '_', '/' or '-'."""
    text = str(value or "").strip()
    if not _CODE.match(text):
        raise InvalidField(_("must be 1-40 letters, digits, '.', '_', '/' or '-'"), field=field, code="invalid")
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
    check_day(birth_date, "birth_date")
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
    if segment not in Segment.values:
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
        if contract_months is None or not 1 <= contract_months <= MAX_PMI_MONTHS:
            raise InvalidField(
                _("a PMI contract lasts 1 to %(months)d months") % {"months": MAX_PMI_MONTHS}, field="contract_months"
            )
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
