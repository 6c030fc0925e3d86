"""Writing a checked and matched list's rows as one frame (COPY on PostgreSQL, executemany on
SQLite). The rows are written once and never changed; the import leaves one audit record for the
list (who, when, why, the counts and the batch key its rows share), not one per row."""

from __future__ import annotations

import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.core.bulk.frames import write_frame
from jamsostek.drives.bulk.matching import MATCH_COLUMNS

TABLE = "drives_candidate"
TEXT_MATCH = ["protected_segment", "protected_payer", "protected_by", "protected_regency"]


def write(db: BaseDatabaseWrapper, list_id: int, checked: pl.DataFrame, matched: pl.DataFrame) -> None:
    """Write every row of ``checked`` (with what ``matched`` says of its usable rows) to the list."""
    c = pl.col
    rows = checked.join(matched, on="row", how="left").sort("row")
    frame = rows.select(
        pl.lit(list_id, dtype=pl.Int64).alias("list_id"),
        c("row"),
        c("nik").str.slice(0, 1000),
        c("name").str.slice(0, 1000),
        c("birth_date").dt.strftime("%Y-%m-%d"),
        c("sex"),
        c("district"),
        c("regency"),
        c("village").str.slice(0, 1000),
        c("category"),
        c("status"),
        c("field"),
        c("problem"),
        c("detail").str.slice(0, 1000),
        c("match").fill_null(""),
        c("person_id"),
        *(c(name).fill_null("").str.slice(0, 200) for name in TEXT_MATCH),
        c("last_end").dt.strftime("%Y-%m-%d"),
        c("in_other_lists").fill_null(0),
    )
    assert set(MATCH_COLUMNS) <= set(frame.columns)
    write_frame(db, TABLE, frame)
    if db.vendor == "postgresql":  # the next list's match joins this table: plan it on its new size
        with db.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
