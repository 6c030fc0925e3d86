"""The import flow shared by every kind of file: check every row, write as it goes inside one
transaction, and keep the writes only if every row passed (otherwise roll everything back).

Writing in batches while checking keeps memory flat on a million rows; the single transaction
keeps the promise that a file applies whole or not at all. An app's importers (its ``bulk/``
module) subclass ``Importer``; only the app's services call ``run_import``.
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
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Policy, for_actor
from jamsostek.core.audit import AuditBatch
from jamsostek.core.bulk.reading import Column, FileProblem, read_rows, take_problem
from jamsostek.core.bulk.report import REJECTED, ImportReport, RowResult
from jamsostek.core.errors import DomainError

Progress = Callable[[str], None]
FLUSH_EVERY = 20_000


def stderr_progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


class Importer:
    """One kind of import. Subclasses check rows (``check``), stage what to write, and write the
    staged rows when asked (``flush``)."""

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    """What the rows are called in a summary line, in the user's language."""
    columns: ClassVar[tuple[Column, ...]]
    key_column: ClassVar[str]

    def __init__(self, *, actor: Any, reason: str, progress: Progress | None = None) -> None:
        self.actor = actor
        self.policy: Policy = for_actor(actor)
        self.audit = AuditBatch(actor=actor, reason=reason, batch=uuid.uuid4().hex[:16])
        self.reason = self.audit.reason
        self.actor_label = self.audit.actor_label
        self.batch = self.audit.batch
        self.now = self.audit.now
        self.progress = progress
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

    def finished(self) -> None:
        """Runs once the import is over, after its transaction, whether it was kept or rolled back
        (a dry run, a rejected row): for what must stay either way."""

    def whole_file(self, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
        """The whole-file fast path of this kind, when it has one and takes the file (else None,
        having written nothing: the row-by-row path follows)."""
        return None

    # --- shared ---

    def new_report(self, path: Path, *, dry_run: bool, report_path: Path | None, method: str) -> ImportReport:
        return ImportReport(kind=self.kind, label=self.label, source=str(path), dry_run=dry_run, path=report_path,
                            batch=self.batch, method=method)  # fmt: skip

    def audit_row(self, action: str, entity: str, entity_id: int, changes: dict[str, Any]) -> None:
        self.audit.add(action, entity, entity_id, changes)

    def write_audit(self) -> None:
        self.audit.write(self.db)

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

    A file the importer's whole-file fast path takes goes through it (``Importer.whole_file``);
    every other file, row by row."""
    _large_cache(importer.db)
    if fast_path:
        with transaction.atomic(using=importer.db.alias):
            quick = importer.whole_file(path, dry_run=dry_run, report_path=report_path)
        if quick is not None:
            importer.finished()
            importer.say(quick.summary())
            return quick
    report = importer.new_report(path, dry_run=dry_run, report_path=report_path, method="row-by-row")
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
                        problem = take_problem(row)
                        if problem is not None:
                            result.field, result.reason = problem
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
    importer.finished()
    importer.say(report.summary())
    return report
