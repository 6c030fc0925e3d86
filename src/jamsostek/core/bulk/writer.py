"""Bulk writes for imports and synthetic data: COPY on PostgreSQL, executemany elsewhere.

The same rows go to the same tables on every database; only the fastest way of sending them
differs (a portable path always exists).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

BATCH = 20_000


def _adapter(db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """A function that turns a value into what the driver takes.

    PostgreSQL takes Python dates and times as they are. SQLite stores them as text: dates as ISO
    strings, aware datetimes the way Django writes them (naive UTC); a datetime's conversion is
    cached, since an import stamps every row with the same instant."""
    if db.vendor == "postgresql":
        return lambda value: value
    converted: dict[datetime, Any] = {}
    ops = db.ops

    def adapt(value: Any) -> Any:
        kind = type(value)
        if kind is date:
            return value.isoformat()
        if kind is datetime:
            if value not in converted:
                converted[value] = ops.adapt_datetimefield_value(value)
            return converted[value]
        return value

    return adapt


def insert_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], db: BaseDatabaseWrapper = connection
) -> int:
    """Insert rows (tuples in ``columns`` order); returns how many. ``db`` may be a connection
    shared with the thread that owns it (imports write from a helper thread)."""
    count = 0
    names = ", ".join(db.ops.quote_name(column) for column in columns)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        adapt = _adapter(db)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple([adapt(value) for value in row]))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def update_rows(
    table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], db: BaseDatabaseWrapper = connection
) -> None:
    """``UPDATE table SET columns... WHERE key = ...``; each row is (key value, *column values)."""
    if not rows:
        return
    assignments = ", ".join(f"{db.ops.quote_name(column)} = %s" for column in columns)
    execute_many(f"UPDATE {table} SET {assignments} WHERE {key} = %s", [(*row[1:], row[0]) for row in rows], db)


def execute_many(sql: str, rows: Sequence[Sequence[Any]], db: BaseDatabaseWrapper = connection) -> None:
    """Run one statement for many parameter rows, in batches."""
    adapt = _adapter(db)
    with db.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [tuple([adapt(value) for value in row]) for row in rows[start : start + BATCH]])


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def max_id(table: str, db: BaseDatabaseWrapper = connection) -> int:
    with db.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def fetch(sql: str, params: Sequence[Any] = (), db: BaseDatabaseWrapper = connection) -> Iterable[tuple[Any, ...]]:
    """Stream the rows of a query, in chunks."""
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(50_000)
            if not chunk:
                return
            yield from chunk
