"""Reading import files (CSV in UTF-8, or XLSX) into rows of text, with clear file-level errors.

A file-level problem (not UTF-8, empty, missing columns, a line the CSV reader cannot take) raises
``FileProblem``; the import then applies nothing and says why.

Nothing in a file is ever run or followed: a CSV cell is text (``=1+1`` is those four characters);
an XLSX workbook is checked before it is opened (no macros, no links to other files, no XML
document type, and its unpacked size bounded: a "zip bomb" of a few kilobytes that unpacks to
gigabytes is refused without unpacking it), then read by openpyxl in read-only mode without
evaluating anything; a cell that holds a formula rejects its row (``FORMULA`` marks the column),
since its shown value was computed elsewhere. A CSV line longer than ``MAX_FIELD`` characters is
refused as soon as it is read past that length.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_FIELD = 131_072
"""The longest field the CSV reader accepts; longer lines are a file-level error."""
MAX_VALUE = 1_000
"""The longest value a cell may hold; longer values reject the row."""
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
"""The most an XLSX workbook may unpack to (a 60 MB workbook of a million persons unpacks to ~800 MB)."""
MAX_XLSX_RATIO = 100
"""The most a large part of a workbook may be compressed (a sheet of real data: about 13 times)."""
MAX_XLSX_PARTS = 10_000
EXTRA, TOO_LONG, FORMULA = "__extra__", "__too_long__", "__formula__"
"""Marks the reader leaves in a row (``take_problem`` reads them): cells beyond the header, the first
column whose value is too long, the first column whose XLSX cell holds a formula."""


class FileProblem(Exception):
    """The file as a whole cannot be imported."""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    example: str
    aliases: tuple[str, ...] = ()


def _canonical(header: str, columns: Sequence[Column]) -> str | None:
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    for column in columns:
        if key == column.name or key in column.aliases:
            return column.name
    return None


def match_header(header: Sequence[str], columns: Sequence[Column]) -> list[str | None]:
    """Map the file's header to column names; raise for missing required or unknown columns."""
    mapped = [_canonical(cell, columns) for cell in header]
    unknown = [cell for cell, name in zip(header, mapped, strict=True) if name is None and cell.strip()]
    present = [name for name in mapped if name]
    repeated = sorted({name for name in present if present.count(name) > 1})
    missing = [column.name for column in columns if column.required and column.name not in present]
    problems = []
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
    if repeated:
        problems.append(_("repeated columns: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        expected = ", ".join(column.name for column in columns)
        raise FileProblem("; ".join(problems) + ". " + _("Expected columns: %(names)s") % {"names": expected})
    return mapped


def read_rows(path: Path, columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every data row; row 1 is the header."""
    if not path.exists():
        raise FileProblem(_("the file %(path)s does not exist") % {"path": path})
    if path.stat().st_size == 0:
        raise FileProblem(_("the file is empty"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, columns)
    else:
        with path.open("rb") as handle:
            yield from _csv_rows(handle, columns)


def _csv_rows(handle: IO[bytes], columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict", newline="")
    csv.field_size_limit(MAX_FIELD)
    try:
        first_line = text.readline(MAX_FIELD + 1)
    except UnicodeDecodeError as error:
        raise FileProblem(_not_utf8(error)) from None
    if not first_line.strip():
        raise FileProblem(_("the file is empty"))
    if len(first_line) > MAX_FIELD:
        raise FileProblem(_("row 1: the header is longer than %(limit)d characters") % {"limit": MAX_FIELD})
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(itertools.chain([first_line], _lines(text)), delimiter=delimiter)
    row_number = 0
    try:
        header = next(reader)
        row_number = 1
        mapped = match_header(header, columns)
        for cells in reader:
            row_number += 1
            if not any(cell.strip() for cell in cells):
                continue
            yield row_number, _row(cells, mapped, header)
    except UnicodeDecodeError as error:
        raise FileProblem(_("row %(row)d: ") % {"row": row_number + 1} + _not_utf8(error)) from None
    except csv.Error as error:
        raise FileProblem(
            _("row %(row)d: the line cannot be read (%(problem)s); lines may hold at most %(limit)d characters")
            % {"row": row_number + 1, "problem": error, "limit": MAX_FIELD}
        ) from None


def _lines(text: IO[str]) -> Iterator[str]:
    """The lines of ``text``, none read further than ``MAX_FIELD`` characters (a file of one huge
    line is refused without holding it in memory)."""
    while line := text.readline(MAX_FIELD + 1):
        if len(line) > MAX_FIELD:
            raise csv.Error(_("it is too long"))
        yield line


def _not_utf8(error: UnicodeDecodeError) -> str:
    return _("the file is not UTF-8 text (byte 0x%(byte)02x at position %(position)d); save it as 'CSV UTF-8'") % {
        "byte": error.object[error.start],
        "position": error.start,
    }


def _row(cells: Sequence[str], mapped: Sequence[str | None], header: Sequence[str]) -> dict[str, str]:
    row = {name: cell.strip() for name, cell in zip(mapped, cells, strict=False) if name is not None}
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        row[EXTRA] = "1"
    if max(map(len, cells), default=0) > MAX_VALUE:
        row[TOO_LONG] = next(name or "" for name, cell in zip(mapped, cells, strict=False) if len(cell) > MAX_VALUE)
    return row


def take_problem(row: dict[str, str]) -> tuple[str, str] | None:
    """What the reader found wrong with a row, as (field, reason), taking its marks out of the row;
    None for a row to check."""
    too_long, extra, formula = row.pop(TOO_LONG, None), row.pop(EXTRA, None), row.pop(FORMULA, None)
    if extra:
        return "", _("the row has more cells than the header")
    if formula is not None:
        return formula, _("holds a formula; import values only (copy the cells and paste them as values)")
    if too_long is not None:
        return too_long, _("is longer than %(limit)d characters") % {"limit": MAX_VALUE}
    return None


def check_xlsx(path: Path) -> None:
    """Raise ``FileProblem`` unless the workbook is safe to open: a ZIP archive of a bounded number
    of parts that unpack to a bounded size (from the sizes its directory declares, which the ZIP
    reader then holds every part to), without macros, links to other files or XML document types
    (the way to XML entity attacks)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise FileProblem(_("the workbook has too many parts (%(count)d)") % {"count": len(parts)})
            unpacked = sum(part.file_size for part in parts)
            bomb = any(part.file_size > 1024 * 1024 and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1)
                       for part in parts)  # fmt: skip
            if unpacked > MAX_XLSX_UNPACKED or bomb:
                raise FileProblem(
                    _("the workbook unpacks to %(size)d MB, far more than its data can hold; it is refused unopened")
                    % {"size": unpacked // (1024 * 1024)}
                )
            names = [part.filename.lower() for part in parts]
            if any(name.endswith("vbaproject.bin") for name in names):
                raise FileProblem(_("the workbook holds macros; save it as an .xlsx workbook without macros"))
            if any(name.startswith("xl/externallinks/") for name in names):
                raise FileProblem(_("the workbook links to other files; import a copy with values only (links broken)"))
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels")):
                    with archive.open(part) as handle:
                        start = handle.read(4096)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        raise FileProblem(_("the workbook is not a plain XLSX file (it declares an XML document type)"))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as error:
        raise FileProblem(_("the file is not a readable XLSX workbook (%(problem)s)") % {"problem": error}) from None


def _xlsx_rows(path: Path, columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    check_xlsx(path)
    try:
        # read-only, formulas as written (never evaluated, no cached result), links not read
        workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileProblem(_("the file is not a readable XLSX workbook (%(problem)s)") % {"problem": error}) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        header_row = next(rows, None)
        if header_row is None:
            raise FileProblem(_("the file is empty"))
        header = [_cell(cell.value) for cell in header_row]
        mapped = match_header(header, columns)
        for row_number, row_cells in enumerate(rows, start=2):
            cells = [_cell(cell.value) for cell in row_cells]
            if not any(cells):
                continue
            row = _row(cells, mapped, header)
            formula = next((index for index, cell in enumerate(row_cells) if cell.data_type == "f"), None)
            if formula is not None:
                row[FORMULA] = (mapped[formula] if formula < len(mapped) else None) or ""
            yield row_number, row
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
