"""The parameter loader refuses anything that is not dated, cited and well-formed."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from jamsostek.rules.errors import ParameterError, ParameterNotInForce
from jamsostek.rules.parameterset import default_parameters, load_directory, parse_parameter, read_yaml

GOOD = """
description: a rate
unit: rate
values:
  2015-07-01:
    value: 0.0024
    reference: {instrument: PP, number: "44", year: 2015, article: "16(1)"}
    confirmed: true
  2020-08-01:
    value: 0.000024
    reference: {instrument: PP, number: "49", year: 2020}
    confirmed: false
    note: example
"""


def parse(text: str) -> object:
    return parse_parameter("test.rate", read_yaml(text, "test.yaml"), "test.yaml")


def test_it_reads_decimals_exactly_and_orders_values_by_date() -> None:
    parameter = parse(GOOD)
    assert parameter.at(date(2015, 7, 1)).value == Fraction(24, 10000)
    assert parameter.at(date(2020, 7, 31)).value == Fraction("0.0024")
    assert parameter.at(date(2020, 8, 1)).value == Fraction("0.000024")
    assert str(parameter.at(date(2016, 1, 1)).reference) == "PP 44/2015 art. 16(1)"
    assert parameter.at(date(2021, 1, 1)).confirmed is False


def test_it_raises_before_the_first_value() -> None:
    with pytest.raises(ParameterNotInForce):
        parse(GOOD).at(date(2015, 6, 30))


def test_it_rejects_a_value_without_a_reference() -> None:
    text = GOOD.replace('    reference: {instrument: PP, number: "49", year: 2020}\n', "")
    with pytest.raises(ParameterError, match="needs a reference"):
        parse(text)


def test_it_rejects_a_reference_without_instrument_number_or_year() -> None:
    text = GOOD.replace('{instrument: PP, number: "49", year: 2020}', "{instrument: PP, year: 2020}")
    with pytest.raises(ParameterError, match="reference lacks number"):
        parse(text)


def test_it_rejects_an_unknown_key() -> None:
    with pytest.raises(ParameterError, match="unknown key"):
        parse(GOOD.replace("    note: example", "    notes: example"))
    with pytest.raises(ParameterError, match="unknown key"):
        parse(GOOD + "author: someone\n")
    with pytest.raises(ParameterError, match="unknown key"):
        parse(GOOD.replace("year: 2020}", "year: 2020, page: 3}"))


def test_it_rejects_a_duplicate_date() -> None:
    duplicate = (
        GOOD
        + """  2015-07-01:
    value: 0.003
    reference: {instrument: PP, number: "44", year: 2015}
    confirmed: true
"""
    )
    with pytest.raises(ParameterError, match="duplicate key"):
        parse(duplicate)


def test_it_rejects_a_missing_confirmed_status() -> None:
    with pytest.raises(ParameterError, match="confirmed"):
        parse(GOOD.replace("    confirmed: false\n", ""))


def test_it_rejects_a_value_that_does_not_fit_the_unit() -> None:
    with pytest.raises(ParameterError, match="between 0 and 1"):
        parse(GOOD.replace("value: 0.0024", "value: 24"))
    with pytest.raises(ParameterError, match="whole number"):
        parse(GOOD.replace("unit: rate", "unit: rupiah").replace("value: 0.0024", "value: 1.5"))
    with pytest.raises(ParameterError, match="unknown unit"):
        parse(GOOD.replace("unit: rate", "unit: percent"))
    with pytest.raises(ParameterError, match="not a date"):
        parse(GOOD.replace("2015-07-01:", "from-july:"))


def test_it_rejects_broken_yaml_with_the_file_name() -> None:
    with pytest.raises(ParameterError, match=r"test\.yaml"):
        read_yaml("values: [", "test.yaml")


def test_a_directory_names_parameters_by_path(tmp_path: Path) -> None:
    (tmp_path / "jkk").mkdir()
    (tmp_path / "jkk" / "rate.yaml").write_text(GOOD, "utf-8")
    parameters = load_directory(tmp_path)
    assert [parameter.name for parameter in parameters] == ["jkk.rate"]


def test_every_shipped_value_is_dated_and_cited() -> None:
    parameters = default_parameters()
    assert len(parameters) >= 30
    for parameter in parameters:
        assert parameter.description
        for entry in parameter.entries:
            assert entry.reference.instrument
            assert entry.reference.number
            assert entry.reference.year
            if not entry.confirmed:
                assert entry.note, f"{parameter.name} {entry.start}: an unconfirmed value must say why"


def test_values_marked_unconfirmed_in_the_reference_stay_unconfirmed() -> None:
    parameters = default_parameters()
    for name, day in (
        ("jp.wage_cap", date(2020, 3, 1)),
        ("jp.wage_cap", date(2021, 3, 1)),
        ("jp.wage_cap", date(2025, 3, 1)),
        ("jp.wage_cap", date(2026, 3, 1)),
        ("jkp.contribution_wage_cap", date(2024, 1, 1)),
        ("fines.pu_late_rate_per_month_jht_jp", date(2024, 1, 1)),
        ("jkk.labour_intensive_settlement_deadline", date(2025, 2, 1)),
    ):
        assert parameters.at(name, day).confirmed is False, name
    bands = parameters.at("bpu.income_bands", date(2025, 1, 1)).value
    assert [band.confirmed for band in bands] == [True, False, False]
    jkm_slices = parameters.at("jakon.jkm_contract_slices", date(2025, 1, 1)).value
    assert [row.confirmed for row in jkm_slices] == [True, True, False, False, False]
