"""The coverage API, per persona, on the hand-built province of ``conftest.province``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from jamsostek.coverage.indicators import Indicators
from jamsostek.rules.periods import Month
from tests.conftest import Personas

API = "/api/coverage"
ERROR_KEYS = {"detail", "field", "code"}


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_coverage_api_needs_a_session(province: None) -> None:
    for path in ("/months", "/summary", "/regencies", "/regions/61.04", "/regions/61.04/trend", "/denominators"):
        response = Client().get(API + path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": "Masuk dulu: setiap panggilan API memerlukan sesi login.", "field": None,
                                   "code": "not_authenticated"}  # fmt: skip
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert english.get(API + "/summary").json()["detail"] == "Log in first: every API call needs a session."


def test_a_regency_officer_sees_their_regency_and_its_districts_only(province: None, personas: Personas) -> None:
    client = client_for(personas.ketapang)
    for path in ("/summary", "/regencies", "/regions/61", "/regions/61.01", "/regions/61.01.01",
                 "/regions/61.01/trend"):  # fmt: skip
        response = client.get(API + path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "forbidden"
        assert set(response.json()) == ERROR_KEYS
    own = client.get(API + "/regions/61.04")
    assert own.status_code == 200
    assert (own.json()["participants"], own.json()["ucj"]) == (130, "13.00")
    assert len(own.json()["children"]) == 20  # Ketapang's districts
    assert client.get(API + "/regions/61.04.01").status_code == 200
    assert [point["participants"] for point in client.get(API + "/regions/61.04/trend").json()] == [120, 125, 130]


def test_an_agency_administrator_sees_no_coverage(province: None, personas: Personas) -> None:
    client = client_for(personas.agency)  # a Ketapang agency: its staff in the registry, not coverage
    assert client.get(API + "/summary").status_code == 403
    assert client.get(API + "/regions/61.04").status_code == 403
    assert client.get(API + "/denominators").json() == []


def test_the_summary_shows_the_province_figures_worked_out_by_hand(province: None, personas: Personas) -> None:
    summary = client_for(personas.analyst).get(API + "/summary").json()

    assert (summary["region"], summary["month"]) == ("61", "2025-03")  # the latest computed month by default
    assert summary["participants"] == sum(100 + 10 * k for k in range(14)) == 2310
    assert summary["ucj"] == "11.55"  # 2,310 / 20,000
    assert summary["denominator"]["value"] == 20_000
    assert (summary["denominator"]["kind"], summary["denominator"]["is_estimate"]) == ("employed", False)
    assert summary["target"] == {"percent": "59.56", "year": 2025, "region": "61", "own": True}
    assert summary["gap"] == 11_912 - 2310  # 59.56% of 20,000 = 11,912 exactly
    assert summary["segments"] == {"pu": 2310, "bpu": 0, "jakon": 0, "pmi": 0}
    assert summary["payers"] == {"employer": 2310, "self": 0, "budget": 0}
    # 10.85, 11.20, 11.55: 0.35 points a month; 48.01 points to go -> 137.2 -> 138 months after March 2025
    assert summary["projection"] == {"status": "projected", "month": "2036-09", "pace": 0.35, "target": "59.56",
                                     "target_year": 2025}  # fmt: skip
    assert summary["closing"]["workers"] == 9602
    assert summary["closing"]["per_worker"] == 12 * 16_800
    assert summary["closing"]["total"] == 9602 * 201_600
    children = {child["region"]: child for child in summary["children"]}
    assert len(children) == 14
    assert (children["61.72"]["rank"], children["61.72"]["ucj"]) == (1, "23.00")
    assert (children["61.71"]["rank"], children["61.71"]["ucj"]) == (2, "22.00")
    assert (children["61.12"]["rank"], children["61.12"]["target"]["own"]) == (3, True)
    assert (children["61.11"]["rank"], children["61.11"]["ucj"], children["61.11"]["participants"]) == (None, None, 200)
    assert children["61.04"]["target"] == {"percent": "59.56", "year": 2025, "region": "61", "own": False}
    assert children["61.04"]["denominator"]["is_estimate"] is True
    assert children["61.04"]["denominator"]["method"] == "spread by population"


@pytest.mark.parametrize("month", ["2025-01", "2025-03"])
def test_the_api_numbers_are_the_indicators_of_the_same_month(
    province: None, personas: Personas, month: str
) -> None:  # fmt: skip
    client = client_for(personas.analyst)
    summary = client.get(API + "/summary", {"month": month}).json()
    indicators = Indicators()
    chosen = Month.parse(month)
    figure = indicators.figure("61", chosen)
    cost = indicators.closing_cost(figure)
    assert cost is not None
    assert figure.denominator is not None
    assert (summary["participants"], Decimal(summary["ucj"]), summary["gap"]) == (
        figure.participants, figure.ucj, figure.gap)  # fmt: skip
    assert (summary["denominator"]["value"], summary["closing"]["total"]) == (figure.denominator.value, cost.total)
    regencies = {row["region"]: row for row in client.get(API + "/regencies", {"month": month}).json()}
    for rank, regency in indicators.regencies(chosen):
        row = regencies[regency.region]
        assert (row["rank"], row["participants"], row["gap"]) == (rank, regency.participants, regency.gap)
        assert row["ucj"] == (None if regency.ucj is None else str(regency.ucj))


def test_an_earlier_month_and_another_denominator_can_be_asked_for(province: None, personas: Personas) -> None:
    client = client_for(personas.analyst)
    january = client.get(API + "/summary", {"month": "2025-01"}).json()
    assert (january["month"], january["participants"], january["ucj"]) == ("2025-01", 2170, "10.85")
    potential = client.get(API + "/summary", {"denominator": "potential"}).json()
    assert (potential["ucj"], potential["denominator"]["value"]) == ("10.00", 23_100)  # 2,310 / 23,100
    assert potential["denominator"]["kind"] == "potential"
    assert potential["denominator"]["label"] != client.get(API + "/summary").json()["denominator"]["label"]
    assert all(child["ucj"] is None for child in potential["children"])  # no regency has a potential figure


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2025-13"}, "month"),
        ({"month": "03-2025"}, "month"),
        ({"month": "2024-12"}, "month"),  # a well-formed month that was never computed
        ({"denominator": "census"}, "denominator"),
    ],
)
def test_a_bad_month_or_denominator_is_one_error_shape(
    province: None, personas: Personas, query: dict[str, str], field: str
) -> None:  # fmt: skip
    client = client_for(personas.analyst)
    for path in ("/summary", "/regencies", "/regions/61.04"):
        response = client.get(API + path, query)
        assert response.status_code == 400, (path, query)
        body = response.json()
        assert set(body) == ERROR_KEYS
        assert (body["field"], body["code"]) == (field, "invalid")
        assert body["detail"]


def test_an_unknown_region_is_not_found(province: None, personas: Personas) -> None:
    client = client_for(personas.analyst)
    for path in ("/regions/61.99", "/regions/61.99/trend", "/regions/61.04.99"):
        response = client.get(API + path)
        assert response.status_code == 404, path
        assert set(response.json()) == ERROR_KEYS
        assert (response.json()["field"], response.json()["code"]) == (None, "not_found")


def test_the_months_list_the_computed_months_and_the_payment_day(province: None, personas: Personas) -> None:
    months = client_for(personas.ketapang).get(API + "/months").json()
    assert months["months"] == ["2025-01", "2025-02", "2025-03"]
    assert months["as_of"] == "2025-04-20"


def test_denominators_and_targets_are_listed_within_the_users_scope(province: None, personas: Personas) -> None:
    officer = client_for(personas.ketapang)
    assert [(row["region"], row["value"]) for row in officer.get(API + "/denominators").json()] == [("61.04", 1000)]
    assert [(row["region"], row["year"]) for row in officer.get(API + "/targets").json()] == [("61", 2025)]
    analyst = client_for(personas.analyst)
    assert len(analyst.get(API + "/denominators").json()) == 13 + 2
    assert [row["region"] for row in analyst.get(API + "/denominators", {"region": "61"}).json()] == ["61", "61"]
    assert [(row["region"], row["percent"]) for row in analyst.get(API + "/targets").json()] == [
        ("61", "59.56"), ("61.12", "59.00")]  # fmt: skip
