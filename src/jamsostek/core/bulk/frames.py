"""Whole-table reads and writes with Polars, for the fast import path.

Writes go through COPY (CSV) on PostgreSQL and ``executemany`` on SQLite; reads of existing rows
come back as Polars frames.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.core.bulk.reading import MAX_VALUE, Column, FileProblem, match_header

NULL = "\\N"
BATCH = 50_000


def read_frame(path: Path, columns: Sequence[Column]) -> pl.DataFrame | None:
    """The file as a frame of stripped text cells under canonical column names, or None when
    the file is not a plain, canonical CSV (the row-by-row reader then handles it)."""
    if path.suffix.lower() != ".csv" or not path.exists() or path.stat().st_size == 0:
        return None
    data = path.read_bytes()
    if b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None  # NUL bytes or bare carriage returns: leave them to the row-by-row reader
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
        mapped = match_header(header, columns)
    except (FileProblem, csv.Error, StopIteration):
        return None
    try:
        frame = pl.read_csv(
            io.StringIO(text), infer_schema=False, separator=delimiter, has_header=True, quote_char='"',
            empty_string_is_null=False,
        )  # fmt: skip
    except Exception:  # any parsing trouble: the row-by-row reader gives the precise reason
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if frame.width != len(header) or frame.height != lines - 1 or frame.height == 0:
        return None  # blank lines, quoted line breaks or ragged rows: not the simple case
    names = [name or f"__ignored_{index}" for index, name in enumerate(mapped)]
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    frame = frame.select(
        [pl.col(column.name).fill_null("").str.strip_chars() if column.name in frame.columns
         else pl.lit("").alias(column.name) for column in columns]
    )  # fmt: skip
    too_long = frame.select(pl.max_horizontal(pl.all().str.len_chars()).max()).item()
    if too_long is not None and too_long > MAX_VALUE:
        return None
    return frame


def timestamp(db: BaseDatabaseWrapper, moment: datetime) -> Any:
    """A timestamp as the database's bulk path wants it."""
    if db.vendor == "postgresql":
        return moment.isoformat()
    return db.ops.adapt_datetimefield_value(moment)


def write_frame(db: BaseDatabaseWrapper, table: str, frame: pl.DataFrame) -> None:
    """Insert every row of ``frame`` (its column names are the table's)."""
    if frame.height == 0:
        return
    names = ", ".join(db.ops.quote_name(name) for name in frame.columns)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
            with cursor.cursor.copy(sql) as copy:
                for start in range(0, frame.height, BATCH):
                    chunk = frame.slice(start, BATCH)
                    copy.write(chunk.write_csv(include_header=False, null_value=NULL))
            return
        placeholders = ", ".join(["%s"] * frame.width)
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        for start in range(0, frame.height, BATCH):
            cursor.executemany(sql, frame.slice(start, BATCH).rows())


def query_frame(
    db: BaseDatabaseWrapper, sql: str, params: Sequence[Any], schema: dict[str, Any], *, bulk: bool = False
) -> pl.DataFrame:
    """The rows of a query as a frame with ``schema`` (column names in select order).

    Select dates as ``CAST(column AS TEXT)``: the frame parses them, far faster than the
    driver's per-value conversion to Python dates. PostgreSQL's rows come as CSV through COPY.
    ``bulk``: a result of hundreds of thousands of rows, which PostgreSQL then hands over as one
    CSV text (``_postgres_text``) and SQLite as one text per column (``_sqlite_columns``), instead
    of row by row."""
    if bulk and db.vendor == "sqlite":
        frame = _sqlite_columns(db, sql, params, schema)
        if frame is not None:
            return frame
    if bulk and db.vendor == "postgresql":
        return _postgres_text(db, sql, params, schema)
    return _cursor_frame(db, sql, params, schema)


