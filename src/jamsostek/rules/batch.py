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
that fit the CPU cache, on as many threads as there are cores (numpy releases the GIL).

Columns (missing optional columns take the default):

==================  =======  ===============================================================
column              type     meaning (segments)
==================  =======  ===============================================================
segment             str/int  ``pu``, ``bpu``, ``jakon``, ``pmi`` (or 0-3), required
period              str/int  contribution month ``YYYY-MM`` or ``month_index(...)``, required
wage                int      monthly wage (PU; Jakon worker rows), default 0
fixed_allowances    int      fixed allowances (PU), default 0
minimum_wage        int      UMK/UMP floor (PU), 0 = none
risk_class          int      JKK risk class 1-5 (PU), required for PU rows
labour_intensive    bool     PP 7/2025 discount eligibility (PU), default false
with_jp             bool     enrolled in JP (PU), default true
with_jkp            bool     enrolled in JKP (PU), default true
jp_deferral         bool     uses the PP 49/2020 JP deferral (PU), default true
paid_on             date     payment date for the fine (PU), NaT = not paid / no fine
income              int      declared income (BPU), default 0
with_jht            bool     pays JHT (BPU), default false
with_jkm            bool     pays JKM (BPU), default true
months              int      prepaid months (BPU, default 1); contract months (PMI)
contract_value      int      contract value ex VAT (Jakon project rows); -1 = worker row
pre_departure       bool     pays the pre-departure package (PMI), default false
==================  =======  ===============================================================
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from jamsostek.rules.errors import InvalidInput, ParameterError, ParameterNotInForce
from jamsostek.rules.holidays import working_day
from jamsostek.rules.model import MAX_CONTRACT_VALUE, MAX_PMI_MONTHS, MAX_RUPIAH, SEGMENTS
from jamsostek.rules.parameterset import Entry, ParameterSet, ScheduleRow, default_parameters
from jamsostek.rules.periods import Month

DENOMINATOR = 1_000_000
"""Rates are held as integer numerators over this denominator (0.24% -> 2400)."""
FIRST_MONTH = Month(2015, 7)
CHUNK = 32_768
NO_DATE = np.iinfo(np.int64).max
"""Stands for 'no payment date' in the day-number columns."""

I64 = npt.NDArray[np.int64]
Array = npt.NDArray[Any]

PU, BPU, JAKON, PMI = range(4)

OUTPUT_COLUMNS = (
    "jkk_employer",
    "jkm_employer",
    "jht_employer",
    "jht_worker",
    "jp_employer",
    "jp_worker",
    "fine_employer",
    "jkk_participant",
    "jkm_participant",
    "jht_participant",
    "jkk_jkm_participant",
    "jp_employer_information",
    "jp_worker_information",
    "jkp_government_information",
    "jkp_employer_information",
)
TOTAL_COLUMNS = ("employer", "worker", "participant", "total")
_PAYER_OF = {
    "employer": [c for c in OUTPUT_COLUMNS if c.endswith("_employer")],
    "worker": [c for c in OUTPUT_COLUMNS if c.endswith("_worker")],
    "participant": [c for c in OUTPUT_COLUMNS if c.endswith("_participant")],
}


def month_index(period: str | Month) -> int:
    """The integer used in the ``period`` column for a month (``"2025-03"`` -> 24302)."""
    month = period if isinstance(period, Month) else Month.parse(period)
    return month.index


# --- the parameters as month-by-month integer arrays --------------------------------------------


def _numerator(rate: Fraction, source: str) -> int:
    scaled = rate * DENOMINATOR
    if scaled.denominator != 1:
        raise ParameterError(source, f"rate {rate} is finer than 1/{DENOMINATOR}; raise DENOMINATOR")
    return int(scaled)


