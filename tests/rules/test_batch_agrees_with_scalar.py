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


def _fine(inputs: PUInput, period: Month) -> int:
    return sum(line.amount for line in contribution(inputs, period).lines if line.program == "fine")


@pytest.mark.parametrize(
    "offsets",
    [
        # bunched in a few weeks (the calendar of the days spanned is looked up), month ends and a
        # leap day included
        [0, 1, 13, 14, 15, 16, 30, 31, 44, 45, 46, 75, 320, 321],
        # spread over centuries (every row converted): 2100 is not a leap year, 2400 is
        [0, 15, 16, 30_000, 31_000, 27_450, 27_451, 137_000, 137_450, 137_451, 2_900_000],
    ],
    ids=["weeks", "centuries"],
)
def test_late_payments_near_and_far_fine_as_the_scalar_path(offsets: list[int]) -> None:
    """The months of delay come from each payment date's calendar month and day: one row per date,
    against the scalar path, for dates bunched together and for dates centuries apart."""
    period = Month(2024, 1)
    start = date(2024, 2, 1)
    cases = [
        PUInput(wage=4_000_000 + 1_000 * number, risk_class=1 + number % 5, paid_on=start + timedelta(days=days))
        for number, days in enumerate(offsets)
    ]
    columns = batch.compute(to_table([row for inputs in cases for row in rows_for(inputs, period)]))
    fines = [_fine(inputs, period) for inputs in cases]
    assert sum(1 for fine in fines if fine) > len(offsets) // 2  # most rows are late
    assert [int(value) for value in columns["fine_employer"]] == fines


def test_each_band_limit_gives_the_scalar_nominal() -> None:
    """BPU incomes at, just below and just above each band limit (one comparison per band, last band
    first, in the batch path; a walk through the bands in the scalar path)."""
    period = Month(2025, 3)
    incomes = [0, 1, 1_098_999, 1_099_000, 1_099_001, 20_699_999, 20_700_000, 20_700_001, 10**11]
    cases = [BPUInput(income=income, with_jht=True) for income in incomes]
    columns = batch.compute(to_table([row for inputs in cases for row in rows_for(inputs, period)]))
    for row, inputs in enumerate(cases):
        scalar = contribution(inputs, period)
        for line in scalar.lines:
            assert int(columns[f"{line.program}_{line.payer}"][row]) == line.amount, (inputs.income, line)


@pytest.mark.parametrize("threads", [1, 3])
def test_no_uninitialised_value_reaches_a_result(monkeypatch: pytest.MonkeyPatch, threads: int) -> None:
    """The result columns start uninitialised and every value is written once. Filled with garbage
    first, they still hold the amounts of zeroed columns: each segment alone, all of them mixed,
    across chunks, late and on-time payments, with and without JP, JKP and deferrals."""
    period = Month(2025, 3)
    late = PUInput(wage=6_000_000, risk_class=4, paid_on=date(2025, 7, 20), with_jkp=False)
    deferral = PUInput(wage=3_000_000, risk_class=2, jp_deferral=True, with_jp=True)
    mix = [*_province_mix(period), *rows_for(late, period), *rows_for(deferral, Month(2020, 9))]
    tables = [to_table(mix * 9_000)] + [
        to_table([row for row in mix if row["segment"] == segment] * 9_000) for segment in ("pu", "bpu", "jakon", "pmi")
    ]
    monkeypatch.setattr(batch, "CHUNK", 16_384)
    names = (*batch.OUTPUT_COLUMNS, *batch.TOTAL_COLUMNS)
    monkeypatch.setattr(batch, "_uninitialised", lambda n: {name: np.zeros(n, dtype=np.int64) for name in names})
    clean = [batch.compute(table, threads=threads) for table in tables]

    def garbage(n: int) -> dict[str, np.ndarray]:
        return {name: np.full(n, -123_456_789, dtype=np.int64) for name in names}

    monkeypatch.setattr(batch, "_uninitialised", garbage)
    for table, expected in zip(tables, clean, strict=True):
        columns = batch.compute(table, threads=threads)
        for name in expected:
            assert np.array_equal(columns[name], expected[name]), name
            assert int(columns[name].min()) >= 0, name
    assert np.array_equal(clean[0]["total"][: len(mix)], batch.compute(to_table(mix))["total"])


def test_what_a_kernel_leaves_unwritten_is_zero() -> None:
    """The result columns start uninitialised (``np.empty``: no page zeroed twice). ``Outputs.zeros``
    fills a view of the whole chunk with zeros; a scattered column that no kernel has written in the
    chunk yet is zeroed before the segment's rows are put in; one already written is kept."""
    from jamsostek.rules.batch.kernels import Outputs

    columns = {"fine_employer": np.full(6, 7, dtype=np.int64), "jkk_employer": np.full(6, 7, dtype=np.int64)}
    whole = Outputs(columns, slice(0, 3), slice(None), 3)
    whole.zeros("fine_employer")[1] = 5
    some = Outputs(columns, slice(3, 6), np.array([0, 2]), 2)
    some.zeros("fine_employer")[1] = 9
    some.put("jkk_employer", np.array([1, 2]))
    some.scatter(already={"jkk_employer"})
    assert columns["fine_employer"].tolist() == [0, 5, 0, 0, 0, 9]
    assert columns["jkk_employer"].tolist() == [7, 7, 7, 1, 7, 2]


@pytest.mark.parametrize("risk_class", [-3, 0, 9])
def test_a_risk_class_on_a_row_of_another_segment_means_nothing(risk_class: int) -> None:
    """Only PU rows have a risk class. The PU kernel still runs over the other rows of a chunk (masked
    to a base of zero), so whatever they hold must neither fail nor change an amount."""
    period = Month(2025, 3)
    rows = _province_mix(period)
    for row in rows:
        if row["segment"] != "pu":
            row["risk_class"] = risk_class
    columns = batch.compute(to_table(rows))
    plain = batch.compute(to_table(_province_mix(period)))
    for name in columns:
        assert np.array_equal(columns[name], plain[name]), name
    assert int(columns["total"].sum()) > 0


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000_000), st.integers(1, 16))
def test_a_table_is_cut_into_equal_chunks_one_per_worker_at_least(n: int, workers: int) -> None:
    chunks = batch.chunks_for(n, workers)
    assert [chunk.start for chunk in chunks] == [index * chunks[0].stop for index in range(len(chunks))]
    assert [chunk.stop for chunk in chunks[:-1]] == [chunk.start for chunk in chunks[1:]]
    assert (chunks[-1].stop if chunks else 0) == n
    sizes = [chunk.stop - chunk.start for chunk in chunks]
    assert all(0 < size <= batch.CHUNK for size in sizes)
    assert len(set(sizes[:-1])) <= 1
    assert not sizes or sizes[-1] <= sizes[0]
    if n >= workers * batch.MIN_CHUNK:
        assert len(chunks) >= workers
    # as few as the maximum size allows, unless more give each worker a chunk of MIN_CHUNK rows
    assert len(chunks) == max(-(-n // batch.CHUNK), min(workers, n // batch.MIN_CHUNK))
