"""The input table: each column read, typed and checked, with the row and value of the first problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from jamsostek.rules.batch.common import BPU, FIRST_MONTH, I64, JAKON, NO_DATE, NO_MONTH, PMI, PU, Array
from jamsostek.rules.batch.timeline import Timeline
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import MAX_CONTRACT_VALUE, MAX_PMI_MONTHS, MAX_RUPIAH, SEGMENTS
from jamsostek.rules.periods import Month


def _column(table: Mapping[str, Any], name: str, n: int) -> Array | None:
    try:
        raw = table[name]
    except (KeyError, IndexError):
        return None
    values = np.asarray(raw)
    if values.shape != (n,):
        raise InvalidInput(
            name,
            "out_of_range",
            value=f"{values.shape[0] if values.ndim else 0} rows",
            low=n,
            high=n,
        )
    return values


def _ints(table: Mapping[str, Any], name: str, n: int, default: int) -> I64:
    values = _column(table, name, n)
    if values is None:
        return _constant(default, np.int64, n)
    if values.dtype.kind not in "iu" or values.dtype.kind == "b":
        bad = _first_non_integer(values)
        raise InvalidInput(name, "not_integer", row=bad, value=values[bad].item() if n else None)
    return values.astype(np.int64, copy=False)


def _first_non_integer(values: Array) -> int:
    for row, value in enumerate(values.tolist()):
        if isinstance(value, bool) or not isinstance(value, int):
            return row
    return 0


def _constant(value: Any, dtype: Any, n: int) -> Array:
    """A missing optional column: one value seen as ``n`` rows (read-only, no memory per row)."""
    return np.broadcast_to(np.array(value, dtype=dtype), (n,))


def _bools(table: Mapping[str, Any], name: str, n: int, default: bool) -> Array:
    values = _column(table, name, n)
    if values is None:
        return _constant(default, np.bool_, n)
    if values.dtype.kind != "b":
        raise InvalidInput(name, "not_one_of", row=0, value=values[0].item(), choices="true, false")
    return values


def check(ok: Array, field_name: str, code: str, values: Array, **params: Any) -> None:
    """Raise for the first row where ``ok`` is false, naming the field and the row's value."""
    if not bool(ok.all()):
        row = int(np.flatnonzero(~ok)[0])
        value = values[row].item()
        if field_name == "period" and isinstance(value, int):
            value = str(Month.from_index(value))
        raise InvalidInput(field_name, code, row=row, value=value, **params)


def _segments(table: Mapping[str, Any], n: int) -> Array:
    values = _column(table, "segment", n)
    if values is None:
        raise InvalidInput("segment", "required")
    if values.dtype.kind in "iu":
        check((values >= 0) & (values < len(SEGMENTS)), "segment", "unknown_segment", values)
        return values.astype(np.int8)
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    codes = np.empty(len(uniques), dtype=np.int8)
    for position, name in enumerate(uniques.tolist()):
        if name not in SEGMENTS:
            row = int(np.flatnonzero(inverse == position)[0])
            raise InvalidInput("segment", "unknown_segment", row=row, value=name)
        codes[position] = SEGMENTS.index(name)
    result: Array = codes[inverse]
    return result


def _periods(table: Mapping[str, Any], n: int) -> I64:
    result = _months(table, "period", n, None)
    assert result is not None
    return result


def _months(table: Mapping[str, Any], name: str, n: int, default: int | None) -> I64 | None:
    """Month indices from ``YYYY-MM`` texts or integers; a missing column takes ``default`` (None:
    required). An empty text or None stands for ``default`` too."""
    values = _column(table, name, n)
    if values is None:
        if default is None:
            raise InvalidInput(name, "required")
        return _constant(default, np.int64, n)
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False)
    texts = (
        np.array(["" if value is None else str(value) for value in values.tolist()])
        if values.dtype.kind == "O"
        else values.astype(str)
    )
    uniques, inverse = np.unique(texts, return_inverse=True)
    indices = np.empty(len(uniques), dtype=np.int64)
    for position, text in enumerate(uniques.tolist()):
        if text in ("", "None") and default is not None:
            indices[position] = default
            continue
        try:
            indices[position] = Month.parse(text).index
        except InvalidInput:
            row = int(np.flatnonzero(inverse == position)[0])
            raise InvalidInput(name, "bad_period", row=row, value=text) from None
    result: I64 = indices[inverse]
    return result


def _payer_first_month(table: Mapping[str, Any], n: int) -> I64:
    result = _months(table, "payer_first_month", n, NO_MONTH)
    assert result is not None
    return result


def _dates(table: Mapping[str, Any], name: str, n: int) -> I64:
    """Days since 1970 as int64, with int64 max standing for 'no date'."""
    values = _column(table, name, n)
    if values is None:
        return _constant(NO_DATE, np.int64, n)
    days = values.astype("datetime64[D]", copy=False)
    result: I64 = np.where(np.isnat(days), NO_DATE, days.view(np.int64))  # NaT is int64's minimum
    return result


@dataclass
class Rows:
    """The validated input columns (whole table)."""

    segment: Array
    period: I64
    wage: I64
    fixed_allowances: I64
    minimum_wage: I64
    risk_class: I64
    labour_intensive: Array
    with_jp: Array
    with_jkp: Array
    jp_deferral: Array
    paid_on: I64
    income: I64
    with_jht: Array
    with_jkm: Array
    months: I64
    contract_value: I64
    pre_departure: Array
    state_body: Array
    relief_paid_up: Array
    payer_first_month: I64


