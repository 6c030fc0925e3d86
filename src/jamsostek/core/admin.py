from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.models import AuditRecord


class NoEdits:
    """For a model admin whose rows only services write: nobody adds, changes or deletes them here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(NoEdits, admin.ModelAdmin[AuditRecord]):
    """Read-only: audit records are written by services and never edited."""

    list_display = ("at", "actor_label", "action", "entity", "entity_id", "reason")
    list_filter = ("action", "entity")
    search_fields = ("entity_id", "actor_label", "reason", "batch")
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return for_user(request.user).may(Action.SEE_AUDIT)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)
