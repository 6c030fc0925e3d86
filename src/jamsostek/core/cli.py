"""Option values of the ``jamsostek`` commands: a bad one is one line naming the option and exit
status 2, never a traceback."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month


def month_option(text: str, name: str) -> Month:
    """``YYYY-MM`` given to the option ``name``."""
    try:
        return Month.parse(text, field=name)
    except InvalidInput as error:
        raise CommandError(error.message(), returncode=2) from None


def date_option(text: str | None, name: str, default: date) -> date:
    """``YYYY-MM-DD`` given to the option ``name``, or ``default`` when it was not given."""
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: not a date YYYY-MM-DD: %(text)r") % {"option": name, "text": text}, returncode=2
        ) from None


def row_problem(row: object, field: str, reason: str) -> str:
    """One rejected row of a file, as the commands list them (``row 3: nik: ...``), in the active language."""
    return _("row %(row)s: %(field)s: %(reason)s") % {"row": row, "field": field, "reason": reason}


def count(value: int) -> str:
    """A number with the active language's thousands separator (1.234 in Indonesian, 1,234 in English)."""
    return str(number_format(value, force_grouping=True))


def percent(share: float) -> str:
    """A share as a percentage with one decimal, in the active language (12,3% in Indonesian)."""
    return f"{number_format(share * 100, 1)}%"
