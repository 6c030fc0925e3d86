"""The "protection delivered" panel of the coverage pages: the benefits paid in the region in the
year of the month shown, per program, beside the coverage figures. Registered from
``ClaimsConfig.ready`` in ``core.panels``; it checks what the reader may see itself."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from jamsostek.claims import selectors
from jamsostek.core.errors import DomainError
from jamsostek.rules.periods import Month


def protection_delivered(request: HttpRequest, *, region: str, month: Month | None) -> str:
    """The panel's HTML, or nothing for a reader who may not see the region's claim statistics."""
    year = month.year if month is not None else timezone.localdate().year
    try:
        figures = selectors.statistics(visible_to=request.user, year=year, region=region, by="program")
    except DomainError:
        return ""
    return render_to_string("claims/_panel.html", {"figures": figures, "region": region}, request=request)
