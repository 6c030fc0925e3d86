"""Audit records: who changed what, when and why. Written by services, never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    entity = models.CharField(_("record type"), max_length=60)
    entity_id = models.CharField(_("record"), max_length=40)
    changes = models.JSONField(_("what changed"), default=dict)
    reason = models.TextField(_("why"))
    batch = models.CharField(_("import batch"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [models.Index(fields=["entity", "entity_id"])]
        ordering = ["-id"]  # ids grow with time; no index on 'at', to keep bulk imports fast

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.entity} {self.entity_id}"


class IdempotentRequest(models.Model):
    """A write sent with an ``Idempotency-Key``: the first answer, given again to a retry of the same
    request with the same key (``core.idempotency``). Kept for a day."""

    scope = models.CharField(
        max_length=300,
        help_text="whose key (the user, or the API key used) and for which operation (the method and path)",
    )
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body")
    status = models.PositiveSmallIntegerField(null=True, help_text="empty while the first request runs")
    content_type = models.CharField(max_length=100, blank=True, default="")
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_request_per_key")]
        indexes = [models.Index(fields=["created_at"])]
