"""Screenshots of the coverage dashboard for the documentation, taken from a running app.

    make demo                                  # prints the demo logins, serves on :8000
    .venv/bin/python tools/screenshot.py --password <the demo password>

logs in (``--username``, default ``demo``; or ``JAMSOSTEK_SCREENSHOT_USERNAME`` and
``JAMSOSTEK_SCREENSHOT_PASSWORD``), switches to ``--lang`` (default English, the documentation's
language) and saves ``docs/images/dashboard.png`` (1280 px wide, the full page up to ``--max-height``)
and ``docs/images/dashboard-phone.png`` (390 px wide). It drives Debian's Chromium through
Playwright, like the browser tests (``JAMSOSTEK_CHROMIUM`` names another); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"]
SHOTS = (  # file name, viewport width, viewport height
    ("dashboard.png", 1280, 900),
    ("dashboard-phone.png", 390, 844),
)


def chromium() -> str:
    for candidate in filter(None, (os.environ.get("JAMSOSTEK_CHROMIUM"), *CANDIDATES)):
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit("no Chromium found (install Debian's chromium, or set JAMSOSTEK_CHROMIUM)")


def log_in(page: Page, url: str, username: str, password: str, lang: str) -> None:
    page.goto(f"{url}/login/")
    form = page.locator("section.login form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if "/login/" in page.url:
        raise SystemExit(f"could not log in to {url} as {username}")
    page.locator(f"header form.lang button[value={lang}]").click()
    page.wait_for_load_state()


def shoot(browser: Browser, args: argparse.Namespace, name: str, width: int, height: int) -> Path:
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log_in(page, args.url, args.username, args.password, args.lang)
        page.goto(f"{args.url}/coverage/")
        page.locator("[data-testid=map] svg").wait_for()
        full = page.evaluate("document.documentElement.scrollHeight")
        target: Path = args.out / name
        page.screenshot(path=target, full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": min(full, args.max_height)})  # fmt: skip
        return target
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running app (default: %(default)s)")
    parser.add_argument("--username", default=os.environ.get("JAMSOSTEK_SCREENSHOT_USERNAME", "demo"))
    parser.add_argument("--password", default=os.environ.get("JAMSOSTEK_SCREENSHOT_PASSWORD"))
    parser.add_argument("--lang", choices=("en", "id"), default="en", help="page language (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder (default: docs/images)")
    parser.add_argument("--max-height", type=int, default=4000, help="crop taller pages (px, default %(default)s)")
    args = parser.parse_args(argv)
    if not args.password:
        parser.error("give --password or set JAMSOSTEK_SCREENSHOT_PASSWORD (make demo prints it)")
    args.url = args.url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            for name, width, height in SHOTS:
                saved = shoot(browser, args, name, width, height)
                print(f"{saved.relative_to(ROOT) if saved.is_relative_to(ROOT) else saved}: {width} px wide")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
