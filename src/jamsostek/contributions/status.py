"""Who is protected in which month, derived from bills and payments (this feeds coverage).

For each membership and contribution month (as known on ``as_of``):

- Wage earners and construction workers (billed to the employer or the project): protected while
  the payer is billed, unless the bills of that month and the two before it are all unpaid past
  their due date. A PU membership shows *nonaktif* after 3 consecutive unpaid months (BPJS TK).
- Informal workers (billed to themselves or to a sponsor program): protected in a month that is
  paid, or not yet due; after more than 3 consecutive unpaid months the membership lapses
  (Perdir 22/PERDIR.02/072022). Months paid in advance are paid months (credit pays each new bill).
- Migrant workers: protected for the contract months once their package is paid (or not yet due).

A month without a bill for the payer is *not billed* (and not protected). A bill is paid when its
allocations cover its total and its adjustment notes. The derivation reads
the payers' bills, not the lines: every active member of a payer is on the payer's bill.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from jamsostek.contributions.billing import payer_keys
from jamsostek.registry.importing.frames import query_frame
from jamsostek.rules.periods import Month

PROTECTED, UNPAID, LAPSED, NOT_BILLED = "protected", "unpaid", "lapsed", "not billed"


def bill_states(db: BaseDatabaseWrapper, as_of: date, first: Month, last: Month) -> pl.DataFrame:
    """(payer_key, period index, paid, overdue) for the bills of ``first - 3`` .. ``last``."""
    bills = query_frame(
        db,
        "SELECT b.id, b.payer_key, CAST(b.period AS TEXT), CAST(b.due_date AS TEXT), b.total, "
        "COALESCE((SELECT SUM(a.amount) FROM contributions_allocation a WHERE a.bill_id = b.id), 0), "
        "COALESCE((SELECT SUM(n.total) FROM contributions_adjustmentnote n WHERE n.bill_id = b.id), 0) "
        "FROM contributions_bill b WHERE b.period >= %s AND b.period <= %s",
        [first.plus(-3).first_day.isoformat(), last.first_day.isoformat()],
        {"bill_id": pl.Int64, "payer_key": pl.String, "period": pl.Date, "due_date": pl.Date, "total": pl.Int64,
         "allocated": pl.Int64, "adjusted": pl.Int64},
    )  # fmt: skip
    return bills.select(
        "payer_key",
        (pl.col("period").dt.year() * 12 + pl.col("period").dt.month() - 1).cast(pl.Int64).alias("month"),
        (pl.col("allocated") >= pl.col("total") + pl.col("adjusted")).alias("paid"),
        (pl.col("due_date") < as_of).alias("overdue"),
    )


def memberships(db: BaseDatabaseWrapper) -> pl.DataFrame:
    frame = query_frame(
        db,
        "SELECT m.id, m.person_id, m.segment, m.employer_id, m.sponsor_id, m.project_id, CAST(m.start_date AS TEXT), "
        "CAST(m.end_date AS TEXT), m.contract_months, p.region_id, p.regency_id "
        "FROM registry_membership m JOIN registry_person p ON p.id = m.person_id",
        [],
        {"membership_id": pl.Int64, "person_id": pl.Int64, "segment": pl.String, "employer_id": pl.Int64,
         "sponsor_id": pl.Int64, "project_id": pl.Int64, "start": pl.Date, "end": pl.Date,
         "contract_months": pl.Int64, "district": pl.String, "regency": pl.String},
    )  # fmt: skip
    return payer_keys(frame).with_columns(
        start_month=(pl.col("start").dt.year() * 12 + pl.col("start").dt.month() - 1).cast(pl.Int64),
        end_month=(pl.col("end").dt.year() * 12 + pl.col("end").dt.month() - 1).cast(pl.Int64),
    )


def derive_status(
    first: Month, last: Month, *, as_of: date, db: BaseDatabaseWrapper | None = None,
    members: pl.DataFrame | None = None,
) -> pl.DataFrame:  # fmt: skip
    """One row per membership and month it runs in, from ``first`` to ``last``: (membership_id,
    person_id, segment, payer_kind, district, regency, month (index), status, protected)."""
    db = db or connection
    members = memberships(db) if members is None else members
    states = bill_states(db, as_of, first, last)
    billed = states.select("payer_key", "month", pl.lit(True).alias("billed"), "paid", "overdue")
    frames = []
    for index in range(first.index, last.index + 1):
        running = members.filter(
            (pl.col("start_month") <= index) & (pl.col("end_month").is_null() | (pl.col("end_month") >= index))
        )
        frames.append(_month(running, billed, index))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames)


def _month(running: pl.DataFrame, billed: pl.DataFrame, index: int) -> pl.DataFrame:
    """The status of every running membership in month ``index``."""
    frame = running.select(
        "membership_id", "person_id", "segment", "payer_kind", "payer_key", "district", "regency", "start_month",
        "contract_months",
    )  # fmt: skip
    for back in range(4):
        state = billed.filter(pl.col("month") == index - back).drop("month")
        suffix = f"_{back}"
        frame = frame.join(state.rename({c: c + suffix for c in ("billed", "paid", "overdue")}), on="payer_key",
                           how="left")  # fmt: skip

    def unpaid(back: int) -> pl.Expr:
        return (
            pl.col(f"billed_{back}").fill_null(False)
            & ~pl.col(f"paid_{back}").fill_null(False)
            & pl.col(f"overdue_{back}").fill_null(False)
        )

    billed_now = pl.col("billed_0").fill_null(False)
    paid_or_not_due = billed_now & (pl.col("paid_0").fill_null(False) | ~pl.col("overdue_0").fill_null(False))
    employer_paid = billed_now & ~(unpaid(0) & unpaid(1) & unpaid(2))
    lapsed = unpaid(0) & unpaid(1) & unpaid(2) & unpaid(3)
    segment = pl.col("segment")
    status = (
        pl.when(~billed_now & (segment != "pmi")).then(pl.lit(NOT_BILLED))
        .when(segment.is_in(["pu", "jakon"])).then(
            pl.when(employer_paid).then(pl.lit(PROTECTED)).otherwise(pl.lit(UNPAID)))
        .when(segment == "bpu").then(
            pl.when(paid_or_not_due).then(pl.lit(PROTECTED)).when(lapsed).then(pl.lit(LAPSED)).otherwise(pl.lit(UNPAID)))
        .otherwise(pl.lit(None))
    )  # fmt: skip
    frame = frame.with_columns(month=pl.lit(index, dtype=pl.Int64), status=status)
    pmi = frame.filter(segment == "pmi")
    if pmi.height:
        frame = frame.filter(segment != "pmi")
        pmi = _pmi(pmi.drop([c for c in pmi.columns if c[-2:] in ("_0", "_1", "_2", "_3")]), billed, index)
        frame = pl.concat([frame.select(pmi.columns), pmi])
    return frame.select(
        "membership_id", "person_id", "segment", "payer_kind", "district", "regency", "month", "status",
        (pl.col("status") == PROTECTED).alias("protected"),
    )  # fmt: skip


def _pmi(pmi: pl.DataFrame, billed: pl.DataFrame, index: int) -> pl.DataFrame:
    """Migrant workers: protected within the contract once the package of the start month is paid."""
    package = billed.rename({"month": "start_month"})
    frame = pmi.join(package, on=["payer_key", "start_month"], how="left")
    within = index < pl.col("start_month") + pl.col("contract_months").fill_null(0)
    ok = pl.col("billed").fill_null(False) & (pl.col("paid").fill_null(False) | ~pl.col("overdue").fill_null(False))
    status = pl.when(within & ok).then(pl.lit(PROTECTED)).otherwise(pl.lit(UNPAID))
    return frame.with_columns(month=pl.lit(index, dtype=pl.Int64), status=status).select(
        "membership_id", "person_id", "segment", "payer_kind", "payer_key", "district", "regency", "start_month",
        "contract_months", "month", "status",
    )  # fmt: skip


def membership_months(membership_id: int, first: Month, last: Month, *, as_of: date) -> list[tuple[Month, str]]:
    """The status of one membership for each month it ran in ``first`` .. ``last``."""
    members = memberships(connection).filter(pl.col("membership_id") == membership_id)
    frame = derive_status(first, last, as_of=as_of, members=members)
    if frame.height == 0:
        return []
    return [(Month.from_index(month), status) for month, status in frame.select("month", "status").iter_rows()]


# --- all memberships at once, as bit masks (for coverage) -------------------------------------------


def payer_rules(db: BaseDatabaseWrapper, as_of: date, first: Month, last: Month) -> pl.DataFrame:
    """Per payer, bit masks over the months ``first - 3`` .. ``last`` (bit ``k`` is month
    ``first - 3 + k``): ``billed`` (a bill exists), ``unpaid`` (billed, not paid and past due) and
    ``ok`` (billed, and paid or not yet due).

    Aggregated in the database: a few hundred thousand payers come back instead of millions of bills.
    A payer has at most one bill a month (a constraint), so summing the bits is or-ing them."""
    base = first.plus(-3)
    periods = [base.plus(k).first_day.isoformat() for k in range(last.index - base.index + 1)]
    bit = "CASE b.period " + " ".join(f"WHEN %s THEN {1 << k}" for k in range(len(periods))) + " ELSE 0 END"
    paid = "COALESCE(a.amount, 0) >= b.total + COALESCE(n.total, 0)"
    sql = (
        "SELECT x.payer_kind, x.payer_id, SUM(x.bit), "
        "SUM(CASE WHEN x.paid = 0 AND x.overdue = 1 THEN x.bit ELSE 0 END), "
        "SUM(CASE WHEN x.paid = 1 OR x.overdue = 0 THEN x.bit ELSE 0 END) "
        f"FROM (SELECT b.payer_kind, b.payer_id, {bit} AS bit, CASE WHEN {paid} THEN 1 ELSE 0 END AS paid, "
        "CASE WHEN b.due_date < %s THEN 1 ELSE 0 END AS overdue FROM contributions_bill b "
        "LEFT JOIN (SELECT bill_id, SUM(amount) AS amount FROM contributions_allocation GROUP BY bill_id) a "
        "ON a.bill_id = b.id "
        "LEFT JOIN (SELECT bill_id, SUM(total) AS total FROM contributions_adjustmentnote GROUP BY bill_id) n "
        "ON n.bill_id = b.id WHERE b.period >= %s AND b.period <= %s) x GROUP BY x.payer_kind, x.payer_id"
    )
    return query_frame(
        db, sql, [*periods, as_of.isoformat(), periods[0], periods[-1]],
        {"payer_kind": pl.String, "payer_id": pl.Int64, "billed": pl.Int64, "unpaid": pl.Int64, "ok": pl.Int64},
    )  # fmt: skip


def pmi_packages(db: BaseDatabaseWrapper, as_of: date) -> pl.DataFrame:
    """(payer_id, start_month, package_ok) of the bills of participants who are migrant workers:
    a migrant worker's package is the bill of their start month."""
    frame = query_frame(
        db,
        "SELECT b.payer_id, CAST(b.period AS TEXT), b.total + COALESCE((SELECT SUM(n.total) FROM "
        "contributions_adjustmentnote n WHERE n.bill_id = b.id), 0) <= COALESCE((SELECT SUM(a.amount) FROM "
        "contributions_allocation a WHERE a.bill_id = b.id), 0), b.due_date < %s FROM contributions_bill b "
        "WHERE b.payer_kind = 'participant' AND EXISTS (SELECT 1 FROM registry_membership m "
        "WHERE m.segment = 'pmi' AND m.person_id = b.payer_id)",
        [as_of.isoformat()],
        {"payer_id": pl.Int64, "period": pl.Date, "paid": pl.Boolean, "overdue": pl.Boolean},
    )  # fmt: skip
    return frame.select(
        "payer_id",
        (pl.col("period").dt.year() * 12 + pl.col("period").dt.month() - 1).cast(pl.Int64).alias("start_month"),
        (pl.col("paid") | ~pl.col("overdue")).alias("package_ok"),
    )


