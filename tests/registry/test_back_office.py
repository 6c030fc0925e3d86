"""The back office (Django admin) through the web client, per persona."""

from __future__ import annotations

from django.test import Client

from jamsostek.core.models import AuditRecord
from jamsostek.registry.models import Person
from tests.conftest import Personas, World


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_every_page_needs_login(db: object) -> None:
    response = Client().get("/admin/registry/person/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert Client().get("/").status_code == 302


def test_an_officer_lists_only_their_regency_with_masked_niks(world: World, personas: Personas) -> None:
    response = logged_in(personas.ketapang).get("/admin/registry/person/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Aminah" in body
    assert "Budi Santoso" not in body
    assert world.ketapang_worker.nik not in body
    assert "610401**********" in body


def test_another_regions_person_answers_404_or_redirects_away(world: World, personas: Personas) -> None:
    response = logged_in(personas.ketapang).get(f"/admin/registry/person/{world.sambas_worker.pk}/change/")
    # Django admin answers a missing object with a redirect to the index and a message, never the record.
    assert response.status_code in (302, 404)
    assert "Budi Santoso" not in response.content.decode()


def test_a_bpjs_officer_sees_full_niks_and_can_search_by_nik(world: World, personas: Personas) -> None:
    response = logged_in(personas.bpjs).get("/admin/registry/person/", {"q": world.sambas_worker.nik})
    body = response.content.decode()
    assert world.sambas_worker.nik in body
    assert "Siti Aminah" not in body


def test_a_user_who_may_not_see_niks_cannot_find_memberships_by_part_of_a_nik(world: World, personas: Personas) -> None:
    """Searching by the first digits of a NIK would let them learn the rest, a digit at a time."""
    analyst = logged_in(personas.analyst)
    part = world.ketapang_worker.nik[:12]
    for path in ("/admin/registry/membership/", "/admin/registry/person/"):
        assert list(analyst.get(path, {"q": part}).context["cl"].result_list) == [], path
        found = analyst.get(path, {"q": world.ketapang_worker.nik}).context["cl"].result_list
        assert len(found) == 1, path  # the whole NIK, typed: the one record
    assert len(logged_in(personas.bpjs).get("/admin/registry/membership/", {"q": part}).context["cl"].result_list) == 1


def test_a_change_in_the_back_office_goes_through_the_service_and_is_audited(world: World, personas: Personas) -> None:
    person = world.ketapang_worker
    response = logged_in(personas.bpjs).post(
        f"/admin/registry/person/{person.pk}/change/",
        {
            "name": "Siti Aminah Binti Ahmad", "birth_date": "1990-08-17", "sex": "F", "region": "61.04.01",
            "phone": "", "kpj": "", "reason": "name as on the KTP",
            "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(world.pu.pk), "memberships-0-person": str(person.pk),
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(pk=person.pk).name == "Siti Aminah Binti Ahmad"
    record = AuditRecord.objects.get(entity="registry.person", action="update")
    assert record.reason == "name as on the KTP"
    assert record.changes["name"] == ["Siti Aminah", "Siti Aminah Binti Ahmad"]


def test_a_bad_birth_date_is_shown_on_the_form_and_changes_nothing(world: World, personas: Personas) -> None:
    person = world.ketapang_worker
    response = logged_in(personas.bpjs).post(
        f"/admin/registry/person/{person.pk}/change/",
        {
            "name": "Siti", "birth_date": "1990-08-18", "sex": "F", "region": "61.04.01", "phone": "",
            "kpj": "", "reason": "typo", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "does not match the NIK" in response.content.decode() or "tidak cocok" in response.content.decode()
    assert Person.objects.get(pk=person.pk).name == "Siti Aminah"
    assert not AuditRecord.objects.filter(action="update").exists()


def test_nobody_can_delete_registry_records(world: World, personas: Personas) -> None:
    response = logged_in(personas.admin).get(f"/admin/registry/person/{world.nurse.pk}/delete/")
    assert response.status_code == 403


def test_an_agency_edits_its_name_in_the_back_office_but_not_what_sets_its_contributions(
    world: World, personas: Personas
) -> None:
    from jamsostek.registry.models import Employer

    agency = world.agency
    client = logged_in(personas.agency)
    form = client.get(f"/admin/registry/employer/{agency.pk}/change/").context["adminform"].form
    assert "risk_class" not in form.fields
    assert "state_body" not in form.fields
    response = client.post(
        f"/admin/registry/employer/{agency.pk}/change/",
        {"name": "Dinas Kesehatan Kab. Ketapang", "kbli": "", "region": "61.04", "reason": "official name",
         "risk_class": "5", "state_body": ""},  # the facts sent anyway are ignored
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Employer.objects.get(pk=agency.pk)
    assert (saved.name, saved.risk_class, saved.state_body) == ("Dinas Kesehatan Kab. Ketapang", 1, True)
    assert (
        "risk_class"
        in logged_in(personas.bpjs)
        .get(f"/admin/registry/employer/{agency.pk}/change/")
        .context["adminform"]
        .form.fields
    )
