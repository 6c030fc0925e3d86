"""The reference check of a candidate list: one row at a time, with the registry's own validation
(``registry.nik.parse_nik`` and ``check_against``, ``registry.services.validation.clean_name`` and
``clean_sex``, ``core.bulk.values.a_date``) and plain Python for the drives' rules, then the
registry asked through the ORM, person by person.

Slow by design and never used for a real list: it is what ``checking`` and ``matching`` are held
to by ``tests/drives/test_check_paths.py``, row for row (status, field, reason as worded, cleaned
values, what the registry says)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from jamsostek.core.bulk import values
from jamsostek.core.bulk.reading import MAX_VALUE
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import InvalidField
from jamsostek.drives.bulk.checking import CATEGORY_ALIASES, SEGMENT_ORDER, Context
from jamsostek.drives.funding import CATEGORIES, age_on
from jamsostek.drives.models import Candidate
from jamsostek.drives.reasons import reason
from jamsostek.registry.models import Person
from jamsostek.registry.nik import HOME_PROVINCE, check_against, parse_nik
from jamsostek.registry.services.validation import clean_name, clean_sex


@dataclass(frozen=True)
class Outcome:
    row: int
    status: str
    field: str
    reason: str
    nik: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: str = ""
    district: str = ""
    village: str = ""
    category: str = ""


def check_row(cells: dict[str, Any], context: Context) -> Outcome:
    """One row's outcome (its duplicates in the list aside)."""
    row = int(cells["row"])
    try:
        flag = cells["flag"]
        if flag == "extra":
            raise InvalidField(_("the row has more cells than the header"), field="")
        if flag.startswith("too_long:"):
            raise InvalidField(_("is longer than %(limit)d characters") % {"limit": MAX_VALUE}, field=flag[9:])
        facts = parse_nik(cells["nik"], districts=context.districts)
        name = clean_name(cells["name"])
        sex = clean_sex(cells["sex"])
        birth = values.a_date(cells, "birth_date", required=True)
        assert birth is not None
        if birth > context.as_of:
            raise InvalidField(_("is in the future"), field="birth_date")
        check_against(facts, birth_date=birth, sex=sex)
        district = cells["district_code"]
        if district and district not in context.districts:
            raise InvalidField(
                _("district %(code)s does not exist in Kalimantan Barat") % {"code": district}, field="district_code"
            )
        if not district:
            if facts.province_code != HOME_PROVINCE:
                raise InvalidField(_("is required"), field="district_code")
            district = facts.district_code
        key = cells["category"].strip().lower().replace(" ", "_").replace("-", "_")
        category = CATEGORY_ALIASES.get(key) if key else context.default_category
        if category is None:
            raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(CATEGORIES)}, field="category")
        age = age_on(birth, context.as_of)
        ages = context.ages
        for code, outside in (("too_young", age < ages.youngest), ("too_old", age > ages.oldest)):
            if outside:
                detail = {
                    "age": age,
                    "day": context.as_of.isoformat(),
                    "youngest": ages.youngest,
                    "oldest": ages.oldest,
                }
                raise InvalidField(reason(code, detail), field="birth_date")
        region = context.region
        if region != PROVINCE and not (district == region or district.startswith(region + ".")):
            raise InvalidField(reason("outside_region", {"region": region}), field="district_code")
    except InvalidField as error:
        return Outcome(row, "rejected", error.field or "", error.message)
    village = " ".join(cells["village"].split())
    return Outcome(row, "usable", "", "", facts.nik, name, birth, sex, district, village, category)


def check_rows(frame: pl.DataFrame, context: Context) -> list[Outcome]:
    """Every row's outcome; a NIK met again in a later row is rejected there (the first usable row keeps it)."""
    outcomes = []
    first: dict[str, int] = {}
    for cells in frame.iter_rows(named=True):
        outcome = check_row(cells, context)
        if outcome.status == "usable":
            if outcome.nik in first:
                outcome = Outcome(
                    outcome.row, "rejected", "nik", reason("duplicate_in_list", {"row": first[outcome.nik]})
                )
            else:
                first[outcome.nik] = outcome.row
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class Found:
    """What the registry says of one NIK."""

    match: str
    person_id: int | None = None
    segment: str = ""
    payer: str = ""
    by: str = ""
    regency: str = ""
    last_end: date | None = None
    in_other_lists: int = 0


def match_nik(nik: str, *, day: date, list_id: int | None) -> Found:
    others = (
        Candidate.objects.filter(nik=nik, status="usable").exclude(list_id=list_id).values("list_id").distinct().count()
    )
    person = Person.objects.filter(nik=nik).first()
    if person is None:
        return Found("new", in_other_lists=others)
    memberships = list(person.memberships.select_related("employer", "sponsor"))
    active = [m for m in memberships if m.start_date <= day and (m.end_date is None or m.end_date >= day)]
    if active:
        chosen = min(active, key=lambda m: (SEGMENT_ORDER[m.segment], -m.start_date.toordinal(), -m.pk))
        by = chosen.employer.name if chosen.employer else (chosen.sponsor.name if chosen.sponsor else "")
        return Found("protected", person.pk, chosen.segment, chosen.payer, by, chosen.regency_id, None, others)
    if memberships:
        ends = [m.end_date for m in memberships if m.end_date is not None]
        return Found("lapsed", person.pk, last_end=max(ends) if ends else None, in_other_lists=others)
    return Found("registered", person.pk, in_other_lists=others)
