"""Load the legal worked examples (``cases/*.yaml``) and turn their inputs into rule inputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from jamsostek.rules.model import BPUInput, ContributionInput, JakonInput, PMIInput, PUInput
from jamsostek.rules.periods import Month

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "segment", "period", "input", "expected"}
EXPECTED_KEYS = {
    "lines",
    "lines_include",
    "lines_exclude",
    "totals",
    "warnings_include",
    "warnings_exclude",
    "due_date",
    "error",
}
LINE_KEYS = {"program", "payer", "base", "rate", "amount", "confirmed", "information", "months"}
_INPUTS = {"pu": PUInput, "bpu": BPUInput, "jakon": JakonInput, "pmi": PMIInput}


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    segment: str
    period: str
    input: dict[str, Any]
    expected: dict[str, Any]

    def month(self) -> Month:
        return Month.parse(self.period)

    def inputs(self) -> ContributionInput:
        values = dict(self.input)
        if "wages" in values:
            values["wages"] = tuple(values["wages"])
        for name in ("employer_first_month", "first_month"):
            if name in values:
                values[name] = Month.parse(values[name])
        built: ContributionInput = _INPUTS[self.segment](**values)
        return built


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text("utf-8")):
            unknown = set(raw) - CASE_KEYS
            assert not unknown, f"{path.name}: {raw.get('name')}: unknown keys {unknown}"
            expected = raw["expected"]
            assert set(expected) <= EXPECTED_KEYS, f"{raw['name']}: unknown expected keys"
            for key in ("lines", "lines_include", "lines_exclude"):
                for line in expected.get(key, []):
                    assert set(line) <= LINE_KEYS, f"{raw['name']}: unknown line keys {set(line) - LINE_KEYS}"
            period = raw["period"]
            cases.append(
                Case(
                    name=raw["name"],
                    file=path.name,
                    segment=raw["segment"],
                    period=period if isinstance(period, str) else f"{period:%Y-%m}",
                    input=raw.get("input", {}),
                    expected=expected,
                )
            )
    return cases


def line_matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    """Every key the case gives must equal the line's value (``information`` defaults to false)."""
    wanted = {"information": False, **expected} if "program" in expected and len(expected) > 1 else expected
    for key, value in wanted.items():
        if isinstance(value, date):
            value = value.isoformat()
        if actual.get(key) != value:
            return False
    return True
