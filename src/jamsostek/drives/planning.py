"""Planning what the money buys: the workers a budget protects and the UCJ it reaches month by month,
and the cheapest allocation across regencies, funding sources and packages that reaches a target.
Pure Python on integers (no Django): the selectors gather the figures, this decides.

**The model** (``docs/coverage.md``, "Planning enrolment drives"). A plan enrols workers in a
fiscal year. A *package* is what a sponsor pays per worker (JKK and JKM, with or without JHT, for
the last ``months`` months of the year), priced exactly by the rules; a worker enrolled with a
package counts as protected in each month it covers. A *pot* is a funding source available to some
regencies (the province's budget to all of them, a regency's own sources to that regency), with a
budget ceiling or none, and the packages it may pay. Each regency has *room* (workers who could be
enrolled: its unprotected workers, or the checked candidates of its lists) and may have a *need*
(workers to enrol to reach its own target); the province may have a need too. Protection already
counted is assumed to hold until the target month.

**The method.** Only the target month matters for reaching the target, so a pot never gains by a
dearer package covering that month: with a ceiling it buys fewer workers, without one it spends
more for the same count (*dominance*). Each pot therefore uses its cheapest package that covers the
target month, which makes its ceiling a number of workers (``ceiling // cost``). What remains is a
min-cost flow: source -> pot (capacity: its workers) -> regency (cost per worker) -> sink (the need,
which must be met, then the room beyond it). Its constraint matrix is a network matrix, so the
linear programme has an integral optimum, and successive shortest paths reach it: the flow is of
minimum cost when its residual graph has no negative cycle, which ``tests/drives/test_planning.py``
checks on every solution, and which a brute force over every allocation of small problems confirms.
Allocations of the same cost are told apart by a second, lower-order cost that never outweighs a
rupiah: the pot listed first (the order of the sources given), and beyond the needs, the regency
whose UCJ is lowest (each regency's workers beyond its need are priced by the whole percent of UCJ
they take it to, so equal money fills the lowest UCJ first, like water).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

PROVINCE_SCOPE = "*"
"""A pot of this scope may pay in every regency."""


@dataclass(frozen=True)
class PlanPackage:
    """A package: its key, programs, months (the last ``months`` of the fiscal year) and cost per worker."""

    key: str
    with_jht: bool
    months: int
    cost: int

    def covers(self, month: int) -> bool:
        """Whether it protects in ``month`` (1-12) of the fiscal year."""
        return month > 12 - self.months


@dataclass(frozen=True)
class Pot:
    source: str
    scope: str  # a regency code, or PROVINCE_SCOPE
    ceiling: int | None  # rupiah; None: no ceiling
    packages: tuple[str, ...]


@dataclass(frozen=True)
class Regency:
    code: str
    name: str
    room: int
    need: int = 0
    participants: int = 0
    denominator: int | None = None
    """With these, allocations of the same cost raise the lowest UCJ first (see ``levels``)."""


@dataclass(frozen=True)
class Line:
    regency: str
    source: str
    scope: str
    package: str
    workers: int
    cost: int


@dataclass
class Allocation:
    lines: list[Line]
    workers: int
    cost: int
    needed: int
    shortfall: int  # workers the pots and rooms cannot provide
    regency_shortfalls: dict[str, int] = field(default_factory=dict)

    @property
    def reached(self) -> bool:
        return self.shortfall == 0 and not any(self.regency_shortfalls.values())

    def by_regency_and_source(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(regency, source) -> (workers, rupiah)."""
        totals: dict[tuple[str, str], tuple[int, int]] = {}
        for line in self.lines:
            workers, cost = totals.get((line.regency, line.source), (0, 0))
            totals[(line.regency, line.source)] = (workers + line.workers, cost + line.cost)
        return totals


def best_package(pot: Pot, packages: Mapping[str, PlanPackage], month: int) -> PlanPackage | None:
    """The pot's cheapest package covering ``month`` (dominance: no dearer one can do better)."""
    usable = [packages[key] for key in pot.packages if key in packages and packages[key].covers(month)]
    return min(usable, key=lambda package: (package.cost, package.key), default=None)


# --- the min-cost flow ---------------------------------------------------------------------------