@dataclass
class _Timeline:
    """Every parameter the batch path needs, one array element per month from July 2015."""

    months: int
    pu_exists: Array
    jkk: I64  # [month, risk class 0..5] effective numerators (relief folded in); column 0 unused
    jkk_li: I64  # same with the labour-intensive discount; -1 where none
    li_deadline: I64  # last day (days since 1970) to keep the discount
    jkm: I64
    jht_employer: I64
    jht_worker: I64
    jp_employer: I64
    jp_worker: I64
    jp_employer_paid: I64  # with the PP 49/2020 deferral; -1 where none
    jp_worker_paid: I64
    jp_cap: I64
    jkp_exists: Array
    jkp_cap: I64
    jkp_government: I64
    jkp_jkk: I64  # [month, class]
    jkp_jkk_li: I64  # [month, class]
    jkp_jkm: I64
    fine_jkk_jkm: I64
    fine_jht_jp: I64
    due_day: I64  # days since 1970
    due_month: I64  # month index of the due date
    due_dom: I64  # day of month of the due date
    bpu_exists: Array
    bpu_jkk: I64
    bpu_jkm: I64  # rupiah, relief applied and rounded
    bpu_jht: I64
    bpu_months_allowed: I64  # bit m set when m months may be paid at once
    bpu_bands: list[tuple[Array, list[tuple[int | None, int | None]]]]  # (month mask, bands)
    jakon_exists: Array
    jakon_jkk: I64
    jakon_jkm: I64
    jakon_slices: list[tuple[Array, list[tuple[int, int]], list[tuple[int, int]]]]
    pmi_exists: Array
    pmi_pre_departure: I64
    pmi_extra: I64
    pmi_packages: list[tuple[Array, dict[int, int]]]
    cache: dict[str, Any] = field(default_factory=dict)


