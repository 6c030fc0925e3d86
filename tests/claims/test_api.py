"""The claims API: a claim from intake to payment as a client drives it, NIKs as each role may see
them, and the errors the issue names (409 for a second claim of the event, 400 for a wrong file,
403 for the verifier who would decide), each in the one error shape."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from django.test import Client

from jamsostek.accounts.models import NikDisclosure
from jamsostek.claims.models import Claim
from tests.claims.conftest import FAMILY, PDF
from tests.claims.test_import import branch_file
from tests.conftest import Personas, World

SHAPE = {"detail", "field", "code"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(payload), content_type="application/json")


def upload(client: Client, claim: int, kind: str, data: bytes = PDF, name: str = "scan.pdf") -> Any:
    file = BytesIO(data)
    file.name = name
    return client.post(f"/api/claims/{claim}/documents/{kind}", {"file": file, "reason": "brought in"})


CLAIM = {"program": "jkm", "event_date": "2025-05-10", "event_kind": "death", "cause": "illness",
         "claimant_relation": "istri", "claimant_nik": "6104014204880001", "claimant_name": "Sri Wahyuni",
         "relatives": FAMILY, "reason": "the widow came to the office"}  # fmt: skip


def test_a_claim_goes_from_intake_to_payment_through_the_api(protected: World, personas: Personas) -> None:
    officer, verifier, decider = client_for(personas.ketapang), client_for(personas.bpjs), client_for(personas.admin)
    created = post(officer, "/api/claims", {**CLAIM, "nik": protected.ketapang_worker.nik})
    assert created.status_code == 201, created.content
    claim = created.json()
    assert (claim["state"], claim["protection"], claim["regency"]) == ("submitted", "protected", "61.04")
    assert claim["nik"] == "610401**********"  # a regency officer sees NIKs masked
    for document in claim["documents"]:
        if document["required"]:
            assert upload(officer, claim["id"], document["kind"]).status_code == 200
    for document in claim["documents"]:
        if document["required"]:
            answer = post(verifier, f"/api/claims/{claim['id']}/documents/{document['kind']}/verify", {"reason": "ok"})
            assert answer.json()["state"] == "verified"
    verified = post(verifier, f"/api/claims/{claim['id']}/verify", {"reason": "all in order"}).json()
    assert (verified["state"], verified["verified_by"]) == ("verified", "bpjs")
    refused = post(verifier, f"/api/claims/{claim['id']}/decisions", {"reason": "mine"})
    assert refused.status_code == 403
    assert set(refused.json()) == SHAPE
    decided = post(decider, f"/api/claims/{claim['id']}/decisions", {"reason": "second pair of eyes"})
    assert decided.status_code == 201
    decision = decided.json()["decisions"][0]
    assert (decision["outcome"], decision["total"], decision["legal_basis"]) == (
        "approved",
        42_000_000,
        "PP 82/2019 art. 34(1)(a)",
    )
    assert [line["amount"] for line in decision["lines"]] == [20_000_000, 12_000_000, 10_000_000]
    assert decision["parameters"]["benefits.jkm.funeral"]["value"] == 10_000_000
    paid = post(verifier, f"/api/claims/{claim['id']}/payments",
                {"bank_reference": "BNI-1", "paid_on": "2025-06-10", "reason": "transferred"})  # fmt: skip
    assert (paid.status_code, paid.json()["amount"]) == (201, 42_000_000)
    final = verifier.get(f"/api/claims/{claim['id']}").json()
    assert final["state"] == "paid"
    assert final["nik"] == protected.ketapang_worker.nik  # a BPJS officer sees the NIK


def test_a_second_claim_for_the_event_is_a_409_naming_the_field(protected: World, personas: Personas) -> None:
    client = client_for(personas.bpjs)
    assert post(client, "/api/claims", {**CLAIM, "nik": protected.ketapang_worker.nik}).status_code == 201
    again = post(client, "/api/claims", {**CLAIM, "nik": protected.ketapang_worker.nik})
    assert again.status_code == 409
    assert (again.json()["field"], again.json()["code"]) == ("event_date", "duplicate")


def test_a_file_of_the_wrong_type_is_a_400_with_the_reason(protected: World, personas: Personas) -> None:
    client = client_for(personas.bpjs)
    claim = post(client, "/api/claims", {**CLAIM, "nik": protected.ketapang_worker.nik}).json()
    refused = upload(client, claim["id"], "ktp", b"<html>not a scan</html>", "ktp.pdf")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "only PDF, JPEG and PNG files are accepted", "field": "file",
                              "code": "file_type"}  # fmt: skip


def test_a_documents_file_is_served_to_those_who_handle_claims_only(protected: World, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    claim = post(client, "/api/claims", {**CLAIM, "nik": protected.ketapang_worker.nik}).json()
    document = upload(client, claim["id"], "ktp").json()
    answer = client.get(f"/api/claims/{claim['id']}/documents/{document['id']}/file")
    assert (answer.status_code, answer["Content-Type"], b"".join(answer.streaming_content)) == (
        200, "application/pdf", PDF)  # fmt: skip
    assert client_for(personas.analyst).get(f"/api/claims/{claim['id']}/documents/{document['id']}/file").status_code \
        == 403  # fmt: skip
    assert client_for(personas.sambas).get(f"/api/claims/{claim['id']}/documents/{document['id']}/file").status_code \
        == 404  # fmt: skip


def test_the_list_masks_nik_for_analysts_and_finds_overdue_claims(protected: World, personas: Personas) -> None:
    client = client_for(personas.bpjs)
    post(client, "/api/claims", {**CLAIM, "nik": protected.ketapang_worker.nik, "program": "jkk",
                                 "event_kind": "temporary_incapacity", "cause": "work_accident",
                                 "event_date": "2025-06-01", "relatives": []})  # fmt: skip
    listed = client_for(personas.analyst).get("/api/claims").json()
    assert listed["count"] == 1
    assert listed["items"][0]["nik"] == "610401**********"
    overdue = client.get("/api/claims", {"overdue": "true"}).json()
    assert [(item["program"], item["due_what"], item["due_on"]) for item in overdue["items"]] == [
        ("jkk", "jkk_report", "2025-06-03")]  # fmt: skip
    assert client_for(personas.sambas).get("/api/claims").json()["count"] == 0
    # every full NIK shown is recorded (the claim taken in, the overdue list, this list); a masked one is not
    assert client.get("/api/claims").json()["items"][0]["nik"] == protected.ketapang_worker.nik
    assert list(NikDisclosure.objects.filter(person=protected.ketapang_worker).values_list(
        "user__username", "location")) == [("bpjs", "api:/api/claims")] * 3  # fmt: skip


def test_the_statistics_answer_as_the_command_prints_them(world: World, personas: Personas, tmp_path: Path) -> None:
    from jamsostek.claims.services import claims_import

    claims_import(actor=None, path=branch_file(world, tmp_path / "claims.csv"), reason="branch")
    answer = client_for(personas.analyst).get("/api/claims/statistics", {"year": 2023, "by": "regency"})
    assert answer.status_code == 200
    assert answer.json() == {
        "year": 2023, "region": "61", "by": "regency",
        "rows": [{"key": "61.01", "cases": 1, "amount": 42_000_000},
                 {"key": "61.04", "cases": 2, "amount": 20_050_000}],
        "totals": {"cases": 3, "amount": 62_050_000},
    }  # fmt: skip
    years = client_for(personas.analyst).get("/api/claims/statistics/years").json()
    assert years == [{"year": 2023, "cases": 3, "amount": 62_050_000}, {"year": 2024, "cases": 1, "amount": 3_000_000}]
    refused = client_for(personas.ketapang).get("/api/claims/statistics", {"year": 2023})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    bad = client_for(personas.analyst).get("/api/claims/statistics", {"year": 2023, "by": "colour"})
    assert (bad.status_code, bad.json()["field"]) == (400, "by")


def test_a_claim_the_rules_cannot_decide_without_a_fact_answers_400_naming_it(
    protected: World, personas: Personas
) -> None:
    """A JHT claim needs the balance BPJS holds: the decision without it names the field."""
    from tests.claims.conftest import submit, verified

    claim = verified(submit(protected, program="jht", event_kind="resignation", event_date=date(2025, 4, 1),
                            cause="", relatives=[], claimant_relation="participant"), personas.bpjs)  # fmt: skip
    refused = post(client_for(personas.admin), f"/api/claims/{claim.pk}/decisions", {"reason": "decide"})
    assert refused.status_code == 400
    assert refused.json()["field"] == "balance"
    decided = post(client_for(personas.admin), f"/api/claims/{claim.pk}/decisions",
                   {"facts": {"balance": 9_800_000}, "reason": "decide"})  # fmt: skip
    assert decided.json()["decisions"][0]["total"] == 9_800_000
    assert Claim.objects.get(pk=claim.pk).state == "approved"
