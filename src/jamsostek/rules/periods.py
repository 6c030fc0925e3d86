"""Contribution months and dates.

A contribution month is written ``YYYY-MM``. Convention (docs/rules.md): the parameters of a
contribution month are those in force on its **first day**. A regulation that names the
contribution months it covers (PP 49/2020: August 2020 - January 2021; PP 7/2025: from February
2025) is encoded from the first day of its first month, so the convention reproduces it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from jamsostek.rules.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month; ``index`` counts months from year 0 and orders them."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str, *, field: str = "period") -> Month:
        match = _MONTH.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise InvalidInput(field, "bad_period", value=text)
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1900 <= year <= 2999:
            raise InvalidInput(field, "bad_period", value=text)
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def day(self, day: int) -> date:
        """The given day of this month, or its last day when the month is shorter."""
        return date(self.year, self.month, min(day, self.last_day.day))

    def plus(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_date(text: str, *, field: str) -> date:
    """A strict ``YYYY-MM-DD`` date; ``2025-02-31`` is an error naming the field."""
    if not isinstance(text, str) or not _DATE.match(text.strip()):
        raise InvalidInput(field, "bad_date", value=text)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field, "bad_date", value=text) from None


def next_working_day(day: date, holidays: Collection[date] = ()) -> date:
    """``day``, or the first day after it that is neither a Saturday, a Sunday nor one of
    ``holidays`` (see ``jamsostek.rules.holidays.working_day``, which knows the public holidays)."""
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def months_late(due: date, paid: date) -> int:
    """Started months of delay: one day after the due date is one month, and so on.

    A payment on the same day of a later month counts the months between; any later day starts
    the next month (due 15 April: paid 16 April -> 1, paid 15 May -> 1, paid 16 May -> 2).
    """
    if paid <= due:
        return 0
    months = (paid.year - due.year) * 12 + (paid.month - due.month)
    return months + (1 if paid.day > due.day else 0)
