"""The benefit worked examples in ``cases/*.yaml``, each exact to the rupiah."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jamsostek.rules.benefits import BenefitResult, HeirsResult, PensionAge
from jamsostek.rules.errors import InvalidInput
from tests.rules.benefits.worked_examples import Case, load_cases

CASES = load_cases()


def _ids(case: Case) -> str:
    return f"{case.file}::{case.name}"


def test_there_are_worked_examples_for_every_program() -> None:
    programs = {case.program for case in CASES}
    assert {"jkm", "jkk", "jht", "jht_partial", "jp", "jp_pension_age", "jkp", "heirs"} <= programs


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_the_rules_give_the_expected_result(case: Case) -> None:
    expected = case.expected
    if "error" in expected:
        with pytest.raises(InvalidInput) as raised:
            case.run()
        assert raised.value.field == expected["error"]["field"]
        assert raised.value.code == expected["error"]["code"]
        return
    result = case.run()
    if isinstance(result, PensionAge):
        assert result.pension_date == expected["pension_date"]
        assert result.age == expected["age"]
        assert result.confirmed == expected["confirmed"]
        return
    if isinstance(result, HeirsResult):
        _check_heirs(result, expected)
        return
    assert isinstance(result, BenefitResult)
    _check_benefit(result, expected)


def _check_benefit(result: BenefitResult, expected: dict[str, Any]) -> None:
    data = result.to_dict()
    for key in ("eligible", "code", "total", "confirmed"):
        if key in expected:
            assert data[key] == expected[key], f"{key}: {data[key]!r} != {expected[key]!r}; {data}"
    lines = {line["key"]: line for line in data["lines"]}
    if "lines" in expected:
        assert list(lines) == [line["key"] for line in expected["lines"]], data["lines"]
    for wanted in [*expected.get("lines", []), *expected.get("lines_include", [])]:
        found = lines.get(wanted["key"])
        assert found is not None, f"no line {wanted['key']}; lines: {list(lines)}"
        for key, value in wanted.items():
            assert found[key] == value, f"{wanted['key']} {key}: {found[key]!r} != {value!r}"
    assert sum(line["amount"] for line in data["lines"]) == data["total"]
    if "warnings" in expected:
        assert data["warnings"] == expected["warnings"]
    for text in expected.get("warnings_include", []):
        assert any(text in warning for warning in data["warnings"]), f"no warning with {text!r}: {data['warnings']}"
    for text in expected.get("warnings_exclude", []):
        assert not any(text in warning for warning in data["warnings"]), f"a warning with {text!r}: {data['warnings']}"
    for key, value in expected.get("details", {}).items():
        if isinstance(value, date):
            value = value.isoformat()
        assert data["details"].get(key) == value, f"details {key}: {data['details'].get(key)!r} != {value!r}"


def _check_heirs(result: HeirsResult, expected: dict[str, Any]) -> None:
    if "entitled" in expected:
        assert [relative.name for relative in result.entitled] == expected["entitled"]
    if "rank" in expected:
        assert result.rank == expected["rank"]
    if "recipient" in expected:
        assert expected["recipient"] in result.recipient
    if "funeral_costs_to" in expected:
        assert result.funeral_costs_to == expected["funeral_costs_to"]
    if "legal_basis" in expected:
        assert expected["legal_basis"] in result.to_dict()["legal_basis"]
    if "excluded" in expected:
        assert [relative.name for relative, _ in result.excluded] == expected["excluded"]
    if "confirmed" in expected:
        assert result.confirmed == expected["confirmed"]
    for text in expected.get("warnings_include", []):
        assert any(text in warning for warning in result.warnings), f"no warning with {text!r}: {result.warnings}"
    if "warnings" in expected:
        assert list(result.warnings) == expected["warnings"]
