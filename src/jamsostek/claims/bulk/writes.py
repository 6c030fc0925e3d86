"""What both import paths of historical claims share: the membership each claim falls under
(found for a whole batch at once) and the writes of claims, payments and audit records.

A batch is a frame of checked rows (``STAGED``); the row-by-row path hands its staged rows over in
batches, the whole-file path the whole file, and both end here, so the rows they write are the same
by construction (the property test holds the checks and the reports equal).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.core.audit import AuditBatch
from jamsostek.core.bulk.frames import query_frame, timestamp, write_frame

STAGED = {
    "row": pl.Int64, "number": pl.String, "nik": pl.String, "program": pl.String, "event_date": pl.Date,
    "paid_date": pl.Date, "amount": pl.Int64, "kpj": pl.String, "regency_id": pl.String, "person_id": pl.Int64,
}  # fmt: skip
"""The columns of a checked row, as both paths stage them."""
FLAGS = ("jkk", "jkm", "jht", "jp", "jkp")
CLAIM_TABLE = "claims_claim"
PAYMENT_TABLE = "claims_claimpayment"
HISTORICAL = "historical"


def memberships(db: BaseDatabaseWrapper) -> pl.DataFrame:
    """Every membership, with what a claim keeps of it."""
    return query_frame(
        db,
        "SELECT id, person_id, CAST(start_date AS TEXT), CAST(end_date AS TEXT), segment, payer, employer_id, "
        "sponsor_id, jkk, jkm, jht, jp, jkp FROM registry_membership",
        [],
        {"membership_id": pl.Int64, "person_id": pl.Int64, "start": pl.Date, "end": pl.Date, "segment": pl.String,
         "payer": pl.String, "employer_id": pl.Int64, "sponsor_id": pl.Int64,
         **dict.fromkeys(FLAGS, pl.Boolean)},
        bulk=True,
    )  # fmt: skip


def with_memberships(claims: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """``claims`` (``STAGED``) with the membership each falls under: as ``claims.facts.membership_for``
    chooses it, of the person's memberships begun on or before the event date, one running that day
    first, then one covering the program, then the latest begun (and the highest id)."""
    program = pl.col("program")
    covers = (
        pl.when(program == "scholarship").then(pl.col("jkm") | pl.col("jkk"))
        .when(program == "jkk").then(pl.col("jkk")).when(program == "jkm").then(pl.col("jkm"))
        .when(program == "jht").then(pl.col("jht")).when(program == "jp").then(pl.col("jp"))
        .otherwise(pl.col("jkp"))
    )  # fmt: skip
    found = (
        claims.select("row", "person_id", "program", "event_date")
        .filter(pl.col("person_id").is_not_null())
        .join(members, on="person_id", how="inner")
        .filter(pl.col("start") <= pl.col("event_date"))
        .with_columns(
            running=pl.col("end").is_null() | (pl.col("end") >= pl.col("event_date")),
            covers=covers.fill_null(False),
        )
        .sort(["row", "running", "covers", "start", "membership_id"], descending=[False, True, True, True, True])
        .unique("row", keep="first", maintain_order=True)
        .select("row", "membership_id", "segment", "payer", "employer_id", "sponsor_id")
    )
    return claims.join(found, on="row", how="left", maintain_order="left")


def write_history(
    db: BaseDatabaseWrapper, audit: AuditBatch, batch: pl.DataFrame, members: pl.DataFrame, first_id: int, now: datetime
) -> int:
    """Write the claims of ``batch`` (ids from ``first_id``, in row order), one paid payment each, and
    one audit record each; returns how many."""
    if batch.height == 0:
        return 0
    frame = with_memberships(batch.sort("row"), members).with_columns(
        id=pl.int_range(first_id, first_id + batch.height, dtype=pl.Int64),
        event_text=pl.col("event_date").dt.to_string("%Y-%m-%d"),
        paid_text=pl.col("paid_date").dt.to_string("%Y-%m-%d"),
    )
    stamp = timestamp(db, now)
    empty, null = pl.lit(""), pl.lit(None, dtype=pl.String)
    write_frame(db, CLAIM_TABLE, frame.select(
        "id", pl.col("number"), pl.lit("import").alias("origin"), "program", pl.lit("paid").alias("state"),
        "person_id", "nik", pl.col("kpj"), "membership_id", pl.col("segment").fill_null(""),
        pl.col("payer").fill_null(""), "sponsor_id", "employer_id", "regency_id", empty.alias("protection"),
        pl.col("event_text").alias("event_date"), empty.alias("event_kind"), empty.alias("cause"),
        empty.alias("event_description"), empty.alias("event_place"), empty.alias("claimant_nik"),
        empty.alias("claimant_name"), empty.alias("claimant_relation"), pl.lit("[]").alias("relatives"),
        pl.lit("{}").alias("facts"), pl.col("paid_text").alias("submitted_on"), null.alias("complete_on"),
        null.alias("verified_at"), pl.lit(None, dtype=pl.Int64).alias("verified_by_id"),
        empty.alias("verified_by_label"), pl.col("paid_text").alias("decided_on"),
        pl.col("paid_text").alias("paid_on"), null.alias("due_on"), empty.alias("due_what"),
        pl.lit(stamp).alias("created_at"), pl.lit(stamp).alias("updated_at"),
    ))  # fmt: skip
    write_frame(db, PAYMENT_TABLE, frame.select(
        pl.col("id").alias("claim_id"), pl.lit(None, dtype=pl.Int64).alias("decision_id"),
        pl.lit(1, dtype=pl.Int64).alias("sequence"), pl.lit(HISTORICAL).alias("what"),
        pl.col("paid_text").alias("due_on"), "amount", pl.lit("paid").alias("state"),
        pl.col("paid_text").alias("paid_on"), empty.alias("bank_reference"),
        pl.lit(audit.actor_label).alias("recorded_by_label"), "program", "regency_id",
        pl.col("segment").fill_null(""), pl.col("payer").fill_null(""), "sponsor_id",
    ))  # fmt: skip
    changes = pl.struct(
        number=pl.concat_list(null, pl.col("number")), nik=pl.concat_list(null, pl.col("nik")),
        program=pl.concat_list(null, pl.col("program")), event_date=pl.concat_list(null, pl.col("event_text")),
        paid_on=pl.concat_list(null, pl.col("paid_text")),
        amount=pl.concat_list(pl.lit(None, dtype=pl.Int64), pl.col("amount")),
        regency=pl.concat_list(null, pl.col("regency_id")),
    ).struct.json_encode()  # fmt: skip
    audit.write_frame(db, frame.select(pl.col("id").alias("entity_id"), changes.alias("changes")), action="create",
                      entity="claims.claim")  # fmt: skip
    return frame.height
