"""A drive's members as whole frames: written when the drive is prepared (or renewed), turned into
the registry's import files when it is enrolled, and updated with what enrolment did."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.core.audit import AuditBatch
from jamsostek.core.bulk.frames import catch_up_ids, query_frame, reserve_ids, update_by_id, write_frame
from jamsostek.core.bulk.writer import execute_many
from jamsostek.drives.bulk.checking import PERSON

TABLE = "drives_drivemember"
MEMBERS = {
    "id": pl.Int64,
    "candidate_id": pl.Int64,
    **PERSON,
    "cost": pl.Int64,
    "status": pl.String,
    "skip_reason": pl.String,
    "person_id": pl.Int64,
    "membership_id": pl.Int64,
}


def write(
    db: BaseDatabaseWrapper, drive_id: int, chosen: pl.DataFrame, costs: npt.NDArray[np.int64], audit: AuditBatch
) -> None:
    """The chosen people (``selection.POOL`` columns, in order) as the drive's members."""
    c = pl.col
    first = reserve_ids(db, TABLE)
    frame = chosen.select(
        (pl.int_range(0, pl.len(), dtype=pl.Int64) + first).alias("id"),
        pl.lit(drive_id, dtype=pl.Int64).alias("drive_id"),
        c("candidate_id"),
        c("nik"),
        c("name").str.slice(0, 150),
        c("birth_date").dt.strftime("%Y-%m-%d"),
        c("sex"),
        c("district"),
        c("regency"),
        c("village").str.slice(0, 1000),
        c("category"),
        pl.Series("cost", costs, dtype=pl.Int64),
        pl.lit("chosen").alias("status"),
        pl.lit("").alias("skip_reason"),
        pl.lit(None, dtype=pl.Int64).alias("person_id"),
        pl.lit(None, dtype=pl.Int64).alias("membership_id"),
    )
    write_frame(db, TABLE, frame)
    catch_up_ids(db, TABLE)
    audit.write_frame(
        db,
        frame.select(
            c("id").alias("entity_id"),
            pl.struct(drive=c("drive_id"), nik=c("nik"), category=c("category"), cost=c("cost"), status=c("status"))
            .struct.json_encode()
            .alias("changes"),
        ),
        action="create",
        entity="drives.drivemember",
    )


def read(db: BaseDatabaseWrapper, drive_id: int, *, status: str | None = None) -> pl.DataFrame:
    """The drive's members (every column of ``MEMBERS``), in the order they were chosen."""
    names = ", ".join(f"CAST({name} AS TEXT)" if kind == pl.Date else name for name, kind in MEMBERS.items())
    sql = f"SELECT {names} FROM {TABLE} WHERE drive_id = %s" + (" AND status = %s" if status else "") + " ORDER BY id"
    return query_frame(db, sql, [drive_id, *([status] if status else [])], MEMBERS)


PERSONS_HEADER = ["nik", "name", "birth_date", "sex", "district_code"]
MEMBERSHIPS_HEADER = ["nik", "segment", "start_date", "end_date", "sponsor_code", "wage", "jht"]


def import_files(
    directory: Path,
    members: pl.DataFrame,
    new: Sequence[str],
    *,
    sponsor: str,
    start: date,
    end: date,
    income: int,
    with_jht: bool,
) -> tuple[Path, Path]:
    """The registry's import files for enrolling ``members``: the persons the registry does not
    hold yet (``new`` NIKs), and one sponsored BPU membership each, from ``start`` to ``end``."""
    persons, memberships = directory / "persons.csv", directory / "memberships.csv"
    unknown = members.filter(pl.col("nik").is_in(list(new)))
    with persons.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PERSONS_HEADER)
        for nik, name, birth, sex, district in unknown.select(
            "nik", "name", "birth_date", "sex", "district"
        ).iter_rows():
            writer.writerow([nik, name, birth.isoformat(), sex, district])
    with memberships.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MEMBERSHIPS_HEADER)
        jht = "ya" if with_jht else "tidak"
        for nik in members["nik"].to_list():
            writer.writerow([nik, "bpu", start.isoformat(), end.isoformat(), sponsor, income, jht])
    return persons, memberships


def mark(db: BaseDatabaseWrapper, enrolled: pl.DataFrame, skipped: pl.DataFrame) -> None:
    """Record what enrolment did: ``enrolled`` (member ``id``, ``person_id``, ``membership_id``) and
    ``skipped`` (member ``id``, ``reason``)."""
    ids = enrolled["id"].to_list()
    update_by_id(db, TABLE, "person_id", ids, enrolled["person_id"].to_list())
    update_by_id(db, TABLE, "membership_id", ids, enrolled["membership_id"].to_list())
    execute_many(f"UPDATE {TABLE} SET status = 'enrolled' WHERE id = %s", [(pk,) for pk in ids], db)
    execute_many(
        f"UPDATE {TABLE} SET status = 'skipped', skip_reason = %s WHERE id = %s",
        list(skipped.select("reason", "id").iter_rows()),
        db,
    )
