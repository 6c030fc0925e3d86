"""Two processes send the same write at the same moment (a clerk double-clicks, a bank channel
retries): one write, and the other gets the answer a sequential duplicate gets, never a server
error or a traceback. Real processes, on the database the suite runs on: PostgreSQL's test
database, or a SQLite file made for the test (the suite's own SQLite database lives in memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SETUP = """
from datetime import date
from jamsostek.contributions.services import billing_run
from jamsostek.contributions.models import Bill
from jamsostek.registry import services
from jamsostek.rules.periods import Month
company = services.employer_register(actor=None, npp="K0001", name="PT Sawit Ketapang", risk_class=4,
                                     size_class="large", region_code="61.04.01", reason="setup")
worker = services.person_register(actor=None, nik="6104015708900001", name="Siti Aminah",
                                  birth_date=date(1990, 8, 17), sex="F", region_code="61.04.01", reason="setup")
services.membership_enrol(actor=None, person=worker, segment="pu", employer=company, start_date=date(2025, 1, 1),
                          wage=4_000_000, reason="setup")
billing_run(actor=None, period=Month(2025, 3))
print(Bill.objects.get().reference)
"""

# Each process waits for the file START to appear, so that both send their write at the same moment.
PREAMBLE = """
import os, sys, time, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
django.setup()
from jamsostek.core.errors import DomainError
while not os.path.exists(os.environ["START"]):
    time.sleep(0.005)
"""

PAYMENT = (
    PREAMBLE
    + """
from datetime import date
from jamsostek.contributions.services import payment_record
try:
    posted = payment_record(actor=None, transaction_reference="BANK-1", payment_reference=os.environ["BILL"],
                            amount=1000, paid_on=date(2025, 4, 10))
    print(json.dumps({"posted": posted.entry.transaction_reference}))
except DomainError as error:
    print(json.dumps({"status": error.status, "code": error.code, "field": error.field}))
"""
)

REGISTRATION = (
    PREAMBLE
    + """
from datetime import date
from jamsostek.registry import services
try:
    person = services.person_register(actor=None, nik="6171014506000004", name="Dewi Lestari",
                                      birth_date=date(2000, 6, 5), sex="F", region_code="61.71.01", reason="walk-in")
    print(json.dumps({"created": person.nik}))
except DomainError as error:
    print(json.dumps({"status": error.status, "code": error.code, "field": error.field}))
"""
)


def database_url(tmp_path: Path) -> str:
    """PostgreSQL: the suite's test database (this test commits, and restores it after). SQLite: a new
    file, migrated here."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    url = f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"
    migrated = subprocess.run([sys.executable, "-m", "django", "migrate", "--no-input"], env=environment(url, tmp_path),
                              capture_output=True, text=True, check=False)  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    return url


def environment(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "jamsostek.web.settings", "DATABASE_URL": url,
            "JAMSOSTEK_DATA_DIR": str(tmp_path), **extra}  # fmt: skip


def run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", PREAMBLE.split("while")[0] + code], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def at_once(code: str, env: dict[str, str], command: list[str] | None = None) -> Iterator[tuple[int, str, str]]:
    """Start two processes, let them go together, and give (exit status, stdout, stderr) of each."""
    start = Path(env["START"])
    argv = command or [sys.executable, "-c", code]
    processes = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]  # fmt: skip
    start.touch()
    for process in processes:
        out, err = process.communicate(timeout=180)
        yield process.returncode, out, err


@pytest.fixture
def world(tmp_path: Path) -> dict[str, str]:
    url = database_url(tmp_path)
    env = environment(url, tmp_path, START=str(tmp_path / "start"))
    env["BILL"] = run(SETUP, env)
    return env


def rows(sql: str, env: dict[str, str]) -> list[tuple[object, ...]]:
    code = f"from django.db import connection\ncursor = connection.cursor()\ncursor.execute({sql!r})\n" \
           "print(json.dumps(cursor.fetchall()))"  # fmt: skip
    return [tuple(row) for row in json.loads(run(code, env))]


def test_two_identical_payments_post_once_and_the_other_is_told_so(world: dict[str, str]) -> None:
    answers = [json.loads(out.strip().splitlines()[-1]) for status, out, err in at_once(PAYMENT, world)
               if status == 0 or pytest.fail(err)]  # fmt: skip
    assert sorted(answers, key=str) == sorted(
        [{"posted": "BANK-1"}, {"status": 409, "code": "duplicate", "field": "transaction_reference"}], key=str
    )
    assert rows("SELECT transaction_reference, amount FROM contributions_payment", world) == [("BANK-1", 1000)]


def test_two_registrations_of_one_nik_make_one_person(world: dict[str, str]) -> None:
    answers = [json.loads(out.strip().splitlines()[-1]) for status, out, err in at_once(REGISTRATION, world)
               if status == 0 or pytest.fail(err)]  # fmt: skip
    assert {"created": "6171014506000004"} in answers
    assert {"status": 409, "code": "duplicate", "field": "nik"} in answers
    assert rows("SELECT COUNT(*) FROM registry_person WHERE nik = '6171014506000004'", world) == [(1,)]


def test_two_imports_of_one_statement_post_each_transaction_once(world: dict[str, str], tmp_path: Path) -> None:
    """Through the command line, as a clerk or a scheduled job would: both exit 0, one posted the
    statement and the other reports its transactions as already posted."""
    statement = tmp_path / "statement.csv"
    statement.write_text(
        "transaction_reference,payment_reference,amount,paid_on\n"
        f"BANK-1,{world['BILL']},1000,2025-04-10\nBANK-2,{world['BILL']},2000,2025-04-11\n",
        "utf-8",
    )
    wrapper = PREAMBLE.split("from jamsostek.core.errors")[0].replace("django.setup()\n", "") + (
        "while not os.path.exists(os.environ['START']):\n    time.sleep(0.005)\n"
        "from jamsostek.cli.main import main\n"
        f"sys.exit(main(['payments', 'import', {str(statement)!r}]))\n"
    )
    outcomes = list(at_once(wrapper, {**world, "JAMSOSTEK_LANG": "en"}))
    assert [status for status, _out, _err in outcomes] == [0, 0], [err[-1500:] for _s, _o, err in outcomes]
    assert not any("Traceback" in err for _s, _o, err in outcomes)
    summaries = sorted(out for _status, out, _err in outcomes)
    assert any("2 posted, 0 already posted" in summary for summary in summaries), summaries
    assert any("0 posted, 2 already posted" in summary for summary in summaries), summaries
    assert rows("SELECT transaction_reference, amount FROM contributions_payment ORDER BY 1", world) == [
        ("BANK-1", 1000), ("BANK-2", 2000)
    ]  # fmt: skip