def _build_timeline(parameters: ParameterSet, months: int) -> _Timeline:
    first = FIRST_MONTH.index
    days = [Month.from_index(first + offset).first_day for offset in range(months)]

    def entry(name: str, day: date) -> Entry | None:
        try:
            found = parameters[name].at(day)
        except ParameterNotInForce:
            return None
        return found if found.in_force else None

    def values(name: str) -> list[Any]:
        return [(found.value if (found := entry(name, day)) else None) for day in days]

    def zeros(*shape: int) -> I64:
        return np.zeros((months, *shape), dtype=np.int64)

    timeline = _Timeline(
        months=months,
        pu_exists=np.zeros(months, dtype=bool),
        jkk=zeros(6),
        jkk_li=np.full((months, 6), -1, dtype=np.int64),
        li_deadline=np.full(months, np.iinfo(np.int64).max, dtype=np.int64),
        jkm=zeros(),
        jht_employer=zeros(),
        jht_worker=zeros(),
        jp_employer=zeros(),
        jp_worker=zeros(),
        jp_employer_paid=np.full(months, -1, dtype=np.int64),
        jp_worker_paid=np.full(months, -1, dtype=np.int64),
        jp_cap=zeros(),
        jkp_exists=np.zeros(months, dtype=bool),
        jkp_cap=zeros(),
        jkp_government=zeros(),
        jkp_jkk=zeros(6),
        jkp_jkk_li=zeros(6),
        jkp_jkm=zeros(),
        fine_jkk_jkm=zeros(),
        fine_jht_jp=zeros(),
        due_day=zeros(),
        due_month=zeros(),
        due_dom=zeros(),
        bpu_exists=np.zeros(months, dtype=bool),
        bpu_jkk=zeros(),
        bpu_jkm=zeros(),
        bpu_jht=zeros(),
        bpu_months_allowed=zeros(),
        bpu_bands=[],
        jakon_exists=np.zeros(months, dtype=bool),
        jakon_jkk=zeros(),
        jakon_jkm=zeros(),
        jakon_slices=[],
        pmi_exists=np.zeros(months, dtype=bool),
        pmi_pre_departure=zeros(),
        pmi_extra=zeros(),
        pmi_packages=[],
    )
    t = timeline
    num = _numerator
    share = values("relief.covid_jkk_jkm_payable_share")
    jkk = values("jkk.pu_rate")
    jkk_li = values("jkk.pu_rate_labour_intensive")
    deadline = values("jkk.labour_intensive_settlement_deadline")
    jkm = values("jkm.pu_rate")
    jht_er, jht_wk = values("jht.pu_rate_employer"), values("jht.pu_rate_worker")
    jp_er, jp_wk = values("jp.rate_employer"), values("jp.rate_worker")
    jp_cap, jp_share = values("jp.wage_cap"), values("relief.covid_jp_payable_share")
    jkp_gov, jkp_cap = values("jkp.government_rate"), values("jkp.contribution_wage_cap")
    jkp_jkk, jkp_jkm = values("jkp.jkk_recomposition_rate"), values("jkp.jkm_recomposition_rate")
    fine1, fine2 = (
        values("fines.pu_late_rate_per_month"),
        values("fines.pu_late_rate_per_month_jht_jp"),
    )
    pu_due = values("deadlines.pu_due_day")
    bpu_jkk, bpu_jkm, bpu_jht = (
        values("bpu.jkk_rate"),
        values("bpu.jkm_amount"),
        values("bpu.jht_rate"),
    )
    bpu_months, bpu_bands = values("bpu.prepayment_months"), values("bpu.income_bands")
    jakon_jkk, jakon_jkm = (
        values("jakon.jkk_rate_known_wages"),
        values("jakon.jkm_rate_known_wages"),
    )
    jakon_jkk_s, jakon_jkm_s = (
        values("jakon.jkk_contract_slices"),
        values("jakon.jkm_contract_slices"),
    )
    pmi_pre, pmi_pkg = values("pmi.pre_departure_amount"), values("pmi.placement_packages")
    pmi_extra = values("pmi.extra_month_amount")
    epoch = date(1970, 1, 1)

    band_groups: dict[int, tuple[list[int], Any]] = {}
    slice_groups: dict[tuple[int, int], tuple[list[int], Any, Any]] = {}
    package_groups: dict[int, tuple[list[int], Any]] = {}
    for m in range(months):
        month = Month.from_index(first + m)
        relief = share[m] if share[m] is not None else Fraction(1)
        if jkk[m] is not None:
            t.pu_exists[m] = True
            for risk in range(1, 6):
                t.jkk[m, risk] = num(jkk[m][risk] * relief, "jkk.pu_rate")
                if jkk_li[m] is not None:
                    t.jkk_li[m, risk] = num(jkk_li[m][risk] * relief, "jkk.pu_rate_labour_intensive")
            if deadline[m] is not None:
                t.li_deadline[m] = (deadline[m] - epoch).days
            t.jkm[m] = num(jkm[m] * relief, "jkm.pu_rate")
            t.jht_employer[m] = num(jht_er[m], "jht.pu_rate_employer")
            t.jht_worker[m] = num(jht_wk[m], "jht.pu_rate_worker")
            t.jp_employer[m] = num(jp_er[m], "jp.rate_employer")
            t.jp_worker[m] = num(jp_wk[m], "jp.rate_worker")
            t.jp_cap[m] = jp_cap[m]
            if jp_share[m] is not None:
                t.jp_employer_paid[m] = num(jp_er[m] * jp_share[m], "relief.covid_jp_payable_share")
                t.jp_worker_paid[m] = num(jp_wk[m] * jp_share[m], "relief.covid_jp_payable_share")
            if jkp_gov[m] is not None:
                t.jkp_exists[m] = True
                t.jkp_cap[m] = jkp_cap[m]
                t.jkp_government[m] = num(jkp_gov[m], "jkp.government_rate")
                for risk in range(1, 6):
                    recomposed = jkp_jkk[m] or Fraction(0)
                    t.jkp_jkk[m, risk] = num(recomposed, "jkp.jkk_recomposition_rate")
                    if jkk_li[m] is not None:
                        ratio = jkk_li[m][risk] / jkk[m][risk]
                        t.jkp_jkk_li[m, risk] = num(recomposed * ratio, "jkp.jkk_recomposition_rate")
                    else:
                        t.jkp_jkk_li[m, risk] = t.jkp_jkk[m, risk]
                t.jkp_jkm[m] = num(jkp_jkm[m] or Fraction(0), "jkp.jkm_recomposition_rate")
            t.fine_jkk_jkm[m] = num(fine1[m], "fines.pu_late_rate_per_month")
            t.fine_jht_jp[m] = num(fine2[m], "fines.pu_late_rate_per_month_jht_jp")
            due = working_day(parameters, month.plus(1).day(pu_due[m]))
            t.due_day[m] = (due - epoch).days
            t.due_month[m] = Month.of(due).index
            t.due_dom[m] = due.day
        if bpu_jkk[m] is not None:
            t.bpu_exists[m] = True
            t.bpu_jkk[m] = num(bpu_jkk[m] * relief, "bpu.jkk_rate")
            exact = bpu_jkm[m] * relief
            t.bpu_jkm[m] = (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)
            t.bpu_jht[m] = num(bpu_jht[m], "bpu.jht_rate")
            t.bpu_months_allowed[m] = sum(1 << months_ for months_ in bpu_months[m] if months_ < 62)
            key = id(bpu_bands[m])
            band_groups.setdefault(key, ([], bpu_bands[m]))[0].append(m)
        if jakon_jkk[m] is not None:
            t.jakon_exists[m] = True
            t.jakon_jkk[m] = num(jakon_jkk[m] * relief, "jakon.jkk_rate_known_wages")
            t.jakon_jkm[m] = num(jakon_jkm[m] * relief, "jakon.jkm_rate_known_wages")
            slice_key = (id(jakon_jkk_s[m]), relief.numerator * 10**9 + relief.denominator)
            group = slice_groups.setdefault(
                slice_key,
                (
                    [],
                    _slices(jakon_jkk_s[m], relief, "jakon.jkk_contract_slices"),
                    _slices(jakon_jkm_s[m], relief, "jakon.jkm_contract_slices"),
                ),
            )
            group[0].append(m)
        if pmi_pkg[m] is not None:
            t.pmi_exists[m] = True
            t.pmi_pre_departure[m] = pmi_pre[m]
            t.pmi_extra[m] = pmi_extra[m]
            package_groups.setdefault(id(pmi_pkg[m]), ([], pmi_pkg[m]))[0].append(m)

    def mask(indices: list[int]) -> Array:
        selected = np.zeros(months, dtype=bool)
        selected[indices] = True
        return selected

    t.bpu_bands = [(mask(ms), [(band.up_to, band.nominal) for band in bands]) for ms, bands in band_groups.values()]
    t.jakon_slices = [(mask(ms), jkk_s, jkm_s) for ms, jkk_s, jkm_s in slice_groups.values()]
    t.pmi_packages = [(mask(ms), dict(pkg)) for ms, pkg in package_groups.values()]
    return timeline


