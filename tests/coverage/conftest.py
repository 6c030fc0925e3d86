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
from typing import Any

import pytest
from django.utils import timezone

from jamsostek.coverage import indicators, kept
from jamsostek.coverage.models import Computation, CoverageFact, Denominator, Target
from jamsostek.rules.periods import Month
from tests.contributions.conftest import Billed, billed

__all__ = ["Billed", "billed"]  # the billed world of the contributions tests, shared


@pytest.fixture(autouse=True)
def _fresh_indicator_cache() -> Iterator[None]:
    indicators.forget()
    kept.forget()
    yield
    indicators.forget()
    kept.forget()


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


REGENCIES = ("61.01", "61.02", "61.03", "61.04", "61.05", "61.06", "61.07", "61.08", "61.09", "61.10", "61.11",
             "61.12", "61.71", "61.72")  # fmt: skip


@pytest.fixture
def province(db: Any) -> None:
    """Three computed months of the whole province, by hand.

    The k-th regency (0 = Sambas .. 13 = Singkawang) has 100 + 10k protected participants in March
    2025, all in its first district (5 fewer in February, 10 fewer in January), and 1,000 workers
    (Sakernas, August 2024) -- except Kayong Utara (61.11), which has no denominator. The province
    has 20,000 workers (and 23,100 potential workers from January 2025); its 2025 target is 59.56%,
    Kubu Raya (61.12) has its own, 59.00%.

    In March: 2,310 participants in the province (UCJ 11.55%), Ketapang 130 (13.00%), Singkawang
    230 (23.00%, ranked first).
    """
    for k, regency in enumerate(REGENCIES):
        for month, persons in (("2025-01", 90 + 10 * k), ("2025-02", 95 + 10 * k), ("2025-03", 100 + 10 * k)):
            fact(month, regency + ".01", persons)
            fact(month, regency + ".01", persons, segment="pu")
            fact(month, regency + ".01", persons, payer="employer")
        if regency != "61.11":
            denominator(regency, "2024-08", 1000, estimate=True, method="spread by population")
    denominator("61", "2024-08", 20_000, source="BPS Kalbar, Sakernas August 2024")
    denominator("61", "2025-01", 23_100, kind="potential", source="BPJS TK Kalbar")
    target("61", 2025, "59.56")
    target("61.12", 2025, "59.00")
    computed("2025-01", "2025-03", as_of=date(2025, 4, 20))
