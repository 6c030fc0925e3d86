"""Who may see what. Selectors call these; views and the admin never decide access themselves.

| Role                     | Persons and memberships           | NIK     |
|--------------------------|-----------------------------------|---------|
| Administrator            | all                               | visible |
| BPJS officer             | all                               | visible |
| Provincial analyst       | all regions (aggregates)          | masked  |
| Regency officer          | their regency only                | masked  |
| Agency/village admin     | their own staff                   | visible for their staff |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jamsostek.accounts.models import Role


@dataclass(frozen=True)
class Scope:
    """What a user may see: everything, one regency, or one employer's staff (or nothing)."""

    everything: bool = False
    regency_code: str | None = None
    employer_id: int | None = None
    sees_nik: bool = False
    may_edit: bool = False

    @property
    def nothing(self) -> bool:
        return not self.everything and self.regency_code is None and self.employer_id is None


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return Scope(everything=True, sees_nik=True, may_edit=True)
    if user.role == Role.BPJS_OFFICER:
        return Scope(everything=True, sees_nik=True, may_edit=True)
    if user.role == Role.PROVINCIAL_ANALYST:
        return Scope(everything=True)
    if user.role == Role.REGENCY_OFFICER and user.region_id:
        return Scope(regency_code=user.region_id, may_edit=True)
    if user.role == Role.AGENCY_ADMIN and user.employer_id:
        return Scope(employer_id=user.employer_id, sees_nik=True, may_edit=True)
    return Scope()


def mask_nik(nik: str) -> str:
    """Keep the region part (first 6 digits) and the last 2: ``6171**********01``."""
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:6] + "*" * 8 + nik[-2:]


def nik_for(user: Any, nik: str) -> str:
    """The NIK as this user may see it."""
    return nik if scope_of(user).sees_nik else mask_nik(nik)
