"""Reads of coverage that depend on who reads: whether a user may see a region's figures, and the
denominators and targets they may see. The figures themselves come from ``indicators`` (computed
once for everyone) and ``present`` (the dicts the pages and the API show); who may see which
region is the access policy's answer (``accounts.policy``): the province for province-wide roles,
a regency and its districts for its officer, none for agency and village administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.policy import for_user
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import Forbidden
from jamsostek.coverage.models import Denominator, Target

REFUSED = _("You may not see the coverage of this region.")


def may_see(user: Any, region: str) -> bool:
    """Whether ``user`` may see the coverage figures of ``region`` (province, regency or district)."""
    return for_user(user).may_see_region(region)


def region_check(user: Any, region: str) -> None:
    """Raise ``Forbidden`` unless ``user`` may see the coverage of ``region``."""
    if not may_see(user, region):
        raise Forbidden(REFUSED)


def home_region(user: Any) -> str | None:
    """The widest region whose figures the user may see: the province, their regency, or None."""
    return for_user(user).home_region()


def denominator_list(*, visible_to: Any, region: str | None = None) -> list[Denominator]:
    """Every denominator of the regions the user may see (``region`` filters; none for a role
    without coverage)."""
    rows: QuerySet[Denominator] = Denominator.objects.order_by("region_id", "kind", "period")
    if region:
        rows = rows.filter(region_id=region)
    policy = for_user(visible_to)
    return [row for row in rows if policy.may_see_region(row.region_id)]


def target_list(*, visible_to: Any) -> list[Target]:
    """The targets of the regions the user may see, and the province's (public: every user's
    yardstick)."""
    policy = for_user(visible_to)
    return [
        row
        for row in Target.objects.order_by("region_id", "year")
        if row.region_id == PROVINCE or policy.may_see_region(row.region_id)
    ]
