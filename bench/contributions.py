"""Benchmark of the contribution rules, one contribution month.

    make bench            (or: .venv/bin/python bench/contributions.py [--rows N] [--repeat K])

1. 1,000,000 synthetic participants of mixed segments and risk classes through the batch path.
   Goal: at most 0.15 s on the 2-core reference machine, peak memory under 1 GB.
2. 1,000,000 PU participants: the batch path against the same arithmetic written as one DuckDB
   SQL query (the baseline). Goal: within 1.5x of DuckDB.
3. The scalar path in a Python loop on a sample, scaled to the same rows. Goal: the batch path
   at least 50x faster.

Figures are the best of ``--repeat`` runs (after one warm-up), wall clock. Results are checked
for equality between the paths before any time is reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np

from jamsostek.rules import batch
from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import BPUInput, JakonInput, PMIInput, PUInput
from jamsostek.rules.periods import Month

PERIOD = Month(2025, 3)
GOAL_MIXED_SECONDS = 0.15
GOAL_MEMORY_BYTES = 1 << 30
GOAL_DUCKDB_RATIO = 1.5
GOAL_SCALAR_SPEEDUP = 50


def synthetic(rows: int, *, pu_only: bool = False, seed: int = 2025) -> dict[str, np.ndarray]:
    """A province-like mix: 62% PU, 30% BPU, 6% Jakon workers and projects, 2% PMI."""
    rng = np.random.default_rng(seed)
    if pu_only:
        segment = np.zeros(rows, dtype=np.int8)
    else:
        segment = rng.choice(np.array([0, 1, 2, 3], dtype=np.int8), size=rows, p=[0.62, 0.30, 0.06, 0.02])
    wage = rng.lognormal(mean=np.log(3_500_000), sigma=0.5, size=rows).astype(np.int64)
    contract = np.where(rng.random(rows) < 0.2, rng.integers(50_000_000, 8_000_000_000, size=rows), -1).astype(np.int64)
    return {
        "segment": segment,
        "period": np.full(rows, PERIOD.index, dtype=np.int64),
        "wage": wage,
        "fixed_allowances": (rng.random(rows) < 0.3) * rng.integers(0, 1_000_000, size=rows),
        "minimum_wage": np.full(rows, 2_878_286, dtype=np.int64),
        "risk_class": rng.integers(1, 6, size=rows),
        "labour_intensive": rng.random(rows) < 0.05,
        "with_jp": rng.random(rows) < 0.8,
        "with_jkp": rng.random(rows) < 0.9,
        "jp_deferral": np.zeros(rows, dtype=bool),
        "paid_on": np.where(
            rng.random(rows) < 0.1,
            np.datetime64("2025-04-15") + rng.integers(-10, 90, size=rows),
            np.datetime64("NaT"),
        ).astype("datetime64[D]"),
        "income": rng.integers(500_000, 6_000_000, size=rows),
        "with_jht": rng.random(rows) < 0.3,
        "with_jkm": rng.random(rows) < 0.95,
        "months": np.where(segment == 3, rng.choice([6, 12, 24, 30], size=rows), 1).astype(np.int64),
        "contract_value": contract,
        "pre_departure": rng.random(rows) < 0.7,
    }


def best_of(repeat: int, function: Callable[[], Any]) -> tuple[float, Any]:
    function()  # warm-up: parameter timeline, thread pool, caches
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory(function: Callable[[], Any]) -> int:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


DUCKDB_SQL = """
WITH base AS (
    SELECT greatest(wage + fixed_allowances, minimum_wage) AS base, risk_class, with_jp, with_jkp
    FROM people
), rates AS (
    SELECT base, with_jp, with_jkp,
           CASE risk_class WHEN 1 THEN 2400 WHEN 2 THEN 5400 WHEN 3 THEN 8900
                           WHEN 4 THEN 12700 ELSE 17400 END AS jkk_rate,
           least(base, {jp_cap}) * with_jp::BIGINT AS jp_base,
           least(base, {jkp_cap}) * with_jkp::BIGINT AS jkp_base
    FROM base
)
SELECT
    sum((base * 2 * jkk_rate + 1000000) // 2000000) AS jkk_employer,
    sum((base * 2 * 3000 + 1000000) // 2000000) AS jkm_employer,
    sum((base * 2 * 37000 + 1000000) // 2000000) AS jht_employer,
    sum((base * 2 * 20000 + 1000000) // 2000000) AS jht_worker,
    sum((jp_base * 2 * 20000 + 1000000) // 2000000) AS jp_employer,
    sum((jp_base * 2 * 10000 + 1000000) // 2000000) AS jp_worker,
    sum((jkp_base * 2 * 2200 + 1000000) // 2000000) AS jkp_government_information,
    sum((jkp_base * 2 * 1400 + 1000000) // 2000000) AS jkp_employer_information
FROM rates
"""


def duckdb_time(table: dict[str, np.ndarray], repeat: int) -> tuple[float, dict[str, int]]:
    connection = duckdb.connect()
    connection.execute(f"SET threads TO {os.cpu_count() or 1}")
    people = {
        name: table[name] for name in ("wage", "fixed_allowances", "minimum_wage", "risk_class", "with_jp", "with_jkp")
    }
    connection.register("people_frame", people)  # a dict of numpy arrays, zero-copy scan
    connection.execute("CREATE TABLE people AS SELECT * FROM people_frame")
    sql = DUCKDB_SQL.format(jp_cap=10_547_400, jkp_cap=5_000_000)
    names = [
        "jkk_employer", "jkm_employer", "jht_employer", "jht_worker", "jp_employer", "jp_worker",
        "jkp_government_information", "jkp_employer_information",
    ]  # fmt: skip
    seconds, row = best_of(repeat, lambda: connection.execute(sql).fetchone())
    return seconds, dict(zip(names, (int(value) for value in row), strict=True))


def scalar_inputs(table: dict[str, np.ndarray], index: int) -> Any:
    segment = int(table["segment"][index])
    if segment == 0:
        paid = table["paid_on"][index]
        return PUInput(
            wage=int(table["wage"][index]),
            fixed_allowances=int(table["fixed_allowances"][index]),
            minimum_wage=int(table["minimum_wage"][index]),
            risk_class=int(table["risk_class"][index]),
            labour_intensive=bool(table["labour_intensive"][index]),
            with_jp=bool(table["with_jp"][index]),
            with_jkp=bool(table["with_jkp"][index]),
            jp_deferral=bool(table["jp_deferral"][index]),
            paid_on=None if np.isnat(paid) else paid.astype(object),
        )
    if segment == 1:
        return BPUInput(
            income=int(table["income"][index]),
            with_jht=bool(table["with_jht"][index]),
            with_jkm=bool(table["with_jkm"][index]),
        )
    if segment == 2:
        value = int(table["contract_value"][index])
        return JakonInput(contract_value=value) if value >= 0 else JakonInput(wages=(int(table["wage"][index]),))
    return PMIInput(months=int(table["months"][index]), pre_departure=bool(table["pre_departure"][index]))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = f"Python {platform.python_version()}, numpy {np.__version__}, duckdb {duckdb.__version__}"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from registry_import import speed

    return f"{cpu}, {os.cpu_count()} cores, {versions}; {speed()}"


BATCH_UFUNCS = ("multiply", "add", "floor_divide", "minimum", "maximum")
"""The int64 ufuncs the PU kernel spends its time in (one rounding: multiply, add, divide)."""


def numpy_kernels() -> str:
    """Which SIMD code numpy runs here: the build's baseline and the extensions found on this CPU
    (``numpy.show_config``), and the kernel each int64 ufunc of the batch path dispatches to
    (``numpy.lib.introspect.opt_func_info``). On a CPU without AVX-512 (X86_V4) the int64
    ``floor_divide`` of every rounding runs the X86_V3 (AVX2) kernel, measured here at about half
    the speed (docs/performance.md)."""
    from numpy.lib import introspect

    config = np.show_config(mode="dicts")
    simd = config.get("SIMD Extensions", {})
    compiler = config.get("Compilers", {}).get("c", {})
    dispatched = []
    for name in BATCH_UFUNCS:
        info = introspect.opt_func_info(func_name=f"^{name}$", signature="l.*").get(name, {})
        current = info.get("lll", {}).get("current", "?")
        dispatched.append(f"{name} {current}")
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    return (
        f"numpy {np.__version__} built with {compiler.get('name', '?')} {compiler.get('version', '')}; SIMD baseline "
        f"{' '.join(simd.get('baseline', []))}, found {' '.join(simd.get('found', [])) or '-'}, not found "
        f"{' '.join(simd.get('not found', [])) or '-'}" + (f", disabled {disabled}" if disabled else "") + "\n"
        f"int64 kernels: {', '.join(dispatched)}"
    )


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the scalar loop")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.rows < 1 or args.repeat < 1 or args.sample < 1:
        parser.error("--rows, --repeat and --sample must be at least 1")
    rows = args.rows
    print(f"machine: {machine()}")
    print(numpy_kernels())
    chunks = batch.chunks_for(rows, os.cpu_count() or 1)
    print(
        f"batch path: {len(chunks)} chunks of {chunks[0].stop:,} rows (at most {batch.CHUNK:,}) "
        f"on {os.cpu_count()} thread(s)"
    )
    print(f"period: {PERIOD}, rows: {rows:,}, best of {args.repeat} runs\n")

    mixed = synthetic(rows)
    mixed_seconds, mixed_out = best_of(args.repeat, lambda: batch.compute(mixed))
    peak = peak_memory(lambda: batch.compute(mixed))
    counts = np.bincount(mixed["segment"], minlength=4)
    print("1. mixed segments through the batch path")
    print(f"   rows by segment: PU {counts[0]:,} · BPU {counts[1]:,} · Jakon {counts[2]:,} · PMI {counts[3]:,}")
    print(f"   total billed: Rp{int(mixed_out['total'].sum()):,}")
    mixed_ok = verdict(mixed_seconds <= GOAL_MIXED_SECONDS)
    print(f"   time {mixed_seconds:.3f} s (goal <= {GOAL_MIXED_SECONDS} s: {mixed_ok})")
    print(
        f"   peak memory allocated during the run {peak / 2**20:.0f} MiB "
        f"(goal < 1024 MiB: {verdict(peak < GOAL_MEMORY_BYTES)})\n"
    )

    pu = synthetic(rows, pu_only=True, seed=7)
    pu["labour_intensive"][:] = False
    pu["paid_on"][:] = np.datetime64("NaT")
    pu_seconds, pu_out = best_of(args.repeat, lambda: batch.compute(pu))
    duck_seconds, duck_sums = duckdb_time(pu, args.repeat)
    for name, value in duck_sums.items():
        assert int(pu_out[name].sum()) == value, f"DuckDB and the batch path disagree on {name}"
    ratio = pu_seconds / duck_seconds
    print("2. PU only: batch path against one DuckDB SQL query (same arithmetic, same sums)")
    print(
        f"   batch {pu_seconds:.3f} s · DuckDB {duck_seconds:.3f} s · ratio {ratio:.2f}x "
        f"(goal <= {GOAL_DUCKDB_RATIO}x: {verdict(ratio <= GOAL_DUCKDB_RATIO)})\n"
    )

    sample = min(args.sample, rows)
    inputs = [scalar_inputs(mixed, index) for index in range(sample)]
    start = time.perf_counter()
    totals = [contribution(item, PERIOD).totals["total"] for item in inputs]
    scalar_seconds = time.perf_counter() - start
    assert totals == [int(value) for value in mixed_out["total"][:sample]], "scalar and batch disagree"
    scaled = scalar_seconds * rows / sample
    speedup = scaled / mixed_seconds
    print(
        f"3. scalar path in a Python loop: {sample:,} rows in {scalar_seconds:.2f} s, "
        f"scaled to {rows:,}: {scaled:.1f} s"
    )
    print(
        f"   batch is {speedup:,.0f}x faster (goal >= {GOAL_SCALAR_SPEEDUP}x: "
        f"{verdict(speedup >= GOAL_SCALAR_SPEEDUP)})\n"
    )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (whole benchmark, incl. DuckDB and the scalar sample): {max_rss:.0f} MiB")
    ok = (
        mixed_seconds <= GOAL_MIXED_SECONDS
        and peak < GOAL_MEMORY_BYTES
        and ratio <= GOAL_DUCKDB_RATIO
        and speedup >= GOAL_SCALAR_SPEEDUP
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
