"""Dated, cited legal parameters, loaded from YAML (one file per parameter).

A parameter file::

    description: JKK contribution rate of a wage earner (PU), by risk class
    unit: rate_by_risk_class
    values:
      2015-07-01:
        value: {1: 0.0024, 2: 0.0054, 3: 0.0089, 4: 0.0127, 5: 0.0174}
        reference: {instrument: PP, number: "44", year: 2015, article: "16(1)"}
        confirmed: true
        sources: [SRC-CNBC-4923]

The file path is the name (``jkk/pu_rate.yaml`` -> ``jkk.pu_rate``). Every value has a start
date (a YAML date key), a legal reference and a ``confirmed`` status taken from
``reference/regulations.md``; ``value: null`` means the rule is not in force from that date (a
parameter's ``documentation`` may say it means "no value is known" instead). A value whose start
date is itself uncertain carries ``start_window: {earliest: ..., latest: ...}`` (and a note);
``Parameter.uncertain_on(day)`` tells a caller that a day falls in such a window.
Decimal numbers are read exactly (as ``Fraction``), never as floats. The loader rejects a
value without a reference, any unknown key, a duplicate date and a value that does not fit the
unit.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from jamsostek.rules.errors import ParameterError, ParameterNotInForce

DEFAULT_DIRECTORY = Path(__file__).parent / "parameters"

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
    "rate_by_month",
    "level_table",
    "name_list",
    "heir_order",
    # The calendar.
    "date_list",
)
WHOLE_NUMBER_UNITS = ("months", "years", "count")
FILE_KEYS = {"description", "unit", "values", "documentation", "next_change_expected"}
ENTRY_KEYS = {"value", "reference", "confirmed", "note", "sources", "start_window"}
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


@dataclass(frozen=True, slots=True)
class Entry:
    """One dated value of a parameter."""

    parameter: str
    start: date
    value: Any
    reference: Reference
    confirmed: bool
    note: str | None
    sources: tuple[str, ...]
    start_window: tuple[date, date] | None = None
    """When the start date is not certain: the earliest and latest days it may really be."""

    @property
    def in_force(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    entries: tuple[Entry, ...]
    documentation: str | None = None
    next_change_expected: date | None = None

    def at(self, day: date) -> Entry:
        """The value in force on ``day``; raises when the day is before the first value."""
        found: Entry | None = None
        for entry in self.entries:
            if entry.start <= day:
                found = entry
            else:
                break
        if found is None:
            raise ParameterNotInForce(self.name, day, self.entries[0].start)
        return found

    def first_in_force(self) -> date | None:
        return next((entry.start for entry in self.entries if entry.in_force), None)

    def uncertain_on(self, day: date) -> Entry | None:
        """The entry whose uncertain start window contains ``day`` (the value may differ)."""
        for entry in self.entries:
            if entry.start_window is not None and entry.start_window[0] <= day <= entry.start_window[1]:
                return entry
        return None

    def maybe_outdated(self, day: date) -> bool:
        """True when ``day`` is on or after the next change the law announces but we lack."""
        return self.next_change_expected is not None and day >= self.next_change_expected


@dataclass(frozen=True)
class ParameterSet:
    """Every parameter, by name."""

    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise KeyError(f"no parameter named {name!r}") from None

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters.values())

    def __len__(self) -> int:
        return len(self.parameters)

    def at(self, name: str, day: date) -> Entry:
        return self[name].at(day)

    def snapshot(self, day: date) -> dict[str, dict[str, Any]]:
        """Every parameter's entry in force on ``day`` (start, reference, confirmed): what a bill
        computed for that day used, to be stored with it."""
        result: dict[str, dict[str, Any]] = {}
        for parameter in self:
            try:
                entry = parameter.at(day)
            except ParameterNotInForce:
                continue
            result[parameter.name] = {
                "from": entry.start.isoformat(),
                "reference": str(entry.reference),
                "confirmed": entry.confirmed,
            }
        return result


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


def _unknown_keys(source: str, where: str, found: Mapping[Any, Any], allowed: set[str]) -> None:
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


def _bool(source: str, where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(source, f"{where}: must be true or false, got {value!r}")
    return value


def _value(source: str, where: str, unit: str, raw: Any) -> Any:
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
        _unknown_keys(source, f"{where} row {number}", item, LEVEL_KEYS)
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
        _unknown_keys(source, f"{where} group {number}", item, HEIR_GROUP_KEYS)
        at_most = item.get("at_most")
        if at_most is not None and _whole(source, f"{where} group {number} at_most", at_most) < 1:
            raise ParameterError(source, f"{where} group {number}: at_most must be at least 1")
        groups.append(HeirGroup(_names(source, f"{where} group {number}", item["relations"]), at_most))
    every = [relation for group in groups for relation in group.relations]
    if len(set(every)) != len(every):
        raise ParameterError(source, f"{where}: a relation is in two groups")
    return tuple(groups)


def _window(source: str, where: str, start: date, raw: Any) -> tuple[date, date] | None:
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
        _unknown_keys(source, here, item, keys)
        start = (_rupiah if start_key == "from" else _whole)(source, f"{here} {start_key}", item[start_key])
        rate = _rate(source, f"{here} rate", item["rate"])
        confirmed = _bool(source, f"{here} confirmed", item.get("confirmed", True))
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
        _unknown_keys(source, f"{where} band {number}", item, BAND_KEYS)
        up_to = item["up_to"]
        nominal = item["nominal"]
        bands.append(
            Band(
                None if up_to is None else _rupiah(source, f"{where} band {number}", up_to),
                None if nominal is None else _rupiah(source, f"{where} band {number}", nominal),
                _bool(source, f"{where} band {number} confirmed", item.get("confirmed", True)),
            )
        )
    limits = [band.up_to for band in bands]
    if limits[-1] is not None or any(limit is None for limit in limits[:-1]):
        raise ParameterError(source, f"{where}: only the last band may be open (up_to: null)")
    closed = [limit for limit in limits[:-1] if limit is not None]
    if any(b <= a for a, b in itertools.pairwise(closed)):
        raise ParameterError(source, f"{where}: band limits must increase")
    return tuple(bands)


def _reference(source: str, where: str, raw: Any) -> Reference:
    if not isinstance(raw, dict):
        raise ParameterError(source, f"{where}: a value needs a reference (instrument, number, year)")
    _unknown_keys(source, f"{where} reference", raw, REFERENCE_KEYS)
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


def parse_parameter(name: str, data: Any, source: str) -> Parameter:
    """Validate one parameter file's content and build the ``Parameter``."""
    if not isinstance(data, dict):
        raise ParameterError(source, "a parameter file is a mapping")
    _unknown_keys(source, "file", data, FILE_KEYS)
    for key in ("description", "unit", "values"):
        if key not in data:
            raise ParameterError(source, f"missing key {key!r}")
    unit = data["unit"]
    if unit not in UNITS:
        raise ParameterError(source, f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    values = data["values"]
    if not isinstance(values, dict) or not values:
        raise ParameterError(source, "values must be a non-empty mapping of start dates")
    entries: list[Entry] = []
    for start, raw in values.items():
        if not isinstance(start, date):
            raise ParameterError(source, f"value key {start!r} is not a date YYYY-MM-DD")
        where = f"value from {start}"
        if not isinstance(raw, dict):
            raise ParameterError(source, f"{where}: needs value, reference and confirmed")
        _unknown_keys(source, where, raw, ENTRY_KEYS)
        if "value" not in raw:
            raise ParameterError(source, f"{where}: missing 'value' (use null when not in force)")
        if "reference" not in raw:
            raise ParameterError(source, f"{where}: a value needs a reference")
        if "confirmed" not in raw:
            raise ParameterError(source, f"{where}: missing 'confirmed' (true or false)")
        sources = raw.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(item, str) for item in sources):
            raise ParameterError(source, f"{where}: sources must be a list of source keys")
        note = raw.get("note")
        if note is not None and not isinstance(note, str):
            raise ParameterError(source, f"{where}: note must be text")
        window = _window(source, where, start, raw.get("start_window"))
        if window is not None and not note:
            raise ParameterError(source, f"{where}: an uncertain start date needs a note saying why")
        entries.append(
            Entry(
                parameter=name,
                start=start,
                value=_value(source, where, unit, raw["value"]),
                reference=_reference(source, where, raw["reference"]),
                confirmed=_bool(source, f"{where} confirmed", raw["confirmed"]),
                note=note,
                sources=tuple(sources),
                start_window=window,
            )
        )
    entries.sort(key=lambda entry: entry.start)
    expected = data.get("next_change_expected")
    if expected is not None and not isinstance(expected, date):
        raise ParameterError(source, "next_change_expected must be a date")
    documentation = data.get("documentation")
    return Parameter(
        name=name,
        description=str(data["description"]),
        unit=unit,
        entries=tuple(entries),
        documentation=None if documentation is None else str(documentation),
        next_change_expected=expected,
    )


def load_directory(directory: Path) -> ParameterSet:
    """Load every ``*.yaml`` below ``directory``; the relative path is the parameter name."""
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.rglob("*.yaml")):
        relative = path.relative_to(directory).with_suffix("")
        name = ".".join(relative.parts)
        source = str(path)
        parameters[name] = parse_parameter(name, read_yaml(path.read_text("utf-8"), source), source)
    if not parameters:
        raise ParameterError(str(directory), "no parameter files found")
    return ParameterSet(parameters)


@functools.cache
def default_parameters() -> ParameterSet:
    """The parameters shipped with the package (loaded once, on first use)."""
    return load_directory(DEFAULT_DIRECTORY)
