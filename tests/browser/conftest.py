"""Headless Chromium (Debian's, driven by Playwright) against pytest-django's live server.

No browser is ever downloaded: the tests use the Chromium found at ``JAMSOSTEK_CHROMIUM``,
``/usr/bin/chromium``, ``chromium`` or ``chromium-browser``. Without one they are skipped, or they
fail when ``JAMSOSTEK_REQUIRE_BROWSER=1`` (as CI sets, after installing Debian's ``chromium``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from jamsostek.contributions.models import Bill
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.coverage.bulk.compute import recompute
from jamsostek.coverage.models import Denominator, DenominatorKind, Target
from jamsostek.rules.periods import Month
from tests.conftest import Personas, World
from tests.contributions.conftest import Billed

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"]
PASSWORD = "a long test password"  # the personas' password (tests/conftest.py)
MONTHS = [Month(2025, 3), Month(2025, 4), Month(2025, 5), Month(2025, 6)]
AS_OF = date(2025, 7, 20)


def find_chromium() -> tuple[str | None, str]:
    """(the executable, or None with the reason it is missing)."""
    explicit = os.environ.get("JAMSOSTEK_CHROMIUM", "").strip()
    if explicit:
        found = shutil.which(explicit)
        return (found, "") if found else (None, f"JAMSOSTEK_CHROMIUM={explicit} is not an executable")
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found, ""
    return None, "no Chromium found (looked for " + ", ".join(CANDIDATES) + "; set JAMSOSTEK_CHROMIUM)"


@pytest.fixture(scope="session")
def chromium() -> str:
    executable, missing = find_chromium()
    if executable is None:
        if os.environ.get("JAMSOSTEK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"JAMSOSTEK_REQUIRE_BROWSER=1 but {missing}", pytrace=False)
        pytest.skip(missing)
    return executable


@pytest.fixture
def browser(chromium: str, live_server: Any, province: Province) -> Iterator[Browser]:
    """Chromium, started once the data is written and the live server runs, and stopped before
    the database is flushed: while Playwright's sync API is up, its asyncio loop runs in this thread,
    and Django then hands out another connection (and refuses queries), so the test body only
    talks to the browser and the API."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Province:
    """A small province on the dashboard: the billed world billed for March to June 2025, paid
    but for the independent farmer's last two months, coverage computed with payments known on
    20 July, and small denominators and a target so that every UCJ has two significant decimals."""

    def __init__(self, world: World, personas: Personas) -> None:
        self.analyst = personas.analyst
        self.admin = personas.admin
        self.worker_id = world.ketapang_worker.pk
        billed = Billed(world)
        for month in MONTHS:
            billing_run(actor=None, period=month)
        farmer = f"participant:{billed.farmer.pk}"
        for bill in Bill.objects.order_by("period", "payer_key"):
            if bill.payer_key == farmer and bill.period >= date(2025, 5, 1):
                continue
            payment_record(actor=None, transaction_reference=f"TRX-{bill.pk}", payment_reference=bill.reference,
                           amount=bill.total, paid_on=bill.due_date)  # fmt: skip
        recompute(first=MONTHS[0], last=MONTHS[-1], as_of=AS_OF)
        for region, workers in (("61", 17), ("61.01", 6), ("61.04", 7), ("61.71", 3)):
            Denominator.objects.create(region_id=region, kind=DenominatorKind.EMPLOYED, period=date(2025, 1, 1),
                                       value=workers, source="browser test")  # fmt: skip
        Target.objects.create(region_id="61", year=2025, percent="59.56", source="browser test")


@pytest.fixture
def province(world: World, personas: Personas) -> Province:
    return Province(world, personas)
