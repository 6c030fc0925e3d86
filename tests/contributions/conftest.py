"""A small billed world: one participant of every segment and payer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jamsostek.registry import services
from tests.conftest import World


class Billed:
    def __init__(self, world: World) -> None:
        self.world = world
        self.sponsor = services.sponsor_program_create(
            actor=None, code="PROV-2025", name="Pekerja rentan Pemprov", kind="province_budget", region_code="61",
            year=2025, quota=10, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
        )  # fmt: skip
        self.contractor = services.employer_register(
            actor=None, npp="KON1", name="PT Bangun Kalbar", kind="contractor", risk_class=5, size_class="medium",
            region_code="61.04", reason="setup",
        )  # fmt: skip
        self.project = services.project_create(
            actor=None, code="PRJ-1", name="Jalan desa", employer=self.contractor, region_code="61.04.01",
            contract_value=750_000_000, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), reason="setup",
        )  # fmt: skip
        self.farmer = services.person_register(
            actor=None, nik="6101014506800004", name="Petani Mandiri", birth_date=date(1980, 6, 5), sex="F",
            region_code="61.01.01", reason="setup",
        )  # fmt: skip
        self.vulnerable = services.person_register(
            actor=None, nik="6171010101700005", name="Pekerja Rentan", birth_date=date(1970, 1, 1), sex="M",
            region_code="61.71.01", reason="setup",
        )  # fmt: skip
        self.builder = services.person_register(
            actor=None, nik="6104010202880006", name="Tukang Bangunan", birth_date=date(1988, 2, 2), sex="M",
            region_code="61.04.01", reason="setup",
        )  # fmt: skip
        self.migrant = services.person_register(
            actor=None, nik="6101015503990007", name="Pekerja Migran", birth_date=date(1999, 3, 15), sex="F",
            region_code="61.01.01", reason="setup",
        )  # fmt: skip
        self.bpu = services.membership_enrol(
            actor=None, person=self.farmer, segment="bpu", start_date=date(2024, 6, 1), wage=1_000_000, jht=True,
            reason="setup",
        )  # fmt: skip
        self.sponsored = services.membership_enrol(
            actor=None, person=self.vulnerable, segment="bpu", sponsor=self.sponsor, start_date=date(2025, 1, 1),
            reason="setup",
        )  # fmt: skip
        self.jakon = services.membership_enrol(
            actor=None, person=self.builder, segment="jakon", project=self.project, start_date=date(2025, 1, 1),
            wage=4_000_000, reason="setup",
        )  # fmt: skip
        self.pmi = services.membership_enrol(
            actor=None, person=self.migrant, segment="pmi", start_date=date(2025, 3, 10), contract_months=24,
            pre_departure=True, reason="setup",
        )  # fmt: skip


@pytest.fixture
def billed(world: World) -> Billed:
    return Billed(world)


@pytest.fixture
def march() -> Any:
    from jamsostek.rules.periods import Month

    return Month(2025, 3)
