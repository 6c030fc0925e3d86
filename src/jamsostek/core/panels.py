"""Panels other apps add to the coverage pages (the dashboard and a regency's page), registered at
start-up: coverage imports nothing from the apps that show something beside its figures.

The registry of panels lives in the core so that an app below coverage (claims, at layer 40) can
register one from its ``AppConfig.ready`` without importing coverage; ``coverage.panels`` names the
same functions for the apps above it.

A panel is a function of the request, the region shown and the month chosen, returning its HTML
(or an empty string to show nothing). It runs on every request, outside the kept coverage section,
so it checks what the reader may see itself (through the access policy and the app's selectors)
and keeps what it computes as it sees fit.
"""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from jamsostek.rules.periods import Month


class Panel(Protocol):
    def __call__(self, request: HttpRequest, *, region: str, month: Month | None) -> str: ...


_panels: list[tuple[int, str, Panel]] = []


def register(name: str, panel: Panel, *, order: int = 100) -> None:
    """Show ``panel`` on the coverage pages, below the figures, in ``order`` (once per ``name``)."""
    global _panels
    _panels = sorted([entry for entry in _panels if entry[1] != name] + [(order, name, panel)], key=lambda e: e[:2])


def unregister(name: str) -> None:
    """Show the panel ``name`` no more (tests)."""
    global _panels
    _panels = [entry for entry in _panels if entry[1] != name]


def render(request: HttpRequest, *, region: str, month: Month | None) -> list[SafeString]:
    """The HTML of every registered panel for this page (the empty ones left out)."""
    shown = []
    for _order, _name, panel in _panels:
        html = panel(request, region=region, month=month)
        if html:
            shown.append(mark_safe(html))  # a panel renders its own template, which escapes its values
    return shown
