"""The units added for the benefit rules, and the uncertain start window, load strictly."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from jamsostek.rules.errors import ParameterError
from jamsostek.rules.parameterset import (
    HeirGroup,
    Level,
    Parameter,
    ScheduleRow,
    default_parameters,
    parse_parameter,
    read_yaml,
)

REFERENCE = '{instrument: PP, number: "82", year: 2019}'


def parse(unit: str, value: str, extra: str = "") -> Parameter:
    text = f"""
description: test
unit: {unit}
values:
  2019-12-02:
    value: {value}
    reference: {REFERENCE}
    confirmed: true
{extra}"""
    return parse_parameter("test.value", read_yaml(text, "test.yaml"), "test.yaml")


def test_whole_number_units_read_integers_and_refuse_the_rest() -> None:
    for unit in ("months", "years", "count"):
        assert parse(unit, "24").entries[0].value == 24
        with pytest.raises(ParameterError, match="whole number"):
            parse(unit, "2.5")
        with pytest.raises(ParameterError, match="whole number"):
            parse(unit, "-1")
        with pytest.raises(ParameterError, match="whole number"):
            parse(unit, "true")


def test_a_factor_is_exact_and_may_exceed_one() -> None:
    assert parse("factor", "48").entries[0].value == Fraction(48)
    assert parse("factor", "0.7").entries[0].value == Fraction(7, 10)
    with pytest.raises(ParameterError, match="factor"):
        parse("factor", "-2")


def test_rupiah_by_key_needs_names_and_whole_rupiah() -> None:
    value = parse("rupiah_by_key", "{land: 5000000, sea: 2000000}").entries[0].value
    assert value == {"land": 5_000_000, "sea": 2_000_000}
    with pytest.raises(ParameterError, match="rupiah"):
        parse("rupiah_by_key", "{land: 1.5}")
    with pytest.raises(ParameterError, match="name"):
        parse("rupiah_by_key", "{Land Transport: 1}")
    with pytest.raises(ParameterError, match="mapping"):
        parse("rupiah_by_key", "[1, 2]")


def test_rate_by_month_starts_at_month_one_and_increases() -> None:
    parameter = parse("rate_by_month", "[{from_month: 1, rate: 1.0}, {from_month: 13, rate: 0.5}]")
    rows = parameter.entries[0].value
    assert rows == (ScheduleRow(1, Fraction(1), True), ScheduleRow(13, Fraction(1, 2), True))
    with pytest.raises(ParameterError, match="start at month 1"):
        parse("rate_by_month", "[{from_month: 2, rate: 1.0}]")
    with pytest.raises(ParameterError, match="start at month 1"):
        parse("rate_by_month", "[{from_month: 1, rate: 1.0}, {from_month: 1, rate: 0.5}]")
    with pytest.raises(ParameterError, match="unknown key"):
        parse("rate_by_month", "[{from_month: 1, rate: 1.0, until: 12}]")
    with pytest.raises(ParameterError, match="between 0 and 1"):
        parse("rate_by_month", "[{from_month: 1, rate: 1.5}]")


def test_a_level_table_has_unique_levels_and_at_least_one_year() -> None:
    rows = parse("level_table", "[{level: smp, per_year: 2000000, max_years: 3}]").entries[0].value
    assert rows == (Level("smp", 2_000_000, 3),)
    with pytest.raises(ParameterError, match="listed twice"):
        parse(
            "level_table",
            "[{level: smp, per_year: 1, max_years: 3}, {level: smp, per_year: 2, max_years: 3}]",
        )
    with pytest.raises(ParameterError, match="at least 1"):
        parse("level_table", "[{level: smp, per_year: 1, max_years: 0}]")
    with pytest.raises(ParameterError, match="needs level"):
        parse("level_table", "[{level: smp, per_year: 1}]")
    with pytest.raises(ParameterError, match="unknown key"):
        parse("level_table", "[{level: smp, per_year: 1, max_years: 3, age: 12}]")


def test_a_name_list_refuses_repeats_and_odd_names() -> None:
    assert parse("name_list", "[age, death]").entries[0].value == ("age", "death")
    with pytest.raises(ParameterError, match="twice"):
        parse("name_list", "[age, age]")
    with pytest.raises(ParameterError, match="name"):
        parse("name_list", "[Age]")
    with pytest.raises(ParameterError, match="non-empty"):
        parse("name_list", "[]")


def test_an_heir_order_puts_each_relation_in_one_group() -> None:
    groups = parse("heir_order", "[{relations: [spouse, child]}, {relations: [parent], at_most: 1}]")
    assert groups.entries[0].value == (HeirGroup(("spouse", "child"), None), HeirGroup(("parent",), 1))
    with pytest.raises(ParameterError, match="two groups"):
        parse("heir_order", "[{relations: [spouse]}, {relations: [spouse]}]")
    with pytest.raises(ParameterError, match="at least 1"):
        parse("heir_order", "[{relations: [spouse], at_most: 0}]")
    with pytest.raises(ParameterError, match="unknown key"):
        parse("heir_order", "[{relations: [spouse], limit: 1}]")


WINDOW = """    start_window: {earliest: 2019-10-01, latest: 2019-12-31}
    note: effective date UNCONFIRMED
