"""Payments: recorded one by one or imported from a bank statement, matched to bills by the
payment reference, allocated to what the payer owes (the referenced bill first, then the payer's
oldest unpaid bills), the rest kept as the payer's credit for later bills. A bank transaction is
posted once: its reference is unique. A bill completed after its due date earns its late-payment
fine (not for informal workers), charged on the payer's next bill.

One ledger does the allocation for a single payment and for a statement of a hundred thousand: it
loads what the payers involved owe, allocates in memory, and writes payments, allocations, fines
and audit records in bulk.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.contributions.models import OPEN_BILL_SQL, PayerKind
from jamsostek.core.audit import actor_label
from jamsostek.core.cli import count
from jamsostek.core.errors import Conflict, InvalidField
from jamsostek.registry.importing.frames import (
    catch_up_ids,
    query_frame,
    reserve_ids,
    timestamp,
    update_by_id,
    write_frame,
)
from jamsostek.registry.importing.values import a_date, an_int, text
from jamsostek.registry.importing.writer import as_json
from jamsostek.rules.contributions import late_fines
from jamsostek.rules.periods import Month, months_late

FINED_PAYERS = (PayerKind.EMPLOYER, PayerKind.PROJECT)
STATEMENT_COLUMNS = ("transaction_reference", "payment_reference", "amount", "paid_on")


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
        bills = _in_chunks(
            "SELECT b.id, b.reference, b.payer_key, b.payer_kind, CAST(b.period AS TEXT), CAST(b.due_date AS TEXT), "
            "b.total + b.adjusted - b.allocated, CASE WHEN f.id IS NULL THEN 0 ELSE 1 END "
            "FROM contributions_bill b LEFT JOIN contributions_fine f ON f.bill_id = b.id WHERE b.payer_key IN ({})"
            + (f" AND {OPEN_BILL_SQL}" if self.open_only else ""),
            self.payer_keys,
            {"id": pl.Int64, "reference": pl.String, "payer_key": pl.String, "payer_kind": pl.String,
             "period": pl.Date, "due_date": pl.Date, "owed": pl.Int64, "fines": pl.Int64},
        ).sort("period", "id")  # fmt: skip
        for row in bills.iter_rows(named=True):
            bill = OpenBill(row["id"], row["reference"], row["payer_key"], row["payer_kind"], row["period"],
                            row["due_date"], row["owed"], row["fines"] > 0)  # fmt: skip
            self.bills[bill.payer_key].append(bill)
            self.by_reference[bill.reference] = bill
        credits = _in_chunks(
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
        now = timestamp(db, timezone.now())
        label = actor_label(actor)
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
        write_frame(db, "core_auditrecord", pl.DataFrame({
            "at": [now] * len(posted),
            "actor_id": [getattr(actor, "pk", None)] * len(posted),
            "actor_label": [label] * len(posted),
            "action": ["create"] * len(posted),
            "entity": ["contributions.payment"] * len(posted),
            "entity_id": [str(ids[id(item)]) for item in posted],
            "changes": [as_json({"amount": [None, item.entry.amount], "paid_on": [None, item.entry.paid_on.isoformat()],
                                 "bill": [None, item.entry.payment_reference]}) for item in posted],
            "reason": [f"payment received ({source})"] * len(posted),
            "batch": [""] * len(posted),
        }, schema_overrides={"actor_id": pl.Int64}))  # fmt: skip
        self.new_allocations = []
        return [ids[id(item)] for item in posted]

    def _write_fines(self) -> None:
        if not self.completed:
            return
        bill_ids = [bill.id for bill, _ in self.completed]
        sums = _in_chunks(
            "SELECT bill_id, SUM(jkk + jkm), SUM(jht_employer + jht_worker + jp_employer + jp_worker) "
            "FROM contributions_billline WHERE bill_id IN ({}) GROUP BY bill_id",
            bill_ids,
            {"bill_id": pl.Int64, "jkk_jkm": pl.Int64, "jht_jp": pl.Int64},
        )
        owed = {bill_id: (first, second) for bill_id, first, second in sums.iter_rows()}
        rows = []
        for bill, paid_on in self.completed:
            first, second = owed.get(bill.id, (0, 0))
            result = late_fines(period=Month.of(bill.period), paid_on=paid_on, jkk_jkm=first, jht_jp=second)
            amount = sum(line.amount for line in result.lines)
            if amount:
                explanation = "; ".join(f"{line.label}: {line.explanation}" for line in result.lines)
                rows.append((bill.id, months_late(bill.due_date, paid_on), amount, paid_on.isoformat(), explanation))
        write_frame(connection, "contributions_fine", pl.DataFrame(
            rows, schema=["bill_id", "months_late", "amount", "paid_in_full_on", "explanation"],
            orient="row"))  # fmt: skip
        self.completed = []


def _check(entry: Entry, today: date, ledger: Ledger) -> None:
    if not entry.transaction_reference.strip():
        raise InvalidField(_("is required"), field="transaction_reference", code="required")
    if entry.amount <= 0:
        raise InvalidField(_("must be a whole number of rupiah above 0"), field="amount")
    if entry.paid_on > today:
        raise InvalidField(_("is in the future"), field="paid_on")
    if ledger.bill(entry.payment_reference) is None:
        raise InvalidField(_("no bill has this payment reference"), field="payment_reference", code="unknown")


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


def _in_chunks(sql: str, values: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """``sql`` with its ``IN ({})`` filled by ``values``, asked IN_CHUNK values at a time and stacked."""
    frames = [
        query_frame(connection, sql.format(", ".join(["%s"] * len(part))), list(part), schema)
        for part in (values[start : start + IN_CHUNK] for start in range(0, len(values), IN_CHUNK))
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _payers_of(references: Sequence[str]) -> list[str]:
    if not references:
        return []
    unique = sorted(set(references))
    frame = _in_chunks(
        "SELECT reference, payer_key FROM contributions_bill WHERE reference IN ({})",
        unique,
        {"reference": pl.String, "payer_key": pl.String},
    )
    return frame["payer_key"].unique().to_list()


def _posted(references: Sequence[str]) -> dict[str, tuple[int, date]]:
    if not references:
        return {}
    unique = sorted(set(references))
    frame = _in_chunks(
        "SELECT transaction_reference, amount, CAST(paid_on AS TEXT) FROM contributions_payment "
        "WHERE transaction_reference IN ({})",
        unique,
        {"transaction_reference": pl.String, "amount": pl.Int64, "paid_on": pl.Date},
    )
    return {reference: (amount, paid_on) for reference, amount, paid_on in frame.iter_rows()}


@transaction.atomic
def payment_record(
    *, actor: Any, transaction_reference: str, payment_reference: str, amount: int, paid_on: date,
    source: str = "counter",
) -> Posted:  # fmt: skip
    """Post one payment and allocate it (see the module docstring)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidField(_("must be a whole number of rupiah above 0"), field="amount")
    entry = Entry(transaction_reference.strip(), payment_reference.strip(), amount, paid_on)
    already = _posted([entry.transaction_reference])
    if already:
        raise Conflict(_("this bank transaction was already posted"), field="transaction_reference", code="duplicate")
    ledger = Ledger(_payers_of([entry.payment_reference]))
    _check(entry, timezone.localdate(), ledger)
    posted = ledger.post(entry)
    ledger.write([posted], actor, source)
    return posted


