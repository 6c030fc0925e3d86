"""The exact cost of a drive's members (and of a planning package), through the rules' batch path:
one row per member and month, every month priced by the law in force that month (a change inside
the fiscal year is priced right), integer rupiah throughout. The rules' scalar path prices one
member of each package once more, for the notes its lines carry (an unconfirmed value), and must
agree with the batch path to the rupiah."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jamsostek.drives.funding import Package
from jamsostek.rules import batch
from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import SEGMENTS, BPUInput

BPU = SEGMENTS.index("bpu")


@dataclass(frozen=True)
class Priced:
    """Each member's cost for the package's months, their sum, and the notes of the rules' lines."""

    per_member: npt.NDArray[np.int64]
    total: int
    notes: tuple[str, ...]


def price(packages: npt.NDArray[np.int64], package_list: list[Package]) -> Priced:
    """The cost of members who each take one of ``package_list`` (``packages[i]`` is member i's
    index into it): ``sum over months of batch.compute(...)["total"]``."""
    if any(package.months < 1 for package in package_list):
        raise ValueError("a package lasts at least one month")
    n = len(packages)
    if n == 0:
        return Priced(np.zeros(0, dtype=np.int64), 0, ())
    months = np.array([package.months for package in package_list], dtype=np.int64)[packages]
    firsts = np.array([package.first.index for package in package_list], dtype=np.int64)[packages]
    incomes = np.array([package.income for package in package_list], dtype=np.int64)[packages]
    jht = np.array([package.with_jht for package in package_list], dtype=bool)[packages]
    member = np.repeat(np.arange(n, dtype=np.int64), months)
    offset = np.arange(len(member), dtype=np.int64) - np.repeat(np.cumsum(months) - months, months)
    table = {
        "segment": np.full(len(member), BPU, dtype=np.int64),
        "period": firsts[member] + offset,
        "income": incomes[member],
        "with_jht": jht[member],
        "months": np.ones(len(member), dtype=np.int64),
    }
    totals = batch.compute(table)["total"]
    # each member's months are consecutive rows: sum them in int64 (bincount would go through floats)
    per_member = np.add.reduceat(totals, np.cumsum(months) - months).astype(np.int64)
    notes: dict[str, None] = {}
    for index in np.unique(packages).tolist():
        notes.update(dict.fromkeys(scalar(package_list[index])[1]))
    return Priced(per_member, int(per_member.sum()), tuple(notes))


def scalar(package: Package) -> tuple[int, tuple[str, ...]]:
    """One member's cost of ``package`` through the rules' scalar path, month by month, and the
    notes of its lines."""
    total = 0
    notes: dict[str, None] = {}
    for offset in range(package.months):
        result = contribution(BPUInput(income=package.income, with_jht=package.with_jht), package.first.plus(offset))
        total += result.totals["total"]
        notes.update(dict.fromkeys(result.warnings))
    return total, tuple(notes)


def per_worker(package: Package) -> int:
    """One worker's cost of ``package`` (the batch path, as for a drive)."""
    return price(np.zeros(1, dtype=np.int64), [package]).total
