"""Properties every benefit must keep, on any date and amount: never negative, caps respected,
more wage never pays less where the law ties the benefit to the wage."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from jamsostek.rules.benefits import (
    BenefitResult,
    Child,
    Costs,
    Relative,
    Savings,
    heirs,
    jht_balance,
    jht_partial_withdrawal,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
)
from jamsostek.rules.benefits.heirs import RELATIONS
from jamsostek.rules.parameterset import default_parameters
from jamsostek.rules.periods import Month

WAGES = st.integers(min_value=0, max_value=200_000_000)
BENEFIT_DAYS = st.dates(min_value=date(2015, 7, 1), max_value=date(2032, 12, 31))
JKP_DAYS = st.dates(min_value=date(2021, 2, 2), max_value=date(2032, 12, 31))
RATES = st.integers(min_value=0, max_value=10_000).map(lambda basis_points: Fraction(basis_points, 10_000))
LEVELS = st.sampled_from(["tk_sd", "smp", "sma", "higher", "none"])
CHILDREN = st.lists(
    st.builds(
        Child,
        level=LEVELS,
        year=st.integers(min_value=1, max_value=9),
        birth_date=st.one_of(st.none(), st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 1, 1))),
        married=st.booleans(),
    ),
    max_size=4,
)
COSTS = st.builds(
    Costs,
    medical=WAGES,
    transport_land=WAGES,
    transport_sea=WAGES,
    transport_air=WAGES,
    home_care=WAGES,
    eyeglasses=WAGES,
)


def _sound(result: BenefitResult) -> None:
    """No line is negative, the total is the sum of the lines, an ineligible result pays nothing."""
    assert all(line.amount >= 0 for line in result.lines)
    assert result.total == sum(line.amount for line in result.lines)
    if not result.eligible:
        assert result.total == 0
        assert result.lines == ()
    if any(not line.confirmed for line in result.lines):
        assert not result.confirmed
        assert result.warnings, "an unconfirmed amount must come with a warning"


def _jkk(event: str, day: date, wage: int, **extra: object) -> BenefitResult:
    return jkk_benefit(event=event, accident_date=day, wage=wage, **extra)  # type: ignore[arg-type]


@given(day=BENEFIT_DAYS, wage=WAGES, more=WAGES, months=st.integers(min_value=1, max_value=60))
def test_jkk_cash_never_falls_when_the_wage_or_the_months_rise(day: date, wage: int, more: int, months: int) -> None:
    for event, extra, longer in (
        ("death", {}, {}),
        ("total_disability", {}, {}),
        ("temporary_incapacity", {"months": months}, {"months": months + 1}),
        ("partial_disability", {"percentage": Fraction("0.35")}, {"percentage": Fraction("0.5")}),
    ):
        low = _jkk(event, day, wage, **extra)
        high = _jkk(event, day, wage + more, **extra)
        _sound(low)
        _sound(high)
        assert low.total <= high.total, event
        assert low.total <= _jkk(event, day, wage, **longer).total, event


@given(day=BENEFIT_DAYS, costs=COSTS)
def test_jkk_costs_never_exceed_what_was_claimed_or_the_caps(day: date, costs: Costs) -> None:
    result = jkk_benefit(event="costs", accident_date=day, costs=costs)
    _sound(result)
    parameters = default_parameters()
    caps = parameters.at("benefits.jkk.transport_caps", day).value
    limits = {
        "transport_land": caps["land"],
        "transport_sea": caps["sea"],
        "transport_air": caps["air"],
        "home_care": parameters.at("benefits.jkk.home_care_cap", day).value,
        "eyeglasses": parameters.at("benefits.jkk.eyeglasses_cap", day).value,
    }
    for line in result.lines:
        name = line.key.removeprefix("jkk.")
        assert line.amount <= getattr(costs, name)
        if name in limits:
            assert line.amount <= (limits[name] or 0)
    assert result.total <= sum(costs.claimed().values())


@given(day=BENEFIT_DAYS, months=st.integers(min_value=0, max_value=600), children=CHILDREN)
def test_jkm_pays_the_fixed_amounts_and_at_most_two_scholarships(day: date, months: int, children: list[Child]) -> None:
    result = jkm_benefit(death_date=day, contribution_months=months, children=children)
    _sound(result)
    fixed = sum(result.line(key).amount for key in ("jkm.lump_sum", "jkm.periodic", "jkm.funeral"))
    assert fixed in (24_000_000, 42_000_000)
    paid = [line for line in result.lines if line.key.startswith("jkm.scholarship") and line.amount > 0]
    assert len(paid) <= (1 if fixed == 24_000_000 else 2)
    assert all(line.amount <= 12_000_000 for line in paid)
    if fixed == 42_000_000 and months < 36:
        assert paid == []


@given(day=JKP_DAYS, wage=WAGES, more=WAGES, paid=st.integers(min_value=12, max_value=24))
def test_jkp_rises_with_the_wage_up_to_the_cap_and_never_above_its_maximum(
    day: date, wage: int, more: int, paid: int
) -> None:
    def total(last_wage: int) -> int:
        result = jkp_benefit(
            termination_date=day,
            last_wage=last_wage,
            months_paid_last_24=paid,
            consecutive_months=6,
            age_at_registration=30,
        )
        _sound(result)
        assert result.eligible
        return result.total

    low, high = total(wage), total(wage + more)
    assert low <= high
    maximum = 18_000_000 if day >= date(2025, 2, 7) else 10_500_000
    assert high <= maximum
    assert total(max(wage, 5_000_000)) == maximum


@given(
    on=st.dates(min_value=date(2023, 3, 1), max_value=date(2026, 2, 28)),
    months=st.integers(min_value=180, max_value=600),
    wage=WAGES,
    more=WAGES,
)
def test_jp_pension_stays_between_the_minimum_and_maximum_and_rises_with_the_wage(
    on: date, months: int, wage: int, more: int
) -> None:
    parameters = default_parameters()
    low_bound = parameters.at("benefits.jp.minimum_benefit", on).value
    high_bound = parameters.at("benefits.jp.maximum_benefit", on).value

    def pension(average: int, contribution_months: int) -> int:
        result = jp_benefit(
            on=on,
            birth_date=date(1950, 1, 1),
            contribution_months=contribution_months,
            average_indexed_wage=average,
        )
        _sound(result)
        return result.total

    amount = pension(wage, months)
    assert low_bound <= amount <= high_bound
    assert amount <= pension(wage + more, months)
    assert amount <= pension(wage, months + 1)


@given(
    amount=st.integers(min_value=0, max_value=5_000_000),
    length=st.integers(min_value=1, max_value=120),
    rate=RATES,
    higher=RATES,
)
@settings(max_examples=50)
def test_jht_balance_is_at_least_the_contributions_and_rises_with_the_returns(
    amount: int, length: int, rate: Fraction, higher: Fraction
) -> None:
    first = Month(2016, 1)
    last = first.plus(length - 1)
    day = last.plus(1).day(15)
    years = range(first.year, day.year + 1)

    def balance(yearly: Fraction) -> int:
        savings = Savings.monthly(amount, first, last, dict.fromkeys(years, yearly))
        result = jht_balance(on=day, savings=savings)
        _sound(result)
        return result.total

    low = balance(min(rate, higher))
    assert low >= amount * length
    assert low <= balance(max(rate, higher))
    partial = jht_partial_withdrawal(
        claim_date=day,
        purpose="housing",
        membership_start=date(2005, 1, 1),
        savings=Savings(balance=low),
    )
    assert partial.total * 10 <= low * 3 + 5  # at most 30% (plus the half rupiah of rounding)


@given(
    relatives=st.lists(
        st.builds(
            Relative,
            relation=st.sampled_from(sorted(RELATIONS)),
            name=st.sampled_from(["Ani", "Budi", "Citra", "Dewi"]),
            deceased=st.booleans(),
        ),
        max_size=8,
    ),
    program=st.sampled_from(["jht", "jp"]),
)
def test_the_entitled_heirs_come_from_one_group_and_nobody_outranks_them(
    relatives: list[Relative], program: str
) -> None:
    result = heirs(relatives=relatives, on=date(2025, 5, 1), program=program)
    if result.rank is None:
        assert result.entitled == ()
        return
    assert result.entitled
    assert all(relative.deceased is False for relative in result.entitled)
    assert all(rank >= result.rank for rank, _ in result.order)
    assert {relative.relation for relative in result.entitled} <= set(RELATIONS)
    if program == "jp":
        assert len(result.entitled) <= 2
