"""Whole-table reads: connectorx's direct read of a SQLite file gives the same frame as the driver's."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler
from polars.testing import assert_frame_equal

from jamsostek.registry.importing import frames
from jamsostek.registry.importing.frames import _cursor_frame, direct_source, query_frame, sqlite_literal

SCHEMA = {"id": pl.Int64, "day": pl.Date, "name": pl.String, "amount": pl.Int64, "paid": pl.Boolean}
ROWS = [  # the first row is all NULL: connectorx types an expression by its first row
    (1, None, None, None, None),
    (2, "2024-01-31", "it's 100% 'quoted'", 5, 1),
    (3, "2024-02-29", "NULL", 2**62, 0),
    (4, "2026-12-01", "", -7, 1),
    (5, "2025-06-15", 'Kapuas Hulu, baris\nkedua; "kutip" ü', 0, None),
]


@pytest.fixture
def file_db(tmp_path: Path, django_db_blocker: Any) -> Iterator[BaseDatabaseWrapper]:
    path = tmp_path / "dir with space" / "frames.sqlite3"
    path.parent.mkdir()
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (id integer PRIMARY KEY, day date NULL, name varchar(80) NULL, "
                    "amount bigint NULL, paid bool NULL)")  # fmt: skip
        raw.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", ROWS)
    with django_db_blocker.unblock():  # a file of its own, not the project's database
        db = _sqlite_file(path)
        yield db
        db.close()


def _sqlite_file(path: Path) -> BaseDatabaseWrapper:
    """A connection to a SQLite file of its own (not one of the project's databases)."""
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}})["default"]


QUERY = "SELECT t.id, CAST(t.day AS TEXT), t.name, t.amount, t.amount >= %s FROM t WHERE t.name IS NOT %s OR t.id < %s"


def test_the_direct_read_equals_the_drivers(file_db: BaseDatabaseWrapper, caplog: pytest.LogCaptureFixture) -> None:
    params = [5, "it's 100% 'quoted'", 10]
    with caplog.at_level(logging.WARNING):
        direct = query_frame(file_db, QUERY, params, SCHEMA, scan=True)
    assert caplog.records == []  # read by connectorx, not after a failure
    assert direct_source(file_db) is not None
    driver = _cursor_frame(file_db, QUERY, params, SCHEMA)
    assert_frame_equal(direct, driver)
    assert direct.height == 5
    assert direct.row(0) == (1, None, None, None, None)
    assert direct.row(1) == (2, date(2024, 1, 31), "it's 100% 'quoted'", 5, True)
    assert direct.row(2) == (3, date(2024, 2, 29), "NULL", 2**62, True)
    assert direct.row(3) == (4, date(2026, 12, 1), "", -7, False)
    assert direct.row(4)[2] == ROWS[4][2]


def test_literals_select_what_parameters_select(file_db: BaseDatabaseWrapper) -> None:
    for name in ("it's 100% 'quoted'", "NULL", "", ROWS[4][2]):
        sql = "SELECT t.id, CAST(t.day AS TEXT), t.name, t.amount, t.paid FROM t WHERE t.name = %s"
        direct = query_frame(file_db, sql, [name], SCHEMA, scan=True)
        assert direct.height == 1
        assert direct["name"].to_list() == [name]
    by_day = query_frame(file_db, "SELECT t.id FROM t WHERE t.day >= %s", [date(2025, 1, 1)], {"id": pl.Int64},
                         scan=True)  # fmt: skip
    assert sorted(by_day["id"].to_list()) == [4, 5]
    assert sqlite_literal(None) == "NULL"
    assert sqlite_literal(True) == "1"
    assert sqlite_literal(-3) == "-3"
    with pytest.raises(TypeError):
        sqlite_literal(float("nan"))


def test_an_empty_result_has_the_schema(file_db: BaseDatabaseWrapper) -> None:
    empty = query_frame(file_db, QUERY.replace("WHERE", "WHERE 1 = 0 AND (") + ")", [5, "x", 10], SCHEMA, scan=True)
    assert empty.height == 0
    assert empty.schema == pl.Schema(SCHEMA)


