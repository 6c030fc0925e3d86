"""Historical claims from a BPJS branch: checked like every import (all rows or none, a row-by-row
report, the same file twice changing nothing), and their statistics on the command line."""

from __future__ import annotations

import csv
import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsostek.claims.models import Claim, ClaimPayment
from jamsostek.claims.services import claims_import
from jamsostek.core.errors import Forbidden
from jamsostek.core.models import AuditRecord
from tests.conftest import Personas, World

HEADER = ["claim_number", "nik", "program", "event_date", "paid_date", "amount", "kpj", "regency_code"]


def write(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def branch_file(world: World, path: Path) -> Path:
    """Four paid claims: two of registered participants, one of an unregistered Sambas NIK, one of
    an unregistered participant from outside the province with the regency given."""
    return write(path, [
        ["KTP/2023/0001", world.ketapang_worker.nik, "jht", "2023-02-01", "2023-03-03", "15250000", "", ""],
        ["KTP/2023/0002", world.nurse.nik, "jkk", "2023-05-20", "2023-06-02", "4800000", "", ""],
        ["SBS/2023/0003", "6101014506800004", "jkm", "2023-07-01", "2023-07-20", "42000000", "", ""],
        ["PTK/2024/0004", "3201014506800004", "scholarship", "2023-07-01", "2024-01-15", "3000000", "12345678901",
         "61.71"],
    ])  # fmt: skip


def test_a_branch_file_becomes_paid_claims_with_their_memberships_and_audit_records(
    world: World, tmp_path: Path
) -> None:
    report = claims_import(actor=None, path=branch_file(world, tmp_path / "claims.csv"), reason="Pontianak branch")
    assert report.applied
    assert (report.counts["accepted"], report.rejected, report.warned) == (4, 0, 2)
    jht = Claim.objects.get(number="KTP/2023/0001")
    assert (jht.origin, jht.state, jht.person, jht.regency_id, jht.paid_on) == (
        "import", "paid", world.ketapang_worker, "61.04", date(2023, 3, 3))  # fmt: skip
    assert (jht.membership, jht.segment, jht.payer, jht.employer) == (None, "", "", None)  # joined 2024
    nurse = Claim.objects.get(number="KTP/2023/0002")
    assert (nurse.membership, nurse.segment, nurse.employer) == (world.honorary, "pu", world.agency)
    sambas = Claim.objects.get(number="SBS/2023/0003")
    assert (sambas.person, sambas.regency_id) == (None, "61.01")  # the NIK's regency
    assert Claim.objects.get(number="PTK/2024/0004").regency_id == "61.71"
    assert list(ClaimPayment.objects.order_by("claim__number").values_list("amount", "state", "sequence")) == [
        (15_250_000, "paid", 1), (4_800_000, "paid", 1), (3_000_000, "paid", 1), (42_000_000, "paid", 1)]  # fmt: skip
    audit = AuditRecord.objects.get(entity="claims.claim", entity_id=str(jht.pk))
    assert (audit.action, audit.reason, audit.changes["amount"], audit.changes["paid_on"]) == (
        "create", "Pontianak branch", [None, 15_250_000], [None, "2023-03-03"])  # fmt: skip
    warned = [row.warnings for row in report.rows if row.warnings]
    assert warned[0] == ("the participant is not in the registry: the claim counts for 61.01",)


def test_the_same_file_twice_changes_nothing(world: World, tmp_path: Path) -> None:
    path = branch_file(world, tmp_path / "claims.csv")
    claims_import(actor=None, path=path, reason="first")
    again = claims_import(actor=None, path=path, reason="again")
    assert (again.applied, again.counts["unchanged"], again.counts["accepted"]) == (True, 4, 0)
    assert Claim.objects.count() == 4
    assert AuditRecord.objects.filter(entity="claims.claim").count() == 4


def test_one_bad_row_applies_nothing_and_the_report_names_each_row(world: World, tmp_path: Path) -> None:
    rows = [
        ["A/1", world.ketapang_worker.nik, "jht", "2023-02-01", "2023-03-03", "15.250.000", "", ""],
        ["A/2", world.ketapang_worker.nik, "pension", "2023-02-01", "2023-03-03", "1000", "", ""],
        ["A/3", "1234", "jkm", "2023-02-01", "2023-03-03", "1000", "", ""],
        ["A/4", world.nurse.nik, "jkk", "2023-02-01", "2023-01-03", "1000", "", ""],
        ["A/1", world.nurse.nik, "jkk", "2023-02-01", "2023-03-03", "1000", "", ""],
        ["A/6", "3201014506800004", "jkk", "2023-02-01", "2023-03-03", "1000", "", ""],
        ["A/7", world.nurse.nik, "jkk", "2023-02-01", "2023-03-03", "0", "", ""],
        ["A/8", world.nurse.nik, "jkk", "2023-02-01", "2023-03-03", "1000", "", "61.99"],
    ]
    report = claims_import(actor=None, path=write(tmp_path / "bad.csv", rows), reason="bad")
    assert not report.applied
    assert Claim.objects.count() == 0
    rejected = {row.row: (row.field, row.reason) for row in report.rows if row.status == "rejected"}
    assert rejected[3][0] == "program"
    assert rejected[4] == ("nik", "a NIK has exactly 16 digits")
    assert rejected[5] == ("paid_date", "is before the event date")
    assert rejected[6] == ("claim_number", "this claim number is also in row 2")
    assert rejected[7][0] == "regency_code"  # neither registered nor a Kalimantan Barat NIK
    assert rejected[8] == ("amount", "must be more than zero")
    assert rejected[9] == ("regency_code", "is not a regency or city of Kalimantan Barat")
    assert 2 not in rejected  # 15.250.000 is fifteen million and a quarter


def test_a_recorded_claim_is_never_changed_by_an_import(world: World, tmp_path: Path) -> None:
    claims_import(actor=None, path=branch_file(world, tmp_path / "claims.csv"), reason="first")
    row = ["KTP/2023/0001", world.ketapang_worker.nik, "jht", "2023-02-01", "2023-03-03", "15350000", "", ""]
    report = claims_import(actor=None, path=write(tmp_path / "changed.csv", [row]), reason="changed")
    assert not report.applied
    assert report.rows[0].field == "claim_number"
    assert "is already recorded with other values" in report.rows[0].reason
    assert ClaimPayment.objects.get(claim__number="KTP/2023/0001").amount == 15_250_000


def test_only_those_who_pay_claims_import_them(world: World, personas: Personas, tmp_path: Path) -> None:
    path = branch_file(world, tmp_path / "claims.csv")
    for user in (personas.analyst, personas.ketapang, personas.agency):
        with pytest.raises(Forbidden):
            claims_import(actor=user, path=path, reason="mine")
    assert claims_import(actor=personas.bpjs, path=path, reason="branch").applied


def test_an_xlsx_file_is_read_like_a_csv_one(world: World, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nomor_klaim", "nik", "program", "tanggal_kejadian", "tanggal_bayar", "nominal"])
    sheet.append(["X/1", world.nurse.nik, "JKK", date(2023, 5, 20), "20-06-2023", 4_800_000])
    book.save(tmp_path / "claims.xlsx")
    report = claims_import(actor=None, path=tmp_path / "claims.xlsx", reason="xlsx")
    assert (report.applied, report.method) == (True, "row-by-row")
    assert Claim.objects.get(number="X/1").paid_on == date(2023, 6, 20)


def test_the_command_imports_a_file_and_prints_the_statistics_as_json(world: World, tmp_path: Path) -> None:
    out = StringIO()
    call_command("claims", "import", str(branch_file(world, tmp_path / "claims.csv")), stdout=out)
    assert "4 new" in out.getvalue()
    out = StringIO()
    call_command("claims", "stats", year=2023, by="program", format="json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "rows": [{"key": "jht", "cases": 1, "amount": 15_250_000}, {"key": "jkk", "cases": 1, "amount": 4_800_000},
                 {"key": "jkm", "cases": 1, "amount": 42_000_000}],
        "totals": {"cases": 3, "amount": 62_050_000},
    }  # fmt: skip
    out = StringIO()
    call_command("claims", "stats", year=2023, region="61.04", by="segment", format="json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "rows": [{"key": "pu", "cases": 1, "amount": 4_800_000}, {"key": "unknown", "cases": 1, "amount": 15_250_000}],
        "totals": {"cases": 2, "amount": 20_050_000},
    }  # fmt: skip


def test_the_command_refuses_a_bad_file_with_exit_status_2(world: World, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", [["A/1", "1234", "jkm", "2023-02-01", "2023-03-03", "1000", "", ""]])
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("claims", "import", str(path), stdout=out)
    assert refused.value.returncode == 2
    assert "row 2: nik: a NIK has exactly 16 digits" in out.getvalue()


def test_the_template_lists_the_columns(db: Any) -> None:
    out = StringIO()
    call_command("claims", "import", "--template", stdout=out)
    assert out.getvalue().splitlines()[0] == ",".join(HEADER)
