"""Reads of bills and payments, scoped to the user (a regency officer sees their regency's payers,
an agency administrator its own bills)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jamsostek.accounts.access import scope_of
from jamsostek.contributions.models import Bill, Payment
from jamsostek.core.errors import NotFound


def bill_list(*, visible_to: Any, period: Any = None, payer_key: str | None = None) -> QuerySet[Bill]:
    scope = scope_of(visible_to)
    bills = Bill.objects.all()
    if scope.nothing:
        return bills.none()
    if not scope.everything:
        if scope.regency_code is not None:
            bills = bills.filter(regency_id=scope.regency_code)
        else:
            bills = bills.filter(payer_key=f"employer:{scope.employer_id}")
    if period is not None:
        bills = bills.filter(period=period)
    if payer_key:
        bills = bills.filter(payer_key=payer_key)
    return bills.order_by("-period", "payer_name", "id")


def bill_get(*, visible_to: Any, pk: int) -> Bill:
    try:
        return bill_list(visible_to=visible_to).get(pk=pk)
    except Bill.DoesNotExist:
        raise NotFound() from None


def payment_list(*, visible_to: Any) -> QuerySet[Payment]:
    scope = scope_of(visible_to)
    payments = Payment.objects.all()
    if scope.nothing:
        return payments.none()
    if not scope.everything:
        keys = bill_list(visible_to=visible_to).values("payer_key")
        payments = payments.filter(payer_key__in=keys)
    return payments.order_by("-paid_on", "-id")
