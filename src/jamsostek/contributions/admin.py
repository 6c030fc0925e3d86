"""Back office for contributions, read-only: bills, lines and notes are never edited; payments are
posted through the payment service (API, bank statement import, command line)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jamsostek.accounts.policy import Action, for_user
from jamsostek.contributions import selectors
from jamsostek.contributions.models import AdjustmentNote, Allocation, Bill, BillingRun, BillLine, Fine, Payment
from jamsostek.core.admin import NoEdits


class ReadOnly(NoEdits, admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        policy = for_user(request.user)
        return policy.may(Action.USE_BACK_OFFICE) and policy.may(Action.SEE_BILLS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class LineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BillLine
    extra = 0
    can_delete = False
    fields = ("membership", "segment", "wage", "jkk", "jkm", "jht_employer", "jht_worker", "jht_participant",
              "jp_employer", "jp_worker", "jkk_jkm_package", "total")  # fmt: skip
    readonly_fields = fields
    max_num = 0


class AdjustmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AdjustmentNote
    extra = 0
    can_delete = False
    fields = ("membership", "reason", "total", "actor_label", "created_at")
    readonly_fields = fields
    max_num = 0


class AllocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Allocation
    extra = 0
    can_delete = False
    fields = ("payment", "amount", "applied_on")
    readonly_fields = fields
    max_num = 0


@admin.register(Bill)
class BillAdmin(ReadOnly):
    list_display = ("reference", "payer_name", "payer_kind", "period", "due_date", "members", "total", "regency")
    list_filter = ("payer_kind", "period", ("regency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("reference", "payer_name", "payer_key")
    date_hierarchy = "period"
    inlines = (AdjustmentInline, AllocationInline, LineInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Bill]:
        return selectors.bill_list(visible_to=request.user)


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnly):
    """The province's monthly runs (counts only): seen by province-wide roles."""

    list_display = ("period", "started_at", "finished_at", "bills", "lines", "actor_label")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and for_user(request.user).province_wide


@admin.register(Fine)
class FineAdmin(ReadOnly):
    list_display = ("bill", "months_late", "amount", "paid_in_full_on", "charged_on")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Fine]:
        return selectors.fine_list(visible_to=request.user)


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ("transaction_reference", "payment_reference", "payer_key", "amount", "paid_on", "source")
    search_fields = ("transaction_reference", "payment_reference", "payer_key")
    date_hierarchy = "paid_on"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payment]:
        return selectors.payment_list(visible_to=request.user)
