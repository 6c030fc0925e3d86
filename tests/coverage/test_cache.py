"""``current()``: one ``Indicators`` per process and denominator kind, rebuilt when the facts, a
denominator or a target change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jamsostek.coverage.compute import recompute
from jamsostek.coverage.indicators import current
from jamsostek.coverage.models import Denominator, Target
from jamsostek.rules.periods import Month
from tests.conftest import World
from tests.coverage.conftest import computed, denominator, fact, target

MARCH = Month(2025, 3)


def test_current_is_shared_while_nothing_changes_and_kept_per_denominator_kind(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61.04", "2024-08", 100)
    computed("2025-03", "2025-03")
    employed = current("employed")
    assert current("employed") is employed
    potential = current("potential")
    assert potential is not employed
    assert current("potential") is potential
    assert (employed.kind, potential.kind) == ("employed", "potential")


def test_a_recompute_makes_current_read_the_new_facts(world: World) -> None:
    fact("2025-03", "61.04.01", 10)  # written by hand; the registry has no bill, so nobody is protected
    computed("2025-03", "2025-03")
    before = current()
    assert before.figure("61", MARCH).participants == 10

    recompute(first=MARCH, last=MARCH)
    after = current()
    assert after is not before
    assert after.months == [MARCH]  # computed, with nobody protected: a result, not a gap
    assert after.figure("61", MARCH).participants == 0


def test_a_new_or_changed_denominator_makes_current_stale(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    computed("2025-03", "2025-03")
    first = current()
    assert first.figure("61.04", MARCH).ucj is None

    row = denominator("61.04", "2024-08", 100)
    second = current()
    assert second is not first
    assert second.figure("61.04", MARCH).ucj == Decimal("10.00")

    row.value = 200
    row.save()
    third = current()
    assert third is not second
    assert third.figure("61.04", MARCH).ucj == Decimal("5.00")

    Denominator.objects.filter(pk=row.pk).delete()
    assert current().figure("61.04", MARCH).ucj is None


def test_a_new_or_changed_target_makes_current_stale(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61.04", "2024-08", 100)
    computed("2025-03", "2025-03")
    first = current()
    assert first.figure("61.04", MARCH).gap is None

    row = target("61", 2025, "20.00")
    second = current()
    assert second is not first
    assert second.figure("61.04", MARCH).gap == 10

    row.percent = Decimal("30.00")
    row.save()
    third = current()
    assert third is not second
    assert third.figure("61.04", MARCH).gap == 20

    Target.objects.filter(pk=row.pk).delete()
    assert current().figure("61.04", MARCH).gap is None