def _slices(rows: tuple[ScheduleRow, ...], relief: Fraction, name: str) -> list[tuple[int, int]]:
    return [(row.start, _numerator(row.rate * relief, name)) for row in rows]


_TIMELINES: dict[tuple[int, int], tuple[ParameterSet, _Timeline]] = {}


def _timeline(parameters: ParameterSet, months: int) -> _Timeline:
    """The timeline for a parameter set, built once and grown when later months are asked for."""
    key = id(parameters)
    for (cached_key, cached_months), (cached_set, cached) in list(_TIMELINES.items()):
        if cached_key == key and cached_set is parameters and cached_months >= months:
            return cached
    months = max(months, 12 * 16)
    built = _build_timeline(parameters, months)
    _TIMELINES[(key, months)] = (parameters, built)
    return built


# --- input normalisation and validation ---------------------------------------------------------


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
        return np.full(n, default, dtype=np.int64)
    if values.dtype.kind not in "iu" or values.dtype.kind == "b":
        bad = _first_non_integer(values)
        raise InvalidInput(name, "not_integer", row=bad, value=values[bad].item() if n else None)
    return values.astype(np.int64, copy=False)


def _first_non_integer(values: Array) -> int:
    for row, value in enumerate(values.tolist()):
        if isinstance(value, bool) or not isinstance(value, int):
            return row
    return 0


