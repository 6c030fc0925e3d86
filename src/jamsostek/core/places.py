"""Where a record is, for access: the vocabulary the access policy (``accounts.policy``) and the
models share. A model whose rows are scoped declares ``scoping`` (how its rows map to a regency and
to an employer's staff); a record that can be changed tells its ``place``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Place:
    """A record's region (Kemendagri code of the province, a regency or a district) and the employer
    whose staff it concerns, when there is one."""

    region: str | None = None
    employer: int | None = None


@dataclass(frozen=True)
class Scoping:
    """How a model's rows map to a reach: the filter for one regency's rows and the filter for one
    employer's staff (``None``: users of that reach see none of them)."""

    regency: Callable[[str], Q] | None
    employer: Callable[[int], Q] | None
    distinct: bool = False
    """The employer filter joins a to-many relation (an agency's staff through their memberships):
    the rows it finds are made distinct."""


def by_fields(regency: str | None, employer: str | None = None, *, distinct: bool = False) -> Scoping:
    """A scoping by two lookups: the field holding the regency code, the one holding the employer key."""
    return Scoping(
        regency=(lambda code: Q(**{regency: code})) if regency else None,
        employer=(lambda pk: Q(**{employer: pk})) if employer else None,
        distinct=distinct,
    )
