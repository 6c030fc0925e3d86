"""The kernels: one chunk of one segment's rows, in int64, rounded as the scalar path rounds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from jamsostek.rules.batch.common import BPU, DENOMINATOR, FIRST_MONTH, I64, JAKON, NO_DATE, PMI, PU, Array
from jamsostek.rules.batch.timeline import Timeline

if DENOMINATOR % 2:
    raise AssertionError("DENOMINATOR must be even: the roundings add DENOMINATOR // 2")
_HALF = DENOMINATOR // 2  # DENOMINATOR is even: (2bn + D) // 2D == (bn + D/2) // D


def _round(base: I64, numerator: Any) -> I64:
    """``base x numerator / DENOMINATOR`` rounded half up (base >= 0, numerator >= 0)."""
    result: I64 = (base * numerator + _HALF) // DENOMINATOR
    return result


def _round_wide(base: I64, numerator: Any) -> I64:
    """``_round`` where ``base x numerator`` may pass int64's range (a fine for centuries of delay on a
    large wage): those products are computed exactly in Python integers instead of wrapping."""
    if not bool((base.astype(np.float64) * numerator >= 2.0**62).any()):  # an estimate, with room for its error
        return _round(base, numerator)
    exact = (base.astype(object) * np.asarray(numerator, dtype=object) + _HALF) // DENOMINATOR
    result: I64 = exact.astype(np.int64)
    return result


def _round_into(dest: I64, base: I64, numerator: Any) -> I64:
    """``_round`` written into ``dest`` with no temporary array (numerator a scalar or an array):
    three passes (multiply, add half, floor-divide)."""
    np.multiply(base, numerator, out=dest)
    dest += _HALF
    dest //= DENOMINATOR
    return dest


class Outputs:
    """Where a kernel writes its columns for one chunk of one segment.

    When the chunk holds one segment, ``dest`` hands out views of the result columns, so kernels
    write in place; otherwise scratch arrays, scattered into the segment's rows afterwards.
    """

    def __init__(self, columns: dict[str, I64], chunk: slice, local: Any, size: int) -> None:
        self.columns = columns
        self.chunk = chunk
        self.local = local
        self.size = size
        self.written: dict[str, I64] = {}

    def dest(self, name: str) -> I64:
        view: I64 = (
            self.columns[name][self.chunk] if isinstance(self.local, slice) else np.empty(self.size, dtype=np.int64)
        )
        self.written[name] = view
        return view

    def zeros(self, name: str) -> I64:
        """``dest`` filled with zeros."""
        view = self.dest(name)
        view[...] = 0
        return view

    def put(self, name: str, values: I64) -> None:
        self.dest(name)[...] = values

    def scatter(self, already: set[str]) -> None:
        """Scratch columns into the segment's rows of the chunk. A column that no kernel has written
        in this chunk yet (not in ``already``) is zeroed first: the result columns start
        uninitialised."""
        if not isinstance(self.local, slice):
            for name, values in self.written.items():
                target = self.columns[name][self.chunk]
                if name not in already:
                    target[...] = 0
                target[self.local] = values


_SCRATCH = threading.local()


def _scratch(size: int, count: int) -> list[I64]:
    """``count`` int64 work arrays of ``size`` rows, kept per thread and reused chunk after chunk
    (a fresh array of a chunk's size is a fresh mapping from the allocator, zeroed page by page)."""
    kept: list[I64] = getattr(_SCRATCH, "arrays", [])
    if len(kept) < count or len(kept[0]) < size:
        kept = [np.empty(max(size, len(kept[0]) if kept else 0), dtype=np.int64) for _ in range(count)]
        _SCRATCH.arrays = kept
    return [array[:size] for array in kept[:count]]


class Params:
    """Parameter values for the rows of a chunk: a scalar when every row has the same month."""

    def __init__(self, t: Timeline, p: I64 | int, uniform: bool) -> None:
        self.t = t
        self.uniform = uniform
        self.p: Any = int(p) if uniform else p  # uniform: the month's offset, else one per row

    def __call__(self, name: str) -> Any:
        return getattr(self.t, name)[self.p]

    def by_class(self, name: str, risk_class: I64, into: I64 | None = None) -> Any:
        """The rate of each row's risk class; a scalar when the month's rates are all the same."""
        table = getattr(self.t, name)
        if self.uniform:
            row = table[self.p]
            if (row[1:] == row[1]).all():
                return row[1]
            if into is not None:
                return np.take(row, risk_class, out=into)
        result: I64 = table[self.p, risk_class]
        return result

    def at(self, name: str, rows: I64) -> Any:
        """The value for some rows of the chunk only (``rows``: their positions in it)."""
        return _at(self(name), rows)

    def by_class_at(self, name: str, risk_class: I64, rows: I64) -> Any:
        """``by_class`` for some rows of the chunk only."""
        table = getattr(self.t, name)
        result: I64 = table[self.p, risk_class[rows]] if self.uniform else table[self.p[rows], risk_class[rows]]
        return result


def _at(values: Any, rows: I64) -> Any:
    """Per-row values (an array) at ``rows``; one value for every row (a scalar) as it is."""
    return values[rows] if np.ndim(values) else values


def _with_rows(values: Any, rows: I64, replaced: Any, size: int) -> I64:
    """``values`` (one value for every row, or an array of ``size`` the kernel owns) with ``rows``
    replaced: the array in place, the value spread into a new array."""
    result: I64 = values if np.ndim(values) and values.flags.writeable else np.full(size, values, dtype=np.int64)
    result[rows] = replaced
    return result


def _pu_kernel(r: dict[str, Array], get: Params, out: Outputs) -> None:
    """PU contributions, written in place: per row about eight roundings (multiply, shift, add,
    divide) on a few reused work arrays; the rare paths (discounts with conditions, deferral, fines)
    allocate as they need."""
    size = len(r["wage"])
    base, rate_buffer, jp_base, spare = _scratch(size, 4)
    np.add(r["wage"], r["fixed_allowances"], out=base)
    np.maximum(base, r["minimum_wage"], out=base)
    risk = r["risk_class"]
    paid_on = r["paid_on"]
    only = r.get("only")
    if only is not None:
        # A chunk of mixed segments: the other rows compute on a base of 0 (every PU line is 0).
        np.multiply(base, only, out=base)  # (their risk classes are 0-5 too: see compute)

    jkk_rate = get.by_class("jkk", risk, into=rate_buffer)
    jkm_rate = get("jkm")
    discounted = np.empty(0, dtype=np.intp)  # the rows given the labour-intensive discount
    labour_intensive = r["labour_intensive"]
    if labour_intensive.any():
        # PP 7/2025: few rows ask for it; only they are looked at.
        asking = np.flatnonzero(labour_intensive)
        li_rate = get.by_class_at("jkk_li", risk, asking)
        paid = paid_on[asking]
        in_time = (paid == NO_DATE) | (paid <= get.at("li_deadline", asking))
        granted = (li_rate >= 0) & in_time & r["relief_paid_up"][asking]
        discounted = asking[granted]
        if discounted.size:
            jkk_rate = _with_rows(jkk_rate, discounted, li_rate[granted], size)
    covid = get("covid_relief")
    if np.any(covid):
        # PP 49/2020 art. 13: a new registrant pays its first months in full; an older employer
        # gets the discount only if it had paid up.
        first = r["payer_first_month"]
        registered_during = first >= get("covid_window_start")
        blocked = covid & np.where(
            registered_during, r["period"] < first + get("covid_new_months"), ~r["relief_paid_up"]
        )
        if blocked.any():
            jkk_rate = np.where(blocked, get.by_class("jkk_full", risk), jkk_rate)
            jkm_rate = np.where(blocked, get("jkm_full"), jkm_rate)
    jkk = _round_into(out.dest("jkk_employer"), base, jkk_rate)
    jkm = _round_into(out.dest("jkm_employer"), base, jkm_rate)
    jht_er = _round_into(out.dest("jht_employer"), base, get("jht_employer"))
    jht_wk = _round_into(out.dest("jht_worker"), base, get("jht_worker"))

    with_jp = r["with_jp"]
    np.minimum(base, get("jp_cap"), out=jp_base)
    if not with_jp.all():
        np.multiply(jp_base, with_jp, out=jp_base)
    jp_er = _round_into(out.dest("jp_employer"), jp_base, get("jp_employer"))
    jp_wk = _round_into(out.dest("jp_worker"), jp_base, get("jp_worker"))
    paid_er_rate = get("jp_employer_paid")
    deferring = r["jp_deferral"] & (paid_er_rate >= 0) if np.any(paid_er_rate >= 0) else False
    if np.any(deferring):
        paid_er = np.where(deferring, _round(jp_base, np.maximum(paid_er_rate, 0)), jp_er)
        paid_wk = np.where(deferring, _round(jp_base, np.maximum(get("jp_worker_paid"), 0)), jp_wk)
        out.put("jp_employer_information", jp_er - paid_er)
        out.put("jp_worker_information", jp_wk - paid_wk)
        jp_er[...] = paid_er
        jp_wk[...] = paid_wk

    with_jkp = r["with_jkp"]
    if np.any(get("jkp_exists")) and with_jkp.any():
        jkp_base = spare
        np.minimum(base, get("jkp_cap"), out=jkp_base)
        if not np.all(get("jkp_exists")) or not with_jkp.all():
            np.multiply(jkp_base, with_jkp & get("jkp_exists"), out=jkp_base)
        _round_into(out.dest("jkp_government_information"), jkp_base, get("jkp_government"))
        recomposed = get.by_class("jkp_jkk", risk, into=rate_buffer)
        if discounted.size:
            recomposed = _with_rows(recomposed, discounted, get.by_class_at("jkp_jkk_li", risk, discounted), size)
        employer = _round_into(out.dest("jkp_employer_information"), jkp_base, recomposed)
        from_jkm = get("jkp_jkm")
        if np.any(from_jkm):
            employer += _round(jkp_base, from_jkm)

    due = get("due_day")
    late_rows = np.flatnonzero((paid_on != NO_DATE) & (paid_on > due))
    if late_rows.size:
        # Only the late rows: months of delay from the calendar, then the fines on what they owe.
        def late(name: str) -> Any:
            return get.at(name, late_rows)

        paid_month_index, day_of_month = _calendar(paid_on[late_rows])
        months = paid_month_index - late("due_month") + (day_of_month > late("due_dom"))
        owed_jkk_jkm = jkk[late_rows] + jkm[late_rows]
        owed_jht_jp = jht_er[late_rows] + jht_wk[late_rows] + jp_er[late_rows] + jp_wk[late_rows]
        state = r["state_body"][late_rows]
        fine_jkk_jkm = np.where(state, late("fine_jkk_jkm_state"), late("fine_jkk_jkm"))
        fine_jht_jp = np.where(state, late("fine_jht_jp_state"), late("fine_jht_jp"))
        fines = out.zeros("fine_employer")
        fines[late_rows] = _round_wide(owed_jkk_jkm, fine_jkk_jkm * months) + _round_wide(
            owed_jht_jp, fine_jht_jp * months
        )


def _calendar(days: I64) -> tuple[I64, I64]:
    """The month (``Month.index``) and day of the month of each day number (days since 1970).
    Payment dates bunch in a few months: the calendar of the days they span is worked out once and
    looked up, cheaper than numpy's conversion of every row; a wider spread converts every row."""
    low, high = int(days.min()), int(days.max())
    if high - low < max(1024, len(days)):
        span_month, span_day = _calendar_of(np.arange(low, high + 1, dtype=np.int64))
        return span_month[days - low], span_day[days - low]
    return _calendar_of(days)


def _calendar_of(days: I64) -> tuple[I64, I64]:
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    day_of_month: I64 = (days - month.astype("datetime64[D]").astype(np.int64)) + 1
    month_index: I64 = month.astype(np.int64) + 1970 * 12
    return month_index, day_of_month


def _bpu_kernel(r: dict[str, Array], get: Params, out: Outputs) -> None:
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
            if in_group.all():
                nominal = _band_nominal(income, bands)
            elif in_group.any():
                nominal = np.where(in_group, _band_nominal(income, bands), nominal)
        jkk_rate, jkm_amount = t.bpu_jkk[month], t.bpu_jkm[month]
        covid = t.covid_relief[month]
        if covid.any():
            # PP 49/2020 art. 13, as for PU: the participant's first months, or not paid up.
            first = r["payer_first_month"]
            during = first >= t.covid_window_start[month]
            late_start = month + FIRST_MONTH.index < first + t.covid_new_months[month]
            blocked = covid & np.where(during, late_start, ~r["relief_paid_up"])
            jkk_rate = np.where(blocked, t.bpu_jkk_full[month], jkk_rate)
            jkm_amount = np.where(blocked, t.bpu_jkm_full[month], jkm_amount)
        jkk += _round(nominal, jkk_rate) * active
        jkm += jkm_amount * (active & r["with_jkm"])
        jht += _round(nominal, t.bpu_jht[month]) * (active & r["with_jht"])
    out.put("jkk_participant", jkk)
    out.put("jkm_participant", jkm)
    out.put("jht_participant", jht)


def _band_nominal(income: I64, bands: list[tuple[int | None, int | None]]) -> I64:
    """Each income's nominal, from the first band whose limit the income does not pass (the loader
    keeps the last band open): from the last band back to the first, each band takes the incomes up
    to its limit, so the first band that fits is the one left."""
    _, value = bands[-1]
    nominal: I64 = income.copy() if value is None else np.full(len(income), value, dtype=np.int64)
    for up_to, value in reversed(bands[:-1]):
        assert up_to is not None  # only the last band is open
        nominal = np.where(income <= up_to, income if value is None else value, nominal)
    return nominal


def _jakon_kernel(r: dict[str, Array], get: Params, out: Outputs) -> None:
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
    out.put("jkk_employer", jkk)
    out.put("jkm_employer", jkm)


def _progressive(value: I64, slices: list[tuple[int, int]]) -> I64:
    """Exact sum of ``portion x rate`` over the slices, then rounded once half up."""
    exact = np.zeros(len(value), dtype=np.int64)
    for index, (start, numerator) in enumerate(slices):
        upper = slices[index + 1][0] if index + 1 < len(slices) else None
        top = value if upper is None else np.minimum(value, upper)
        portion = np.maximum(top - start, 0)
        exact += portion * numerator
    result: I64 = (exact + _HALF) // DENOMINATOR
    return result


def _pmi_kernel(r: dict[str, Array], get: Params, out: Outputs) -> None:
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
    out.put("jkk_jkm_participant", total)


KERNELS: dict[int, Callable[[dict[str, Array], Params, Outputs], None]] = {
    PU: _pu_kernel,
    BPU: _bpu_kernel,
    JAKON: _jakon_kernel,
    PMI: _pmi_kernel,
}
INPUTS: dict[int, tuple[str, ...]] = {
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
        "state_body",
        "relief_paid_up",
        "payer_first_month",
    ),
    BPU: ("period", "income", "with_jht", "with_jkm", "months", "relief_paid_up", "payer_first_month"),
    JAKON: ("period", "wage", "contract_value"),
    PMI: ("period", "months", "pre_departure"),
}
