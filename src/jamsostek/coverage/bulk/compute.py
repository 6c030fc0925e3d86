"""Recomputing the coverage facts: protected participants per district, month, segment and payer.

Participants are counted where they live (the district of their address), like the Sakernas
employed population they are divided by. A person is counted once in the ``all`` rows even with
several memberships, and once in each segment and payer group they have a protected membership in.
"""

from __future__ import annotations

import time
from datetime import date

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jamsostek.contributions.selectors.status import protected_masks
from jamsostek.core.bulk.frames import write_frame
from jamsostek.coverage.models import Computation, CoverageFact
from jamsostek.rules.periods import Month

ALL = "all"
FACT_COLUMNS = ("district", "regency", "segment", "payer_group", "persons")


def facts(first: Month, last: Month, *, as_of: date) -> pl.DataFrame:
    """(month, district, regency, segment, payer_group, persons) for every month in range."""
    masks = protected_masks(first, last, as_of=as_of).lazy().filter(pl.col("mask") != 0)
    months = last.index - first.index + 1
    dates = {str(offset): first.plus(offset).first_day for offset in range(months)}
    plans = []
    for by, segment, group in (([], ALL, ALL), (["segment"], None, ALL), (["payer_group"], ALL, None)):
        # one mask per person (and segment or payer group): protected in a month if any membership is
        people = masks.group_by(["person_id", "district", *by]).agg(pl.col("mask").bitwise_or())
        keyed = people.select(
            "district",
            (pl.col("segment") if segment is None else pl.lit(segment)).alias("segment"),
            (pl.col("payer_group") if group is None else pl.lit(group)).alias("payer_group"),
            *(((pl.col("mask") // (1 << offset)) % 2).alias(str(offset)) for offset in range(months)),
        )
        plans.append(
            keyed.group_by("district", "segment", "payer_group")
            .agg(pl.col(str(offset)).sum() for offset in range(months))
            .unpivot(index=["district", "segment", "payer_group"], variable_name="offset", value_name="persons")
        )
    table = pl.concat(plans).filter(pl.col("persons") > 0).collect()
    return table.select(
        pl.col("offset").replace_strict(dates, return_dtype=pl.Date).alias("month"),
        "district",
        pl.col("district").str.slice(0, 5).alias("regency"),
        "segment",
        "payer_group",
        pl.col("persons").cast(pl.Int64),
    ).sort("month", "district", "segment", "payer_group")


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
