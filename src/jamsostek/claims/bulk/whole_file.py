"""The fast path of the historical claims import: the whole file checked and written with Polars.

It takes only a file it can prove clean: a plain UTF-8 CSV in canonical form (ISO dates, amounts
as plain digits, programs in lower case), every row valid, every row new or unchanged, every row
inside the importing user's reach (``Reach.includes_column``). Anything else sends the file down
the row-by-row path (``history``), which words the reason, so the outcome never depends on which
path ran; ``tests/claims/test_import_paths.py`` holds the two to the same report and database.
The claims, payments and audit records are written by the same code as the row-by-row path's
(``writes.write_history``).
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from pathlib import Path

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext

from jamsostek.accounts.policy import Action
from jamsostek.claims.bulk.history import (
    COLUMNS,
    NOT_REGISTERED,
    HistoryImporter,
    recorded_claims,
    regency_codes,
    registered_persons,
)
from jamsostek.claims.bulk.writes import CLAIM_TABLE, PAYMENT_TABLE, STAGED, memberships, write_history
from jamsostek.claims.models import Program
from jamsostek.core.bulk.frames import ForeignKeysCheckedOnce, catch_up_ids, read_frame, reserve_ids
from jamsostek.core.bulk.report import ACCEPTED, UNCHANGED, ImportReport, fill_from_frame
from jamsostek.registry.nik import nik_column_valid
from jamsostek.registry.services import district_codes
from jamsostek.rules.model import MAX_RUPIAH

logger = logging.getLogger(__name__)
BULK = 50_000
"""From this many new claims, foreign keys are checked once at the end (PostgreSQL)."""


def _decline(why: str) -> None:
    """The fast path does not take this file (the row-by-row path follows, and words the reason)."""
    logger.info("claims: the whole-file import does not apply (%s); checking row by row", why)


def _all(frame: pl.DataFrame, expression: pl.Expr) -> bool:
    return bool(frame.select(expression.fill_null(False).all()).item())


def history(importer: HistoryImporter, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
    """A file of historical claims through the fast path, or None when it does not take the file."""
    frame = read_frame(path, COLUMNS)
    if frame is None:
        _decline("not a plain canonical CSV")
        return None
    today = timezone.localdate()
    regencies = sorted(regency_codes())
    iso = r"^\d{4}-\d{2}-\d{2}$"
    frame = frame.with_row_index("row", offset=2).with_columns(
        pl.col("row").cast(pl.Int64),
        event=pl.col("event_date").str.to_date("%Y-%m-%d", strict=False),
        paid=pl.col("paid_date").str.to_date("%Y-%m-%d", strict=False),
        value=pl.col("amount").cast(pl.Int64, strict=False),
    )
    number = pl.col("claim_number")
    valid = (
        number.str.contains(r"^[A-Za-z0-9._/-]{1,40}$") & ~number.is_duplicated()
        & nik_column_valid(pl.col("nik"), district_codes())
        & pl.col("program").is_in(Program.values)
        & pl.col("event_date").str.contains(iso) & pl.col("event").is_not_null() & (pl.col("event") <= today)
        & pl.col("paid_date").str.contains(iso) & pl.col("paid").is_not_null() & (pl.col("paid") <= today)
        & (pl.col("paid") >= pl.col("event"))
        & pl.col("amount").str.contains(r"^[0-9]{1,18}$") & (pl.col("value") > 0) & (pl.col("value") <= MAX_RUPIAH)
        & ((pl.col("kpj") == "") | pl.col("kpj").str.contains(r"^[0-9]{11}$"))
        & ((pl.col("regency_code") == "") | pl.col("regency_code").is_in(regencies))
    )  # fmt: skip
    if not _all(frame, valid):
        _decline("a row breaks a rule or is not in canonical form")
        return None
    db = importer.db
    nik_regency = pl.col("nik").str.slice(0, 2) + "." + pl.col("nik").str.slice(2, 2)
    frame = frame.join(registered_persons(db), on="nik", how="left", maintain_order="left").with_columns(
        regency_id=pl.when(pl.col("regency_code") != "").then(pl.col("regency_code"))
        .when(pl.col("person_regency").is_not_null()).then(pl.col("person_regency"))
        .when(nik_regency.is_in(regencies)).then(nik_regency)
    )  # fmt: skip
    if not _all(frame, pl.col("regency_id").is_not_null()):
        _decline("a row needs a regency code")
        return None
    policy = importer.policy
    if not (policy.may(Action.PAY_CLAIMS) and _all(frame, policy.reach.includes_column(pl.col("regency_id")))):
        _decline("a row is outside the importing user's reach")
        return None
    recorded = recorded_claims(db).rename({"number": "claim_number"})
    matched = frame.join(recorded, on="claim_number", how="inner", suffix="_recorded")
    if matched.height:
        same = (
            (pl.col("origin") == "import") & (pl.col("nik") == pl.col("nik_recorded"))
            & (pl.col("program") == pl.col("program_recorded"))
            & (pl.col("event_date") == pl.col("event_date_recorded"))
            & (pl.col("paid_date") == pl.col("paid_date_recorded")) & (pl.col("value") == pl.col("amount_recorded"))
            & (pl.col("kpj") == pl.col("kpj_recorded")) & (pl.col("regency_id") == pl.col("regency_id_recorded"))
        )  # fmt: skip
        if not _all(matched, same):
            _decline("a row differs from a recorded claim")
            return None
        if not (policy.reach.province or _all(matched, policy.reach.includes_column(pl.col("regency_id_recorded")))):
            _decline("a recorded claim is outside the importing user's reach")
            return None
    warning = gettext(NOT_REGISTERED).replace("%(regency)s", "{}")
    frame = frame.with_columns(
        status=pl.when(pl.col("claim_number").is_in(matched["claim_number"].implode()))
        .then(pl.lit(UNCHANGED)).otherwise(pl.lit(ACCEPTED)),
        warnings=pl.when(pl.col("person_id").is_null()).then(pl.format(warning, pl.col("regency_id")))
        .otherwise(pl.lit("")),
    )  # fmt: skip
    report = importer.new_report(path, dry_run=dry_run, report_path=report_path, method="whole-file")
    fill_from_frame(report, frame.select("row", pl.col("claim_number").alias("key"), "status", "warnings"))
    if dry_run:
        return report
    new = frame.filter(pl.col("status") == ACCEPTED).select(
        "row", pl.col("claim_number").alias("number"), "nik", "program", pl.col("event").alias("event_date"),
        pl.col("paid").alias("paid_date"), pl.col("value").alias("amount"), "kpj", "regency_id", "person_id",
    ).cast(pl.Schema(STAGED))  # fmt: skip
    if new.height:
        checked_once = ForeignKeysCheckedOnce(db, [CLAIM_TABLE, PAYMENT_TABLE]) if new.height >= BULK else nullcontext()
        with checked_once:
            first_id = reserve_ids(db, CLAIM_TABLE)
            write_history(db, importer.audit, new, memberships(db), first_id, importer.now)
            catch_up_ids(db, CLAIM_TABLE)
    report.applied = True
    return report
