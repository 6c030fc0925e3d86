"""Bulk import: row-by-row reports, all or nothing, idempotent re-imports, malformed files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsostek.core.models import AuditRecord
from jamsostek.registry.models import Employer, Membership, MembershipEvent, Person, WageReport
from jamsostek.registry.selectors import import_template
from jamsostek.registry.services import import_file
from tests.conftest import Personas

PERSONS = """nik,name,birth_date,sex,district_code,phone,kpj
6104015708900001,Siti Aminah,1990-08-17,P,61.04.01,081234567890,
6101011203850002,Budi Santoso,12-03-1985,L,61.01.01,,
6171014506000004,Dewi Lestari,05/06/2000,P,61.71.01,,12345678901
"""
EMPLOYERS = """npp,name,kind,kbli,risk_class,size_class,region_code
K0001,PT Sawit Ketapang,company,01262,4,large,61.04.01
S0001,CV Jeruk Sambas,company,,2,small,61.01.01
"""
HEADER = b"nik,name,birth_date,sex,district_code\n"
MEMBERSHIPS = """nik,segment,start_date,end_date,npp,wage,jht,contract_months
6104015708900001,pu,2024-01-01,,K0001,4.000.000,,
6101011203850002,pu,2023-06-01,2025-03-31,S0001,3200000,,
6171014506000004,bpu,2025-01-01,,,1000000,ya,
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def run(kind: str, path: Path, actor: Any = None, **options: Any) -> Any:
    return import_file(actor=actor, kind=kind, path=path, reason="test import", **options)


@pytest.fixture
def loaded(db: Any, tmp_path: Path) -> Path:
    for kind, text in (("persons", PERSONS), ("employers", EMPLOYERS), ("memberships", MEMBERSHIPS)):
        report = run(kind, write(tmp_path, f"{kind}.csv", text))
        assert report.ok, report.rows
        assert report.applied
    return tmp_path


def test_a_clean_file_is_imported_with_an_audit_record_per_row(loaded: Path) -> None:
    assert Person.objects.count() == 3
    assert Person.objects.get(nik="6101011203850002").sex == "M"
    assert Employer.objects.get(npp="K0001").regency_id == "61.04"
    pu = Membership.objects.get(person__nik="6104015708900001")
    assert (pu.payer, pu.jp, pu.regency_id) == ("employer", True, "61.04")  # a large employer: JP
    assert WageReport.objects.get(membership=pu).amount == 4_000_000
    ended = Membership.objects.get(person__nik="6101011203850002")
    assert [e.kind for e in ended.events.order_by("id")] == ["enrolled", "ended"]
    bpu = Membership.objects.get(segment="bpu")
    assert (bpu.payer, bpu.jht) == ("participant", True)
    assert AuditRecord.objects.filter(entity="registry.person", action="create").count() == 3
    assert AuditRecord.objects.filter(entity="registry.membership", action="create").count() == 3
    assert set(AuditRecord.objects.values_list("reason", flat=True)) == {"test import"}


def test_re_importing_the_same_files_changes_nothing(loaded: Path) -> None:
    audit_before = AuditRecord.objects.count()
    events_before = MembershipEvent.objects.count()
    for kind in ("persons", "employers", "memberships"):
        report = run(kind, loaded / f"{kind}.csv")
        assert report.counts["unchanged"] == len(report.rows), report.rows
    assert AuditRecord.objects.count() == audit_before
    assert MembershipEvent.objects.count() == events_before
    assert Person.objects.count() == 3


def test_a_changed_row_is_updated_with_old_and_new_values(loaded: Path, tmp_path: Path) -> None:
    changed = PERSONS.replace("081234567890", "089999999999")
    report = run("persons", write(tmp_path, "changed.csv", changed))
    assert report.counts == {"updated": 1, "unchanged": 2}
    record = AuditRecord.objects.get(entity="registry.person", action="update")
    assert record.changes == {"phone": ["081234567890", "089999999999"]}
    memberships = MEMBERSHIPS.replace("2023-06-01,2025-03-31,S0001,3200000", "2023-06-01,2025-04-30,S0001,3300000")
    report = run("memberships", write(tmp_path, "m2.csv", memberships))
    assert report.counts == {"updated": 1, "unchanged": 2}
    ended = Membership.objects.get(person__nik="6101011203850002")
    assert str(ended.end_date) == "2025-04-30"
    assert WageReport.objects.get(membership=ended).amount == 3_300_000


