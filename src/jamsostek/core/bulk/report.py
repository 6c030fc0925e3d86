"""The row-by-row report of an import, written as the rows are checked, and its summary.

The full report goes to a CSV file line by line (a million-row import does not hold a million
results in memory), every cell a spreadsheet would run as a formula neutralised
(``core.spreadsheet``); the report object keeps the counts, every rejected or warned row up to a
limit, and the first rows.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as attribute
from pathlib import Path
from typing import IO, Any

import polars as pl
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jamsostek.core.cli import count
from jamsostek.core.spreadsheet import safe_column, safe_row

ACCEPTED = "accepted"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"
KEPT = 10_000
"""Rows kept in memory (all rows of small files; the notable ones of large files)."""


@dataclass(slots=True)
class RowResult:
    row: int
    key: str
    status: str
    field: str = ""
    reason: str = ""
    warnings: tuple[str, ...] = ()

    def warn(self, text: str) -> None:
        self.warnings = (*self.warnings, text)


@dataclass
class ImportReport:
    kind: str
    source: str
    dry_run: bool
    path: Path | None = None
    label: str | Promise = ""
    """What the rows are called, in the user's language (``kind`` when empty)."""
    rows: list[RowResult] = attribute(default_factory=list)
    counts: Counter[str] = attribute(default_factory=Counter)
    warned: int = 0
    file_problem: str = ""
    applied: bool = False
    batch: str = ""
    method: str = "row-by-row"
    """``whole-file`` when the fast path took the file, else ``row-by-row``."""
    _handle: IO[str] | None = None
    _writer: Any = None

    def open(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["row", "key", "status", "field", "reason", "warnings"])

    def add(self, result: RowResult) -> None:
        self.counts[result.status] += 1
        if result.warnings:
            self.warned += 1
        notable = result.status == REJECTED or bool(result.warnings)
        if len(self.rows) < KEPT or (notable and len(self.rows) < 10 * KEPT):
            self.rows.append(result)
        if self._writer is not None:
            self._writer.writerow(
                safe_row([result.row, result.key, result.status, result.field, result.reason,
                          " | ".join(result.warnings)])
            )  # fmt: skip

    def close(self) -> None:
        if self._writer is not None and self.file_problem:
            self._writer.writerow(safe_row(["", "", REJECTED, "file", self.file_problem, ""]))
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._writer = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rejected(self) -> int:
        return self.counts[REJECTED]

    @property
    def ok(self) -> bool:
        return not self.file_problem and self.rejected == 0

    def summary(self) -> str:
        """One line on what happened, in the active language (the import page, the CLI)."""
        counts = self.counts
        if self.file_problem:
            return _("%(kind)s: the file was not imported: %(problem)s") % {
                "kind": self.kind_name, "problem": self.file_problem}  # fmt: skip
        parts = _(
            "%(total)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected, "
            "%(warned)s with warnings"
        ) % {"total": count(self.total), "new": count(counts[ACCEPTED]), "updated": count(counts[UPDATED]),
             "unchanged": count(counts[UNCHANGED]), "rejected": count(counts[REJECTED]),
             "warned": count(self.warned)}  # fmt: skip
        if self.rejected:
            outcome = _("nothing was applied (fix the rejected rows and import the whole file again)")
        elif self.dry_run:
            outcome = _("dry run: nothing was applied")
        elif counts[ACCEPTED] + counts[UPDATED] == 0:
            outcome = _("nothing to change")
        else:
            outcome = _("applied")
        return f"{self.kind_name}: {parts}; {outcome}"

    @property
    def kind_name(self) -> str:
        """The kind of rows, in the active language."""
        return str(self.label or self.kind)


def fill_from_frame(report: ImportReport, frame: pl.DataFrame) -> ImportReport:
    """The report of a whole-file import: ``frame`` has one row per file row (row, key, status,
    warnings: one text, empty for none); the full report is written to ``report.path`` as CSV."""
    report.counts.update(dict(frame.group_by("status").len().iter_rows()))
    report.warned = frame.filter(pl.col("warnings") != "").height
    notable = frame.filter(pl.col("warnings") != "")
    for row, key, status, warning in (
        pl.concat([frame.head(KEPT), notable]).unique("row", maintain_order=True).iter_rows()
    ):
        report.rows.append(RowResult(row=row, key=key, status=status, warnings=(warning,) if warning else ()))
    if report.path is not None:
        report.path.parent.mkdir(parents=True, exist_ok=True)
        frame.select(
            "row", safe_column(pl.col("key")).alias("key"), "status", pl.lit("").alias("field"),
            pl.lit("").alias("reason"), safe_column(pl.col("warnings")).alias("warnings"),
        ).write_csv(report.path)  # fmt: skip
    return report
