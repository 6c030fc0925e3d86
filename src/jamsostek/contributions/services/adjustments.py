"""Adjustment notes: when a billed month's inputs change (a wage reported late, a membership ended
or started back-dated), the bill stays as issued and a note carries the difference.

The registry calls ``adjust_billed`` through its hook (``registry.hooks``) inside the change that
caused it, after the registry service has asked the access policy about that change; the notes
are audited like every financial record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, Sum

from jamsostek.contributions.bulk.billing import (
    LINE_AMOUNTS,
    active_members,
    compute_lines,
    payer_key_of,
    payer_keys,
    relief_facts,
)
from jamsostek.contributions.models import AdjustmentNote, Bill, BillLine
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.registry.models import Membership
from jamsostek.rules.periods import Month

AMOUNTS = tuple(name for name in LINE_AMOUNTS if name != "total")


def adjust_billed(*, actor: Any, membership: Membership, since: date, reason: str) -> list[AdjustmentNote]:
    """Notes for every billed month from ``since`` whose amounts for ``membership`` changed."""
    notes: list[AdjustmentNote] = []
    latest = Bill.objects.order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return notes
    month = Month.of(since)
    while month.first_day <= latest:
        notes += _adjust_month(actor, membership, month, reason)
        month = month.plus(1)
    return notes


def _adjust_month(actor: Any, membership: Membership, month: Month, reason: str) -> list[AdjustmentNote]:
    members = payer_keys(active_members(connection, month, [membership.pk]))
    now: dict[str, int] = dict.fromkeys(LINE_AMOUNTS, 0)
    wage = 0
    if members.height:
        # the month's relief conditions (PP 49/2020, PP 7/2025) from the payer's bills, as the billing run
        # reads them: without them a relief month would be recomputed as if its condition were unknown
        members, _assumed = relief_facts(connection, members, month)
        line = compute_lines(members, month).row(0, named=True)
        now = {name: int(line[name]) for name in LINE_AMOUNTS}
        wage = int(line["wage"])
    # the month's bill of the membership's payer (a membership's payer never changes), and the line
    # on it (found through the bill: the lines are indexed by bill, then membership)
    bill = Bill.objects.filter(period=month.first_day, payer_key=payer_key_of(membership)).first()
    if bill is None:
        return []  # not billed yet: the billing run of that month will bill it
    billed = BillLine.objects.filter(bill=bill, membership=membership).first()
    before = {name: int(getattr(billed, name)) if billed else 0 for name in LINE_AMOUNTS}
    earlier = AdjustmentNote.objects.filter(bill=bill, membership=membership).aggregate(
        **{name: Sum(name) for name in LINE_AMOUNTS}
    )
    delta = {name: now[name] - before[name] - int(earlier[name] or 0) for name in LINE_AMOUNTS}
    if all(value == 0 for value in delta.values()):
        return []
    note = AdjustmentNote.objects.create(
        bill=bill, membership=membership, reason=reason, wage=wage, actor_label=actor_label(actor), **delta
    )
    Bill.objects.filter(pk=bill.pk).update(adjusted=F("adjusted") + delta["total"])  # the sum of its notes
    audit_record(
        actor=actor,
        action="create",
        instance=note,
        changes={"bill": [None, bill.reference], "total": [None, delta["total"]]},
        reason=reason,
    )
    return [note]