def test_one_bad_row_and_nothing_is_applied(db: Any, tmp_path: Path) -> None:
    bad = PERSONS + "6104013102900005,Tanggal Salah,31-02-1990,L,61.04.01,,\n"
    report = run("persons", write(tmp_path, "bad.csv", bad))
    assert not report.applied
    assert report.counts == {"accepted": 3, "rejected": 1}
    rejected = next(r for r in report.rows if r.status == "rejected")
    assert (rejected.row, rejected.field) == (5, "birth_date")
    assert "31-02-1990" in rejected.reason
    assert Person.objects.count() == 0
    assert AuditRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("6104015708900009,Salah NIK,1990-08-18,P,61.04.01,,", "birth_date"),  # NIK says 17 August
        ("610401570890000,Pendek,1990-08-17,P,61.04.01,,", "nik"),
        ("6199015708900001,Wilayah,1990-08-17,P,61.04.01,,", "nik"),  # regency 61.99 does not exist
        ("6104015708900001,Kecamatan,1990-08-17,P,61.99.01,,", "district_code"),
        ("6104015708900001,Jenis,1990-08-17,X,61.04.01,,", "sex"),
        ("6104015708900001,,1990-08-17,P,61.04.01,,", "name"),
        ("6104015708900001,Kpj,1990-08-17,P,61.04.01,,12345", "kpj"),
    ],
)
def test_a_rejected_row_names_the_field(db: Any, tmp_path: Path, row: str, field: str) -> None:
    text = "nik,name,birth_date,sex,district_code,phone,kpj\n" + row + "\n"
    report = run("persons", write(tmp_path, "row.csv", text))
    assert report.rejected == 1
    assert report.rows[0].field == field
    assert report.rows[0].reason


def test_the_same_nik_twice_in_a_file_is_rejected(db: Any, tmp_path: Path) -> None:
    text = PERSONS + "6104015708900001,Siti A.,1990-08-17,P,61.04.01,,\n"
    report = run("persons", write(tmp_path, "twice.csv", text))
    assert report.rows[-1].status == "rejected"
    assert "baris 2" in report.rows[-1].reason  # Indonesian first: "also in row 2"


def test_a_possible_duplicate_person_is_reported_not_merged(loaded: Path, tmp_path: Path) -> None:
    text = "nik,name,birth_date,sex,district_code\n6104025708900007,siti aminah,1990-08-17,P,61.04.02\n"
    report = run("persons", write(tmp_path, "dup.csv", text))
    assert report.applied
    assert report.rows[0].status == "accepted"
    assert "kemungkinan duplikat" in report.rows[0].warnings[0]  # "possible duplicate"
    assert Person.objects.filter(birth_date="1990-08-17").count() == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "berkas kosong"),  # the reasons are in Indonesian, the default language
        (b"\n\n", "berkas kosong"),
        (b"nik;nama\n", "kolom yang kurang"),
        (b"nik,name,birth_date,sex,district_code,colour\n", "kolom tidak dikenal: colour"),
        (b"nik,name,birth_date,sex,district_code\n", "tidak memiliki baris data"),
        ("nik,name,birth_date,sex,district_code\n6104015708900001,Sit\xed,1990-08-17,P,61.04.01\n".encode("latin-1"),
         "bukan teks UTF-8"),
        (HEADER + b'6104015708900001,"' + b"x" * (50 * 1024 * 1024) + b'",1990-08-17,P,61.04.01\n',
         "tidak dapat dibaca"),
    ],
)  # fmt: skip
def test_a_malformed_file_gets_a_clear_reason_and_changes_nothing(
    db: Any, tmp_path: Path, content: bytes, expected: str
) -> None:
    report = run("persons", write(tmp_path, "broken.csv", content))
    assert expected in report.file_problem
    assert not report.applied
    assert Person.objects.count() == 0


def test_a_dry_run_checks_everything_and_writes_nothing(db: Any, tmp_path: Path) -> None:
    report = run("persons", write(tmp_path, "p.csv", PERSONS), dry_run=True)
    assert report.counts == {"accepted": 3}
    assert not report.applied
    assert Person.objects.count() == 0


def test_an_xlsx_file_from_the_template_imports(db: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(import_template("persons", "xlsx")))
    sheet = workbook["persons"]
    sheet.append(["6101011203850002", "Budi Santoso", "1985-03-12", "L", "61.01.01", None, None])
    path = tmp_path / "persons.xlsx"
    workbook.save(path)
    report = run("persons", path)
    assert report.counts == {"accepted": 2}  # the template's example row and Budi
    assert Person.objects.filter(nik="6101011203850002").exists()


def test_an_officer_cannot_import_persons_of_another_regency(personas: Personas, tmp_path: Path) -> None:
    report = import_file(actor=personas.sambas, kind="persons", path=write(tmp_path, "p.csv", PERSONS), reason="x")
    statuses = {r.key: r.status for r in report.rows}
    assert statuses["6101011203850002"] == "unchanged"  # registered in Sambas by the test world
    assert statuses["6104015708900001"] == "rejected"  # Ketapang
    assert statuses["6171014506000004"] == "rejected"  # Pontianak
    assert not report.applied


def test_the_template_lists_the_columns() -> None:
    assert (
        import_template("persons", "csv").decode().splitlines()[0] == "nik,name,birth_date,sex,district_code,phone,kpj"
    )
    assert import_template("memberships", "csv").decode().startswith("nik,segment,start_date")


def test_the_command_exits_2_and_writes_the_report(db: Any, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", "nik,name\n1,2\n")
    report_path = tmp_path / "report.csv"
    with pytest.raises(CommandError) as raised:
        call_command("import", "persons", str(bad), "--report", str(report_path), stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert "kolom yang kurang" in report_path.read_text("utf-8")
    out = io.StringIO()
    call_command("import", "persons", str(write(tmp_path, "ok.csv", PERSONS)), "--report", str(report_path), stdout=out)
    assert "3 baru" in out.getvalue()  # the CLI speaks the default language, Indonesian
    assert report_path.read_text("utf-8").count("accepted") == 3
