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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jamsostek.rules.errors import ParameterError, ParameterNotInForce
from jamsostek.rules.units import (
    UNITS,
    Band,
    HeirGroup,
    Level,
    Reference,
    ScheduleRow,
    parse_bool,
    parse_reference,
    parse_value,
    parse_window,
    read_yaml,
    unknown_keys,
)

__all__ = [
    "UNITS",
    "Band",
    "Entry",
    "HeirGroup",
    "Level",
    "Parameter",
    "ParameterSet",
    "Reference",
    "ScheduleRow",
    "default_parameters",
    "load_directory",
    "parse_parameter",
    "read_yaml",
]

DEFAULT_DIRECTORY = Path(__file__).parent / "parameters"
FILE_KEYS = {"description", "unit", "values", "documentation", "next_change_expected"}
ENTRY_KEYS = {"value", "reference", "confirmed", "note", "sources", "start_window"}


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


def parse_parameter(name: str, data: Any, source: str) -> Parameter:
    """Validate one parameter file's content and build the ``Parameter``."""
    if not isinstance(data, dict):
        raise ParameterError(source, "a parameter file is a mapping")
    unknown_keys(source, "file", data, FILE_KEYS)
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
        unknown_keys(source, where, raw, ENTRY_KEYS)
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
        window = parse_window(source, where, start, raw.get("start_window"))
        if window is not None and not note:
            raise ParameterError(source, f"{where}: an uncertain start date needs a note saying why")
        entries.append(
            Entry(
                parameter=name,
                start=start,
                value=parse_value(source, where, unit, raw["value"]),
                reference=parse_reference(source, where, raw["reference"]),
                confirmed=parse_bool(source, f"{where} confirmed", raw["confirmed"]),
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
