"""Bills whose due date is not the one the rules give now.

A bill keeps the due date it was issued with. When the calendar behind the due dates changes (a
year's public holidays added, a holiday moved), bills issued before the change may be due a day
too early, and a payment made on the true due date may have earned a fine. ``stale_due_dates``
lists them, with their fines, so that an officer can review them; it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q

from jamsostek.contributions.models import BillLine, Fine
from jamsostek.contributions.selectors.bills import bill_list
from jamsostek.rules.contributions import due_date
from jamsostek.rules.periods import Month


@dataclass(frozen=True)
class StaleDueDate:
    reference: str
    payer_key: str
    payer_name: str
    period: Month
    stored: date  # the due date the bill was issued with
    expected: date  # the one the rules give now
    fine: int | None  # the late-payment fine of the bill, if it has one
    fine_charged: bool  # already carried by a later bill


def stale_due_dates(*, visible_to: Any) -> list[StaleDueDate]:
    """Every bill whose due date differs from today's rules: a bill with a BPU participant is due as
    BPU contributions are, any other as PU contributions (as the billing run decides).

    A month's two due dates are two weeks or more apart (BPU: the 15th of the month; PU: the 15th or
    30th of the next), and a change of calendar moves a date by days: so a bill whose date is one of
    its month's two is taken as right, and only the others are looked at closely (one pass over the
    bills, then the lines of the few found)."""
    visible = bill_list(visible_to=visible_to)
    dues = {
        first_day: (due_date("pu", Month.of(first_day)), due_date("bpu", Month.of(first_day)))
        for first_day in visible.order_by().values_list("period", flat=True).distinct()
    }
    if not dues:
        return []
    off = Q()
    for first_day, (pu, bpu) in dues.items():
        off |= Q(period=first_day) & ~Q(due_date__in=[pu, bpu])
    bills = list(
        visible.filter(off)
        .annotate(has_bpu=Exists(BillLine.objects.filter(bill=OuterRef("pk"), segment="bpu")))
        .order_by("period", "reference")
    )
    fines = {fine.bill_id: fine for fine in Fine.objects.filter(bill__in=[bill.pk for bill in bills])}
    found = []
    for bill in bills:
        pu, bpu = dues[bill.period]
        fine = fines.get(bill.pk)
        found.append(StaleDueDate(
            bill.reference, bill.payer_key, bill.payer_name, Month.of(bill.period), bill.due_date,
            bpu if bill.has_bpu else pu, fine.amount if fine else None,
            fine is not None and fine.charged_on_id is not None,
        ))  # fmt: skip
    return found
