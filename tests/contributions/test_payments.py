"""Payments: allocation, partial and over-payments, credit, posting once, statement import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jamsostek.contributions.models import Allocation, Bill, Payment
from jamsostek.contributions.services import billing_run, payment_record, payments_import
from jamsostek.core.errors import Conflict, InvalidField
from jamsostek.core.models import AuditRecord
from jamsostek.rules.periods import Month
from tests.contributions.conftest import Billed


def farmer_bill(billed: Billed, month: Month) -> Bill:
    return Bill.objects.get(payer_key=f"participant:{billed.farmer.pk}", period=month.first_day)


def test_a_partial_payment_leaves_the_rest_owed(billed: Billed) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    bill = farmer_bill(billed, Month(2025, 3))
    posted = payment_record(actor=None, transaction_reference="T1", payment_reference=bill.reference, amount=20_000,
                            paid_on=date(2025, 3, 5))  # fmt: skip
    assert [(b.reference, a) for b, a in posted.allocations] == [(bill.reference, 20_000)]
    assert posted.credit == 0
    assert AuditRecord.objects.filter(entity="contributions.payment").count() == 1


def test_an_overpayment_becomes_credit_that_pays_the_next_bills(billed: Billed) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    march = farmer_bill(billed, Month(2025, 3))
    posted = payment_record(actor=None, transaction_reference="T2", payment_reference=march.reference,
                            amount=3 * 36_800, paid_on=date(2025, 3, 5))  # fmt: skip
    assert posted.credit == 2 * 36_800
    payment = Payment.objects.get(transaction_reference="T2")
    assert payment.allocated == 36_800  # the rest is credit, which the payment_with_credit index finds
    billing_run(actor=None, period=Month(2025, 4))
    payment.refresh_from_db()
    assert payment.allocated == 2 * 36_800
    billing_run(actor=None, period=Month(2025, 5))
    for month in (Month(2025, 4), Month(2025, 5)):
        assert Allocation.objects.filter(bill=farmer_bill(billed, month)).get().amount == 36_800
    payment.refresh_from_db()
    assert payment.allocated == payment.amount == sum(Allocation.objects.filter(payment=payment).values_list(
        "amount", flat=True))  # fmt: skip
    billing_run(actor=None, period=Month(2025, 6))
    assert not Allocation.objects.filter(bill=farmer_bill(billed, Month(2025, 6))).exists()


def test_a_payment_goes_to_the_referenced_bill_then_the_oldest_unpaid(billed: Billed) -> None:
    for month in (Month(2025, 3), Month(2025, 4), Month(2025, 5)):
        billing_run(actor=None, period=month)
    may = farmer_bill(billed, Month(2025, 5))
    posted = payment_record(actor=None, transaction_reference="T3", payment_reference=may.reference,
                            amount=2 * 36_800, paid_on=date(2025, 5, 10))  # fmt: skip
    assert [b.period for b, _ in posted.allocations] == [date(2025, 5, 1), date(2025, 3, 1)]


def test_the_same_bank_transaction_is_posted_once(billed: Billed) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    bill = farmer_bill(billed, Month(2025, 3))
    payment_record(actor=None, transaction_reference="T4", payment_reference=bill.reference, amount=36_800,
                   paid_on=date(2025, 3, 5))  # fmt: skip
    with pytest.raises(Conflict):
        payment_record(actor=None, transaction_reference="T4", payment_reference=bill.reference, amount=36_800,
                       paid_on=date(2025, 3, 5))  # fmt: skip
    assert Payment.objects.count() == 1


def test_unknown_references_and_bad_amounts_are_refused(billed: Billed) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    with pytest.raises(InvalidField) as raised:
        payment_record(actor=None, transaction_reference="T5", payment_reference="NOPE", amount=1,
                       paid_on=date(2025, 3, 5))  # fmt: skip
    assert raised.value.field == "payment_reference"
    with pytest.raises(InvalidField) as raised:
        payment_record(actor=None, transaction_reference="T6", payment_reference=farmer_bill(billed, Month(2025, 3))
                       .reference, amount=0, paid_on=date(2025, 3, 5))  # fmt: skip
    assert raised.value.field == "amount"


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("transaction_reference,payment_reference,amount,paid_on\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_a_statement_posts_all_or_nothing_and_twice_changes_nothing(billed: Billed, tmp_path: Path) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    farmer = farmer_bill(billed, Month(2025, 3)).reference
    sponsor = Bill.objects.get(payer_key=f"sponsor:{billed.sponsor.pk}").reference
    bad = write(tmp_path / "bad.csv", [f"S1,{farmer},36800,2025-03-05", f"S2,{sponsor},16800,31-02-2025"])
    report = payments_import(actor=None, path=bad)
    assert not report.applied
    assert [(row.row, row.status, row.field) for row in report.rows] == [(2, "ok", ""), (3, "rejected", "paid_on")]
    assert Payment.objects.count() == 0
    good = write(tmp_path / "good.csv", [f"S1,{farmer},36800,2025-03-05", f"S2,{sponsor},16800,2025-03-10"])
    assert payments_import(actor=None, path=good).applied
    again = payments_import(actor=None, path=good)
    assert [row.status for row in again.rows] == ["already posted", "already posted"]
    assert Payment.objects.count() == 2
    changed = write(tmp_path / "changed.csv", [f"S1,{farmer},30000,2025-03-05"])
    assert payments_import(actor=None, path=changed).rows[0].status == "rejected"
