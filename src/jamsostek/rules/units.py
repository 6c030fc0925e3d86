"""The units of parameter values: what each may hold, read exactly from YAML and checked.

Every unit has one parser here (``parse_value``); the value types it builds (``Reference``,
``ScheduleRow``, ``Band``, ``Level``, ``HeirGroup``) are the ones the rules read. Decimal numbers
are read as ``Fraction``, never as floats, and a YAML mapping may not repeat a key.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import yaml

from jamsostek.rules.errors import ParameterError

UNITS = (
    "rate",
    "rupiah",
    "day_of_month",
    "date",
    "rate_by_risk_class",
    "rupiah_by_months",
    "rate_schedule",
    "income_bands",
    "months_list",
    # Units of the benefit rules.
    "months",
    "years",
    "count",
    "factor",
    "rupiah_by_key",
    "rate_by_key",
    "rate_by_month",
    "level_table",
    "name_list",
    "heir_order",
    # The calendar.
    "date_list",
)
WHOLE_NUMBER_UNITS = ("months", "years", "count")
REFERENCE_KEYS = {"instrument", "number", "year", "article", "title", "url"}
SCHEDULE_ROW_KEYS = {"from", "rate", "confirmed"}
MONTH_RATE_KEYS = {"from_month", "rate", "confirmed"}
BAND_KEYS = {"up_to", "nominal", "confirmed"}
LEVEL_KEYS = {"level", "per_year", "max_years"}
HEIR_GROUP_KEYS = {"relations", "at_most"}
WINDOW_KEYS = {"earliest", "latest"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Reference:
    """Where a value comes from: instrument, number, year, and the article where known."""

    instrument: str
    number: str
    year: int
    article: str | None = None
    title: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        number = self.number if "/" in self.number else f"{self.number}/{self.year}"
        text = f"{self.instrument} {number}"
        return f"{text} art. {self.article}" if self.article else text


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One slice of a progressive schedule: ``rate`` applies from ``start`` to the next row."""

    start: int
    rate: Fraction
    confirmed: bool


@dataclass(frozen=True, slots=True)
class Band:
    """An income band: income up to ``up_to`` (inclusive; None = no limit) -> ``nominal``.

    ``nominal`` None means the band's nominal is the declared income itself (an approximation
    used where the regulation's table is not known).
    """

    up_to: int | None
    nominal: int | None
    confirmed: bool


@dataclass(frozen=True, slots=True)
class Level:
    """One row of a table by school level: ``per_year`` rupiah for at most ``max_years`` years."""

    level: str
    per_year: int
    max_years: int


@dataclass(frozen=True, slots=True)
class HeirGroup:
    """One rank of an order of heirs: these relations together, at most ``at_most`` persons."""

    relations: tuple[str, ...]
    at_most: int | None


# --- YAML reading: exact decimals, no duplicate keys -------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that reads decimals exactly and refuses duplicate mapping keys."""


def _construct_exact_float(loader: _StrictLoader, node: yaml.ScalarNode) -> Fraction:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Fraction(text)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"not an exact decimal: {text!r}", node.start_mark
        ) from None


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_exact_float)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        raise ParameterError(source, f"not valid YAML: {error}") from None


# --- validation ---------------------------------------------------------------------------------


def unknown_keys(source: str, where: str, found: Mapping[Any, Any], allowed: set[str]) -> None:
    unknown = sorted(str(key) for key in found if key not in allowed)
    if unknown:
        raise ParameterError(source, f"{where}: unknown key(s) {', '.join(unknown)}")


