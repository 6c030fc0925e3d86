"""Writing audit records (the only way they are written): one at a time (``audit_record``), or many
at once for a bulk change (``AuditBatch``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsostek.core.bulk.frames import timestamp, write_frame
from jamsostek.core.bulk.writer import as_json, insert_rows
from jamsostek.core.errors import InvalidField
from jamsostek.core.models import AuditRecord


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain values of some fields (foreign keys as their key)."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attribute = field.attname if isinstance(field, models.ForeignKey) else name
        result[name] = _plain(getattr(instance, attribute))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in after
        if _plain(before.get(name)) != _plain(after.get(name))
    }


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "username", actor))


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any],
    reason: str,
    batch: str = "",
) -> AuditRecord:
    """Record one change. A change without a reason is refused."""
    if not reason or not reason.strip():
        raise InvalidField(_("a reason is required for every change"), field="reason")
    return AuditRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        action=action,
        entity=instance._meta.label_lower,
        entity_id=str(instance.pk),
        changes=dict(changes),
        reason=reason.strip(),
        batch=batch,
    )


# --- many records at once --------------------------------------------------------------------------

AUDIT_TABLE = "core_auditrecord"
AUDIT_COLUMNS = ("at", "actor_id", "actor_label", "action", "entity", "entity_id", "changes", "reason", "batch")


class AuditBatch:
    """The audit records of one bulk change (an import, a bank statement, a billing run): one actor,
    one reason, one batch key. The one way bulk paths write audit records, row by row (``add`` then
    ``write``) or as a whole frame (``write_frame``)."""

    def __init__(self, *, actor: Any, reason: str, batch: str = "", now: datetime | None = None) -> None:
        if not reason or not reason.strip():
            raise InvalidField(_("a reason is required for every change"), field="reason")
        self.actor_id = getattr(actor, "pk", None)
        self.actor_label = actor_label(actor)
        self.reason = reason.strip()
        self.batch = batch
        self.now = now or timezone.now()
        self.pending: list[tuple[Any, ...]] = []

    def add(self, action: str, entity: str, entity_id: int | str, changes: Mapping[str, Any]) -> None:
        self.pending.append((self.now, self.actor_id, self.actor_label, action, entity, str(entity_id),
                             as_json(changes), self.reason, self.batch))  # fmt: skip

    def write(self, db: BaseDatabaseWrapper) -> int:
        """Write what ``add`` collected; returns how many records."""
        written = insert_rows(AUDIT_TABLE, AUDIT_COLUMNS, self.pending, db)
        self.pending = []
        return written

    def write_frame(self, db: BaseDatabaseWrapper, frame: pl.DataFrame, *, action: str, entity: str) -> int:
        """One record per row of ``frame``, which has ``entity_id`` and ``changes`` (JSON text)."""
        if frame.height == 0:
            return 0
        now = timestamp(db, self.now)
        write_frame(db, AUDIT_TABLE, frame.select(
            pl.lit(now).alias("at"),
            pl.lit(self.actor_id, dtype=pl.Int64).alias("actor_id"),
            pl.lit(self.actor_label).alias("actor_label"),
            pl.lit(action).alias("action"),
            pl.lit(entity).alias("entity"),
            pl.col("entity_id").cast(pl.String),
            pl.col("changes"),
            pl.lit(self.reason).alias("reason"),
            pl.lit(self.batch).alias("batch"),
        ))  # fmt: skip
        return frame.height


def save_audited(
    *, actor: Any, instance: models.Model, fields: Iterable[str], before: Mapping[str, Any] | None, reason: str
) -> dict[str, list[Any]]:
    """Save ``instance`` and record what changed in ``fields`` since ``before`` (its ``snapshot`` before
    the change; None for a new record). Nothing changed, nothing recorded. Returns the changes."""
    instance.save()
    changes = diff(before or {}, snapshot(instance, fields))
    if changes:
        audit_record(actor=actor, action="update" if before is not None else "create", instance=instance,
                     changes=changes, reason=reason)  # fmt: skip
    return changes


def person_nik_of(record: AuditRecord | None) -> tuple[int, str] | None:
    """(person id, NIK) when ``record`` is a person's and what changed holds their NIK."""
    if record is None or record.entity != "registry.person" or not record.entity_id.isdigit():
        return None
    values = record.changes.get("nik") if isinstance(record.changes, dict) else None
    nik = next((str(value) for value in reversed(values) if value), None) if isinstance(values, list) else None
    return (int(record.entity_id), nik) if nik else None
