"""Cells of the spreadsheets and CSV files the app writes, made safe to open.

A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
some read a leading tab or carriage return the same way, or the full-width forms of those signs):
a person named ``=HYPERLINK("http://…","click")`` or a program named ``@SUM(…)`` would become a
live formula in an officer's Excel (OWASP, "CSV injection"). Every writer of an export, a report or
a template passes its cells through here: such text gets a leading apostrophe, which shows it as
text; numbers, dates and empty cells stay as they are, so they still compute.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""The first characters that make a spreadsheet read a cell as a formula (with their full-width forms)."""
_PATTERN = "^[" + "".join("\\-" if start == "-" else start for start in FORMULA_STARTS) + "]"


def safe_cell(value: Any) -> Any:
    """``value`` as a cell: text a spreadsheet would run as a formula starts with ``'``; anything
    else (numbers, dates, None, other text) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """``safe_cell`` of every value of a row."""
    return [safe_cell(value) for value in values]


def safe_column(column: pl.Expr) -> pl.Expr:
    """``safe_cell`` for a whole text column of a Polars frame (the fast import's report)."""
    return pl.when(column.str.contains(_PATTERN)).then(pl.lit("'") + column).otherwise(column)


def safe_workbook(book: Any) -> Any:
    """Every text cell of an openpyxl workbook made safe, in place, just before it is saved: a
    writer cannot forget a row. (openpyxl stores text that starts with ``=`` as a formula; here it
    becomes text again.) Returns the workbook."""
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.value = safe_cell(value)
    return book
