"""The claims pages: the queues and the overdue list, taking a claim in, the claim's page with the
steps its reader may take, the statistics (page, Excel, PDF), and the coverage dashboard's
"protection delivered" panel."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from jamsostek.claims.models import Claim
from jamsostek.claims.services import claims_import
from tests.claims.conftest import complete, submit, verified
from tests.claims.test_import import branch_file
from tests.conftest import Personas, World


def client_for(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_queues_count_each_state_and_list_the_overdue_claims(protected: World, personas: Personas) -> None:
    late = submit(protected, program="jkk", event_kind="temporary_incapacity", cause="work_accident",
                  event_date=date(2025, 6, 1), relatives=[], claimant_relation="participant")  # fmt: skip
    complete(submit(protected))
    body = client_for(personas.ketapang).get("/claims/").content.decode()
    assert '<strong data-state="submitted">1</strong>' in body
    assert '<strong data-state="documents_complete">1</strong>' in body
    overdue = body.split('data-testid="overdue"')[1].split("</table>")[0]
    assert late.number in overdue
    assert "610401**********" in body  # the regency officer sees NIKs masked
    other = client_for(personas.sambas).get("/claims/").content.decode()
    assert late.number not in other


def test_a_claim_is_taken_in_through_the_form(protected: World, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    form = {"nik": protected.ketapang_worker.nik, "program": "jkm", "event_kind": "death", "event_date": "2025-05-10",
            "cause": "illness", "claimant_relation": "istri", "claimant_nik": "6104014204880001",
            "claimant_name": "Sri Wahyuni", "reason": "walk-in",
            "relatives": "istri; Sri Wahyuni; 1988-04-02\nanak; Rina; 2013-07-19; smp; 2"}  # fmt: skip
    answer = client.post("/claims/new/", form)
    claim = Claim.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/claims/{claim.pk}/"
    assert claim.relatives[1] == {"relation": "anak", "name": "Rina", "birth_date": "2013-07-19", "level": "smp",
                                  "year": 2}  # fmt: skip
    again = client.post("/claims/new/", form)
    assert again.status_code == 200
    assert "this event is already claimed" in again.content.decode()


def test_the_claim_page_offers_the_steps_its_reader_may_take(protected: World, personas: Personas) -> None:
    claim = complete(submit(protected))
    officer = client_for(personas.ketapang).get(f"/claims/{claim.pk}/").content.decode()
    assert "/verify/" not in officer
    assert "Receive" in officer
    bpjs = client_for(personas.bpjs).get(f"/claims/{claim.pk}/").content.decode()
    assert f"/claims/{claim.pk}/verify/" in bpjs
    answer = client_for(personas.bpjs).post(f"/claims/{claim.pk}/verify/", {"reason": "in order"})
    assert answer.status_code == 400  # the documents are received, not yet verified
    assert "documents not yet verified" in answer.content.decode()


def test_the_verifier_is_refused_the_decision_and_another_officer_decides(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected), personas.bpjs)
    page = client_for(personas.bpjs).get(f"/claims/{claim.pk}/").content.decode()
    assert "another officer decides it" in page
    assert "/decide/" not in page
    assert client_for(personas.bpjs).post(f"/claims/{claim.pk}/decide/", {"reason": "mine"}).status_code == 403
    answer = client_for(personas.admin).post(f"/claims/{claim.pk}/decide/", {"reason": "second pair of eyes"})
    assert answer.status_code == 302
    page = client_for(personas.admin).get(f"/claims/{claim.pk}/").content.decode()
    assert 'data-testid="outcome-1"' in page
    assert "42,000,000" in page
    assert "PP 82/2019" in page


def test_a_document_is_received_from_the_page_and_a_wrong_one_refused(protected: World, personas: Personas) -> None:
    claim = submit(protected)
    client = client_for(personas.ketapang)
    scan = BytesIO(b"%PDF-1.4 scan")
    scan.name = "ktp.pdf"
    assert client.post(f"/claims/{claim.pk}/receive/", {"kind": "ktp", "file": scan, "reason": "x"}).status_code == 302
    wrong = BytesIO(b"GIF89a")
    wrong.name = "kk.pdf"
    answer = client.post(f"/claims/{claim.pk}/receive/", {"kind": "kk", "file": wrong, "reason": "x"})
    assert answer.status_code == 400
    assert "only PDF, JPEG and PNG files are accepted" in answer.content.decode()
    assert list(claim.documents.filter(state="received").values_list("kind", flat=True)) == ["ktp"]


def test_the_statistics_page_and_its_exports_carry_the_same_numbers(
    world: World, personas: Personas, tmp_path: Path
) -> None:
    claims_import(actor=None, path=branch_file(world, tmp_path / "claims.csv"), reason="branch")
    client = client_for(personas.analyst)
    page = client.get("/claims/statistics/", {"year": 2023, "by": "program"}).content.decode()
    assert 'data-testid="cases" data-value="3"' in page
    assert 'data-testid="amount" data-value="62050000"' in page
    book = load_workbook(BytesIO(client.get("/claims/statistics.xlsx", {"year": 2023}).content))
    rows = [row for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0] in ("jht", "total")]
    assert rows == [("jht", "JHT", 1, 15_250_000), ("total", None, 3, 62_050_000)]
    pdf = client.get("/claims/statistics.pdf", {"year": 2023})
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")
    ketapang = client_for(personas.ketapang).get("/claims/statistics/", {"year": 2023}).content.decode()
    assert 'data-testid="cases" data-value="2"' in ketapang  # their regency by default


def test_the_coverage_dashboard_shows_the_protection_delivered(
    world: World, personas: Personas, tmp_path: Path
) -> None:
    from tests.coverage.conftest import computed, denominator, fact

    fact("2023-03", "61.04.01", 100)
    denominator("61", "2023-01", 1_000)
    computed("2023-01", "2023-03")
    claims_import(actor=None, path=branch_file(world, tmp_path / "claims.csv"), reason="branch")
    body = client_for(personas.analyst).get("/coverage/").content.decode()
    panel = body.split('id="protection-delivered"')[1].split("</section>")[0]
    assert "Protection delivered in 2023" in panel
    assert 'data-testid="claims-amount" data-value="62050000"' in panel
    regency = client_for(personas.ketapang).get("/coverage/61.04/").content.decode()
    assert 'data-testid="claims-cases" data-value="2"' in regency
    assert "protection-delivered" not in client_for(personas.agency).get("/").content.decode()


def test_the_pages_speak_indonesian_first(protected: World, personas: Personas) -> None:
    claim = submit(protected)
    page = client_for(personas.bpjs, "id").get(f"/claims/{claim.pk}/").content.decode()
    assert "Dokumen" in page
    assert "Documents" not in page
