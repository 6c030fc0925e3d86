"""The whole-file import path and the row-by-row path give the same outcome on any file.

The fast path only takes files it can prove clean; on every other file it steps aside. Either
way, the report and the database must be exactly what the row-by-row reference gives.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsostek.core.models import AuditRecord
from jamsostek.registry import services
from jamsostek.registry.models import Membership, MembershipEvent, Person, WageReport
from jamsostek.registry.services import import_file
from tests.conftest import World

DISTRICTS = ["61.04.01", "61.04.02", "61.01.01", "61.71.01", "61.72.02"]
NAMES = ["Siti Aminah", "Budi Santoso", "Dewi  Lestari", "Ahmad", "Maria Ulfa", "siti aminah", ""]


@st.composite
def person_rows(draw: st.DrawFn, clean: bool = False) -> list[str]:
    district = draw(st.sampled_from(DISTRICTS))
    female = draw(st.booleans())
    birth = date(1960, 1, 1) + timedelta(days=draw(st.integers(0, 16_000)))
    day = birth.day + (40 if female else 0)
    serial = draw(st.integers(1, 30))
    nik = f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    sex = "P" if female else "L"
    birth_text = birth.isoformat()
    troubles = ["dmy", "sex", "alias", "nik", "date", "phone", "district"]
    trouble = "none" if clean else draw(st.sampled_from(["none"] * 6 + troubles))
    if trouble == "dmy":
        birth_text = f"{birth.day:02d}-{birth.month:02d}-{birth.year}"
    elif trouble == "sex":
        sex = "L" if female else "P"
    elif trouble == "alias":
        sex = "Perempuan" if female else "laki-laki"
    elif trouble == "nik":
        nik = nik[:-1]
    elif trouble == "date":
        birth_text = (birth + timedelta(days=1)).isoformat()
    elif trouble == "district":
        district = "61.99.01"
    phone = draw(st.sampled_from(["", "081234567890", "+62 812-555-1234", "12"] if trouble == "phone" else
                                 ["", "081234567890"]))  # fmt: skip
    names = [name for name in NAMES if name] if clean else NAMES
    return [nik, draw(st.sampled_from(names)), birth_text, sex, district, phone, ""]


person_files = st.one_of(st.lists(person_rows(clean=True), min_size=1, max_size=25),
                         st.lists(person_rows(), min_size=1, max_size=25))  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


ACTORS = ("system", "bpjs", "ketapang", "agency")
"""Who imports: the system, a province-wide editor, a regency officer (61.04), an agency administrator."""


def actor_named(name: str) -> Any:
    """The user of ``ACTORS`` (made once per test database); None for the system."""
    from jamsostek.accounts.models import Role, User
    from jamsostek.registry.models import Employer

    if name == "system":
        return None
    if name == "bpjs":
        return User.objects.get_or_create(username="paths-bpjs", defaults={"role": Role.BPJS_OFFICER})[0]
    if name == "ketapang":
        return User.objects.get_or_create(
            username="paths-ketapang", defaults={"role": Role.REGENCY_OFFICER, "region_id": "61.04"}
        )[0]
    employer = Employer.objects.filter(npp="K0001").first() or services.employer_register(
        actor=None, npp="K0001", name="PT Sawit Ketapang", risk_class=4, size_class="large", region_code="61.04.01",
        reason="test setup",
    )  # fmt: skip
    return User.objects.get_or_create(
        username="paths-agency", defaults={"role": Role.AGENCY_ADMIN, "employer": employer}
    )[0]


def outcome(kind: str, path: Path, fast: bool, actor: Any = None) -> dict[str, Any]:
    """Import in a transaction that is rolled back; return what it did."""
    with transaction.atomic():
        report = import_file(actor=actor, kind=kind, path=path, reason="paths", fast_path=fast)
        result = {
            "applied": report.applied,
            "counts": dict(report.counts),
            "rows": [(r.row, r.key, r.status, r.field, r.warnings) for r in report.rows],
            "persons": sorted(
                Person.objects.values_list(
                    "nik", "name", "birth_date", "sex", "region_id", "regency_id", "phone", "kpj"
                )
            ),
            "memberships": sorted(
                Membership.objects.values_list(
                    "natural_key",
                    "segment",
                    "payer",
                    "regency_id",
                    "employer_id",
                    "sponsor_id",
                    "project_id",
                    "jkk",
                    "jkm",
                    "jht",
                    "jp",
                    "jkp",
                    "start_date",
                    "end_date",
                    "contract_months",
                    "pre_departure",
                )
            ),
            "wages": sorted(
                WageReport.objects.values_list("membership__natural_key", "valid_from", "amount", "fixed_allowances")
            ),
            "events": sorted(MembershipEvent.objects.values_list("membership__natural_key", "kind", "on", "reason")),
            "audit": sorted(_audit(), key=repr),
        }
        transaction.set_rollback(True)
    result["method"] = report.method
    return result


def _audit() -> list[tuple[Any, ...]]:
    keys = {str(pk): nik for pk, nik in Person.objects.values_list("id", "nik")}
    keys |= {f"m{pk}": key for pk, key in Membership.objects.values_list("id", "natural_key")}
    rows = []
    for record in AuditRecord.objects.filter(reason="paths", entity__in=["registry.person", "registry.membership"]):
        prefix = "m" if record.entity == "registry.membership" else ""
        changes = record.changes if isinstance(record.changes, dict) else json.loads(record.changes)
        rows.append(
            (record.action, record.entity, keys.get(prefix + record.entity_id), json.dumps(changes, sort_keys=True))
        )
    return rows


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=person_files, who=st.sampled_from(ACTORS))
def test_persons_fast_and_row_by_row_agree(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], who: str
) -> None:
    """Whoever imports (the access policy decides the same way on both paths)."""
    path = write_csv(tmp_path_factory.mktemp("p") / "persons.csv",
                     ["nik", "name", "birth_date", "sex", "district_code", "phone", "kpj"], rows)  # fmt: skip
    actor = actor_named(who)
    slow = outcome("persons", path, fast=False, actor=actor)
    quick = outcome("persons", path, fast=True, actor=actor)
    assert slow.pop("method") == "row-by-row"
    quick.pop("method")
    assert quick == slow


def test_a_clean_file_takes_the_fast_path_and_a_bad_one_does_not(db: Any, tmp_path: Path) -> None:
    header = ["nik", "name", "birth_date", "sex", "district_code", "phone", "kpj"]
    clean = write_csv(tmp_path / "clean.csv", header, [["6104015708900001", "Siti", "1990-08-17", "P", "61.04.01",
                                                         "", ""]])  # fmt: skip
    assert outcome("persons", clean, fast=True)["method"] == "whole-file"
    # a regency officer's file of their own regency takes it too; one row elsewhere sends it row by row
    officer = actor_named("ketapang")
    assert outcome("persons", clean, fast=True, actor=officer)["method"] == "whole-file"
    elsewhere = write_csv(tmp_path / "elsewhere.csv", header, [
        ["6104015708900001", "Siti", "1990-08-17", "P", "61.04.01", "", ""],
        ["6101011203850002", "Budi", "1985-03-12", "L", "61.01.01", "", ""],
    ])  # fmt: skip
    refused = outcome("persons", elsewhere, fast=True, actor=officer)
    assert refused["method"] == "row-by-row"
    assert refused["counts"] == {"accepted": 1, "rejected": 1}
    assert refused["persons"] == []
    dmy = write_csv(tmp_path / "dmy.csv", header, [["6104015708900001", "Siti", "17-08-1990", "P", "61.04.01", "", ""]])
    assert outcome("persons", dmy, fast=True)["method"] == "row-by-row"


MEMBERSHIP_HEADER = ["nik", "segment", "start_date", "end_date", "npp", "sponsor_code", "project_code", "wage", "jht",
                     "jp", "contract_months", "pre_departure"]  # fmt: skip


@st.composite
def membership_rows(draw: st.DrawFn, clean: bool = False) -> list[Any]:
    niks = ["6104015708900001", "6101011203850002", "6104024101950003", "6171014506000004"]
    nik = draw(st.sampled_from(niks if clean else [*niks, "6100000000000000"]))
    if clean:
        return draw(clean_membership(nik))
    segment = draw(st.sampled_from(["pu", "pu", "bpu", "bpu", "jakon", "pmi", "PU", "xx"]))
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    end = draw(st.one_of(st.just(""), st.integers(-10, 400).map(lambda d: (start + timedelta(days=d)).isoformat())))
    npp = draw(st.sampled_from(["", "K0001", "S0001", "NOPE"]))
    sponsor = draw(st.sampled_from(["", "", "PROV-2025", "NOPE"]))
    project = draw(st.sampled_from(["", "", "PRJ-1"]))
    wage = draw(st.sampled_from(["", "3500000", "4000000", "5.000.000"]))
    flag = st.sampled_from(["", "", "ya", "tidak", "maybe"])
    months = draw(st.sampled_from(["", "24", "0", "12"]))
    start_text = start.isoformat() if draw(st.integers(0, 9)) else f"{start.day:02d}-{start.month:02d}-{start.year}"
    return [nik, segment, start_text, end, npp, sponsor, project, wage, draw(flag), draw(flag), months, draw(flag)]


@st.composite
def clean_membership(draw: st.DrawFn, nik: str) -> list[Any]:
    """A row in canonical form that follows every rule (it may still overlap another row)."""
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    end = draw(st.one_of(st.just(""), st.integers(0, 400).map(lambda d: (start + timedelta(days=d)).isoformat())))
    flag = st.sampled_from(["", "ya", "tidak"])
    kind = draw(st.sampled_from(["pu", "pu-small", "bpu", "bpu-sponsor", "jakon", "pmi"]))
    if kind == "pu":
        return [nik, "pu", start.isoformat(), end, "K0001", "", "", draw(st.sampled_from(["3500000", "4000000"])),
                "", draw(st.sampled_from(["", "ya"])), "", ""]  # fmt: skip
    if kind == "pu-small":
        return [nik, "pu", start.isoformat(), end, "S0001", "", "", "3200000", "", draw(flag), "", ""]
    if kind == "bpu":
        return [nik, "bpu", start.isoformat(), end, "", "", "", "1000000", draw(flag), "", "", ""]
    if kind == "bpu-sponsor":
        return [nik, "bpu", start.isoformat(), end, "", "PROV-2025", "", "", draw(flag), "", "", ""]
    if kind == "jakon":
        return [nik, "jakon", start.isoformat(), end, "", "", "PRJ-1", "4100000", "", "", "", ""]
    return [nik, "pmi", start.isoformat(), end, "", "", "", "", draw(flag), "", "24", draw(flag)]


membership_files = st.one_of(st.lists(membership_rows(clean=True), min_size=1, max_size=4, unique_by=lambda r: r[0]),
                             st.lists(membership_rows(), min_size=1, max_size=12))  # fmt: skip


@pytest.fixture
def sponsored_world(world: World) -> World:
    services.sponsor_program_create(
        actor=None, code="PROV-2025", name="Pekerja rentan", kind="province_budget", region_code="61", year=2025,
        quota=3, start_date=date(2024, 1, 1), end_date=date(2025, 12, 31), reason="paths",
    )  # fmt: skip
    contractor = services.employer_register(actor=None, npp="KON1", name="PT Bangun", kind="contractor", risk_class=5,
                                            size_class="medium", region_code="61.04", reason="paths")  # fmt: skip
    services.project_create(
        actor=None, code="PRJ-1", name="Jalan desa", employer=contractor, region_code="61.04.01",
        contract_value=750_000_000, start_date=date(2024, 1, 1), end_date=date(2025, 12, 31), reason="paths",
    )  # fmt: skip
    services.person_register(actor=None, nik="6171014506000004", name="Dewi", birth_date=date(2000, 6, 5), sex="F",
                             region_code="61.71.01", reason="paths")  # fmt: skip
    return world


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=membership_files, who=st.sampled_from(ACTORS))
def test_memberships_fast_and_row_by_row_agree(
    sponsored_world: World, tmp_path_factory: pytest.TempPathFactory, rows: list[list[Any]], who: str
) -> None:
    path = write_csv(tmp_path_factory.mktemp("m") / "memberships.csv", MEMBERSHIP_HEADER, rows)
    actor = actor_named(who)
    slow = outcome("memberships", path, fast=False, actor=actor)
    quick = outcome("memberships", path, fast=True, actor=actor)
    slow.pop("method")
    quick.pop("method")
    assert quick == slow


def test_a_synthetic_province_imports_the_same_both_ways(tmp_path: Path, db: Any) -> None:
    """A realistic clean file set: the fast path must take it, and give the reference's result."""
    from jamsostek.registry.management.commands.synth import Command
    from jamsostek.registry.synth import Generator

    files = Generator(scale=0.0008, seed=11, as_of=date(2026, 10, 31)).write(tmp_path)
    assert import_file(actor=None, kind="employers", path=files.employers, reason="paths").applied
    Command()._sponsors_and_projects(files, date(2026, 10, 31), "paths")
    slow = outcome("persons", files.persons, fast=False)
    quick = outcome("persons", files.persons, fast=True)
    assert (slow.pop("method"), quick.pop("method")) == ("row-by-row", "whole-file")
    assert quick == slow
    assert import_file(actor=None, kind="persons", path=files.persons, reason="paths").applied
    slow = outcome("memberships", files.memberships, fast=False)
    quick = outcome("memberships", files.memberships, fast=True)
    assert (slow.pop("method"), quick.pop("method")) == ("row-by-row", "whole-file")
    assert slow["counts"]["accepted"] > 500
    assert quick == slow


def test_clean_memberships_take_the_fast_path(sponsored_world: World, tmp_path: Path) -> None:
    rows = [
        ["6104015708900001", "bpu", "2025-01-01", "", "", "PROV-2025", "", "", "", "", "", ""],
        ["6101011203850002", "pmi", "2025-02-01", "", "", "", "", "", "ya", "", "24", "ya"],
        ["6171014506000004", "jakon", "2024-03-01", "2024-12-31", "", "", "PRJ-1", "4000000", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "m.csv", MEMBERSHIP_HEADER, rows)
    quick = outcome("memberships", path, fast=True)
    assert quick["method"] == "whole-file"
    assert quick["counts"] == {"accepted": 3}
    slow = outcome("memberships", path, fast=False)
    quick.pop("method")
    slow.pop("method")
    assert quick == slow