def _bools(table: Mapping[str, Any], name: str, n: int, default: bool) -> Array:
    values = _column(table, name, n)
    if values is None:
        return np.full(n, default, dtype=bool)
    if values.dtype.kind != "b":
        raise InvalidInput(name, "not_one_of", row=0, value=values[0].item(), choices="true, false")
    return values


def _check(ok: Array, field_name: str, code: str, values: Array, **params: Any) -> None:
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
        _check((values >= 0) & (values < len(SEGMENTS)), "segment", "unknown_segment", values)
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
    values = _column(table, "period", n)
    if values is None:
        raise InvalidInput("period", "required")
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False)
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    indices = np.empty(len(uniques), dtype=np.int64)
    for position, text in enumerate(uniques.tolist()):
        try:
            indices[position] = Month.parse(text).index
        except InvalidInput:
            row = int(np.flatnonzero(inverse == position)[0])
            raise InvalidInput("period", "bad_period", row=row, value=text) from None
    result: I64 = indices[inverse]
    return result


def _dates(table: Mapping[str, Any], name: str, n: int) -> I64:
    """Days since 1970 as int64, with int64 max standing for 'no date'."""
    values = _column(table, name, n)
    if values is None:
        return np.full(n, NO_DATE, dtype=np.int64)
    if values.dtype.kind != "M":
        values = values.astype("datetime64[D]")
    days = values.astype("datetime64[D]")
    result = days.astype(np.int64)
    return np.where(np.isnat(days), NO_DATE, result)


@dataclass
class _Rows:
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


def _rows(table: Mapping[str, Any]) -> _Rows:
    try:
        n = len(np.asarray(table["segment"]))
    except (KeyError, IndexError):
        raise InvalidInput("segment", "required") from None
    rows = _Rows(
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
    )
    for name in ("wage", "fixed_allowances", "minimum_wage", "income"):
        values = getattr(rows, name)
        _check(values >= 0, name, "negative", values)
        _check(values <= MAX_RUPIAH, name, "too_large", values, maximum=MAX_RUPIAH)
    _check(
        rows.contract_value <= MAX_CONTRACT_VALUE,
        "contract_value",
        "too_large",
        rows.contract_value,
        maximum=MAX_CONTRACT_VALUE,
    )
    return rows


def _validate(rows: _Rows, t: _Timeline, p: I64) -> None:
    segment = rows.segment
    for code, exists, program in (
        (PU, t.pu_exists, "PU contributions"),
        (BPU, t.bpu_exists, "BPU contributions"),
        (JAKON, t.jakon_exists, "Jakon contributions"),
        (PMI, t.pmi_exists, "PMI contributions"),
    ):
        rows_of = segment == code
        if not rows_of.any():
            continue
        first = np.flatnonzero(exists)
        first_text = str(Month.from_index(FIRST_MONTH.index + int(first[0]))) if len(first) else "-"
        _check(
            ~rows_of | exists[p],
            "period",
            "before_rules",
            rows.period,
            program=program,
            first=first_text,
        )
    pu = segment == PU
    _check(
        ~pu | ((rows.risk_class >= 1) & (rows.risk_class <= 5)),
        "risk_class",
        "out_of_range",
        rows.risk_class,
        low=1,
        high=5,
    )
    bpu = segment == BPU
    if bpu.any():
        months_ok = (rows.months >= 1) & (rows.months < 62)
        safe = np.where(months_ok, rows.months, 0)
        allowed = ((t.bpu_months_allowed[p] >> safe) & 1).astype(bool) & months_ok
        ok = ~bpu | allowed
        if not ok.all():
            first_bad = int(np.flatnonzero(~ok)[0])
            mask = int(t.bpu_months_allowed[p[first_bad]])
            choices = ", ".join(str(m) for m in range(1, 62) if (mask >> m) & 1)
            _check(ok, "months", "not_one_of", rows.months, choices=choices)
    pmi = segment == PMI
    _check(
        ~pmi | ((rows.months >= 1) & (rows.months <= MAX_PMI_MONTHS)),
        "months",
        "out_of_range",
        rows.months,
        low=1,
        high=MAX_PMI_MONTHS,
    )


