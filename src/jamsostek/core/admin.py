from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from jamsostek.accounts.nik_log import nik_shown
from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.audit import person_nik_of
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

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """A person's record shows their NIK in what changed: recorded as shown (``accounts.nik_log``)."""
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if object_id and response.status_code == 200:
            shown = person_nik_of(self.get_object(request, object_id))
            if shown is not None:
                nik_shown(request.user, [shown], f"admin:{request.path}")
        return response
