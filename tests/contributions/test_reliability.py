"""Billing runs that race or die: one set of bills, or none, never half (PostgreSQL, real processes)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from jamsostek.contributions.models import Bill, BillingRun, BillLine
from tests.conftest import World
from tests.contributions.conftest import Billed

RUN = """
import os, signal, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
django.setup()
from jamsostek.contributions.services import billing_run
from jamsostek.rules.periods import Month

def progress(message):
    if os.environ.get("DIE_WHILE") and os.environ["DIE_WHILE"] in message:
        os.kill(os.getpid(), signal.SIGKILL)

print(billing_run(actor=None, period=Month(2025, 3), progress=progress).summary())
"""

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs billing in separate processes against a shared PostgreSQL database",
    ),
    # Committed data (the other processes must see it), and the regions loaded by the migration
    # restored afterwards for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def environment(**extra: str) -> dict[str, str]:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    return {**os.environ, "DATABASE_URL": url, **extra}


def start(**extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", RUN], env=environment(**extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


@pytest.fixture
def committed() -> Billed:
    return Billed(World())


def test_two_runs_at_the_same_time_issue_one_set_of_bills(committed: Billed) -> None:
    first, second = start(), start()
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    assert Bill.objects.count() == 7
    assert BillLine.objects.count() == 7
    assert sorted(run.bills for run in BillingRun.objects.all()) == [0, 7]


def test_a_run_killed_halfway_leaves_nothing_and_the_next_completes(committed: Billed) -> None:
    killed = start(DIE_WHILE="writing their lines")
    killed.communicate(timeout=120)
    assert killed.returncode == -9
    assert Bill.objects.count() == 0
    assert BillingRun.objects.count() == 0
    again = start()
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert (Bill.objects.count(), BillLine.objects.count()) == (7, 7)
