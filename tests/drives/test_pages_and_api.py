"""The drives' pages, API, exports, coverage panel and command line, on a small world with coverage
computed: the same numbers everywhere, NIKs as the reader may see them."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from jamsostek.accounts.models import NikDisclosure
from jamsostek.coverage import indicators, kept
from jamsostek.coverage.bulk.compute import recompute
from jamsostek.coverage.reference import load_reference
from jamsostek.drives import services
from jamsostek.drives.models import Drive
from jamsostek.rules.periods import Month
from tests.conftest import Personas, World
from tests.drives.conftest import funded_program, person, write_list

PASSWORD = "a long test password"


@pytest.fixture
def computed(personas: Personas) -> Personas:
    load_reference(0.001)
    recompute(first=Month(2025, 1), last=Month(2025, 3), as_of=date(2025, 4, 20))
    indicators.forget()
    kept.forget()
    return personas


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_target_plan_is_the_same_in_the_api_and_the_workbook(computed: Personas) -> None:
    client = _client(computed.analyst)
    answer = client.get("/api/drives/plan/target?year=2025&mode=regencies&percent=40")
    assert answer.status_code == 200, answer.content
    plan = answer.json()
    assert plan["needed"] > 0
    assert plan["reached"]
    assert plan["cost"] == sum(item["cost"] for item in plan["budget"])
    assert {item["package"] for item in plan["lines"]} == {"jkk_jkm_6"}  # the cheapest covering December
    workbook = load_workbook(io.BytesIO(client.get("/drives/plan.xlsx?year=2025&mode=regencies&percent=40").content))
    budget = workbook.worksheets[1]
    assert sum(row[4] for row in budget.iter_rows(min_row=2, values_only=True)) == plan["cost"]
    pdf = client.get("/drives/plan.pdf?year=2025&mode=regencies&percent=40")
    assert pdf.content.startswith(b"%PDF")


def test_the_planning_pages_name_the_funding_sources_in_the_readers_language(computed: Personas) -> None:
    page = _client(computed.analyst, "id").get("/drives/plan/?year=2025&mode=regencies&percent=40").content.decode()
    assert "APBD Kabupaten/Kota" in page  # the sources to choose, their ceilings and the plan's rows
    assert page.count("Pagu: ") == 6
    plan_rows = page.split('data-testid="plan-budget"')[1].split("</table>")[0]
    assert "<td>regency_apbd</td>" not in plan_rows
    assert "APBD Kabupaten/Kota" in plan_rows
    workbook = load_workbook(io.BytesIO(_client(computed.analyst, "en").get(
        "/drives/plan.xlsx?year=2025&mode=regencies&percent=40").content))  # fmt: skip
    sources = {row[2] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "regency or city budget (APBD Kabupaten/Kota)" in sources
    funding = _client(computed.analyst, "en").get("/drives/funding/").content.decode()
    assert "<td>regency_apbd</td>" not in funding
    assert "<td>village fund (Dana Desa)</td>" in funding


def test_the_same_plan_is_solved_once_and_a_changed_input_solves_again(
    computed: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coverage page of the province shows the plan on every visit: it is solved once per process
    for the same inputs (all of them are the key), and anew when one changes."""
    from jamsostek.drives import selectors

    solved: list[int] = []
    solve = selectors.allocate
    monkeypatch.setattr(selectors, "allocate", lambda *args, **kwargs: solved.append(1) or solve(*args, **kwargs))
    selectors._allocated.cache_clear()
    first = selectors.plan_target(visible_to=computed.analyst, year=2025, mode="regencies", percent=Decimal(40))
    again = selectors.plan_target(visible_to=computed.analyst, year=2025, mode="regencies", percent=Decimal(40))
    assert len(solved) == 1
    assert again.allocation == first.allocation
    assert again.allocation.lines is not first.allocation.lines  # a caller's copy, not the kept one
    other = selectors.plan_target(visible_to=computed.analyst, year=2025, mode="regencies", percent=Decimal(45))
    assert len(solved) == 2
    assert other.allocation.needed > first.allocation.needed


