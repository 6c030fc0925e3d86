"""Whole-table reads: SQLite hands a bulk result over one text per column, the same frame as row by row."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.db.utils import ConnectionHandler
from polars.testing import assert_frame_equal

from jamsostek.core.bulk import frames
from jamsostek.core.bulk.frames import _cursor_frame, query_frame


def test_sqlite_reads_a_bulk_result_column_by_column(tmp_path: Path, django_db_blocker: Any) -> None:
    """One text per column, joined by SQLite: the same frame as row by row, NULLs and empty texts
    kept apart; a text holding the separator sends the read back to the rows."""
    path = tmp_path / "bulk.sqlite3"
    rows = [
        (1, None, None, None, None),
        (2, "2024-02-29", "", 0, -5),
        (3, "2026-12-01", "it's, a; text ü", 1, 2**62),
        (4, "2025-01-31", "\u00a0 spaces \n line", 1, None),
    ]
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TABLE t (id integer PRIMARY KEY, day date NULL, name text NULL, ok bool NULL, n bigint NULL)"
        )
        raw.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
    schema = {"id": pl.Int64, "day": pl.Date, "name": pl.String, "ok": pl.Boolean, "n": pl.Int64}
    sql = "SELECT t.id, CAST(t.day AS TEXT), t.name, t.ok, t.n FROM t WHERE t.id >= %s ORDER BY t.id"
    with django_db_blocker.unblock():
        db = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}})["default"]
        try:
            bulk = frames._sqlite_columns(db, sql, [1], schema)
            assert bulk is not None
            assert_frame_equal(query_frame(db, sql, [1], schema, bulk=True), bulk)
            assert_frame_equal(bulk, _cursor_frame(db, sql, [1], schema))
            assert bulk.rows() == [
                (1, None, None, None, None),
                (2, date(2024, 2, 29), "", False, -5),
                (3, date(2026, 12, 1), "it's, a; text ü", True, 2**62),
                (4, date(2025, 1, 31), "\u00a0 spaces \n line", True, None),
            ]
            empty = query_frame(db, sql, [99], schema, bulk=True)
            assert empty.height == 0
            assert empty.schema == pl.Schema(schema)
            with sqlite3.connect(path) as raw:
                raw.execute("UPDATE t SET name = 'a\x1fb' WHERE id = 3")
            assert frames._sqlite_columns(db, sql, [1], schema) is None
            assert query_frame(db, sql, [1], schema, bulk=True)["name"].to_list()[2] == "a\x1fb"
        finally:
            db.close()


@pytest.mark.django_db
def test_a_bulk_read_gives_the_frame_of_the_row_by_row_read() -> None:
    """On either database (PostgreSQL: one CSV text made by the server, texts quoted with ``'``):
    quotes, commas, newlines, backslashes, empty texts and NULLs come back as they were."""
    from django.db import connection

    texts = ["it's, a; text ü", "", None, "line\nbreak", "back\\slash 'q' \"dq\"", "NULL", "''", " sp "]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bulk_t (id integer PRIMARY KEY, day date NULL, name varchar(40) NULL, "
            "ok boolean NULL, n bigint NULL)"
        )
        for index, text in enumerate(texts, start=1):
            cursor.execute(
                "INSERT INTO bulk_t VALUES (%s, %s, %s, %s, %s)",
                [index, None if index % 3 == 0 else date(2024, 2, index), text, None if index == 2 else index % 2 == 0,
                 None if index == 5 else -(2**62) + index],
            )  # fmt: skip
    schema = {"id": pl.Int64, "day": pl.Date, "name": pl.String, "ok": pl.Boolean, "n": pl.Int64}
    sql = "SELECT t.id, CAST(t.day AS TEXT), t.name, t.ok, t.n FROM bulk_t t WHERE t.id >= %s ORDER BY t.id"
    bulk = query_frame(connection, sql, [1], schema, bulk=True).sort("id")
    assert_frame_equal(bulk, _cursor_frame(connection, sql, [1], schema))
    assert bulk["name"].to_list() == texts
    assert bulk["ok"].to_list()[:3] == [False, None, False]
    assert bulk["day"].to_list()[:3] == [date(2024, 2, 1), date(2024, 2, 2), None]
    empty = query_frame(connection, sql, [99], schema, bulk=True)
    assert empty.height == 0
    assert empty.schema == pl.Schema(schema)
