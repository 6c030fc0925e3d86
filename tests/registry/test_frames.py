"""Whole-table reads: connectorx's direct read of PostgreSQL gives the same frame as COPY, and
SQLite is only ever read through the driver."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from polars.testing import assert_frame_equal

from jamsostek.registry.importing import frames
from jamsostek.registry.importing.frames import _cursor_frame, direct_source, query_frame

SQL = (
    "SELECT r.code, r.name, r.level, r.parent_id, CAST(DATE '2024-02-29' AS TEXT), r.level = %s "
    "FROM registry_region r WHERE r.name <> %s ORDER BY r.code"
)
PARAMS = ["regency", "it's 100% 'quoted'"]
SCHEMA = {"code": pl.String, "name": pl.String, "level": pl.String, "parent": pl.String, "day": pl.Date,
          "regency": pl.Boolean}  # fmt: skip


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    read_sql = frames.cx.read_sql
    monkeypatch.setattr(frames.cx, "read_sql", lambda *args, **kwargs: calls.append(args) or read_sql(*args, **kwargs))
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_direct_read_on_postgresql_equals_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a transaction, PostgreSQL over TCP is read by connectorx: the same frame as COPY gives."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server over TCP")
    calls = _count_reads(monkeypatch)
    assert direct_source(connection) is not None
    direct = query_frame(connection, SQL, PARAMS, SCHEMA, scan=True)
    assert len(calls) == 1
    assert_frame_equal(direct, _cursor_frame(connection, SQL, PARAMS, SCHEMA))
    assert direct.height > 100  # the province, its regencies and districts
    assert direct.row(0)[0] == "61"
    assert direct.row(0)[3] is None
    assert direct["regency"].sum() == 14
    assert direct["day"].unique().to_list() == [date(2024, 2, 29)]
    empty = query_frame(connection, SQL.replace("WHERE", "WHERE 1 = 0 AND"), PARAMS, SCHEMA, scan=True)
    assert empty.height == 0
    assert empty.schema == pl.Schema(SCHEMA)


@pytest.mark.django_db(transaction=True)
def test_only_a_scan_outside_a_transaction_is_read_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server over TCP")
    from django.db import transaction

    calls = _count_reads(monkeypatch)
    query_frame(connection, SQL, PARAMS, SCHEMA)
    assert calls == []  # not marked a scan
    with transaction.atomic():  # its uncommitted rows: only this connection sees them
        assert direct_source(connection) is None
        query_frame(connection, SQL, PARAMS, SCHEMA, scan=True)
    assert calls == []


@pytest.mark.django_db(transaction=True)
def test_what_connectorx_cannot_read_the_driver_reads(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server over TCP")

    def fails(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("unsupported type")

    monkeypatch.setattr(frames.cx, "read_sql", fails)
    with caplog.at_level(logging.WARNING):
        frame = query_frame(connection, SQL, PARAMS, SCHEMA, scan=True)
    assert "connectorx failed: unsupported type" in caplog.text
    assert_frame_equal(frame, _cursor_frame(connection, SQL, PARAMS, SCHEMA))


def test_a_sqlite_file_is_read_through_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> None:
    """connectorx's own copy of SQLite beside Django's would break the file locks."""
    path = tmp_path / "frames.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (id integer PRIMARY KEY, day date NULL, name varchar(20) NULL)")
        raw.executemany("INSERT INTO t VALUES (?, ?, ?)", [(1, None, None), (2, "2024-02-29", "it's")])
    calls = _count_reads(monkeypatch)
    with django_db_blocker.unblock():  # a file of its own, not the project's database
        db = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}})["default"]
        try:
            assert direct_source(db) is None
            frame = query_frame(db, "SELECT t.id, CAST(t.day AS TEXT), t.name FROM t WHERE t.id > %s", [0],
                                {"id": pl.Int64, "day": pl.Date, "name": pl.String}, scan=True)  # fmt: skip
        finally:
            db.close()
    assert calls == []
    assert frame.rows() == [(1, None, None), (2, date(2024, 2, 29), "it's")]
