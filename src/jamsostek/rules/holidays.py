"""Working days: weekends and the national public holidays of the years that have a dated list
(parameter ``calendar.public_holidays``, one value per year). A contribution due on a holiday is
due on the next working day (PP 44/2015, as reported; see ``deadlines.*``)."""

from __future__ import annotations

from datetime import date

from jamsostek.rules.errors import ParameterNotInForce
from jamsostek.rules.parameterset import ParameterSet
from jamsostek.rules.periods import next_working_day

HOLIDAYS = "calendar.public_holidays"


def public_holidays(parameters: ParameterSet, year: int) -> frozenset[date] | None:
    """The national public holidays of ``year``, or None when no list of that year is encoded."""
    try:
        entry = parameters.at(HOLIDAYS, date(year, 12, 31))
    except (KeyError, ParameterNotInForce):
        return None
    if entry.start.year != year or entry.value is None:
        return None
    return frozenset(entry.value)


def working_day(parameters: ParameterSet, day: date) -> date:
    """``day``, or the first later day that is not a weekend nor a known public holiday."""
    known: set[date] = set()
    for year in (day.year, day.year + 1):  # a due date late in December may move into January
        known |= public_holidays(parameters, year) or frozenset()
    return next_working_day(day, known)