def _rate(source: str, where: str, value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ParameterError(source, f"{where}: a rate must be a decimal number, got {value!r}")
    rate = Fraction(value)
    if not 0 <= rate <= 1:
        raise ParameterError(source, f"{where}: a rate must be between 0 and 1, got {value}")
    return rate


def _rupiah(source: str, where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(source, f"{where}: rupiah must be a whole number >= 0, got {value!r}")
    return value


def _whole(source: str, where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(source, f"{where}: must be a whole number >= 0, got {value!r}")
    return value


def _name(source: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ParameterError(source, f"{where}: a name is lower-case letters, digits and _, got {value!r}")
    return value


def _names(source: str, where: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(source, f"{where}: needs a non-empty list of names")
    names = tuple(_name(source, where, item) for item in raw)
    if len(set(names)) != len(names):
        raise ParameterError(source, f"{where}: a name is listed twice")
    return names


def parse_bool(source: str, where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(source, f"{where}: must be true or false, got {value!r}")
    return value


def parse_value(source: str, where: str, unit: str, raw: Any) -> Any:
    if raw is None:
        return None
    if unit == "rate":
        return _rate(source, where, raw)
    if unit == "rupiah":
        return _rupiah(source, where, raw)
    if unit == "day_of_month":
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 31:
            raise ParameterError(source, f"{where}: a day of month must be 1-31, got {raw!r}")
        return raw
    if unit == "date":
        if not isinstance(raw, date):
            raise ParameterError(source, f"{where}: must be a date YYYY-MM-DD, got {raw!r}")
        return raw
    if unit == "date_list":
        if not isinstance(raw, list) or not all(isinstance(item, date) for item in raw) or len(set(raw)) != len(raw):
            raise ParameterError(source, f"{where}: needs a list of distinct dates YYYY-MM-DD")
        return tuple(sorted(raw))
    if unit == "rate_by_risk_class":
        if not isinstance(raw, dict) or sorted(raw) != [1, 2, 3, 4, 5]:
            raise ParameterError(source, f"{where}: needs exactly the risk classes 1, 2, 3, 4, 5")
        return {risk: _rate(source, f"{where} class {risk}", raw[risk]) for risk in sorted(raw)}
    if unit == "rupiah_by_months":
        if not isinstance(raw, dict) or not raw:
            raise ParameterError(source, f"{where}: needs a mapping of months to rupiah")
        for months in raw:
            if isinstance(months, bool) or not isinstance(months, int) or months < 1:
                raise ParameterError(source, f"{where}: months must be whole numbers >= 1")
        return {months: _rupiah(source, f"{where} {months}", raw[months]) for months in sorted(raw)}
    if unit == "months_list":
        if (
            not isinstance(raw, list)
            or not raw
            or not all(isinstance(item, int) and not isinstance(item, bool) and item >= 1 for item in raw)
        ):
            raise ParameterError(source, f"{where}: needs a list of whole months >= 1")
        return tuple(sorted(set(raw)))
    if unit == "rate_schedule":
        return _schedule(source, where, raw)
    if unit == "income_bands":
        return _bands(source, where, raw)
    if unit in WHOLE_NUMBER_UNITS:
        return _whole(source, where, raw)
    if unit == "factor":
        if isinstance(raw, bool) or not isinstance(raw, int | Fraction) or raw < 0:
            raise ParameterError(source, f"{where}: a factor must be a number >= 0, got {raw!r}")
        return Fraction(raw)
    if unit == "rupiah_by_key":
        if not isinstance(raw, dict) or not raw:
            raise ParameterError(source, f"{where}: needs a mapping of names to rupiah")
        return {_name(source, where, key): _rupiah(source, f"{where} {key}", raw[key]) for key in raw}
    if unit == "rate_by_key":
        if not isinstance(raw, dict) or not raw:
            raise ParameterError(source, f"{where}: needs a mapping of names to rates")
        return {_name(source, where, key): _rate(source, f"{where} {key}", raw[key]) for key in raw}
    if unit == "rate_by_month":
        return _month_rates(source, where, raw)
    if unit == "level_table":
        return _levels(source, where, raw)
    if unit == "name_list":
        return _names(source, where, raw)
    if unit == "heir_order":
        return _heir_order(source, where, raw)
    raise AssertionError(unit)  # pragma: no cover - units are checked before


def _levels(source: str, where: str, raw: Any) -> tuple[Level, ...]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(source, f"{where}: a level table is a non-empty list of rows")
    levels: list[Level] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not set(item) >= LEVEL_KEYS:
            raise ParameterError(source, f"{where} row {number}: needs level, per_year and max_years")
        unknown_keys(source, f"{where} row {number}", item, LEVEL_KEYS)
        max_years = _whole(source, f"{where} row {number} max_years", item["max_years"])
        if max_years < 1:
            raise ParameterError(source, f"{where} row {number}: max_years must be at least 1")
        levels.append(
            Level(
                _name(source, f"{where} row {number} level", item["level"]),
                _rupiah(source, f"{where} row {number} per_year", item["per_year"]),
                max_years,
            )
        )
    if len({level.level for level in levels}) != len(levels):
        raise ParameterError(source, f"{where}: a level is listed twice")
    return tuple(levels)


def _heir_order(source: str, where: str, raw: Any) -> tuple[HeirGroup, ...]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(source, f"{where}: an order of heirs is a non-empty list of groups")
    groups: list[HeirGroup] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "relations" not in item:
            raise ParameterError(source, f"{where} group {number}: needs 'relations'")
        unknown_keys(source, f"{where} group {number}", item, HEIR_GROUP_KEYS)
        at_most = item.get("at_most")
        if at_most is not None and _whole(source, f"{where} group {number} at_most", at_most) < 1:
            raise ParameterError(source, f"{where} group {number}: at_most must be at least 1")
        groups.append(HeirGroup(_names(source, f"{where} group {number}", item["relations"]), at_most))
    every = [relation for group in groups for relation in group.relations]
    if len(set(every)) != len(every):
        raise ParameterError(source, f"{where}: a relation is in two groups")
    return tuple(groups)


def parse_window(source: str, where: str, start: date, raw: Any) -> tuple[date, date] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != WINDOW_KEYS:
        raise ParameterError(source, f"{where}: start_window needs exactly earliest and latest")
    earliest, latest = raw["earliest"], raw["latest"]
    if not isinstance(earliest, date) or not isinstance(latest, date) or not earliest <= start <= latest:
        raise ParameterError(source, f"{where}: start_window must be dates with earliest <= start <= latest")
    return earliest, latest


def _schedule(source: str, where: str, raw: Any) -> tuple[ScheduleRow, ...]:
    """Progressive slices by rupiah: ``from`` 0 first, then increasing."""
    return _rate_rows(source, where, raw, start_key="from", first=0, word="slice", keys=SCHEDULE_ROW_KEYS)


def _month_rates(source: str, where: str, raw: Any) -> tuple[ScheduleRow, ...]:
    """Rates by month of a benefit: ``from_month`` 1 first, then increasing."""
    return _rate_rows(source, where, raw, start_key="from_month", first=1, word="row", keys=MONTH_RATE_KEYS)


def _rate_rows(
    source: str, where: str, raw: Any, *, start_key: str, first: int, word: str, keys: set[str]
) -> tuple[ScheduleRow, ...]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(source, f"{where}: needs a non-empty list of {word}s")
    rows: list[ScheduleRow] = []
    for number, item in enumerate(raw, start=1):
        here = f"{where} {word} {number}"
        if not isinstance(item, dict) or start_key not in item or "rate" not in item:
            raise ParameterError(source, f"{here}: needs '{start_key}' and 'rate'")
        unknown_keys(source, here, item, keys)
        start = (_rupiah if start_key == "from" else _whole)(source, f"{here} {start_key}", item[start_key])
        rate = _rate(source, f"{here} rate", item["rate"])
        confirmed = parse_bool(source, f"{here} confirmed", item.get("confirmed", True))
        rows.append(ScheduleRow(start, rate, confirmed))
    if rows[0].start != first or any(b.start <= a.start for a, b in itertools.pairwise(rows)):
        start_at = "month 1" if first else "0"
        raise ParameterError(source, f"{where}: {word}s must start at {start_at} and increase")
    return tuple(rows)


def _bands(source: str, where: str, raw: Any) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(source, f"{where}: bands are a non-empty list")
    bands: list[Band] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "up_to" not in item or "nominal" not in item:
            raise ParameterError(source, f"{where} band {number}: needs 'up_to' and 'nominal'")
        unknown_keys(source, f"{where} band {number}", item, BAND_KEYS)
        up_to = item["up_to"]
        nominal = item["nominal"]
        bands.append(
            Band(
                None if up_to is None else _rupiah(source, f"{where} band {number}", up_to),
                None if nominal is None else _rupiah(source, f"{where} band {number}", nominal),
                parse_bool(source, f"{where} band {number} confirmed", item.get("confirmed", True)),
            )
        )
    limits = [band.up_to for band in bands]
    if limits[-1] is not None or any(limit is None for limit in limits[:-1]):
        raise ParameterError(source, f"{where}: only the last band may be open (up_to: null)")
    closed = [limit for limit in limits[:-1] if limit is not None]
    if any(b <= a for a, b in itertools.pairwise(closed)):
        raise ParameterError(source, f"{where}: band limits must increase")
    return tuple(bands)


def parse_reference(source: str, where: str, raw: Any) -> Reference:
    if not isinstance(raw, dict):
        raise ParameterError(source, f"{where}: a value needs a reference (instrument, number, year)")
    unknown_keys(source, f"{where} reference", raw, REFERENCE_KEYS)
    missing = [key for key in ("instrument", "number", "year") if raw.get(key) in (None, "")]
    if missing:
        raise ParameterError(source, f"{where}: reference lacks {', '.join(missing)}")
    year = raw["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1945 <= year <= 2100:
        raise ParameterError(source, f"{where}: reference year must be a year, got {year!r}")
    text = {key: raw.get(key) for key in ("article", "title", "url")}
    for key, value in text.items():
        if value is not None and not isinstance(value, str):
            raise ParameterError(source, f"{where}: reference {key} must be text, got {value!r}")
    return Reference(
        instrument=str(raw["instrument"]),
        number=str(raw["number"]),
        year=year,
        article=text["article"],
        title=text["title"],
        url=text["url"],
    )
