"""The parameters as month-by-month integer arrays, built once per parameter set."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np

from jamsostek.rules.batch.common import FIRST_MONTH, I64, Array, numerator
from jamsostek.rules.errors import ParameterNotInForce
from jamsostek.rules.holidays import working_day
from jamsostek.rules.parameterset import Entry, ParameterSet, ScheduleRow
from jamsostek.rules.periods import Month


@dataclass
class Timeline:
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
    fine_jkk_jkm_state: I64  # the same for a state body (penyelenggara negara)
    fine_jht_jp_state: I64
    covid_relief: Array  # PP 49/2020 JKK and JKM discount in force
    jkk_full: I64  # [month, class] without the PP 49/2020 discount (its conditions not met)
    jkm_full: I64
    covid_window_start: I64  # month index of the relief's first month (new registrants)
    covid_new_months: I64  # months a new registrant pays in full
    due_day: I64  # days since 1970
    due_month: I64  # month index of the due date
    due_dom: I64  # day of month of the due date
    bpu_exists: Array
    bpu_jkk: I64
    bpu_jkm: I64  # rupiah, relief applied and rounded
    bpu_jkk_full: I64  # without the PP 49/2020 discount (its conditions not met)
    bpu_jkm_full: I64
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


def build_timeline(parameters: ParameterSet, months: int) -> Timeline:
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

    timeline = Timeline(
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
        fine_jkk_jkm_state=zeros(),
        fine_jht_jp_state=zeros(),
        covid_relief=np.zeros(months, dtype=bool),
        jkk_full=zeros(6),
        jkm_full=zeros(),
        covid_window_start=zeros(),
        covid_new_months=zeros(),
        due_day=zeros(),
        due_month=zeros(),
        due_dom=zeros(),
        bpu_exists=np.zeros(months, dtype=bool),
        bpu_jkk=zeros(),
        bpu_jkm=zeros(),
        bpu_jkk_full=zeros(),
        bpu_jkm_full=zeros(),
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
    num = numerator
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
    state_share = values("fines.state_body_payable_share")
    new_months = values("relief.covid_new_registrant_full_months")
    new_months_start = [
        (found.start if (found := entry("relief.covid_new_registrant_full_months", day)) else None) for day in days
    ]
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
            t.jkm_full[m] = num(jkm[m], "jkm.pu_rate")
            for risk in range(1, 6):
                t.jkk_full[m, risk] = num(jkk[m][risk], "jkk.pu_rate")
            if relief != 1:
                t.covid_relief[m] = True
                start = new_months_start[m]
                t.covid_window_start[m] = Month.of(start).index if start is not None else np.iinfo(np.int64).max
                t.covid_new_months[m] = new_months[m] or 0
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
            t.fine_jkk_jkm_state[m] = num(fine1[m] * state_share[m], "fines.state_body_payable_share")
            t.fine_jht_jp_state[m] = num(fine2[m] * state_share[m], "fines.state_body_payable_share")
            due = working_day(parameters, month.plus(1).day(pu_due[m]))
            t.due_day[m] = (due - epoch).days
            t.due_month[m] = Month.of(due).index
            t.due_dom[m] = due.day
        if bpu_jkk[m] is not None:
            t.bpu_exists[m] = True
            t.bpu_jkk[m] = num(bpu_jkk[m] * relief, "bpu.jkk_rate")
            exact = bpu_jkm[m] * relief
            t.bpu_jkm[m] = (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)
            t.bpu_jkk_full[m] = num(bpu_jkk[m], "bpu.jkk_rate")
            t.bpu_jkm_full[m] = bpu_jkm[m]
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
    return [(row.start, numerator(row.rate * relief, name)) for row in rows]


_TIMELINES: dict[tuple[int, int], tuple[ParameterSet, Timeline]] = {}


def timeline_for(parameters: ParameterSet, months: int) -> Timeline:
    """The timeline for a parameter set, built once and grown when later months are asked for."""
    key = id(parameters)
    for (cached_key, cached_months), (cached_set, cached) in list(_TIMELINES.items()):
        if cached_key == key and cached_set is parameters and cached_months >= months:
            return cached
    months = max(months, 12 * 16)
    built = build_timeline(parameters, months)
    _TIMELINES[(key, months)] = (parameters, built)
    return built
