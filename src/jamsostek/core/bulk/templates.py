"""The template of an import file: its header and one example row (CSV), plus a sheet explaining
each column (XLSX); every cell neutralised as the exports' (``core.spreadsheet``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from jamsostek.core.bulk.reading import Column
from jamsostek.core.spreadsheet import safe_row, safe_workbook


def template_csv(columns: Sequence[Column]) -> str:
    """The CSV template: the header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(safe_row(column.name for column in columns))
    writer.writerow(safe_row(column.example for column in columns))
    return buffer.getvalue()


def template_xlsx(title: str, columns: Sequence[Column]) -> bytes:
    """The XLSX template: the data sheet (header + example) and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append([column.name for column in columns])
    sheet.append([column.example for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet("columns")
    help_sheet.append(["column", "required", "meaning", "also accepted as"])
    for column in columns:
        help_sheet.append(
            [column.name, "yes" if column.required else "no", column.description, ", ".join(column.aliases)]
        )
    buffer = io.BytesIO()
    safe_workbook(workbook).save(buffer)
    return buffer.getvalue()
