"""Shared fixtures: test personas (one per role, in two regencies) and helpers.

Tests that touch the database are marked ``database`` automatically, so that ``make test`` can
run them a second time on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings

# Tests create many users: a fast password hasher keeps them quick (never used outside tests).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DB_FIXTURES = {"db", "transactional_db", "client", "admin_client", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DB_FIXTURES or fixtures & PERSONA_FIXTURES:
            item.add_marker(pytest.mark.database)


PERSONA_FIXTURES = {"personas", "world"}

KETAPANG = "61.04"
SAMBAS = "61.01"


class Personas:
    """One user per role: the administrator, a BPJS officer, a provincial analyst, the officers of
    Ketapang and Sambas, the administrator of a Ketapang agency, and an outsider with no role scope."""

    def __init__(self, world: Any) -> None:
        from jamsostek.accounts.models import Role, User

        def user(username: str, role: str, **extra: Any) -> User:
            return User.objects.create_user(username=username, password="a long test password", role=role,
                                            is_staff=True, **extra)  # fmt: skip

        self.admin = user("admin", Role.ADMINISTRATOR, is_superuser=True)
        self.bpjs = user("bpjs", Role.BPJS_OFFICER)
        self.analyst = user("analyst", Role.PROVINCIAL_ANALYST)
        self.ketapang = user("ketapang", Role.REGENCY_OFFICER, region_id=KETAPANG)
        self.sambas = user("sambas", Role.REGENCY_OFFICER, region_id=SAMBAS)
        self.agency = user("agency", Role.AGENCY_ADMIN, employer=world.agency)
        self.outsider = User.objects.create_user(
            username="outsider", password="a long test password", role=Role.REGENCY_OFFICER, region_id=SAMBAS,
            is_staff=False,
        )  # fmt: skip


class World:
    """A small registry set up through the real services: two regencies, employers, people."""

    def __init__(self) -> None:
        from jamsostek.registry import services

        self.company = services.employer_register(
            actor=None, npp="K0001", name="PT Sawit Ketapang", risk_class=4, size_class="large",
            region_code="61.04.01", kbli="01262", reason="test setup",
        )  # fmt: skip
        self.agency = services.employer_register(
            actor=None, npp="OPD-61.04-01", name="Dinas Kesehatan Ketapang", kind="agency", risk_class=1,
            size_class="medium", region_code=KETAPANG, reason="test setup",
        )  # fmt: skip
        self.sambas_company = services.employer_register(
            actor=None, npp="S0001", name="CV Jeruk Sambas", risk_class=2, size_class="small",
            region_code="61.01.01", reason="test setup",
        )  # fmt: skip
        self.ketapang_worker = services.person_register(
            actor=None, nik="6104015708900001", name="Siti Aminah", birth_date=date(1990, 8, 17), sex="F",
            region_code="61.04.01", reason="test setup",
        )  # fmt: skip
        self.sambas_worker = services.person_register(
            actor=None, nik="6101011203850002", name="Budi Santoso", birth_date=date(1985, 3, 12), sex="M",
            region_code="61.01.01", reason="test setup",
        )  # fmt: skip
        self.nurse = services.person_register(
            actor=None, nik="6104024101950003", name="Maria Ulfa", birth_date=date(1995, 1, 1), sex="F",
            region_code="61.04.02", reason="test setup",
        )  # fmt: skip
        self.pu = services.membership_enrol(
            actor=None, person=self.ketapang_worker, segment="pu", employer=self.company,
            start_date=date(2024, 1, 1), wage=4_000_000, reason="test setup",
        )  # fmt: skip
        self.sambas_pu = services.membership_enrol(
            actor=None, person=self.sambas_worker, segment="pu", employer=self.sambas_company,
            start_date=date(2023, 6, 1), wage=3_200_000, reason="test setup",
        )  # fmt: skip
        self.honorary = services.membership_enrol(
            actor=None, person=self.nurse, segment="pu", employer=self.agency,
            start_date=date(2022, 2, 1), wage=2_800_000, reason="test setup",
        )  # fmt: skip


@pytest.fixture
def world(db: Any) -> World:
    return World()


@pytest.fixture
def personas(world: World) -> Personas:
    return Personas(world)


@pytest.fixture
def on_day() -> date:
    return date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _nothing_kept() -> Any:
    """Answers kept per process (``core.kept``) start empty in every test: a rolled-back test's data may
    leave the same stamps behind (SQLite reuses ids)."""
    from jamsostek.core import kept

    kept.forget()
    yield
    kept.forget()
