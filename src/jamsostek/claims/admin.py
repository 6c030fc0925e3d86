"""The back office for claims, read-only: claims are taken in, verified, decided and paid through
the services (the claims pages and the API), never edited here. Lists come from the selectors, so
every user sees their reach; NIKs are shown as the user may see them; the documents' files are
not offered here (the claim page serves them after its access check)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.policy import Action, for_user
from jamsostek.claims import selectors
from jamsostek.claims.models import Claim, ClaimDecision, ClaimDocument, ClaimPayment
from jamsostek.core.admin import NoEdits


def _masked(request: HttpRequest) -> tuple[Any, Any, Any]:
    """The participant's and the claimant's NIK and the KPJ number as this user may see them: one set
    of columns per request, so that the admin recognises them in both ``fields`` and ``readonly_fields``."""
    existing = getattr(request, "_claim_nik_columns", None)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    policy = for_user(request.user)

    def nik(obj: Claim) -> str:
        return policy.nik(obj.nik)

    def claimant_nik(obj: Claim) -> str:
        return policy.nik(obj.claimant_nik) if obj.claimant_nik else ""

    def kpj(obj: Claim) -> str:
        return policy.kpj(obj.kpj)

    nik.short_description = _("participant's NIK")  # type: ignore[attr-defined]
    claimant_nik.short_description = _("claimant's NIK")  # type: ignore[attr-defined]
    kpj.short_description = _("KPJ number")  # type: ignore[attr-defined]
    request._claim_nik_columns = (nik, claimant_nik, kpj)  # type: ignore[attr-defined]
    return nik, claimant_nik, kpj


class Inline(NoEdits, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    max_num = 0
    can_delete = False


class DocumentInline(Inline):
    model = ClaimDocument
    fields = ("kind", "required", "state", "original_name", "size", "received_on", "received_by_label",
              "verified_by_label", "note")  # fmt: skip
    readonly_fields = fields


class DecisionInline(Inline):
    model = ClaimDecision
    fk_name = "claim"
    fields = ("sequence", "corrects", "outcome", "eligible", "code", "reason", "legal_basis", "total", "confirmed",
              "decided_by_label", "decided_at")  # fmt: skip
    readonly_fields = fields


class PaymentInline(Inline):
    model = ClaimPayment
    fields = ("sequence", "what", "due_on", "amount", "state", "paid_on", "bank_reference", "recorded_by_label")
    readonly_fields = fields


@admin.register(Claim)
class ClaimAdmin(NoEdits, admin.ModelAdmin):  # type: ignore[type-arg]
    list_filter = ("program", "state", "origin")
    search_fields = ("number",)
    date_hierarchy = "submitted_on"
    inlines = (DocumentInline, DecisionInline, PaymentInline)
    list_select_related = ("person", "regency")

    def has_module_permission(self, request: HttpRequest) -> bool:
        policy = for_user(request.user)
        return policy.may(Action.USE_BACK_OFFICE) and policy.may(Action.SEE_CLAIMS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return selectors.claim_list(visible_to=request.user)

    def get_list_display(self, request: HttpRequest) -> tuple[Any, ...]:
        return ("number", "program", "state", "person", _masked(request)[0], "event_date", "regency", "due_on")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        nik, claimant_nik, kpj = _masked(request)
        return ["number", "origin", "program", "state", "person", nik, kpj, "membership", "segment", "payer",
                "sponsor", "employer", "regency", "protection", "event_date", "event_kind", "cause",
                "event_description", "event_place", "claimant_relation", claimant_nik, "claimant_name",
                "submitted_on", "complete_on", "verified_by_label", "verified_at", "decided_on", "paid_on", "due_on",
                "due_what"]  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.get_fields(request, obj)
