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

from jamsostek.contributions.bulk.billing import payer_keys
from jamsostek.contributions.models import OPEN_BILL_SQL
from jamsostek.core.bulk.frames import concurrently, query_frame
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


_MEMBERSHIP_COLUMNS = {
    "membership_id": pl.Int64, "person_id": pl.Int64, "segment": pl.String, "employer_id": pl.Int64,
    "sponsor_id": pl.Int64, "project_id": pl.Int64, "start": pl.Date, "end": pl.Date, "contract_months": pl.Int64,
}  # fmt: skip
_MEMBERSHIP_SELECT = (
    "SELECT m.id, m.person_id, m.segment, m.employer_id, m.sponsor_id, m.project_id, CAST(m.start_date AS TEXT), "
    "CAST(m.end_date AS TEXT), m.contract_months"
)


def memberships(db: BaseDatabaseWrapper, membership_id: int | None = None) -> pl.DataFrame:
    """Every membership (or one) with its payer, months and where its person lives."""
    if membership_id is None:
        rows, places = concurrently(db, _membership_rows, _places)
        return _placed(rows, places)
    frame = query_frame(
        db,
        _MEMBERSHIP_SELECT + ", p.region_id FROM registry_membership m "
        "JOIN registry_person p ON p.id = m.person_id WHERE m.id = %s",
        [membership_id],
        {**_MEMBERSHIP_COLUMNS, "district": pl.String},
    )
    return _with_payers(frame)


def _membership_rows(db: BaseDatabaseWrapper) -> pl.DataFrame:
    return query_frame(db, _MEMBERSHIP_SELECT + " FROM registry_membership m", [], _MEMBERSHIP_COLUMNS, bulk=True)


def _places(db: BaseDatabaseWrapper) -> pl.DataFrame:
    """The district each person lives in (read apart from the memberships and joined here: faster
    than the database's join of two million-row tables, and read at the same time)."""
    return query_frame(
        db, "SELECT p.id, p.region_id FROM registry_person p", [], {"person_id": pl.Int64, "district": pl.String},
        bulk=True,
    )  # fmt: skip


def _placed(rows: pl.DataFrame, places: pl.DataFrame) -> pl.DataFrame:
    """Membership rows with where their person lives, their payer and their months."""
    return _with_payers(rows.join(places, on="person_id", how="left", maintain_order="left"))


def _with_payers(frame: pl.DataFrame) -> pl.DataFrame:
    """With payer (kind and id), months, and the regency (the district code's first five
    characters, as ``Region.regency_code``: the person's regency is derived from their district)."""
    return payer_keys(frame, key=False).with_columns(
        regency=pl.col("district").str.slice(0, 5),
        start_month=(pl.col("start").dt.year() * 12 + pl.col("start").dt.month() - 1).cast(pl.Int64),
        end_month=(pl.col("end").dt.year() * 12 + pl.col("end").dt.month() - 1).cast(pl.Int64),
    )


def reference_status(
    first: Month, last: Month, *, as_of: date, db: BaseDatabaseWrapper | None = None,
    members: pl.DataFrame | None = None,
) -> pl.DataFrame:  # fmt: skip
    """The rules written out month by month (joins on each month and the three before it): the
    reference the fast ``derive_status`` and ``protected_masks`` are held to by the tests. Same
    rows as ``derive_status``."""
    db = db or connection
    members = payer_keys(memberships(db) if members is None else members)
    states = bill_states(db, as_of, first, last)
    billed = states.select("payer_key", "month", pl.lit(True).alias("billed"), "paid", "overdue")
    starts = members.filter(pl.col("segment") == "pmi")["start_month"]
    oldest = Month.from_index(int(starts.min())) if starts.len() else first  # type: ignore[arg-type]
    packages = bill_states(db, as_of, min(oldest, first).plus(3), last)  # a package may be older than ``first``
    packages = packages.select("payer_key", "month", pl.lit(True).alias("billed"), "paid", "overdue")
    frames = []
    for index in range(first.index, last.index + 1):
        running = members.filter(
            (pl.col("start_month") <= index) & (pl.col("end_month").is_null() | (pl.col("end_month") >= index))
        )
        frames.append(_month(running, billed, packages, index))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames)


def _month(running: pl.DataFrame, billed: pl.DataFrame, packages: pl.DataFrame, index: int) -> pl.DataFrame:
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
        pmi = _pmi(pmi.drop([c for c in pmi.columns if c[-2:] in ("_0", "_1", "_2", "_3")]), packages, index)
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
    frame = derive_status(first, last, as_of=as_of, members=memberships(connection, membership_id))
    if frame.height == 0:
        return []
    return [(Month.from_index(month), status) for month, status in frame.select("month", "status").iter_rows()]


