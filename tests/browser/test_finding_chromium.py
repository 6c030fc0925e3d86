"""Which Chromium the browser tests use, and the reason they give when there is none."""

from __future__ import annotations

import pytest

from tests.browser import conftest


def test_it_prefers_the_chromium_named_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAMSOSTEK_CHROMIUM", "/opt/chromium/chrome")
    monkeypatch.setattr(conftest.shutil, "which", lambda name: name if name == "/opt/chromium/chrome" else None)
    assert conftest.find_chromium() == ("/opt/chromium/chrome", "")


def test_it_falls_back_to_debians_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAMSOSTEK_CHROMIUM", raising=False)
    monkeypatch.setattr(
        conftest.shutil, "which", lambda name: "/snap/bin/chromium-browser" if "browser" in name else None
    )
    assert conftest.find_chromium() == ("/snap/bin/chromium-browser", "")


def test_it_says_where_it_looked_when_there_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAMSOSTEK_CHROMIUM", raising=False)
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    executable, reason = conftest.find_chromium()
    assert executable is None
    assert "/usr/bin/chromium, chromium, chromium-browser" in reason
    assert "JAMSOSTEK_CHROMIUM" in reason


def test_a_chromium_named_in_the_environment_that_is_missing_is_not_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAMSOSTEK_CHROMIUM", "/nowhere/chromium")
    monkeypatch.setattr(
        conftest.shutil, "which", lambda name: "/usr/bin/chromium" if name != "/nowhere/chromium" else None
    )
    assert conftest.find_chromium() == (None, "JAMSOSTEK_CHROMIUM=/nowhere/chromium is not an executable")
