"""Who sees which coverage figures. Province-wide roles (administrators, BPJS officers, provincial
analysts) see every region; a regency officer sees their regency and its districts; nobody else
sees coverage (agency and village administrators see their own staff in the registry instead)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jamsostek.accounts.access import scope_of
from jamsostek.core.errors import Forbidden


def may_see(user: Any, region: str) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.regency_code:
        return region == scope.regency_code or region.startswith(scope.regency_code + ".")
    return False


def home_region(user: Any) -> str | None:
    """The widest region the user may see: the province, their regency, or None."""
    scope = scope_of(user)
    if scope.everything:
        return "61"
    return scope.regency_code


def check(user: Any, region: str) -> None:
    if not may_see(user, region):
        raise Forbidden(_("You may not see the coverage of this region."))
