"""What every ``jamsostek`` subcommand shares: argument parsing that fails in one clear line,
the user's language, and the table printer."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month, parse_date

EXIT_BAD_INPUT = 2
_GROUPED = re.compile(r"^\d{1,3}([.,_]\d{3})+$")


def language() -> str:
    """``id`` when the user asked for Bahasa Indonesia (JAMSOSTEK_LANG, LC_ALL or LANG), else ``en``."""
    for name in ("JAMSOSTEK_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


class BadInput(Exception):
    """A command-line value the command cannot use (already worded for the user)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        message = message.replace("argument ", "")
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def fail(message: str) -> NoReturn:
    print(f"jamsostek: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def fail_input(error: InvalidInput) -> NoReturn:
    fail(error.message(language()))


def rupiah_option(text: str, field: str) -> int:
    """A whole number of rupiah: ``5000000``, or grouped as ``5.000.000`` / ``5,000,000``."""
    cleaned = text.strip()
    if _GROUPED.match(cleaned):
        cleaned = re.sub(r"[.,_]", "", cleaned)
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise InvalidInput(field, "negative", value=int(cleaned))
    if not cleaned.isdigit():
        raise InvalidInput(field, "not_integer", value=text)
    return int(cleaned)


def int_option(text: str, field: str) -> int:
    cleaned = text.strip()
    if not re.fullmatch(r"-?\d+", cleaned):
        raise InvalidInput(field, "not_number", value=text)
    return int(cleaned)


def month_option(text: str, field: str = "period") -> Month:
    return Month.parse(text, field=field)


def date_option(text: str, field: str) -> date:
    return parse_date(text, field=field)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A plain text table; columns listed in ``right`` are right-aligned."""
    widths = [len(header) for header in headers]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def render(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(headers), rule, *(render(row) for row in rows)])
