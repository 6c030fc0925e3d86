"""Benchmark of checking one bank statement against a whole province (a dry run: nothing is posted).

    .venv/bin/python bench/billing.py --keep bench/results/province     # once: bill and pay the province
    .venv/bin/python bench/statement.py [--province bench/results/province] [--rows 15000]

For each database the province was kept for: a statement of ``--rows`` payments of the bills of
the last billed month (the open ones first), checked and allocated by ``payments_import`` with
``dry_run=True``, in a fresh process. It prints the time and the process's peak memory. No goal
was set by an issue; the figures are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(rows: int, directory: Path) -> None:
    import django

    django.setup()
    from django.db import connection

    from jamsostek.contributions.services import payments_import

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reference, total FROM contributions_bill WHERE period = '2026-10-01' "
            "ORDER BY CASE WHEN allocated < total THEN 0 ELSE 1 END, id LIMIT %s",
            [rows],
        )
        bills = cursor.fetchall()
    path = directory / "statement-bench.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transaction_reference", "payment_reference", "amount", "paid_on"])
        for number, (reference, total) in enumerate(bills):
            writer.writerow([f"BENCH{number}", reference, total, "2026-11-10"])
    started = time.perf_counter()
    report = payments_import(actor=None, path=path, dry_run=True)
    seconds = time.perf_counter() - started
    assert report.ok, report.summary()
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps({"rows": len(bills), "seconds": seconds, "max_rss_mb": memory}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province", default=str(ROOT / "bench" / "results" / "province"))
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--rows", type=int, default=15_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows, Path(args.directory))
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from registry_import import machine, run_step

    print(f"machine: {machine()}")
    for kind in args.databases.split(","):
        kept = Path(args.province) / f"{kind}.json"
        if not kept.exists():
            print(f"{kind}: no province in {kept.parent} (run bench/billing.py --keep {kept.parent} first)")
            continue
        province = json.loads(kept.read_text("utf-8"))
        env = {**os.environ, "DATABASE_URL": province["database_url"], "JAMSOSTEK_DATA_DIR": province["data_dir"],
               "DJANGO_SETTINGS_MODULE": "jamsostek.web.settings"}  # fmt: skip
        result = run_step(__file__, "statement", env, "--rows", str(args.rows), "--directory", province["data_dir"])
        print(f"{kind}: a statement of {result['rows']:,} payments checked and allocated (dry run) in "
              f"{float(result['seconds']):.1f} s, peak memory {float(result['max_rss_mb']):.0f} MB")  # type: ignore[arg-type]  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