"""


def test_an_uncertain_start_window_is_found_on_both_sides_of_the_chosen_date() -> None:
    parameter = parse("rupiah", "20000000", WINDOW)
    assert parameter.entries[0].start_window == (date(2019, 10, 1), date(2019, 12, 31))
    assert parameter.uncertain_on(date(2019, 10, 1)) is parameter.entries[0]
    assert parameter.uncertain_on(date(2019, 12, 31)) is parameter.entries[0]
    assert parameter.uncertain_on(date(2019, 9, 30)) is None
    assert parameter.uncertain_on(date(2020, 1, 1)) is None


def test_an_uncertain_start_window_must_contain_the_start_and_say_why() -> None:
    with pytest.raises(ParameterError, match="earliest <= start <= latest"):
        parse("rupiah", "1", WINDOW.replace("2019-10-01", "2019-12-03"))
    with pytest.raises(ParameterError, match="needs a note"):
        parse("rupiah", "1", WINDOW.replace("    note: effective date UNCONFIRMED\n", ""))
    with pytest.raises(ParameterError, match="exactly earliest and latest"):
        parse("rupiah", "1", "    start_window: {earliest: 2019-10-01}\n    note: x\n")


def test_benefit_values_marked_unconfirmed_in_the_reference_stay_unconfirmed() -> None:
    parameters = default_parameters()
    for name, day in (
        ("benefits.jkk.total_disability_rate", date(2025, 1, 1)),
        ("benefits.jkk.disability_wage_multiple", date(2025, 1, 1)),
        ("benefits.jkk.scholarship_minimum_months", date(2025, 1, 1)),
        ("benefits.jp.maximum_benefit", date(2024, 6, 1)),
        ("benefits.jp.minimum_benefit", date(2025, 6, 1)),
        ("benefits.jp.maximum_benefit", date(2025, 6, 1)),
        ("benefits.jp.minimum_benefit", date(2018, 6, 1)),
        ("benefits.jp.pension_age", date(2028, 1, 1)),
        ("benefits.jp.pension_age", date(2043, 1, 1)),
        ("benefits.jkp.wage_cap", date(2024, 1, 1)),
        ("benefits.jkp.claim_deadline_months", date(2024, 1, 1)),
    ):
        assert parameters.at(name, day).confirmed is False, (name, day)
    assert parameters.at("benefits.jp.minimum_benefit", date(2018, 6, 1)).value is None
    assert parameters.at("benefits.jp.pension_age", date(2025, 1, 1)).confirmed is True
    # PP 82/2019 is in force from its promulgation, 2 December 2019 (art. II, text seen): no value
    # has an uncertain start any more, and the JP shares of PP 45/2015 art. 20-23 are confirmed.
    assert not [p.name for p in parameters if any(entry.start_window for entry in p.entries)]
    for name in ("benefits.jkm.lump_sum", "benefits.jkk.transport_caps", "benefits.scholarship.by_level"):
        assert parameters[name].uncertain_on(date(2019, 11, 15)) is None, name
        assert parameters.at(name, date(2019, 12, 1)).start == date(2015, 7, 1), name
        assert parameters.at(name, date(2019, 12, 2)).start == date(2019, 12, 2), name
    assert parameters.at("benefits.jp.formula_shares", date(2025, 1, 1)).confirmed is True