def apply_credit(*, payer_keys: Sequence[str], period: Month) -> int:
    """After a billing run: payers with money on account pay their new (and older) bills from it."""
    with connection.cursor() as cursor:
        # through the payment_with_credit index: the payments with something left are few
        cursor.execute("SELECT DISTINCT payer_key FROM contributions_payment WHERE amount > allocated")
        with_credit = {row[0] for row in cursor.fetchall()}
    ledger = Ledger([key for key in payer_keys if key in with_credit], open_only=True)
    used = sum(ledger.use_credit(key, period.first_day) for key in list(ledger.credits))
    if used:
        ledger.write([], None, "credit")
    return used


# --- bank statement import ---------------------------------------------------------------------------


@dataclass
class StatementRow:
    row: int
    transaction_reference: str
    status: str
    field: str = ""
    reason: str = ""
    detail: str = ""


@dataclass
class StatementReport:
    source: str
    dry_run: bool
    rows: list[StatementRow] = field(default_factory=list)
    problem: str = ""
    applied: bool = False

    @property
    def rejected(self) -> int:
        return sum(1 for row in self.rows if row.status == "rejected")

    @property
    def ok(self) -> bool:
        return not self.problem and self.rejected == 0

    def summary(self) -> str:
        if self.problem:
            return _("payments: the file was not imported: %(problem)s") % {"problem": self.problem}
        counts = {status: sum(1 for row in self.rows if row.status == status)
                  for status in ("posted", "already posted", "rejected")}  # fmt: skip
        outcome = _("nothing was applied") if self.rejected else (_("dry run") if self.dry_run else _("applied"))
        return _(
            "payments: %(rows)s rows: %(posted)s posted, %(already)s already posted, %(rejected)s rejected; %(outcome)s"
        ) % {"rows": count(len(self.rows)), "posted": count(counts["posted"]),
             "already": count(counts["already posted"]), "rejected": count(counts["rejected"]),
             "outcome": outcome}  # fmt: skip


