"""Importing a list of names: every row checked, the bad ones reported with their reason, the rest
usable; matched against the registry and the other lists; who may import what."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from jamsostek.accounts.policy import for_user
from jamsostek.core.errors import Forbidden, InvalidField, NotFound
from jamsostek.core.models import AuditRecord
from jamsostek.drives import selectors, services
from jamsostek.drives.models import Candidate, CandidateList
from jamsostek.drives.present import candidate
from tests.conftest import Personas
from tests.drives.conftest import nik, person, write_list

ON = date(2026, 3, 2)


def _import(actor: object, path: Path, region: str = "61.04", **extra: object) -> CandidateList:
    return services.candidate_list_import(
        actor=actor,
        path=path,
        name="Daftar desa",
        source="village_list",
        source_date=date(2026, 2, 1),
        region_code=region,
        default_category="vulnerable",
        as_of=ON,
        reason="test",
        **extra,
    )


def test_a_bad_row_is_reported_with_its_reason_and_the_rest_stays_usable(personas: Personas, tmp_path: Path) -> None:
    good = person("61.04.01", date(1988, 5, 9), "L", 1)
    rows = [
        good,
        ("6104010905880002", "Rudi", "1988-05-10", "L", "61.04.01", "", ""),  # birth date not the NIK's
        person("61.04.02", date(1991, 7, 3), "P", 2),
        good,  # the same person again
        person("61.01.01", date(1990, 1, 1), "L", 3),  # lives in Sambas: not this list's region
    ]
    listed = _import(personas.ketapang, write_list(tmp_path / "desa.csv", rows))
    assert (listed.rows, listed.usable, listed.rejected) == (5, 2, 3)
    outcome = {row.row: row for row in Candidate.objects.filter(list=listed)}
    assert outcome[2].status == "usable"
    assert (outcome[3].field, outcome[3].problem) == ("birth_date", "nik_birth_mismatch")
    assert (outcome[5].field, outcome[5].problem) == ("nik", "duplicate_in_list")
    assert outcome[6].problem == "outside_region"
    with translation.override("en"):
        shown = candidate(for_user(personas.ketapang), outcome[3])
    assert shown["reason"] == "the birth date 1988-05-10 does not match the NIK, which encodes 09-05-..88"
    with translation.override("id"):
        assert candidate(for_user(personas.ketapang), outcome[5])["reason"] != ""


def test_each_usable_row_says_what_the_registry_holds_of_it(personas: Personas, tmp_path: Path) -> None:
    # the personas' world: Siti Aminah works at PT Sawit Ketapang
    rows = [
        ("6104015708900001", "Siti Aminah", "1990-08-17", "P", "61.04.01", "", ""),
        person("61.04.02", date(1975, 4, 4), "L", 4),
    ]
    listed = _import(personas.admin, write_list(tmp_path / "l.csv", rows))
    first, second = Candidate.objects.filter(list=listed).order_by("row")
    assert (first.match, first.protected_segment, first.protected_payer) == ("protected", "pu", "employer")
    assert first.protected_by == "PT Sawit Ketapang"
    assert second.match == "new"
    again = _import(personas.admin, write_list(tmp_path / "again.csv", rows))
    assert list(Candidate.objects.filter(list=again).values_list("in_other_lists", flat=True)) == [1, 1]


def test_who_protects_a_candidate_is_not_told_to_a_reader_outside_that_region(
    personas: Personas, tmp_path: Path
) -> None:
    rows = [("6101011203850002", "Budi Santoso", "1985-03-12", "L", "61.01.01", "", "")]  # a Sambas worker
    listed = _import(personas.admin, write_list(tmp_path / "l.csv", rows), region="61")
    row = Candidate.objects.get(list=listed)
    assert candidate(for_user(personas.admin), row)["protected_by"] == "CV Jeruk Sambas"
    assert candidate(for_user(personas.analyst), row)["nik"] == "610101**********"


def test_an_xlsx_list_is_checked_like_a_csv_one(personas: Personas, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Kecamatan", "Desa", "Kategori"])
    sheet.append([nik("61.04.01", date(1980, 2, 2), "P", 9), "Ani", "02-02-1980", "P", "", "Sukamaju", "rentan"])
    sheet.append(["123", "Bad", "1980-02-02", "P", "", "", ""])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    listed = _import(personas.ketapang, path)
    assert (listed.usable, listed.rejected) == (1, 1)
    usable = Candidate.objects.get(list=listed, status="usable")
    assert (usable.district, usable.village, usable.category) == ("61.04.01", "Sukamaju", "vulnerable")


def test_a_file_that_cannot_be_read_is_refused_naming_the_file(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,birth\nA,1990-01-01\n", encoding="utf-8")
    with pytest.raises(InvalidField) as refused:
        _import(personas.ketapang, path)
    assert refused.value.field == "file"
    assert not CandidateList.objects.exists()


def test_the_import_of_a_list_leaves_one_audit_record_with_its_counts(personas: Personas, tmp_path: Path) -> None:
    rows = [person("61.04.01", date(1980 + i, 1, 1), "L", i + 1) for i in range(3)]
    listed = _import(personas.ketapang, write_list(tmp_path / "l.csv", rows))
    (record,) = AuditRecord.objects.filter(batch=listed.batch)
    assert (record.entity, record.entity_id, record.actor_label) == ("drives.candidatelist", str(listed.pk), "ketapang")
    assert record.changes["rows"] == [None, 3]
    assert record.reason == "test"


def test_who_may_import_a_list_where(personas: Personas, tmp_path: Path, world: object) -> None:
    path = write_list(tmp_path / "l.csv", [person("61.04.01", date(1980, 1, 1), "L", 1)])
    with pytest.raises(Forbidden):
        _import(personas.analyst, path)  # analysts change nothing
    with pytest.raises(Forbidden) as outside:
        _import(personas.sambas, path)  # Sambas' officer, a Ketapang list
    assert outside.value.field == "region_code"
    with pytest.raises(Forbidden):
        _import(personas.agency, path)  # an agency's list is its own: name the agency as its owner
    listed = _import(personas.agency, path, owner=personas.agency.employer)
    assert selectors.candidate_list_get(visible_to=personas.agency, pk=listed.pk) == listed
    assert selectors.candidate_list_get(visible_to=personas.ketapang, pk=listed.pk) == listed
    with pytest.raises(NotFound):
        selectors.candidate_list_get(visible_to=personas.sambas, pk=listed.pk)
