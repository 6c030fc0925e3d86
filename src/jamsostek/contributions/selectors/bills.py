"""Reads of bills and payments, scoped to the user (a regency officer sees their regency's payers,
an agency administrator its own bills)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jamsostek.accounts.policy import Action, for_user
from jamsostek.contributions.models import AdjustmentNote, Bill, Fine, Payment
from jamsostek.core.errors import NotFound


def bill_list(
    *,
    visible_to: Any,
    period: Any = None,
    payer_key: str | None = None,
    payer_kind: str | None = None,
    regency_code: str | None = None,
) -> QuerySet[Bill]:
    policy = for_user(visible_to)
    if not policy.may(Action.SEE_BILLS):
        return Bill.objects.none()
    bills = policy.visible(Bill.objects.all())
    filters = {"period": period, "payer_key": payer_key or None, "payer_kind": payer_kind, "regency_id": regency_code}
    bills = bills.filter(**{name: value for name, value in filters.items() if value is not None})
    return bills.order_by("-period", "payer_name", "id")


def bill_get(*, visible_to: Any, pk: int) -> Bill:
    try:
        return bill_list(visible_to=visible_to).get(pk=pk)
    except Bill.DoesNotExist:
        raise NotFound() from None


def payment_list(*, visible_to: Any) -> QuerySet[Payment]:
    policy = for_user(visible_to)
    if not policy.may(Action.SEE_BILLS):
        return Payment.objects.none()
    return policy.visible(Payment.objects.all()).order_by("-paid_on", "-id")


def fine_list(*, visible_to: Any) -> QuerySet[Fine]:
    policy = for_user(visible_to)
    if not policy.may(Action.SEE_BILLS):
        return Fine.objects.none()
    return policy.visible(Fine.objects.select_related("bill")).order_by("-id")


def adjustment_list(*, visible_to: Any) -> QuerySet[AdjustmentNote]:
    policy = for_user(visible_to)
    if not policy.may(Action.SEE_BILLS):
        return AdjustmentNote.objects.none()
    return policy.visible(AdjustmentNote.objects.select_related("bill")).order_by("-id")
