"""Benchmark of the coverage indicators (UCJ) on a whole synthetic province.

    .venv/bin/python bench/billing.py --keep bench/results/province     # once: bill and pay the province
    .venv/bin/python bench/coverage.py [--province bench/results/province] [--databases postgres,sqlite]

For each database ``bench/billing.py --keep`` left a billed and paid province in (scale 1.0: about
1.1 million persons and 1.2 million memberships, 12 months of bills and payments):

1. **Recompute**: ``jamsostek.coverage.bulk.compute.recompute`` of the 12 billed months (protected
   participants per district, month, segment and payer, written to the database), each run in a
   fresh process. Goal: at most 5 s.
2. **Dashboard API**: the app served by ``jamsostek serve`` (waitress, 8 threads) on loopback;
   20 clients, each logged in with its own session and keeping its connection open, ask the
   dashboard's endpoints in turn (province summary, regency ranking, a regency with its districts,
   a regency's trend, the computed months) for 30 s. Goal: p95 under 150 ms with no errors.
   The dashboard page itself (HTML) is then measured the same way for information.

Clients and server share the machine's cores. Nothing here is part of ``make test``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 20)  # payments known on this day (bench/billing.py pays up to it)
RECOMPUTE_GOAL = 5.0
P95_GOAL_MS = 150.0
REGENCIES = ["61.01", "61.02", "61.03", "61.04", "61.05", "61.06", "61.07", "61.08", "61.09", "61.10",
             "61.11", "61.12", "61.71", "61.72"]  # fmt: skip


def api_paths(index: int) -> list[str]:
    """The requests of one dashboard visit, the regency varying from client to client and visit to visit."""
    code = REGENCIES[index % len(REGENCIES)]
    return ["/api/coverage/summary", "/api/coverage/regencies", f"/api/coverage/regions/{code}",
            f"/api/coverage/regions/{code}/trend", "/api/coverage/months"]  # fmt: skip


def page_paths(index: int) -> list[str]:
    """The dashboard page and a regency's page (HTML)."""
    return ["/coverage/", f"/coverage/{REGENCIES[index % len(REGENCIES)]}/"]


def child(step: str, months: int, clients: int) -> None:
    import django

    django.setup()
    from jamsostek.rules.periods import Month

    last = Month.of(date(2026, 10, 31))
    first = last.plus(1 - months)
    result: dict[str, object] = {}
    if step == "prepare":
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from jamsostek.accounts.models import Role, User

        call_command("migrate", verbosity=0)
        call_command("coverage", "reference", verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        user, _created = User.objects.get_or_create(username="bench-analyst")
        user.role, user.is_active = Role.PROVINCIAL_ANALYST, True
        user.save()
        sessions = []
        for _client in range(clients):
            browser = Client()
            browser.force_login(user)
            sessions.append(browser.cookies["sessionid"].value)
        result["sessions"] = sessions
    elif step == "recompute":
        from jamsostek.coverage.bulk.compute import recompute
        from jamsostek.coverage.models import CoverageFact

        started = time.perf_counter()
        computation = recompute(first=first, last=last, as_of=AS_OF)
        result["seconds"] = time.perf_counter() - started
        result["rows"] = computation.rows
        result["province_latest"] = sum(
            CoverageFact.objects.filter(period=last.first_day, segment="all", payer_group="all").values_list(
                "persons", flat=True
            )
        )
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result, default=str))


