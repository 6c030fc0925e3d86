"""Load the benefit worked examples (``cases/*.yaml``) and run them through the rules.

A case names the function (``program``), gives its keyword inputs in plain YAML (dates, rates as
strings like "0.35", children, relatives, costs, savings) and the expected result: eligibility,
the exact lines by key, the total to the rupiah, the confirmed status and warnings. Expected
amounts are computed by hand from the law, never by running the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from jamsostek.rules.benefits import (
    Child,
    Contribution,
    Costs,
    Relative,
    Savings,
    heirs,
    jht_balance,
    jht_benefit,
    jht_partial_withdrawal,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
    jp_pension_age,
)
from jamsostek.rules.periods import Month

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "program", "input", "expected"}
EXPECTED_KEYS = {
    "eligible",
    "code",
    "lines",
    "lines_include",
    "total",
    "confirmed",
    "warnings",
    "warnings_include",
    "warnings_exclude",
    "details",
    "error",
    # jp_pension_age
    "pension_date",
    "age",
    # heirs
    "entitled",
    "rank",
    "recipient",
    "funeral_costs_to",
    "legal_basis",
    "excluded",
}
LINE_KEYS = {"key", "amount", "confirmed"}
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jkm": jkm_benefit,
    "jkk": jkk_benefit,
    "jht": jht_benefit,
    "jht_partial": jht_partial_withdrawal,
    "jht_balance": jht_balance,
    "jp": jp_benefit,
    "jp_pension_age": jp_pension_age,
    "jkp": jkp_benefit,
    "heirs": heirs,
}


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    program: str
    input: dict[str, Any]
    expected: dict[str, Any]

    def run(self) -> Any:
        return FUNCTIONS[self.program](**_inputs(self.input))


def _savings(raw: dict[str, Any]) -> Savings:
    returns = {int(year): Fraction(str(rate)) for year, rate in raw.get("returns", {}).items()}
    if "balance" in raw:
        return Savings(balance=raw["balance"], returns=returns)
    if "monthly" in raw:
        monthly = raw["monthly"]
        return Savings.monthly(monthly["amount"], Month.parse(monthly["from"]), Month.parse(monthly["to"]), returns)
    contributions = tuple(Contribution(Month.parse(item["month"]), item["amount"]) for item in raw["contributions"])
    return Savings(contributions, returns)


def _inputs(raw: dict[str, Any]) -> dict[str, Any]:
    values = dict(raw)
    if "children" in values:
        values["children"] = [Child(**child) for child in values["children"]]
    if "relatives" in values:
        values["relatives"] = [Relative(**relative) for relative in values["relatives"]]
    if "costs" in values:
        values["costs"] = Costs(**values["costs"])
    if "savings" in values:
        values["savings"] = _savings(values["savings"])
    for name in ("percentage", "function_loss"):
        if name in values:
            values[name] = Fraction(str(values[name]))
    return values


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text("utf-8")):
            unknown = set(raw) - CASE_KEYS
            assert not unknown, f"{path.name}: {raw.get('name')}: unknown keys {unknown}"
            assert raw["program"] in FUNCTIONS, f"{raw['name']}: unknown program {raw['program']}"
            expected = raw["expected"]
            assert set(expected) <= EXPECTED_KEYS, (
                f"{raw['name']}: unknown expected keys {set(expected) - EXPECTED_KEYS}"
            )
            for key in ("lines", "lines_include"):
                for line in expected.get(key, []):
                    assert set(line) <= LINE_KEYS, f"{raw['name']}: unknown line keys {set(line) - LINE_KEYS}"
            cases.append(Case(raw["name"], path.name, raw["program"], raw.get("input", {}), expected))
    return cases
