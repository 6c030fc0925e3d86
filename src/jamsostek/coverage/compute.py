"""Recomputing the coverage facts: protected participants per district, month, segment and payer.

Participants are counted where they live (the district of their address), like the Sakernas
employed population they are divided by. A person is counted once in the ``all`` rows even with
several memberships, and once in each segment and payer group they have a protected membership in.
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jamsostek.contributions.status import protected_masks
from jamsostek.coverage.models import Computation, CoverageFact
from jamsostek.registry.importing.frames import write_frame
from jamsostek.rules.periods import Month

ALL = "all"
FACT_COLUMNS = ("district", "regency", "segment", "payer_group", "persons")


def _persons(masks: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """One mask per person (and ``by``): protected in a month if any of their memberships is."""
    return masks.group_by(["person_id", "district", *by]).agg(pl.col("mask").bitwise_or())


def facts(first: Month, last: Month, *, as_of: date) -> pl.DataFrame:
    """(month, district, regency, segment, payer_group, persons) for every month in range."""
    masks = protected_masks(first, last, as_of=as_of).filter(pl.col("mask") != 0)
    months = last.index - first.index + 1
    frames = []
    for by, segment, group in (([], ALL, ALL), (["segment"], None, ALL), (["payer_group"], ALL, None)):
        people = _persons(masks, by)
        keys = people.select(
            "district",
            (pl.col("segment") if segment is None else pl.lit(segment)).alias("segment"),
            (pl.col("payer_group") if group is None else pl.lit(group)).alias("payer_group"),
        )
        codes = keys.select(pl.concat_str(["district", "segment", "payer_group"], separator="|").alias("key"))
        uniques = codes.unique(maintain_order=True).with_row_index("code")
        index = codes.join(uniques, on="key", how="left", maintain_order="left")["code"].to_numpy()
        labels = uniques["key"]
        mask = people["mask"].to_numpy()
        for offset in range(months):
            counts = np.bincount(index, weights=(mask >> offset) & 1, minlength=len(labels)).astype(np.int64)
            present = counts > 0
            frames.append(pl.DataFrame({"key": labels.filter(pl.Series(present)), "persons": counts[present]})
                          .with_columns(month=pl.lit(first.plus(offset).first_day)))  # fmt: skip
    if not frames:
        return pl.DataFrame(schema={"month": pl.Date, "district": pl.String, "regency": pl.String,
                                    "segment": pl.String, "payer_group": pl.String, "persons": pl.Int64})  # fmt: skip
    table = pl.concat(frames).with_columns(pl.col("key").str.split_exact("|", 2).alias("parts")).unnest("parts")
    return table.select(
        "month",
        pl.col("field_0").alias("district"),
        pl.col("field_0").str.slice(0, 5).alias("regency"),
        pl.col("field_1").alias("segment"),
        pl.col("field_2").alias("payer_group"),
        "persons",
    )


def recompute(*, first: Month, last: Month, as_of: date | None = None) -> Computation:
    """Replace the facts of ``first`` .. ``last`` with a fresh computation (one transaction)."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    table = facts(first, last, as_of=as_of)
    with transaction.atomic():
        CoverageFact.objects.filter(period__gte=first.first_day, period__lte=last.first_day).delete()
        write_frame(
            connection,
            "coverage_coveragefact",
            table.select(pl.col("month").dt.to_string("%Y-%m-%d").alias("period"), *FACT_COLUMNS),
        )
        return Computation.objects.create(
            first=first.first_day, last=last.first_day, as_of=as_of, computed_at=timezone.now(),
            seconds=time.perf_counter() - started, rows=table.height,
        )  # fmt: skip
