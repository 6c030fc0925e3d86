"""The kernels: one chunk of one segment's rows, in int64, rounded as the scalar path rounds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from jamsostek.rules.batch.common import BPU, DENOMINATOR, FIRST_MONTH, I64, JAKON, NO_DATE, PMI, PU, Array
from jamsostek.rules.batch.timeline import Timeline


def _round(base: I64, numerator: Any) -> I64:
    """``base x numerator / DENOMINATOR`` rounded half up (base >= 0, numerator >= 0)."""
    result: I64 = (base * (2 * numerator) + DENOMINATOR) // (2 * DENOMINATOR)
    return result


class Params:
    """Parameter values for the rows of a chunk: a scalar when every row has the same month."""

    def __init__(self, t: Timeline, p: I64, uniform: bool) -> None:
        self.t = t
        self.p: Any = int(p[0]) if uniform else p

    def __call__(self, name: str) -> Any:
        return getattr(self.t, name)[self.p]

    def by_class(self, name: str, risk_class: I64) -> I64:
        table = getattr(self.t, name)
        result: I64 = table[self.p, risk_class]
        return result


def _pu_kernel(r: dict[str, Array], get: Params, out: dict[str, I64]) -> None:
    base = r["wage"] + r["fixed_allowances"]
    np.maximum(base, r["minimum_wage"], out=base)
    risk = r["risk_class"]
    paid_on = r["paid_on"]

    jkk_rate = get.by_class("jkk", risk)
    jkm_rate = get("jkm")
    li_rate = get.by_class("jkk_li", risk)
    in_time = (paid_on == NO_DATE) | (paid_on <= get("li_deadline"))
    discounted = r["labour_intensive"] & (li_rate >= 0) & in_time & r["relief_paid_up"]
    if discounted.any():
        jkk_rate = np.where(discounted, li_rate, jkk_rate)
    covid = get("covid_relief")
    if np.any(covid):
        # PP 49/2020 art. 13: a new registrant pays its first months in full; an older employer
        # gets the discount only if it had paid up.
        first = r["employer_first_month"]
        registered_during = first >= get("covid_window_start")
        blocked = covid & np.where(
            registered_during, r["period"] < first + get("covid_new_months"), ~r["relief_paid_up"]
        )
        if blocked.any():
            jkk_rate = np.where(blocked, get.by_class("jkk_full", risk), jkk_rate)
            jkm_rate = np.where(blocked, get("jkm_full"), jkm_rate)
    jkk = _round(base, jkk_rate)
    jkm = _round(base, jkm_rate)
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
            state = r["state_body"]
            fine_jkk_jkm = np.where(state, get("fine_jkk_jkm_state"), get("fine_jkk_jkm"))
            fine_jht_jp = np.where(state, get("fine_jht_jp_state"), get("fine_jht_jp"))
            out["fine_employer"] = _round(owed_jkk_jkm, fine_jkk_jkm * months) + _round(
                owed_jht_jp, fine_jht_jp * months
            )


def _bpu_kernel(r: dict[str, Array], get: Params, out: dict[str, I64]) -> None:
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


def _jakon_kernel(r: dict[str, Array], get: Params, out: dict[str, I64]) -> None:
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


def _pmi_kernel(r: dict[str, Array], get: Params, out: dict[str, I64]) -> None:
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


KERNELS: dict[int, Callable[[dict[str, Array], Params, dict[str, I64]], None]] = {
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
        "employer_first_month",
    ),
    BPU: ("period", "income", "with_jht", "with_jkm", "months"),
    JAKON: ("period", "wage", "contract_value"),
    PMI: ("period", "months", "pre_departure"),
}