def test_a_regency_officer_plans_for_their_regency_only(computed: Personas) -> None:
    plan = _client(computed.ketapang).get("/api/drives/plan/target?year=2025&percent=40").json()
    assert [item["region"] for item in plan["regencies"]] == ["61.04"]
    assert {item["region"] for item in plan["budget"]} <= {"61.04"}
    assert "province_apbd" not in {item["source"] for item in plan["budget"]}


def test_what_a_budget_buys_is_answered_month_by_month(computed: Personas) -> None:
    answer = _client(computed.bpjs).get("/api/drives/plan/budget?region=61.04&budget=2016000&year=2025").json()
    assert answer["cost_per_worker"] == 12 * 16_800
    assert answer["workers"] == 10
    assert [month["participants"] - answer["participants"] for month in answer["months"]] == [10] * 12


def test_the_coverage_pages_show_the_drives_panel_to_who_plans(computed: Personas) -> None:
    page = _client(computed.analyst).get("/coverage/")
    assert page.status_code == 200
    assert b'data-testid="drives-panel"' in page.content
    regency = _client(computed.ketapang).get("/coverage/61.04/")
    assert b'data-testid="drives-panel"' in regency.content


def test_the_list_page_says_a_bad_row_does_not_stop_the_list(personas: Personas, tmp_path: Path) -> None:
    rows = [person("61.04.01", date(1990, 1, 1), "L", 1), ("123", "X", "1990-01-01", "L", "", "", "")]
    listed = services.candidate_list_import(
        actor=personas.ketapang, path=write_list(tmp_path / "l.csv", rows), name="Desa", source="dtks",
        source_date=date(2025, 1, 1), region_code="61.04", default_category="vulnerable", as_of=date(2025, 2, 1),
        reason="t",
    )  # fmt: skip
    page = _client(personas.ketapang).get(f"/drives/lists/{listed.pk}/")
    text = page.content.decode()
    assert "A rejected row does not stop the list" in text
    assert "a NIK has exactly 16 digits" in text
    assert "610401**********" in text  # the regency officer sees NIKs masked
    report = _client(personas.admin).get(f"/drives/lists/{listed.pk}/report.csv").content.decode("utf-8-sig")
    assert "6104010101900001" in report
    indonesian = _client(personas.ketapang, "id").get(f"/drives/lists/{listed.pk}/").content.decode()
    assert "a NIK has exactly 16 digits" not in indonesian


def test_the_command_line_takes_a_list_to_an_enrolled_drive(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="KTP-2026", region="61.04")
    path = write_list(tmp_path / "l.csv", [person("61.04.01", date(1985, 5, 5), "P", i) for i in range(1, 4)])
    out = io.StringIO()
    with translation.override("en"):
        _drive_through_the_command_line(path, program.code, out)
    drive = Drive.objects.get(code="CLI-1")
    assert drive.status == "enrolled"
    assert drive.decided_by_label == "bpjs"
    assert "dana_desa" in out.getvalue()


def _drive_through_the_command_line(path: Path, program: str, out: io.StringIO) -> None:
    call_command("drives", "import-list", str(path), "--name", "Desa A", "--source", "village_list", "--date",
                 "2025-12-01", "--region", "61.04", "--user", "ketapang", stdout=out)  # fmt: skip
    assert "3 usable" in out.getvalue()
    list_id = int(out.getvalue().split()[1].rstrip(":"))
    call_command("drives", "prepare", "--program", program, "--code", "CLI-1", "--name", "CLI", "--list",
                 str(list_id), "--user", "ketapang", stdout=out)  # fmt: skip
    call_command("drives", "approve", "CLI-1", "--user", "bpjs", "--reason", "ok", stdout=out)
    call_command("drives", "enrol", "CLI-1", "--on", "2026-02-01", "--user", "ketapang", stdout=out)
    call_command("drives", "rules", stdout=out)


