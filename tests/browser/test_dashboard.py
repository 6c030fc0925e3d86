"""The coverage dashboard in headless Chromium: a provincial analyst logs in, reads the map and the
ranking, switches language, opens a regency, downloads the workbook; every number they see is the
API's, and the page fits a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD, Province

pytestmark = [
    pytest.mark.browser,
    # The live server answers from another thread, so the data is committed; the regions loaded by
    # the migration are put back afterwards for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REGENCIES = 14
TIMEOUT = 10_000  # ms: generous for a loaded CI machine, never reached when the page works


# Every text of the charts: (its text, its height on screen in px, whether it lies within its chart).
CHART_LABELS = """
[...document.querySelectorAll("svg.chart text")].map(text => {
  const box = text.getBoundingClientRect(), chart = text.ownerSVGElement.getBoundingClientRect();
  return [text.textContent, box.height, box.left >= chart.left - 1 && box.right <= chart.right + 1];
})
"""


def digits(text: str) -> str:
    """'1.234' (Indonesian) or '1,234' (English) -> '1234'; '33,41%' -> '3341'."""
    return re.sub(r"\D", "", text)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    form = page.locator("section.login form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/coverage/$"))


def switch_language(page: Page, code: str) -> None:
    page.locator(f"header form.lang button[value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def api(page: Page, base: str, path: str) -> dict[str, Any]:
    """The API, asked with the browser's own session cookie."""
    response = page.request.get(f"{base}/api/coverage/{path}")
    assert response.status == 200, response.text()
    body: dict[str, Any] = response.json()
    return body


def assert_headline_is(page: Page, figure: dict[str, Any]) -> None:
    """The headline (UCJ, participants, gap) shows the API's figure, as data and as text."""
    ucj = page.locator("[data-testid=ucj-now]")
    expect(ucj).to_have_attribute("data-value", figure["ucj"])
    assert digits(ucj.inner_text()) == digits(figure["ucj"])
    participants = page.locator("[data-testid=participants]")
    expect(participants).to_have_attribute("data-value", str(figure["participants"]))
    assert digits(participants.inner_text()) == str(figure["participants"])
    gap = page.locator("[data-testid=gap]")
    expect(gap).to_have_attribute("data-value", str(figure["gap"]))
    assert digits(gap.inner_text()) == str(figure["gap"])


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT)
    yield context.new_page()
    context.close()


def test_an_analyst_reads_the_province_a_regency_and_the_workbook_with_the_apis_numbers(
    page: Page, live_server: Any, province: Province, tmp_path: Path
) -> None:
    base = live_server.url
    log_in(page, base, province.analyst.username)
    expect(page.locator("html")).to_have_attribute("lang", "id")  # Indonesian first, whatever the browser says

    summary = api(page, base, "summary")
    assert summary["ucj"] == "35.29"  # 6 protected participants (all but the farmer) of 17 workers
    assert (summary["participants"], summary["gap"]) == (6, 5)  # 59.56% of 17 is 10.1: 11 workers
    assert_headline_is(page, summary)

    rows = page.locator("table[data-testid=regencies] tbody tr")
    expect(rows).to_have_count(REGENCIES)
    table_codes = rows.evaluate_all("rows => rows.map(row => row.dataset.region)")
    assert table_codes == [child["region"] for child in summary["children"]]
    areas = page.locator("[data-testid=map] svg path[data-region]")
    expect(areas.first).to_be_visible()
    map_codes = areas.evaluate_all("paths => paths.map(path => path.dataset.region)")
    assert sorted(map_codes) == sorted(table_codes)  # one shape for each regency, none twice
    expect(page.locator("svg.chart")).to_have_count(3)  # the UCJ trend, participants by segment and by payer
    ketapang = rows.filter(has=page.locator("a[href^='/coverage/61.04/']"))
    expect(ketapang.locator("td").nth(4)).to_have_attribute("data-value", "42.86")  # 3 of 7 workers

    switch_language(page, "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_headline_is(page, summary)
    with page.expect_download() as download:
        page.locator("[data-testid=export-xlsx]").click()
    name = download.value.suggested_filename
    assert re.fullmatch(r"ucj-61-2025-06\.xlsx", name), name
    download.value.save_as(tmp_path / name)
    book = load_workbook(tmp_path / name, read_only=True)
    facts = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert f"{facts['UCJ (%)']:.2f}" == page.locator("[data-testid=ucj-now]").get_attribute("data-value")
    assert facts["Protected participants"] == summary["participants"]
    regencies = list(book["Regencies"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[1] for row in regencies) == sorted(table_codes)

    switch_language(page, "id")
    ketapang.locator("a").click()
    expect(page).to_have_url(re.compile(r"/coverage/61\.04/"))
    districts = page.locator("table[data-testid=districts]")
    expect(districts).to_be_visible()
    regency = api(page, base, "regions/61.04")
    expect(districts.locator("tbody tr")).to_have_count(len(regency["children"]))
    expect(page.locator("[data-testid=ucj-now]")).to_have_attribute("data-value", regency["ucj"])
    expect(page.locator("[data-testid=map] svg path[data-region]")).not_to_have_count(0)


def test_the_dashboard_fits_a_phone_without_sideways_scrolling_and_its_charts_read(
    browser: Browser, live_server: Any, province: Province
) -> None:
    # A plain 390 px viewport: with is_mobile, Chromium widens innerWidth to the overflowing content.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT)
    try:
        page = context.new_page()
        log_in(page, live_server.url, province.analyst.username)
        for path in ("/coverage/", "/coverage/61.04/"):
            page.goto(live_server.url + path)
            expect(page.locator("[data-testid=map] svg")).to_be_visible()
            width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert viewport == 390
            assert width <= viewport, f"{path} is {width}px wide on a {viewport}px phone"
            labels = page.evaluate(CHART_LABELS)
            assert labels, "the charts have no text"
            small = [(text, round(height, 1)) for text, height, inside in labels if height < 10]
            assert not small, f"chart labels under 10 px high on a phone: {small}"
            cut = [text for text, height, inside in labels if not inside]
            assert not cut, f"chart labels cut off by their chart: {cut}"
    finally:
        context.close()
