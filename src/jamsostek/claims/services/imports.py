"""Importing historical claims (a BPJS branch's paid claims) from CSV or XLSX: every row checked,
the file applied whole or not at all, a row-by-row report, the same file twice changing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.claims.bulk import HistoryImporter
from jamsostek.core.bulk.importer import Progress, run_import
from jamsostek.core.bulk.report import ImportReport


def claims_import(
    *,
    actor: Any,
    path: Path,
    reason: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    report_path: Path | None = None,
    fast_path: bool = True,
) -> ImportReport:
    """Import a file of paid claims (``claim_number, nik, program, event_date, paid_date, amount``,
    optionally ``kpj, regency_code``): a claim and its payment per row, each with an audit record.
    Importing files is paying claims in bulk: the actor needs both. ``fast_path=False`` checks row
    by row even a clean file (the outcome is the same; the tests compare the two)."""
    policy = for_actor(actor)
    policy.require(Action.IMPORT_FILES)
    policy.require(Action.PAY_CLAIMS)
    importer = HistoryImporter(actor=actor, reason=reason, progress=progress)
    return run_import(importer, path, dry_run=dry_run, report_path=report_path, fast_path=fast_path)
