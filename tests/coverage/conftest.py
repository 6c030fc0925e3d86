"""Coverage fixtures: hand-built facts, denominators and targets (no billing), and the billed
world of the contributions tests for the end-to-end computation.

``indicators.current`` keeps one ``Indicators`` per process, keyed by a stamp of the database
(latest computation, denominators, targets). Tests roll their data back, so two tests can leave
the same stamp behind (no computation, no denominator): the cache is emptied around every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from jamsostek.coverage import indicators
from jamsostek.coverage.models import Computation, CoverageFact, Denominator, Target
from jamsostek.rules.periods import Month
from tests.contributions.conftest import Billed, billed  # noqa: F401  (the fixture, shared)

__all__ = ["Billed", "computed", "denominator", "fact", "target"]


@pytest.fixture(autouse=True)
def _fresh_indicator_cache() -> Iterator[None]:
    indicators._cache.clear()
    yield
    indicators._cache.clear()


def fact(month: str, district: str, persons: int, segment: str = "all", payer: str = "all") -> CoverageFact:
    """One row of computed facts, written by hand."""
    return CoverageFact.objects.create(period=Month.parse(month).first_day, district=district, regency=district[:5],
                                       segment=segment, payer_group=payer, persons=persons)  # fmt: skip


def denominator(region: str, month: str, value: int, *, kind: str = "employed", estimate: bool = False,
                method: str = "", source: str = "test") -> Denominator:  # fmt: skip
    return Denominator.objects.create(region_id=region, kind=kind, period=Month.parse(month).first_day, value=value,
                                      is_estimate=estimate, method=method, source=source)  # fmt: skip


def target(region: str, year: int, percent: str) -> Target:
    return Target.objects.create(region_id=region, year=year, percent=Decimal(percent), source="test")


def computed(first: str, last: str, as_of: date = date(2025, 7, 20)) -> Computation:
    """The record a recomputation leaves (the API reports its day; the cache keys on its id)."""
    return Computation.objects.create(first=Month.parse(first).first_day, last=Month.parse(last).first_day,
                                      as_of=as_of, computed_at=timezone.now(), seconds=0.1, rows=0)  # fmt: skip
