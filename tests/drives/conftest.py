"""Helpers of the drives' tests: list files written as a village or an agency would send them, a
funded sponsor program, the NIKs of made-up people."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jamsostek.drives import services
from jamsostek.drives.models import Funding
from jamsostek.registry import services as registry
from jamsostek.registry.models import SponsorProgram

HEADER = ("nik", "name", "birth_date", "sex", "district_code", "village", "category")


def nik(district: str, birth: date, sex: str, serial: int) -> str:
    """A NIK that agrees with its birth date and sex (day + 40 for women)."""
    day = birth.day + (40 if sex == "P" else 0)
    return f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def person(
    district: str, birth: date, sex: str, serial: int, name: str = "", village: str = "", category: str = ""
) -> tuple[str, ...]:
    return (
        nik(district, birth, sex, serial),
        name or f"Warga {serial}",
        birth.isoformat(),
        sex,
        district,
        village,
        category,
    )


def write_list(path: Path, rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def funded_program(
    *,
    code: str,
    region: str,
    kind: str = "regency_budget",
    source: str = "regency_apbd",
    year: int = 2026,
    quota: int = 1_000,
    ceiling: int = 1_000_000_000,
    owner: Any = None,
    with_jht: bool = False,
    prepare: Sequence[str] = ("regency", "employer"),
    approve: Sequence[str] = ("regency", "province"),
) -> tuple[SponsorProgram, Funding]:
    program = registry.sponsor_program_create(
        actor=None,
        code=code,
        name=f"Program {code}",
        kind=kind,
        region_code=region,
        year=year,
        quota=quota,
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        with_jht=with_jht,
        reason="test setup",
    )
    funding = services.funding_set(
        actor=None,
        program=program,
        source=source,
        budget_ceiling=ceiling,
        instrument_kind="perbup",
        instrument_number=f"{code}/{year}",
        instrument_date=date(year - 1, 12, 1),
        prepare_levels=prepare,
        approve_levels=approve,
        owner=owner,
        reason="test setup",
    )
    return program, funding


@pytest.fixture
def list_dir(tmp_path: Path) -> Path:
    return tmp_path
