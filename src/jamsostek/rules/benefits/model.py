"""Inputs and results of the benefit rules (plain data, validated on construction)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import MAX_RUPIAH, check_bool, check_rupiah
from jamsostek.rules.parameterset import Reference
from jamsostek.rules.periods import Month

Program = Literal["jkm", "jkk", "jht", "jp", "jkp"]
PROGRAMS: tuple[Program, ...] = ("jkm", "jkk", "jht", "jp", "jkp")
MAX_MONTHS = 1200
"""Bound on any count of months given as input (100 years)."""

Detail = str | int | bool | None


def check_months(field_name: str, value: object, *, low: int = 0, high: int = MAX_MONTHS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field_name, "not_number", value=value)
    if not low <= value <= high:
        raise InvalidInput(field_name, "out_of_range", value=value, low=low, high=high)
    return value


def check_date(field_name: str, value: object) -> date:
    if not isinstance(value, date):
        raise InvalidInput(field_name, "bad_date", value=value)
    return value


def check_optional_date(field_name: str, value: object) -> date | None:
    return None if value is None else check_date(field_name, value)


def check_rate(field_name: str, value: object) -> Fraction:
    """An exact decimal rate between 0 and 1 (``Fraction``, or an ``int`` 0 or 1); never a float.

    Rates from the law and from BPJS are decimals; a rate like 1/3 has no exact decimal form to
    explain, so it is refused.
    """
    if isinstance(value, bool) or not isinstance(value, int | Fraction) or not 0 <= value <= 1:
        raise InvalidInput(field_name, "bad_rate", value=value)
    denominator = Fraction(value).denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator != 1:
        raise InvalidInput(field_name, "bad_rate", value=str(value))
    return Fraction(value)


def check_not_before(field_name: str, value: date, other_name: str, other: date) -> None:
    if value < other:
        raise InvalidInput(field_name, "before", value=value.isoformat(), other=other_name, limit=other)


def check_choice(field_name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidInput(field_name, "not_one_of", value=value, choices=", ".join(choices))
    assert isinstance(value, str)
    return value


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    return Month.of(day).plus(months).day(day.day)


def anniversary(birth_date: date, years: int) -> date:
    """The day someone born on ``birth_date`` turns ``years`` (29 February -> 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return date(birth_date.year + years, 3, 1)


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on ``day``."""
    years = day.year - birth_date.year
    return years if anniversary(birth_date, years) <= day else years - 1


def whole_months_between(start: date, end: date) -> int:
    """Complete months from ``start`` to ``end`` (0 when ``end`` is before ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(0, months)


@dataclass(frozen=True, slots=True)
class BenefitLine:
    """One itemised amount of a benefit, with its legal basis."""

    key: str
    """Stable identifier of the item (``jkm.lump_sum``, ``jkk.stmb``, ...)."""
    item: str
    """What is paid, in words."""
    amount: int
    references: tuple[Reference, ...]
    confirmed: bool
    explanation: str

    @property
    def reference(self) -> str:
        return "; ".join(dict.fromkeys(str(reference) for reference in self.references))

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "item": self.item,
            "amount": self.amount,
            "reference": self.reference,
            "confirmed": self.confirmed,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class BenefitResult:
    """A benefit decision: eligible or not, why, under which law, and the itemised amounts."""

    program: Program
    on: date
    """The date the rules were applied on (death, accident, termination, claim date)."""
    eligible: bool
    code: str
    """``eligible`` or a short reason code (``waiting_period``, ``too_few_months``, ...)."""
    reason: str
    basis: tuple[Reference, ...]
    lines: tuple[BenefitLine, ...] = ()
    warnings: tuple[str, ...] = ()
    details: Mapping[str, Detail] = field(default_factory=dict)
    basis_confirmed: bool = True

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines) if self.eligible else 0

    @property
    def confirmed(self) -> bool:
        return self.basis_confirmed and all(line.confirmed for line in self.lines)

    @property
    def legal_basis(self) -> str:
        return "; ".join(dict.fromkeys(str(reference) for reference in self.basis))

    def line(self, key: str) -> BenefitLine:
        """The line with this key (raises ``KeyError`` when there is none)."""
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "date": self.on.isoformat(),
            "eligible": self.eligible,
            "code": self.code,
            "reason": self.reason,
            "legal_basis": self.legal_basis,
            "lines": [line.to_dict() for line in self.lines],
            "total": self.total,
            "confirmed": self.confirmed,
            "warnings": list(self.warnings),
            "details": dict(self.details),
        }


EMPLOYMENTS = ("pu_up_to_6_months", "bpu", "apprentice", "other")


@dataclass(frozen=True, slots=True)
class Child:
    """A child of the participant, for the scholarship (beasiswa)."""

    level: str
    """School level this year: ``tk_sd``, ``smp``, ``sma``, ``higher`` or ``none`` (aliases accepted)."""
    year: int = 1
    """Year of study at that level (1 = first year), to apply the most years paid per level."""
    birth_date: date | None = None
    married: bool = False
    employed: bool = False
    name: str | None = None
    employed_as: str | None = None
    """How a working child works (``pu_up_to_6_months``, ``bpu``, ``apprentice``, ``other``): since
    Permenaker 1/2025 some work does not end the scholarship of a child still in education. Given,
    it implies ``employed``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", school_level(self.level))
        if self.employed_as is not None:
            check_choice("employed_as", self.employed_as, EMPLOYMENTS)
            object.__setattr__(self, "employed", True)
        check_months("year", self.year, low=1, high=20)
        check_optional_date("birth_date", self.birth_date)
        check_bool("married", self.married)
        check_bool("employed", self.employed)
        if self.name is not None and not isinstance(self.name, str):
            raise InvalidInput("name", "not_one_of", value=self.name, choices="text")


SCHOOL_LEVELS: dict[str, tuple[str, ...]] = {
    "tk_sd": ("tk", "sd", "kindergarten", "primary", "tk/sd", "tk-sd"),
    "smp": ("junior_secondary", "mts"),
    "sma": ("smk", "ma", "senior_secondary"),
    "higher": ("s1", "university", "college", "training", "pelatihan", "kuliah", "perguruan_tinggi"),
    "none": ("not_in_school", "belum_sekolah"),
}


def school_level(value: object) -> str:
    """The canonical school level for a name or an alias (case and spaces ignored)."""
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "_")
        for level, aliases in SCHOOL_LEVELS.items():
            if text == level or text in aliases:
                return level
    raise InvalidInput("level", "not_one_of", value=value, choices=", ".join(SCHOOL_LEVELS))


@dataclass(frozen=True, slots=True)
class Costs:
    """Costs claimed after a work accident (JKK), each paid up to its cap where the law sets one."""

    medical: int = 0
    transport_land: int = 0
    transport_sea: int = 0
    transport_air: int = 0
    home_care: int = 0
    eyeglasses: int = 0

    def __post_init__(self) -> None:
        for name in self.__slots__:
            check_rupiah(name, getattr(self, name), maximum=MAX_RUPIAH)

    def claimed(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__ if getattr(self, name)}
