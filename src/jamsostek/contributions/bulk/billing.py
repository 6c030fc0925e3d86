"""The bulk side of billing: who is billed for which membership, the amounts of every line through
the batch rules (one call for a province), and the bills and lines written in one sweep.

Only the contributions services call these (``services.billing.billing_run`` and the adjustment
notes); they check no access and write no audit record themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.contributions.models import OPEN_BILL_SQL
from jamsostek.core.bulk.frames import (
    catch_up_ids,
    concurrently,
    query_frame,
    reserve_ids,
    timestamp,
    update_by_id,
    write_frame,
)
from jamsostek.core.constants import PROVINCE
from jamsostek.rules import batch
from jamsostek.rules.contributions import due_date
from jamsostek.rules.parameterset import default_parameters
from jamsostek.rules.periods import Month

KIND_LETTER = {"employer": "E", "participant": "P", "sponsor": "S", "project": "K"}
LINE_AMOUNTS = (
    "jkk", "jkm", "jht_employer", "jht_worker", "jht_participant", "jp_employer", "jp_worker", "jkk_jkm_package",
    "employer_share", "worker_share", "participant_share", "total",
)  # fmt: skip


def active_members(db: BaseDatabaseWrapper, period: Month, membership_ids: list[int] | None = None) -> pl.DataFrame:
    """Memberships running at some point in ``period``, with what billing needs to know (all of
    them, or only ``membership_ids``)."""
    first, last = period.first_day.isoformat(), period.last_day.isoformat()
    only = ""
    params: list[Any] = [last, first]
    if membership_ids is not None:
        only = f" AND m.id IN ({', '.join(['%s'] * len(membership_ids))})" if membership_ids else " AND 1 = 0"
        params += membership_ids

    def members_of(own: BaseDatabaseWrapper) -> pl.DataFrame:
        return query_frame(
            own,
            "SELECT m.id, m.segment, m.person_id, m.employer_id, m.sponsor_id, m.project_id, "
            "m.jht, m.jkm, m.jp, m.jkp, CAST(m.start_date AS TEXT), m.contract_months, m.pre_departure, "
            "e.risk_class, e.labour_intensive, m.regency_id, e.state_body "
            "FROM registry_membership m LEFT JOIN registry_employer e ON e.id = m.employer_id "
            "WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)" + only,
            params,
            {"membership_id": pl.Int64, "segment": pl.String, "person_id": pl.Int64,
             "employer_id": pl.Int64, "sponsor_id": pl.Int64, "project_id": pl.Int64, "with_jht": pl.Boolean,
             "with_jkm": pl.Boolean, "with_jp": pl.Boolean, "with_jkp": pl.Boolean, "start": pl.Date,
             "contract_months": pl.Int64,
             "pre_departure": pl.Boolean, "risk_class": pl.Int64, "labour_intensive": pl.Boolean,
             "member_regency": pl.String, "state_body": pl.Boolean},
            bulk=True,
        )  # fmt: skip

    # The wage in force: the latest report dated on or before the month's last day. Each database
    # picks it its own way: PostgreSQL sorts (its plan for the portable self-join aggregated a
    # million reports once per parallel worker: 4.0 s in the database instead of 0.9 s); SQLite
    # takes the columns of the row holding the MAX (documented SQLite behaviour), grouping along
    # the unique index.
    if db.vendor == "postgresql":
        sql = ("SELECT DISTINCT ON (membership_id) membership_id, amount, fixed_allowances FROM registry_wagereport "
               "WHERE valid_from <= %s" + only.replace("m.id", "membership_id")
               + " ORDER BY membership_id, valid_from DESC")  # fmt: skip
    else:
        sql = ("SELECT membership_id, amount, fixed_allowances FROM (SELECT membership_id, amount, fixed_allowances, "
               "MAX(valid_from) FROM registry_wagereport WHERE valid_from <= %s" + only.replace("m.id", "membership_id")
               + " GROUP BY membership_id)")  # fmt: skip

    def wages(own: BaseDatabaseWrapper) -> pl.DataFrame:
        return query_frame(
            own, sql, [last, *(membership_ids or [])],
            {"membership_id": pl.Int64, "wage": pl.Int64, "fixed_allowances": pl.Int64}, bulk=True,
        )  # fmt: skip

    members, latest = concurrently(db, members_of, wages)  # at once, outside a transaction
    # PMI packages are paid once, in the month the membership starts.
    members = members.filter((pl.col("segment") != "pmi") | (pl.col("start") >= period.first_day))
    return members.join(latest, on="membership_id", how="left").with_columns(
        pl.col("wage").fill_null(0), pl.col("fixed_allowances").fill_null(0)
    )


def payer_keys(members: pl.DataFrame, *, key: bool = True) -> pl.DataFrame:
    """Who is billed for each membership: the employer (PU), the project (Jakon), the sponsor
    program (budget-funded BPU), or the participant (BPU, PMI): ``payer_kind``, ``payer_id`` and,
    with ``key``, the bills' ``payer_key`` text."""
    kind = (
        pl.when(pl.col("segment") == "pu").then(pl.lit("employer"))
        .when(pl.col("segment") == "jakon").then(pl.lit("project"))
        .when(pl.col("sponsor_id").is_not_null()).then(pl.lit("sponsor"))
        .otherwise(pl.lit("participant"))
    )  # fmt: skip
    payer_id = (
        pl.when(pl.col("segment") == "pu").then(pl.col("employer_id"))
        .when(pl.col("segment") == "jakon").then(pl.col("project_id"))
        .when(pl.col("sponsor_id").is_not_null()).then(pl.col("sponsor_id"))
        .otherwise(pl.col("person_id"))
    )  # fmt: skip
    members = members.with_columns(payer_kind=kind, payer_id=payer_id)
    if not key:
        return members
    return members.with_columns(payer_key=pl.col("payer_kind") + ":" + pl.col("payer_id").cast(pl.String))


