"""The resources users work with every week, through the API: each read scoped, each write through
its service (validated, checked before and after, audited)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from jamsostek.contributions.models import Bill, Payment
from jamsostek.contributions.services import billing_run
from jamsostek.core import paging
from jamsostek.core.models import AuditRecord
from jamsostek.registry.models import Employer, Person, Project, SponsorProgram, WageReport
from jamsostek.rules.periods import Month
from tests.conftest import Personas, World


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, payload: dict[str, Any]) -> Any:
    return client.generic(method, path, json.dumps(payload), content_type="application/json")


def test_a_persons_details_change_with_an_audit_record_and_not_their_nik(world: World, personas: Personas) -> None:
    person = world.ketapang_worker
    response = send(client_for(personas.ketapang), "PATCH", f"/api/registry/persons/{person.pk}",
                    {"phone": "081299990000", "reason": "new phone"})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "081299990000"
    assert response.json()["nik"] == "610401**********"
    record = AuditRecord.objects.get(entity="registry.person", entity_id=str(person.pk), action="update")
    assert (record.changes, record.reason, record.actor_label) == ({"phone": ["", "081299990000"]}, "new phone",
                                                                   "ketapang")  # fmt: skip
    refused = send(client_for(personas.ketapang), "PATCH", f"/api/registry/persons/{person.pk}",
                   {"nik": "6104015708900099", "reason": "x"})  # fmt: skip
    assert refused.status_code == 200  # an unknown field is ignored by the schema: the NIK stays
    assert Person.objects.get(pk=person.pk).nik == person.nik


def test_an_officer_finds_a_person_by_their_full_nik_though_it_is_masked(world: World, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    found = client.get("/api/registry/persons", {"nik": world.nurse.nik}).json()
    assert [item["name"] for item in found["items"]] == ["Maria Ulfa"]
    assert client.get("/api/registry/persons", {"nik": world.sambas_worker.nik}).json()["items"] == []


def test_employers_are_registered_changed_and_listed_by_regency(world: World, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    made = send(client, "POST", "/api/registry/employers", {
        "npp": "K0777", "name": "CV Baru", "risk_class": 2, "size_class": "small", "region_code": "61.04.02",
        "reason": "new employer"})  # fmt: skip
    assert made.status_code == 201, made.content
    employer = Employer.objects.get(npp="K0777")
    assert employer.regency_id == "61.04"
    renamed = send(client, "PATCH", f"/api/registry/employers/{employer.pk}", {"name": "CV Baru Jaya", "reason": "x"})
    assert renamed.json()["name"] == "CV Baru Jaya"
    refused = send(client, "PATCH", f"/api/registry/employers/{employer.pk}", {"risk_class": 3, "reason": "audit"})
    assert (refused.status_code, refused.json()["field"]) == (403, "risk_class")  # BPJS sets what it owes
    changed = send(client_for(personas.bpjs), "PATCH", f"/api/registry/employers/{employer.pk}",
                   {"risk_class": 3, "reason": "audit"})  # fmt: skip
    assert changed.json()["risk_class"] == 3
    moved = send(client, "PATCH", f"/api/registry/employers/{employer.pk}", {"region_code": "61.01.01", "reason": "x"})
    assert (moved.status_code, moved.json()["field"]) == (403, "region_code")
    listed = client_for(personas.bpjs).get("/api/registry/employers", {"regency": "61.04"}).json()
    assert {item["npp"] for item in listed["items"]} == {"K0001", "OPD-61.04-01", "K0777"}


def test_a_wage_is_reported_from_a_date_and_the_history_stays(world: World, personas: Personas) -> None:
    response = send(client_for(personas.agency), "POST", f"/api/registry/memberships/{world.honorary.pk}/wages",
                    {"valid_from": "2025-06-01", "amount": 3_100_000, "reason": "new salary scale"})  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["wages"] == [
        {"valid_from": "2022-02-01", "amount": 2_800_000, "fixed_allowances": 0},
        {"valid_from": "2025-06-01", "amount": 3_100_000, "fixed_allowances": 0},
    ]
    assert WageReport.objects.filter(membership=world.honorary).count() == 2


def test_sponsor_programs_and_projects_are_made_and_read_in_the_officers_regency(
    world: World, personas: Personas
) -> None:
    client = client_for(personas.ketapang)
    program = send(client, "POST", "/api/registry/sponsor-programs", {
        "code": "KTP-2026", "name": "Pekerja rentan", "kind": "regency_budget", "region_code": "61.04", "year": 2026,
        "quota": 100, "start_date": "2026-01-01", "end_date": "2026-12-31", "reason": "APBD 2026"})  # fmt: skip
    assert program.status_code == 201, program.content
    project = send(client, "POST", "/api/registry/projects", {
        "code": "PRJ-9", "name": "Jembatan", "npp": "K0001", "region_code": "61.04.01",
        "contract_value": 900_000_000, "start_date": "2026-01-01", "end_date": "2026-06-30",
        "reason": "tender"})  # fmt: skip
    assert project.status_code == 201, project.content
    assert [item["code"] for item in client.get("/api/registry/sponsor-programs").json()["items"]] == ["KTP-2026"]
    assert client_for(personas.sambas).get("/api/registry/sponsor-programs").json()["items"] == []
    other = client_for(personas.sambas).get(f"/api/registry/projects/{Project.objects.get(code='PRJ-9').pk}")
    assert other.status_code == 404
    assert SponsorProgram.objects.get(code="KTP-2026").region_id == "61.04"


def test_payments_are_listed_and_a_statement_is_posted_once(world: World, personas: Personas) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    bill = Bill.objects.get(payer_key=f"employer:{world.company.pk}", period=Month(2025, 3).first_day)
    statement = f"transaction_reference,payment_reference,amount,paid_on\nB-1,{bill.reference},1000,2025-04-01\n"
    client = client_for(personas.bpjs)

    def post() -> dict[str, Any]:
        upload = io.BytesIO(statement.encode())
        upload.name = "statement.csv"
        response = client.post("/api/contributions/payments/statement", {"file": upload})
        assert response.status_code == 200, response.content
        return dict(response.json())

    first, again = post(), post()
    assert (first["posted"], first["already_posted"], first["applied"]) == (1, 0, True)
    assert (again["posted"], again["already_posted"]) == (0, 1)
    assert Payment.objects.filter(transaction_reference="B-1").count() == 1
    listed = client.get("/api/contributions/payments", {"payer_key": bill.payer_key}).json()
    assert [item["transaction_reference"] for item in listed["items"]] == ["B-1"]
    assert client_for(personas.sambas).get(f"/api/contributions/payments/{listed['items'][0]['id']}").status_code == 404


def test_a_persons_protection_month_by_month(world: World, personas: Personas) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    answer = (
        client_for(personas.ketapang)
        .get(f"/api/contributions/persons/{world.ketapang_worker.pk}/status", {"first": "2025-02", "last": "2025-03"})
        .json()
    )
    assert answer == [{"membership_id": world.pu.pk, "segment": "pu",
                       "months": [{"month": "2025-02", "status": "not billed"},
                                  {"month": "2025-03", "status": "protected"}]}]  # fmt: skip
    too_long = client_for(personas.ketapang).get(
        f"/api/contributions/persons/{world.ketapang_worker.pk}/status", {"first": "2015-01", "last": "2025-03"}
    )
    assert (too_long.status_code, too_long.json()["field"]) == (400, "last")


def test_an_administrator_reads_a_records_audit_trail(world: World, personas: Personas) -> None:
    person = world.ketapang_worker
    send(client_for(personas.ketapang), "PATCH", f"/api/registry/persons/{person.pk}",
         {"phone": "081211112222", "reason": "new phone"})  # fmt: skip
    trail = client_for(personas.admin).get(f"/api/audit/registry.person/{person.pk}").json()
    assert [(entry["action"], entry["actor"], entry["reason"]) for entry in trail] == [
        ("create", "system", "test setup"), ("update", "ketapang", "new phone")
    ]  # fmt: skip
    assert client_for(personas.bpjs).get(f"/api/audit/registry.person/{person.pk}").status_code == 403


def test_a_long_list_says_its_count_is_a_lower_bound(
    world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    data = client_for(personas.bpjs).get("/api/registry/persons", {"limit": 1}).json()
    assert (data["count"], data["count_is_exact"], len(data["items"])) == (2, False, 1)


def test_a_list_answer_from_dicts_is_the_answer_from_models(world: World) -> None:
    """The lists read their rows as dicts of the schema's columns (``paging.columns``, ``values()``) and
    validate them as dicts (``paging.Row``) instead of going through Django Ninja's getter on models:
    each schema reads the same answer either way."""
    from jamsostek.contributions.api import BillOut, PaymentRecordOut
    from jamsostek.registry.api import EmployerOut, ProjectOut, SponsorProgramOut

    billing_run(actor=None, period=Month(2025, 3))
    bill = Bill.objects.filter(payer_key=f"employer:{world.company.pk}").get()
    Payment.objects.create(
        transaction_reference="T-1", payment_reference=bill.reference, payer_key=bill.payer_key, amount=1000,
        paid_on=Month(2025, 4).first_day, source="api",
    )  # fmt: skip
    cases = [
        (EmployerOut, Employer.objects.all()),
        (BillOut, Bill.objects.all()),
        (PaymentRecordOut, Payment.objects.all()),
    ]
    cases += [(SponsorProgramOut, SponsorProgram.objects.all()), (ProjectOut, Project.objects.all())]
    checked = 0
    for schema, rows in cases:
        for row in rows:
            from_model = super(paging.Row, schema).model_validate(row).model_dump()
            values = rows.filter(pk=row.pk).values(*paging.columns(schema)).get()
            assert schema.model_validate(values).model_dump() == from_model
            checked += 1
    assert checked >= 5


def test_a_page_of_a_list_reads_its_own_table_only(world: World, personas: Personas) -> None:
    """A page joined each row's regency (with its map: 6.5 KB of GeoJSON per row), person, employer
    and sponsor program, and used none of them: a page now reads the listed table (and, for a
    regency officer, filters it by the regency's code)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    billing_run(actor=None, period=Month(2025, 3))
    for persona in (personas.bpjs, personas.ketapang):
        client = client_for(persona)
        for path in ("/api/registry/persons", "/api/registry/memberships", "/api/registry/employers",
                     "/api/registry/sponsor-programs", "/api/registry/projects", "/api/contributions/bills",
                     "/api/contributions/payments"):  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(path)
            assert answer.status_code == 200, (path, answer.content)
            reads = [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().startswith("SELECT")]
            listed = [sql for sql in reads if "registry_" in sql or "contributions_" in sql]
            assert listed, path
            assert not any("boundary" in sql or " JOIN " in sql for sql in listed), (path, listed)
