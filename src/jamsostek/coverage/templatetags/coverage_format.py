"""Compact rupiah for headlines: ``Rp3,04 miliar`` / ``Rp3.04 billion`` (the exact amount stays in
the sentence below it and in the exports)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah_compact(value: int | None) -> str:
    if value is None:
        return "—"
    for size, unit in ((10**12, _("trillion")), (10**9, _("billion")), (10**6, _("million"))):
        if abs(value) >= size:
            return f"Rp{number_format(value / size, 2)} {unit}"
    return f"Rp{number_format(value, 0, force_grouping=True)}"