class Network:
    """A flow network with integer capacities and costs (successive shortest paths, Dijkstra with
    potentials; the first potentials by Bellman-Ford, as the need edges cost less than nothing)."""

    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []
        self.out: list[list[int]] = [[] for _ in range(nodes)]

    def add(self, tail: int, head: int, capacity: int, cost: int) -> int:
        """An edge and its residual twin; returns the edge's index (its flow: ``flow(index)``)."""
        index = len(self.heads)
        for a, b, cap, c in ((tail, head, capacity, cost), (head, tail, 0, -cost)):
            self.heads.append(b)
            self.caps.append(cap)
            self.costs.append(c)
            self.out[a].append(len(self.heads) - 1)
        return index

    def flow(self, index: int) -> int:
        return self.caps[index ^ 1]

    def tail(self, index: int) -> int:
        return self.heads[index ^ 1]

    def _bellman_ford(self, source: int) -> list[int | None]:
        distance: list[int | None] = [None] * self.nodes
        distance[source] = 0
        for _round in range(self.nodes):
            changed = False
            for node in range(self.nodes):
                here = distance[node]
                if here is None:
                    continue
                for edge in self.out[node]:
                    if self.caps[edge] > 0:
                        there = distance[self.heads[edge]]
                        if there is None or here + self.costs[edge] < there:
                            distance[self.heads[edge]] = here + self.costs[edge]
                            changed = True
            if not changed:
                break
        return distance

    def solve(self, source: int, sink: int, wanted: int) -> int:
        """Send up to ``wanted`` units from ``source`` to ``sink`` at the least cost; returns how many."""
        first = self._bellman_ford(source)
        top = max((abs(d) for d in first if d is not None), default=0)
        potential = [d if d is not None else top for d in first]
        sent = 0
        while sent < wanted:
            distance: list[int | None] = [None] * self.nodes
            via: list[int] = [-1] * self.nodes
            distance[source] = 0
            queue = [(0, source)]
            while queue:
                here, node = heapq.heappop(queue)
                if distance[node] is not None and here > distance[node]:  # type: ignore[operator]
                    continue
                for edge in self.out[node]:
                    if self.caps[edge] <= 0:
                        continue
                    head = self.heads[edge]
                    reduced = self.costs[edge] + potential[node] - potential[head]
                    there = here + reduced
                    if distance[head] is None or there < distance[head]:  # type: ignore[operator]
                        distance[head] = there
                        via[head] = edge
                        heapq.heappush(queue, (there, head))
            if distance[sink] is None:
                break
            for node in range(self.nodes):
                if distance[node] is not None:
                    potential[node] += distance[node]  # type: ignore[operator]
            step = wanted - sent
            node = sink
            while node != source:
                edge = via[node]
                step = min(step, self.caps[edge])
                node = self.tail(edge)
            node = sink
            while node != source:
                edge = via[node]
                self.caps[edge] -= step
                self.caps[edge ^ 1] += step
                node = self.tail(edge)
            sent += step
        return sent

    def negative_cycle(self) -> bool:
        """Whether the residual graph has a cycle of negative cost (then the flow is not of minimum
        cost); Bellman-Ford from every node at once."""
        distance = [0] * self.nodes
        for round_ in range(self.nodes + 1):
            changed = False
            for node in range(self.nodes):
                for edge in self.out[node]:
                    if self.caps[edge] > 0 and distance[node] + self.costs[edge] < distance[self.heads[edge]]:
                        distance[self.heads[edge]] = distance[node] + self.costs[edge]
                        changed = True
            if not changed:
                return False
            if round_ == self.nodes:
                return True
        return True