def _postgres_text(db: BaseDatabaseWrapper, sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The query's rows as one CSV text made by PostgreSQL (``string_agg`` of one ``format`` per
    row), parsed by Polars. ``COPY TO`` hands a client one row at a time, and psycopg's loop over a
    million rows held the GIL for about a second per read, so the reads of a recomputation ran no
    faster together than one after another (the places: 1.8 s by COPY, 0.56 s this way). Texts
    are quoted with ``'`` (doubled inside), NULL is an empty field; other values are written as
    PostgreSQL prints them (booleans ``t``/``f``). PostgreSQL limits the text to 1 GB: tens of
    millions of short rows. The query's row order is not promised (callers join, they do not rely
    on it)."""
    names = [f"c{index}" for index in range(len(schema))]
    quoted = "CASE WHEN {0} IS NULL THEN '' ELSE '''' || replace({0}::text, '''', '''''') || '''' END"
    values = ", ".join(
        quoted.format(name) if kind == pl.String else name for name, kind in zip(names, schema.values(), strict=True)
    )
    pattern = ",".join(["%%s"] * len(names))  # %% for the driver's own placeholders
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(format('{pattern}', {values}), chr(10)) FROM ({sql}) q({', '.join(names)})", params
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return pl.DataFrame(schema=schema)
    return _postgres_csv(io.BytesIO(row[0].encode()), schema, quote_char="'")


_SEPARATOR, _NULL_MARK = "\x1f", "\x1e"  # ASCII unit separator; record separator for NULL


def _sqlite_columns(
    db: BaseDatabaseWrapper, sql: str, params: Sequence[Any], schema: dict[str, Any]
) -> pl.DataFrame | None:
    """The query's result as one text per column, joined by SQLite itself (one ``group_concat``
    per column in one pass, so every column has the rows in the same order), split into columns
    by Polars; None when a text holds the separator (the rows are then read one by one). A text
    that is exactly the NULL mark (ASCII 30) would read as NULL: the bulk reads select ids, codes
    and dates, which never hold control characters.

    Python's sqlite3 module makes a tuple per row and an object per value: a million memberships
    took 5.9 s to read and frame that way, 3.7 s this way (docs/performance.md)."""
    names = [f"c{index}" for index in range(len(schema))]
    # the marks are literals in the statement: as ``char(31)`` or as bound parameters, SQLite made a
    # new string for every value, and two such reads at once slowed each other down fourfold
    # through SQLite's global memory lock (a million memberships: 2.8 s alone, 1.0 s with literals)
    joined = ", ".join(
        f"group_concat(COALESCE(CAST({name} AS TEXT), '{_NULL_MARK}'), '{_SEPARATOR}')" for name in names
    )
    with db.cursor() as cursor:
        cursor.execute(f"WITH q({', '.join(names)}) AS ({sql}) SELECT count(*), {joined} FROM q", params)
        row = cursor.fetchone()
    count, texts = int(row[0]), row[1:]
    if count == 0:
        return pl.DataFrame(schema=schema)
    columns = []
    for name, kind, text in zip(schema, schema.values(), texts, strict=True):
        values = pl.Series(name, [text]).str.split(_SEPARATOR).explode()
        if values.len() != count:
            return None
        values = values.replace(_NULL_MARK, None)
        if kind == pl.Boolean:
            values = values.cast(pl.Int64) != 0
        elif kind == pl.Date:
            values = values.str.to_date("%Y-%m-%d", strict=False)
        columns.append(values.cast(kind))
    return pl.DataFrame(columns)


def _postgres_csv(data: io.BytesIO, schema: dict[str, Any], **options: Any) -> pl.DataFrame:
    """CSV written by PostgreSQL, typed by ``schema``; PostgreSQL writes booleans as t / f."""
    booleans = [name for name, dtype in schema.items() if dtype == pl.Boolean]
    text = {name: (pl.String if name in booleans else dtype) for name, dtype in schema.items()}
    frame = pl.read_csv(data, has_header=False, new_columns=list(schema), schema_overrides=text, **options)
    return frame.with_columns(pl.col(name) == "t" for name in booleans)


def _cursor_frame(db: BaseDatabaseWrapper, sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            inner = cursor.cursor.mogrify(sql, params)
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({inner}) TO STDOUT WITH (FORMAT csv, NULL '{NULL}')") as copy:
                for data in copy:
                    buffer.write(data)
            if buffer.tell() == 0:
                return pl.DataFrame(schema=schema)
            buffer.seek(0)
            return _postgres_csv(buffer, schema, null_values=[NULL], empty_string_is_null=False)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    dates = [name for name, dtype in schema.items() if dtype == pl.Date and frame[name].dtype == pl.String]
    frame = frame.with_columns(pl.col(name).str.to_date("%Y-%m-%d", strict=False) for name in dates)
    return frame.cast(pl.Schema(schema), strict=False)


def reserve_ids(db: BaseDatabaseWrapper, table: str) -> int:
    """The first free id of ``table``, for rows written with explicit ids; no other writer may
    insert into the table until this transaction ends (PostgreSQL: a lock; SQLite: the database's
    write lock). Call ``catch_up_ids`` after writing."""
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        row = cursor.fetchone()
    return int(row[0]) + 1 if row else 1


def catch_up_ids(db: BaseDatabaseWrapper, table: str) -> None:
    """Move the id sequence past rows written with explicit ids (SQLite does this by itself)."""
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def update_by_id(
    db: BaseDatabaseWrapper, table: str, column: str, ids: Sequence[int], values: Sequence[int], *, add: bool = False
) -> None:
    """Set (or, with ``add``, increase) an integer ``column`` of the rows of ``table`` with these
    ids. PostgreSQL: one statement per 100,000 rows, the values sent as two arrays (one
    ``UPDATE`` per row cost seconds for a province); SQLite: one prepared statement, run per row."""
    new = f"t.{column} + v.value" if add else "v.value"
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            for start in range(0, len(ids), 100_000):
                cursor.execute(
                    f"UPDATE {table} t SET {column} = {new} FROM (SELECT UNNEST(%s::bigint[]) AS id, "
                    "UNNEST(%s::bigint[]) AS value) v WHERE t.id = v.id",
                    [list(ids[start : start + 100_000]), list(values[start : start + 100_000])],
                )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {column} = {column + ' + ' if add else ''}%s WHERE id = %s",
                list(zip(values, ids, strict=True)),
            )


class ForeignKeysCheckedOnce:
    """On PostgreSQL, check the foreign keys of some tables once, set-based, at the end of a bulk
    write, instead of one trigger per row (a million-row import spends most of its commit there).

    The constraints are dropped inside the import's transaction and added back (which validates
    every row with one query) when the block succeeds; if anything fails, the transaction rolls
    back and the constraints were never gone for anyone else. Other sessions wait for the tables
    while the import runs. Elsewhere this does nothing."""

    def __init__(self, db: BaseDatabaseWrapper, tables: Sequence[str]) -> None:
        self.db = db
        self.tables = list(tables)
        self.constraints: list[tuple[str, str, str]] = []

    def __enter__(self) -> ForeignKeysCheckedOnce:
        if self.db.vendor != "postgresql":
            return self
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conname",
                [self.tables],
            )
            self.constraints = [(table, name, definition) for table, name, definition in cursor.fetchall()]
            for table, name, _ in self.constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self.db.ops.quote_name(name)}")
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None or not self.constraints:
            return  # the transaction rolls back, constraints included
        with self.db.cursor() as cursor:
            for table, name, definition in self.constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {self.db.ops.quote_name(name)} {definition}")


T = TypeVar("T")


def concurrently(db: BaseDatabaseWrapper, *reads: Callable[[BaseDatabaseWrapper], T]) -> list[T]:
    """Run read-only queries at once, each on its own connection (the database and the frames work
    in parallel), unless ``db`` is inside a transaction: other connections would not see its
    uncommitted rows, so the reads run one after another on ``db``."""
    if db.in_atomic_block or len(reads) < 2:
        return [read(db) for read in reads]

    def on_own_connection(read: Callable[[BaseDatabaseWrapper], T]) -> T:
        own = connections[db.alias]  # this thread's connection
        try:
            return read(own)
        finally:
            own.close()

    with ThreadPoolExecutor(max_workers=min(len(reads) - 1, 3)) as pool:
        others = [pool.submit(on_own_connection, read) for read in reads[1:]]
        return [reads[0](db), *(other.result() for other in others)]
