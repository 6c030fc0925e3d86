"""Reading import files (CSV in UTF-8, or XLSX) into rows of text, with clear file-level errors.

A file-level problem (not UTF-8, empty, missing columns, a line the CSV reader cannot take) raises
``FileProblem``; the import then applies nothing and says why.
"""

from __future__ import annotations

import csv
import io
import itertools
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
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(itertools.chain([first_line], text), delimiter=delimiter)
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


def _not_utf8(error: UnicodeDecodeError) -> str:
    return _("the file is not UTF-8 text (byte 0x%(byte)02x at position %(position)d); save it as 'CSV UTF-8'") % {
        "byte": error.object[error.start],
        "position": error.start,
    }


def _row(cells: Sequence[str], mapped: Sequence[str | None], header: Sequence[str]) -> dict[str, str]:
    row = {name: cell.strip() for name, cell in zip(mapped, cells, strict=False) if name is not None}
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        row["__extra__"] = "1"
    if max(map(len, cells), default=0) > MAX_VALUE:
        row["__too_long__"] = next(
            name or "" for name, cell in zip(mapped, cells, strict=False) if len(cell) > MAX_VALUE
        )
    return row


def _xlsx_rows(path: Path, columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileProblem(_("the file is not a readable XLSX workbook (%(problem)s)") % {"problem": error}) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise FileProblem(_("the file is empty"))
        header = [_cell(value) for value in header_row]
        mapped = match_header(header, columns)
        for row_number, values in enumerate(rows, start=2):
            cells = [_cell(value) for value in values]
            if not any(cells):
                continue
            yield row_number, _row(cells, mapped, header)
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
