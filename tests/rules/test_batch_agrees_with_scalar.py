"""The batch path and the scalar path agree exactly, on random inputs of every segment and date."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsostek.rules import batch
from jamsostek.rules.contributions import contribution
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import BPUInput, ContributionInput, JakonInput, PMIInput, PUInput
from jamsostek.rules.periods import Month
from tests.rules.batch_table import rows_for, to_table

FIRST = Month(2015, 7).index
LAST = Month(2027, 12).index
PMI_FIRST = Month(2019, 1).index

months = st.integers(FIRST, LAST).map(Month.from_index)
# Periods in and around the two reliefs with conditions (PP 49/2020, PP 7/2025), drawn more often.
relief_months = st.one_of(
    months,
    st.integers(Month(2020, 5).index, Month(2021, 4).index).map(Month.from_index),
    st.integers(Month(2024, 12).index, Month(2026, 3).index).map(Month.from_index),
)
wages = st.one_of(
    st.integers(0, 20_000_000),
    st.integers(0, 100_000_000_000),
    st.sampled_from([0, 1, 3_000_025, 5_000_000, 10_042_300, 11_086_301]),
)


@st.composite
def pu(draw: st.DrawFn) -> tuple[PUInput, Month]:
    period = draw(relief_months)
    paid_on = draw(
        st.one_of(
            st.none(),
            st.integers(-20, 800).map(lambda days: period.plus(1).day(15) + timedelta(days=days)),
        )
    )
    minimum = draw(st.one_of(st.none(), st.integers(0, 6_000_000)))
    inputs = PUInput(
        wage=draw(wages),
        risk_class=draw(st.integers(1, 5)),
        fixed_allowances=draw(st.integers(0, 3_000_000)),
        minimum_wage=minimum,
        labour_intensive=draw(st.booleans()),
        with_jp=draw(st.booleans()),
        with_jkp=draw(st.booleans()),
        jp_deferral=draw(st.booleans()),
        paid_on=paid_on,
        state_body=draw(st.sampled_from([None, False, True])),
        relief_paid_up=draw(st.sampled_from([None, False, True])),
        employer_first_month=draw(
            st.one_of(st.none(), st.integers(period.index - 4, period.index + 1).map(Month.from_index))
        ),
    )
    return inputs, period


@st.composite
def bpu(draw: st.DrawFn) -> tuple[BPUInput, Month]:
    period = draw(relief_months)
    inputs = BPUInput(
        income=draw(st.one_of(st.integers(0, 30_000_000), st.sampled_from([1_099_000, 1_099_001, 20_700_000]))),
        with_jht=draw(st.booleans()),
        with_jkm=draw(st.booleans()),
        months=draw(st.sampled_from([1, 3, 6, 12])),
        relief_paid_up=draw(st.sampled_from([None, False, True])),
        first_month=draw(st.one_of(st.none(), st.integers(period.index - 4, period.index + 3).map(Month.from_index))),
    )
    return inputs, period


@st.composite
def jakon(draw: st.DrawFn) -> tuple[JakonInput, Month]:
    if draw(st.booleans()):
        value = draw(
            st.one_of(
                st.integers(0, 10_000_000_000),
                st.integers(0, 1_000_000_000_000_000),
                st.sampled_from([100_000_000, 500_000_000, 1_000_000_000, 5_000_000_000]),
            )
        )
        inputs = JakonInput(contract_value=value)
    else:
        inputs = JakonInput(wages=tuple(draw(st.lists(wages, min_size=1, max_size=5))))
    return inputs, draw(months)


@st.composite
def pmi(draw: st.DrawFn) -> tuple[PMIInput, Month]:
    inputs = PMIInput(months=draw(st.integers(1, 120)), pre_departure=draw(st.booleans()))
    return inputs, Month.from_index(draw(st.integers(PMI_FIRST, LAST)))


participants = st.lists(st.one_of(pu(), bpu(), jakon(), pmi()), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(participants)
def test_batch_equals_scalar_row_by_row(cases: list[tuple[ContributionInput, Month]]) -> None:
    rows = []
    owner = []
    for number, (inputs, period) in enumerate(cases):
        for row in rows_for(inputs, period):
            rows.append(row)
            owner.append(number)
    columns = batch.compute(to_table(rows), threads=1)
    owners = np.array(owner)
    for number, (inputs, period) in enumerate(cases):
        scalar = contribution(inputs, period)
        expected: Counter[str] = Counter()
        for line in scalar.lines:
            column = f"{line.program}_{line.payer}" + ("_information" if line.information else "")
            expected[column] += line.amount
        for payer in ("employer", "worker", "participant", "total"):
            expected[payer] = scalar.totals[payer]
        mine = owners == number
        for column in (*batch.OUTPUT_COLUMNS, *batch.TOTAL_COLUMNS):
            assert int(columns[column][mine].sum()) == expected[column], (column, inputs, period)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(pu(), bpu(), jakon(), pmi()), min_size=1, max_size=5))
def test_threads_and_chunks_do_not_change_the_result(cases: list[tuple[ContributionInput, Month]]) -> None:
    rows = [row for inputs, period in cases for row in rows_for(inputs, period)]
    table = to_table(rows * 50_000 if len(rows) * 50_000 <= 100_000 else rows * 7)
    one = batch.compute(table, threads=1)
    many = batch.compute(table, threads=4)
    for column in one:
        assert np.array_equal(one[column], many[column]), column


def test_amounts_are_int64_columns() -> None:
    table = to_table(rows_for(PUInput(wage=5_000_000, risk_class=1), Month(2025, 3)))
    columns = batch.compute(table)
    assert set(columns) == {*batch.OUTPUT_COLUMNS, *batch.TOTAL_COLUMNS}
    assert all(values.dtype == np.int64 for values in columns.values())
    assert int(columns["total"][0]) == 462_000


def test_a_uniform_period_and_a_mixed_one_give_the_same_amounts() -> None:
    base = rows_for(PUInput(wage=7_654_321, risk_class=3, paid_on=date(2025, 6, 2)), Month(2025, 4))
    other = rows_for(PUInput(wage=7_654_321, risk_class=3), Month(2019, 4))
    alone = batch.compute(to_table(base))
    mixed = batch.compute(to_table(base + other))
    for column in alone:
        assert int(alone[column][0]) == int(mixed[column][0]), column


def _province_mix(period: Month) -> list[dict[str, Any]]:
    """Good rows of every segment, as a billing run sees them: BPU rows with no risk class, PMI
    rows with 24 contract months (not a BPU option), a Jakon project."""
    return [
        *rows_for(PUInput(wage=4_000_000, risk_class=2), period),
        *rows_for(BPUInput(income=2_000_000, months=3), period),
        *rows_for(PMIInput(months=24, pre_departure=True), period),
        *rows_for(JakonInput(contract_value=900_000_000), period),
        *rows_for(PUInput(wage=9_000_000, risk_class=5), period),
    ]


@pytest.mark.parametrize(
    ("column", "value", "segment", "field", "code"),
    [
        ("risk_class", 0, "pu", "risk_class", "out_of_range"),
        ("risk_class", 6, "pu", "risk_class", "out_of_range"),
        ("months", 2, "bpu", "months", "not_one_of"),
        ("months", 0, "bpu", "months", "not_one_of"),
        ("months", 0, "pmi", "months", "out_of_range"),
        ("months", 10_000, "pmi", "months", "out_of_range"),
        ("wage", -1, "pu", "wage", "negative"),
        ("income", 10**16, "bpu", "income", "too_large"),
        ("contract_value", 10**17, "jakon", "contract_value", "too_large"),
        ("period", Month(2015, 6).index, "pu", "period", "before_rules"),
        ("period", Month(2018, 12).index, "pmi", "period", "before_rules"),
    ],
)
def test_a_bad_row_among_good_ones_is_named(column: str, value: int, segment: str, field: str, code: str) -> None:
    """The batch checks look at a whole column first (its range, the months it spans) and go row by
    row only when that cannot tell: the first bad row is named, whatever the other segments hold."""
    good = _province_mix(Month(2025, 3)) * 3
    bad = next(dict(row) for row in _province_mix(Month(2025, 3)) if row["segment"] == segment)
    bad[column] = value
    rows = [*good, bad, *good]
    with pytest.raises(InvalidInput) as raised:
        batch.compute(to_table(rows))
    assert (raised.value.field, raised.value.code, raised.value.row) == (field, code, len(good))
    batch.compute(to_table(good + good))  # the same rows without the bad one are accepted


def test_a_fine_for_centuries_of_delay_is_exact_not_wrapped() -> None:
    """The fine's product (what is owed x the monthly rate x the months late) passes int64's range for
    a large wage paid in the year 9999: computed exactly, as the scalar path does (it wrapped)."""
    inputs = PUInput(wage=10**11, fixed_allowances=10**11, risk_class=1, paid_on=date(9999, 12, 31))
    scalar = contribution(inputs, Month(2016, 1))
    fines = sum(line.amount for line in scalar.lines if line.program == "fine")
    assert fines > 10**13
    columns = batch.compute(to_table(rows_for(inputs, Month(2016, 1))))
    assert int(columns["fine_employer"][0]) == fines
    assert int(columns["total"][0]) == scalar.totals["total"]