def levels(regency: Regency, need: int) -> list[tuple[int, int]]:
    """The regency's room beyond its need as (workers, whole percent of UCJ they reach) slices, in
    order; one slice at level 0 without a denominator."""
    beyond = max(0, regency.room) - need
    if not regency.denominator or beyond <= 0:
        return [(beyond, 0)] if beyond > 0 else []
    slices = []
    start = regency.participants + need
    end = start + beyond
    while start < end:
        level = min(100, 100 * start // regency.denominator)
        top = end if level >= 100 else min(end, -(-(level + 1) * regency.denominator // 100))
        slices.append((top - start, level))
        start = top
    return slices


@dataclass
class Solved:
    allocation: Allocation
    network: Network


def allocate(
    regencies: Sequence[Regency],
    pots: Sequence[Pot],
    packages: Mapping[str, PlanPackage],
    *,
    month: int = 12,
    province_need: int = 0,
) -> Allocation:
    """The cheapest allocation that enrols each regency's need and ``province_need`` workers in all,
    protected in ``month`` of the fiscal year (see the module's docstring)."""
    return solve(regencies, pots, packages, month=month, province_need=province_need).allocation


def solve(
    regencies: Sequence[Regency],
    pots: Sequence[Pot],
    packages: Mapping[str, PlanPackage],
    *,
    month: int = 12,
    province_need: int = 0,
) -> Solved:
    """``allocate``, with the network it solved (for its optimality certificate)."""
    chosen = [(pot, best_package(pot, packages, month)) for pot in pots]
    usable = [(pot, package) for pot, package in chosen if package is not None]
    index = {regency.code: position for position, regency in enumerate(regencies)}
    total_room = sum(max(0, regency.room) for regency in regencies)
    needed = max(province_need, sum(min(regency.need, regency.room) for regency in regencies))
    source, first_pot = 0, 1
    first_regency = first_pot + len(usable)
    sink = first_regency + len(regencies)
    network = Network(sink + 1)
    # rupiah first; among equal costs the pot listed first, then the lowest UCJ (``levels``)
    ties = (len(usable) + 1) * 101 + 1
    scale = ties * (needed + 1)
    pot_edges: list[tuple[int, int, Pot, PlanPackage]] = []
    for rank, (pot, package) in enumerate(usable):
        workers = total_room if pot.ceiling is None else min(total_room, pot.ceiling // package.cost)
        network.add(source, first_pot + rank, workers, 0)
        for code, position in index.items():
            if pot.scope in (PROVINCE_SCOPE, code):
                edge = network.add(first_pot + rank, first_regency + position, total_room, package.cost * scale + rank)
                pot_edges.append((edge, position, pot, package))
    largest = max((package.cost * scale + ties for _pot, package in usable), default=1)
    big = largest * (len(pot_edges) + 2) + 1  # more than any path's cost: a need is met before anything else
    for position, regency in enumerate(regencies):
        need = min(max(0, regency.need), max(0, regency.room))
        network.add(first_regency + position, sink, need, -big)
        for workers, level in levels(regency, need):
            network.add(first_regency + position, sink, workers, len(usable) + level)
    sent = network.solve(source, sink, needed)
    lines = []
    for edge, position, pot, package in pot_edges:
        workers = network.flow(edge)
        if workers:
            lines.append(
                Line(regencies[position].code, pot.source, pot.scope, package.key, workers, workers * package.cost)
            )
    reached = {regency.code: 0 for regency in regencies}
    for line in lines:
        reached[line.regency] += line.workers
    shortfalls = {regency.code: max(0, regency.need - reached[regency.code]) for regency in regencies}
    allocation = Allocation(
        lines=sorted(lines, key=lambda line: (line.regency, line.source, line.scope, line.package)),
        workers=sum(line.workers for line in lines),
        cost=sum(line.cost for line in lines),
        needed=needed,
        shortfall=max(0, needed - sent),
        regency_shortfalls={k: v for k, v in shortfalls.items() if v},
    )
    return Solved(allocation, network)


# --- what a budget buys --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    month: int  # 1-12
    participants: int
    denominator: int | None

    @property
    def ucj_hundredths(self) -> int | None:
        """UCJ in hundredths of a percent, rounded half up (as the dashboard rounds it)."""
        if not self.denominator:
            return None
        return (20_000 * self.participants + self.denominator) // (2 * self.denominator)


@dataclass(frozen=True)
class BudgetPlan:
    budget: int
    package: PlanPackage
    workers: int  # the workers the budget pays for (at most the room)
    cost: int
    left: int  # rupiah not spent
    room: int
    months: list[MonthFigure]


def what_budget_buys(
    *, budget: int, package: PlanPackage, participants: int, denominator: int | None, room: int
) -> BudgetPlan:
    """The workers ``budget`` enrols with ``package`` (never more than ``room``), and the UCJ of each
    month of the year with them (``participants`` already protected assumed to hold)."""
    if budget < 0:
        raise ValueError("budget must not be negative")
    workers = min(budget // package.cost, max(0, room))
    months = [
        MonthFigure(month, participants + (workers if package.covers(month) else 0), denominator)
        for month in range(1, 13)
    ]
    return BudgetPlan(budget, package, workers, workers * package.cost, budget - workers * package.cost, room, months)


def need_for(percent_hundredths: int, denominator: int, participants: int) -> int:
    """Workers to enrol so that ``participants`` reach ``percent_hundredths`` / 100 % of ``denominator``."""
    return max(0, -(-percent_hundredths * denominator // 10_000) - participants)