def test_what_connectorx_cannot_take_the_driver_reads(
    file_db: BaseDatabaseWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        frame = query_frame(file_db, "SELECT t.id FROM t WHERE t.amount > %s", [Decimal("1.5")], {"id": pl.Int64},
                            scan=True)  # fmt: skip
    assert sorted(frame["id"].to_list()) == [2, 3]
    assert "connectorx failed" in caplog.text


def test_only_a_scan_outside_a_transaction_is_read_directly(
    file_db: BaseDatabaseWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    read_sql = frames.cx.read_sql
    monkeypatch.setattr(frames.cx, "read_sql", lambda *args, **kwargs: calls.append(args) or read_sql(*args, **kwargs))
    query_frame(file_db, "SELECT t.id FROM t", [], {"id": pl.Int64})
    assert calls == []  # not a scan: a grouping query would be evaluated twice by connectorx
    query_frame(file_db, "SELECT t.id FROM t", [], {"id": pl.Int64}, scan=True)
    assert len(calls) == 1
    file_db.in_atomic_block = True  # uncommitted rows: only the connection itself sees them
    try:
        assert direct_source(file_db) is None
        query_frame(file_db, "SELECT t.id FROM t", [], {"id": pl.Int64}, scan=True)
    finally:
        file_db.in_atomic_block = False
    assert len(calls) == 1


@pytest.mark.django_db
def test_the_status_reads_on_a_sqlite_file(tmp_path: Path) -> None:
    """The memberships and places the status and coverage read, from a file with the real tables."""
    if connection.vendor != "sqlite":
        pytest.skip("the direct read is for SQLite files")
    from jamsostek.contributions import status

    assert direct_source(connection) is None  # inside the test's transaction
    path = tmp_path / "registry.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name IN ('registry_membership', 'registry_person')")
        tables = [row[0] for row in cursor.fetchall()]
    memberships = [  # the first has no end, no employer and no contract months
        {"id": 1, "person_id": 1, "segment": "bpu", "start_date": "2025-01-01", "employer_id": None,
         "end_date": None, "contract_months": None},
        {"id": 2, "person_id": 2, "segment": "pu", "employer_id": 7, "start_date": "2024-03-01",
         "end_date": "2025-06-30"},
        {"id": 3, "person_id": 3, "segment": "pmi", "start_date": "2025-02-01", "contract_months": 24},
    ]  # fmt: skip
    persons = [{"id": n, "region_id": f"61.0{n}.01", "regency_id": f"61.0{n}"} for n in (1, 2, 3)]
    with sqlite3.connect(path) as raw:
        for sql in tables:
            raw.execute(sql.replace('REFERENCES "', 'REFERENCES "x_'))  # no other tables here
        for table, rows in (("registry_person", persons), ("registry_membership", memberships)):
            for row in rows:
                values = {name: _filler(kind, row["id"]) for _cid, name, kind, required, *_ in
                          raw.execute(f"PRAGMA table_info({table})") if required} | row  # fmt: skip
                raw.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                            list(values.values()))  # fmt: skip
    db = _sqlite_file(path)
    try:
        assert direct_source(db) is not None
        rows = status._membership_rows(db)
        places = status._places(db)
        sql = status._MEMBERSHIP_SELECT + " FROM registry_membership m"
        assert_frame_equal(rows, _cursor_frame(db, sql, [], status._MEMBERSHIP_COLUMNS))
    finally:
        db.close()
    assert rows.row(0) == (1, 1, "bpu", None, None, None, date(2025, 1, 1), None, None)
    assert rows.row(1)[7] == date(2025, 6, 30)
    assert rows.row(2)[8] == 24
    assert places.sort("person_id").rows() == [(1, "61.01.01"), (2, "61.02.01"), (3, "61.03.01")]


def _filler(kind: str, row: int) -> object:
    """A value for a required column the reads do not look at (unique per row)."""
    kind = kind.lower()
    if "int" in kind or "bool" in kind or "decimal" in kind or "real" in kind:
        return row
    if kind == "date":
        return "2025-01-01"
    if kind == "datetime":
        return "2025-01-01 00:00:00"
    return f"x{row}"


@pytest.mark.django_db(transaction=True)
def test_the_direct_read_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a transaction, PostgreSQL over TCP is read by connectorx: the same frame as COPY gives."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server over TCP")
    calls = []
    read_sql = frames.cx.read_sql
    monkeypatch.setattr(frames.cx, "read_sql", lambda *args, **kwargs: calls.append(args) or read_sql(*args, **kwargs))
    sql = ("SELECT r.code, r.name, r.level, r.parent_id, CAST(DATE '2024-02-29' AS TEXT), r.level = %s "
           "FROM registry_region r WHERE r.name <> %s ORDER BY r.code")  # fmt: skip
    params = ["regency", "it's 100% 'quoted'"]
    schema = {"code": pl.String, "name": pl.String, "level": pl.String, "parent": pl.String, "day": pl.Date,
              "regency": pl.Boolean}  # fmt: skip
    assert direct_source(connection) is not None
    direct = query_frame(connection, sql, params, schema, scan=True)
    assert len(calls) == 1
    assert_frame_equal(direct, _cursor_frame(connection, sql, params, schema))
    assert direct.height > 100  # the province, its regencies and districts
    assert direct.row(0)[0] == "61"
    assert direct.row(0)[3] is None
    assert direct["regency"].sum() == 14
    assert direct["day"].unique().to_list() == [date(2024, 2, 29)]
