"""Build batch tables from scalar inputs (one place, used by the worked examples and the
property test)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jamsostek.rules.model import BPUInput, ContributionInput, JakonInput, PMIInput, PUInput
from jamsostek.rules.periods import Month


def rows_for(inputs: ContributionInput, period: Month) -> list[dict[str, Any]]:
    """The batch row(s) for one scalar input: Jakon with wages is one row per worker."""
    common = {"period": period.index}
    if isinstance(inputs, PUInput):
        return [
            {
                **common,
                "segment": "pu",
                "wage": inputs.wage,
                "fixed_allowances": inputs.fixed_allowances,
                "minimum_wage": inputs.minimum_wage or 0,
                "risk_class": inputs.risk_class,
                "labour_intensive": inputs.labour_intensive,
                "with_jp": inputs.with_jp,
                "with_jkp": inputs.with_jkp,
                "jp_deferral": inputs.jp_deferral,
                "paid_on": np.datetime64(inputs.paid_on, "D") if inputs.paid_on else np.datetime64("NaT", "D"),
                # Not known (None) is the batch default: not a state body, relief conditions held.
                "state_body": bool(inputs.state_body),
                "relief_paid_up": inputs.relief_paid_up is not False,
                "payer_first_month": -1 if inputs.employer_first_month is None else inputs.employer_first_month.index,
            }
        ]
    if isinstance(inputs, BPUInput):
        return [
            {
                **common,
                "segment": "bpu",
                "income": inputs.income,
                "with_jht": inputs.with_jht,
                "with_jkm": inputs.with_jkm,
                "months": inputs.months,
                "relief_paid_up": inputs.relief_paid_up is not False,
                "payer_first_month": -1 if inputs.first_month is None else inputs.first_month.index,
            }
        ]
    if isinstance(inputs, JakonInput):
        if inputs.wages is not None:
            return [{**common, "segment": "jakon", "wage": wage, "contract_value": -1} for wage in inputs.wages]
        return [{**common, "segment": "jakon", "contract_value": inputs.contract_value}]
    assert isinstance(inputs, PMIInput)
    return [{**common, "segment": "pmi", "months": inputs.months, "pre_departure": inputs.pre_departure}]


DEFAULTS: dict[str, Any] = {
    "wage": 0,
    "fixed_allowances": 0,
    "minimum_wage": 0,
    "risk_class": 0,
    "labour_intensive": False,
    "with_jp": True,
    "with_jkp": True,
    "jp_deferral": True,
    "paid_on": np.datetime64("NaT", "D"),
    "income": 0,
    "with_jht": False,
    "with_jkm": True,
    "months": 1,
    "contract_value": -1,
    "pre_departure": False,
    "state_body": False,
    "relief_paid_up": True,
    "payer_first_month": -1,
}


def to_table(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    table: dict[str, np.ndarray] = {
        "segment": np.array([row["segment"] for row in rows]),
        "period": np.array([row["period"] for row in rows], dtype=np.int64),
    }
    for name, default in DEFAULTS.items():
        values = [row.get(name, default) for row in rows]
        if name == "paid_on":
            table[name] = np.array(values, dtype="datetime64[D]")
        elif isinstance(default, bool):
            table[name] = np.array(values, dtype=bool)
        else:
            table[name] = np.array(values, dtype=np.int64)
    return table
