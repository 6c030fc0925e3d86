"""Back office for coverage: denominators and targets, entered by province-wide staff (every change
audited); the computations are shown read-only. Coverage facts are derived, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.access import scope_of
from jamsostek.core.admin import NoEdits
from jamsostek.core.audit import audit_record, diff, snapshot
from jamsostek.coverage.models import Computation, Denominator, Target


class ProvinceStaffOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Visible to staff with a province-wide role; they may add and change, nobody deletes."""

    fields_audited: tuple[str, ...] = ()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and scope_of(request.user).everything)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk), self.fields_audited) if change else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj, self.fields_audited)
        changes = diff(before, after) if change else {key: [None, value] for key, value in after.items()}
        if changes:
            audit_record(actor=request.user, action="update" if change else "create", instance=obj,
                         changes=changes, reason=str(_("entered in the back office")))  # fmt: skip


@admin.register(Denominator)
class DenominatorAdmin(ProvinceStaffOnly):
    list_display = ("region", "kind", "period", "value", "is_estimate", "source")
    list_filter = ("kind", "is_estimate")
    search_fields = ("region__code", "region__name", "source")
    raw_id_fields = ("region",)
    fields_audited = ("region", "kind", "period", "value", "is_estimate", "method", "source")


@admin.register(Target)
class TargetAdmin(ProvinceStaffOnly):
    list_display = ("region", "year", "percent", "source")
    search_fields = ("region__code", "region__name")
    raw_id_fields = ("region",)
    fields_audited = ("region", "year", "percent", "source")


@admin.register(Computation)
class ComputationAdmin(NoEdits, ProvinceStaffOnly):
    list_display = ("computed_at", "first", "last", "as_of", "rows", "seconds")