def payer_key_of(membership: Any) -> str:
    """The ``payer_key`` of the bills that carry ``membership`` (a ``registry.Membership``)."""
    frame = pl.DataFrame(
        {"segment": [membership.segment], "employer_id": [membership.employer_id],
         "project_id": [membership.project_id], "sponsor_id": [membership.sponsor_id],
         "person_id": [membership.person_id]},
        schema={"segment": pl.String, "employer_id": pl.Int64, "project_id": pl.Int64, "sponsor_id": pl.Int64,
                "person_id": pl.Int64},
    )  # fmt: skip
    key: str = payer_keys(frame)["payer_key"][0]
    return key


PAYER_KEY_SQL = (
    "CASE WHEN segment = 'pu' THEN 'employer:' || employer_id WHEN segment = 'jakon' THEN 'project:' || project_id "
    "WHEN sponsor_id IS NOT NULL THEN 'sponsor:' || sponsor_id ELSE 'participant:' || person_id END"
)
"""``payer_keys`` in SQL, for a membership row."""

RELIEF_CONDITIONS = ("relief.covid_paid_up_through", "jkk.labour_intensive_paid_up_through")
"""The reliefs whose discount holds only for a payer that had paid up through a day (PP 49/2020 art.
13, PP 7/2025 art. 6(2)): the billing knows from its own bills whether it had."""


def relief_facts(db: BaseDatabaseWrapper, members: pl.DataFrame, period: Month) -> tuple[pl.DataFrame, int]:
    """For a month under such a relief, each membership's ``relief_paid_up`` (its payer has no bill of
    a month up to the condition's day still open) and ``payer_first_month`` (the month index of the
    payer's first membership), and how many payers had no bill that early (their condition is taken
    as met, as the rules do for a fact not known). Other months: the members unchanged, 0."""
    parameters = default_parameters()
    through = {name: parameters.at(name, period.first_day).value for name in RELIEF_CONDITIONS}
    days = [day for day in through.values() if day is not None]
    if not days or members.height == 0:
        return members, 0
    cutoff = min(days).isoformat()
    # whose discount the condition decides: every PU and BPU payer (PP 49/2020), or a labour-intensive
    # employer's (PP 7/2025)
    concerned = pl.col("segment").is_in(["pu", "bpu"])
    if through["relief.covid_paid_up_through"] is None:
        concerned = (pl.col("segment") == "pu") & pl.col("labour_intensive").fill_null(False)
    billed = query_frame(
        db, f"SELECT b.payer_key, MAX(CASE WHEN {OPEN_BILL_SQL} THEN 1 ELSE 0 END) FROM contributions_bill b "
        "WHERE b.period <= %s GROUP BY b.payer_key", [cutoff],
        {"payer_key": pl.String, "owing": pl.Int64},
    )  # fmt: skip
    first = query_frame(
        db, f"SELECT {PAYER_KEY_SQL}, MIN(CAST(start_date AS TEXT)) FROM registry_membership GROUP BY 1", [],
        {"payer_key": pl.String, "first_start": pl.String}, bulk=True,
    )  # fmt: skip
    facts = members.join(billed, on="payer_key", how="left").join(first, on="payer_key", how="left")
    unknown = facts.filter(concerned & pl.col("owing").is_null())["payer_key"].n_unique()
    start = pl.col("first_start").str.slice(0, 10).str.to_date("%Y-%m-%d")
    facts = facts.with_columns(
        relief_paid_up=pl.col("owing").fill_null(0) == 0,
        payer_first_month=(start.dt.year().cast(pl.Int64) * 12 + start.dt.month().cast(pl.Int64) - 1).fill_null(-1),
    ).drop("owing", "first_start")
    return facts, unknown


