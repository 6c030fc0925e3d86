"""Matching checked candidates against the registry and against the other lists, a whole list at
once: what the registry holds of each NIK (a person, their memberships running on the day, the
last one ended) read in a few queries and decided in Polars. ``reference.match_nik`` is the same
decision one person at a time, through the ORM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.core.bulk.frames import query_frame, write_frame
from jamsostek.drives.bulk.checking import SEGMENT_ORDER

ASKED = "drives_asked_nik"
"""The temporary table of the NIKs a query asks about (one per database connection)."""

REGISTRY_SQL = (
    "SELECT p.nik, p.id, m.id, m.segment, m.payer, CAST(m.start_date AS TEXT), CAST(m.end_date AS TEXT), "
    "m.regency_id, COALESCE(e.name, s.name, '') "
    f"FROM {ASKED} a JOIN registry_person p ON p.nik = a.nik "
    "LEFT JOIN registry_membership m ON m.person_id = p.id "
    "LEFT JOIN registry_employer e ON e.id = m.employer_id "
    "LEFT JOIN registry_sponsorprogram s ON s.id = m.sponsor_id"
)
REGISTRY_SCHEMA = {
    "nik": pl.String,
    "person_id": pl.Int64,
    "membership_id": pl.Int64,
    "segment": pl.String,
    "payer": pl.String,
    "start": pl.Date,
    "end": pl.Date,
    "regency": pl.String,
    "by": pl.String,
}
LISTS_SQL = (  # a NIK is usable in one row of a list at most: its rows count its other lists
    f"SELECT c.nik FROM {ASKED} a JOIN drives_candidate c ON c.nik = a.nik "
    "WHERE c.status = 'usable' AND c.list_id <> %s"
)
MATCH_COLUMNS = [
    "match",
    "person_id",
    "protected_segment",
    "protected_payer",
    "protected_by",
    "protected_regency",
    "last_end",
    "in_other_lists",
]


def asked_query(
    db: BaseDatabaseWrapper, sql: str, niks: Sequence[str], schema: dict[str, Any], params: Sequence[Any] = ()
) -> pl.DataFrame:
    """The rows of ``sql`` about ``niks``: they are written to a temporary table (``ASKED``, with
    COPY on PostgreSQL), which ``sql`` joins on ``nik``, and read back as one frame. Two hundred
    thousand NIKs as parameters of ``IN (...)`` lists took 8 s on PostgreSQL; this way, about one."""
    if not niks:
        return pl.DataFrame(schema=schema)
    with db.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ASKED}")
        cursor.execute(f"CREATE TEMPORARY TABLE {ASKED} (nik VARCHAR(1000) PRIMARY KEY)")
    try:
        write_frame(db, ASKED, pl.DataFrame({"nik": sorted(set(niks))}, schema={"nik": pl.String}))
        if db.vendor == "postgresql":  # a temporary table has no statistics until analysed: the join plans on them
            with db.cursor() as cursor:
                cursor.execute(f"ANALYZE {ASKED}")
        return query_frame(db, sql, list(params), schema, bulk=True)
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"DROP TABLE {ASKED}")


def match(db: BaseDatabaseWrapper, usable: pl.DataFrame, *, day: date, list_id: int | None) -> pl.DataFrame:
    """For each row of ``usable`` (``row``, ``nik``): ``MATCH_COLUMNS``."""
    c = pl.col
    niks = usable["nik"].unique().sort().to_list()
    found = asked_query(db, REGISTRY_SQL, niks, REGISTRY_SCHEMA)
    active = c("start").is_not_null() & (c("start") <= day) & (c("end").is_null() | (c("end") >= day))
    found = found.with_columns(
        active.alias("active"),
        c("segment").replace_strict(SEGMENT_ORDER, default=9, return_dtype=pl.Int64).alias("rank"),
    )
    protected = (
        found.filter(c("active"))
        .sort(["nik", "rank", "start", "membership_id"], descending=[False, False, True, True])
        .unique("nik", keep="first")
        .select(
            "nik",
            c("segment").alias("protected_segment"),
            c("payer").alias("protected_payer"),
            c("by").alias("protected_by"),
            c("regency").alias("protected_regency"),
        )
    )
    people = found.group_by("nik").agg(
        c("person_id").first(),
        c("membership_id").is_not_null().any().alias("member"),
        c("end").max().alias("last_end"),
    )
    others = asked_query(db, LISTS_SQL, niks, {"nik": pl.String}, [list_id or 0])
    others = others.group_by("nik").agg(pl.len().cast(pl.Int64).alias("in_other_lists"))
    result = (
        usable.select("row", "nik")
        .join(people, on="nik", how="left")
        .join(protected, on="nik", how="left")
        .join(others, on="nik", how="left")
        .with_columns(
            pl.when(c("person_id").is_null())
            .then(pl.lit("new"))
            .when(c("protected_segment").is_not_null())
            .then(pl.lit("protected"))
            .when(c("member"))
            .then(pl.lit("lapsed"))
            .otherwise(pl.lit("registered"))
            .alias("match"),
            c("in_other_lists").fill_null(0),
        )
    )
    return (
        result.with_columns(
            pl.when(c("match") == "lapsed")
            .then(c("last_end"))
            .otherwise(pl.lit(None, dtype=pl.Date))
            .alias("last_end"),
            *(
                c(name).fill_null("")
                for name in ("protected_segment", "protected_payer", "protected_by", "protected_regency")
            ),
        )
        .select("row", *MATCH_COLUMNS)
        .sort("row")
    )
