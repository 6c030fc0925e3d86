"""The billing passes the rules the facts only it knows: whether an employer is a state body (not
fined for late payment), and whether a payer had paid up by the day a relief requires (PP 7/2025
art. 6(2): the labour-intensive JKK discount only for an employer whose JKK was paid through
January 2025)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from jamsostek.accounts.policy import SYSTEM
from jamsostek.contributions.models import Bill, BillLine, Fine
from jamsostek.contributions.selectors import arrears
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.registry import services
from jamsostek.registry.models import Employer
from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import PUInput
from jamsostek.rules.periods import Month
from tests.conftest import World

MARCH = Month(2025, 3)


def bill_of(employer: Employer, month: Month) -> Bill:
    return Bill.objects.get(payer_key=f"employer:{employer.pk}", period=month.first_day)


def test_a_government_agency_is_a_state_body_and_is_not_fined(world: World) -> None:
    assert world.agency.state_body is True  # registered as an agency
    assert world.company.state_body is False
    billing_run(actor=None, period=MARCH)
    for employer, reference in ((world.agency, "LATE-AGENCY"), (world.company, "LATE-COMPANY")):
        bill = bill_of(employer, MARCH)
        payment_record(actor=None, transaction_reference=reference, payment_reference=bill.reference,
                       amount=bill.total, paid_on=date(2025, 5, 20))  # fmt: skip
    assert not Fine.objects.filter(bill=bill_of(world.agency, MARCH)).exists()
    company_fine = Fine.objects.get(bill=bill_of(world.company, MARCH))
    assert company_fine.amount > 0


def test_a_state_bodys_arrears_accrue_no_fine(world: World) -> None:
    billing_run(actor=None, period=MARCH)
    rows = {row.payer_key: row for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20))}
    assert rows[f"employer:{world.agency.pk}"].accrued_fines == 0
    assert rows[f"employer:{world.agency.pk}"].outstanding > 0
    assert rows[f"employer:{world.company.pk}"].accrued_fines > 0


def labour_intensive_employer(npp: str, name: str) -> Employer:
    return services.employer_register(actor=None, npp=npp, name=name, risk_class=3, size_class="large",
                                      region_code="61.04.01", labour_intensive=True, reason="setup")  # fmt: skip


def enrol(world: World, employer: Employer, nik: str) -> Any:
    person = services.person_register(actor=None, nik=nik, name="Pekerja Pabrik", birth_date=date(1990, 8, 17),
                                      sex="F", region_code="61.04.01", reason="setup")  # fmt: skip
    return services.membership_enrol(actor=None, person=person, segment="pu", employer=employer,
                                     start_date=date(2024, 6, 1), wage=4_000_000, reason="setup")  # fmt: skip


def test_the_labour_intensive_discount_only_for_an_employer_paid_up_through_january_2025(world: World) -> None:
    paid = labour_intensive_employer("LI-PAID", "PT Rotan Lunas")
    owing = labour_intensive_employer("LI-OWING", "PT Rotan Nunggak")
    enrol(world, paid, "6104015708900011")
    enrol(world, owing, "6104015708900012")
    january = Month(2025, 1)
    billing_run(actor=None, period=january)
    bill = bill_of(paid, january)
    payment_record(actor=None, transaction_reference="JAN-PAID", payment_reference=bill.reference,
                   amount=bill.total, paid_on=date(2025, 2, 10))  # fmt: skip
    result = billing_run(actor=None, period=MARCH)
    assert result.relief_assumed == 0  # both had a January bill: the billing could tell

    def jkk(employer: Employer) -> int:
        return BillLine.objects.get(bill=bill_of(employer, MARCH)).jkk

    def rules(relief_paid_up: bool) -> int:
        answer = contribution(PUInput(wage=4_000_000, risk_class=3, labour_intensive=True,
                                      relief_paid_up=relief_paid_up), MARCH)  # fmt: skip
        return sum(line.amount for line in answer.lines if line.program == "jkk")

    assert jkk(paid) == rules(True)
    assert jkk(owing) == rules(False)
    assert rules(True) < rules(False)  # the discount is real: the two answers differ


def test_a_relief_month_with_no_old_bills_says_what_it_assumed(world: World) -> None:
    labour_intensive_employer("LI-NEW", "PT Rotan Baru")
    enrol(world, Employer.objects.get(npp="LI-NEW"), "6104015708900013")
    result = billing_run(actor=None, period=MARCH)
    assert result.relief_assumed == 1  # only the labour-intensive employer's discount depends on it
    with translation.override("en"):
        assert any("paid up" in warning for warning in result.warnings)


def test_an_adjustment_of_a_relief_month_reads_the_relief_condition_as_the_billing_did(world: World) -> None:
    """Recomputing March 2025 for an employer that owed its January bill must not grant the discount
    the billing refused (the adjustment reads the same paid-up facts): nothing changed, no note."""
    from jamsostek.contributions.services.adjustments import adjust_billed

    owing = labour_intensive_employer("LI-OWING", "PT Rotan Nunggak")
    membership = enrol(world, owing, "6104015708900012")
    billing_run(actor=None, period=Month(2025, 1))
    billing_run(actor=None, period=MARCH)
    assert adjust_billed(actor=None, membership=membership, since=MARCH.first_day, reason="recheck") == []


def test_the_kept_arrears_follow_a_change_of_the_employer(world: World) -> None:
    """Arrears are kept per process while the ledger stands still; an employer found to be a state body
    (never fined) changes the accrued fines at once, not after the next payment."""
    billing_run(actor=None, period=MARCH)
    key = f"employer:{world.company.pk}"
    assert {row.payer_key: row for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20))}[key].accrued_fines > 0
    services.employer_update(actor=None, employer=Employer.objects.get(pk=world.company.pk), reason="BUMD",
                             state_body=True)  # fmt: skip
    assert {row.payer_key: row for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20))}[key].accrued_fines == 0
