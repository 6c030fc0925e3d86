"""The one-line summary of an import, shown on the import page and by the CLI, in the user's language."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from jamsostek.core.bulk.report import ACCEPTED, REJECTED, UNCHANGED, ImportReport, RowResult
from jamsostek.registry.bulk.persons import PersonImporter


def report_with(tmp_path: Path, statuses: list[str]) -> ImportReport:
    report = ImportReport(kind="persons", label=PersonImporter.label, source="persons.csv", dry_run=False,
                          path=tmp_path / "report.csv")  # fmt: skip
    report.open()
    for number, status in enumerate(statuses, start=2):
        report.add(RowResult(row=number, key=f"key{number}", status=status))
    report.close()
    return report


def test_the_summary_counts_in_each_language(tmp_path: Path) -> None:
    report = report_with(tmp_path, [ACCEPTED] * 1200 + [UNCHANGED] * 3)
    with translation.override("id"):
        assert report.summary() == (
            "orang: 1.203 baris: 1.200 baru, 0 diperbarui, 3 tidak berubah, 0 ditolak, 0 dengan peringatan; diterapkan"
        )
    with translation.override("en"):
        assert report.summary() == (
            "persons: 1,203 rows: 1,200 new, 0 updated, 3 unchanged, 0 rejected, 0 with warnings; applied"
        )


def test_a_rejected_row_means_nothing_was_applied(tmp_path: Path) -> None:
    report = report_with(tmp_path, [ACCEPTED, REJECTED])
    with translation.override("id"):
        assert report.summary().endswith("tidak ada yang diterapkan (perbaiki baris yang ditolak lalu impor ulang "
                                         "seluruh berkas)")  # fmt: skip
    with translation.override("en"):
        assert report.summary().endswith("nothing was applied (fix the rejected rows and import the whole file again)")