# --- kernels (one chunk of one segment) ----------------------------------------------------------


def _round(base: I64, numerator: Any) -> I64:
    """``base x numerator / DENOMINATOR`` rounded half up (base >= 0, numerator >= 0)."""
    result: I64 = (base * (2 * numerator) + DENOMINATOR) // (2 * DENOMINATOR)
    return result


class _Params:
    """Parameter values for the rows of a chunk: a scalar when every row has the same month."""

    def __init__(self, t: _Timeline, p: I64, uniform: bool) -> None:
        self.t = t
        self.p: Any = int(p[0]) if uniform else p

    def __call__(self, name: str) -> Any:
        return getattr(self.t, name)[self.p]

    def by_class(self, name: str, risk_class: I64) -> I64:
        table = getattr(self.t, name)
        result: I64 = table[self.p, risk_class]
        return result


def _pu_kernel(r: dict[str, Array], get: _Params, out: dict[str, I64]) -> None:
    base = r["wage"] + r["fixed_allowances"]
    np.maximum(base, r["minimum_wage"], out=base)
    risk = r["risk_class"]
    paid_on = r["paid_on"]

    jkk_rate = get.by_class("jkk", risk)
    li_rate = get.by_class("jkk_li", risk)
    in_time = (paid_on == NO_DATE) | (paid_on <= get("li_deadline"))
    discounted = r["labour_intensive"] & (li_rate >= 0) & in_time
    if discounted.any():
        jkk_rate = np.where(discounted, li_rate, jkk_rate)
    jkk = _round(base, jkk_rate)
    jkm = _round(base, get("jkm"))
    jht_er = _round(base, get("jht_employer"))
    jht_wk = _round(base, get("jht_worker"))
    out["jkk_employer"] = jkk
    out["jkm_employer"] = jkm
    out["jht_employer"] = jht_er
    out["jht_worker"] = jht_wk

    with_jp = r["with_jp"]
    jp_base = np.minimum(base, get("jp_cap"))
    jp_base *= with_jp
    jp_er = _round(jp_base, get("jp_employer"))
    jp_wk = _round(jp_base, get("jp_worker"))
    paid_er_rate = get("jp_employer_paid")
    deferring = r["jp_deferral"] & (paid_er_rate >= 0)
    if np.any(deferring):
        paid_er = np.where(deferring, _round(jp_base, np.maximum(paid_er_rate, 0)), jp_er)
        paid_wk = np.where(deferring, _round(jp_base, np.maximum(get("jp_worker_paid"), 0)), jp_wk)
        out["jp_employer_information"] = jp_er - paid_er
        out["jp_worker_information"] = jp_wk - paid_wk
        jp_er, jp_wk = paid_er, paid_wk
    out["jp_employer"] = jp_er
    out["jp_worker"] = jp_wk

    jkp = r["with_jkp"] & get("jkp_exists")
    if np.any(jkp):
        jkp_base = np.minimum(base, get("jkp_cap")) * jkp
        recomposed_rate = np.where(discounted, get.by_class("jkp_jkk_li", risk), get.by_class("jkp_jkk", risk))
        out["jkp_government_information"] = _round(jkp_base, get("jkp_government"))
        out["jkp_employer_information"] = _round(jkp_base, recomposed_rate) + _round(jkp_base, get("jkp_jkm"))

    paid = paid_on != NO_DATE
    if np.any(paid):
        due = get("due_day")
        late = paid & (paid_on > due)
        if np.any(late):
            days = np.where(late, paid_on, 0).astype("datetime64[D]")
            paid_month = days.astype("datetime64[M]")
            day_of_month = (days - paid_month.astype("datetime64[D]")).astype(np.int64) + 1
            paid_month_index = paid_month.astype(np.int64) + 1970 * 12
            months = paid_month_index - get("due_month") + (day_of_month > get("due_dom"))
            months *= late
            owed_jkk_jkm = jkk + jkm
            owed_jht_jp = jht_er + jht_wk + jp_er + jp_wk
            out["fine_employer"] = _round(owed_jkk_jkm, get("fine_jkk_jkm") * months) + _round(
                owed_jht_jp, get("fine_jht_jp") * months
            )


