"""Money, rounding and periods: the small pieces everything else stands on."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.money import amount, percent_text, rate_text, round_half_up, rupiah
from jamsostek.rules.periods import Month, months_late, next_working_day, parse_date


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(0), 0),
        (Fraction(1, 2), 1),
        (Fraction(3, 2), 2),
        (Fraction(5, 2), 3),  # half up, not half to even
        (Fraction(49999, 100000), 0),
        (Fraction(120000600001, 2000000), 60000),  # 60,000.3000005
        (Fraction(1200010, 20), 60001),  # 60,000.5
    ],
)
def test_it_rounds_halves_up_to_whole_rupiah(value: Fraction, rounded: int) -> None:
    assert round_half_up(value) == rounded


def test_it_rounds_once_after_multiplying_every_factor() -> None:
    assert amount(4_000_000, Fraction("0.0054"), Fraction("0.01")) == 216
    # 1,270,700 x 0.24% = 3,049.68; rounding that first (3,050) and then taking 1% would give
    # 30.5 -> 31. The rule rounds once: 1,270,700 x 0.24% x 1% = 30.4968 -> 30.
    assert amount(1_270_700, Fraction("0.0024"), Fraction("0.01")) == 30


def test_it_refuses_negative_amounts() -> None:
    with pytest.raises(ValueError, match="never negative"):
        round_half_up(Fraction(-1, 2))


def test_rates_print_as_exact_decimals() -> None:
    assert rate_text(Fraction("0.0024")) == "0.0024"
    assert rate_text(Fraction("0.00445")) == "0.00445"
    assert rate_text(Fraction(2)) == "2"
    assert percent_text(Fraction("0.0024")) == "0.24%"
    assert percent_text(Fraction("0.000054")) == "0.0054%"


def test_rupiah_prints_in_english_and_indonesian() -> None:
    assert rupiah(1_234_567) == "Rp1,234,567"
    assert rupiah(1_234_567, "id") == "Rp1.234.567"


def test_it_parses_months_strictly() -> None:
    assert Month.parse("2025-03") == Month(2025, 3)
    assert str(Month(2025, 3)) == "2025-03"
    for bad in ("2025-3", "2025-13", "03-2025", "2025/03", "", "2025-00"):
        with pytest.raises(InvalidInput) as raised:
            Month.parse(bad)
        assert raised.value.field == "period"


def test_months_count_and_order() -> None:
    assert Month(2024, 12).plus(1) == Month(2025, 1)
    assert Month(2025, 1).plus(-1) == Month(2024, 12)
    assert Month.from_index(Month(2020, 8).index) == Month(2020, 8)
    assert Month(2020, 8) < Month(2021, 1)
    assert Month(2021, 2).day(30) == date(2021, 2, 28)
    assert Month(2024, 2).last_day == date(2024, 2, 29)


def test_it_rejects_impossible_dates_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_date("1990-02-31", field="paid_on")
    assert raised.value.field == "paid_on"
    assert raised.value.code == "bad_date"
    with pytest.raises(InvalidInput):
        parse_date("31-02-1990", field="paid_on")
    assert parse_date("2024-02-29", field="paid_on") == date(2024, 2, 29)


def test_a_due_date_on_a_weekend_moves_to_monday() -> None:
    assert next_working_day(date(2024, 6, 15)) == date(2024, 6, 17)  # Saturday
    assert next_working_day(date(2021, 2, 28)) == date(2021, 3, 1)  # Sunday
    assert next_working_day(date(2024, 10, 15)) == date(2024, 10, 15)  # Tuesday


@pytest.mark.parametrize(
    ("paid", "late"),
    [
        (date(2025, 4, 15), 0),
        (date(2025, 3, 1), 0),
        (date(2025, 4, 16), 1),
        (date(2025, 5, 15), 1),
        (date(2025, 5, 16), 2),
        (date(2026, 4, 15), 12),
        (date(2026, 4, 16), 13),
    ],
)
def test_months_late_counts_started_months(paid: date, late: int) -> None:
    assert months_late(date(2025, 4, 15), paid) == late


def test_months_late_from_a_30th_due_date() -> None:
    due = date(2020, 11, 30)
    assert months_late(due, date(2020, 12, 30)) == 1
    assert months_late(due, date(2020, 12, 31)) == 2
    assert months_late(due, date(2021, 2, 28)) == 3


def test_public_holidays_move_a_due_date_only_in_years_with_a_list() -> None:
    from jamsostek.rules.holidays import public_holidays, working_day
    from jamsostek.rules.parameterset import default_parameters
    from jamsostek.rules.periods import next_working_day

    parameters = default_parameters()
    assert next_working_day(date(2026, 8, 15)) == date(2026, 8, 17)  # weekends only
    assert next_working_day(date(2026, 8, 15), {date(2026, 8, 17)}) == date(2026, 8, 18)
    assert working_day(parameters, date(2026, 8, 15)) == date(2026, 8, 18)  # Independence Day
    assert working_day(parameters, date(2026, 3, 21)) == date(2026, 3, 23)  # Idul Fitri on a weekend
    holidays_2026 = public_holidays(parameters, 2026)
    assert holidays_2026 is not None
    assert len(holidays_2026) == 17
    assert len(public_holidays(parameters, 2025) or ()) == 17
    assert public_holidays(parameters, 2024) is None  # no list: weekends only, and the fines warn
    assert public_holidays(parameters, 2027) is None  # the 2026 list does not stand in for 2027
    assert working_day(parameters, date(2027, 8, 15)) == date(2027, 8, 16)
