"""The ledger: what some payers owe and have on account, payments allocated against it in memory,
then payments, allocations, fines and audit records written in bulk.

One ledger does the allocation for a single payment and for a statement of a hundred thousand: it
loads what the payers involved owe, allocates, and writes. Only the payment services
(``services.payments``) use it; they validate and ask the access policy first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.db import connection
from django.utils.translation import gettext as _

from jamsostek.contributions.models import OPEN_BILL_SQL, PayerKind
from jamsostek.core.audit import AuditBatch
from jamsostek.core.bulk.frames import catch_up_ids, query_frame, reserve_ids, timestamp, update_by_id, write_frame
from jamsostek.core.bulk.writer import as_json
from jamsostek.core.cli import count
from jamsostek.rules.contributions import late_fines
from jamsostek.rules.periods import Month, months_late

FINED_PAYERS = (PayerKind.EMPLOYER, PayerKind.PROJECT)
LEDGER_LOCK = 71_051_001  # any number the application uses for nothing else


def lock_ledger() -> None:
    """One writer of payments and allocations at a time, until the transaction ends: a ledger reads
    what is owed and posted, then writes, and a second writer reading in between would allocate the
    same money twice or post the same bank transaction twice. PostgreSQL takes an advisory lock;
    SQLite's transactions already begin with the write lock (``transaction_mode`` IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK])


@dataclass
class OpenBill:
    id: int
    reference: str
    payer_key: str
    payer_kind: str
    period: date
    due_date: date
    owed: int  # total + adjustment notes - allocations so far
    fined: bool
    state_body: bool = False  # an employer that is a state body is not fined


@dataclass(frozen=True)
class Entry:
    transaction_reference: str
    payment_reference: str
    amount: int
    paid_on: date


@dataclass
class Posted:
    entry: Entry
    payer_key: str
    allocations: list[tuple[OpenBill, int]] = field(default_factory=list)
    credit: int = 0

    def summary(self) -> str:
        parts = ", ".join(f"{bill.reference} Rp{count(amount)}" for bill, amount in self.allocations) or _(
            "nothing owed"
        )
        return _("%(transaction)s: Rp%(amount)s -> %(parts)s; credit Rp%(credit)s") % {
            "transaction": self.entry.transaction_reference, "amount": count(self.entry.amount), "parts": parts,
            "credit": count(self.credit)}  # fmt: skip