# --- all memberships at once, as bit masks (for coverage) -------------------------------------------


def payer_rules(
    db: BaseDatabaseWrapper, as_of: date, first: Month, last: Month, payers: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per payer, bit masks over the months ``first - 3`` .. ``last`` (bit ``k`` is month
    ``first - 3 + k``): ``billed`` (a bill exists), ``unpaid`` (billed, not paid and past due) and
    ``ok`` (billed, and paid or not yet due: the billed months that are not unpaid). ``payers``
    (payer_kind, payer_id): only these.

    Aggregated in the database, from the bills alone (each bill keeps the sums of its allocations and
    adjustment notes): a few hundred thousand payers come back instead of millions of bills. A payer
    has at most one bill a month (a constraint), so summing the bits is or-ing them. On SQLite the
    bills are read from their ``bill_payer_months`` index alone, in payer order."""
    sql, params = payer_rules_query(db, as_of, first, last, payers)
    frame = query_frame(
        db, sql, params,
        {"payer_kind": pl.String, "payer_id": pl.Int64, "billed": pl.Int64, "unpaid": pl.Int64}, bulk=True,
    )  # fmt: skip
    return frame.with_columns(ok=pl.col("billed") & ~pl.col("unpaid"))


def payer_rules_query(
    db: BaseDatabaseWrapper, as_of: date, first: Month, last: Month, payers: pl.DataFrame | None = None
) -> tuple[str, list[object]]:
    """The SQL of ``payer_rules`` and its parameters."""
    base = first.plus(-3)
    periods = [base.plus(k).first_day.isoformat() for k in range(last.index - base.index + 1)]
    bit_params: list[object]
    source = "contributions_bill b"
    if db.vendor == "sqlite":
        bit, bit_params = f"(1 << {month_offset_sql('b.period', '%s')})", [periods[0]]
        # named: with statistics from before the index, SQLite's planner took the regency index
        # and sorted (10.5 s on the benchmark province instead of 2.4 s)
        source += " INDEXED BY bill_payer_months"
    else:
        bit = "CASE b.period " + " ".join(f"WHEN %s THEN {1 << k}" for k in range(len(periods))) + " ELSE 0 END"
        bit_params = list(periods)
    chosen, params = _payer_filter(payers)
    sql = (
        f"SELECT b.payer_kind, b.payer_id, CAST(SUM({bit}) AS BIGINT), "
        f"CAST(SUM(CASE WHEN {OPEN_BILL_SQL} AND b.due_date < %s THEN {bit} ELSE 0 END) AS BIGINT) "
        f"FROM {source} WHERE b.period >= %s AND b.period <= %s"
        + (f" AND {chosen}" if chosen else "") + " GROUP BY b.payer_kind, b.payer_id"
    )  # fmt: skip
    return sql, [*bit_params, as_of.isoformat(), *bit_params, periods[0], periods[-1], *params]


def month_offset_sql(column: str, base: str) -> str:
    """SQLite: the number of months from the month of ``base`` to that of ``column`` (both texts
    'YYYY-MM-01'): the days between them / 30.4375, rounded. Exact for every first of a month from
    1900 to 2300 and up to 63 months apart (the worst error is 0.12 of a month; see the tests),
    and three times cheaper than cutting the texts into years and months."""
    return f"CAST(round((julianday({column}) - julianday({base})) / 30.4375) AS INTEGER)"


FEW_PAYERS = 200  # up to this many payers, the queries name them; beyond, they read every payer


def _payer_filter(payers: pl.DataFrame | None) -> tuple[str, list[object]]:
    """An SQL condition on ``b`` naming ``payers`` (kind, id), or nothing when they are many."""
    if payers is None:
        return "", []
    pairs = payers.select("payer_kind", "payer_id").unique().rows()
    if not pairs or len(pairs) > FEW_PAYERS:
        return ("1 = 0", []) if not pairs else ("", [])
    condition = "(" + " OR ".join(["(b.payer_kind = %s AND b.payer_id = %s)"] * len(pairs)) + ")"
    return condition, [value for pair in pairs for value in pair]


def pmi_packages(db: BaseDatabaseWrapper, as_of: date, payers: pl.DataFrame | None = None) -> pl.DataFrame:
    """(payer_id, start_month, package_ok) of the bills of participants who are migrant workers:
    a migrant worker's package is the bill of their start month."""
    chosen, params = _payer_filter(payers)
    if db.vendor == "sqlite":  # from the migrant workers to their bills, through the payer key's index
        source = ("(SELECT DISTINCT m.person_id FROM registry_membership m WHERE m.segment = 'pmi') p "
                  "JOIN contributions_bill b ON b.payer_key = 'participant:' || p.person_id")  # fmt: skip
    else:  # PostgreSQL's semi-join over the bills is faster than the index there
        source = ("contributions_bill b WHERE b.payer_kind = 'participant' AND EXISTS (SELECT 1 FROM "
                  "registry_membership m WHERE m.segment = 'pmi' AND m.person_id = b.payer_id)")  # fmt: skip
    frame = query_frame(
        db,
        "SELECT b.payer_id, CAST(b.period AS TEXT), b.allocated >= b.total + b.adjusted, b.due_date < %s "
        f"FROM {source}" + (f" {'WHERE' if db.vendor == 'sqlite' else 'AND'} {chosen}" if chosen else ""),
        [as_of.isoformat(), *params],
        {"payer_id": pl.Int64, "period": pl.Date, "paid": pl.Boolean, "overdue": pl.Boolean}, bulk=True,
    )  # fmt: skip
    return frame.select(
        "payer_id",
        (pl.col("period").dt.year() * 12 + pl.col("period").dt.month() - 1).cast(pl.Int64).alias("start_month"),
        (pl.col("paid") | ~pl.col("overdue")).alias("package_ok"),
    )


def _masks(
    first: Month, last: Month, as_of: date, db: BaseDatabaseWrapper, members: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, dict[str, np.ndarray]]:
    """Each membership's months in ``first`` .. ``last`` as int64 bit masks (bit ``k``: month
    ``first + k``): ``running``, and where it runs, what its payer's bills say: ``billed``,
    ``employer`` (not three unpaid months in a row), ``ok`` (paid or not yet due), ``lapsed`` (four
    unpaid months in a row) and, for migrant workers, ``contract`` (the contract months once the
    package is paid or not yet due). The frame is ``members`` (default: every membership) joined
    with their payer."""
    months = last.index - first.index + 1
    if not 1 <= months <= 48:
        raise ValueError("between 1 and 48 months")  # 3 + 48 bits stay exact in the month arithmetic
    if members is None:  # the whole province: memberships, places, payers and packages read at once
        rows, places, payers, package = concurrently(
            db, _membership_rows, _places, lambda own: payer_rules(own, as_of, first, last),
            lambda own: pmi_packages(own, as_of),
        )  # fmt: skip
        members = _placed(rows, places)
    else:
        few = members if members.height <= FEW_PAYERS else None
        payers = payer_rules(db, as_of, first, last, few)
        package = pmi_packages(db, as_of, few)
    window = (1 << months) - 1
    billed = payers["billed"].to_numpy()
    unpaid = payers["unpaid"].to_numpy()
    payers = payers.select("payer_kind", "payer_id").with_columns(
        billed_rule=pl.Series(billed >> 3 & window, dtype=pl.Int64),
        employer_rule=pl.Series((billed & ~(unpaid & (unpaid << 1) & (unpaid << 2))) >> 3 & window, dtype=pl.Int64),
        ok_rule=pl.Series(payers["ok"].to_numpy() >> 3 & window, dtype=pl.Int64),
        lapsed_rule=pl.Series(
            (unpaid & (unpaid << 1) & (unpaid << 2) & (unpaid << 3)) >> 3 & window, dtype=pl.Int64
        ),
    )  # fmt: skip
    frame = members.join(payers, on=["payer_kind", "payer_id"], how="left", maintain_order="left")
    start = frame["start_month"].to_numpy()
    end = frame["end_month"].fill_null(last.index).to_numpy()
    low = np.clip(start - first.index, 0, months)
    high = np.clip(end - first.index + 1, 0, months)
    running = np.where(high > low, ((1 << high) - 1) ^ ((1 << low) - 1), 0).astype(np.int64)
    # migrant workers (a few percent): their package is the participant's bill of the start month
    pmi_rows = np.flatnonzero((frame["segment"] == "pmi").to_numpy())
    pmi = frame[pmi_rows].select("payer_kind", "payer_id", "start_month", "contract_months").join(
        package.with_columns(payer_kind=pl.lit("participant")), on=["payer_kind", "payer_id", "start_month"],
        how="left", maintain_order="left",
    )  # fmt: skip
    ok = pmi["package_ok"].fill_null(False).to_numpy()
    contract_end = np.clip(start[pmi_rows] + pmi["contract_months"].fill_null(0).to_numpy() - first.index, 0, months)
    pmi_low = low[pmi_rows]
    contract = np.zeros(frame.height, dtype=np.int64)
    contract[pmi_rows] = np.where(ok & (contract_end > pmi_low), ((1 << contract_end) - 1) ^ ((1 << pmi_low) - 1), 0)
    masks = {"running": running, "contract": contract}
    for name in ("billed", "employer", "ok", "lapsed"):
        masks[name] = frame[f"{name}_rule"].fill_null(0).to_numpy()
    return frame, masks


def _segment_codes(frame: pl.DataFrame) -> np.ndarray:
    """0 PU or Jakon (employer rule), 1 BPU (paid rule), 2 PMI (package), 3 anything else."""
    codes = frame["segment"].replace_strict({"pu": 0, "jakon": 0, "bpu": 1, "pmi": 2}, default=3, return_dtype=pl.Int8)
    return codes.fill_null(3).to_numpy()


STATUS = pl.Enum([PROTECTED, UNPAID, LAPSED, NOT_BILLED])
_PROTECTED, _UNPAID, _LAPSED, _NOT_BILLED = range(4)
_NAMES = {_PROTECTED: PROTECTED, _UNPAID: UNPAID, _LAPSED: LAPSED, _NOT_BILLED: NOT_BILLED}  # -1: no status


def derive_status(
    first: Month, last: Month, *, as_of: date, db: BaseDatabaseWrapper | None = None,
    members: pl.DataFrame | None = None,
) -> pl.DataFrame:  # fmt: skip
    """One row per membership and month it runs in, from ``first`` to ``last``: (membership_id,
    person_id, segment, payer_kind, district, regency, month (index), status, protected); the texts
    are categories, the status an enum.

    The rules are evaluated per payer as bit masks (``_masks``) and read out month by month."""
    db = db or connection
    frame, masks = _masks(first, last, as_of, db, members)
    kind = _segment_codes(frame)
    # a province is ten million membership-months: the repeated texts are held as categories (4
    # bytes a row instead of 16 or more), which halves the table's memory
    columns = frame.select(
        "membership_id", "person_id", *(pl.col(name).cast(pl.Categorical) for name in
                                        ("segment", "payer_kind", "district", "regency")),
    )  # fmt: skip
    months = []
    for offset in range(last.index - first.index + 1):

        def bit(name: str, offset: int = offset) -> np.ndarray:
            set_: np.ndarray = (masks[name] >> offset) & 1 == 1
            return set_

        status = np.select(
            [kind == 2, ~bit("billed"), kind == 0, bit("ok"), bit("lapsed")],
            [np.where(bit("contract"), _PROTECTED, _UNPAID), _NOT_BILLED,
             np.where(bit("employer"), _PROTECTED, _UNPAID), _PROTECTED, _LAPSED],
            _UNPAID,
        )  # fmt: skip
        status = np.where((kind == 3) & bit("billed"), -1, status)  # no rule for the segment: no status
        running = bit("running")
        codes = pl.Series("code", status[running], dtype=pl.Int8)
        months.append(columns.filter(pl.Series(running)).with_columns(
            month=pl.lit(first.index + offset, dtype=pl.Int64),
            status=codes.replace_strict(_NAMES, default=None, return_dtype=STATUS),
            protected=pl.Series(status[running] == _PROTECTED),
        ))  # fmt: skip
    if not months:
        return pl.DataFrame()
    return pl.concat(months, rechunk=False)


def protected_masks(first: Month, last: Month, *, as_of: date, db: BaseDatabaseWrapper | None = None) -> pl.DataFrame:
    """The same rules as ``derive_status`` for every membership, as one int64 per membership: bit
    ``k`` is set when the membership is protected in month ``first + k``.

    The rules are evaluated per payer (a few hundred thousand payers, aggregated by the database),
    then applied to each membership's running months with bit operations, so a province of a
    million memberships over twelve months takes seconds, not a twelve-million-row table."""
    db = db or connection
    frame, masks = _masks(first, last, as_of, db)
    kind = _segment_codes(frame)
    protected = np.select(
        [kind == 0, kind == 1, kind == 2], [masks["employer"], masks["ok"], masks["contract"]], 0
    ).astype(np.int64)
    group = (
        pl.when(pl.Series(kind == 0)).then(pl.lit("employer"))
        .when(pl.col("payer_kind") == "sponsor").then(pl.lit("budget")).otherwise(pl.lit("self"))
    )  # fmt: skip
    return frame.select(
        "membership_id", "person_id", "segment", "district", "regency", payer_group=group,
        mask=pl.Series(protected & masks["running"], dtype=pl.Int64),
    )  # fmt: skip