def _bpu_kernel(r: dict[str, Array], get: _Params, out: dict[str, I64]) -> None:
    p = r["period"] - FIRST_MONTH.index
    months = r["months"]
    income = r["income"]
    t = get.t
    jkk = np.zeros(len(p), dtype=np.int64)
    jkm = np.zeros(len(p), dtype=np.int64)
    jht = np.zeros(len(p), dtype=np.int64)
    nominal = np.empty(len(p), dtype=np.int64)
    for offset in range(int(months.max()) if len(months) else 0):
        active = months > offset
        month = p + offset
        nominal[:] = 0
        for band_months, bands in t.bpu_bands:
            in_group = band_months[month]
            if not in_group.any():
                continue
            nominal = np.where(in_group, _band_nominal(income, bands), nominal)
        jkk += _round(nominal, t.bpu_jkk[month]) * active
        jkm += t.bpu_jkm[month] * (active & r["with_jkm"])
        jht += _round(nominal, t.bpu_jht[month]) * (active & r["with_jht"])
    out["jkk_participant"] = jkk
    out["jkm_participant"] = jkm
    out["jht_participant"] = jht


def _band_nominal(income: I64, bands: list[tuple[int | None, int | None]]) -> I64:
    nominal = np.empty_like(income)
    decided = np.zeros(len(income), dtype=bool)
    for up_to, value in bands:
        here = ~decided if up_to is None else (~decided & (income <= up_to))
        nominal[here] = income[here] if value is None else value
        decided |= here
    return nominal


def _jakon_kernel(r: dict[str, Array], get: _Params, out: dict[str, I64]) -> None:
    t = get.t
    p = r["period"] - FIRST_MONTH.index
    contract = r["contract_value"]
    project = contract >= 0
    wage = r["wage"] * ~project
    jkk = _round(wage, get("jakon_jkk"))
    jkm = _round(wage, get("jakon_jkm"))
    if project.any():
        for slice_months, jkk_slices, jkm_slices in t.jakon_slices:
            rows = project & slice_months[p]
            if not rows.any():
                continue
            value = np.where(rows, contract, 0)
            jkk = np.where(rows, _progressive(value, jkk_slices), jkk)
            jkm = np.where(rows, _progressive(value, jkm_slices), jkm)
    out["jkk_employer"] = jkk
    out["jkm_employer"] = jkm