def payments_import(*, actor: Any, path: Path, dry_run: bool = False) -> StatementReport:
    """Post every payment of a bank statement (CSV with the columns of ``STATEMENT_COLUMNS``), all or
    nothing; a transaction already posted with the same amount and date is reported, not posted again."""
    report = StatementReport(source=str(path), dry_run=dry_run)
    try:
        rows = _statement_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as error:
        report.problem = str(error)
        return report
    with transaction.atomic():
        ledger = Ledger(_payers_of([row.get("payment_reference", "") for _, row in rows]))
        already = _posted([row.get("transaction_reference", "") for _, row in rows])
        today = timezone.localdate()
        seen: dict[str, int] = {}
        todo: list[tuple[StatementRow, Entry]] = []
        for number, row in rows:
            result = StatementRow(row=number, transaction_reference=row.get("transaction_reference", ""), status="ok")
            try:
                amount = an_int(row, "amount", required=True)
                paid_on = a_date(row, "paid_on", required=True)
                assert amount is not None
                assert paid_on is not None
                entry = Entry(text(row, "transaction_reference", required=True),
                              text(row, "payment_reference", required=True), amount, paid_on)  # fmt: skip
                if entry.transaction_reference in seen:
                    raise InvalidField(_("also in row %(row)d") % {"row": seen[entry.transaction_reference]},
                                       field="transaction_reference")  # fmt: skip
                seen[entry.transaction_reference] = number
                _check(entry, today, ledger)
                if entry.transaction_reference in already:
                    if already[entry.transaction_reference] != (entry.amount, entry.paid_on):
                        raise InvalidField(_("this transaction was posted before with another amount or date"),
                                           field="transaction_reference")  # fmt: skip
                    result.status = "already posted"
                else:
                    todo.append((result, entry))
            except InvalidField as error:
                result.status, result.field, result.reason = "rejected", error.field or "", error.message
            report.rows.append(result)
        if report.ok and not dry_run:
            posted = []
            for result, entry in sorted(todo, key=lambda item: (item[1].paid_on, item[0].row)):
                outcome = ledger.post(entry)
                result.status, result.detail = "posted", outcome.summary()
                posted.append(outcome)
            ledger.write(posted, actor, f"statement {path.name}")
            report.applied = True
    return report


def _statement_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in STATEMENT_COLUMNS if name not in header]
        if missing:
            raise ValueError(f"missing columns: {', '.join(missing)}")
        return [
            (number, {key.strip().lower(): (value or "").strip() for key, value in row.items() if key})
            for number, row in enumerate(reader, start=2)
            if any((value or "").strip() for value in row.values())
        ]
