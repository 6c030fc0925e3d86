"""The demo's enrolment drives: lists from several sources and one drive per funding source, at the
steps the demo shows (approved, awaiting approval, due for renewal), made through the services."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from jamsostek.accounts.policy import SYSTEM
from jamsostek.drives import selectors
from jamsostek.drives.models import Candidate, CandidateList, Drive
from jamsostek.drives.synth import SCHEMES, generate
from jamsostek.registry.models import Membership

AS_OF = date(2026, 11, 30)


@pytest.mark.django_db
def test_the_demo_has_one_drive_per_funding_source_at_its_step(tmp_path: Path) -> None:
    call_command("synth", "--scale", "0.002", "--seed", "4", "--as-of", AS_OF.isoformat(), "--directory",
                 str(tmp_path / "province"), stdout=io.StringIO())  # fmt: skip
    made = generate(scale=0.002, seed=4, as_of=AS_OF, directory=tmp_path / "drives")
    assert made is not None
    this_year = {drive.funding.source: drive for drive in Drive.objects.filter(fiscal_year=2026)}
    assert set(this_year) == {scheme.source for scheme in SCHEMES}
    assert {source: drive.status for source, drive in this_year.items()} == {
        "province_apbd": "enrolled", "regency_apbd": "enrolled", "apbdes": "enrolled", "dana_desa": "enrolled",
        "dbh_sawit": "enrolled", "add": "awaiting_approval", "csr": "approved",
    }  # fmt: skip
    assert set(Drive.objects.filter(fiscal_year=2027).values_list("status", flat=True)) == {"approved"}
    due = selectors.renewal_list(visible_to=SYSTEM, on=AS_OF)
    assert [row.drive.code for row in due.drives if row.renewal is None] == ["DEMO-STG-2026"]
    assert due.lapsing > 0
    assert CandidateList.objects.count() == len(SCHEMES) + 2
    assert set(Candidate.objects.values_list("match", flat=True)) >= {"new", "protected", "lapsed"}
    assert Candidate.objects.filter(status="rejected").exists()
    assert Membership.objects.filter(sponsor__code="DEMO-STG-2026", start_date=date(2026, 2, 1)).exists()
    assert generate(scale=0.002, seed=4, as_of=AS_OF, directory=tmp_path / "drives") is None  # kept on a rerun
