"""Benchmark of monthly billing and protection status on a whole synthetic province.

    .venv/bin/python bench/billing.py [--scale 1.0] [--months 12] [--databases postgres,sqlite] [--keep DIR]
    .venv/bin/python bench/billing.py --status-only DIR     # the status step again on a kept province
    .venv/bin/python bench/billing.py --next-month DIR      # one more month, on a copy of a kept province

For each database, in fresh processes: load the synthetic province (untimed setup), bill the
last ``--months`` months one run each, post a synthetic bank statement, let the database tidy up
after the bulk posting (``VACUUM ANALYZE``, as autovacuum would), then derive the protection
status of every membership for those months.

``--next-month`` measures what the twelve runs above do not see: a run once the tables hold a
year of bills, payments, credits and fines. On a copy of each kept province (untimed; the copy is
dropped afterwards) it bills the month after the last billed one, in a fresh process, timed up to
and including the commit.

Goals: one monthly billing run persisted in at most 30 s on PostgreSQL and 60 s on SQLite; the
status for 12 months in at most 10 s; peak memory under 2 GB. Baseline: the same billing written
with the ORM one bill at a time (scalar rules, ``save()`` per bill and line) on a sample of about
10,000 memberships, scaled to the province.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
AS_OF = date(2026, 10, 31)
GOALS = {"postgres": 30.0, "sqlite": 60.0}
STATUS_GOAL = 10.0
MEMORY_GOAL_MB = 2048


def child(step: str, directory: Path, months: int, sample: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
    django.setup()
    from django.utils import translation

    from jamsostek.rules.periods import Month

    translation.activate("en")  # the summaries printed here (Django's default language is Indonesian)

    last = Month.of(AS_OF)
    first = last.plus(1 - months)
    result: dict[str, object] = {}
    started = time.perf_counter()
    if step == "setup":
        from django.core.management import call_command

        from jamsostek.registry.services import import_file
        from registry_import import _extras

        call_command("migrate", verbosity=0)
        for kind in ("employers", "persons", "memberships"):
            if kind == "persons":
                _extras(directory)
            report = import_file(actor=None, kind=kind, path=directory / f"{kind}.csv", reason="bench setup")
            assert report.ok, report.summary()
        result["memberships"] = report.total
    elif step == "bill":
        from jamsostek.contributions.services import billing_run

        runs = []
        month = first
        while month <= last:
            run = billing_run(actor=None, period=month)
            runs.append({"period": str(month), "seconds": run.seconds, "bills": run.bills, "lines": run.lines})
            month = month.plus(1)
        result["runs"] = runs
    elif step == "bill_next":
        from jamsostek.contributions.services import billing_run

        run = billing_run(actor=None, period=last.plus(1))
        result["run"] = {"period": str(last.plus(1)), "seconds": run.seconds, "bills": run.bills, "lines": run.lines}
    elif step == "pay":
        from jamsostek.contributions.simulate import simulate_payments

        report = simulate_payments(seed=2025, as_of=date(2026, 11, 20), directory=directory / "statements")
        assert report.ok, report.summary()
        result["summary"] = report.summary()
    elif step == "maintain":  # what autovacuum does after a bulk posting: the status reads fresh tables
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)  # a province kept by an older version gets the current schema
        result["migrate_seconds"] = time.perf_counter() - started
        vacuum_started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        result["vacuum_seconds"] = time.perf_counter() - vacuum_started
    elif step == "status":
        import polars as pl

        from jamsostek.contributions.selectors.status import derive_status

        frame = derive_status(first, last, as_of=date(2026, 11, 20))
        result["rows"] = frame.height
        result["protected"] = int(frame["protected"].sum())
        result["by_month"] = frame.group_by("month").agg(pl.col("protected").sum()).sort("month")["protected"].to_list()
    elif step == "baseline":
        result.update(_baseline(last, sample))
    result["seconds"] = time.perf_counter() - started
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result, default=str))


def _baseline(period: object, sample: int) -> dict[str, object]:
    """The month billed the naive way: the ORM, one bill and one line at a time, scalar rules."""
    from django.db import transaction
    from django.utils import timezone

    from jamsostek.contributions.bulk.billing import active_members, payer_keys
    from jamsostek.contributions.models import Bill, BillingRun, BillLine
    from jamsostek.contributions.services import rules_version
    from jamsostek.rules.contributions import contribution
    from jamsostek.rules.model import BPUInput, JakonInput, PMIInput, PUInput

    month = period.plus(1)  # type: ignore[attr-defined]
    from django.db import connection

    members = payer_keys(active_members(connection, month))
    keys = members["payer_key"].unique(maintain_order=True)
    chosen, count = [], 0
    counts = dict(members.group_by("payer_key").len().iter_rows())
    for key in keys:
        chosen.append(key)
        count += counts[key]
        if count >= sample:
            break
    sample_rows = members.filter(members["payer_key"].is_in(chosen))
    started = time.perf_counter()
    with transaction.atomic():
        run = BillingRun.objects.create(period=month.first_day, started_at=timezone.now(), actor_label="baseline")
        version = rules_version(month)
        for key in chosen:
            rows = sample_rows.filter(sample_rows["payer_key"] == key).iter_rows(named=True)
            lines = []
            for row in rows:
                segment = row["segment"]
                if segment == "pu":
                    inputs = PUInput(wage=row["wage"], fixed_allowances=row["fixed_allowances"],
                                     risk_class=row["risk_class"] or 1, with_jp=row["with_jp"],
                                     with_jkp=row["with_jkp"],
                                     labour_intensive=bool(row["labour_intensive"]))  # fmt: skip
                elif segment == "bpu":
                    inputs = BPUInput(income=row["wage"], with_jht=row["with_jht"], with_jkm=row["with_jkm"])
                elif segment == "jakon":
                    inputs = JakonInput(wages=(row["wage"],))
                else:
                    inputs = PMIInput(months=row["contract_months"] or 1, pre_departure=row["pre_departure"])
                totals = contribution(inputs, month).totals
                lines.append((row, totals))
            bill = Bill(period=month.first_day, payer_kind=key.split(":")[0], payer_id=int(key.split(":")[1]),
                        payer_key=key, payer_name=key, regency_id="61", reference=f"BASE{key}",
                        due_date=month.last_day, employer_amount=sum(t["employer"] for _, t in lines),
                        worker_amount=sum(t["worker"] for _, t in lines),
                        participant_amount=sum(t["participant"] for _, t in lines), fines=0,
                        total=sum(t["total"] for _, t in lines), members=len(lines), run=run,
                        created_at=timezone.now())  # fmt: skip
            bill.save()
            for row, totals in lines:
                BillLine(bill=bill, membership_id=row["membership_id"], segment=row["segment"], wage=row["wage"],
                         employer_share=totals["employer"], worker_share=totals["worker"],
                         participant_share=totals["participant"], total=totals["total"],
                         rules=version).save()  # fmt: skip
        transaction.set_rollback(True)
    return {"baseline_seconds": time.perf_counter() - started, "baseline_lines": sample_rows.height,
            "province_lines": members.height}  # fmt: skip


def run_child(step: str, url: str, directory: Path, data_dir: Path, months: int, sample: int = 0) -> dict[str, object]:
    from registry_import import run_step

    env = {**os.environ, "DATABASE_URL": url, "JAMSOSTEK_DATA_DIR": str(data_dir),
           "DJANGO_SETTINGS_MODULE": "jamsostek.web.settings", "PYTHONPATH": str(ROOT / "bench")}  # fmt: skip
    return run_step(
        __file__, step, env, "--directory", str(directory), "--months", str(months), "--sample", str(sample)
    )


def status_again(keep: Path, kinds: list[str], months: int) -> int:
    """The status step alone, on the billed and paid province ``--keep`` left (the billing runs and
    payments of that run stand)."""
    ok = True
    for kind in kinds:
        kept = json.loads((keep / f"{kind}.json").read_text("utf-8"))
        url, data_dir = kept["database_url"], Path(kept["data_dir"])
        maintain = run_child("maintain", url, keep / "files", data_dir, months)
        status = run_child("status", url, keep / "files", data_dir, months)
        seconds, memory = float(status["seconds"]), float(status["max_rss_mb"])  # type: ignore[arg-type]
        ok = ok and seconds <= STATUS_GOAL and memory < MEMORY_GOAL_MB
        print(f"{kind} (kept province, {kept['memberships']:,} memberships; "
              f"{'VACUUM ANALYZE' if kind == 'postgres' else 'ANALYZE'} {float(maintain['vacuum_seconds']):.0f} s):")  # type: ignore[arg-type]  # fmt: skip
        print(f"  status, {months} months: {status['rows']:,} membership-months, {status['protected']:,} protected, "
              f"in {seconds:.1f} s (goal <= {STATUS_GOAL:.0f} s: {'OK' if seconds <= STATUS_GOAL else 'MISSED'}); "
              f"peak memory {memory:.0f} MB (goal < {MEMORY_GOAL_MB} MB: "
              f"{'OK' if memory < MEMORY_GOAL_MB else 'MISSED'})")  # fmt: skip
    return 0 if ok else 1


def next_month(keep: Path, kinds: list[str], months: int) -> int:
    """The billing run of the month after the kept province's last, on a copy of it."""
    import sqlite3
    import subprocess

    from registry_import import PG_URL

    ok = True
    for kind in kinds:
        kept = json.loads((keep / f"{kind}.json").read_text("utf-8"))
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="jamsostek-next-", dir=keep) as scratch:
            data_dir = Path(scratch)
            shutil.copy(Path(kept["data_dir"]) / "secret_key", data_dir / "secret_key")
            if kind == "postgres":
                name, source = "jamsostek_bench_next", kept["database_url"].rsplit("/", 1)[1]

                def psql(sql: str) -> None:
                    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True,
                                   capture_output=True)  # fmt: skip

                psql(f"DROP DATABASE IF EXISTS {name}")
                psql(f"CREATE DATABASE {name} TEMPLATE {source}")
                url = PG_URL.format(name=name)
            else:
                original = sqlite3.connect(Path(kept["data_dir"]) / "bench.sqlite3")
                copy = sqlite3.connect(data_dir / "bench.sqlite3")
                original.backup(copy)
                copy.close()
                original.close()
                url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
            copied = time.perf_counter() - started
            try:
                maintain = run_child("maintain", url, keep / "files", data_dir, months)
                # the copy's and the maintenance's writes reach the disk before the run, not during it
                if kind == "postgres":
                    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-q", "-c", "CHECKPOINT"],
                                   check=True, capture_output=True)  # fmt: skip
                os.sync()
                result = run_child("bill_next", url, keep / "files", data_dir, months)
            finally:
                if kind == "postgres":
                    psql(f"DROP DATABASE IF EXISTS {name}")
        run = result["run"]
        assert isinstance(run, dict)
        seconds = float(run["seconds"])
        memory = float(result["max_rss_mb"])  # type: ignore[arg-type]
        good = seconds <= GOALS[kind] and memory < MEMORY_GOAL_MB
        ok = ok and good
        print(f"{kind} (copy of the kept province, {kept['memberships']:,} memberships, a year of bills and "
              f"payments; copied in {copied:.0f} s, migrated in {float(maintain['migrate_seconds']):.0f} s, then "  # type: ignore[arg-type]
              f"{'VACUUM ANALYZE' if kind == 'postgres' else 'ANALYZE'} {float(maintain['vacuum_seconds']):.0f} s):")  # type: ignore[arg-type]  # fmt: skip
        print(f"  billing run {run['period']}: {run['bills']:,} bills, {run['lines']:,} lines in {seconds:.1f} s, "
              f"commit included (goal <= {GOALS[kind]:.0f} s: {'OK' if seconds <= GOALS[kind] else 'MISSED'}); "
              f"peak memory {memory:.0f} MB")  # fmt: skip
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--sample", type=int, default=10_000, help="memberships for the ORM baseline")
    parser.add_argument("--keep", metavar="DIR", help="keep the files and databases in DIR (for bench/coverage.py)")
    parser.add_argument(
        "--status-only",
        metavar="DIR",
        help="on the province kept in DIR: only the status derivation again (after a change to it)",
    )
    parser.add_argument(
        "--next-month",
        metavar="DIR",
        help="on a copy of the province kept in DIR: the billing run of the following month (a year of history)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.directory), args.months, args.sample)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
    from jamsostek.registry.synth import Generator
    from registry_import import database_url, machine

    print(f"machine: {machine()}")
    if args.status_only:
        return status_again(Path(args.status_only), args.databases.split(","), args.months)
    if args.next_month:
        return next_month(Path(args.next_month).resolve(), args.databases.split(","), args.months)
    ok = True
    keep = Path(args.keep).resolve() if args.keep else None
    with tempfile.TemporaryDirectory(prefix="jamsostek-billing-") as scratch:
        temp = keep or Path(scratch)
        if keep:  # start afresh for the databases measured now; another database's province stays
            keep.mkdir(parents=True, exist_ok=True)
            for kind in ("files", *args.databases.split(",")):
                shutil.rmtree(keep / kind, ignore_errors=True)
                (keep / f"{kind}.json").unlink(missing_ok=True)
        directory = Path(temp) / "files"
        started = time.perf_counter()
        files = Generator(scale=args.scale, seed=2025, as_of=AS_OF).write(directory)
        (directory / "extras.json").write_text(
            json.dumps({"sponsors": files.sponsors, "projects": files.projects}, default=str), "utf-8"
        )
        print(f"synthetic province, scale {args.scale}: {files.counts['persons']:,} persons, "
              f"{files.counts['memberships']:,} memberships ({time.perf_counter() - started:.0f} s)\n")  # fmt: skip
        for kind in args.databases.split(","):
            data_dir = Path(temp) / kind
            data_dir.mkdir()
            url = database_url(kind, data_dir, name="jamsostek_bench_province" if keep else "jamsostek_bench")
            setup = run_child("setup", url, directory, data_dir, args.months)
            bill = run_child("bill", url, directory, data_dir, args.months)
            runs = bill["runs"]
            assert isinstance(runs, list)
            pay = run_child("pay", url, directory, data_dir, args.months)
            maintain = run_child("maintain", url, directory, data_dir, args.months)
            status = run_child("status", url, directory, data_dir, args.months)
            baseline = run_child("baseline", url, directory, data_dir, args.months, args.sample)
            if keep:  # bench/coverage.py measures its indicators on this billed and paid province
                (keep / f"{kind}.json").write_text(json.dumps({
                    "database_url": url, "data_dir": str(data_dir), "scale": args.scale, "months": args.months,
                    "as_of": AS_OF.isoformat(), "memberships": setup["memberships"]}), "utf-8")  # fmt: skip
            worst = max(float(run["seconds"]) for run in runs)
            last = runs[-1]
            # the goal is the billing run's and the status derivation's; posting a year of payments for
            # the whole province as one bank statement is setup, its memory reported apart
            memory = max(float(step["max_rss_mb"]) for step in (bill, status))  # type: ignore[arg-type]
            status_seconds = float(status["seconds"])  # type: ignore[arg-type]
            scaled = (
                float(baseline["baseline_seconds"])
                * int(baseline["province_lines"])
                / int(  # type: ignore[arg-type,call-overload]
                    baseline["baseline_lines"]
                )
            )  # type: ignore[call-overload]
            ok = ok and worst <= GOALS[kind] and status_seconds <= STATUS_GOAL and memory < MEMORY_GOAL_MB
            print(f"{kind}:")
            print(f"  setup (import the province): {float(setup['seconds']):.0f} s")  # type: ignore[arg-type]
            print("  billing runs: " + ", ".join(f"{run['period']} {float(run['seconds']):.1f} s" for run in runs))
            print(f"  one month ({last['period']}): {last['bills']:,} bills, {last['lines']:,} lines in "
                  f"{float(last['seconds']):.1f} s; slowest month {worst:.1f} s (goal <= {GOALS[kind]:.0f} s: "
                  f"{'OK' if worst <= GOALS[kind] else 'MISSED'})")  # fmt: skip
            print(f"  payments: {pay['summary']} ({float(pay['seconds']):.0f} s); then "  # type: ignore[arg-type]
                  f"{'VACUUM ANALYZE' if kind == 'postgres' else 'ANALYZE'} ({float(maintain['seconds']):.0f} s)")  # type: ignore[arg-type]  # fmt: skip
            print(f"  status, {args.months} months: {status['rows']:,} membership-months, {status['protected']:,} "
                  f"protected, in {status_seconds:.1f} s (goal <= {STATUS_GOAL:.0f} s: "
                  f"{'OK' if status_seconds <= STATUS_GOAL else 'MISSED'})")  # fmt: skip
            rss = {name: float(step["max_rss_mb"]) for name, step in (("bill", bill), ("status", status),  # type: ignore[arg-type]
                                                                   ("pay", pay))}  # fmt: skip
            print(f"  peak memory: billing {rss['bill']:.0f} MB, status {rss['status']:.0f} MB "
                  f"(goal < {MEMORY_GOAL_MB} MB: {'OK' if memory < MEMORY_GOAL_MB else 'MISSED'}); "
                  f"posting the payments (setup) {rss['pay']:.0f} MB")  # fmt: skip
            print(f"  baseline (ORM, one bill and line at a time): {float(baseline['baseline_seconds']):.1f} s for "  # type: ignore[arg-type]
                  f"{baseline['baseline_lines']:,} lines, scaled to {baseline['province_lines']:,}: {scaled:.0f} s "
                  f"({scaled / float(last['seconds']):.0f}x the batch run)\n")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
