"""Who sees what: every role through the selectors, and NIK masking."""

from __future__ import annotations

import pytest

from jamsostek.accounts.policy import for_user, mask_nik
from jamsostek.core.errors import NotFound
from jamsostek.registry import selectors
from tests.conftest import Personas, World


def names(queryset: object) -> set[str]:
    return {person.name for person in queryset}  # type: ignore[attr-defined]


def test_administrators_bpjs_officers_and_analysts_see_every_region(world: World, personas: Personas) -> None:
    everyone = {"Siti Aminah", "Budi Santoso", "Maria Ulfa"}
    for user in (personas.admin, personas.bpjs, personas.analyst):
        assert names(selectors.person_list(visible_to=user)) == everyone


def test_a_regency_officer_sees_only_their_regency(world: World, personas: Personas) -> None:
    assert names(selectors.person_list(visible_to=personas.ketapang)) == {"Siti Aminah", "Maria Ulfa"}
    assert names(selectors.person_list(visible_to=personas.sambas)) == {"Budi Santoso"}
    assert {m.person.name for m in selectors.membership_list(visible_to=personas.sambas)} == {"Budi Santoso"}


def test_another_regions_record_does_not_exist_for_an_officer(world: World, personas: Personas) -> None:
    with pytest.raises(NotFound):
        selectors.person_get(visible_to=personas.sambas, pk=world.ketapang_worker.pk)
    with pytest.raises(NotFound):
        selectors.membership_get(visible_to=personas.sambas, pk=world.pu.pk)
    assert selectors.person_get(visible_to=personas.ketapang, pk=world.ketapang_worker.pk).name == "Siti Aminah"


def test_an_agency_administrator_sees_only_its_staff(world: World, personas: Personas) -> None:
    assert names(selectors.person_list(visible_to=personas.agency)) == {"Maria Ulfa"}
    assert [e.npp for e in selectors.employer_list(visible_to=personas.agency)] == ["OPD-61.04-01"]


def test_nik_is_masked_unless_the_role_needs_it(world: World, personas: Personas) -> None:
    nik = world.ketapang_worker.nik
    assert mask_nik(nik) == "610401**********"
    assert for_user(personas.bpjs).nik(nik) == nik
    assert for_user(personas.admin).nik(nik) == nik
    assert for_user(personas.agency).nik(nik) == nik
    assert for_user(personas.analyst).nik(nik) == "610401**********"
    assert for_user(personas.ketapang).nik(nik) == "610401**********"


def test_an_anonymous_user_sees_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.person_list(visible_to=AnonymousUser()).exists()
    assert not selectors.person_list(visible_to=None).exists()