def run_child(step: str, env: dict[str, str], months: int, clients: int) -> dict[str, object]:
    from registry_import import run_step

    return run_step(__file__, step, env, "--months", str(months), "--clients", str(clients))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(
    env: dict[str, str], port: int, log: Path, workers: int = 1, threads: int | None = None
) -> subprocess.Popen[bytes]:
    """``jamsostek serve`` on ``port``, its output to ``log`` (a pipe nobody reads would fill and stall it);
    ``threads`` per process, or serve's default."""
    command = [str(Path(sys.executable).parent / "jamsostek"), "serve", "--port", str(port), "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def get(connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Accept": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def load(port: int, sessions: list[str], seconds: float, paths_of: Callable[[int], list[str]]) -> dict[str, object]:
    """``len(sessions)`` clients asking their paths in turn for ``seconds``: latencies per endpoint."""
    samples: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int, cookie: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[tuple[str, float, int]] = []
        visit = number
        while time.monotonic() < stop:
            for path in paths_of(visit):
                started = time.perf_counter()
                try:
                    status, _body = get(connection, path, cookie)
                except (OSError, http.client.HTTPException):
                    status = 0
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append((path, (time.perf_counter() - started) * 1000, status))
            visit += len(sessions)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(n, cookie)) for n, cookie in enumerate(sessions)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(ms for _path, ms, _status in samples)
    by_endpoint: dict[str, list[float]] = {}
    for path, ms, _status in samples:
        name = path.replace("/api/coverage/", "")
        for code in REGENCIES:
            name = name.replace(code, "{code}")
        by_endpoint.setdefault(name, []).append(ms)
    return {
        "requests": len(samples),
        "errors": sum(1 for _path, _ms, status in samples if status != 200),
        "seconds": elapsed,
        "per_second": len(samples) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else 0.0,
        "endpoints": {name: {"n": len(values), "p50": percentile(sorted(values), 50),
                             "p95": percentile(sorted(values), 95)} for name, values in sorted(by_endpoint.items())},
    }  # fmt: skip


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(pct / 100 * len(values) + 0.5) - 1))]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province", default=str(ROOT / "bench" / "results" / "province"))
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3, help="recompute runs, each in a fresh process")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--page-seconds", type=float, default=10.0, help="the HTML dashboard, for information")
    parser.add_argument("--only", choices=["recompute", "api"], help="one part only")
    parser.add_argument("--workers", type=int, default=1, help="server processes (jamsostek serve --workers)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.months, args.clients)
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from registry_import import machine

    print(f"machine: {machine()}")
    ok = True
    for kind in args.databases.split(","):
        kept = Path(args.province) / f"{kind}.json"
        if not kept.exists():
            print(f"{kind}: no province in {kept.parent} (run bench/billing.py --keep {kept.parent} first)")
            ok = False
            continue
        province = json.loads(kept.read_text("utf-8"))
        env = {**os.environ, "DATABASE_URL": province["database_url"], "JAMSOSTEK_DATA_DIR": province["data_dir"],
               "DJANGO_SETTINGS_MODULE": "jamsostek.web.settings"}  # fmt: skip
        print(f"{kind}: scale {province['scale']}, {province['memberships']:,} memberships, "
              f"{province['months']} months billed")  # fmt: skip
        prepared = run_child("prepare", env, args.months, args.clients)
        if args.only in (None, "recompute"):
            runs = [run_child("recompute", env, args.months, args.clients) for _run in range(args.repeat)]
            seconds = [float(run["seconds"]) for run in runs]  # type: ignore[arg-type]
            median = statistics.median(seconds)
            memory = max(float(run["max_rss_mb"]) for run in runs)  # type: ignore[arg-type]
            ok = ok and median <= RECOMPUTE_GOAL
            print(f"  recompute {args.months} months: " + ", ".join(f"{s:.2f} s" for s in seconds)
                  + f"; median {median:.2f} s (goal <= {RECOMPUTE_GOAL:.0f} s: "
                  f"{'OK' if median <= RECOMPUTE_GOAL else 'MISSED'}); {runs[-1]['rows']:,} fact rows; "
                  f"{runs[-1]['province_latest']:,} protected persons in the latest month; "
                  f"peak memory {memory:.0f} MB")  # fmt: skip
        if args.only in (None, "api"):
            sessions = prepared["sessions"]
            assert isinstance(sessions, list)
            port = free_port()
            server = serve(env, port, Path(args.province) / f"serve-{kind}.log", args.workers)
            try:
                warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                started = time.perf_counter()
                for path in api_paths(0):
                    status, body = get(warm, path, sessions[0])
                    assert status == 200, (path, status, body[:300])
                print(f"  first dashboard visit (cold: indicators built): {time.perf_counter() - started:.2f} s")
                api = load(port, sessions, args.seconds, api_paths)
                good = api["errors"] == 0 and float(api["p95"]) < P95_GOAL_MS  # type: ignore[arg-type]
                ok = ok and good
                print(f"  API, {args.clients} clients for {args.seconds:.0f} s, {args.workers} server process(es): "
                      f"{api['requests']:,} requests "
                      f"({float(api['per_second']):.0f}/s), {api['errors']} errors, p50 {float(api['p50']):.0f} ms, "  # type: ignore[arg-type]
                      f"p95 {float(api['p95']):.0f} ms, p99 {float(api['p99']):.0f} ms "  # type: ignore[arg-type]
                      f"(goal p95 < {P95_GOAL_MS:.0f} ms, no errors: {'OK' if good else 'MISSED'})")  # fmt: skip
                for name, figures in api["endpoints"].items():  # type: ignore[attr-defined]
                    print(f"    {name:<20} {figures['n']:>6,} requests, p50 {figures['p50']:.0f} ms, "
                          f"p95 {figures['p95']:.0f} ms")  # fmt: skip
                if args.page_seconds > 0:
                    page = load(port, sessions, args.page_seconds, page_paths)
                    print(f"  dashboard pages (HTML, for information), {args.clients} clients for "
                          f"{args.page_seconds:.0f} s: {page['requests']:,} requests, {page['errors']} errors, "
                          f"p50 {float(page['p50']):.0f} ms, p95 {float(page['p95']):.0f} ms")  # type: ignore[arg-type]  # fmt: skip
                workers = Path(f"/proc/{server.pid}/task/{server.pid}/children")
                pids = [server.pid, *(int(pid) for pid in (workers.read_text().split() if workers.exists() else []))]
                print(f"  server peak memory: {sum(peak_rss_mb(pid) for pid in pids):.0f} MB "
                      f"({len(pids)} process(es) together)")  # fmt: skip
            finally:
                server.terminate()
                server.wait(timeout=30)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
