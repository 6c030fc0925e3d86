"""Choosing a drive's members from a pool of people (a drive's usable candidates, or a drive's
members carried into the next year): each person either chosen or left out for the first reason
that applies, in this order:

1. ``outside_program``: lives outside the program's region;
2. ``not_payable``: no funding rule lets the program's source pay for their category there;
3. ``age``: outside the BPU age limits on the drive's first day;
4. ``duplicate_in_drive``: the same NIK was chosen from an earlier list (or row);
5. ``protected``: the registry has them protected on the day checked;
6. ``in_other_drive``: in another drive of the same fiscal year that is not rejected;
7. ``not_in_quotas`` / ``over_quota``: quotas were given and their district or village has none,
   or it is full (people are taken in the pool's order);
8. ``program_full``: the sponsor program's quota (persons) is reached.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.core.constants import PROVINCE
from jamsostek.drives.bulk import matching
from jamsostek.drives.bulk.checking import PERSON, WHITESPACE
from jamsostek.drives.funding import AgeLimits

OPEN_STATUSES = ("awaiting_approval", "approved", "enrolled")
POOL = {"order": pl.Int64, "candidate_id": pl.Int64, **PERSON}
DRIVES_SQL = (
    f"SELECT m.nik, m.drive_id FROM {matching.ASKED} a JOIN drives_drivemember m ON m.nik = a.nik "
    "JOIN drives_drive d ON d.id = m.drive_id "
    "WHERE d.fiscal_year = %s AND d.status IN ({statuses}) AND m.status IN ({members}) AND m.drive_id <> %s"
)


def in_drives(
    db: BaseDatabaseWrapper, niks: Sequence[str], year: int, *, enrolled: bool = False, excluding: int | None = None
) -> pl.DataFrame:
    """(nik, drive_id) of ``niks`` in the drives of fiscal ``year`` that are not rejected (with
    ``enrolled``: members enrolled by an enrolled drive), other than drive ``excluding``."""
    statuses = "'enrolled'" if enrolled else ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    members = "'enrolled'" if enrolled else "'chosen', 'enrolled'"
    sql = DRIVES_SQL.format(statuses=statuses, members=members)
    return matching.asked_query(db, sql, niks, {"nik": pl.String, "drive_id": pl.Int64}, [year, excluding or 0])


@dataclass(frozen=True)
class Rules:
    """What the people of a pool are chosen against."""

    region: str  # the program's region
    payable: Collection[str]  # the categories the program's funding may pay for
    first_day: date  # of the drive
    check_day: date  # when protection is checked
    fiscal_year: int
    ages: AgeLimits
    room: int  # persons the program may still take
    quotas: Mapping[str, int]  # district code, or "district/village", to persons


def area_key(district: str, village: str = "") -> str:
    """The quota key of a district, or of a village in it (its name in lower case, spaces folded)."""
    name = " ".join(village.lower().split())
    return f"{district}/{name}" if name else district


def select(db: BaseDatabaseWrapper, pool: pl.DataFrame, rules: Rules) -> tuple[pl.DataFrame, dict[str, int]]:
    """(the chosen people, in the pool's order; how many were left out for each reason)."""
    c = pl.col
    pool = pool.sort("order")
    if pool.height == 0:
        return pool, {}
    day = rules.first_day
    age = (
        pl.lit(day.year)
        - c("birth_date").dt.year()
        - (
            (pl.lit(day.month) < c("birth_date").dt.month())
            | ((pl.lit(day.month) == c("birth_date").dt.month()) & (pl.lit(day.day) < c("birth_date").dt.day()))
        ).cast(pl.Int64)
    )
    region = rules.region
    outside = (
        pl.lit(False)
        if region == PROVINCE
        else ~((c("district") == region) | c("district").str.starts_with(region + "."))
    )
    found = matching.match(db, pool.select(c("order").alias("row"), "nik"), day=rules.check_day, list_id=None)
    niks = pool["nik"].unique().sort().to_list()
    others = in_drives(db, niks, rules.fiscal_year)
    pool = pool.join(found.select(c("row").alias("order"), "match"), on="order", how="left").with_columns(
        c("nik").is_in(others["nik"].implode()).alias("elsewhere"),
        c("nik").is_first_distinct().alias("first_of_nik"),
        age.alias("age"),
    )
    reason = (
        pl.when(outside)
        .then(pl.lit("outside_program"))
        .when(~c("category").is_in(sorted(rules.payable)))
        .then(pl.lit("not_payable"))
        .when((c("age") < rules.ages.youngest) | (c("age") > rules.ages.oldest))
        .then(pl.lit("age"))
        .when(~c("first_of_nik"))
        .then(pl.lit("duplicate_in_drive"))
        .when(c("match") == "protected")
        .then(pl.lit("protected"))
        .when(c("elsewhere"))
        .then(pl.lit("in_other_drive"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    pool = pool.with_columns(reason.alias("reason"))
    if rules.quotas:
        village = c("village").str.to_lowercase().str.replace_all(f"{WHITESPACE}+", " ").str.strip_chars(" ")
        village_key = pl.concat_str([c("district"), pl.lit("/"), village])
        keys = sorted(rules.quotas)
        pool = pool.with_columns(
            pl.when((village != "") & village_key.is_in(keys))
            .then(village_key)
            .when(c("district").is_in(keys))
            .then(c("district"))
            .alias("area")
        )
        pool = pool.with_columns(
            pl.when(c("reason").is_null() & c("area").is_null())
            .then(pl.lit("not_in_quotas"))
            .otherwise(c("reason"))
            .alias("reason")
        )
        taken = (c("reason").is_null().cast(pl.Int64).cum_sum().over("area")).alias("taken")
        limit = c("area").replace_strict(dict(rules.quotas), default=0, return_dtype=pl.Int64)
        pool = pool.with_columns(
            pl.when(c("reason").is_null() & (taken > limit))
            .then(pl.lit("over_quota"))
            .otherwise(c("reason"))
            .alias("reason")
        )
    pool = pool.with_columns(
        pl.when(c("reason").is_null() & (c("reason").is_null().cast(pl.Int64).cum_sum() > rules.room))
        .then(pl.lit("program_full"))
        .otherwise(c("reason"))
        .alias("reason")
    )
    excluded = dict(pool.filter(c("reason").is_not_null()).group_by("reason").len().sort("reason").iter_rows())
    chosen = pool.filter(c("reason").is_null()).select(list(POOL))
    return chosen, {str(key): int(value) for key, value in excluded.items()}


def pool_frame(rows: Sequence[Mapping[str, object]]) -> pl.DataFrame:
    return pl.DataFrame([dict(row) for row in rows], schema=POOL) if rows else pl.DataFrame(schema=POOL)