def compute_lines(members: pl.DataFrame, period: Month) -> pl.DataFrame:
    """Each membership's amounts for ``period``, through the batch rules (one call for all)."""
    n = members.height
    segment = members["segment"].to_numpy()
    table = {
        "segment": segment,
        "period": np.full(n, period.index, dtype=np.int64),
        "wage": members["wage"].to_numpy(),
        "fixed_allowances": members["fixed_allowances"].to_numpy(),
        "risk_class": members["risk_class"].fill_null(1).to_numpy(),
        "labour_intensive": members["labour_intensive"].fill_null(False).to_numpy(),
        "with_jp": members["with_jp"].to_numpy(),
        "with_jkp": members["with_jkp"].to_numpy(),
        "jp_deferral": np.zeros(n, dtype=bool),
        "income": members["wage"].to_numpy(),
        "with_jht": members["with_jht"].to_numpy(),
        "with_jkm": members["with_jkm"].to_numpy(),
        "months": np.where(segment == "pmi", members["contract_months"].fill_null(1).to_numpy(), 1),
        "pre_departure": members["pre_departure"].to_numpy(),
        "state_body": members["state_body"].fill_null(False).to_numpy(),
    }
    if "relief_paid_up" in members.columns:
        table["relief_paid_up"] = members["relief_paid_up"].to_numpy()
        table["payer_first_month"] = members["payer_first_month"].to_numpy()
    out = batch.compute(table)
    amounts = pl.DataFrame(
        {
            "jkk": out["jkk_employer"] + out["jkk_participant"],
            "jkm": out["jkm_employer"] + out["jkm_participant"],
            "jht_employer": out["jht_employer"],
            "jht_worker": out["jht_worker"],
            "jht_participant": out["jht_participant"],
            "jp_employer": out["jp_employer"],
            "jp_worker": out["jp_worker"],
            "jkk_jkm_package": out["jkk_jkm_participant"],
            "employer_share": out["employer"],
            "worker_share": out["worker"],
            "participant_share": out["participant"],
            "total": out["total"],
        }
    )
    return pl.concat([members, amounts], how="horizontal")


def _payer_details(db: BaseDatabaseWrapper) -> pl.DataFrame:
    """Name and regency of every possible payer."""
    schema = {"payer_key": pl.String, "payer_name": pl.String, "regency_id": pl.String}
    frames = [
        query_frame(db, "SELECT 'employer:' || id, name, regency_id FROM registry_employer", [], schema),
        query_frame(db, "SELECT 'project:' || id, name, SUBSTR(region_id, 1, 5) FROM registry_project", [], schema),
        query_frame(
            db, "SELECT 'sponsor:' || id, name, SUBSTR(region_id, 1, 5) FROM registry_sponsorprogram", [], schema
        ),
    ]
    return pl.concat(frames)


def write_bills(
    db: BaseDatabaseWrapper,
    lines: pl.DataFrame,
    period: Month,
    *,
    run_id: int,
    rules_id: int,
    now: Any,
    say: Callable[[str], None] = lambda message: None,
) -> tuple[pl.DataFrame, int]:
    """Write one bill per payer of ``lines`` (with the fines its payer owes) and the lines under
    them; returns the bills written (with their ids) and the number of lines.

    Written in the order of their indexes: the bills by payer (the payer and month index then takes
    the new bills in one sweep instead of at random over a year of bills: 3.3 s -> 1.8 s on
    PostgreSQL for a province), and the lines by bill, then membership (appended at the end of
    their unique index)."""
    fines = _fines_to_charge(db, lines["payer_key"].unique().to_list())
    bills = _bills(db, lines, fines, period, run_id, now).sort("payer_key")
    say(f"billing {period}: {bills.height:,} bills computed, writing")
    first_bill = reserve_ids(db, "contributions_bill")
    bills = bills.with_row_index("id", offset=first_bill).with_columns(pl.col("id").cast(pl.Int64))
    write_frame(db, "contributions_bill", bills.drop("kind_for_due"))
    catch_up_ids(db, "contributions_bill")
    say(f"billing {period}: bills written, writing their lines")
    ids = bills.select("payer_key", pl.col("id").alias("bill_id"))
    rows = lines.join(ids, on="payer_key").select(
        "bill_id", "membership_id", "segment", "wage", "fixed_allowances",
        pl.when(pl.col("segment") == "pu").then(pl.col("risk_class")).otherwise(None).alias("risk_class"),
        *LINE_AMOUNTS, pl.lit(rules_id).alias("rules_id"),
    ).sort("bill_id", "membership_id")  # fmt: skip
    write_frame(db, "contributions_billline", rows)
    _charge_fines(db, fines, bills)
    return bills, rows.height


