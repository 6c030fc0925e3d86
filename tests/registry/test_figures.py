"""The published figures follow the project's shared file: Landak's 53.43 % is marked doubtful,
shown as such and never used to calibrate; the province's July 2025 figure and Kubu Raya's are in."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from jamsostek.registry.figures import latest_coverage, published_figures
from jamsostek.registry.synth import ASSUMED_COVERAGE, calibration


def test_the_app_holds_the_figures_the_shared_file_added() -> None:
    figures = {(f.region, f.indicator, f.period): f for f in published_figures()}
    province = figures[("61", "ucj_coverage", "2025-07")]
    assert province.value == Decimal("31.63")
    assert "575,504" in province.note
    assert "1,819,430" in province.note
    assert figures[("61.12", "ucj_coverage", "2023-11")].value == Decimal("39.21")
    landak = figures[("61.08", "ucj_coverage", "2024")]
    assert landak.status == "doubtful"
    assert not landak.usable


def test_a_doubtful_figure_is_never_the_latest_coverage_of_its_region() -> None:
    latest = latest_coverage()
    assert "61.08" not in latest  # Landak: its only UCJ figure is doubtful
    assert latest["61.12"].value == Decimal("39.21")  # Kubu Raya
    assert latest["61.71"].period == "2025"  # Pontianak: 40 % (2025) is later than 40.86 % (2024)


def test_the_synthetic_province_is_calibrated_without_the_doubtful_figure() -> None:
    plans = {plan.code: plan for plan in calibration(1.0)}
    assert plans["61.08"].coverage == ASSUMED_COVERAGE
    assert plans["61.08"].coverage_source == "assumed"
    assert plans["61.12"].coverage == pytest.approx(0.3921)
    assert plans["61.12"].coverage_source == "published"


@pytest.mark.django_db
def test_the_reference_command_shows_the_doubtful_figure_as_such() -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("coverage", "reference", "--scale", "0.01", stdout=out)
    landak = next(line for line in out.getvalue().splitlines() if "Landak" in line)
    assert "53.43" in landak
    assert "DOUBTFUL" in landak
    kubu_raya = next(line for line in out.getvalue().splitlines() if "Kubu Raya" in line)
    assert "DOUBTFUL" not in kubu_raya
