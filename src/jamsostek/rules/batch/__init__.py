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
(``chunks_for``: at most ``CHUNK`` rows, one per thread at least) on as many threads as there are
cores (numpy releases the GIL); the PU kernel writes its columns in place into the results, on work
arrays kept per thread (see ``kernels``). The result columns are allocated uninitialised and every
value is written once; the rare rules (the labour-intensive discount, fines) look at their own rows
only.

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

from jamsostek.rules.batch.columns import check, read_rows, validate, within
from jamsostek.rules.batch.common import (
    CHUNK,
    DENOMINATOR,
    FIRST_MONTH,
    I64,
    MIN_CHUNK,
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
    "MIN_CHUNK",
    "NO_DATE",
    "OUTPUT_COLUMNS",
    "TOTAL_COLUMNS",
    "chunks_for",
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
    if not within(rows.risk_class, 0, 5):
        # The PU kernel runs over whole chunks, other segments' rows masked to a base of zero; their
        # risk classes, which mean nothing, must still index the rate tables (classes 0-5).
        rows.risk_class = np.where(rows.segment == PU, rows.risk_class, 0)
    out = _uninitialised(n)

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
            sink.scatter(already=written)
            written.update(sink.written)
        # The columns start uninitialised (no page of them zeroed twice): what no kernel wrote in
        # this chunk is zero.
        for name in OUTPUT_COLUMNS:
            if name not in written:
                out[name][chunk] = 0
        for payer, columns in PAYER_OF.items():
            _sum_into(out[payer][chunk], [out[name][chunk] for name in columns if name in written])
        _sum_into(out["total"][chunk], [out[payer][chunk] for payer in PAYER_OF])

    workers = threads or os.cpu_count() or 1
    chunks = chunks_for(n, workers)
    if workers > 1 and len(chunks) > 1:
        list(_pool(workers).map(run, chunks))
    else:
        for chunk in chunks:
            run(chunk)
    return out


def chunks_for(n: int, workers: int) -> list[slice]:
    """``n`` rows cut into chunks of one size (the last may be smaller): as few as chunks of at most
    ``CHUNK`` rows allow, but at least one per worker while a chunk keeps ``MIN_CHUNK`` rows."""
    if not n:
        return []
    count = -(-n // CHUNK)
    if count < workers:
        count = max(count, min(workers, n // MIN_CHUNK))
    size = -(-n // count)
    return [slice(start, min(start + size, n)) for start in range(0, n, size)]


def _uninitialised(n: int) -> dict[str, I64]:
    """The result columns, not zeroed: every value is written once by ``run`` (zeroing them first
    would write each page twice). Separate arrays, not one block: in a long-lived process the
    allocator hands back the memory of earlier results, which a block this large never gets."""
    return {name: np.empty(n, dtype=np.int64) for name in (*OUTPUT_COLUMNS, *TOTAL_COLUMNS)}


def _sum_into(total: I64, parts: list[I64]) -> None:
    """``total`` = the sum of ``parts`` (0 when there are none), written in place."""
    if not parts:
        total[...] = 0
    elif len(parts) == 1:
        total[...] = parts[0]
    else:
        np.add(parts[0], parts[1], out=total)
        for part in parts[2:]:
            total += part


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """One thread pool per worker count, made on first use and kept for the process."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jamsostek-batch")