def _bills(
    db: BaseDatabaseWrapper, lines: pl.DataFrame, fines: pl.DataFrame, period: Month, run_id: int, now: Any
) -> pl.DataFrame:
    """One bill per payer: sums of its lines, a reference, a due date, and fines to charge."""
    stamp = timestamp(db, now)
    grouped = lines.group_by("payer_key", "payer_kind", "payer_id").agg(
        pl.col("employer_share").sum().alias("employer_amount"),
        pl.col("worker_share").sum().alias("worker_amount"),
        pl.col("participant_share").sum().alias("participant_amount"),
        pl.len().alias("members"),
        pl.col("member_regency").first().alias("member_regency"),
        (pl.col("segment") == "bpu").any().alias("has_bpu"),
    )
    details = _payer_details(db)
    persons = query_frame(
        db, "SELECT 'participant:' || id, name, regency_id FROM registry_person WHERE id IN "
        "(SELECT DISTINCT person_id FROM registry_membership WHERE segment IN ('bpu', 'pmi'))", [],
        {"payer_key": pl.String, "payer_name": pl.String, "regency_id": pl.String}, bulk=True,
    )  # fmt: skip
    grouped = grouped.join(pl.concat([details, persons]), on="payer_key", how="left").with_columns(
        pl.col("regency_id").fill_null(pl.col("member_regency")).fill_null(PROVINCE),
        pl.col("payer_name").fill_null(pl.col("payer_key")),
    )
    per_payer = fines.group_by("payer_key").agg(pl.col("amount").sum().alias("fines"))
    grouped = grouped.join(per_payer, on="payer_key", how="left").with_columns(pl.col("fines").fill_null(0))
    bpu_due = due_date("bpu", period)
    other_due = due_date("pu", period)
    letter = pl.col("payer_kind").replace_strict(KIND_LETTER)
    return grouped.select(
        pl.lit(period.first_day.isoformat()).alias("period"),
        "payer_kind", "payer_id", "payer_key", pl.col("payer_name").str.slice(0, 200), "regency_id",
        (pl.lit(f"JMS{period.year % 100:02d}{period.month:02d}") + letter
         + pl.col("payer_id").cast(pl.String).str.zfill(10)).alias("reference"),
        pl.when(pl.col("has_bpu")).then(pl.lit(bpu_due.isoformat())).otherwise(pl.lit(other_due.isoformat()))
        .alias("due_date"),
        "employer_amount", "worker_amount", "participant_amount", "fines",
        (pl.col("employer_amount") + pl.col("worker_amount") + pl.col("participant_amount") + pl.col("fines"))
        .alias("total"),
        pl.col("members").cast(pl.Int64), pl.lit(run_id).alias("run_id"), pl.lit(stamp).alias("created_at"),
        pl.col("has_bpu").alias("kind_for_due"),
    )  # fmt: skip


def _fines_to_charge(db: BaseDatabaseWrapper, payer_keys: list[str]) -> pl.DataFrame:
    """Fines of bills paid late that no bill has charged yet, for these payers."""
    return query_frame(
        db,
        "SELECT f.id, b.payer_key, f.amount FROM contributions_fine f JOIN contributions_bill b ON b.id = f.bill_id "
        "WHERE f.charged_on_id IS NULL",
        [],
        {"fine_id": pl.Int64, "payer_key": pl.String, "amount": pl.Int64},
    ).filter(pl.col("payer_key").is_in(payer_keys))


def _charge_fines(db: BaseDatabaseWrapper, fines: pl.DataFrame, bills: pl.DataFrame) -> None:
    """Each fine now carried by a new bill points at it."""
    if fines.height == 0:
        return
    pairs = fines.join(bills.select("payer_key", pl.col("id").alias("bill_id")), on="payer_key")
    update_by_id(db, "contributions_fine", "charged_on_id", pairs["fine_id"].to_list(), pairs["bill_id"].to_list())
