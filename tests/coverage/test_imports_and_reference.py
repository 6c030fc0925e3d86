"""Importing denominators and targets (CSV, XLSX; all rows or none), and the published reference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from jamsostek.coverage.indicators import Indicators
from jamsostek.coverage.models import Denominator, Target
from jamsostek.coverage.reference import load_reference
from jamsostek.coverage.services import denominators_import, targets_import
from jamsostek.rules.periods import Month
from tests.coverage.conftest import denominator

HEADER = "region_code,kind,period,value,is_estimate,method,source\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def denominators() -> list[tuple[str, str, str, int, bool, str, str]]:
    return [(row.region_id, row.kind, f"{row.period:%Y-%m}", row.value, row.is_estimate, row.method, row.source)
            for row in Denominator.objects.order_by("region_id", "kind", "period")]  # fmt: skip


def test_a_good_denominator_file_is_applied(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "denominators.csv", HEADER
                 + "61.04,employed,2024-08,283450,tidak,,BPS Kab. Ketapang\n"
                 + '61.04,potential,2025-07,"300.000",ya,BPJS estimate by sector,BPJS TK Ketapang\n'
                 + "61.04.01,user,2025-01,12 345,,,Disnaker survey\n")  # fmt: skip
    outcome = denominators_import(actor=None, path=path)
    assert (outcome.ok, outcome.written, outcome.rows, outcome.problem) == (True, 3, [], "")
    assert denominators() == [
        ("61.04", "employed", "2024-08", 283_450, False, "", "BPS Kab. Ketapang"),
        ("61.04", "potential", "2025-07", 300_000, True, "BPJS estimate by sector", "BPJS TK Ketapang"),
        ("61.04.01", "user", "2025-01", 12_345, False, "", "Disnaker survey"),
    ]
    again = write(tmp_path / "again.csv", HEADER + "61.04,employed,2024-08,290000,,,BPS Kab. Ketapang (revised)\n")
    assert denominators_import(actor=None, path=again).written == 1
    assert denominators()[0] == ("61.04", "employed", "2024-08", 290_000, False, "", "BPS Kab. Ketapang (revised)")
    assert Denominator.objects.count() == 3  # the same region, kind and month: replaced, not added


def test_a_denominator_file_with_one_bad_row_applies_nothing_and_names_the_row_field_and_reason(
    db: Any, tmp_path: Path
) -> None:  # fmt: skip
    path = write(tmp_path / "denominators.csv", HEADER
                 + "61.04,employed,2024-08,283450,,,BPS\n"
                 + "61.01,employed,2024-08,banyak,,,BPS\n"
                 + "61.02,employed,2024-08,314000,,,BPS\n")  # fmt: skip
    with translation.override("en"):
        outcome = denominators_import(actor=None, path=path)
    assert (outcome.ok, outcome.written) == (False, 0)
    assert outcome.rows == [(3, "value", "banyak is not a whole number")]  # row 1 is the header
    assert Denominator.objects.count() == 0


def test_every_bad_denominator_row_is_reported_with_its_reason(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "denominators.csv", HEADER
                 + "61.99,employed,2024-08,1000,,,BPS\n"
                 + "61.01,census,2024-08,1000,,,BPS\n"
                 + "61.02,employed,2024-8,1000,,,BPS\n"
                 + "61.03,employed,2024-08,,,,BPS\n"
                 + "61.05,employed,2024-08,1000,mungkin,,BPS\n"
                 + "61.06,employed,2024-08,1000,,,\n")  # fmt: skip
    with translation.override("en"):
        outcome = denominators_import(actor=None, path=path)
    assert outcome.rows == [
        (2, "region_code", "is not a region of Kalimantan Barat"),
        (3, "kind", "must be employed, potential or user"),
        (4, "period", "must be a month written YYYY-MM, got '2024-8'"),
        (5, "value", "is required"),
        (6, "is_estimate", "must be ya/tidak (yes/no)"),
        (7, "source", "is required"),
    ]
    assert Denominator.objects.count() == 0


def test_a_file_without_a_required_column_is_refused_as_a_whole(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "denominators.csv", "region_code,kind,period,value\n61.04,employed,2024-08,1000\n")
    with translation.override("en"):
        outcome = denominators_import(actor=None, path=path)
    assert not outcome.ok
    assert outcome.problem.startswith("missing columns: source.")
    assert Denominator.objects.count() == 0


def test_a_denominator_workbook_is_imported_like_a_csv(db: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["region_code", "jenis", "periode", "jumlah", "estimasi", "metode", "sumber"])  # Indonesian headers
    sheet.append(["61.71", "potential", "2024-01", 244_236, "tidak", None, "BPJS TK Pontianak"])
    sheet.append(["61.72", "employed", "2024-08", 130_000.0, "ya", "spread by population", "BPS"])
    sheet.append(["61.12", "user", date(2025, 2, 1), 150_000, None, None, "Disnaker"])  # Excel made it a date
    path = tmp_path / "denominators.xlsx"
    book.save(path)
    outcome = denominators_import(actor=None, path=path)
    assert (outcome.ok, outcome.rows, outcome.written) == (True, [], 3)
    assert denominators() == [
        ("61.12", "user", "2025-02", 150_000, False, "", "Disnaker"),
        ("61.71", "potential", "2024-01", 244_236, False, "", "BPJS TK Pontianak"),
        ("61.72", "employed", "2024-08", 130_000, True, "spread by population", "BPS"),
    ]


def test_a_date_that_is_not_the_first_of_a_month_is_not_a_reference_month(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "denominators.csv", HEADER + "61.04,employed,2024-08-15,1000,,,BPS\n")
    with translation.override("en"):
        outcome = denominators_import(actor=None, path=path)
    assert outcome.rows == [(2, "period", "must be a month written YYYY-MM, got '2024-08-15'")]


def test_a_good_target_file_is_applied(db: Any, tmp_path: Path) -> None:
    # semicolons and a decimal comma, as a spreadsheet in an Indonesian locale saves them
    path = write(
        tmp_path / "targets.csv", "region_code;tahun;target;sumber\n61;2026;60,80;RPJMD\n61.71;2026;45;press\n"
    )
    outcome = targets_import(actor=None, path=path)
    assert (outcome.ok, outcome.written) == (True, 2)
    assert sorted(Target.objects.values_list("region_id", "year", "percent", "source")) == [
        ("61", 2026, Decimal("60.80"), "RPJMD"), ("61.71", 2026, Decimal("45.00"), "press"),
    ]  # fmt: skip


def test_a_target_file_with_bad_rows_applies_nothing(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "targets.csv", "region_code,year,percent,source\n"
                 "61,2026,60.80,RPJMD\n"
                 "61.04,2026,120,RPJMD\n"
                 "61.05,1999,50,RPJMD\n"
                 "61.06,2026,enam puluh,RPJMD\n"
                 "61.07,2026,0,RPJMD\n")  # fmt: skip
    with translation.override("en"):
        outcome = targets_import(actor=None, path=path)
    assert outcome.rows == [
        (3, "percent", "must be above 0 and at most 100"),
        (4, "year", "is not a plausible year"),
        (5, "percent", "is not a number"),
        (6, "percent", "must be above 0 and at most 100"),
    ]
    assert Target.objects.count() == 0


# --- the published reference -----------------------------------------------------------------------

# Dukcapil population, December 2024 (registry/data/kalbar_regions.csv): the 14 regencies add up to
# 651,246 + 314,148 + 499,074 + 583,541 + 457,204 + 276,988 + 295,966 + 415,033 + 225,494 + 217,600
# + 126,898 + 646,091 + 687,031 + 249,954 = 5,646,268. Ketapang's share of the province's 2,860,000
# employed (Sakernas August 2024): 2,860,000 x 583,541 / 5,646,268 = 295,580.6 -> 295,581.
KETAPANG_ESTIMATE = 295_581


def test_the_reference_loads_the_published_province_figure_and_estimates_for_the_regencies(db: Any) -> None:
    assert load_reference() == (8 + 14 + 2, 5)  # 8 published Sakernas figures, 14 estimates, 2 BPJS figures
    province = Denominator.objects.get(region_id="61", kind="employed", period=date(2024, 8, 1))
    assert (province.value, province.is_estimate, province.method) == (2_860_000, False, "")
    assert province.source.startswith("2024-08 Sakernas; https://kalbar.antaranews.com/")
    ketapang = Denominator.objects.get(region_id="61.04", kind="employed")
    assert (ketapang.period, ketapang.value, ketapang.is_estimate) == (date(2024, 8, 1), KETAPANG_ESTIMATE, True)
    assert ketapang.method.startswith("estimate: the province's employed population (BPS Sakernas August 2024)")
    assert Denominator.objects.filter(kind="employed", is_estimate=True).count() == 14
    assert Denominator.objects.filter(region_id="61", kind="employed").count() == 4  # 2019-08 .. 2024-08
    potential = Denominator.objects.get(region_id="61", kind="potential")
    assert (potential.period, potential.value, potential.is_estimate) == (date(2025, 7, 1), 1_819_430, False)
    assert Target.objects.get(region_id="61", year=2026).percent == Decimal("60.80")
    assert load_reference() == (24, 5)
    assert Denominator.objects.count() == 24  # loading again refreshes, it does not add


def test_a_published_regency_figure_is_used_until_the_later_estimate(db: Any) -> None:
    load_reference()
    indicators = Indicators()
    before = indicators.denominator("61.01", Month(2024, 7))  # Sambas: BPS Kab. Sambas, Sakernas August 2022
    after = indicators.denominator("61.01", Month(2024, 8))
    assert before is not None
    assert after is not None
    assert (before.value, before.is_estimate) == (282_918, False)
    assert (after.value, after.is_estimate) == (329_875, True)  # 2,860,000 x 651,246 / 5,646,268 = 329,875.2


def test_a_scaled_reference_is_all_estimates_and_leaves_users_denominators_alone(db: Any) -> None:
    denominator("61.04", "2025-01", 12_345, kind="user", source="Disnaker Ketapang")
    denominator("61.04", "2025-02", 300_000, source="BPS Kab. Ketapang, Sakernas February 2025")
    load_reference(scale=0.01)

    province = Denominator.objects.get(region_id="61", kind="employed", period=date(2024, 8, 1))
    assert (province.value, province.is_estimate) == (28_600, True)
    assert province.method == "synthetic province: the figure above x 0.01, to match a synthetic province " \
        "generated at that scale; not a real denominator"  # fmt: skip
    ketapang = Denominator.objects.get(region_id="61.04", kind="employed", period=date(2024, 8, 1))
    assert (ketapang.value, ketapang.is_estimate) == (2956, True)  # 295,581 x 0.01 = 2,955.81
    assert ketapang.method.startswith("estimate: the province's")
    assert ketapang.method.endswith("; synthetic province: the figure above x 0.01, to match a synthetic province "
                                    "generated at that scale; not a real denominator")  # fmt: skip
    assert Denominator.objects.get(region_id="61", kind="potential").value == 18_194  # 1,819,430 x 0.01
    users = Denominator.objects.filter(region_id="61.04", period__in=[date(2025, 1, 1), date(2025, 2, 1)])
    assert sorted(users.values_list("kind", "value", "is_estimate", "method")) == [
        ("employed", 300_000, False, ""), ("user", 12_345, False, ""),
    ]  # fmt: skip
    assert set(Denominator.objects.exclude(pk__in=users).values_list("is_estimate", flat=True)) == {True}

    load_reference()  # back to the real province: the published figures, not estimates
    province.refresh_from_db()
    assert (province.value, province.is_estimate, province.method) == (2_860_000, False, "")


@pytest.mark.parametrize("scale", [0, -0.5, 1.5])
def test_the_reference_refuses_a_scale_outside_zero_to_one(db: Any, scale: float) -> None:
    with pytest.raises(ValueError, match="scale must be above 0 and at most 1"):
        load_reference(scale=scale)
    assert Denominator.objects.count() == 0


def test_a_users_figure_for_the_month_of_the_estimates_survives_the_reference(db: Any) -> None:
    denominator("61.04", "2024-08", 250_000, source="BPS Kab. Ketapang, Sakernas August 2024")
    load_reference()
    row = Denominator.objects.get(region_id="61.04", kind="employed", period=date(2024, 8, 1))
    assert (row.value, row.is_estimate) == (250_000, False)
