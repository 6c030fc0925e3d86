"""Option parsing shared by ``jamsostek benefit`` and ``jamsostek heirs``.

Every bad value becomes an ``InvalidInput`` naming the field, so ``main`` prints one line
``jamsostek: error: <field>: <reason>`` and exits with status 2.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from jamsostek.cli.common import Parser, date_option, fail, int_option, rupiah_option
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month

T = TypeVar("T")
_YES = ("yes", "true", "1", "ya")
_NO = ("no", "false", "0", "tidak")


class CommandParser(Parser):
    """A subcommand parser whose usage errors also start with ``jamsostek: error:``."""

    def error(self, message: str) -> NoReturn:
        fail(message.replace("argument ", ""))


def rate_option(text: str, field: str) -> Fraction:
    """An exact rate: ``0.35`` or ``35%`` (never through a float)."""
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    try:
        value = Fraction(Decimal(cleaned.rstrip("%").strip()))
    except (InvalidOperation, ValueError):
        raise InvalidInput(field, "bad_rate", value=text) from None
    if percent:
        value /= 100
    if not 0 <= value <= 1:
        raise InvalidInput(field, "bad_rate", value=text)
    return value


def flag_value(text: str, field: str) -> bool:
    cleaned = text.strip().lower()
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise InvalidInput(field, "not_one_of", value=text, choices="yes, no")


def spec_option(text: str, field: str, form: str) -> tuple[str, dict[str, str]]:
    """``head,key=value,flag`` -> (``head``, {key: value, flag: "yes"}); keys are snake_case."""
    parts = [part.strip() for part in text.split(",")]
    if not parts[0]:
        raise InvalidInput(field, "bad_spec", value=text, form=form)
    head, options = parts[0], {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not re.fullmatch(r"[a-z_]+", key):
            raise InvalidInput(field, "bad_spec", value=text, form=form)
        options[key] = value.strip() if value else "yes"
    return head, options


def check_keys(field: str, options: dict[str, str], allowed: tuple[str, ...]) -> None:
    for key in options:
        if key not in allowed:
            raise InvalidInput(field, "not_one_of", value=key, choices=", ".join(allowed))


def read_json(path_text: str, field: str) -> Any:
    """A JSON document from a file (``-`` for standard input)."""
    try:
        text = sys.stdin.read() if path_text == "-" else Path(path_text).read_text("utf-8")
    except OSError as error:
        raise InvalidInput(field, "bad_file", value=path_text, problem=error.strerror or str(error)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(field, "bad_json", problem=f"line {error.lineno}: {error.msg}") from None


def optional(value: str | None, parse: Callable[[str, str], T], field: str) -> T | None:
    """``parse(value, field)`` when the option was given, else None."""
    return None if value is None else parse(value, field)


def required(value: str | None, parse: Callable[[str, str], T], field: str) -> T:
    """``parse(value, field)``; a missing option is an error naming the field."""
    if value is None:
        raise InvalidInput(field, "required")
    return parse(value, field)


def json_date(value: object, field: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, "bad_date", value=value)
    return date_option(value, field)


def json_bool(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return flag_value(value, field)
    raise InvalidInput(field, "not_one_of", value=value, choices="true, false")


def json_int(value: object, field: str, *, rupiah: bool = False) -> int:
    if isinstance(value, bool):
        raise InvalidInput(field, "not_integer" if rupiah else "not_number", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return rupiah_option(value, field) if rupiah else int_option(value, field)
    raise InvalidInput(field, "not_integer" if rupiah else "not_number", value=value)


def month_value(value: object, field: str) -> Month:
    if not isinstance(value, str):
        raise InvalidInput(field, "bad_period", value=value)
    return Month.parse(value, field=field)
