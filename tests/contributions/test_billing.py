"""The monthly billing run: payers, amounts, idempotence, frozen inputs, fines."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from jamsostek.accounts.policy import SYSTEM
from jamsostek.contributions.bulk.billing import payer_key_of
from jamsostek.contributions.models import AdjustmentNote, Bill, BillLine, Fine
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.registry import services
from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import BPUInput, JakonInput, PMIInput, PUInput
from jamsostek.rules.periods import Month
from tests.contributions.conftest import Billed

MARCH = Month(2025, 3)


def bill_of(key: str, month: Month = MARCH) -> Bill:
    return Bill.objects.get(payer_key=key, period=month.first_day)


def test_every_active_membership_is_billed_to_its_payer(billed: Billed) -> None:
    result = billing_run(actor=None, period=MARCH)
    world = billed.world
    assert (result.bills, result.lines) == (7, 7)
    assert result.total == 1_384_000
    company = bill_of(f"employer:{world.company.pk}")
    assert (company.employer_amount, company.worker_amount, company.total) == (290_800, 120_000, 410_800)
    assert company.due_date == date(2025, 4, 15)
    assert bill_of(f"employer:{world.sambas_company.pk}").total == 209_280  # small: no JP
    assert bill_of(f"employer:{world.agency.pk}").total == 258_720  # honorary staff of an agency (OPD)
    farmer = bill_of(f"participant:{billed.farmer.pk}")
    assert (farmer.participant_amount, farmer.due_date) == (36_800, date(2025, 3, 17))  # BPU: the 15th, a Saturday
    assert bill_of(f"sponsor:{billed.sponsor.pk}").total == 16_800
    assert bill_of(f"project:{billed.project.pk}").total == 81_600
    assert bill_of(f"participant:{billed.migrant.pk}").total == 370_000  # PMI package, in the start month


def test_a_membership_is_found_on_its_payers_bill(billed: Billed) -> None:
    """Adjustments find a membership's line through the bill of ``payer_key_of`` it: every segment."""
    billing_run(actor=None, period=MARCH)
    lines = BillLine.objects.select_related("bill", "membership")
    assert {line.membership.segment for line in lines} == {"pu", "bpu", "jakon", "pmi"}
    for line in lines:
        assert payer_key_of(line.membership) == line.bill.payer_key


def test_lines_add_up_to_bills_and_to_the_rules_engine(billed: Billed) -> None:
    billing_run(actor=None, period=MARCH)
    for bill in Bill.objects.all():
        assert bill.lines.aggregate(total=Sum("total"))["total"] == bill.total - bill.fines
    world = billed.world
    expected = {
        world.pu.pk: PUInput(wage=4_000_000, risk_class=4),
        world.sambas_pu.pk: PUInput(wage=3_200_000, risk_class=2, with_jp=False),
        world.honorary.pk: PUInput(wage=2_800_000, risk_class=1),
        billed.bpu.pk: BPUInput(income=1_000_000, with_jht=True),
        billed.sponsored.pk: BPUInput(income=1_000_000),
        billed.jakon.pk: JakonInput(wages=(4_000_000,)),
        billed.pmi.pk: PMIInput(months=24, pre_departure=True),
    }
    for membership_id, inputs in expected.items():
        line = BillLine.objects.get(membership_id=membership_id)
        assert line.total == contribution(inputs, MARCH).totals["total"], membership_id
    pu = BillLine.objects.get(membership_id=world.pu.pk)
    assert (pu.jkk, pu.jkm, pu.jht_employer, pu.jht_worker, pu.jp_employer, pu.jp_worker) == (
        50_800, 12_000, 148_000, 80_000, 80_000, 40_000)  # fmt: skip
    assert pu.rules.parameters["jp.wage_cap"]["from"] == "2025-03-01"


def test_a_second_run_issues_nothing_more(billed: Billed) -> None:
    first = billing_run(actor=None, period=MARCH)
    second = billing_run(actor=None, period=MARCH)
    assert (second.bills, second.lines, second.already_billed) == (0, 0, first.bills)
    assert Bill.objects.count() == 7


def test_a_pmi_package_is_billed_once(billed: Billed) -> None:
    billing_run(actor=None, period=MARCH)
    billing_run(actor=None, period=Month(2025, 4))
    assert BillLine.objects.filter(membership=billed.pmi).count() == 1
    assert Bill.objects.filter(period=date(2025, 4, 1)).count() == 6