def test_an_api_step_refused_answers_in_the_error_shape(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P", region="61.04")
    listed = services.candidate_list_import(
        actor=personas.ketapang, path=write_list(tmp_path / "l.csv", [person("61.04.01", date(1990, 1, 1), "L", 1)]),
        name="Desa", source="dtks", source_date=date(2025, 1, 1), region_code="61.04", default_category="vulnerable",
        reason="t",
    )  # fmt: skip
    client = _client(personas.ketapang)
    created = client.post("/api/drives/drives", json.dumps({"program": "P", "code": "A1", "name": "A",
                          "lists": [listed.pk], "reason": "t"}), content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    refused = client.post(f"/api/drives/drives/{created.json()['id']}/approve", json.dumps({"reason": "mine"}),
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    assert refused.json()["field"] == "drive"
    assert program.code == "P"


def test_the_api_pages_a_list_in_file_order_and_records_each_full_nik_it_shows(
    world: World, personas: Personas, tmp_path: Path
) -> None:
    """Keyset pages, like every list of the API; a registered person's full NIK shown to a role that
    sees NIKs is recorded (``accounts.nik_log``), a masked one is not; the row-by-row report keeps a
    name that looks like a formula as text."""
    worker = world.ketapang_worker
    rows = [
        (worker.nik, worker.name, worker.birth_date.isoformat(), "P", "61.04.01", "", ""),
        *(person("61.04.01", date(1990, 1, 1), "L", serial) for serial in range(1, 4)),
        person("61.04.01", date(1991, 1, 1), "L", 9, name='=HYPERLINK("http://x.test","y")'),
    ]
    listed = services.candidate_list_import(
        actor=personas.ketapang, path=write_list(tmp_path / "l.csv", rows), name="Desa", source="dtks",
        source_date=date(2025, 1, 1), region_code="61.04", default_category="vulnerable", as_of=date(2025, 2, 1),
        reason="t",
    )  # fmt: skip
    admin = _client(personas.admin)
    url = f"/api/drives/lists/{listed.pk}/candidates?limit=2"
    pages = [admin.get(url).json()]
    while pages[-1]["next"]:
        pages.append(admin.get(f"{url}&cursor={pages[-1]['next']}").json())
    assert [len(answer["items"]) for answer in pages] == [2, 2, 1]
    shown = [item for answer in pages for item in answer["items"]]
    assert [item["row"] for item in shown] == sorted(item["row"] for item in shown)
    assert [item["nik"] for item in shown] == [row[0] for row in rows]
    assert (pages[0]["count"], pages[0]["count_is_exact"]) == (5, True)
    seen = NikDisclosure.objects.filter(person=worker)
    assert [(record.user, record.location) for record in seen.all()] == [
        (personas.admin, f"api:/api/drives/lists/{listed.pk}/candidates")
    ]
    masked = _client(personas.ketapang).get(url).json()["items"]
    assert masked[0]["nik"] == "610401**********"
    assert seen.count() == 1  # nothing recorded for a masked NIK
    report = admin.get(f"/drives/lists/{listed.pk}/report.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in report
    assert seen.count() == 2  # the report showed the full NIK too


def test_the_api_refuses_a_year_outside_what_the_rules_price(personas: Personas) -> None:
    client = _client(personas.analyst)
    for url in ("/api/drives/plan/target?year=0", "/api/drives/plan/budget?region=61&budget=1&year=2015"):
        refused = client.get(url)
        assert refused.status_code == 422, url
        assert refused.json()["field"] == "year"
    unknown = client.get("/api/drives/plan/budget?region=99.99&budget=1&year=2025")
    assert (unknown.status_code, unknown.json()["field"]) == (400, "region")
