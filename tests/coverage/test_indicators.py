"""The indicators on small hand-built facts, denominators and targets, with answers worked out by hand.

No billing here: the facts are written as ``recompute`` would write them (one ``all/all`` row per
district and month counting each person once, plus one row per segment and per payer group).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from jamsostek.coverage.indicators import Indicators, TargetUsed
from jamsostek.coverage.models import Target
from jamsostek.rules.periods import Month
from tests.coverage.conftest import denominator, fact, target

MARCH = Month(2025, 3)


def test_participants_add_up_from_the_districts_to_their_regency_and_the_province(db: Any) -> None:
    fact("2025-03", "61.04.01", 30)
    fact("2025-03", "61.04.01", 25, segment="pu")
    fact("2025-03", "61.04.01", 6, segment="bpu")  # one person is in both: 25 + 6 = 31 memberships, 30 persons
    fact("2025-03", "61.04.01", 25, payer="employer")
    fact("2025-03", "61.04.01", 6, payer="self")
    fact("2025-03", "61.04.02", 20)
    fact("2025-03", "61.04.02", 20, segment="pu")
    fact("2025-03", "61.04.02", 20, payer="employer")
    fact("2025-03", "61.01.01", 50)
    fact("2025-03", "61.01.01", 50, segment="pmi")
    fact("2025-03", "61.01.01", 50, payer="self")
    indicators = Indicators()

    district = indicators.figure("61.04.01", MARCH)
    ketapang = indicators.figure("61.04", MARCH)
    province = indicators.figure("61", MARCH)
    assert (district.participants, district.name, district.level) == (30, "Matan Hilir Utara", "district")
    assert (ketapang.participants, ketapang.name, ketapang.level) == (30 + 20, "Kab. Ketapang", "regency")
    assert indicators.figure("61.01", MARCH).participants == 50
    assert (province.participants, province.level) == (30 + 20 + 50, "province")
    assert ketapang.segments == {"pu": 25 + 20, "bpu": 6, "jakon": 0, "pmi": 0}
    assert ketapang.payers == {"employer": 25 + 20, "self": 6, "budget": 0}
    assert province.segments == {"pu": 45, "bpu": 6, "jakon": 0, "pmi": 50}
    assert province.payers == {"employer": 45, "self": 56, "budget": 0}
    districts = indicators.districts("61.04", MARCH)
    assert len(districts) == 20  # Ketapang's 20 districts, in code order, with or without participants
    assert [(d.region, d.participants) for d in districts[:3]] == [("61.04.01", 30), ("61.04.02", 20),
                                                                     ("61.04.03", 0)]  # fmt: skip
    assert sum(d.participants for d in districts) == 50


def test_a_regency_without_a_denominator_has_participants_but_no_ucj(db: Any) -> None:
    fact("2025-03", "61.04.01", 40)
    fact("2025-03", "61.01.01", 10)
    denominator("61.04", "2024-08", 400)
    target("61", 2025, "50.00")
    indicators = Indicators()

    sambas = indicators.figure("61.01", MARCH)
    assert sambas.participants == 10
    assert sambas.denominator is None
    assert sambas.ucj is None
    assert sambas.gap is None
    assert sambas.to_target is None
    assert sambas.target is not None  # the province's target still stands in: only the denominator is missing
    assert indicators.closing_cost(sambas) is None
    ranking = indicators.regencies(MARCH)
    assert len(ranking) == 14
    assert {f.region: rank for rank, f in ranking}["61.01"] is None
    assert [(rank, f.region, f.ucj) for rank, f in ranking if rank is not None] == [(1, "61.04", Decimal("10.00"))]
    assert indicators.projection("61.01").status == "not enough data"


def test_a_month_without_any_facts_is_not_a_computed_month_and_has_no_trend_point(db: Any) -> None:
    fact("2025-01", "61.04.01", 10)
    fact("2025-01", "61.01.01", 5)
    fact("2025-03", "61.04.01", 12)  # nothing at all in February; Sambas has nobody in March
    denominator("61.04", "2024-08", 100)
    indicators = Indicators()

    assert indicators.months == [Month(2025, 1), Month(2025, 3)]
    assert indicators.latest_month() == Month(2025, 3)
    assert [(str(f.month), f.participants, f.ucj) for f in indicators.trend("61.04")] == [
        ("2025-01", 10, Decimal("10.00")), ("2025-03", 12, Decimal("12.00")),
    ]  # fmt: skip
    # in a computed month, a region nobody lives in (or nobody protected) has 0 participants, not a gap
    assert [(str(f.month), f.participants) for f in indicators.trend("61.01")] == [("2025-01", 5), ("2025-03", 0)]
    assert indicators.figure("61.04", Month(2025, 2)).participants == 0


def test_an_empty_database_has_no_months_and_no_projection(db: Any) -> None:
    indicators = Indicators()
    assert indicators.months == []
    assert indicators.latest_month() is None
    assert indicators.trend("61") == []
    assert indicators.projection("61").status == "not enough data"


def test_a_denominator_change_mid_year_applies_from_its_reference_month_on(db: Any) -> None:
    for month in ("2025-05", "2025-06", "2025-07", "2025-08"):
        fact(month, "61.04.01", 100)
    denominator("61.04", "2024-08", 500, source="Sakernas Aug 2024")
    denominator("61.04", "2025-07", 800, source="new survey from July 2025")
    indicators = Indicators()

    trend = indicators.trend("61.04")
    assert [(str(f.month), f.denominator.value if f.denominator else None, f.ucj) for f in trend] == [
        ("2025-05", 500, Decimal("20.00")),  # 100 / 500
        ("2025-06", 500, Decimal("20.00")),
        ("2025-07", 800, Decimal("12.50")),  # 100 / 800, from the month of the new value
        ("2025-08", 800, Decimal("12.50")),
    ]  # fmt: skip
    june, july = trend[1].denominator, trend[2].denominator
    assert june is not None
    assert july is not None
    assert (june.period.isoformat(), june.source) == ("2024-08-01", "Sakernas Aug 2024")
    assert (july.period.isoformat(), july.source) == ("2025-07-01", "new survey from July 2025")
    assert indicators.denominator("61.04", Month(2024, 7)) is None  # before the first reference month: none


def test_denominator_kinds_are_never_mixed(db: Any) -> None:
    fact("2025-07", "61.04.01", 300)
    denominator("61.04", "2024-08", 1200)
    denominator("61.04", "2025-07", 1500, kind="potential")
    with translation.override("en"):
        employed = Indicators("employed").figure("61.04", Month(2025, 7))
        potential = Indicators("potential").figure("61.04", Month(2025, 7))
        user = Indicators("user").figure("61.04", Month(2025, 7))

    assert employed.denominator is not None
    assert potential.denominator is not None
    assert (employed.denominator.value, employed.denominator.kind, employed.ucj) == (1200, "employed", Decimal("25.00"))
    assert employed.denominator.label == "employed population (BPS Sakernas)"
    assert (potential.denominator.value, potential.denominator.kind, potential.ucj) == (
        1500, "potential", Decimal("20.00"))  # fmt: skip
    assert potential.denominator.label == "potential workers (BPJS Ketenagakerjaan)"
    assert user.denominator is None  # no value entered by a user: no UCJ, not another kind's value
    assert user.participants == 300
    with pytest.raises(ValueError, match="unknown denominator kind"):
        Indicators("census")


def test_an_estimated_denominator_is_flagged_with_its_method(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61", "2024-08", 2000, source="BPS Kalbar")
    denominator("61.04", "2024-08", 400, estimate=True, method="spread by population", source="BPS Kalbar")
    indicators = Indicators()

    province = indicators.figure("61", MARCH).denominator
    ketapang = indicators.figure("61.04", MARCH).denominator
    assert province is not None
    assert ketapang is not None
    assert (province.is_estimate, province.method) == (False, "")
    assert (ketapang.is_estimate, ketapang.method) == (True, "spread by population")


def test_a_region_without_its_own_target_uses_the_province_target(db: Any) -> None:
    target("61", 2025, "59.56")
    target("61", 2026, "60.80")
    target("61.12", 2025, "59.00")
    indicators = Indicators()

    june = Month(2025, 6)
    assert indicators.target("61.12", june) == TargetUsed(Decimal("59.00"), 2025, "61.12", own=True)
    assert indicators.target("61.04", june) == TargetUsed(Decimal("59.56"), 2025, "61", own=False)
    assert indicators.target("61.04.01", june) == TargetUsed(Decimal("59.56"), 2025, "61", own=False)
    assert indicators.target("61", june) == TargetUsed(Decimal("59.56"), 2025, "61", own=True)
    # Kubu Raya has no target for 2026: the province's 2026 target stands in, not its own 2025 one
    assert indicators.target("61.12", Month(2026, 1)) == TargetUsed(Decimal("60.80"), 2026, "61", own=False)


def test_a_year_without_a_target_uses_the_next_target_year(db: Any) -> None:
    target("61", 2026, "60.80")
    target("61", 2030, "65.77")
    target("61.71", 2026, "45.00")
    indicators = Indicators()

    # Pontianak's own 2026 target comes before the province's target for 2025 (there is none anyway)
    assert indicators.target("61.71", Month(2025, 6)) == TargetUsed(Decimal("45.00"), 2026, "61.71", own=True)
    assert indicators.target("61.04", Month(2025, 6)) == TargetUsed(Decimal("60.80"), 2026, "61", own=False)
    assert indicators.target("61", Month(2027, 1)) == TargetUsed(Decimal("65.77"), 2030, "61", own=True)
    assert indicators.target("61", Month(2031, 1)) is None  # after the last target: none, and no gap


def test_a_figure_without_a_target_has_a_ucj_but_no_gap(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61.04", "2024-08", 100)
    figure = Indicators().figure("61.04", MARCH)
    assert (figure.ucj, figure.target, figure.gap, figure.to_target) == (Decimal("10.00"), None, None, None)


def test_the_gap_rounds_the_workers_needed_up_and_is_zero_once_the_target_is_reached(db: Any) -> None:
    target("61", 2025, "59.56")
    denominator("61.04", "2024-08", 283_450)  # 59.56% of 283,450 = 168,822.82 -> 168,823 workers needed
    fact("2025-03", "61.04.01", 100_000)
    denominator("61.01", "2024-08", 1001)  # 59.56% of 1,001 = 596.1956 -> 597
    fact("2025-03", "61.01.01", 596)
    denominator("61.02", "2024-08", 1000)  # 59.56% of 1,000 = 595.6 -> 596
    fact("2025-03", "61.02.01", 596)  # exactly what is needed
    denominator("61.03", "2024-08", 1000)
    fact("2025-03", "61.03.01", 700)  # beyond the target: 0, not -104
    indicators = Indicators()

    def gap(code: str) -> int | None:
        return indicators.figure(code, MARCH).gap

    assert gap("61.04") == 168_823 - 100_000
    assert gap("61.01") == 1  # UCJ 59.54%: one more worker
    assert gap("61.02") == 0
    assert gap("61.03") == 0
    assert indicators.figure("61.03", MARCH).to_target == pytest.approx(70.00 / 59.56)


def test_ucj_is_rounded_half_up_to_two_decimals(db: Any) -> None:
    fact("2025-03", "61.01.01", 1)
    denominator("61.01", "2024-08", 800)  # 0.125% exactly: half up gives 0.13 (half even would give 0.12)
    fact("2025-03", "61.02.01", 17)
    denominator("61.02", "2024-08", 160)  # 10.625% exactly -> 10.63 (half even: 10.62)
    fact("2025-03", "61.03.01", 2)
    denominator("61.03", "2024-08", 3)  # 66.666...% -> 66.67
    fact("2025-03", "61.05.01", 1249)
    denominator("61.05", "2024-08", 10_000)  # 12.49% exactly stays
    indicators = Indicators()

    assert [indicators.figure(code, MARCH).ucj for code in ("61.01", "61.02", "61.03", "61.05")] == [
        Decimal("0.13"), Decimal("10.63"), Decimal("66.67"), Decimal("12.49"),
    ]  # fmt: skip


def test_regencies_are_ranked_by_the_ucj_they_show_and_equal_ucj_share_a_rank(db: Any) -> None:
    for code, participants, workers in (
        ("61.01", 200, 1000),  # 20.00
        ("61.02", 300, 1000),  # 30.00
        ("61.03", 600, 2000),  # 30.00, a tie with Mempawah
        ("61.08", 30_004, 100_000),  # 30.004 -> shown as 30.00: the same tie
        ("61.05", 0, 1000),  # 0.00: ranked, last
    ):
        if participants:
            fact("2025-03", code + ".01", participants)
        denominator(code, "2024-08", workers)
    fact("2025-03", "61.12.01", 50)  # participants, no denominator: not ranked
    ranking = Indicators().regencies(MARCH)

    assert [f.region for _rank, f in ranking] == [
        "61.01", "61.02", "61.03", "61.04", "61.05", "61.06", "61.07", "61.08", "61.09", "61.10", "61.11", "61.12",
        "61.71", "61.72",
    ]  # fmt: skip
    ranked = sorted((rank, f.region, f.ucj) for rank, f in ranking if rank is not None)
    assert ranked == [
        (1, "61.02", Decimal("30.00")),
        (1, "61.03", Decimal("30.00")),
        (1, "61.08", Decimal("30.00")),
        (4, "61.01", Decimal("20.00")),
        (5, "61.05", Decimal("0.00")),
    ]


def _monthly(code: str, workers: int, participants: list[int], first: Month) -> None:
    denominator(code, "2020-01", workers)
    for offset, persons in enumerate(participants):
        fact(str(first.plus(offset)), code + ".01", persons)


def test_the_projection_extends_the_pace_of_the_last_months_to_the_target(db: Any) -> None:
    _monthly("61.04", 1000, [401, 402, 403], Month(2025, 1))  # UCJ 40.10, 40.20, 40.30
    target("61.04", 2025, "45.00")
    projection = Indicators().projection("61.04")

    # 0.10 percentage point a month; 45.00 - 40.30 = 4.70 points -> 47 months after March 2025
    assert projection.status == "projected"
    assert projection.slope == pytest.approx(0.10)
    assert projection.month == Month(2029, 2)
    assert projection.target == TargetUsed(Decimal("45.00"), 2025, "61.04", own=True)


def test_the_projection_uses_only_the_last_twelve_months(db: Any) -> None:
    # two early months at 90% (falling to 20% after them), then twelve months rising by one point
    _monthly("61.04", 1000, [900, 900, *range(200, 320, 10)], Month(2024, 1))
    target("61", 2025, "40.00")
    projection = Indicators().projection("61.04")

    # 2024-03 .. 2025-02: 20.00 .. 31.00, one point a month; 40.00 - 31.00 = 9 months after February 2025
    assert projection.status == "projected"
    assert projection.slope == pytest.approx(1.0)
    assert projection.month == Month(2025, 11)


def test_a_region_at_its_target_has_reached_it(db: Any) -> None:
    _monthly("61.04", 1000, [440, 450], Month(2025, 2))
    target("61.04", 2025, "45.00")
    projection = Indicators().projection("61.04")
    assert (projection.status, projection.month) == ("reached", Month(2025, 3))


def test_a_flat_or_falling_ucj_does_not_reach_the_target_at_the_current_pace(db: Any) -> None:
    _monthly("61.04", 1000, [420, 410], Month(2025, 2))
    _monthly("61.01", 1000, [420, 420], Month(2025, 2))
    target("61", 2025, "45.00")
    indicators = Indicators()

    falling = indicators.projection("61.04")
    assert (falling.status, falling.month) == ("not at the current pace", None)
    assert falling.slope == pytest.approx(-1.0)
    flat = indicators.projection("61.01")
    assert (flat.status, flat.month, flat.slope) == ("not at the current pace", None, 0.0)


def test_a_single_computed_month_is_not_enough_for_a_projection(db: Any) -> None:
    _monthly("61.04", 1000, [400], Month(2025, 3))
    target("61", 2025, "45.00")
    assert Indicators().projection("61.04").status == "not enough data"


def test_a_projection_needs_two_months_with_a_ucj_and_a_target(db: Any) -> None:
    for code in ("61.01", "61.02"):
        fact("2025-02", code + ".01", 100)
        fact("2025-03", code + ".01", 110)
    denominator("61.01", "2025-03", 1000)  # a UCJ only from March: one point
    denominator("61.02", "2024-08", 1000)
    target("61.02", 2025, "45.00")
    indicators = Indicators()
    assert indicators.projection("61.01").status == "not enough data"
    assert indicators.projection("61.02").status == "projected"  # two points and a target
    assert indicators.projection("61.03").status == "not enough data"  # no denominator at all
    Target.objects.all().delete()
    assert Indicators().projection("61.02").status == "not enough data"  # the same UCJ without a target


# The cheapest BPU package, per month, at the lowest income band (income up to Rp1,099,000 -> nominal
# Rp1,000,000, rules/parameters/bpu/income_bands.yaml, Permenaker 5/2021 Lampiran):
#   JKK 1% of Rp1,000,000 = Rp10,000 (rules/parameters/bpu/jkk_rate.yaml, PP 44/2015)
#   JKM Rp6,800 flat          (rules/parameters/bpu/jkm_amount.yaml, PP 44/2015)
#   = Rp16,800 a month, Rp201,600 for twelve months (no relief outside Aug 2020 - Jan 2021, PP 49/2020).
PACKAGE_PER_YEAR = 12 * (10_000 + 6_800)


def test_closing_the_gap_costs_twelve_months_of_the_cheapest_bpu_package_per_worker(db: Any) -> None:
    fact("2025-03", "61.04.01", 403)
    denominator("61.04", "2024-08", 1000)
    target("61.04", 2025, "45.00")  # 450 needed: a gap of 47 workers
    fact("2025-03", "61.71.01", 100)
    denominator("61.71", "2024-08", 1000)
    target("61.71", 2026, "45.00")  # the next year's target: priced in 2026
    fact("2025-03", "61.01.01", 500)
    denominator("61.01", "2024-08", 1000)
    target("61", 2025, "40.00")  # reached
    indicators = Indicators()

    ketapang = indicators.closing_cost(indicators.figure("61.04", MARCH))
    assert ketapang is not None
    assert (ketapang.workers, ketapang.year, ketapang.per_worker) == (47, 2025, 201_600)
    assert ketapang.per_worker == PACKAGE_PER_YEAR
    assert ketapang.total == 47 * 201_600 == 9_475_200
    pontianak = indicators.closing_cost(indicators.figure("61.71", MARCH))
    assert pontianak is not None
    assert (pontianak.workers, pontianak.year, pontianak.total) == (450 - 100, 2026, 350 * 201_600)
    sambas = indicators.closing_cost(indicators.figure("61.01", MARCH))
    assert sambas is not None
    assert (sambas.workers, sambas.total) == (0, 0)
    assert indicators.closing_cost(indicators.figure("61.02", MARCH)) is None  # no denominator, no gap


def test_a_denominator_of_zero_gives_no_ucj_and_no_gap(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61.04", "2024-08", 0)
    figure = Indicators().figure("61.04", MARCH)
    assert (figure.participants, figure.ucj, figure.gap) == (10, None, None)