def test_a_late_wage_report_becomes_an_adjustment_note_not_an_edit(billed: Billed) -> None:
    billing_run(actor=None, period=MARCH)
    world = billed.world
    before = bill_of(f"employer:{world.company.pk}").total
    services.membership_report_wage(actor=None, membership=world.pu, valid_from=date(2025, 3, 1), amount=5_000_000,
                                    reason="raise reported late")  # fmt: skip
    bill = bill_of(f"employer:{world.company.pk}")
    assert bill.total == before
    note = AdjustmentNote.objects.get(bill=bill)
    # 5,000,000 instead of 4,000,000: JKK 12,700 + JKM 3,000 + JHT 37,000 + 20,000 + JP 20,000 + 10,000
    assert note.total == 102_700
    assert (note.jkk, note.jp_worker) == (12_700, 10_000)


def test_a_back_dated_end_credits_the_months_billed_after_it(billed: Billed) -> None:
    for month in (MARCH, Month(2025, 4)):
        billing_run(actor=None, period=month)
    services.membership_end(actor=None, membership=billed.bpu, end_date=date(2025, 3, 20), reason="moved away")
    notes = AdjustmentNote.objects.filter(membership=billed.bpu)
    assert [(note.bill.period, note.total) for note in notes] == [(date(2025, 4, 1), -36_800)]


def test_a_bill_paid_late_earns_a_fine_charged_on_the_next_bill(billed: Billed) -> None:
    billing_run(actor=None, period=MARCH)
    company = bill_of(f"employer:{billed.world.company.pk}")
    payment_record(actor=None, transaction_reference="BANK-1", payment_reference=company.reference,
                   amount=410_800, paid_on=date(2025, 5, 20))  # fmt: skip
    fine = Fine.objects.get(bill=company)
    # due 15 April, paid 20 May: 2 months; 4% of JKK+JKM 62,800 and 4% of JHT+JP 348,000
    assert (fine.months_late, fine.amount) == (2, 2_512 + 13_920)
    billing_run(actor=None, period=Month(2025, 4))
    april = bill_of(f"employer:{billed.world.company.pk}", Month(2025, 4))
    assert april.fines == 16_432
    assert april.total == 410_800 + 16_432
    assert Fine.objects.get(pk=fine.pk).charged_on == april


def test_an_informal_worker_paying_late_earns_no_fine(billed: Billed) -> None:
    billing_run(actor=None, period=MARCH)
    farmer = bill_of(f"participant:{billed.farmer.pk}")
    payment_record(actor=None, transaction_reference="BANK-2", payment_reference=farmer.reference, amount=36_800,
                   paid_on=date(2025, 5, 1))  # fmt: skip
    assert not Fine.objects.exists()


def test_each_bill_keeps_the_sums_of_its_allocations_and_notes(billed: Billed) -> None:
    """``allocated`` and ``adjusted`` (read by the protection status) always equal their rows' sums."""
    from jamsostek.contributions.models import Allocation, Payment
    from jamsostek.contributions.selectors.status import derive_status, reference_status

    for month in (MARCH, Month(2025, 4)):
        billing_run(actor=None, period=month)
    world = billed.world
    company = bill_of(f"employer:{world.company.pk}")
    services.membership_report_wage(actor=None, membership=world.pu, valid_from=date(2025, 3, 1), amount=5_000_000,
                                    reason="raise reported late")  # fmt: skip
    services.membership_end(actor=None, membership=billed.bpu, end_date=date(2025, 3, 20), reason="moved away")
    # March's bill and part of its note, then a payment that covers March in full and part of April
    payment_record(actor=None, transaction_reference="BANK-1", payment_reference=company.reference,
                   amount=410_800 + 50_000, paid_on=date(2025, 4, 10))  # fmt: skip
    payment_record(actor=None, transaction_reference="BANK-2", payment_reference=company.reference,
                   amount=200_000, paid_on=date(2025, 4, 12))  # fmt: skip
    bills = list(Bill.objects.all())
    assert any(bill.adjusted != 0 for bill in bills)
    assert any(bill.allocated != 0 for bill in bills)
    for bill in bills:
        allocated = Allocation.objects.filter(bill=bill).aggregate(sum=Sum("amount"))["sum"] or 0
        adjusted = AdjustmentNote.objects.filter(bill=bill).aggregate(sum=Sum("total"))["sum"] or 0
        assert (bill.allocated, bill.adjusted) == (allocated, adjusted), bill.reference
    company.refresh_from_db()
    assert company.allocated == company.total + company.adjusted  # paid in full, note included
    for payment in Payment.objects.all():
        assert payment.allocated == (Allocation.objects.filter(payment=payment).aggregate(sum=Sum("amount"))["sum"]
                                     or 0), payment.transaction_reference  # fmt: skip
    for as_of in (date(2025, 4, 11), date(2025, 7, 1)):
        fast = derive_status(MARCH, Month(2025, 4), as_of=as_of).sort("membership_id", "month").rows()
        assert fast == reference_status(MARCH, Month(2025, 4), as_of=as_of).select(
            "membership_id", "person_id", "segment", "payer_kind", "district", "regency", "month", "status",
            "protected").sort("membership_id", "month").rows()  # fmt: skip


