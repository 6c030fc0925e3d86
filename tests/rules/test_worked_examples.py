"""The legal worked examples in ``cases/*.yaml``, each exact to the rupiah.

Every case runs twice: through the scalar path (itemised lines) and through the batch path
(amount columns), which must give the same amounts per program and payer.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

from jamsostek.rules import batch
from jamsostek.rules.contributions import contribution
from jamsostek.rules.errors import InvalidInput
from tests.rules.batch_table import rows_for, to_table
from tests.rules.worked_examples import Case, line_matches, load_cases

CASES = load_cases()


def _ids(case: Case) -> str:
    return f"{case.file}::{case.name}"


def _scalar(case: Case) -> dict[str, Any]:
    return contribution(case.inputs(), case.month()).to_dict()


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_scalar_path_gives_the_expected_lines(case: Case) -> None:
    expected = case.expected
    if "error" in expected:
        with pytest.raises(InvalidInput) as raised:
            contribution(case.inputs(), case.month())
        assert raised.value.field == expected["error"]["field"]
        assert raised.value.code == expected["error"]["code"]
        return
    result = _scalar(case)
    lines = result["lines"]
    if "lines" in expected:
        unmatched = list(lines)
        for wanted in expected["lines"]:
            found = next((line for line in unmatched if line_matches(wanted, line)), None)
            assert found is not None, f"no line matches {wanted}; lines: {lines}"
            unmatched.remove(found)
        assert not unmatched, f"unexpected lines: {unmatched}"
    for wanted in expected.get("lines_include", []):
        assert any(line_matches(wanted, line) for line in lines), f"no line matches {wanted}; lines: {lines}"
    for unwanted in expected.get("lines_exclude", []):
        assert not any(line_matches(unwanted, line) for line in lines), f"a line matches {unwanted}"
    for payer, amount in expected.get("totals", {}).items():
        assert result["totals"][payer] == amount, f"total {payer}"
    for text in expected.get("warnings_include", []):
        assert any(text in warning for warning in result["warnings"]), f"no warning with {text!r}"
    for text in expected.get("warnings_exclude", []):
        assert not any(text in warning for warning in result["warnings"]), f"a warning with {text!r}"
    if "due_date" in expected:
        assert result["due_date"] == expected["due_date"].isoformat()


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in c.expected], ids=_ids)
def test_batch_path_gives_the_same_amounts(case: Case) -> None:
    scalar = contribution(case.inputs(), case.month())
    table = batch_rows([case])
    columns = batch.compute(table)
    sums: Counter[str] = Counter()
    for line in scalar.lines:
        column = f"{line.program}_{line.payer}" + ("_information" if line.information else "")
        sums[column] += line.amount
    for column in batch.OUTPUT_COLUMNS:
        assert int(columns[column].sum()) == sums[column], column
    for payer in ("employer", "worker", "participant", "total"):
        assert int(columns[payer].sum()) == scalar.totals[payer], payer


def batch_rows(cases: list[Case]) -> dict[str, np.ndarray]:
    """The batch table for some cases (a Jakon case with wages becomes one row per worker)."""
    rows: list[dict[str, Any]] = []
    for case in cases:
        rows += rows_for(case.inputs(), case.month())
    return to_table(rows)


ERROR_CASES = [c for c in CASES if "error" in c.expected]


@pytest.mark.parametrize("case", ERROR_CASES, ids=_ids)
def test_batch_path_refuses_what_the_scalar_path_refuses(case: Case) -> None:
    """The same field and reason from the batch path, naming the bad row among good ones of every
    segment (the batch checks look at a whole column first and go row by row only when that fails)."""
    try:
        bad = rows_for(case.inputs(), case.month())
    except InvalidInput:
        pytest.skip("refused while building the inputs (the scalar test covers it)")
    good = [case for case in CASES if "error" not in case.expected]
    before = [row for case in good[:40] for row in rows_for(case.inputs(), case.month())]
    after = [row for case in good[40:80] for row in rows_for(case.inputs(), case.month())]
    with pytest.raises(InvalidInput) as raised:
        batch.compute(to_table(before + bad + after))
    assert raised.value.field == case.expected["error"]["field"]
    assert raised.value.code == case.expected["error"]["code"]
    assert raised.value.row == len(before)
