"""Bulk writes for imports and synthetic data: COPY on PostgreSQL, executemany elsewhere.

The same rows go to the same tables on every database; only the fastest way of sending them
differs (a portable path always exists).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection

BATCH = 20_000


def _adapt(value: Any) -> Any:
    """Values as the database driver wants them (SQLite stores dates and times as text)."""
    if connection.vendor == "postgresql":
        return value
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (tuples in ``columns`` order); returns how many."""
    count = 0
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(_adapt(value) for value in row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def update_rows(table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``UPDATE table SET columns... WHERE key = ...``; each row is (key value, *column values)."""
    if not rows:
        return
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"
    execute_many(sql, [(*row[1:], row[0]) for row in rows])


def execute_many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run one statement for many parameter rows, in batches."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [tuple(_adapt(value) for value in row) for row in rows[start : start + BATCH]])


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def fetch(sql: str, params: Sequence[Any] = ()) -> Iterable[tuple[Any, ...]]:
    """Stream the rows of a query (server-side on PostgreSQL), in chunks."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(50_000)
            if not chunk:
                return
            yield from chunk
