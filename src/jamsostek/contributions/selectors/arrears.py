"""Arrears: what each payer still owes, by age, with the late-payment fine accruing on it.

Age of an unpaid bill on ``as_of``: *current* until its due date, then the started months of delay
(1, 2, 3 or more). Employers and projects accrue the fine of the rules (2% a month, 0.5% for the
PP 49/2020 months); informal workers and their sponsors accrue none. The fine shown is what would
be charged if the bill were paid in full on ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import connection

from jamsostek.accounts.policy import Action, for_user
from jamsostek.contributions.models import OPEN_BILL_SQL
from jamsostek.core.bulk.frames import query_frame
from jamsostek.core.kept import Kept
from jamsostek.rules.contributions import late_fine_rates
from jamsostek.rules.money import round_half_up
from jamsostek.rules.parameterset import default_parameters
from jamsostek.rules.periods import Month

BUCKETS = ("current", "1", "2", "3+")


@dataclass(frozen=True)
class ArrearsRow:
    payer_key: str
    payer_name: str
    payer_kind: str
    regency: str
    current: int
    one: int
    two: int
    three_plus: int
    outstanding: int
    accrued_fines: int
    oldest_unpaid: str


def ledger_stamp() -> tuple[object, ...]:
    """What the bills and what is paid on them look like: the largest ids of bills, allocations,
    adjustment notes and fines (rows are only ever added), read through their primary keys; and the
    employers' last change (a name, a regency, or whether it is a state body, which is never fined)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(id) FROM contributions_bill), (SELECT MAX(id) FROM contributions_allocation), "
            "(SELECT MAX(id) FROM contributions_adjustmentnote), (SELECT MAX(id) FROM contributions_fine), "
            "(SELECT MAX(updated_at) FROM registry_employer)"
        )
        row = cursor.fetchone()
    return tuple(row) if row else ()


_kept: Kept[list[ArrearsRow]] = Kept(64, ledger_stamp)


def arrears(*, visible_to: Any, as_of: date, regency: str | None = None) -> list[ArrearsRow]:
    """Every payer with something outstanding on ``as_of`` that the user may see (``regency``
    filters), largest outstanding first. Raises ``Forbidden`` for a role that sees no arrears.

    Kept per process while no bill, payment, note or fine is added (a province's arrears take
    seconds to work out; a page of them is then a slice)."""
    policy = for_user(visible_to)
    policy.require(Action.SEE_ARREARS)
    visible_regency = policy.regency_filter()
    rows, _kept_before = _kept.get((as_of, regency, visible_regency), lambda: _arrears(as_of, regency, visible_regency))
    return rows


def _arrears(as_of: date, regency: str | None, visible_regency: str | None) -> list[ArrearsRow]:
    # only the bills with something owed (each bill keeps the sums of its allocations and notes),
    # of the regency asked for, and the sums of only their lines: a province has millions of bills
    where, params = [OPEN_BILL_SQL], []
    for code in (regency, visible_regency):
        if code:
            where.append("b.regency_id = %s")
            params.append(code)
    bills = query_frame(
        connection,
        "SELECT b.id, b.payer_key, b.payer_name, b.payer_kind, b.regency_id, CAST(b.period AS TEXT), "
        "CAST(b.due_date AS TEXT), b.total + b.adjusted - b.allocated, "
        # per open bill through the lines' bill index (a join: PostgreSQL guessed a third of the
        # bills open, not 2%, and walked every line)
        "COALESCE((SELECT SUM(l.jkk + l.jkm) FROM contributions_billline l WHERE l.bill_id = b.id), 0), "
        "COALESCE((SELECT SUM(l.jht_employer + l.jht_worker + l.jp_employer + l.jp_worker) "
        "FROM contributions_billline l WHERE l.bill_id = b.id), 0), "
        # a state body's bills accrue no fine (it is not fined)
        "CASE WHEN e.state_body THEN 1 ELSE 0 END "
        "FROM contributions_bill b LEFT JOIN registry_employer e ON b.payer_kind = 'employer' AND e.id = b.payer_id "
        f"WHERE {' AND '.join(where)}",
        params,
        {"bill_id": pl.Int64, "payer_key": pl.String, "payer_name": pl.String, "payer_kind": pl.String,
         "regency": pl.String, "period": pl.Date, "due_date": pl.Date, "owed": pl.Int64, "jkk_jkm": pl.Int64,
         "jht_jp": pl.Int64, "state_body": pl.Int64},
    )  # fmt: skip
    if bills.height == 0:
        return []
    month_index = as_of.year * 12 + as_of.month - 1
    due_index = pl.col("due_date").dt.year() * 12 + pl.col("due_date").dt.month() - 1
    late = (
        pl.when(pl.col("due_date") >= as_of).then(0)
        .otherwise(month_index - due_index + (pl.lit(as_of.day) > pl.col("due_date").dt.day()).cast(pl.Int64))
    )  # fmt: skip
    bills = bills.with_columns(months_late=late.cast(pl.Int64))
    bills = bills.with_columns(accrued=_accrued(bills))
    bucket = (
        pl.when(pl.col("months_late") == 0).then(pl.lit("current"))
        .when(pl.col("months_late") == 1).then(pl.lit("1"))
        .when(pl.col("months_late") == 2).then(pl.lit("2")).otherwise(pl.lit("3+"))
    )  # fmt: skip
    bills = bills.with_columns(bucket=bucket)
    per_payer = (
        bills.group_by("payer_key", "payer_name", "payer_kind", "regency")
        .agg(
            *[pl.col("owed").filter(pl.col("bucket") == name).sum().alias(name) for name in BUCKETS],
            pl.col("owed").sum().alias("outstanding"),
            pl.col("accrued").sum().alias("accrued_fines"),
            pl.col("period").min().dt.to_string("%Y-%m").alias("oldest"),
        )
        .sort(["outstanding", "payer_key"], descending=[True, False])
    )
    return [
        ArrearsRow(key, name, kind, region, current, one, two, three, total, fines, oldest)
        for key, name, kind, region, current, one, two, three, total, fines, oldest in per_payer.iter_rows()
    ]


def _accrued(bills: pl.DataFrame) -> pl.Series:
    """The fine per bill if paid in full today: exact integer rounding, half up, per group of programs.
    Informal workers and their sponsors accrue none; a state body pays the share of the fine the rules
    give it (``fines.state_body_payable_share``: none, for every month encoded)."""
    fined = bills["payer_kind"].is_in(["employer", "project"]).to_list()
    state = (bills["state_body"] == 1).to_list()
    periods = bills["period"].to_list()
    late = bills["months_late"].to_list()
    first = bills["jkk_jkm"].to_list()
    second = bills["jht_jp"].to_list()
    rates: dict[Any, tuple[Any, Any, Any]] = {}
    amounts = []
    for is_fined, is_state, period, months, jkk_jkm, jht_jp in zip(
        fined, state, periods, late, first, second, strict=True
    ):
        if not is_fined or months == 0:
            amounts.append(0)
            continue
        if period not in rates:
            one, two, _ = late_fine_rates(Month.of(period))
            share = default_parameters().at("fines.state_body_payable_share", period).value
            rates[period] = (one, two, share)
        one, two, share = rates[period]
        if is_state:
            one, two = one * share, two * share
        amounts.append(round_half_up(jkk_jkm * one * months) + round_half_up(jht_jp * two * months))
    return pl.Series("accrued", amounts, dtype=pl.Int64)
