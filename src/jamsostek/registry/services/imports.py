"""Importing persons, employers and memberships from CSV or XLSX: the door every file goes through
(the web import page, ``jamsostek import``, the benchmarks, the synthetic province).

Every row is checked with the same rules and the same access policy as the one-record services;
the result is a report per row (accepted, updated, unchanged, rejected with field and reason,
warnings). The file applies whole or not at all: one rejected row, or a file-level problem, and
nothing is written. Re-importing the same file changes nothing (upsert by NIK / NPP / membership
identity). A clean canonical file goes through a whole-file fast path (``registry.bulk.whole_file``)
held to the row-by-row path's outcome by a property test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.bulk.importer import Progress, run_import
from jamsostek.core.bulk.report import ImportReport
from jamsostek.core.errors import InvalidField
from jamsostek.registry.bulk import IMPORTERS


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
    """Import one file of ``kind`` (persons, employers, memberships); the full row-by-row report goes
    to ``report_path`` when given. ``fast_path=False`` checks row by row even a clean file (the
    outcome is the same; tests compare the two)."""
    if kind not in IMPORTERS:
        raise InvalidField(f"must be one of {', '.join(IMPORTERS)}", field="kind")
    for_actor(actor).require(Action.IMPORT_FILES)
    importer = IMPORTERS[kind](actor=actor, reason=reason, progress=progress)
    return run_import(importer, path, dry_run=dry_run, report_path=report_path, fast_path=fast_path)
