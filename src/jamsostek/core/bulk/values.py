"""Parsing the text cells of an import file into values, with reasons in the user's language."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

from jamsostek.core.constants import FIRST_DAY, LAST_DAY
from jamsostek.core.errors import InvalidField

_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DMY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_GROUPED = re.compile(r"^[0-9]{1,3}([.,][0-9]{3})+$")
TRUE = {"1", "y", "ya", "yes", "true", "benar"}
FALSE = {"0", "n", "tidak", "no", "false", "salah"}


def text(row: dict[str, str], field: str, *, required: bool = False) -> str:
    """A cell's text (the reader has already refused cells longer than ``MAX_VALUE``)."""
    value = row.get(field, "")
    if required and not value:
        raise InvalidField(_("is required"), field=field, code="required")
    return value


def a_date(row: dict[str, str], field: str, *, required: bool = False) -> date | None:
    """``YYYY-MM-DD``, or ``DD-MM-YYYY`` / ``DD/MM/YYYY`` as written in Indonesia."""
    value = text(row, field, required=required)
    if not value:
        return None
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii() and value[:4].isdigit():
        try:
            return check_day(date.fromisoformat(value), field)  # the common case, at C speed
        except ValueError:
            pass  # fall through to the precise message below
    match = _ISO.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DMY.match(value)
        if not match:
            raise InvalidField(
                _("%(value)s is not a date; write YYYY-MM-DD or DD-MM-YYYY") % {"value": value}, field=field
            )
        day, month, year = (int(part) for part in match.groups())
    try:
        return check_day(date(year, month, day), field)
    except ValueError:
        raise InvalidField(_("%(value)s is not a real date") % {"value": value}, field=field) from None


def check_day(day: date, field: str) -> date:
    """``day``, when the system takes it (``core.constants.FIRST_DAY`` to ``LAST_DAY``)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidField(
            _("must be between %(first)s and %(last)s") % {"first": FIRST_DAY, "last": LAST_DAY},
            field=field, code="out_of_range",
        )  # fmt: skip
    return day


def an_int(row: dict[str, str], field: str, *, required: bool = False) -> int | None:
    """A whole number; ``5.000.000`` and ``5,000,000`` are read as five million."""
    value = text(row, field, required=required).replace(" ", "")
    if not value:
        return None
    if _GROUPED.match(value):
        value = re.sub(r"[.,]", "", value)
    if not (value.isascii() and value.isdigit()):
        raise InvalidField(_("%(value)s is not a whole number") % {"value": value}, field=field, code="not_integer")
    return int(value)


def a_bool(row: dict[str, str], field: str) -> bool | None:
    value = text(row, field).lower()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise InvalidField(_("must be ya/tidak (yes/no)"), field=field)
