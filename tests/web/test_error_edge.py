"""Every failure reaches an API client in one shape, ``{"detail", "field", "code"}``, with the right
status and in the session's language; the OpenAPI schema declares each operation's error answers;
a command maps a domain error to one line and exit status 2."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Personas, World

SHAPE = {"detail", "field", "code"}


def client_for(user: Any, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def shaped(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert set(body) == SHAPE, body
    return body


def test_a_refused_billing_run_is_a_json_403_not_a_page(world: World, personas: Personas) -> None:
    response = client_for(personas.ketapang).post(
        "/api/contributions/billing-runs", json.dumps({"period": "2025-03"}), content_type="application/json"
    )
    assert shaped(response, 403)["code"] == "forbidden"


def test_a_request_that_breaks_the_schema_is_one_422_naming_the_field(world: World, personas: Personas) -> None:
    payload = {"name": "Dewi", "birth_date": "2000-06-05", "sex": "P", "district_code": "61.71.01", "reason": "x"}
    response = client_for(personas.bpjs, "en").post(
        "/api/registry/persons", json.dumps(payload), content_type="application/json"
    )
    body = shaped(response, 422)
    assert (body["field"], body["code"], body["detail"]) == ("nik", "missing", "is required")
    response = client_for(personas.bpjs, "id").post(
        "/api/registry/persons", json.dumps({**payload, "nik": "6171014506000004", "birth_date": "5 June"}),
        content_type="application/json",
    )  # fmt: skip
    body = shaped(response, 422)
    assert body["field"] == "birth_date"
    assert body["detail"] == "harus tanggal dengan format YYYY-MM-DD"


def test_a_bad_month_is_answered_in_the_sessions_language(world: World, personas: Personas) -> None:
    indonesian = shaped(client_for(personas.bpjs).get("/api/contributions/bills", {"period": "2025-13"}), 422)
    assert indonesian["field"] == "period"
    assert indonesian["detail"].startswith("tidak sesuai format yang diharapkan: ^[0-9]{4}-")
    english = shaped(client_for(personas.bpjs, "en").get("/api/contributions/bills", {"period": "2025-13"}), 422)
    assert english["detail"].startswith("does not have the expected form: ^[0-9]{4}-")
    # a month the schema takes but the rules do not (before JKK and JKM existed as encoded)
    too_early = {"workers": 10, "months": 12, "first_month": "1990-01"}
    indonesian = shaped(client_for(personas.bpjs).get("/api/contributions/cohort-cost", too_early), 400)
    assert indonesian["field"] == "first_month"
    assert "sebelum" in indonesian["detail"]
    english = shaped(client_for(personas.bpjs, "en").get("/api/contributions/cohort-cost", too_early), 400)
    assert "is before" in english["detail"]


def test_unknown_paths_wrong_methods_and_strangers_get_the_shape_too(world: World, personas: Personas) -> None:
    client = client_for(personas.bpjs, "en")
    assert shaped(client.get("/api/registry/nothing-here"), 404)["code"] == "not_found"
    assert shaped(client.delete("/api/registry/persons"), 405)["code"] == "method_not_allowed"
    assert shaped(Client().get("/api/registry/persons"), 401)["code"] == "not_authenticated"
    assert shaped(client_for(personas.sambas).get(f"/api/registry/persons/{world.nurse.pk}"), 404)["code"] == (
        "not_found"
    )


def test_a_duplicate_is_a_409_naming_the_field(world: World, personas: Personas) -> None:
    payload = {"nik": world.nurse.nik, "name": "Maria Ulfa", "birth_date": "1995-01-01", "sex": "P",
               "district_code": "61.04.02", "reason": "again"}  # fmt: skip
    response = client_for(personas.bpjs).post("/api/registry/persons", json.dumps(payload),
                                              content_type="application/json")  # fmt: skip
    assert shaped(response, 409)["field"] == "nik"


def test_a_body_that_cannot_be_read_is_a_400_not_a_500(world: World, personas: Personas) -> None:
    """A form upload whose Content-Type names no boundary: the client sent nonsense, not the server."""
    claim_upload = "/api/claims/1/documents/ktp"
    for path in (claim_upload, "/api/contributions/payments/statement"):
        client = client_for(personas.admin)
        client.raise_request_exception = False
        response = client.generic("POST", path, b"--x\r\n", content_type="multipart/form-data")
        assert shaped(response, 400)["code"] == "invalid", path


def test_an_unexpected_error_is_a_json_500(world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    from jamsostek.registry import selectors

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "region_list", broken)
    client = client_for(personas.bpjs, "en")
    client.raise_request_exception = False
    assert shaped(client.get("/api/registry/regions"), 500)["code"] == "server_error"


def test_the_schema_declares_every_operations_error_answers(db: Any) -> None:
    from jamsostek.web.api import api

    schema = json.loads(json.dumps(api.get_openapi_schema()))  # as a client reads it
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {int(code) for code in operation["responses"] if code.isdigit()}
            needed = {401, 422}
            if "{" in path:
                needed.add(404)
            if method in ("post", "put", "patch", "delete"):
                needed |= {400, 403}
            if not needed <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(needed - codes)}")
            for code in codes - {200, 201}:
                content = operation["responses"][str(code)]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}, (path, code)
    assert missing == []


def test_no_two_api_schemas_share_a_name(db: Any) -> None:
    """The OpenAPI schema names its components by class name: two classes of one name (a registry
    region and a coverage region) would describe one of them wrongly."""
    from ninja import Schema

    def every(cls: type) -> list[type]:
        return [cls, *(grandchild for child in cls.__subclasses__() for grandchild in every(child))]

    ours = {cls for cls in every(Schema) if cls.__module__.startswith("jamsostek.")}
    names = sorted(cls.__name__ for cls in ours)
    assert sorted({name for name in names if names.count(name) > 1}) == []
