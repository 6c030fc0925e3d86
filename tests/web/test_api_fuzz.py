"""The schema is the contract: a schema fuzzer (Schemathesis, every check, every phase including the
stateful one) sends generated requests to the running app on the test database and finds no
server error, no answer outside the schema, no undocumented status, and no schema-valid request
refused for a reason the schema could have stated.

A schema-valid request may still break a rule no schema states (a NIK whose digits do not match the
birth date, a duplicate, a record the user may not see): those answers are 400, 409 and 404 with the
error shape, declared for each operation; ``schemathesis.toml`` lists them as acceptable answers to
schema-valid data. The number of examples is bounded (``JAMSOSTEK_FUZZ_EXAMPLES``, default 20 per
operation and phase) so that ``make test`` stays quick; run it with more to look harder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jamsostek.accounts.services import apikey_create
from jamsostek.contributions.models import Bill
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.rules.periods import Month
from tests.conftest import Personas, World

ROOT = Path(__file__).resolve().parents[2]


def schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("schemathesis is not installed in the virtual environment (make test installs it)")
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the regions are reference data
def test_the_fuzzer_finds_nothing(live_server: Any, world: World, personas: Personas, tmp_path: Path) -> None:
    billing_run(actor=None, period=Month(2025, 3))
    bill = Bill.objects.filter(period=Month(2025, 3).first_day).order_by("id").first()
    assert bill is not None
    payment_record(actor=None, transaction_reference="SEED-1", payment_reference=bill.reference, amount=1_000,
                   paid_on=bill.due_date)  # fmt: skip
    key = apikey_create(actor=None, user=personas.admin, name="fuzzer", reason="schema fuzzing").key
    examples = os.environ.get("JAMSOSTEK_FUZZ_EXAMPLES", "20")
    report = tmp_path / "junit.xml"
    done = subprocess.run(
        [schemathesis(), "run", f"{live_server.url}/api/openapi.json", "--checks", "all",
         "--header", f"Authorization: Bearer {key}", "--max-examples", examples, "--workers", "1",
         "--seed", os.environ.get("JAMSOSTEK_FUZZ_SEED", "20261202"), "--report", "junit",
         "--report-junit-path", str(report), "--no-color"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-12000:] + done.stderr[-3000:]
    summary = done.stdout[done.stdout.rfind("SUMMARY") :]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):  # every phase ran, and passed
        assert f"✅ {phase}" in summary, summary