def read_rows(table: Mapping[str, Any]) -> Rows:
    try:
        n = len(np.asarray(table["segment"]))
    except (KeyError, IndexError):
        raise InvalidInput("segment", "required") from None
    rows = Rows(
        segment=_segments(table, n),
        period=_periods(table, n),
        wage=_ints(table, "wage", n, 0),
        fixed_allowances=_ints(table, "fixed_allowances", n, 0),
        minimum_wage=_ints(table, "minimum_wage", n, 0),
        risk_class=_ints(table, "risk_class", n, 0),
        labour_intensive=_bools(table, "labour_intensive", n, False),
        with_jp=_bools(table, "with_jp", n, True),
        with_jkp=_bools(table, "with_jkp", n, True),
        jp_deferral=_bools(table, "jp_deferral", n, True),
        paid_on=_dates(table, "paid_on", n),
        income=_ints(table, "income", n, 0),
        with_jht=_bools(table, "with_jht", n, False),
        with_jkm=_bools(table, "with_jkm", n, True),
        months=_ints(table, "months", n, 1),
        contract_value=_ints(table, "contract_value", n, -1),
        pre_departure=_bools(table, "pre_departure", n, False),
        state_body=_bools(table, "state_body", n, False),
        relief_paid_up=_bools(table, "relief_paid_up", n, True),
        payer_first_month=_payer_first_month(table, n),
    )
    for name in ("wage", "fixed_allowances", "minimum_wage", "income"):
        values = getattr(rows, name)
        if not within(values, 0, MAX_RUPIAH):
            check(values >= 0, name, "negative", values)
            check(values <= MAX_RUPIAH, name, "too_large", values, maximum=MAX_RUPIAH)
    if len(rows.contract_value) and int(rows.contract_value.max()) > MAX_CONTRACT_VALUE:
        check(
            rows.contract_value <= MAX_CONTRACT_VALUE,
            "contract_value",
            "too_large",
            rows.contract_value,
            maximum=MAX_CONTRACT_VALUE,
        )
    return rows


def within(values: Array, low: int, high: int) -> bool:
    """Whether every value lies in [low, high]: two reductions, no array per row (the fast path of
    the checks below, which look for the first bad row only when this fails)."""
    return len(values) == 0 or (int(values.min()) >= low and int(values.max()) <= high)


def validate(rows: Rows, t: Timeline, p: I64) -> None:
    """Each segment's rows against the rules of their month: the segment exists, the risk class and
    the months are allowed. Each check first looks at the whole column at once (its range of values,
    the months it spans) and goes row by row only when that cannot tell."""
    segment = rows.segment
    counts = [int(np.count_nonzero(segment == code)) for code in range(len(SEGMENTS))]
    first_p, last_p = (int(p.min()), int(p.max())) if len(p) else (0, -1)
    for code, exists, program in (
        (PU, t.pu_exists, "PU contributions"),
        (BPU, t.bpu_exists, "BPU contributions"),
        (JAKON, t.jakon_exists, "Jakon contributions"),
        (PMI, t.pmi_exists, "PMI contributions"),
    ):
        if not counts[code] or exists[first_p : last_p + 1].all():
            continue
        rows_of = segment == code
        first = np.flatnonzero(exists)
        first_text = str(Month.from_index(FIRST_MONTH.index + int(first[0]))) if len(first) else "-"
        check(
            ~rows_of | exists[p],
            "period",
            "before_rules",
            rows.period,
            program=program,
            first=first_text,
        )
    if counts[PU] and not within(rows.risk_class, 1, 5):
        pu = segment == PU
        check(
            ~pu | ((rows.risk_class >= 1) & (rows.risk_class <= 5)),
            "risk_class",
            "out_of_range",
            rows.risk_class,
            low=1,
            high=5,
        )
    if counts[BPU] and not _bpu_months_allowed(rows, t, first_p, last_p):
        bpu = segment == BPU
        months_ok = (rows.months >= 1) & (rows.months < 62)
        safe = np.where(months_ok, rows.months, 0)
        allowed = ((t.bpu_months_allowed[p] >> safe) & 1).astype(bool) & months_ok
        ok = ~bpu | allowed
        if not ok.all():
            first_bad = int(np.flatnonzero(~ok)[0])
            mask = int(t.bpu_months_allowed[p[first_bad]])
            choices = ", ".join(str(m) for m in range(1, 62) if (mask >> m) & 1)
            check(ok, "months", "not_one_of", rows.months, choices=choices)
    if counts[PMI] and not within(rows.months, 1, MAX_PMI_MONTHS):
        pmi = segment == PMI
        check(
            ~pmi | ((rows.months >= 1) & (rows.months <= MAX_PMI_MONTHS)),
            "months",
            "out_of_range",
            rows.months,
            low=1,
            high=MAX_PMI_MONTHS,
        )


def _bpu_months_allowed(rows: Rows, t: Timeline, first_p: int, last_p: int) -> bool:
    """The fast path of the BPU months check: True when every BPU row's number of prepaid months is
    allowed in every month the table spans (False: look row by row)."""
    if first_p != last_p:
        return False
    months = rows.months
    if not within(months, 1, 61):
        return False
    mask = int(t.bpu_months_allowed[first_p])
    allowed = np.array([(mask >> m) & 1 for m in range(62)], dtype=bool)
    return not bool(((rows.segment == BPU) & ~np.take(allowed, months)).any())
