"""Machine clients: API keys that act as their user, retries that change nothing, and pages that do
not grow with the table."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from jamsostek.accounts.models import ApiKey
from jamsostek.accounts.services import apikey_create, apikey_revoke
from jamsostek.core.models import AuditRecord, IdempotentRequest
from jamsostek.registry import services
from jamsostek.registry.models import Person
from tests.conftest import Personas, World


def key_client(key: str, **options: Any) -> Client:
    client = Client(**options)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def session_client(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


# --- keys ------------------------------------------------------------------------------------------


def test_the_command_makes_a_key_shown_once_and_stored_hashed(world: World, personas: Personas) -> None:
    out = io.StringIO()
    call_command("apikey", "create", "--user", "ketapang", "--name", "payroll Ketapang", "--format", "json", stdout=out)
    made = json.loads(out.getvalue())
    assert (made["name"], made["user"]) == ("payroll Ketapang", "ketapang")
    assert made["key"].startswith("jms_")
    assert len(made["key"]) > 40
    stored = ApiKey.objects.get(name="payroll Ketapang")
    assert made["key"] not in (stored.prefix, stored.hashed)
    assert AuditRecord.objects.filter(entity="accounts.apikey", entity_id=str(stored.pk), action="create").exists()
    listing = io.StringIO()
    call_command("apikey", "list", "--format", "json", stdout=listing)
    assert json.loads(listing.getvalue()) == [
        {"name": "payroll Ketapang", "user": "ketapang", "expires_on": None, "last_used_at": None, "revoked": False}
    ]
    assert made["key"] not in listing.getvalue()


def test_a_key_acts_as_its_user_with_the_same_reach_and_masking(world: World, personas: Personas) -> None:
    key = apikey_create(actor=None, user=personas.ketapang, name="payroll", reason="test").key
    data = key_client(key).get("/api/registry/persons").json()
    assert {item["name"] for item in data["items"]} == {"Siti Aminah", "Maria Ulfa"}  # Ketapang's only
    assert all("*" in item["nik"] for item in data["items"])  # masked, as for the officer
    assert key_client(key).get(f"/api/registry/persons/{world.sambas_worker.pk}").status_code == 404
    assert ApiKey.objects.get(name="payroll").last_used_at is not None


def test_a_key_needs_no_csrf_token_and_a_session_still_does(world: World, personas: Personas) -> None:
    key = apikey_create(actor=None, user=personas.bpjs, name="bank channel", reason="test").key
    payload = {"nik": "6171014506000004", "name": "Dewi Lestari", "birth_date": "2000-06-05", "sex": "P",
               "district_code": "61.71.01", "reason": "walk-in"}  # fmt: skip
    by_key = key_client(key, enforce_csrf_checks=True).post(
        "/api/registry/persons", json.dumps(payload), content_type="application/json"
    )
    assert by_key.status_code == 201, by_key.content
    by_session = session_client(personas.bpjs).post(
        "/api/registry/persons", json.dumps({**payload, "nik": "6171015506000005"}), content_type="application/json"
    )
    assert by_session.status_code == 403
    assert by_session.json()["code"] == "forbidden"


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong secret", "unknown", "inactive user"])
def test_a_key_that_does_not_hold_answers_401(world: World, personas: Personas, state: str) -> None:
    made = apikey_create(actor=None, user=personas.bpjs, name="k", reason="test",
                         expires_on=timezone.localdate() + timedelta(days=30))  # fmt: skip
    key = made.key
    if state == "revoked":
        apikey_revoke(actor=None, api_key=made.api_key, reason="leaked")
        assert AuditRecord.objects.filter(entity="accounts.apikey", action="update", reason="leaked").exists()
    elif state == "expired":
        ApiKey.objects.filter(pk=made.api_key.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    elif state == "wrong secret":
        key = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    elif state == "unknown":
        key = "jms_nothing_here"
    else:
        personas.bpjs.is_active = False
        personas.bpjs.save()
    response = key_client(key).get("/api/registry/persons")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_documentation_needs_a_session_or_a_key(world: World, personas: Personas) -> None:
    key = apikey_create(actor=None, user=personas.analyst, name="notebook", reason="test").key
    assert Client().get("/api/openapi.json").status_code == 401
    assert key_client("jms_bogus_key").get("/api/openapi.json").status_code == 401
    assert key_client(key).get("/api/openapi.json").status_code == 200


def test_only_administrators_make_or_revoke_keys(world: World, personas: Personas) -> None:
    from jamsostek.core.errors import Forbidden

    with pytest.raises(Forbidden):
        apikey_create(actor=personas.bpjs, user=personas.bpjs, name="mine", reason="x")
    made = apikey_create(actor=personas.admin, user=personas.bpjs, name="theirs", reason="x")
    with pytest.raises(Forbidden):
        apikey_revoke(actor=personas.ketapang, api_key=made.api_key, reason="x")


def test_a_bad_command_line_is_one_line(world: World, personas: Personas) -> None:
    with pytest.raises(CommandError) as failed:
        call_command("apikey", "create", "--user", "nobody", "--name", "x")
    assert failed.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("apikey", "create", "--user", "ketapang", "--name", "x", "--expires", "tomorrow")


# --- retries ---------------------------------------------------------------------------------------

PERSON = {"nik": "6171014506000004", "name": "Dewi Lestari", "birth_date": "2000-06-05", "sex": "P",
          "district_code": "61.71.01", "reason": "walk-in"}  # fmt: skip


def test_a_retry_with_the_same_key_gets_the_first_answer_and_changes_nothing(world: World, personas: Personas) -> None:
    key = apikey_create(actor=None, user=personas.bpjs, name="bank", reason="test").key
    client = key_client(key)
    headers = {"Idempotency-Key": "register-dewi-1"}
    first = client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json", headers=headers)
    again = client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(nik=PERSON["nik"]).count() == 1
    assert AuditRecord.objects.filter(entity="registry.person", reason="walk-in").count() == 1
    # without a key, the same request is a second attempt: the duplicate is refused as usual
    third = client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json")
    assert third.status_code == 409


def test_a_key_reused_for_another_request_is_refused(world: World, personas: Personas) -> None:
    client = key_client(apikey_create(actor=None, user=personas.bpjs, name="bank", reason="test").key)
    headers = {"Idempotency-Key": "k-1"}
    client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json", headers=headers)
    other = client.post("/api/registry/persons", json.dumps({**PERSON, "name": "Dewi L."}),
                        content_type="application/json", headers=headers)  # fmt: skip
    assert other.status_code == 409  # the key is taken
    assert (other.json()["field"], other.json()["code"]) == ("Idempotency-Key", "idempotency_key_reused")


def test_a_refused_request_is_refused_again_and_keys_are_per_sender(world: World, personas: Personas) -> None:
    ketapang = key_client(apikey_create(actor=None, user=personas.ketapang, name="a", reason="t").key)
    bpjs = key_client(apikey_create(actor=None, user=personas.bpjs, name="b", reason="t").key)
    headers = {"Idempotency-Key": "same-text"}
    refused = ketapang.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json",
                            headers=headers)  # fmt: skip
    assert refused.status_code == 403  # a Pontianak person is outside Ketapang
    assert ketapang.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json",
                         headers=headers).status_code == 403  # fmt: skip
    accepted = bpjs.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json", headers=headers)
    assert accepted.status_code == 201  # another sender's key of the same text is its own


def test_an_unusable_idempotency_key_is_a_clear_400(world: World, personas: Personas) -> None:
    client = key_client(apikey_create(actor=None, user=personas.bpjs, name="b", reason="t").key)
    response = client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json",
                           headers={"Idempotency-Key": "x" * 101})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"
    assert not IdempotentRequest.objects.exists()


def test_an_unauthenticated_write_is_answered_401_and_its_key_is_not_kept(world: World, personas: Personas) -> None:
    headers = {"Idempotency-Key": "k-anon"}
    for client in (key_client("jms_notakey000000000000000000000000000000"), Client()):
        response = client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json",
                               headers=headers)  # fmt: skip
        assert response.status_code in (401, 403)
        assert not IdempotentRequest.objects.exists()
    assert not Person.objects.filter(nik=PERSON["nik"]).exists()


def test_an_administrator_revokes_a_key_in_the_back_office_and_it_stops_at_once(
    world: World, personas: Personas
) -> None:
    key = apikey_create(actor=None, user=personas.bpjs, name="bank channel", reason="test").key
    assert key_client(key).get("/api/registry/persons").status_code == 200
    admin = Client()
    admin.force_login(personas.admin)
    listing = admin.get("/admin/accounts/apikey/").content.decode()
    assert "bank channel" in listing
    assert key not in listing
    stored = ApiKey.objects.get(name="bank channel")
    response = admin.post("/admin/accounts/apikey/", {"action": "revoke", "index": "0",
                                                      "_selected_action": [str(stored.pk)]})  # fmt: skip
    assert response.status_code == 302
    assert key_client(key).get("/api/registry/persons").status_code == 401
    record = AuditRecord.objects.get(entity="accounts.apikey", entity_id=str(stored.pk), action="update")
    assert (record.actor_label, "revoked_at" in record.changes) == ("admin", True)


def test_a_write_with_a_revoked_or_unknown_key_is_401_not_a_csrf_failure(world: World, personas: Personas) -> None:
    made = apikey_create(actor=None, user=personas.bpjs, name="bank", reason="test")
    apikey_revoke(actor=None, api_key=ApiKey.objects.get(name="bank"), reason="test")
    for key in (made.key, "jms_notakey"):
        response = key_client(key, enforce_csrf_checks=True).post(
            "/api/registry/persons", json.dumps(PERSON), content_type="application/json"
        )
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_a_claim_left_by_a_request_that_died_is_taken_over_by_a_retry(world: World, personas: Personas) -> None:
    from jamsostek.core import idempotency

    key = apikey_create(actor=None, user=personas.bpjs, name="bank", reason="test").key
    client = key_client(key)
    headers = {"Idempotency-Key": "died-1"}
    client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json", headers=headers)
    claim = IdempotentRequest.objects.get(key="died-1")
    IdempotentRequest.objects.filter(pk=claim.pk).update(  # as if the first request died while working
        status=None, body=b"", created_at=timezone.now() - idempotency.STALE - timedelta(seconds=1)
    )
    retry = client.post("/api/registry/persons", json.dumps(PERSON), content_type="application/json", headers=headers)
    assert "Idempotent-Replayed" not in retry  # run again, not waited on for a minute and refused
    assert retry.status_code == 409  # ...and the person it did register is met as usual
    assert IdempotentRequest.objects.get(key="died-1").status == 409
    assert Person.objects.filter(nik=PERSON["nik"]).count() == 1


# --- pages -----------------------------------------------------------------------------------------


def test_a_list_comes_in_pages_that_walk_every_row_once(world: World, personas: Personas) -> None:
    for number in range(7):
        services.person_register(
            actor=None, nik=f"61710145060000{10 + number}", name=f"Orang {number}", birth_date=date(2000, 6, 5),
            sex="F", region_code="61.71.01", reason="setup",
        )  # fmt: skip
    client = session_client(personas.bpjs)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        data = client.get("/api/registry/persons", query).json()
        assert (data["count"], data["count_is_exact"]) == (10, True)
        seen += [item["id"] for item in data["items"]]
        pages += 1
        cursor = data["next"]
        if cursor is None:
            break
    assert pages == 4
    assert seen == sorted(seen) == sorted(Person.objects.values_list("id", flat=True))


def test_a_page_is_counted_in_its_own_query_up_to_the_limit(
    world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bounded count rides in the page's query: one read of the listed table per page; the count
    stops at ``COUNT_LIMIT``; past the end of a list, and for a reader who may see none of it, the
    answer is an empty page with the right count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jamsostek.core import paging

    for number in range(7):
        services.person_register(
            actor=None, nik=f"61710145060000{10 + number}", name=f"Orang {number}", birth_date=date(2000, 6, 5),
            sex="F", region_code="61.71.01", reason="setup",
        )  # fmt: skip
    persons = Person.objects.count()
    client = session_client(personas.bpjs)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/registry/persons", {"limit": 4}).json()
    reads = [query["sql"] for query in queries.captured_queries if "registry_person" in query["sql"]]
    reads = [sql for sql in reads if sql.lstrip().startswith("SELECT")]
    assert len(reads) == 1, reads
    assert (len(first["items"]), first["count"], first["count_is_exact"]) == (4, persons, True)

    last_id = str(Person.objects.order_by("-pk").values_list("pk", flat=True)[0])
    past = client.get("/api/registry/persons", {"cursor": last_id}).json()
    assert (past["items"], past["next"], past["count"], past["count_is_exact"]) == ([], None, persons, True)

    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    bounded = client.get("/api/registry/persons", {"limit": 2}).json()
    assert (bounded["count"], bounded["count_is_exact"]) == (5, False)
    exact = client.get("/api/registry/persons", {"limit": 2, "search": "Orang 3"}).json()
    assert (exact["count"], exact["count_is_exact"], len(exact["items"])) == (1, True, 1)

    nothing = session_client(personas.agency).get("/api/registry/sponsor-programs").json()  # may see none
    assert (nothing["items"], nothing["count"], nothing["count_is_exact"]) == ([], 0, True)


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"cursor": "18446744073709551616"}, "cursor"),
     ({"cursor": "-1"}, "cursor"), ({"cursor": "abc"}, "cursor")],
)  # fmt: skip
def test_hostile_paging_numbers_are_a_422_naming_the_parameter(
    world: World, personas: Personas, query: dict[str, Any], field: str
) -> None:
    for path in ("/api/registry/persons", "/api/contributions/bills", "/api/registry/memberships"):
        response = session_client(personas.bpjs).get(path, query)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["field"] == field
