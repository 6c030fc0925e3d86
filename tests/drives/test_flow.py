"""From a list of names to protection: import, prepare, approve, enrol, bill."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jamsostek.contributions.models import Bill
from jamsostek.contributions.services import billing_run
from jamsostek.drives import services
from jamsostek.drives.models import DriveMember
from jamsostek.registry.models import Membership
from jamsostek.rules.periods import Month
from tests.conftest import Personas
from tests.drives.conftest import funded_program, person, write_list

ON = date(2026, 1, 15)


def test_a_list_becomes_sponsored_members_billed_to_the_sponsor(personas: Personas, tmp_path: Path) -> None:
    rows = [person("61.04.01", date(1980 + i, 3, 1 + i), "P" if i % 2 else "L", i + 1) for i in range(5)]
    path = write_list(tmp_path / "list.csv", rows)
    listed = services.candidate_list_import(
        actor=personas.ketapang,
        path=path,
        name="Desa Sukamaju",
        source="village_list",
        source_date=date(2025, 12, 1),
        region_code="61.04",
        default_category="vulnerable",
        as_of=ON,
        reason="test",
    )
    assert listed.usable == 5
    program, _funding = funded_program(code="KTP-RENTAN-2026", region="61.04")
    drive = services.drive_prepare(
        actor=personas.ketapang, program=program, code="D1", name="Drive 1", lists=[listed], on=ON, reason="test"
    )
    assert drive.members_count == 5
    assert drive.cost == 5 * 12 * 16_800
    drive = services.drive_approve(actor=personas.bpjs, drive=drive, reason="ok")
    drive = services.drive_enrol(actor=personas.ketapang, drive=drive, on=ON, reason="go")
    assert Membership.objects.filter(sponsor=program).count() == 5
    assert DriveMember.objects.filter(drive=drive, status="enrolled").count() == 5
    billing_run(actor=None, period=Month(2026, 1))
    bill = Bill.objects.get(payer_key=f"sponsor:{program.pk}", period=date(2026, 1, 1))
    assert bill.total == 5 * 16_800
