"""What a role's scope and masking leave an outsider: a regency officer set to a district or the
province, a masked NIK beside the birth date, a quoted search for part of a NIK, a KPJ number."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from jamsostek.accounts.models import Role, User
from jamsostek.accounts.policy import Action, for_user
from jamsostek.registry import services
from jamsostek.registry.models import Person
from tests.conftest import Personas, World


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_regency_officer_set_to_a_district_or_the_province_reaches_nothing(world: World, personas: Personas) -> None:
    for code in ("61.04.01", "61"):
        officer = User(username=f"officer-{code}", role=Role.REGENCY_OFFICER, region_id=code)
        with pytest.raises(ValidationError) as refused:
            officer.full_clean(exclude=["password"])
        assert "region" in refused.value.message_dict
        officer.set_password("a long test password")
        officer.save()  # as if written past the form: the policy still gives nothing
        policy = for_user(officer)
        assert not policy.may(Action.SEE_REGISTRY)
        assert list(policy.visible(Person.objects.all())) == []


def test_a_masked_nik_beside_the_birth_date_keeps_the_serial_secret(world: World, personas: Personas) -> None:
    nik = world.ketapang_worker.nik
    masked = for_user(personas.ketapang).nik(nik)
    assert masked[:6] == nik[:6]
    assert set(masked[6:]) == {"*"}  # the birth date is shown elsewhere; the serial is never shown


def test_a_quoted_part_of_a_nik_finds_nothing_for_a_masked_role(world: World, personas: Personas) -> None:
    nik = world.ketapang_worker.nik
    analyst = logged_in(personas.analyst)
    for term in (f'"{nik[:12]}"', f'"{nik[:6]}" "{nik[6:12]}"', f"'{nik[:10]}'", nik[:12]):
        for path in ("/admin/registry/person/", "/admin/registry/membership/"):
            assert list(analyst.get(path, {"q": term}).context["cl"].result_list) == [], (path, term)
    whole = analyst.get("/admin/registry/person/", {"q": f'"{nik}"'}).context["cl"].result_list
    assert [person.pk for person in whole] == [world.ketapang_worker.pk]
    assert len(analyst.get("/admin/registry/person/", {"q": "Siti"}).context["cl"].result_list) == 1


def test_the_kpj_number_is_hidden_from_masked_roles_and_kept_by_their_edits(world: World, personas: Personas) -> None:
    person = services.person_update(actor=None, person=world.ketapang_worker, reason="card", kpj="12345678901")
    body = logged_in(personas.ketapang).get(f"/admin/registry/person/{person.pk}/change/").content.decode()
    assert "12345678901" not in body
    assert "***********" in body
    assert "12345678901" in logged_in(personas.bpjs).get(f"/admin/registry/person/{person.pk}/change/").content.decode()
    response = logged_in(personas.ketapang).post(
        f"/admin/registry/person/{person.pk}/change/",
        {
            "name": "Siti Aminah", "birth_date": "1990-08-17", "sex": "F", "region": "61.04.01",
            "phone": "081234567890", "reason": "phone from the KTP visit",
            "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(world.pu.pk), "memberships-0-person": str(person.pk),
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Person.objects.get(pk=person.pk)
    assert (saved.phone, saved.kpj) == ("081234567890", "12345678901")
