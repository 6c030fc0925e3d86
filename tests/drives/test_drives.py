"""A drive's life: prepared from lists (each candidate taken or left out with its reason), priced
exactly, approved by someone other than its preparer within the budget ceiling, enrolled in one
transaction, renewed into the next year."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.utils import translation

from jamsostek.core.bulk.report import ImportReport
from jamsostek.core.errors import Conflict, Forbidden, InvalidField, NotFound
from jamsostek.core.models import AuditRecord
from jamsostek.drives import selectors, services
from jamsostek.drives.bulk.costing import scalar
from jamsostek.drives.models import CandidateList, Drive, DriveMember
from jamsostek.registry import services as registry
from jamsostek.registry.models import Membership, Person
from jamsostek.rules.periods import Month
from tests.conftest import Personas
from tests.drives.conftest import funded_program, person, write_list

ON = date(2026, 1, 10)
YEAR = 2026


def _list(actor: Any, tmp_path: Path, rows: list[tuple[str, ...]], name: str = "l", region: str = "61.04",
          category: str = "vulnerable", owner: Any = None) -> CandidateList:  # fmt: skip
    return services.candidate_list_import(
        actor=actor,
        path=write_list(tmp_path / f"{name}.csv", rows),
        name=name,
        source="village_list",
        source_date=date(2025, 12, 1),
        region_code=region,
        default_category=category,
        owner=owner,
        as_of=ON,
        reason="test",
    )


def _people(count: int, district: str = "61.04.01", first_serial: int = 1, **extra: str) -> list[tuple[str, ...]]:
    return [person(district, date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "LP"[i % 2], first_serial + i, **extra)
            for i in range(count)]  # fmt: skip


def _prepare(actor: Any, program: Any, lists: list[CandidateList], code: str = "D1", **extra: Any) -> Drive:
    return services.drive_prepare(actor=actor, program=program, code=code, name=f"Drive {code}", lists=lists, on=ON,
                                  reason="test", **extra)  # fmt: skip


def test_a_drive_costs_exactly_what_the_rules_price_for_its_months(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P-JHT", region="61.04", with_jht=True)
    listed = _list(personas.ketapang, tmp_path, _people(7))
    drive = _prepare(personas.ketapang, program, [listed], first_month=Month(YEAR, 4))
    per_member, _notes = scalar(services.package_of(drive.funding, Month(YEAR, 4)))
    assert drive.months == 9
    assert per_member == 9 * 36_800  # JKK Rp10,000 + JKM Rp6,800 + JHT Rp20,000 a month at the lowest band
    assert drive.cost == 7 * per_member
    assert set(DriveMember.objects.filter(drive=drive).values_list("cost", flat=True)) == {per_member}


def test_a_candidate_is_left_out_with_the_first_reason_that_applies(personas: Personas, tmp_path: Path) -> None:
    village = registry.employer_register(
        actor=None, npp="DS-1", name="Pemerintah Desa Sukamaju", kind="village", risk_class=1, size_class="small",
        region_code="61.04.01", reason="t",
    )  # fmt: skip
    program, _funding = funded_program(code="P-DD", region="61.04", kind="village_budget", source="dana_desa",
                                       owner=village, quota=5)  # fmt: skip
    protected = ("6104015708900001", "Siti Aminah", "1990-08-17", "P", "61.04.01", "", "")  # works at PT Sawit
    old = person("61.04.01", date(1960, 3, 1), "L", 90)  # 65 when the list was checked, 66 on the first day
    rows = [*_people(3), protected, old, *_people(1, category="non_asn", first_serial=50),
            *_people(1, district="61.04.02", first_serial=60), *_people(3, first_serial=70)]  # fmt: skip
    listed = _list(personas.ketapang, tmp_path, rows)
    second = _list(personas.ketapang, tmp_path, _people(2), name="again")  # the first two again
    drive = _prepare(personas.ketapang, program, [listed, second], quotas={"61.04.01": 5, "61.04.02": 0},
                     first_month=Month(YEAR, 4))  # fmt: skip
    assert drive.members_count == 5
    assert drive.excluded == {"age": 1, "duplicate_in_drive": 2, "not_payable": 1, "over_quota": 2, "protected": 1}


def test_a_person_in_another_drive_of_the_year_is_not_taken_again(personas: Personas, tmp_path: Path) -> None:
    first_program, _f = funded_program(code="P1", region="61.04")
    second_program, _s = funded_program(code="P2", region="61.04")
    listed = _list(personas.ketapang, tmp_path, _people(4))
    first = _prepare(personas.ketapang, first_program, [listed], code="D1")
    with translation.override("en"), pytest.raises(InvalidField) as nobody:
        _prepare(personas.ketapang, second_program, [listed], code="D2")
    assert "already in another drive of the same fiscal year: 4" in nobody.value.message
    services.drive_reject(actor=personas.bpjs, drive=first, reason="wrong program")
    assert _prepare(personas.ketapang, second_program, [listed], code="D2").members_count == 4


def test_the_preparer_may_not_approve_their_own_drive(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P", region="61.04")
    drive = _prepare(personas.ketapang, program, [_list(personas.ketapang, tmp_path, _people(2))])
    with pytest.raises(Forbidden):
        services.drive_approve(actor=personas.ketapang, drive=drive, reason="mine")
    assert services.drive_approve(actor=personas.bpjs, drive=drive, reason="checked").status == "approved"
    assert Drive.objects.get(pk=drive.pk).decided_by_label == "bpjs"


def test_a_drive_over_its_budget_ceiling_cannot_be_approved(personas: Personas, tmp_path: Path) -> None:
    program, funding = funded_program(code="P", region="61.04", ceiling=3 * 12 * 16_800)
    listed = _list(personas.ketapang, tmp_path, _people(5))
    first = _prepare(personas.ketapang, program, [listed], code="D1", quotas={"61.04.01": 2})
    services.drive_approve(actor=personas.bpjs, drive=first, reason="ok")
    second = _prepare(personas.ketapang, program, [listed], code="D2")  # the other three
    assert second.members_count == 3
    with pytest.raises(Conflict) as over:
        services.drive_approve(actor=personas.bpjs, drive=second, reason="ok")
    assert over.value.code == "over_ceiling"
    assert Drive.objects.get(pk=second.pk).status == "awaiting_approval"
    assert services.committed_cost(funding) == 2 * 12 * 16_800


def test_the_levels_a_program_names_decide_who_prepares_and_approves(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P", region="61.04", prepare=("regency",), approve=("province",))
    listed = _list(personas.ketapang, tmp_path, _people(2))
    drive = _prepare(personas.ketapang, program, [listed])
    with pytest.raises(Forbidden):
        services.drive_approve(actor=personas.ketapang, drive=drive, reason="a regency may not approve this one")
    with pytest.raises(Forbidden):
        services.drive_approve(actor=personas.analyst, drive=drive, reason="analysts change nothing")
    with pytest.raises(NotFound):
        services.drive_approve(actor=personas.sambas, drive=drive, reason="not their regency")
    assert services.drive_approve(actor=personas.admin, drive=drive, reason="province").status == "approved"


def test_a_village_prepares_for_its_own_budget_and_the_regency_approves(personas: Personas, tmp_path: Path) -> None:
    agency = personas.agency.employer
    program, _funding = funded_program(code="P-OPD", region="61.04", owner=agency, prepare=("employer",),
                                       approve=("regency",))  # fmt: skip
    listed = _list(personas.agency, tmp_path, _people(3), owner=agency)
    drive = _prepare(personas.agency, program, [listed])
    assert selectors.drive_get(visible_to=personas.agency, pk=drive.pk) == drive
    with pytest.raises(Forbidden):
        services.drive_approve(actor=personas.agency, drive=drive, reason="agencies do not approve")
    services.drive_approve(actor=personas.ketapang, drive=drive, reason="regency approves")
    with pytest.raises(Forbidden):
        services.drive_enrol(actor=personas.agency, drive=drive, reason="agencies do not enrol")


def test_enrolment_registers_new_people_and_skips_who_became_protected(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P", region="61.04")
    rows = _people(3)
    drive = _prepare(personas.ketapang, program, [_list(personas.ketapang, tmp_path, rows)])
    services.drive_approve(actor=personas.bpjs, drive=drive, reason="ok")
    meanwhile = registry.person_register(actor=None, nik=rows[0][0], name=rows[0][1],
                                         birth_date=date.fromisoformat(rows[0][2]), sex="M",
                                         region_code="61.04.01", reason="hired")  # fmt: skip
    company = registry.employer_register(actor=None, npp="K9", name="PT Baru", risk_class=1, size_class="small",
                                         region_code="61.04.01", reason="t")  # fmt: skip
    registry.membership_enrol(actor=None, person=meanwhile, segment="pu", employer=company,
                              start_date=date(2026, 1, 1), wage=3_000_000, reason="hired")  # fmt: skip
    drive = services.drive_enrol(actor=personas.ketapang, drive=drive, on=date(2026, 2, 20), reason="go")
    assert drive.status == "enrolled"
    assert drive.enrolled_from == date(2026, 2, 1)
    statuses = dict(DriveMember.objects.filter(drive=drive).values_list("nik", "status"))
    assert statuses == {rows[0][0]: "skipped", rows[1][0]: "enrolled", rows[2][0]: "enrolled"}
    memberships = Membership.objects.filter(sponsor=program).order_by("id")
    assert [(m.segment, m.payer, m.start_date, m.end_date) for m in memberships] == [
        ("bpu", "sponsor", date(2026, 2, 1), date(2026, 12, 31))
    ] * 2
    assert Person.objects.filter(nik__in=[rows[1][0], rows[2][0]]).count() == 2
    assert AuditRecord.objects.filter(entity="drives.drive", entity_id=str(drive.pk)).count() == 3


def test_enrolment_is_one_transaction(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P", region="61.04")
    drive = _prepare(personas.ketapang, program, [_list(personas.ketapang, tmp_path, _people(3))])
    services.drive_approve(actor=personas.bpjs, drive=drive, reason="ok")
    persons_before = Person.objects.count()
    real = services.drives.import_file

    def fail_memberships(**kwargs: Any) -> ImportReport:
        if kwargs["kind"] == "memberships":
            return ImportReport(kind="memberships", source="x", dry_run=False, file_problem="broken on purpose")
        return real(**kwargs)

    with mock.patch.object(services.drives, "import_file", fail_memberships), pytest.raises(Conflict):
        services.drive_enrol(actor=personas.ketapang, drive=drive, on=ON, reason="go")
    assert Person.objects.count() == persons_before
    assert Drive.objects.get(pk=drive.pk).status == "approved"
    assert not DriveMember.objects.filter(drive=drive, status="enrolled").exists()


def test_a_renewal_carries_the_people_forward_after_checking_them_again(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P-2026", region="61.04")
    next_program, _next = funded_program(code="P-2027", region="61.04", year=2027)
    turning = person("61.04.01", date(1961, 6, 15), "L", 80)  # 64 in 2026, 65 on 1 January 2027: still in
    too_old = person("61.04.01", date(1961, 1, 1), "P", 81)  # 65 in 2026, 66 on 1 January 2027: out
    rows = [*_people(3), turning, too_old]
    drive = _prepare(personas.ketapang, program, [_list(personas.ketapang, tmp_path, rows)])
    services.drive_approve(actor=personas.bpjs, drive=drive, reason="ok")
    services.drive_enrol(actor=personas.ketapang, drive=drive, on=ON, reason="go")
    renewal = services.drive_renew(actor=personas.ketapang, drive=drive, program=next_program, code="D-2027",
                                   reason="next year")  # fmt: skip
    assert renewal.renewal_of == drive
    assert renewal.fiscal_year == 2027
    assert renewal.members_count == 4
    assert renewal.excluded == {"age": 1}
    with pytest.raises(Conflict):
        services.drive_renew(actor=personas.ketapang, drive=drive, program=next_program, code="D-2027b",
                             reason="twice")  # fmt: skip


def test_from_october_the_drives_to_renew_say_who_would_lapse(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P-2026", region="61.04")
    rows = _people(4)
    drive = _prepare(personas.ketapang, program, [_list(personas.ketapang, tmp_path, rows)])
    services.drive_approve(actor=personas.bpjs, drive=drive, reason="ok")
    services.drive_enrol(actor=personas.ketapang, drive=drive, on=ON, reason="go")
    hired = Person.objects.get(nik=rows[0][0])  # found a job with an open-ended contract: will not lapse
    company = registry.employer_register(actor=None, npp="K9", name="PT Baru", risk_class=1, size_class="small",
                                         region_code="61.04.01", reason="t")  # fmt: skip
    registry.membership_enrol(actor=None, person=hired, segment="pu", employer=company, start_date=date(2026, 9, 1),
                              wage=3_000_000, reason="hired")  # fmt: skip
    assert not selectors.renewal_list(visible_to=personas.ketapang, on=date(2026, 9, 30)).listed
    answer = selectors.renewal_list(visible_to=personas.ketapang, on=date(2026, 10, 1))
    assert answer.listed
    assert [(row.drive.code, row.enrolled, row.lapsing) for row in answer.drives] == [("D1", 4, 3)]
    assert [(row.code, row.lapsing) for row in answer.regencies] == [("61.04", 3)]
    assert selectors.renewal_list(visible_to=personas.sambas, on=date(2026, 10, 1)).drives == []
