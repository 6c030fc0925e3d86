"""The persona matrix: every page and every API operation, asked by every persona and by a visitor
who is not logged in, answers as ``tests/persona_matrix.py`` says it should.

The routes are found, not listed: every operation of the OpenAPI schema and every URL pattern of
the web app (``get_resolver()``, walked through every ``include``: the app's pages, the back
office's pages for every registered model). A route with no row in the table fails the suite, and
so does a row that matches no route.

One test per route, each persona asked in turn inside it. The world (``tests/conftest.py``: two
regencies, an agency and its staff, the personas; with sponsor programs, projects, bills, fines,
payments and a coverage computation set up through the real services) is built once for the module
and every route's test runs in a savepoint of it that is rolled back, so each route starts from
the same world, as if built for it alone (building it 150 times took 15 s of the 20 s budget).
Each persona's request runs in a savepoint of its own, rolled back too, so one persona's write
never changes the next one's answer; cookies are reset before each request.

Run ``pytest tests/test_persona_matrix.py`` for the whole table; a failing route lists every
persona whose answer differs, with the URL it asked.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from jamsostek.accounts.models import ApiKey, NikDisclosure
from jamsostek.accounts.nik_log import nik_shown
from jamsostek.accounts.services import apikey_create
from jamsostek.accounts.throttle import record_failure
from jamsostek.claims import selectors as claim_selectors
from jamsostek.claims import services as claim_services
from jamsostek.claims.models import Claim, ClaimDocument
from jamsostek.contributions.models import Bill, BillingRun, Fine, Payment
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.core.models import AuditRecord
from jamsostek.coverage import indicators, kept
from jamsostek.coverage.bulk.compute import recompute
from jamsostek.coverage.models import Denominator, Target
from jamsostek.coverage.reference import load_reference
from jamsostek.registry import services
from jamsostek.registry.models import Person
from jamsostek.rules.periods import Month
from jamsostek.web.api import api
from tests.conftest import Personas, World
from tests.drives.world import DriveRecords, list_file
from tests.persona_matrix import PERSONAS, ROWS, Row

PASSWORD = "a long test password"  # every persona's (tests/conftest.py)
MARCH = Month(2025, 3)
ERROR_KEYS = {"detail", "field", "code"}

# --- the routes ------------------------------------------------------------------------------------------------------

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")


@cache
def api_operations() -> frozenset[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI schema the API serves at /api/openapi.json."""
    paths = api.get_openapi_schema()["paths"]
    return frozenset((method.upper(), path) for path, operations in paths.items() for method in operations)


def _readable(pattern: str) -> str:
    """A regular expression's pattern as a route: ``^(?P<app_label>a|b)/$`` -> ``<app_label>/``."""
    return NAMED_GROUP.sub(r"<\1>", pattern.removeprefix("^").removesuffix("$"))


