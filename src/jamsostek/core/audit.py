"""Writing audit records (the only way they are written)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

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
        raise InvalidField("a reason is required for every change", field="reason")
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
