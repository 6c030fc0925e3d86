"""Bulk import of persons, employers and memberships from CSV or XLSX.

Every row is checked with the same rules as the services; the result is a report per row
(accepted, updated, unchanged, rejected with field and reason, warnings). The file applies whole
or not at all: one rejected row, or a file-level problem, and nothing is written. Re-importing the
same file changes nothing (upsert by NIK / NPP / membership identity).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from jamsostek.registry.importing.base import Importer, Progress, run_import
from jamsostek.registry.importing.employers import EmployerImporter
from jamsostek.registry.importing.memberships import MembershipImporter
from jamsostek.registry.importing.persons import PersonImporter
from jamsostek.registry.importing.reading import Column
from jamsostek.registry.importing.report import ImportReport

IMPORTERS: dict[str, type[Importer]] = {
    "persons": PersonImporter,
    "employers": EmployerImporter,
    "memberships": MembershipImporter,
}


def import_file(
    *,
    actor: Any,
    kind: str,
    path: Path,
    reason: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    report_path: Path | None = None,
    fast_path: bool = True,
) -> ImportReport:
    """Import one file of ``kind`` (persons, employers, memberships); the full row-by-row report
    goes to ``report_path`` when given. ``fast_path=False`` checks row by row even a clean file
    (the outcome is the same; tests compare the two)."""
    importer = IMPORTERS[kind](actor=actor, reason=reason, progress=progress)
    return run_import(importer, path, dry_run=dry_run, report_path=report_path, fast_path=fast_path)


def columns_of(kind: str) -> tuple[Column, ...]:
    return IMPORTERS[kind].columns


def template_csv(kind: str) -> str:
    """The CSV template: the header and one example row."""
    columns = columns_of(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in columns])
    writer.writerow([column.example for column in columns])
    return buffer.getvalue()


def template_xlsx(kind: str) -> bytes:
    """The XLSX template: the data sheet (header + example) and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind
    columns = columns_of(kind)
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
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["IMPORTERS", "ImportReport", "columns_of", "import_file", "template_csv", "template_xlsx"]