def _walk(patterns: list[Any], prefix: str) -> Iterator[str]:
    for pattern in patterns:
        route = prefix + _readable(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route


def url_patterns() -> set[str]:
    """Every URL pattern of the web app, as ``/route``, except those of API operations (their
    operations stand for them, with their methods)."""
    operation_paths = {path for _method, path in api_operations()}
    routes = {"/" + route for route in _walk(get_resolver().url_patterns, "")}
    return {route for route in routes if PARAMETER.sub(r"{\1\2}", route) not in operation_paths}


def _is_operation(row: Row) -> bool:
    return row.path in {path for _method, path in api_operations()}


def _parameters(path: str) -> list[str]:
    return [match.group(1) or match.group(2) for match in PARAMETER.finditer(path)]


def _grouped() -> dict[tuple[str, str], list[Row]]:
    routes: dict[tuple[str, str], list[Row]] = {}
    for row in ROWS:
        routes.setdefault((row.method, row.path), []).append(row)
    return routes


ROUTES = _grouped()


# --- the records that fill the paths, and the payloads ---------------------------------------------------------------


class Records:
    """The world's records beyond ``World``, set up through the real services: sponsor programs and
    projects in both regencies, the drives' programs, lists and drives (``tests/drives/world.py``),
    March's bills, two paid late (with their fines), coverage computed for January to March 2025, and
    the persona's sessions."""

    def __init__(self, world: World, personas: Personas) -> None:
        self.world = world
        self.personas = personas
        self.ketapang_sponsor = services.sponsor_program_create(
            actor=None, code="KTP-2025", name="Pekerja rentan Ketapang", kind="regency_budget", region_code="61.04",
            year=2025, quota=10, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
        )  # fmt: skip
        self.sambas_sponsor = services.sponsor_program_create(
            actor=None, code="SBS-2025", name="Pekerja rentan Sambas", kind="regency_budget", region_code="61.01",
            year=2025, quota=10, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
        )  # fmt: skip
        self.ketapang_project = services.project_create(
            actor=None, code="PRJ-KTP", name="Jalan desa Ketapang", employer=world.company, region_code="61.04.01",
            contract_value=750_000_000, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
        )  # fmt: skip
        self.sambas_project = services.project_create(
            actor=None, code="PRJ-SBS", name="Jalan desa Sambas", employer=world.sambas_company,
            region_code="61.01.01", contract_value=500_000_000, start_date=date(2025, 1, 1),
            end_date=date(2025, 12, 31), reason="setup",
        )  # fmt: skip
        self.drives = DriveRecords(world)
        run = billing_run(actor=None, period=MARCH)
        self.march_run = BillingRun.objects.get(pk=run.run_id)
        self.ketapang_bill = self._bill(f"employer:{world.company.pk}")
        self.sambas_bill = self._bill(f"employer:{world.sambas_company.pk}")
        self.agency_bill = self._bill(f"employer:{world.agency.pk}")
        # paid in full after the due date (15 April): each of these bills earns a fine
        self.ketapang_payment = self._pay_late(self.ketapang_bill, "BANK-KTP")
        self.sambas_payment = self._pay_late(self.sambas_bill, "BANK-SBS")
        self.ketapang_fine = Fine.objects.get(bill=self.ketapang_bill)
        self.sambas_fine = Fine.objects.get(bill=self.sambas_bill)
        load_reference()
        self.computation = recompute(first=Month(2025, 1), last=MARCH, as_of=date(2025, 7, 20))
        self.denominator = Denominator.objects.filter(region_id="61", kind="employed").earliest("period")
        self.target = Target.objects.get(region_id="61", year=2025)
        self.audit_record = AuditRecord.objects.filter(entity="registry.person").order_by("id").first()
        self.group = Group.objects.create(name="Pengawas")
        # a login locked after repeated failures, and a full NIK shown to the administrator
        self.lockout = [record_failure(username="ketapang", address="192.0.2.7")
                        for _attempt in range(settings.LOGIN_ATTEMPTS)][-1]  # fmt: skip
        worker = world.ketapang_worker
        nik_shown(personas.admin, [(worker.pk, worker.nik)], f"api:/api/registry/persons/{worker.pk}")
        self.nik_disclosure = NikDisclosure.objects.get()
        self.sessions = {persona: self._session(getattr(personas, persona)) for persona in PERSONAS[1:-1]}
        self.key = apikey_create(actor=None, user=personas.ketapang, name="matrix", reason="setup").key
        apikey_create(actor=None, user=personas.bpjs, name="spare", reason="setup")  # the one the back office revokes
        self.spare_key = ApiKey.objects.get(name="spare")
        self._claims(world, personas)

    def _claims(self, world: World, personas: Personas) -> None:
        """Claims in each state of the workflow, taken through the services (the verifier is the BPJS
        officer, the decider the administrator)."""

        def claim(person: Any, day: int, **values: Any) -> Claim:
            values = {"program": "jkm", "event_kind": "death", "cause": "illness", **values}
            return claim_services.claim_submit(actor=None, nik=person.nik, event_date=date(2025, 3, day),
                                               reason="setup", **values)  # fmt: skip

        def received(claim: Claim, kinds: tuple[str, ...] | None = None) -> Claim:
            for document in claim.documents.filter(required=True):
                if kinds is None or document.kind in kinds:
                    claim_services.claim_document_receive(actor=None, claim=claim, kind=document.kind, data=PDF,
                                                          name="scan.pdf", reason="setup")  # fmt: skip
            claim.refresh_from_db()
            return claim

        def checked(claim: Claim) -> Claim:
            for document in received(claim).documents.filter(state="received"):
                claim_services.claim_document_verify(actor=personas.bpjs, claim=claim, kind=document.kind,
                                                     reason="setup")  # fmt: skip
            claim.refresh_from_db()
            return claim

        self.ketapang_claim = received(claim(world.ketapang_worker, 3), ("ktp",))
        self.ketapang_document = ClaimDocument.objects.get(claim=self.ketapang_claim, kind="ktp")
        self.sambas_claim = claim(world.sambas_worker, 4)
        self.nurse_claim = claim(
            world.nurse, 5, program="jkk", event_kind="temporary_incapacity", cause="work_accident"
        )
        self.complete_claim = checked(claim(world.ketapang_worker, 6, program="scholarship"))
        self.verified_claim = checked(claim(world.ketapang_worker, 7, program="jht", event_kind="death", cause="",
                                            facts={"balance": 7_500_000}))  # fmt: skip
        claim_services.claim_verify(actor=personas.bpjs, claim=self.verified_claim, reason="setup")
        self.approved_claim = checked(claim(world.ketapang_worker, 8, program="jht", event_kind="total_disability",
                                            cause="", facts={"balance": 5_000_000}))  # fmt: skip
        claim_services.claim_verify(actor=personas.bpjs, claim=self.approved_claim, reason="setup")
        claim_services.claim_decide(actor=personas.admin, claim=self.approved_claim, reason="setup")
        self.documents = {self.ketapang_document.file: PDF}

    def _bill(self, payer_key: str) -> Bill:
        return Bill.objects.get(payer_key=payer_key, period=MARCH.first_day)

    def _pay_late(self, bill: Bill, reference: str) -> Payment:
        payment_record(actor=None, transaction_reference=reference, payment_reference=bill.reference,
                       amount=bill.total, paid_on=date(2025, 5, 20))  # fmt: skip
        return Payment.objects.get(transaction_reference=reference)

    @staticmethod
    def _session(user: Any) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value


PDF = b"%PDF-1.4\n% a scanned page\n%%EOF\n"


def _document_on_disk(records: Records) -> ClaimDocument:
    """The Ketapang claim's KTP, its file in this route's data directory (each route has its own)."""
    document = records.ketapang_document
    stored = Path(settings.DATA_DIR) / document.file
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(records.documents[document.file])
    return document


def _upload() -> BytesIO:
    upload = BytesIO(PDF)
    upload.name = "scan.pdf"
    return upload


def _upload_as_ketapang(records: Records) -> str:
    """Ketapang's officer uploads a persons file through the page, which keeps their report."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = records.sessions["ketapang"]
    response = client.post("/registry/import/", PAYLOADS["persons_file"](records))
    assert response.status_code == 200, response.content[:500]
    return "persons"


def _ketapang_person_file() -> BytesIO:
    upload = BytesIO(b"nik,name,birth_date,sex,district_code\n6104014506000004,Dewi Lestari,2000-06-05,P,61.04.01\n")
    upload.name = "persons.csv"
    return upload


def _statement(records: Records) -> BytesIO:
    bill = records.agency_bill
    upload = BytesIO(
        f"transaction_reference,payment_reference,amount,paid_on\nBANK-STATEMENT,{bill.reference},10000,2025-03-10\n".encode()
    )
    upload.name = "statement.csv"
    return upload


def _constant(value: str) -> Callable[[Records], str]:
    return lambda records: value


# What fills a path parameter: a model record (its primary key) or a text.
RECORDS: dict[str, Callable[[Records], Any]] = {
    "ketapang_worker": lambda r: r.world.ketapang_worker,
    "sambas_worker": lambda r: r.world.sambas_worker,
    "nurse": lambda r: r.world.nurse,
    "company": lambda r: r.world.company,
    "sambas_company": lambda r: r.world.sambas_company,
    "agency": lambda r: r.world.agency,
    "pu": lambda r: r.world.pu,
    "sambas_pu": lambda r: r.world.sambas_pu,
    "honorary": lambda r: r.world.honorary,
    "ketapang_sponsor": lambda r: r.ketapang_sponsor,
    "sambas_sponsor": lambda r: r.sambas_sponsor,
    "ketapang_project": lambda r: r.ketapang_project,
    "sambas_project": lambda r: r.sambas_project,
    "ketapang_bill": lambda r: r.ketapang_bill,
    "sambas_bill": lambda r: r.sambas_bill,
    "agency_bill": lambda r: r.agency_bill,
    "march_run": lambda r: r.march_run,
    "ketapang_fine": lambda r: r.ketapang_fine,
    "sambas_fine": lambda r: r.sambas_fine,
    "ketapang_payment": lambda r: r.ketapang_payment,
    "sambas_payment": lambda r: r.sambas_payment,
    "denominator": lambda r: r.denominator,
    "target": lambda r: r.target,
    "computation": lambda r: r.computation,
    "audit_record": lambda r: r.audit_record,
    "ketapang_user": lambda r: r.personas.ketapang,
    "group": lambda r: r.group,
    "lockout": lambda r: r.lockout,
    "spare_key": lambda r: r.spare_key,
    "nik_disclosure": lambda r: r.nik_disclosure,
    "person_type": lambda r: ContentType.objects.get_for_model(Person),
    "ketapang_claim": lambda r: r.ketapang_claim,
    "sambas_claim": lambda r: r.sambas_claim,
    "nurse_claim": lambda r: r.nurse_claim,
    "complete_claim": lambda r: r.complete_claim,
    "verified_claim": lambda r: r.verified_claim,
    "approved_claim": lambda r: r.approved_claim,
    "ketapang_document": _document_on_disk,
    "ketapang_upload": _upload_as_ketapang,
    "ketapang_list": lambda r: r.drives.ketapang_list,
    "sambas_list": lambda r: r.drives.sambas_list,
    "agency_list": lambda r: r.drives.agency_list,
    "awaiting_drive": lambda r: r.drives.awaiting_drive,
    "approved_drive": lambda r: r.drives.approved_drive,
    "enrolled_drive": lambda r: r.drives.enrolled_drive,
    "sambas_drive": lambda r: r.drives.sambas_drive,
    "approve": _constant("approve"),
    "missing": _constant("999999"),  # no record has this key
    "person_entity": _constant("registry.person"),
    "missing_page": _constant("no-such-page/"),
    **{code: _constant(code) for code in ("61", "61.01", "61.04", "61.04.01")},
    **{
        part: _constant(part)
        for part in ("persons", "memberships", "csv", "xlsx", "registry", "core", "ktp", "kk", "verify-document")
    },
}


def _denominator_form(records: Records) -> dict[str, Any]:
    row = records.denominator
    return {"region": row.region_id, "kind": row.kind, "period": row.period.isoformat(), "value": row.value + 1,
            "method": row.method, "source": row.source, "origin": row.origin}  # fmt: skip


def _target_form(records: Records) -> dict[str, Any]:
    row = records.target
    return {"region": row.region_id, "year": row.year, "percent": "60.00", "source": row.source, "origin": row.origin}


# What a POST sends: JSON to the API, a form to a page.
PAYLOADS: dict[str, Callable[[Records], dict[str, Any]]] = {
    "login": lambda r: {"username": "ketapang", "password": PASSWORD},
    "english": lambda r: {"language": "en", "next": "/"},
    "persons_file": lambda r: {"kind": "persons", "file": _ketapang_person_file(), "reason": "office upload"},
    "ketapang_person": lambda r: {
        "nik": "6104014506000004",
        "name": "Dewi Lestari",
        "birth_date": "2000-06-05",
        "sex": "P",
        "district_code": "61.04.01",
        "reason": "walk-in",
    },
    "sambas_person": lambda r: {
        "nik": "6101014506000005",
        "name": "Rina Wati",
        "birth_date": "2000-06-05",
        "sex": "P",
        "district_code": "61.01.01",
        "reason": "walk-in",
    },
    "bpu_for_ketapang_worker": lambda r: {
        "person_id": r.world.ketapang_worker.pk,
        "segment": "bpu",
        "start_date": "2025-03-01",
        "wage": 1_000_000,
        "jht": True,
        "reason": "informal work",
    },
    "end": lambda r: {"end_date": "2025-06-30", "reason": "moved away"},
    "april_run": lambda r: {"period": "2025-04"},
    "agency_bill_payment": lambda r: {
        "transaction_reference": "BANK-AGENCY",
        "payment_reference": r.agency_bill.reference,
        "amount": 10_000,
        "paid_on": "2025-03-10",
    },
    "new_phone": lambda r: {"phone": "081299990000", "reason": "new phone"},
    "to_sambas_district": lambda r: {"district_code": "61.01.01", "reason": "moved"},
    "ketapang_employer": lambda r: {
        "npp": "K0777",
        "name": "CV Baru Ketapang",
        "risk_class": 2,
        "size_class": "small",
        "region_code": "61.04.01",
        "reason": "new employer",
    },
    "renamed": lambda r: {"name": "Nama Baru", "reason": "renamed"},
    "to_sambas_region": lambda r: {"region_code": "61.01.01", "reason": "moved"},
    "raise": lambda r: {"valid_from": "2025-06-01", "amount": 4_500_000, "reason": "a raise"},
    "ketapang_program": lambda r: {
        "code": "KTP-2026-B",
        "name": "Pekerja rentan 2026",
        "kind": "regency_budget",
        "region_code": "61.04",
        "year": 2026,
        "quota": 5,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "reason": "new budget",
    },
    "ketapang_project_new": lambda r: {
        "code": "PRJ-NEW",
        "name": "Jembatan desa",
        "npp": r.world.company.npp,
        "region_code": "61.04.01",
        "contract_value": 500_000_000,
        "start_date": "2025-06-01",
        "end_date": "2025-12-31",
        "reason": "new project",
    },
    "statement": lambda r: {"file": _statement(r), "dry_run": "false"},
    "unlock": lambda r: {"action": "unlock", "index": "0", "_selected_action": [str(r.lockout.pk)]},
    "revoke": lambda r: {"action": "revoke", "index": "0", "_selected_action": [str(r.spare_key.pk)]},
    "ketapang_claim": lambda r: {
        "nik": r.world.ketapang_worker.nik,
        "program": "jkm",
        "event_date": "2025-03-20",
        "event_kind": "death",
        "cause": "illness",
        "claimant_relation": "istri",
        "claimant_nik": "6104014204880001",
        "claimant_name": "Sri Wahyuni",
        "reason": "the widow came to the office",
    },
    "document_upload": lambda r: {"file": _upload(), "reason": "brought by the claimant"},
    "checked": lambda r: {"reason": "checked against the original"},
    "returned": lambda r: {"note": "unreadable", "reason": "checked"},
    "checked_ktp": lambda r: {"kind": "ktp", "reason": "checked against the original"},
    "decision": lambda r: {"reason": "second pair of eyes"},
    "correction": lambda r: {
        "note": "the balance with the year's returns",
        "facts": {"balance": 5_200_000},
        "reason": "correction",
    },
    "claim_payment": lambda r: {
        "bank_reference": "BNI-123",
        "paid_on": timezone.localdate().isoformat(),
        "reason": "transferred",
    },
    "denominator_form": _denominator_form,
    "target_form": _target_form,
    # the drives
    "fund_ketapang": lambda r: {
        "program": "KTP-2025",
        "source": "regency_apbd",
        "budget_ceiling": 100_000_000,
        "instrument_kind": "perbup",
        "instrument_number": "12/2025",
        "instrument_date": "2025-01-02",
        "prepare_levels": ["regency"],
        "approve_levels": ["regency", "province"],
        "reason": "APBD 2025",
    },
    "prepare_ketapang": lambda r: {
        "program": "KTP-P1",
        "code": "KTP-NEW",
        "name": "Drive baru",
        "lists": [r.drives.free_list.pk],
        "on": "2025-01-15",
        "reason": "desa list",
    },
    "step": lambda r: {"reason": "checked", "on": "2025-04-01"},
    "renew_ketapang": lambda r: {"program": "KTP-2026", "code": "KTP-D3-2026", "reason": "next year"},
    "list_file": lambda r: {
        "name": "Daftar desa",
        "source": "village_list",
        "source_date": "2025-01-10",
        "region": "61.04",
        "default_category": "vulnerable",
        "file": list_file(),
        "reason": "village list",
    },
    "prepare_form": lambda r: {
        "program": "KTP-P1",
        "code": "KTP-NEW",
        "name": "Drive baru",
        "lists": [str(r.drives.free_list.pk)],
        "reason": "desa list",
    },
    "step_form": lambda r: {"reason": "checked"},
}


# --- asking ----------------------------------------------------------------------------------------------------------


class Route:
    """One route's test: fills its rows' paths (each record once) and asks as each persona."""

    def __init__(self, records: Records, client: Client) -> None:
        self.records = records
        self.client = client
        self.values: dict[str, str] = {}

    def value(self, name: str) -> str:
        if name not in self.values:
            record = RECORDS[name](self.records)
            self.values[name] = record if isinstance(record, str) else str(record.pk)
        return self.values[name]

    def url(self, row: Row) -> str:
        values = iter([self.value(name) for name in row.at])
        path = PARAMETER.sub(lambda match: next(values), row.path)
        return f"{path}?{row.query}" if row.query else path

    def ask(self, row: Row, persona: str) -> HttpResponse:
        """The answer to ``row`` as ``persona``, in a savepoint rolled back after it."""
        url = self.url(row)
        self.client.cookies.clear()  # nothing carries over: not a logout, not a language switch
        headers = {}
        if persona == "key":
            headers["Authorization"] = f"Bearer {self.records.key}"  # a key, no session
        elif persona != "anonymous":
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.records.sessions[persona]
        with transaction.atomic():
            if row.method == "GET":
                response = self.client.get(url, headers=headers)
            else:
                data = PAYLOADS[row.payload](self.records) if row.payload else {}
                if url.startswith("/api/") and not any(hasattr(value, "read") for value in data.values()):
                    response = self.client.generic(row.method, url, json.dumps(data), content_type="application/json",
                                                   headers=headers)  # fmt: skip
                else:
                    response = self.client.post(url, data, headers=headers)
            transaction.set_rollback(True)
        return response  # type: ignore[return-value]


def error_shape_problem(response: HttpResponse) -> str | None:
    """Why an API error answer is not ``{"detail": text, "field", "code"}``, or None."""
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("application/json"):
        return f"its body is {content_type or 'untyped'}, not JSON"
    body = json.loads(response.content)
    if not isinstance(body, dict) or not set(body) >= ERROR_KEYS:
        return f"its body is {response.content[:120]!r}, not {{detail, field, code}}"
    if not isinstance(body["detail"], str):
        return f"its detail is {type(body['detail']).__name__}, not text"
    return None


def problems_of(row: Row, persona: str, response: HttpResponse) -> list[str]:
    expected, got = getattr(row, persona), response.status_code
    problems = []
    if got != expected:
        exception = getattr(response, "exc_info", None)
        raised = f" ({exception[0].__name__}: {exception[1]})" if exception else ""
        problems.append(f"expected {expected}, got {got}{raised}")
    if row.path.startswith("/api/") and got >= 400:
        shape = error_shape_problem(response)
        if shape:
            problems.append(f"answered {got} but {shape}")
    if persona == "anonymous" and row.method == "GET" and got == 302:
        location = response["Location"]
        if not location.startswith(("/login/", "/admin/login/")):
            problems.append(f"sent a visitor to {location}, not to the login page")
    return problems


@pytest.fixture(scope="module")
def shared(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Records, Client]]:
    """One world for the module, built once and rolled back at its end. Each route's test runs in
    a savepoint of it (the ``db`` fixture) that is rolled back after it, so every route starts from
    this same world; one client, whose middleware (WhiteNoise scans the static files) loads once."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DATA_DIR=Path(tempfile.mkdtemp())):
        world = World()
        records = Records(world, Personas(world))
        yield records, Client(raise_request_exception=False)
        transaction.set_rollback(True)


@pytest.fixture
def route(shared: tuple[Records, Client], db: None, settings: Any, tmp_path: Path) -> Iterator[Route]:
    settings.DATA_DIR = tmp_path  # upload reports and temporary files, per route
    # the coverage answers kept per process, keyed by a stamp that rolled-back data can repeat
    indicators.forget()
    kept.forget()
    claim_selectors.forget()
    yield Route(*shared)
    indicators.forget()
    kept.forget()
    claim_selectors.forget()


# --- the tests -------------------------------------------------------------------------------------------------------


def test_every_api_operation_and_url_pattern_has_a_row() -> None:
    missing = sorted(f"{method} {path}" for method, path in api_operations() if (method, path) not in ROUTES)
    rows = {row.path for row in ROWS}
    missing += sorted(f"{path} (any method)" for path in url_patterns() if path not in rows)
    assert not missing, "no row in tests/persona_matrix.py for:\n  " + "\n  ".join(missing)


def test_every_row_still_matches_a_route() -> None:
    operations, patterns = api_operations(), url_patterns()
    stale = [
        f"{row.method} {row.path}"
        for row in ROWS
        if not ((row.method, row.path) in operations or (not _is_operation(row) and row.path in patterns))
    ]
    assert not stale, "rows of tests/persona_matrix.py that match no route:\n  " + "\n  ".join(stale)


def test_every_row_is_complete() -> None:
    wrong = []
    for row in ROWS:
        label = f"{row.method} {row.path} {row.at}"
        if row.method not in ("GET", "POST", "PATCH"):
            wrong.append(f"{label}: method {row.method}")
        if len(row.at) != len(_parameters(row.path)):
            wrong.append(f"{label}: {len(_parameters(row.path))} path parameters, {len(row.at)} records")
        wrong += [f"{label}: no record named {name!r}" for name in row.at if name not in RECORDS]
        if row.payload is not None and row.payload not in PAYLOADS:
            wrong.append(f"{label}: no payload named {row.payload!r}")
        wrong += [f"{label}: {persona} {getattr(row, persona)}" for persona in PERSONAS
                  if not 200 <= getattr(row, persona) < 600]  # fmt: skip
    keys = [(row.method, row.path, row.at, row.payload, row.query) for row in ROWS]
    wrong += [f"{key[0]} {key[1]} {key[2]}: twice" for key in set(keys) if keys.count(key) > 1]
    assert not wrong, "\n  ".join(["tests/persona_matrix.py:", *wrong])


@pytest.mark.parametrize("key", list(ROUTES), ids=[f"{method} {path}" for method, path in ROUTES])
def test_every_persona_gets_the_answer_the_table_expects(key: tuple[str, str], route: Route) -> None:
    problems = [
        f"{route.url(row)} as {persona}: {problem}"
        for row in ROUTES[key]
        for persona in PERSONAS
        for problem in problems_of(row, persona, route.ask(row, persona))
    ]
    assert not problems, "\n  ".join([f"{key[0]} {key[1]}:", *problems])


def test_the_records_are_where_the_table_says(route: Route) -> None:
    """The rows' expectations rest on these facts of the world."""
    records = route.records
    world = records.world
    persons = (world.ketapang_worker, world.sambas_worker, world.nurse)
    assert [person.regency_id for person in persons] == ["61.04", "61.01", "61.04"]
    assert world.honorary.employer_id == world.agency.pk == records.personas.agency.employer_id
    bills = (records.ketapang_bill, records.sambas_bill, records.agency_bill)
    assert [bill.regency_id for bill in bills] == ["61.04", "61.01", "61.04"]
    sponsors = (records.ketapang_sponsor, records.sambas_sponsor)
    assert [sponsor.region_id for sponsor in sponsors] == ["61.04", "61.01"]
    projects = (records.ketapang_project, records.sambas_project)
    assert [project.employer.regency_id for project in projects] == ["61.04", "61.01"]
    assert records.audit_record is not None
    assert not records.personas.outsider.is_staff
