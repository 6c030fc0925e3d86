"""The Content-Security-Policy in headless Chromium: the pages run no inline script or style and
load nothing from elsewhere, and still work: the dashboard draws its map and charts, the API
documentation (Swagger UI, served by the app) lists its operations, the back office's forms and
their widgets (the employer autocomplete, the date filters) load, and the login page logs in.

Chromium reports every violation as a ``securitypolicyviolation`` event; an init script (which
Playwright runs whatever the policy) collects them on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import PASSWORD, Province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT = 10_000  # ms: generous for a loaded CI machine, never reached when the page works

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${where}`);
});
"""


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    context.add_init_script(WATCH)
    yield context
    context.close()


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    form = page.locator("section.login form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def visit(page: Page, url: str, seen: dict[str, list[str]]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    seen[url] = violations(page)


def test_every_page_keeps_to_the_policy_and_still_works(context: BrowserContext, live_server: Any,
                                                         province: Province) -> None:  # fmt: skip
    base = live_server.url
    page = context.new_page()
    errors: list[str] = []  # what the console says went wrong: a resource not found (the favicon was one)
    page.on("console", lambda note: errors.append(f"{page.url}: {note.text}") if note.type == "error" else None)
    seen: dict[str, list[str]] = {}
    visit(page, f"{base}/login/", seen)
    log_in(page, base, province.admin.username)
    seen["after login"] = violations(page)

    # the dashboard: the map, the three charts and the legend's swatches draw
    for path in ("/coverage/", "/coverage/61.04/"):
        visit(page, base + path, seen)
        expect(page.locator("[data-testid=map] svg path[data-region]").first).to_be_visible()
        expect(page.locator("svg.chart")).to_have_count(3)
        swatch = page.locator("ul.legend svg.swatch rect").first
        expect(swatch).to_be_visible()
    # the sortable table's script runs: a click sorts by UCJ
    header = page.locator("table[data-testid=districts] th").nth(3)
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")

    # the API documentation: Swagger UI draws every operation from the schema
    visit(page, f"{base}/api/docs", seen)
    expect(page.locator(".opblock").first).to_be_visible()
    operations = page.locator(".opblock").count()
    assert operations >= 20, operations
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    seen["/api/docs opened"] = violations(page)

    # the back office: lists, a person's form, the user form with its employer autocomplete
    for path in ("/admin/", "/admin/registry/person/", f"/admin/registry/person/{province.worker_id}/change/",
                 "/admin/registry/membership/", "/admin/core/auditrecord/", "/admin/accounts/lockout/",
                 "/admin/accounts/nikdisclosure/", "/admin/password_change/"):  # fmt: skip
        visit(page, base + path, seen)
        expect(page.locator("#content")).to_be_visible()
    visit(page, f"{base}/admin/accounts/user/{province.analyst.pk}/change/", seen)
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    seen["autocomplete opened"] = violations(page)
    visit(page, f"{base}/registry/import/", seen)

    broken = {url: found for url, found in seen.items() if found}
    assert not broken, broken
    assert not errors, errors
