"""Payments: recorded one by one or imported from a bank statement, matched to bills by the
payment reference, allocated to what the payer owes (the referenced bill first, then the payer's
oldest unpaid bills), the rest kept as the payer's credit for later bills. A bank transaction is
posted once: its reference is unique. A bill completed after its due date earns its late-payment
fine (not for informal workers), charged on the payer's next bill.

Only province-wide editors (and the system) post payments. One ledger (``bulk.ledger``) does the
allocation for a single payment and for a statement of a hundred thousand.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.contributions.bulk.ledger import Entry, Ledger, Posted, lock_ledger, payers_of, posted_transactions
from jamsostek.core.bulk.values import a_date, an_int, check_day, text
from jamsostek.core.cli import count
from jamsostek.core.errors import Conflict, InvalidField
from jamsostek.rules.periods import Month

STATEMENT_COLUMNS = ("transaction_reference", "payment_reference", "amount", "paid_on")


def _check(entry: Entry, today: date, ledger: Ledger) -> None:
    if not entry.transaction_reference.strip():
        raise InvalidField(_("is required"), field="transaction_reference", code="required")
    if entry.amount <= 0:
        raise InvalidField(_("must be a whole number of rupiah above 0"), field="amount")
    check_day(entry.paid_on, "paid_on")
    if entry.paid_on > today:
        raise InvalidField(_("is in the future"), field="paid_on")
    if ledger.bill(entry.payment_reference) is None:
        raise InvalidField(_("no bill has this payment reference"), field="payment_reference", code="unknown")


@transaction.atomic
def payment_record(
    *, actor: Any, transaction_reference: str, payment_reference: str, amount: int, paid_on: date,
    source: str = "counter",
) -> Posted:  # fmt: skip
    """Post one payment and allocate it (see the module docstring)."""
    for_actor(actor).require(Action.POST_PAYMENTS)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidField(_("must be a whole number of rupiah above 0"), field="amount")
    entry = Entry(transaction_reference.strip(), payment_reference.strip(), amount, paid_on)
    lock_ledger()  # a concurrent duplicate waits here, then finds this one posted
    already = posted_transactions([entry.transaction_reference])
    if already:
        raise Conflict(_("this bank transaction was already posted"), field="transaction_reference", code="duplicate")
    ledger = Ledger(payers_of([entry.payment_reference]))
    _check(entry, timezone.localdate(), ledger)
    posted = ledger.post(entry)
    ledger.write([posted], actor, source)
    return posted


def apply_credit(*, payer_keys: Sequence[str], period: Month) -> int:
    """After a billing run: payers with money on account pay their new (and older) bills from it
    (inside the run's transaction)."""
    lock_ledger()
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
    for_actor(actor).require(Action.POST_PAYMENTS)
    report = StatementReport(source=str(path), dry_run=dry_run)
    try:
        rows = _statement_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as error:
        report.problem = str(error)
        return report
    with transaction.atomic():
        lock_ledger()  # a concurrent import of the same statement waits, then finds its transactions posted
        ledger = Ledger(payers_of([row.get("payment_reference", "") for _, row in rows]))
        already = posted_transactions([row.get("transaction_reference", "") for _, row in rows])
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
