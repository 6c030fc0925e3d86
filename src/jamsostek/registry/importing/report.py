"""The row-by-row report of an import, and its summary."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as attribute
from pathlib import Path

ACCEPTED = "accepted"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"


@dataclass
class RowResult:
    row: int
    key: str
    status: str
    field: str = ""
    reason: str = ""
    warnings: list[str] = attribute(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    source: str
    dry_run: bool
    rows: list[RowResult] = attribute(default_factory=list)
    file_problem: str = ""
    applied: bool = False
    batch: str = ""

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.status for result in self.rows)

    @property
    def rejected(self) -> int:
        return self.counts[REJECTED]

    @property
    def warnings(self) -> int:
        return sum(1 for result in self.rows if result.warnings)

    @property
    def ok(self) -> bool:
        return not self.file_problem and self.rejected == 0

    def summary(self) -> str:
        counts = self.counts
        if self.file_problem:
            return f"{self.kind}: the file was not imported: {self.file_problem}"
        parts = (
            f"{len(self.rows):,} rows: {counts[ACCEPTED]:,} new, {counts[UPDATED]:,} updated, "
            f"{counts[UNCHANGED]:,} unchanged, {counts[REJECTED]:,} rejected, {self.warnings:,} with warnings"
        )
        if self.rejected:
            outcome = "nothing was applied (fix the rejected rows and import the whole file again)"
        elif self.dry_run:
            outcome = "dry run: nothing was applied"
        else:
            outcome = "applied"
        return f"{self.kind}: {parts}; {outcome}"

    def write(self, path: Path) -> None:
        """The report as CSV: one line per row (a file problem is one line too)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "key", "status", "field", "reason", "warnings"])
            if self.file_problem:
                writer.writerow(["", "", REJECTED, "file", self.file_problem, ""])
            for result in self.rows:
                writer.writerow(
                    [
                        result.row,
                        result.key,
                        result.status,
                        result.field,
                        result.reason,
                        " | ".join(result.warnings),
                    ]
                )
