from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jamsostek.coverage.selectors import home_region


def home(request: HttpRequest) -> HttpResponse:
    """The coverage dashboard is the main page; users whose role has none get the list of tools."""
    if home_region(request.user) is not None:
        return redirect("coverage:dashboard")
    return render(request, "home.html")
