"""Contributions of many participants at once (the batch path), vectorised in int64.

Input: a table of N rows, given as a mapping of column name to array (a dict of numpy arrays,
or anything indexable by column name such as a Polars or pandas DataFrame). Output: a dict of
int64 arrays, one per program and payer, named like the scalar lines they sum
(``{program}_{payer}``, with ``_information`` for lines that are not billed), plus the totals
``employer``, ``worker``, ``participant`` and ``total``.

The parameters are the same dated YAML values as the scalar path. They are laid out once per
parameter set as month-by-month arrays of exact integers (rates as numerators over
``DENOMINATOR``; relief shares are folded into the rates so that every amount is still rounded
once, half up, exactly as ``jamsostek.rules.money.amount`` does). Rows are processed in chunks
(``CHUNK``) on as many threads as there are cores (numpy releases the GIL); the PU kernel writes its
columns in place into the results, on work arrays kept per thread (see ``kernels``).

Columns (missing optional columns take the default):

====================  =======  ===============================================================
column                type     meaning (segments)
====================  =======  ===============================================================
segment               str/int  ``pu``, ``bpu``, ``jakon``, ``pmi`` (or 0-3), required
period                str/int  contribution month ``YYYY-MM`` or ``month_index(...)``, required
wage                  int      monthly wage (PU; Jakon worker rows), default 0
fixed_allowances      int      fixed allowances (PU), default 0
minimum_wage          int      UMK/UMP floor (PU), 0 = none
risk_class            int      JKK risk class 1-5 (PU), required for PU rows
labour_intensive      bool     PP 7/2025 discount eligibility (PU), default false
with_jp               bool     enrolled in JP (PU), default true
with_jkp              bool     enrolled in JKP (PU), default true
jp_deferral           bool     uses the PP 49/2020 JP deferral (PU), default true
paid_on               date     payment date for the fine (PU), NaT = not paid / no fine
income                int      declared income (BPU), default 0
with_jht              bool     pays JHT (BPU), default false
with_jkm              bool     pays JKM (BPU), default true
months                int      prepaid months (BPU, default 1); contract months (PMI)
contract_value        int      contract value ex VAT (Jakon project rows); -1 = worker row
pre_departure         bool     pays the pre-departure package (PMI), default false
state_body            bool     employer is a state body, not fined (PU), default false
relief_paid_up        bool     the payer met the relief's paid-up condition (PU, BPU), default true
payer_first_month     str/int  employer's (PU) or participant's (BPU) first contribution month,
                               -1 = not known (default)
====================  =======  ===============================================================
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from jamsostek.rules.batch.columns import check, read_rows, validate
from jamsostek.rules.batch.common import (
    CHUNK,
    DENOMINATOR,
    FIRST_MONTH,
    I64,
    NO_DATE,
    OUTPUT_COLUMNS,
    PAYER_OF,
    PU,
    TOTAL_COLUMNS,
)
from jamsostek.rules.batch.kernels import INPUTS, KERNELS, Outputs, Params
from jamsostek.rules.batch.timeline import timeline_for
from jamsostek.rules.model import SEGMENTS
from jamsostek.rules.parameterset import ParameterSet, default_parameters
from jamsostek.rules.periods import Month

__all__ = [
    "CHUNK",
    "DENOMINATOR",
    "FIRST_MONTH",
    "NO_DATE",
    "OUTPUT_COLUMNS",
    "TOTAL_COLUMNS",
    "compute",
    "month_index",
]


def month_index(period: str | Month) -> int:
    """The integer used in the ``period`` column for a month (``"2025-03"`` -> 24302)."""
    month = period if isinstance(period, Month) else Month.parse(period)
    return month.index


def compute(
    table: Mapping[str, Any], parameters: ParameterSet | None = None, *, threads: int | None = None
) -> dict[str, I64]:
    """Contribution amounts for every row of ``table``: one int64 array per output column."""
    parameters = parameters or default_parameters()
    rows = read_rows(table)
    n = len(rows.segment)
    first_p, last_p = (
        (int(rows.period.min()) - FIRST_MONTH.index, int(rows.period.max()) - FIRST_MONTH.index) if n else (0, 0)
    )
    if first_p < 0:
        check(
            rows.period >= FIRST_MONTH.index,
            "period",
            "before_rules",
            rows.period,
            program="the encoded rules",
            first=str(FIRST_MONTH),
        )
    # One month for every row (a billing run): its offset seen as n rows, no array of offsets.
    uniform_period = bool(n) and first_p == last_p
    p = np.broadcast_to(np.int64(first_p), (n,)) if uniform_period else rows.period - FIRST_MONTH.index
    t = timeline_for(parameters, last_p + 13 if n else 1)
    validate(rows, t, p)
    out = {name: np.zeros(n, dtype=np.int64) for name in (*OUTPUT_COLUMNS, *TOTAL_COLUMNS)}

    def run(chunk: slice) -> None:
        segment = rows.segment[chunk]
        size = len(segment)
        present = np.flatnonzero(np.bincount(segment, minlength=len(SEGMENTS)))
        written: set[str] = set()
        for code in present.tolist():
            # PU (the largest segment, code 0, first) runs on the whole chunk, its other rows
            # masked to zero: cheaper than gathering its inputs and scattering its outputs. The
            # other segments, when mixed, gather their rows and scatter over PU's zeros.
            whole = len(present) == 1 or code == PU
            local: Any = slice(None) if whole else np.flatnonzero(segment == code)
            inputs = {name: getattr(rows, name)[chunk][local] for name in INPUTS[code]}
            if code == PU and len(present) > 1:
                inputs["only"] = segment == PU
            params = Params(t, first_p if uniform_period else inputs["period"] - FIRST_MONTH.index, uniform_period)
            sink = Outputs(out, chunk, local, size if whole else len(local))
            KERNELS[code](inputs, params, sink)
            sink.scatter()
            written.update(sink.written)
        for payer, columns in PAYER_OF.items():
            total = out[payer][chunk]
            for name in columns:
                if name in written:
                    total += out[name][chunk]
        total = out["total"][chunk]
        np.add(out["employer"][chunk], out["worker"][chunk], out=total)
        total += out["participant"][chunk]

    chunks = [slice(start, start + CHUNK) for start in range(0, n, CHUNK)]
    workers = threads or os.cpu_count() or 1
    if workers > 1 and len(chunks) > 1:
        list(_pool(workers).map(run, chunks))
    else:
        for chunk in chunks:
            run(chunk)
    return out


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """One thread pool per worker count, made on first use and kept for the process."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jamsostek-batch")