class Ledger:
    """What some payers owe and have on account, to allocate payments against, then write."""

    def __init__(self, payer_keys: Sequence[str], *, open_only: bool = False) -> None:
        """``open_only``: only the bills with something owed (enough to use credit; a new payment
        needs every bill, since it may name one already paid)."""
        self.payer_keys = sorted(set(payer_keys))
        self.open_only = open_only
        self.bills: dict[str, list[OpenBill]] = defaultdict(list)
        self.by_reference: dict[str, OpenBill] = {}
        self.credits: dict[str, list[list[int]]] = defaultdict(list)  # payer -> [[payment id, left], ...]
        self.new_allocations: list[tuple[int | None, Posted | None, OpenBill, int, date]] = []
        self.completed: list[tuple[OpenBill, date]] = []
        if self.payer_keys:
            self._load()

    def _load(self) -> None:
        # Only these payers' bills and payments, IN_CHUNK payers a query (through the payer-key
        # indexes): a day's bank statement reads its payers, not the province's millions of bills.
        bills = in_chunks(
            "SELECT b.id, b.reference, b.payer_key, b.payer_kind, CAST(b.period AS TEXT), CAST(b.due_date AS TEXT), "
            "b.total + b.adjusted - b.allocated, CASE WHEN f.id IS NULL THEN 0 ELSE 1 END, "
            "CASE WHEN e.state_body THEN 1 ELSE 0 END "
            "FROM contributions_bill b LEFT JOIN contributions_fine f ON f.bill_id = b.id "
            "LEFT JOIN registry_employer e ON b.payer_kind = 'employer' AND e.id = b.payer_id "
            "WHERE b.payer_key IN ({})"
            + (f" AND {OPEN_BILL_SQL}" if self.open_only else ""),
            self.payer_keys,
            {"id": pl.Int64, "reference": pl.String, "payer_key": pl.String, "payer_kind": pl.String,
             "period": pl.Date, "due_date": pl.Date, "owed": pl.Int64, "fines": pl.Int64, "state_body": pl.Int64},
        ).sort("period", "id")  # fmt: skip
        for row in bills.iter_rows(named=True):
            bill = OpenBill(row["id"], row["reference"], row["payer_key"], row["payer_kind"], row["period"],
                            row["due_date"], row["owed"], row["fines"] > 0, row["state_body"] == 1)  # fmt: skip
            self.bills[bill.payer_key].append(bill)
            self.by_reference[bill.reference] = bill
        credits = in_chunks(
            "SELECT p.id, p.payer_key, CAST(p.paid_on AS TEXT), p.amount - p.allocated FROM contributions_payment p "
            "WHERE p.amount > p.allocated AND p.payer_key IN ({})",
            self.payer_keys,
            {"id": pl.Int64, "payer_key": pl.String, "paid_on": pl.Date, "left": pl.Int64},
        )
        for payment_id, payer_key, _paid_on, left in (
            credits.filter(pl.col("left") > 0).sort("paid_on", "id").iter_rows()
        ):
            self.credits[payer_key].append([payment_id, left])

    def bill(self, reference: str) -> OpenBill | None:
        return self.by_reference.get(reference)

    def post(self, entry: Entry) -> Posted:
        """Allocate a new payment: its bill first, then the payer's oldest unpaid bills."""
        bill = self.by_reference[entry.payment_reference]
        posted = Posted(entry, bill.payer_key)
        left = entry.amount
        for target in [bill, *(other for other in self.bills[bill.payer_key] if other is not bill)]:
            if left <= 0:
                break
            share = min(target.owed, left)
            if share <= 0:
                continue
            self._allocate(None, posted, target, share, entry.paid_on)
            posted.allocations.append((target, share))
            left -= share
        posted.credit = left
        return posted

    def use_credit(self, payer_key: str, on: date) -> int:
        """Money on account pays the payer's unpaid bills, oldest first (after a billing run)."""
        used = 0
        for credit in self.credits[payer_key]:
            for target in self.bills[payer_key]:
                share = min(target.owed, credit[1])
                if share <= 0:
                    continue
                self._allocate(credit[0], None, target, share, on)
                credit[1] -= share
                used += share
        return used

    def _allocate(self, payment_id: int | None, posted: Posted | None, bill: OpenBill, share: int, on: date) -> None:
        bill.owed -= share
        self.new_allocations.append((payment_id, posted, bill, share, on))
        if bill.owed == 0 and not bill.fined and bill.payer_kind in FINED_PAYERS and on > bill.due_date:
            bill.fined = True
            self.completed.append((bill, on))

    def write(self, posted: Sequence[Posted], actor: Any, source: str) -> list[int]:
        """Write the new payments, allocations, fines and audit records; return the payment ids."""
        db = connection
        audit = AuditBatch(actor=actor, reason=f"payment received ({source})")
        now = timestamp(db, audit.now)
        label = audit.actor_label
        first = reserve_ids(db, "contributions_payment") if posted else 0
        ids = {id(item): first + index for index, item in enumerate(posted)}
        write_frame(db, "contributions_payment", pl.DataFrame({
            "id": [ids[id(item)] for item in posted],
            "transaction_reference": [item.entry.transaction_reference for item in posted],
            "payment_reference": [item.entry.payment_reference for item in posted],
            "payer_key": [item.payer_key for item in posted],
            "amount": [item.entry.amount for item in posted],
            "allocated": [item.entry.amount - item.credit for item in posted],
            "paid_on": [item.entry.paid_on.isoformat() for item in posted],
            "source": [source] * len(posted),
            "actor_label": [label] * len(posted),
            "recorded_at": [now] * len(posted),
        }, schema_overrides={"id": pl.Int64, "amount": pl.Int64, "allocated": pl.Int64}))  # fmt: skip
        if posted:
            catch_up_ids(db, "contributions_payment")
        allocations = self.new_allocations
        write_frame(db, "contributions_allocation", pl.DataFrame({
            "payment_id": [payment_id if payment_id is not None else ids[id(item)]
                           for payment_id, item, _, _, _ in allocations],
            "bill_id": [bill.id for _, _, bill, _, _ in allocations],
            "amount": [share for _, _, _, share, _ in allocations],
            "applied_on": [on.isoformat() for _, _, _, _, on in allocations],
        }, schema_overrides={"payment_id": pl.Int64, "bill_id": pl.Int64, "amount": pl.Int64}))  # fmt: skip
        add_allocated(db, [bill.id for _, _, bill, _, _ in allocations], [share for _, _, _, share, _ in allocations])
        from_credit = [(payment_id, share) for payment_id, _, _, share, _ in allocations if payment_id is not None]
        add_allocated(db, [payment_id for payment_id, _ in from_credit], [share for _, share in from_credit],
                      table="contributions_payment")  # fmt: skip
        self._write_fines()
        records = pl.DataFrame({
            "entity_id": [str(ids[id(item)]) for item in posted],
            "changes": [as_json({"amount": [None, item.entry.amount], "paid_on": [None, item.entry.paid_on.isoformat()],
                                 "bill": [None, item.entry.payment_reference]}) for item in posted],
        }, schema={"entity_id": pl.String, "changes": pl.String})  # fmt: skip
        audit.write_frame(db, records, action="create", entity="contributions.payment")
        self.new_allocations = []
        return [ids[id(item)] for item in posted]

    def _write_fines(self) -> None:
        if not self.completed:
            return
        bill_ids = [bill.id for bill, _ in self.completed]
        sums = in_chunks(
            "SELECT bill_id, SUM(jkk + jkm), SUM(jht_employer + jht_worker + jp_employer + jp_worker) "
            "FROM contributions_billline WHERE bill_id IN ({}) GROUP BY bill_id",
            bill_ids,
            {"bill_id": pl.Int64, "jkk_jkm": pl.Int64, "jht_jp": pl.Int64},
        )
        owed = {bill_id: (first, second) for bill_id, first, second in sums.iter_rows()}
        rows = []
        for bill, paid_on in self.completed:
            first, second = owed.get(bill.id, (0, 0))
            result = late_fines(period=Month.of(bill.period), paid_on=paid_on, jkk_jkm=first, jht_jp=second,
                                state_body=bill.state_body)  # fmt: skip
            amount = sum(line.amount for line in result.lines)
            if amount:
                explanation = "; ".join(f"{line.label}: {line.explanation}" for line in result.lines)
                rows.append((bill.id, months_late(bill.due_date, paid_on), amount, paid_on.isoformat(), explanation))
        write_frame(connection, "contributions_fine", pl.DataFrame(
            rows, schema=["bill_id", "months_late", "amount", "paid_in_full_on", "explanation"],
            orient="row"))  # fmt: skip
        self.completed = []


