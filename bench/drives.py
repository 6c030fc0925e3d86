"""Benchmark of the enrolment drives (issue 17).

    .venv/bin/python bench/drives.py [--databases postgres,sqlite] [--keep DIR] [--rows 200000] [--runs 3]

1. **Check and match a list of names**: ``drives.services.candidate_list_import`` of a 200,000-row
   list (CSV) against the scale-1.0 synthetic registry (about 1.1 million persons and 1.2 million
   memberships, imported first through ``registry.services.import_file``, untimed): every row
   checked (Polars), matched against the registry and the other lists, and written (with one audit
   record for the list). Each run is a fresh process and replaces the previous run's list; the
   province also holds one other list of 100,000 rows (imported once, untimed), half of them people
   of this list. Goal: under 10 s.
2. **The cost of a 100,000-person drive**: ``drives.bulk.costing.price`` (the rules' batch path, one
   row per member and month, twelve months). Goal: under 1 s.
3. **The allocation**: ``drives.planning.solve`` over 14 regencies, 6 funding sources (5 of each
   regency, the province's) and 4 packages, with ceilings, each regency's need and the province's.
   Goal: under 1 s.

The list mixes 60 % people of the registry (protected or lapsed), 37 % new people and 3 % bad rows
(a birth date not the NIK's, a NIK a digit short, a sex that is no sex, the same NIK twice).
``--keep DIR`` keeps the province's files and databases there, and a later run with the same DIR
reuses them (the setup takes minutes). Nothing here is part of ``make test``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 10, 31)
CHECK_GOAL = 10.0
COST_GOAL = 1.0
PLAN_GOAL = 1.0


def load() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg()) + f" on {os.cpu_count()} cores"


def child(mode: str, directory: Path, rows: int) -> None:
    """Runs in a fresh process (DATABASE_URL set): one step, printed as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
    django.setup()
    from django.core.management import call_command

    result: dict[str, object] = {}
    if mode == "setup":
        from jamsostek.registry.services import import_file
        from registry_import import _extras

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        report = import_file(actor=None, kind="employers", path=directory / "employers.csv", reason="bench setup")
        assert report.applied, report.summary()
        _extras(directory)
        for kind in ("persons", "memberships"):
            report = import_file(actor=None, kind=kind, path=directory / f"{kind}.csv", reason="bench setup")
            assert report.ok, report.summary()
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result["seconds"] = time.perf_counter() - started
    elif mode == "check":
        from django.db import connection
        from django.db.models import Count

        from jamsostek.drives.models import Candidate, CandidateList
        from jamsostek.drives.services import candidate_list_import
        from jamsostek.registry.models import Membership, Person

        with connection.cursor() as cursor:  # the previous runs' lists go; the other list of the province stays
            cursor.execute("DELETE FROM drives_candidate WHERE list_id IN (SELECT id FROM drives_candidatelist "
                           "WHERE name = 'Bench list')")  # fmt: skip
            cursor.execute("DELETE FROM drives_candidatelist WHERE name = 'Bench list'")
        if not CandidateList.objects.filter(name="Other list").exists():
            candidate_list_import(
                actor=None, path=directory / "other.csv", name="Other list", source="regsosek",
                source_date=AS_OF - timedelta(days=60), region_code="61", default_category="vulnerable", as_of=AS_OF,
                reason="bench setup",
            )  # fmt: skip
        other_rows = Candidate.objects.exclude(list__name="Bench list").count()
        result["registry"] = {"persons": Person.objects.count(), "memberships": Membership.objects.count(),
                              "rows of other lists": other_rows}  # fmt: skip
        started = time.perf_counter()
        listed = candidate_list_import(
            actor=None,
            path=directory / "candidates.csv",
            name="Bench list",
            source="dtks",
            source_date=AS_OF - timedelta(days=30),
            region_code="61",
            default_category="vulnerable",
            as_of=AS_OF,
            reason="bench",
        )
        result["seconds"] = time.perf_counter() - started
        result["rows"], result["usable"], result["rejected"] = listed.rows, listed.usable, listed.rejected
        result["matches"] = dict(
            Candidate.objects.filter(list=listed, status="usable").values_list("match").annotate(n=Count("id"))
        )
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result, default=str))


