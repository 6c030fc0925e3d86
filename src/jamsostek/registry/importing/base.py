"""The import flow shared by every kind: read, check every row, then apply all or nothing."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.access import Scope, scope_of
from jamsostek.core.audit import actor_label
from jamsostek.core.errors import DomainError
from jamsostek.registry.importing.reading import Column, FileProblem, read_rows
from jamsostek.registry.importing.report import REJECTED, ImportReport, RowResult
from jamsostek.registry.importing.writer import as_json, insert_rows

Progress = Callable[[str], None]
AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "entity",
    "entity_id",
    "changes",
    "reason",
    "batch",
)


def stderr_progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


class Importer:
    """One kind of import. Subclasses check rows (``check``) and write the plan (``apply``)."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key_column: ClassVar[str]

    def __init__(self, *, actor: Any, reason: str, progress: Progress | None = None) -> None:
        if not reason.strip():
            raise DomainError("a reason is required for every change", field="reason")
        self.actor = actor
        self.scope: Scope | None = None if actor is None else scope_of(actor)
        self.reason = reason.strip()
        self.progress = progress
        self.batch = uuid.uuid4().hex[:16]
        self.now = timezone.now()
        self.audit: list[tuple[Any, ...]] = []

    # --- to implement ---

    def load_existing(self) -> None:
        raise NotImplementedError

    def check(self, number: int, row: dict[str, str], result: RowResult) -> None:
        """Fill ``result`` (status, warnings) and remember what to write; raise DomainError to reject."""
        raise NotImplementedError

    def apply(self) -> None:
        raise NotImplementedError

    # --- shared ---

    def may_edit(self, regency_code: str | None, employer_id: int | None = None) -> bool:
        """The same rule as the services: everything, one regency, or one employer's staff."""
        scope = self.scope
        if scope is None:  # the system itself (synthetic data, migrations)
            return True
        if not scope.may_edit:
            return False
        if scope.everything:
            return True
        return (scope.regency_code is not None and scope.regency_code == regency_code) or (
            scope.employer_id is not None and scope.employer_id == employer_id
        )

    def audit_row(self, action: str, entity: str, entity_id: int, changes: dict[str, Any]) -> None:
        self.audit.append(
            (
                self.now,
                getattr(self.actor, "pk", None),
                actor_label(self.actor),
                action,
                entity,
                str(entity_id),
                as_json(changes),
                self.reason,
                self.batch,
            )
        )

    def write_audit(self) -> None:
        insert_rows("core_auditrecord", AUDIT_COLUMNS, self.audit)
        self.audit = []

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


def run_import(importer: Importer, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Check every row of ``path``; apply everything in one transaction, or nothing."""
    report = ImportReport(kind=importer.kind, source=str(path), dry_run=dry_run, batch=importer.batch)
    try:
        importer.say(f"{importer.kind}: reading {path.name} and checking every row")
        importer.load_existing()
        for number, row in read_rows(path, importer.columns):
            result = RowResult(row=number, key=row.get(importer.key_column, ""), status=REJECTED)
            if row.pop("__extra__", None):
                result.reason = _("the row has more cells than the header")
            else:
                try:
                    importer.check(number, row, result)
                except DomainError as error:
                    result.status = REJECTED
                    result.field = error.field or ""
                    result.reason = error.message
            report.rows.append(result)
            if number % 100_000 == 0:
                importer.say(f"{importer.kind}: {number:,} rows checked")
    except FileProblem as problem:
        report.file_problem = str(problem)
        return report
    if not report.rows and not report.file_problem:
        report.file_problem = _("the file has a header but no rows")
    if report.ok and not dry_run:
        importer.say(f"{importer.kind}: {len(report.rows):,} rows checked, writing")
        with transaction.atomic():
            importer.apply()
        report.applied = True
    return report
