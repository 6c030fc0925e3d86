"""The planner is optimal for its model: on small problems it finds the cost of the best of every
possible allocation (brute force), every solution it gives has no negative cycle in its residual
graph (the optimality condition of a min-cost flow), and a dearer package never does better."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsostek.drives.planning import (
    PROVINCE_SCOPE,
    PlanPackage,
    Pot,
    Regency,
    best_package,
    need_for,
    solve,
    what_budget_buys,
)

PACKAGES = {
    "a12": PlanPackage("a12", False, 12, 201_600),
    "b12": PlanPackage("b12", True, 12, 441_600),
    "a6": PlanPackage("a6", False, 6, 100_800),
    "b6": PlanPackage("b6", True, 6, 220_800),
}


def brute_force(regencies: Sequence[Regency], pots: Sequence[Pot], month: int, province_need: int) -> int | None:
    """The least cost of any allocation (workers per pot and regency, any package each pot may pay
    that covers ``month``) meeting every need (at most the regency's room) within the rooms and
    ceilings; None if none does."""
    options = []  # (pot index, regency index, package)
    for p, pot in enumerate(pots):
        for r, regency in enumerate(regencies):
            if pot.scope in (PROVINCE_SCOPE, regency.code):
                options += [(p, r, PACKAGES[key]) for key in pot.packages if PACKAGES[key].covers(month)]
    needed = max(province_need, sum(min(regency.need, regency.room) for regency in regencies))
    best = None
    ranges = [range(min(regencies[r].room, needed) + 1) for _p, r, _package in options]
    for counts in itertools.product(*ranges):
        if sum(counts) != needed:
            continue
        taken = [0] * len(regencies)
        spent = [0] * len(pots)
        for (p, r, package), count in zip(options, counts, strict=True):
            taken[r] += count
            spent[p] += count * package.cost
        if any(taken[r] > regency.room or taken[r] < min(regency.need, regency.room)
               for r, regency in enumerate(regencies)):  # fmt: skip
            continue
        if any(pot.ceiling is not None and spent[p] > pot.ceiling for p, pot in enumerate(pots)):
            continue
        cost = sum(spent)
        best = cost if best is None or cost < best else best
    return best


@st.composite
def a_problem(draw: st.DrawFn) -> tuple[list[Regency], list[Pot], int, int]:
    regencies = [
        Regency(code, code, room=draw(st.integers(0, 3)), need=draw(st.integers(0, 2))) for code in ("61.01", "61.02")
    ]
    pots = []
    for _ in range(draw(st.integers(1, 3))):
        scope = draw(st.sampled_from([PROVINCE_SCOPE, "61.01", "61.02"]))
        packages = tuple(draw(st.lists(st.sampled_from(sorted(PACKAGES)), min_size=1, max_size=2, unique=True)))
        ceiling = draw(st.one_of(st.none(), st.sampled_from([0, 100_800, 201_600, 302_400, 441_600, 600_000])))
        pots.append(Pot(draw(st.sampled_from(["regency_apbd", "dana_desa", "csr"])), scope, ceiling, packages))
    return regencies, pots, draw(st.sampled_from([3, 12])), draw(st.integers(0, 4))


@given(a_problem())
@settings(max_examples=150, deadline=None)
def test_the_allocation_costs_what_the_best_of_all_allocations_costs(
    problem: tuple[list[Regency], list[Pot], int, int],
) -> None:
    regencies, pots, month, province_need = problem
    solved = solve(regencies, pots, PACKAGES, month=month, province_need=province_need)
    allocation = solved.allocation
    best = brute_force(regencies, pots, month, province_need)
    if best is None:
        assert not allocation.reached
    else:
        # a need larger than the regency's room is not reachable: everyone there is enrolled
        assert allocation.reached == all(regency.need <= regency.room for regency in regencies)
        assert allocation.cost == best
    assert not solved.network.negative_cycle()
    for line in allocation.lines:  # and what it gives stays within the rooms, scopes and ceilings
        assert PACKAGES[line.package].covers(month)
    for pot in pots:
        spent = sum(line.cost for line in allocation.lines if (line.source, line.scope) == (pot.source, pot.scope))
        if (
            pot.ceiling is not None
            and sum(1 for other in pots if (other.source, other.scope) == (pot.source, pot.scope)) == 1
        ):
            assert spent <= pot.ceiling  # fmt: skip
    for regency in regencies:
        assert sum(line.workers for line in allocation.lines if line.regency == regency.code) <= regency.room


def test_a_flow_that_is_not_the_cheapest_shows_a_negative_cycle() -> None:
    regencies = [Regency("61.01", "A", room=5, need=2)]
    pots = [Pot("csr", "61.01", None, ("a12",)), Pot("regency_apbd", "61.01", None, ("b12",))]
    solved = solve(regencies, pots, PACKAGES, month=12)
    assert not solved.network.negative_cycle()
    network = solved.network
    cheap, dear = 2, 6  # the two pot-to-regency edges (each with its twin), in the order added
    assert network.flow(cheap) == 2
    for edge, delta in ((cheap, -1), (dear, 1)):  # move one worker to the dearer source
        network.caps[edge] -= delta
        network.caps[edge ^ 1] += delta
    network.caps[0] += 1  # source -> cheap pot: one unit less used
    network.caps[1] -= 1
    network.caps[4] -= 1  # source -> dear pot: one unit more
    network.caps[5] += 1
    assert network.negative_cycle()


def test_each_pot_uses_its_cheapest_package_that_covers_the_target_month() -> None:
    pot = Pot("dana_desa", "61.04", None, ("b12", "a6", "a12"))
    assert best_package(pot, PACKAGES, 12).key == "a6"
    assert best_package(pot, PACKAGES, 3).key == "a12"  # a six-month package starts in July
    assert best_package(Pot("csr", "61.04", None, ("b6",)), PACKAGES, 3) is None


def test_a_ceiling_buys_whole_workers_and_the_rest_goes_to_the_next_cheapest_source() -> None:
    regencies = [Regency("61.05", "Sintang", room=10_000, need=4_600)]
    pots = [Pot("dbh_sawit", "61.05", 907_000_000, ("a12",)), Pot("regency_apbd", "61.05", None, ("b12",))]
    allocation = solve(regencies, pots, PACKAGES, month=12).allocation
    by_source = {line.source: line for line in allocation.lines}
    assert by_source["dbh_sawit"].workers == 907_000_000 // 201_600 == 4_499
    assert by_source["regency_apbd"].workers == 101
    assert allocation.cost == 4_499 * 201_600 + 101 * 441_600
    assert allocation.reached


def test_a_target_the_sources_cannot_reach_says_by_how_much() -> None:
    regencies = [Regency("61.01", "Sambas", room=50, need=80), Regency("61.02", "Mempawah", room=10, need=0)]
    pots = [Pot("province_apbd", PROVINCE_SCOPE, 201_600 * 30, ("a12",))]
    allocation = solve(regencies, pots, PACKAGES, month=12, province_need=100).allocation
    assert allocation.workers == 30
    assert allocation.shortfall == 70
    assert allocation.regency_shortfalls == {"61.01": 50}  # its 30 workers, 80 needed
    assert not allocation.reached


def test_a_regencys_own_target_is_met_before_the_cheaper_workers_elsewhere() -> None:
    regencies = [Regency("61.01", "A", room=10, need=3), Regency("61.02", "B", room=10, need=0)]
    pots = [Pot("regency_apbd", "61.01", None, ("b12",)), Pot("csr", "61.02", None, ("a12",))]
    allocation = solve(regencies, pots, PACKAGES, month=12, province_need=5).allocation
    assert {(line.regency, line.workers) for line in allocation.lines} == {("61.01", 3), ("61.02", 2)}


def test_what_a_budget_buys_month_by_month() -> None:
    plan = what_budget_buys(budget=2_429_520_000, package=PACKAGES["a12"], participants=40_000, denominator=150_000,
                            room=100_000)  # fmt: skip
    assert plan.workers == 12_051  # Bengkayang's Rp2.43 billion at Rp201,600 a worker for a year
    assert plan.left == 2_429_520_000 - 12_051 * 201_600
    assert plan.months[0].ucj_hundredths == 3470  # (40,000 + 12,051) / 150,000 = 34.70 %
    half = what_budget_buys(budget=1_000_000, package=PACKAGES["a6"], participants=10, denominator=100, room=5)
    assert half.workers == 5  # the room, not the budget, limits it
    assert [month.participants for month in half.months] == [10] * 6 + [15] * 6


@pytest.mark.parametrize(("percent", "denominator", "participants", "need"), [
    (6080, 1_819_430, 575_504, 530_710),  # the province's 60.80 % on BPJS's July 2025 base
    (6080, 1_000, 608, 0),
    (6080, 1_000, 700, 0),
    (5900, 101, 0, 60),  # ceil(59.59) = 60
])  # fmt: skip
def test_the_need_is_the_whole_workers_that_reach_the_target(percent: int, denominator: int, participants: int,
                                                             need: int) -> None:  # fmt: skip
    assert need_for(percent, denominator, participants) == need


def test_equal_money_raises_the_lowest_ucj_first() -> None:
    low = Regency("61.01", "Sambas", room=800, participants=200, denominator=1_000)  # 20 %
    high = Regency("61.04", "Ketapang", room=400, participants=600, denominator=1_000)  # 60 %
    pots = [Pot("province_apbd", PROVINCE_SCOPE, None, ("a12",))]
    allocation = solve([low, high], pots, PACKAGES, month=12, province_need=500).allocation
    workers = {line.regency: line.workers for line in allocation.lines}
    assert allocation.cost == 500 * 201_600  # the same cost as any other split
    assert workers == {"61.01": 450, "61.04": 50}  # Sambas to 65 %, Ketapang to 65 %: level first
