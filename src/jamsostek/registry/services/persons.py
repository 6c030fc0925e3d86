"""Registering a person and changing their details."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import audit_record, diff, save_audited, snapshot
from jamsostek.core.errors import Conflict, InvalidField
from jamsostek.core.places import Place
from jamsostek.registry.models import Person
from jamsostek.registry.services.validation import clean_person, district_codes

PERSON_FIELDS = ("nik", "name", "birth_date", "sex", "region", "phone", "kpj")
EDITABLE = frozenset({"name", "birth_date", "sex", "region_code", "phone", "kpj"})


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
    """A new person, validated against their NIK, living in ``region_code`` (a district)."""
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
    policy = for_actor(actor)
    policy.require_change(
        Action.CHANGE_REGISTRY, before=None, after=Place(region=values["region_id"]), field="district_code"
    )
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
    """Change a person's name, birth date, sex, address, phone or KPJ (not the NIK).

    The person must be in the actor's reach before the change and stay in it after."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidField(_("cannot be changed here"), field=sorted(unknown)[0], code="not_editable")
    policy = for_actor(actor)
    policy.require_change(Action.CHANGE_REGISTRY, before=person.place, after=None, record=person)
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
    policy.require_change(
        Action.CHANGE_REGISTRY, before=person.place, after=Place(region=values["region_id"]), field="district_code"
    )
    for key, value in values.items():
        setattr(person, key, value)
    try:
        with transaction.atomic():
            save_audited(actor=actor, instance=person, fields=PERSON_FIELDS, before=before, reason=reason)
    except IntegrityError:
        raise Conflict(_("the NIK or KPJ number is already registered"), field="kpj", code="duplicate") from None
    return person