def _progressive(value: I64, slices: list[tuple[int, int]]) -> I64:
    """Exact sum of ``portion x rate`` over the slices, then rounded once half up."""
    exact = np.zeros(len(value), dtype=np.int64)
    for index, (start, numerator) in enumerate(slices):
        upper = slices[index + 1][0] if index + 1 < len(slices) else None
        top = value if upper is None else np.minimum(value, upper)
        portion = np.maximum(top - start, 0)
        exact += portion * numerator
    result: I64 = (2 * exact + DENOMINATOR) // (2 * DENOMINATOR)
    return result


def _pmi_kernel(r: dict[str, Array], get: _Params, out: dict[str, I64]) -> None:
    t = get.t
    p = r["period"] - FIRST_MONTH.index
    months = r["months"]
    total = get("pmi_pre_departure") * r["pre_departure"]
    package = np.zeros(len(p), dtype=np.int64)
    extra = np.zeros(len(p), dtype=np.int64)
    for package_months, packages in t.pmi_packages:
        rows = package_months[p]
        lengths = sorted(packages)
        chosen = np.full(len(p), lengths[0], dtype=np.int64)
        amount = np.full(len(p), packages[lengths[0]], dtype=np.int64)
        for length in lengths[1:]:
            fits = months >= length
            chosen = np.where(fits, length, chosen)
            amount = np.where(fits, packages[length], amount)
        package = np.where(rows, amount, package)
        extra = np.where(rows, np.maximum(months - chosen, 0), extra)
    total = total + package + extra * get("pmi_extra")
    out["jkk_jkm_participant"] = total


_KERNELS: dict[int, Callable[[dict[str, Array], _Params, dict[str, I64]], None]] = {
    PU: _pu_kernel,
    BPU: _bpu_kernel,
    JAKON: _jakon_kernel,
    PMI: _pmi_kernel,
}
_INPUTS: dict[int, tuple[str, ...]] = {
    PU: (
        "period",
        "wage",
        "fixed_allowances",
        "minimum_wage",
        "risk_class",
        "labour_intensive",
        "with_jp",
        "with_jkp",
        "jp_deferral",
        "paid_on",
    ),
    BPU: ("period", "income", "with_jht", "with_jkm", "months"),
    JAKON: ("period", "wage", "contract_value"),
    PMI: ("period", "months", "pre_departure"),
}


# --- entry point ---------------------------------------------------------------------------------


def compute(
    table: Mapping[str, Any], parameters: ParameterSet | None = None, *, threads: int | None = None
) -> dict[str, I64]:
    """Contribution amounts for every row of ``table``: one int64 array per output column."""
    parameters = parameters or default_parameters()
    rows = _rows(table)
    n = len(rows.segment)
    p = rows.period - FIRST_MONTH.index
    _check(
        p >= 0,
        "period",
        "before_rules",
        rows.period,
        program="the encoded rules",
        first=str(FIRST_MONTH),
    )
    needed = int(p.max()) + 13 if n else 1
    t = _timeline(parameters, needed)
    _validate(rows, t, p)
    out = {name: np.zeros(n, dtype=np.int64) for name in (*OUTPUT_COLUMNS, *TOTAL_COLUMNS)}
    uniform_period = bool(n) and int(p.min()) == int(p.max())

    def run(chunk: slice) -> None:
        segment = rows.segment[chunk]
        present = np.flatnonzero(np.bincount(segment, minlength=len(SEGMENTS)))
        for code in present.tolist():
            whole = len(present) == 1
            local: Any = slice(None) if whole else np.flatnonzero(segment == code)
            inputs = {name: getattr(rows, name)[chunk][local] for name in _INPUTS[code]}
            results: dict[str, I64] = {}
            params = _Params(t, inputs["period"] - FIRST_MONTH.index, uniform_period)
            _KERNELS[code](inputs, params, results)
            for name, values in results.items():
                out[name][chunk][local] = values
        for payer, columns in _PAYER_OF.items():
            total = out[payer][chunk]
            for name in columns:
                total += out[name][chunk]
        out["total"][chunk] = out["employer"][chunk] + out["worker"][chunk] + out["participant"][chunk]

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