def test_a_run_says_when_its_due_dates_ignore_unknown_public_holidays(billed: Billed) -> None:
    from jamsostek.rules.contributions import due_date_caveats

    assert billing_run(actor=None, period=MARCH).warnings == ()  # 2025 has its holiday list
    december = Month(2026, 12)  # PU due in January 2027: no list for 2027 yet
    assert due_date_caveats(december) == [
        "the public holidays of 2027 are not in the calendar: the due date 2027-01-15 moves for weekends only"
    ]
    assert due_date_caveats(Month(2026, 7)) == []  # due Tuesday 18 August 2026, after Independence Day
    result = billing_run(actor=None, period=december)
    from django.utils import translation

    with translation.override("en"):
        assert result.warnings == tuple(due_date_caveats(december))
        assert "warning: the public holidays of 2027" in result.summary()
    with translation.override("id"):  # the caveat in the user's language too
        assert result.warnings == (
            "hari libur nasional tahun 2027 belum ada di kalender: tanggal jatuh tempo 2027-01-15 hanya bergeser "
            "karena akhir pekan",
        )
        assert "peringatan: hari libur nasional tahun 2027" in result.summary()


def test_bills_with_a_due_date_other_than_todays_rules_are_listed_with_their_fines(
    billed: Billed, capsys: pytest.CaptureFixture[str]
) -> None:
    """As after a change of the holiday calendar: two bills of March 2025 keep an older due date
    (one paid late and fined, the fine charged on April's bill); the others are right."""
    from django.core.management import call_command
    from django.utils import translation

    from jamsostek.contributions.selectors import stale_due_dates

    billing_run(actor=None, period=MARCH)
    assert stale_due_dates(visible_to=SYSTEM) == []
    company = bill_of(f"employer:{billed.world.company.pk}")
    farmer = bill_of(f"participant:{billed.farmer.pk}")
    Bill.objects.filter(pk=company.pk).update(due_date=date(2025, 4, 14))  # issued under an older calendar
    Bill.objects.filter(pk=farmer.pk).update(due_date=date(2025, 3, 14))
    payment_record(actor=None, transaction_reference="BANK-1", payment_reference=company.reference,
                   amount=410_800, paid_on=date(2025, 5, 20))  # fmt: skip
    billing_run(actor=None, period=Month(2025, 4))

    stale = stale_due_dates(visible_to=SYSTEM)
    assert [(row.reference, row.stored, row.expected) for row in stale] == sorted(
        [
            (company.reference, date(2025, 4, 14), date(2025, 4, 15)),  # PU: the 15th of the next month
            (farmer.reference, date(2025, 3, 14), date(2025, 3, 17)),  # BPU: the 15th, a Saturday
        ],
    )
    fined = next(row for row in stale if row.reference == company.reference)
    assert (fined.fine, fined.fine_charged) == (Fine.objects.get(bill=company).amount, True)
    assert next(row for row in stale if row.reference == farmer.reference).fine is None
    assert Bill.objects.get(pk=company.pk).due_date == date(2025, 4, 14)  # listed, not changed

    with translation.override("id"):
        call_command("billing", "due-dates")
    out = capsys.readouterr().out
    assert "2 tagihan" in out
    assert f"{company.reference}" in out
    assert "2025-04-14" in out
    assert "*" in out
