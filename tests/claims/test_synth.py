"""The demo's synthetic claims: calibrated on Kab. Landak's published 2024 counts per program,
some in every state of the workflow, loaded through the same doors as real claims, once."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from jamsostek.claims.models import Claim, ClaimPayment, Origin
from jamsostek.claims.synth import averages, rates, synthesize
from jamsostek.core.models import AuditRecord
from jamsostek.registry.models import Membership
from jamsostek.registry.selectors import active_on
from jamsostek.registry.synth import calibration

AS_OF = date(2025, 6, 10)


def test_the_rates_are_landaks_2024_counts_per_active_participant() -> None:
    landak = next(plan.active for plan in calibration(1.0) if plan.code == "61.08")
    per_year = rates()
    assert per_year["jht"] * landak == pytest.approx(1_980)
    assert per_year["jkm"] * landak == pytest.approx(138)
    assert sum(per_year.values()) * landak == pytest.approx(3_568)
    assert averages()["jkm"] == 5_778_000_000 // 138


@pytest.mark.django_db
def test_the_synthetic_claims_follow_the_calibration_and_fill_every_queue(today: date, settings: Any) -> None:
    call_command("synth", scale=0.003, seed=5, as_of="2025-05-31", stdout=StringIO(), stderr=StringIO())
    call_command("billing", "run", period="2025-01", through="2025-05", stdout=StringIO(), stderr=StringIO())
    call_command("payments", "simulate", seed=5, as_of=AS_OF.isoformat(), stdout=StringIO(), stderr=StringIO())
    active = Membership.objects.filter(active_on(AS_OF)).count()
    summary = synthesize(seed=5, as_of=AS_OF)
    expected = sum(rates().values()) * active * 2  # two years of claims
    historical = Claim.objects.filter(origin=Origin.IMPORT)
    assert historical.count() == summary.imported
    assert 0.75 * expected < summary.imported < 1.25 * expected
    assert historical.filter(program="jht").count() > historical.filter(program="jkm").count()
    assert ClaimPayment.objects.filter(claim__origin=Origin.IMPORT, state="paid").count() == summary.imported
    states = set(Claim.objects.filter(origin=Origin.INTAKE).values_list("state", flat=True))
    assert {"submitted", "documents_complete", "verified", "paid"} <= states
    assert states & {"approved", "rejected"}
    assert Claim.objects.filter(origin=Origin.INTAKE, due_on__lt=AS_OF).exists()  # something is overdue
    assert AuditRecord.objects.filter(entity="claims.claim", reason="synthetic claims for the demo").count() >= (
        summary.imported + len(states))  # fmt: skip
    assert synthesize(seed=5, as_of=AS_OF).kept
