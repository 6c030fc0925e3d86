"""The statistics of benefits paid on a hand-built set of claims with known answers: cases are
distinct claims with a payment in the year, amounts what was paid in it, per program, month,
regency, segment and payer or sponsor program; each year's figure; and for a sponsor program, the
contributions it paid against the benefits its participants received."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jamsostek.claims import selectors, services
from jamsostek.claims.models import ClaimPayment
from jamsostek.contributions.models import Bill
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.core.errors import Forbidden, InvalidField
from jamsostek.registry import services as registry
from jamsostek.rules.periods import Month
from tests.claims.test_import import write
from tests.conftest import Personas, World


@pytest.fixture
def paid(world: World, tmp_path: Path) -> World:
    """Five claims paid in 2024 and 2025 in Ketapang and Sambas, one a sponsored participant's, and
    the sponsor's contributions for January and February 2025 billed and paid."""
    sponsor = registry.sponsor_program_create(
        actor=None, code="KTP-RENTAN", name="Pekerja rentan Ketapang", kind="regency_budget", region_code="61.04",
        year=2025, quota=10, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
    )  # fmt: skip
    farmer = registry.person_register(actor=None, nik="6104014506800004", name="Petani", birth_date=date(1980, 6, 5),
                                      sex="F", region_code="61.04.01", reason="setup")  # fmt: skip
    registry.membership_enrol(actor=None, person=farmer, segment="bpu", sponsor=sponsor, start_date=date(2025, 1, 1),
                              reason="setup")  # fmt: skip
    for month in (Month(2025, 1), Month(2025, 2)):
        billing_run(actor=None, period=month)
        bill = Bill.objects.get(payer_key=f"sponsor:{sponsor.pk}", period=month.first_day)
        payment_record(actor=None, transaction_reference=f"APBD-{month}", payment_reference=bill.reference,
                       amount=bill.total, paid_on=month.day(10))  # fmt: skip
    rows = [
        ["A/1", world.ketapang_worker.nik, "jht", "2024-11-02", "2024-12-20", "10000000", "", ""],
        ["A/2", world.ketapang_worker.nik, "jkk", "2025-01-05", "2025-01-25", "3000000", "", ""],
        ["A/3", world.nurse.nik, "jkk", "2025-02-01", "2025-03-05", "5000000", "", ""],
        ["A/4", world.sambas_worker.nik, "jkm", "2025-02-11", "2025-03-01", "42000000", "", ""],
        ["A/5", farmer.nik, "jkm", "2025-02-20", "2025-03-10", "42000000", "", ""],
    ]
    assert services.claims_import(actor=None, path=write(tmp_path / "paid.csv", rows), reason="setup").applied
    # one claim paid twice in 2025 (a pension's two months): one case, two payments
    second_payment("A/2", date(2025, 3, 1), 3_000_000)
    return world


def second_payment(number: str, day: date, amount: int) -> None:
    """A second payment of an imported claim, counted by what the first one is."""
    first = ClaimPayment.objects.get(claim__number=number)
    first.pk, first.sequence, first.due_on, first.paid_on, first.amount = None, 2, day, day, amount
    first.save()


def rows(figures: selectors.Statistics) -> dict[str, tuple[int, int]]:
    return {row.key: (row.cases, row.amount) for row in figures.rows}


def test_the_year_by_program_counts_each_claim_once(paid: World, personas: Personas) -> None:
    figures = selectors.statistics(visible_to=personas.analyst, year=2025, by="program")
    assert rows(figures) == {"jkk": (2, 11_000_000), "jkm": (2, 84_000_000)}
    assert (figures.cases, figures.amount) == (4, 95_000_000)


def test_by_month_a_claim_paid_in_two_months_is_a_case_in_each(paid: World, personas: Personas) -> None:
    figures = selectors.statistics(visible_to=personas.bpjs, year=2025, by="month")
    assert rows(figures) == {"2025-01": (1, 3_000_000), "2025-03": (4, 92_000_000)}
    assert figures.cases == 4  # the year's total is distinct claims, not the sum of the months


def test_by_regency_segment_and_sponsor(paid: World, personas: Personas) -> None:
    assert rows(selectors.statistics(visible_to=personas.bpjs, year=2025, by="regency")) == {
        "61.01": (1, 42_000_000), "61.04": (3, 53_000_000)}  # fmt: skip
    assert rows(selectors.statistics(visible_to=personas.bpjs, year=2025, by="segment")) == {
        "bpu": (1, 42_000_000), "pu": (3, 53_000_000)}  # fmt: skip
    assert rows(selectors.statistics(visible_to=personas.bpjs, year=2025, by="sponsor")) == {
        "KTP-RENTAN": (1, 42_000_000), "employer": (3, 53_000_000)}  # fmt: skip


def test_each_year_and_a_regency_alone(paid: World, personas: Personas) -> None:
    years = selectors.years(visible_to=personas.analyst)
    assert [(y.year, y.cases, y.amount) for y in years] == [(2024, 1, 10_000_000), (2025, 4, 95_000_000)]
    ketapang = selectors.statistics(visible_to=personas.ketapang, year=2025, region="61.04")
    assert (ketapang.cases, ketapang.amount) == (3, 53_000_000)


def test_a_sponsor_programs_contributions_are_set_against_its_participants_benefits(
    paid: World, personas: Personas
) -> None:
    (program,) = selectors.sponsors(visible_to=personas.ketapang, region="61.04")
    paid_in = sum(Bill.objects.filter(payer_kind="sponsor").values_list("total", flat=True))
    assert (program.code, program.year, program.contributions_paid, program.benefits, program.cases) == (
        "KTP-RENTAN", 2025, paid_in, 42_000_000, 1)  # fmt: skip
    assert paid_in > 0


def test_statistics_follow_the_readers_region(paid: World, personas: Personas) -> None:
    with pytest.raises(Forbidden):
        selectors.statistics(visible_to=personas.ketapang, year=2025, region="61")
    with pytest.raises(Forbidden):
        selectors.statistics(visible_to=personas.sambas, year=2025, region="61.04")
    with pytest.raises(Forbidden):
        selectors.statistics(visible_to=personas.agency, year=2025, region="61.04")
    with pytest.raises(InvalidField):
        selectors.statistics(visible_to=personas.admin, year=2025, region="61.04.01")
    with pytest.raises(InvalidField):
        selectors.statistics(visible_to=personas.admin, year=2025, by="colour")


def test_a_payment_recorded_shows_at_once(paid: World, personas: Personas) -> None:
    before = selectors.statistics(visible_to=personas.bpjs, year=2025)
    second_payment("A/4", date(2025, 4, 1), 1_000)
    selectors.forget()  # the stamp is read at most once a second: the test does not wait
    after = selectors.statistics(visible_to=personas.bpjs, year=2025)
    assert (after.cases, after.amount) == (before.cases, before.amount + 1_000)
