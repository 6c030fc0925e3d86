"""The back office for the drives, read-only: lists and drives are written by their services (the
pages, the API, the ``jamsostek drives`` command), never here. Each user sees what their reach
allows, through the selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.admin import NoEdits
from jamsostek.drives import selectors
from jamsostek.drives.models import CandidateList, Drive


class ReadOnly(NoEdits, admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        policy = for_user(request.user)
        return policy.may(Action.USE_BACK_OFFICE) and policy.may(Action.SEE_REGISTRY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(CandidateList)
class CandidateListAdmin(ReadOnly):
    list_display = (
        "name",
        "source",
        "source_date",
        "region",
        "owner",
        "rows",
        "usable",
        "rejected",
        "checked_on",
        "imported_by_label",
    )
    list_filter = ("source",)
    search_fields = ("name", "file_name")
    exclude = ("imported_by",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CandidateList]:
        return selectors.candidate_list_list(visible_to=request.user)


@admin.register(Drive)
class DriveAdmin(ReadOnly):
    list_display = (
        "code",
        "name",
        "program",
        "fiscal_year",
        "status",
        "members_count",
        "cost",
        "prepared_by_label",
        "decided_by_label",
        "enrolled_at",
    )
    list_filter = ("status", "fiscal_year")
    search_fields = ("code", "name", "program__code")
    exclude = ("prepared_by", "decided_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Drive]:
        return selectors.drive_list(visible_to=request.user)