def protected_masks(first: Month, last: Month, *, as_of: date, db: BaseDatabaseWrapper | None = None) -> pl.DataFrame:
    """The same rules as ``derive_status`` for every membership, as one int64 per membership: bit
    ``k`` is set when the membership is protected in month ``first + k``.

    The rules are evaluated per payer (a few hundred thousand payers, aggregated by the database),
    then applied to each membership's running months with bit operations, so a province of a
    million memberships over twelve months takes seconds, not a twelve-million-row table."""
    db = db or connection
    months = last.index - first.index + 1
    if not 1 <= months <= 48:
        raise ValueError("between 1 and 48 months")  # 3 + 48 bits stay exact in the month arithmetic
    members = memberships(db)
    payers = payer_rules(db, as_of, first, last)
    window = (1 << months) - 1
    billed = payers["billed"].to_numpy()
    unpaid = payers["unpaid"].to_numpy()
    employer_rule = (billed & ~(unpaid & (unpaid << 1) & (unpaid << 2))) >> 3 & window
    paid_rule = payers["ok"].to_numpy() >> 3 & window
    payers = payers.select("payer_kind", "payer_id").with_columns(
        employer_rule=pl.Series(employer_rule, dtype=pl.Int64), paid_rule=pl.Series(paid_rule, dtype=pl.Int64)
    )
    frame = members.join(payers, on=["payer_kind", "payer_id"], how="left", maintain_order="left")
    start = frame["start_month"].to_numpy()
    end = frame["end_month"].fill_null(last.index).to_numpy()
    low = np.clip(start - first.index, 0, months)
    high = np.clip(end - first.index + 1, 0, months)
    running = np.where(high > low, ((1 << high) - 1) ^ ((1 << low) - 1), 0).astype(np.int64)
    segment = frame["segment"].to_numpy()
    employer_mask = frame["employer_rule"].fill_null(0).to_numpy()
    paid_mask = frame["paid_rule"].fill_null(0).to_numpy()
    # PMI: the contract months from the start, once the start month's package is paid (or not yet due)
    is_pmi = segment == "pmi"
    package = pmi_packages(db, as_of) if is_pmi.any() else pl.DataFrame(
        schema={"payer_id": pl.Int64, "start_month": pl.Int64, "package_ok": pl.Boolean})  # fmt: skip
    pmi = frame.select("payer_kind", "payer_id", "start_month", "contract_months").join(
        package.with_columns(payer_kind=pl.lit("participant")), on=["payer_kind", "payer_id", "start_month"],
        how="left", maintain_order="left",
    )  # fmt: skip
    ok = pmi["package_ok"].fill_null(False).to_numpy()
    contract_end = np.clip(start + pmi["contract_months"].fill_null(0).to_numpy() - first.index, 0, months)
    contract = np.where(contract_end > low, ((1 << contract_end) - 1) ^ ((1 << low) - 1), 0)
    protected = np.select(
        [np.isin(segment, ["pu", "jakon"]), segment == "bpu", is_pmi],
        [employer_mask, paid_mask, np.where(ok, contract, 0)],
        0,
    ).astype(np.int64)
    group = np.select(
        [np.isin(segment, ["pu", "jakon"]), frame["payer_kind"].to_numpy() == "sponsor"], ["employer", "budget"], "self"
    )
    return frame.select("membership_id", "person_id", "segment", "district", "regency").with_columns(
        payer_group=pl.Series(group), mask=pl.Series(protected & running, dtype=pl.Int64)
    )