def write_list(directory: Path, rows: int, seed: int = 17) -> dict[str, int]:
    """The candidate list: people of the province's files, new people and bad rows, shuffled."""
    rng = random.Random(seed)
    with (directory / "persons.csv").open(encoding="utf-8") as handle:
        known = list(csv.reader(handle))[1:]
    districts = sorted({row[4] for row in known})
    chosen = rng.sample(known, int(rows * 0.60))
    out: list[list[str]] = [[nik, name, birth, sex, district, "", ""] for nik, name, birth, sex, district, *_ in chosen]
    serial = 9_000
    for index in range(int(rows * 0.37)):
        female = rng.random() < 0.45
        birth = AS_OF - timedelta(days=rng.randint(19 * 366, 58 * 365))
        district = districts[index % len(districts)]
        serial = serial + 1 if serial < 9_999 else 9_000
        day = birth.day + (40 if female else 0)
        nik = f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
        out.append([nik, f"Warga Baru {index}", birth.isoformat(), "P" if female else "L", district, "Desa", ""])
    bad = rows - len(out)
    for index in range(bad):
        row = list(out[rng.randrange(len(out))])
        kind = index % 4
        if kind == 0:
            row[2] = (date.fromisoformat(row[2]) + timedelta(days=1)).isoformat()
        elif kind == 1:
            row[0] = row[0][:15]
        elif kind == 2:
            row[3] = "X"
        out.append(row)  # kind 3: the same row again
    rng.shuffle(out)
    header = ["nik", "name", "birth_date", "sex", "district_code", "village", "category"]
    with (directory / "candidates.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(out)
    # the province's other list: a quarter of this one's people and as many others of the registry
    others = [[nik, name, birth, sex, district, "", ""] for nik, name, birth, sex, district, *_ in
              rng.sample(known, rows // 4)]  # fmt: skip
    with (directory / "other.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(out[: rows // 4] + others)
    return {"known": len(chosen), "new": int(rows * 0.37), "bad": bad}


def best_of(runs: int, step: object) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times), result


def cost_and_plan(runs: int) -> tuple[bool, list[str]]:
    """The two computations without a database: a drive's cost and the allocation."""
    import numpy as np

    from jamsostek.drives.bulk.costing import price, scalar
    from jamsostek.drives.funding import Package
    from jamsostek.drives.planning import PROVINCE_SCOPE, PlanPackage, Pot, Regency, solve
    from jamsostek.registry.synth import calibration
    from jamsostek.rules.periods import Month

    lines = []
    package = Package(with_jht=False, income=1_000_000, first=Month(2026, 1), months=12)
    price(np.zeros(10, dtype=np.int64), [package])  # warm up: the rules' parameters are read once
    seconds, priced = best_of(runs, lambda: price(np.zeros(100_000, dtype=np.int64), [package]))
    expected = 100_000 * scalar(package)[0]
    exact = priced.total == expected  # type: ignore[attr-defined]
    lines.append(
        f"  drive cost, 100,000 members x 12 months (1,200,000 batch rows): {seconds:.3f} s "
        f"(goal < {COST_GOAL:.0f} s: {'OK' if seconds < COST_GOAL else 'MISSED'}); "
        f"Rp{priced.total:,} = 100,000 x the scalar path's Rp{expected // 100_000:,}: {exact}"
    )  # type: ignore[attr-defined]
    costs = {"a12": (False, 12), "b12": (True, 12), "a6": (False, 6), "b6": (True, 6)}
    packages = {}
    for key, (with_jht, months) in costs.items():
        first = Month(2026, 13 - months)
        packages[key] = PlanPackage(
            key,
            with_jht,
            months,
            price(
                np.zeros(1, dtype=np.int64), [Package(with_jht=with_jht, income=1_000_000, first=first, months=months)]
            ).total,
        )
    rng = random.Random(5)
    regencies = []
    for plan in calibration(1.0):
        participants = plan.active
        regencies.append(
            Regency(
                plan.code,
                plan.name,
                plan.employed - participants,
                max(0, int(plan.employed * 0.6080) - participants),
                participants,
                plan.employed,
            )
        )
    pots = [Pot("province_apbd", PROVINCE_SCOPE, 50_000_000_000, tuple(packages))]
    for regency in regencies:
        for source in ("regency_apbd", "dana_desa", "add", "dbh_sawit", "csr"):
            ceiling = rng.choice([None, rng.randint(1, 40) * 1_000_000_000])
            pots.append(Pot(source, regency.code, ceiling, tuple(rng.sample(sorted(packages), rng.randint(1, 4)))))
    need = sum(regency.need for regency in regencies)
    solve(regencies, pots, packages, month=12, province_need=need)  # warm up
    seconds, solved = best_of(runs, lambda: solve(regencies, pots, packages, month=12, province_need=need))
    allocation = solved.allocation  # type: ignore[attr-defined]
    certificate = not solved.network.negative_cycle()  # type: ignore[attr-defined]
    lines.append(
        f"  allocation, {len(regencies)} regencies x 6 sources ({len(pots)} pots) x 4 packages: {seconds:.3f} s "
        f"(goal < {PLAN_GOAL:.0f} s: {'OK' if seconds < PLAN_GOAL else 'MISSED'}); {allocation.workers:,} "
        f"workers for Rp{allocation.cost:,}, reached: {allocation.reached}; no negative cycle: {certificate}"
    )
    return exact and certificate and seconds < PLAN_GOAL, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the province's files and databases here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.directory), args.sample)
        return 0
    from registry_import import PG_URL, database_url, generate, machine, run_step

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
    print(f"machine: {machine()}")
    print(f"load: {load()} (before)")
    ok, lines = cost_and_plan(max(args.runs, 5))
    print("computations (best of 5, no database):")
    print("\n".join(lines))
    with tempfile.TemporaryDirectory(prefix="jamsostek-drives-") as scratch:
        base = Path(args.keep).resolve() if args.keep else Path(scratch)
        files = base / "files"
        if not (files / "memberships.csv").exists():
            files.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            from registry_import import persons_at_scale_one

            _scale, counts = generate(files, round(persons_at_scale_one()))
            print(
                f"\nprovince files: {counts['persons']:,} persons, {counts['memberships']:,} memberships "
                f"({time.perf_counter() - started:.0f} s)"
            )
        mix = write_list(files, args.rows)
        print(
            f"list of names: {args.rows:,} rows ({mix['known']:,} of the registry, {mix['new']:,} new, "
            f"{mix['bad']:,} bad or repeated)"
        )
        for kind in args.databases.split(","):
            data_dir = base / kind
            ready = data_dir / "ready.json"
            if kind == "postgres":
                url = PG_URL.format(name="jamsostek_drives_bench")
            else:
                url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
            if not ready.exists():
                data_dir.mkdir(parents=True, exist_ok=True)
                url = database_url(kind, data_dir, name="jamsostek_drives_bench")
                setup = run_step(__file__, "setup", _env(url, data_dir), "--directory", str(files))
                ready.write_text(json.dumps(setup), "utf-8")
                print(f"\n{kind}: registry loaded in {float(setup['seconds']):.0f} s (untimed setup)")  # type: ignore[arg-type]
            print(f"\n{kind}: {load()}")
            times = []
            for run in range(args.runs):
                result = run_step(__file__, "check", _env(url, data_dir), "--directory", str(files))
                seconds = float(result["seconds"])  # type: ignore[arg-type]
                times.append(seconds)
                print(
                    f"  run {run + 1}: {seconds:.2f} s, {result['rows']:,} rows, {result['usable']:,} usable, "
                    f"{result['rejected']:,} rejected; registry {result['registry']}; matches {result['matches']}; "
                    f"peak memory {float(result['max_rss_mb']):.0f} MB"
                )  # type: ignore[arg-type]
            median = statistics.median(times)
            ok = ok and median < CHECK_GOAL
            print(
                f"  check and match a {args.rows:,}-row list: median {median:.2f} s, best {min(times):.2f} s "
                f"(goal < {CHECK_GOAL:.0f} s: {'OK' if median < CHECK_GOAL else 'MISSED'})"
            )
    print(f"\nload: {load()} (after)")
    return 0 if ok else 1


def _env(url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "JAMSOSTEK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "jamsostek.web.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
