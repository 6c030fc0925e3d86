"""Nobody moves a record into or out of a region they may not change, through any door.

Three holes found by trying the demo as an outsider would (issue "One house"):

1. a regency officer imports a persons file with another regency's person (their NIK, name, birth
   date and sex) and a district of their own regency: the person moved into the officer's regency;
2. the same with an employers file (by NPP);
3. ``employer_update`` checked the regency before the change, never the one after it.

Each door (the service, the row-by-row import, the whole-file import, the back office, the web
import page, the API) is tried by every role; only province-wide editors may move a record between
regencies, and a refused attempt changes nothing and leaves no audit record.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import models
from django.test import Client

from jamsostek.core.errors import DomainError
from jamsostek.core.models import AuditRecord
from jamsostek.registry import services
from jamsostek.registry.models import Employer, Person
from jamsostek.registry.services import import_file
from tests.conftest import KETAPANG, SAMBAS, Personas, World

ROLES = ("admin", "bpjs", "analyst", "ketapang", "sambas", "agency")
MOVERS = {"admin", "bpjs"}  # the roles that may move a record from one regency to another
PERSON_HEADER = "nik,name,birth_date,sex,district_code\n"
EMPLOYER_HEADER = "npp,name,kind,kbli,risk_class,size_class,region_code\n"


def person_row(person: Person, district: str) -> str:
    return f"{person.nik},{person.name},{person.birth_date.isoformat()},{person.sex},{district}\n"


def employer_row(employer: Employer, region: str) -> str:
    return (f"{employer.npp},{employer.name},{employer.kind},{employer.kbli},{employer.risk_class},"
            f"{employer.size_class},{region}\n")  # fmt: skip


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the doors: each tries to move ``record`` to ``region`` as ``user`` ----------------------------


def by_service(user: Any, record: models.Model, region: str, tmp_path: Path) -> None:
    try:
        if isinstance(record, Person):
            services.person_update(actor=user, person=record, region_code=region, reason="move")
        else:
            assert isinstance(record, Employer)
            services.employer_update(actor=user, employer=record, region_code=region, reason="move")
    except DomainError:
        pass


def _file(record: models.Model, region: str, tmp_path: Path) -> tuple[str, Path]:
    if isinstance(record, Person):
        kind, text = "persons", PERSON_HEADER + person_row(record, region)
    else:
        assert isinstance(record, Employer)
        kind, text = "employers", EMPLOYER_HEADER + employer_row(record, region)
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, "utf-8")
    return kind, path


def by_row_import(user: Any, record: models.Model, region: str, tmp_path: Path) -> None:
    kind, path = _file(record, region, tmp_path)
    with contextlib.suppress(DomainError):  # a role that may not import at all is refused whole
        import_file(actor=user, kind=kind, path=path, reason="move", fast_path=False)


def by_whole_file_import(user: Any, record: models.Model, region: str, tmp_path: Path) -> None:
    kind, path = _file(record, region, tmp_path)
    with contextlib.suppress(DomainError):
        import_file(actor=user, kind=kind, path=path, reason="move", fast_path=True)


def by_web_import(user: Any, record: models.Model, region: str, tmp_path: Path) -> None:
    kind, path = _file(record, region, tmp_path)
    upload = io.BytesIO(path.read_bytes())
    upload.name = path.name
    response = logged_in(user).post("/registry/import/", {"kind": kind, "file": upload, "reason": "move"})
    assert response.status_code in (200, 403)


def by_back_office(user: Any, record: models.Model, region: str, tmp_path: Path) -> None:
    if isinstance(record, Person):
        data = {
            "name": record.name, "birth_date": record.birth_date.isoformat(), "sex": record.sex, "region": region,
            "phone": record.phone, "kpj": record.kpj or "", "reason": "move",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        }  # fmt: skip
        url = f"/admin/registry/person/{record.pk}/change/"
    else:
        assert isinstance(record, Employer)
        data = {"name": record.name, "kind": record.kind, "kbli": record.kbli, "risk_class": str(record.risk_class),
                "size_class": record.size_class, "region": region, "reason": "move"}  # fmt: skip
        url = f"/admin/registry/employer/{record.pk}/change/"
    response = logged_in(user).post(url, data)
    assert response.status_code in (200, 302, 403, 404)
    if response.status_code == 200:  # the form came back: it must say why
        assert "errorlist" in response.content.decode()


DOORS: dict[str, Callable[[Any, models.Model, str, Path], None]] = {
    "service": by_service,
    "row-by-row import": by_row_import,
    "whole-file import": by_whole_file_import,
    "web import": by_web_import,
    "back office": by_back_office,
}


def regency_of(record: models.Model) -> str:
    return type(record)._default_manager.get(pk=record.pk).regency_id  # type: ignore[attr-defined,no-any-return]


def moves(record: models.Model) -> int:
    return (
        AuditRecord.objects.filter(entity=record._meta.label_lower, entity_id=str(record.pk))
        .exclude(reason="test setup")
        .count()
    )


MOVES = {
    # name: (the record in the world, its regency, the region the change gives it, that region's regency)
    "another regency's person moved in": ("sambas_worker", SAMBAS, "61.04.01", KETAPANG),
    "an officer's person moved out": ("ketapang_worker", KETAPANG, "61.01.01", SAMBAS),
    "another regency's employer moved in": ("sambas_company", SAMBAS, "61.04.01", KETAPANG),
    # a Ketapang company (not the agency: its own administrator may change it)
    "an officer's employer moved out": ("company", KETAPANG, "61.01.01", SAMBAS),
}


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", list(MOVES))
def test_only_province_wide_editors_move_a_record_between_regencies(
    world: World, personas: Personas, move: str, role: str, door: str, tmp_path: Path
) -> None:
    name, regency, region, new_regency = MOVES[move]
    record = getattr(world, name)
    DOORS[door](getattr(personas, role), record, region, tmp_path)
    assert regency_of(record) == (new_regency if role in MOVERS else regency)
    assert moves(record) == (1 if role in MOVERS else 0)


def test_a_refused_move_names_the_field_and_the_reason(world: World, personas: Personas, tmp_path: Path) -> None:
    with pytest.raises(DomainError) as refused:
        services.employer_update(actor=personas.ketapang, employer=world.company, region_code="61.01.01",
                                 reason="move")  # fmt: skip
    assert refused.value.field == "region_code"
    assert refused.value.status == 403
    kind, path = _file(world.sambas_worker, "61.04.01", tmp_path)
    report = import_file(actor=personas.ketapang, kind=kind, path=path, reason="move")
    assert not report.applied
    assert [(row.status, row.field) for row in report.rows] == [("rejected", "nik")]


def test_the_api_registers_and_enrols_only_inside_the_officers_regency(world: World, personas: Personas) -> None:
    client = logged_in(personas.ketapang)
    payload = {"nik": "6101014506000004", "name": "Dewi Lestari", "birth_date": "2000-06-05", "sex": "P",
               "district_code": "61.01.01", "reason": "walk-in"}  # fmt: skip
    response = client.post("/api/registry/persons", json.dumps(payload), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["field"] == "district_code"
    assert not Person.objects.filter(nik="6101014506000004").exists()
    enrol = {"person_id": world.ketapang_worker.pk, "segment": "pu", "npp": world.sambas_company.npp,
             "start_date": "2025-01-01", "wage": 3_000_000, "reason": "second job"}  # fmt: skip
    response = client.post("/api/registry/memberships", json.dumps(enrol), content_type="application/json")
    assert response.status_code == 404  # a Sambas employer does not exist for a Ketapang officer
    assert response.json()["field"] == "npp"
    assert world.ketapang_worker.memberships.count() == 1


# --- another regency's sponsor program or project, named in an enrolment -------------------------


MEMBERSHIP_HEADER = "nik,segment,sponsor_code,project_code,start_date,wage\n"


@pytest.mark.parametrize("fast_path", [True, False])
def test_a_regency_officer_cannot_bill_another_regencys_sponsor_or_project(
    world: World, personas: Personas, tmp_path: Path, fast_path: bool
) -> None:
    """A Ketapang officer enrolling a Ketapang resident into Sambas's budget-paid program (or a Sambas
    project) would bill Sambas: every door answers as if the code did not exist, and nothing changes."""
    from datetime import date

    from jamsostek.core.errors import NotFound

    sambas_sponsor = services.sponsor_program_create(
        actor=None, code="SBS-2025", name="Pekerja rentan Sambas", kind="regency_budget", region_code=SAMBAS,
        year=2025, quota=10, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
    )  # fmt: skip
    sambas_project = services.project_create(
        actor=None, code="PRJ-SBS", name="Jalan desa Sambas", employer=world.sambas_company, region_code="61.01.01",
        contract_value=500_000_000, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
    )  # fmt: skip
    before = (world.nurse.memberships.count(), AuditRecord.objects.filter(entity="registry.membership").count())
    with pytest.raises(NotFound) as refused:
        services.membership_enrol(actor=personas.ketapang, person=world.nurse, segment="bpu", sponsor=sambas_sponsor,
                                  start_date=date(2025, 3, 1), reason="try")  # fmt: skip
    assert refused.value.field == "sponsor_code"
    with pytest.raises(NotFound):
        services.membership_enrol(actor=personas.ketapang, person=world.nurse, segment="jakon",
                                  project=sambas_project, start_date=date(2025, 3, 1), wage=3_000_000,
                                  reason="try")  # fmt: skip
    path = tmp_path / "memberships.csv"
    path.write_text(MEMBERSHIP_HEADER + f"{world.nurse.nik},bpu,SBS-2025,,2025-03-01,\n"
                    f"{world.nurse.nik},jakon,,PRJ-SBS,2025-03-01,3000000\n")  # fmt: skip
    report = import_file(actor=personas.ketapang, kind="memberships", path=path, reason="try", fast_path=fast_path)
    assert [(row.status, row.field) for row in report.rows] == [
        ("rejected", "sponsor_code"),
        ("rejected", "project_code"),
    ]
    after = (world.nurse.memberships.count(), AuditRecord.objects.filter(entity="registry.membership").count())
    assert after == before
    # their own regency's program is found through the same doors
    report = import_file(actor=personas.bpjs, kind="memberships", path=path, reason="try", fast_path=fast_path,
                         dry_run=True)  # fmt: skip
    assert [row.status for row in report.rows] == ["accepted", "accepted"]


@pytest.mark.parametrize("fast_path", [True, False])
def test_a_duplicate_warning_names_only_persons_the_importer_may_see(
    world: World, personas: Personas, tmp_path: Path, fast_path: bool
) -> None:
    """A Ketapang officer importing someone with the name and birth date of a Sambas resident learns
    nothing about the Sambas registry; a province-wide editor is warned."""
    budi = world.sambas_worker  # Budi Santoso, 1985-03-12, Sambas
    path = tmp_path / "persons.csv"
    path.write_text(PERSON_HEADER + "6104011203850007,Budi Santoso,1985-03-12,L,61.04.01\n")
    officer = import_file(actor=personas.ketapang, kind="persons", path=path, reason="check", dry_run=True,
                          fast_path=fast_path)  # fmt: skip
    assert [(row.status, row.warnings) for row in officer.rows] == [("accepted", ())]
    editor = import_file(actor=personas.bpjs, kind="persons", path=path, reason="check", dry_run=True,
                         fast_path=fast_path)  # fmt: skip
    assert budi.nik in editor.rows[0].warnings[0]


def test_only_bpjs_and_administrators_change_what_sets_an_employers_contributions(
    world: World, personas: Personas, tmp_path: Path
) -> None:
    """An agency lowering its own risk class, or declaring itself a state body to escape late-payment
    fines, would change what it owes: through the service and the import, only BPJS and
    administrators may; a name is anyone's to correct within their reach."""
    from jamsostek.core.errors import Forbidden

    agency = world.agency
    for user in (personas.agency, personas.ketapang):
        for change in ({"risk_class": 2}, {"state_body": not agency.state_body}, {"size_class": "small"}):
            with pytest.raises(Forbidden) as refused:
                services.employer_update(actor=user, employer=Employer.objects.get(pk=agency.pk), reason="t", **change)
            assert refused.value.field == next(iter(change))
        services.employer_update(actor=user, employer=Employer.objects.get(pk=agency.pk), reason="t",
                                 name=f"Dinas Kesehatan Kab. Ketapang {user.username}")  # fmt: skip
    path = tmp_path / "employers.csv"
    path.write_text(EMPLOYER_HEADER + f"{agency.npp},{agency.name},{agency.kind},,2,{agency.size_class},{KETAPANG}\n")
    report = import_file(actor=personas.ketapang, kind="employers", path=path, reason="t")
    assert [(row.status, row.field) for row in report.rows] == [("rejected", "risk_class")]
    assert Employer.objects.get(pk=agency.pk).risk_class == 1
    services.employer_update(actor=personas.bpjs, employer=Employer.objects.get(pk=agency.pk), reason="t",
                             risk_class=2, state_body=True)  # fmt: skip
    assert (Employer.objects.get(pk=agency.pk).risk_class, Employer.objects.get(pk=agency.pk).state_body) == (2, True)
