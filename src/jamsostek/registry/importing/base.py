"""The import flow shared by every kind: check every row, write as it goes inside one transaction,
and keep the writes only if every row passed (otherwise roll everything back).

Writing in batches while checking keeps memory flat on a million rows; the single transaction
keeps the promise that a file applies whole or not at all.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.access import Scope, scope_of
from jamsostek.core.audit import actor_label
from jamsostek.core.errors import DomainError
from jamsostek.registry.importing.reading import MAX_VALUE, Column, FileProblem, read_rows
from jamsostek.registry.importing.report import REJECTED, ImportReport, RowResult
from jamsostek.registry.importing.writer import as_json, insert_rows

Progress = Callable[[str], None]
AUDIT_COLUMNS = ("at", "actor_id", "actor_label", "action", "entity", "entity_id", "changes", "reason", "batch")
FLUSH_EVERY = 20_000


def stderr_progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


class Importer:
    """One kind of import. Subclasses check rows (``check``), stage what to write, and write the
    staged rows when asked (``flush``)."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key_column: ClassVar[str]

    def __init__(self, *, actor: Any, reason: str, progress: Progress | None = None) -> None:
        if not reason.strip():
            raise DomainError(_("a reason is required for every change"), field="reason")
        self.actor = actor
        self.scope: Scope | None = None if actor is None else scope_of(actor)
        self.actor_label = actor_label(actor)
        self.actor_id = getattr(actor, "pk", None)
        self.reason = reason.strip()
        self.progress = progress
        self.batch = uuid.uuid4().hex[:16]
        self.now = timezone.now()
        self.audit: list[tuple[Any, ...]] = []
        self.db: BaseDatabaseWrapper = connections[DEFAULT_DB_ALIAS]

    # --- to implement ---

    def load_existing(self) -> None:
        raise NotImplementedError

    def check(self, number: int, row: dict[str, str], result: RowResult) -> None:
        """Set ``result`` (status, warnings) and stage what to write; raise DomainError to reject."""
        raise NotImplementedError

    def pending(self) -> int:
        """How many staged rows wait to be written."""
        raise NotImplementedError

    def take(self) -> Any:
        """Hand over the staged rows (and start a new, empty stage)."""
        raise NotImplementedError

    def write(self, batch: Any) -> None:
        """Write what ``take`` handed over, through ``self.db`` (runs on the writer thread)."""
        raise NotImplementedError

    def after_write(self) -> None:
        """Runs on the main thread once everything is written (still inside the transaction)."""

    # --- shared ---

    def may_edit(self, regency_code: str | None, employer_id: int | None = None) -> bool:
        """The same rule as the services: everything, one regency, or one employer's staff."""
        scope = self.scope
        if scope is None:  # the system itself (synthetic data)
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
            (self.now, self.actor_id, self.actor_label, action, entity, str(entity_id), as_json(changes), self.reason,
             self.batch)
        )  # fmt: skip

    def write_audit(self) -> None:
        insert_rows("core_auditrecord", AUDIT_COLUMNS, self.audit, self.db)
        self.audit = []

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


def _large_cache(db: BaseDatabaseWrapper) -> None:
    """SQLite keeps 2 MB of pages by default; a million-row import updates indexes far larger than
    that. Give this connection 256 MB of page cache (PostgreSQL manages its own buffers)."""
    if db.vendor == "sqlite":
        with db.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


class _Writer:
    """Writes staged batches on one helper thread while the main thread checks the next rows.

    Both threads use the same database connection (so one transaction holds everything); the
    main thread does not touch the database between ``load_existing`` and the last ``wait``."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jamsostek-import")
        self.future: Future[None] | None = None

    def submit(self, importer: Importer) -> None:
        self.wait()
        self.future = self.pool.submit(importer.write, importer.take())

    def wait(self) -> None:
        future, self.future = self.future, None
        if future is not None:
            future.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def run_import(
    importer: Importer, path: Path, *, dry_run: bool = False, report_path: Path | None = None, fast_path: bool = True
) -> ImportReport:
    """Check every row of ``path``; keep the writes if all passed, else roll them back.

    A clean, canonical file of new or unchanged rows goes through the whole-file fast path
    (``fast.py``); every other file, row by row."""
    from jamsostek.registry.importing import fast

    _large_cache(importer.db)
    if fast_path:
        with transaction.atomic(using=importer.db.alias):
            quick = fast.run(importer, path, dry_run=dry_run, report_path=report_path)
        if quick is not None:
            importer.say(quick.summary())
            return quick
    report = ImportReport(kind=importer.kind, source=str(path), dry_run=dry_run, path=report_path,
                          batch=importer.batch)  # fmt: skip
    report.open()
    writer = _Writer()
    db = importer.db
    db.inc_thread_sharing()
    try:
        with transaction.atomic(using=db.alias):
            importer.say(f"{importer.kind}: reading {path.name}, checking every row")
            importer.load_existing()
            try:
                try:
                    for number, row in read_rows(path, importer.columns):
                        result = RowResult(row=number, key=row.get(importer.key_column, ""), status=REJECTED)
                        too_long = row.pop("__too_long__", None)
                        if row.pop("__extra__", None):
                            result.reason = _("the row has more cells than the header")
                        elif too_long is not None:
                            result.field = too_long
                            result.reason = _("is longer than %(limit)d characters") % {"limit": MAX_VALUE}
                        else:
                            try:
                                importer.check(number, row, result)
                            except DomainError as error:
                                result.status = REJECTED
                                result.field = error.field or ""
                                result.reason = error.message
                        report.add(result)
                        if not dry_run and report.ok and importer.pending() >= FLUSH_EVERY:
                            writer.submit(importer)
                        if number % 100_000 == 0:
                            importer.say(f"{importer.kind}: {number:,} rows checked")
                except FileProblem as problem:
                    report.file_problem = str(problem)
                if report.total == 0 and not report.file_problem:
                    report.file_problem = _("the file has a header but no rows")
                if report.ok and not dry_run:
                    writer.submit(importer)
                    writer.wait()
                    importer.after_write()
                    report.applied = True
                else:
                    writer.wait()
                    transaction.set_rollback(True, using=db.alias)
            finally:
                writer.wait()
    finally:
        writer.close()
        db.dec_thread_sharing()
        report.close()
    importer.say(report.summary())
    return report