def add_allocated(db: Any, ids: Sequence[int], amounts: Sequence[int], *, table: str = "contributions_bill") -> None:
    """Add new allocations to the ``allocated`` of their bills (or, with ``table`` =
    ``contributions_payment``, of the payments they came from): each is always the sum of its
    allocations."""
    if not ids:
        return
    sums = pl.DataFrame({"id": ids, "amount": amounts}, schema={"id": pl.Int64, "amount": pl.Int64})
    sums = sums.group_by("id").agg(pl.col("amount").sum()).sort("id")
    update_by_id(db, table, "allocated", sums["id"].to_list(), sums["amount"].to_list(), add=True)


IN_CHUNK = 10_000  # values per IN (...) list: SQLite allows 32,766 parameters, PostgreSQL 65,535


def in_chunks(sql: str, values: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """``sql`` with its ``IN ({})`` filled by ``values``, asked IN_CHUNK values at a time and stacked."""
    frames = [
        query_frame(connection, sql.format(", ".join(["%s"] * len(part))), list(part), schema)
        for part in (values[start : start + IN_CHUNK] for start in range(0, len(values), IN_CHUNK))
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def payers_of(references: Sequence[str]) -> list[str]:
    if not references:
        return []
    unique = sorted(set(references))
    frame = in_chunks(
        "SELECT reference, payer_key FROM contributions_bill WHERE reference IN ({})",
        unique,
        {"reference": pl.String, "payer_key": pl.String},
    )
    return frame["payer_key"].unique().to_list()


def posted_transactions(references: Sequence[str]) -> dict[str, tuple[int, date]]:
    if not references:
        return {}
    unique = sorted(set(references))
    frame = in_chunks(
        "SELECT transaction_reference, amount, CAST(paid_on AS TEXT) FROM contributions_payment "
        "WHERE transaction_reference IN ({})",
        unique,
        {"transaction_reference": pl.String, "amount": pl.Int64, "paid_on": pl.Date},
    )
    return {reference: (amount, paid_on) for reference, amount, paid_on in frame.iter_rows()}
