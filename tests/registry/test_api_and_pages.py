"""The registry API and pages, per persona: login required, scoped, masked, audited."""

from __future__ import annotations

import io
import json
from datetime import date

from django.test import Client

from jamsostek.core.models import AuditRecord
from jamsostek.registry.models import Membership, Person
from tests.conftest import Personas, World


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_api_needs_a_session(world: World) -> None:
    response = Client().get("/api/registry/persons")
    assert response.status_code == 401


def test_an_officer_lists_only_their_regency_with_masked_niks(world: World, personas: Personas) -> None:
    data = client_for(personas.sambas).get("/api/registry/persons").json()
    assert [item["name"] for item in data["items"]] == ["Budi Santoso"]
    assert data["items"][0]["nik"] == "610101**********"
    assert client_for(personas.sambas).get(f"/api/registry/persons/{world.ketapang_worker.pk}").status_code == 404


def test_a_bpjs_officer_sees_every_nik(world: World, personas: Personas) -> None:
    data = client_for(personas.bpjs).get("/api/registry/persons", {"search": "Siti"}).json()
    assert data["count"] == 1
    assert data["items"][0]["nik"] == world.ketapang_worker.nik


def test_registering_through_the_api_validates_and_audits(world: World, personas: Personas) -> None:
    client = client_for(personas.bpjs)
    payload = {"nik": "6171014506000004", "name": "Dewi Lestari", "birth_date": "2000-06-05", "sex": "P",
               "district_code": "61.71.01", "reason": "walk-in"}  # fmt: skip
    response = client.post("/api/registry/persons", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Person.objects.filter(nik="6171014506000004").exists()
    assert AuditRecord.objects.filter(entity="registry.person", reason="walk-in").count() == 1
    wrong = {**payload, "nik": "6171014506000005", "birth_date": "2000-06-06"}
    response = client.post("/api/registry/persons", json.dumps(wrong), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "birth_date"
    again = client.post("/api/registry/persons", json.dumps(payload), content_type="application/json")
    assert again.status_code == 409


def test_enrolling_and_ending_through_the_api(world: World, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    payload = {"person_id": world.nurse.pk, "segment": "bpu", "start_date": "2025-03-01", "wage": 1000000,
               "jht": True, "reason": "informal work"}  # fmt: skip
    response = client.post("/api/registry/memberships", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["payer"] == "participant"
    assert created["programs"] == ["jkk", "jkm", "jht"]
    body = json.dumps({"end_date": "2025-06-30", "reason": "moved"})
    end = client.post(f"/api/registry/memberships/{created['id']}/end", body, content_type="application/json")
    assert end.json()["end_date"] == "2025-06-30"
    outsider = client_for(personas.sambas).post(
        f"/api/registry/memberships/{created['id']}/end", json.dumps({"end_date": "2025-05-31", "reason": "x"}),
        content_type="application/json",
    )  # fmt: skip
    assert outsider.status_code == 404
    assert Membership.objects.get(pk=created["id"]).end_date == date(2025, 6, 30)


def test_the_api_documentation_is_served_without_a_cdn(world: World, personas: Personas) -> None:
    page = client_for(personas.analyst).get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    schema = client_for(personas.analyst).get("/api/openapi.json").json()
    assert "/api/registry/persons" in schema["paths"]


def test_templates_download_and_the_import_page_imports(world: World, personas: Personas) -> None:
    client = client_for(personas.bpjs)
    template = client.get("/registry/templates/persons.csv")
    assert template.status_code == 200
    assert template.content.decode().startswith("nik,name,birth_date")
    xlsx = client.get("/registry/templates/memberships.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = io.BytesIO(b"nik,name,birth_date,sex,district_code\n6171014506000004,Dewi,2000-06-05,P,61.71.01\n")
    upload.name = "persons.csv"
    page = client.post("/registry/import/", {"kind": "persons", "file": upload, "reason": "office upload"})
    assert page.status_code == 200
    assert "1 baru" in page.content.decode()  # the summary, in Indonesian
    assert Person.objects.filter(nik="6171014506000004").exists()
    report = client.get("/registry/import/report/persons/")
    assert b"accepted" in b"".join(report.streaming_content)  # type: ignore[attr-defined]


def test_an_analyst_cannot_import(world: World, personas: Personas) -> None:
    assert client_for(personas.analyst).get("/registry/import/").status_code == 403
    assert Client().get("/registry/import/").status_code == 302
