"""Synthetic payments for the synthetic province: a bank statement drawn from the issued bills,
posted through the statement import like a real one (for demonstrations and benchmarks).

Payer habits, by seed: most employers and projects pay by the due date, some a month or two late,
a few stop paying; most informal workers pay each month, some three months at a time, a few stop;
sponsor programs and migrant workers pay on time.
"""

from __future__ import annotations

import csv
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection

from jamsostek.contributions.services import StatementReport, payments_import
from jamsostek.core.bulk.frames import query_frame


def _draw(seed: int, key: str) -> float:
    """A stable number in [0, 1) for a payer and a seed."""
    return zlib.crc32(f"{seed}:{key}".encode()) / 2**32


def statement_rows(*, seed: int, as_of: date) -> list[tuple[str, str, int, date]]:
    bills = query_frame(
        connection,
        "SELECT id, reference, payer_key, payer_kind, CAST(period AS TEXT), CAST(due_date AS TEXT), total "
        "FROM contributions_bill ORDER BY period, id",
        [],
        {"id": pl.Int64, "reference": pl.String, "payer_key": pl.String, "payer_kind": pl.String,
         "period": pl.Date, "due_date": pl.Date, "total": pl.Int64},
    )  # fmt: skip
    last_period: date | None = bills["period"].max() if bills.height else None  # type: ignore[assignment]
    rows: list[tuple[str, str, int, date]] = []
    prepaid: dict[str, int] = {}
    for bill_id, reference, payer_key, kind, period, due, total in bills.iter_rows():
        habit = _draw(seed, payer_key)
        months_before_end = 0 if last_period is None else (
            (last_period.year - period.year) * 12 + last_period.month - period.month)  # fmt: skip
        if kind in ("employer", "project"):
            if habit < 0.04 and months_before_end < 4:
                continue  # stopped paying
            delay = 35 + int(_draw(seed, reference) * 40) if habit < 0.12 else -int(_draw(seed, reference) * 10)
        elif kind == "sponsor":
            delay = -5
        elif habit < 0.06 and months_before_end < 5:
            continue  # an informal worker who stopped paying
        elif habit < 0.25:  # pays three months at once
            if prepaid.get(payer_key, 0) > 0:
                prepaid[payer_key] -= 1
                continue
            prepaid[payer_key] = 2
            total *= 3
            delay = -3
        else:
            delay = -int(_draw(seed, reference) * 12)
        paid_on = min(due + timedelta(days=delay), as_of)
        if paid_on < period.replace(day=1) - timedelta(days=10) or due + timedelta(days=delay) > as_of:
            continue
        rows.append((f"SIM{seed}-{bill_id}", reference, int(total), paid_on))
    return rows


def simulate_payments(*, seed: int, as_of: date, directory: Path, actor: Any = None) -> StatementReport:
    """Write the synthetic statement and post it through ``payments_import``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"statement-seed{seed}-{as_of.isoformat()}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transaction_reference", "payment_reference", "amount", "paid_on"])
        for transaction_reference, reference, amount, paid_on in statement_rows(seed=seed, as_of=as_of):
            writer.writerow([transaction_reference, reference, amount, paid_on.isoformat()])
    return payments_import(actor=actor, path=path)
