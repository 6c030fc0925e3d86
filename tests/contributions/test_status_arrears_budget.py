"""Protection status from bills and payments, arrears with accruing fines, sponsor budgets."""

from __future__ import annotations

from datetime import date

import pytest

from jamsostek.accounts.models import Role
from jamsostek.accounts.policy import ACTIONS, SYSTEM, Policy, Reach
from jamsostek.contributions.models import Bill
from jamsostek.contributions.selectors import arrears, cohort_cost, sponsor_budgets
from jamsostek.contributions.selectors.status import derive_status, membership_months, reference_status
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.rules.periods import Month
from tests.contributions.conftest import Billed

MONTHS = [Month(2025, 3), Month(2025, 4), Month(2025, 5), Month(2025, 6)]


def officer_of(regency: str) -> Policy:
    """What a regency officer of ``regency`` may do."""
    return Policy(reach=Reach(regency=regency), actions=ACTIONS[Role.REGENCY_OFFICER], sees_nik=False)


def bill_all(months: list[Month] = MONTHS) -> None:
    for month in months:
        billing_run(actor=None, period=month)


def statuses(membership_id: int, as_of: date) -> dict[str, str]:
    """One membership's months, as the fast derivation, the month-by-month reference and the
    one-membership path (the API's) all say (they must agree)."""
    answers = []
    for derive in (derive_status, reference_status):
        frame = derive(MONTHS[0], MONTHS[-1], as_of=as_of)
        rows = frame.filter(frame["membership_id"] == membership_id).select("month", "status").iter_rows()
        answers.append({str(Month.from_index(month)): status for month, status in rows})
    alone = membership_months(membership_id, MONTHS[0], MONTHS[-1], as_of=as_of)
    answers.append({str(month): status for month, status in alone})
    assert answers[0] == answers[1] == answers[2]
    return answers[0]


def pay(payer_key: str, month: Month, amount: int, on: date, reference: str) -> None:
    bill = Bill.objects.get(payer_key=payer_key, period=month.first_day)
    payment_record(actor=None, transaction_reference=reference, payment_reference=bill.reference, amount=amount,
                   paid_on=on)  # fmt: skip


def test_a_wage_earner_is_unprotected_after_three_unpaid_months(billed: Billed) -> None:
    bill_all()
    world = billed.world
    result = statuses(world.pu.pk, as_of=date(2025, 7, 20))
    # March, April, May and June unpaid and overdue: the third unpaid month is the first unprotected one
    assert result == {"2025-03": "protected", "2025-04": "protected", "2025-05": "unpaid", "2025-06": "unpaid"}
    pay(f"employer:{world.company.pk}", Month(2025, 4), 410_800, date(2025, 7, 1), "P1")
    result = statuses(world.pu.pk, as_of=date(2025, 7, 20))
    assert result["2025-05"] == "protected"
    assert result["2025-06"] == "protected"


def test_an_informal_worker_is_protected_in_paid_months_and_lapses_after_more_than_three(billed: Billed) -> None:
    bill_all()
    key = f"participant:{billed.farmer.pk}"
    assert statuses(billed.bpu.pk, as_of=date(2025, 7, 20)) == {
        "2025-03": "unpaid", "2025-04": "unpaid", "2025-05": "unpaid", "2025-06": "lapsed",
    }  # fmt: skip
    pay(key, Month(2025, 3), 3 * 36_800, date(2025, 3, 10), "P2")  # three months at once
    result = statuses(billed.bpu.pk, as_of=date(2025, 7, 20))
    assert result == {"2025-03": "protected", "2025-04": "protected", "2025-05": "protected", "2025-06": "unpaid"}


def test_a_month_not_yet_due_counts_as_protected_for_an_informal_worker(billed: Billed) -> None:
    bill_all([Month(2025, 6)])
    assert statuses(billed.bpu.pk, as_of=date(2025, 6, 10)) == {
        "2025-03": "not billed", "2025-04": "not billed", "2025-05": "not billed", "2025-06": "protected",
    }  # fmt: skip


def test_a_migrant_worker_is_protected_for_the_contract_once_the_package_is_paid(billed: Billed) -> None:
    bill_all()
    assert set(statuses(billed.pmi.pk, as_of=date(2025, 7, 20)).values()) == {"unpaid"}
    pay(f"participant:{billed.migrant.pk}", Month(2025, 3), 370_000, date(2025, 3, 12), "P3")
    assert set(statuses(billed.pmi.pk, as_of=date(2025, 7, 20)).values()) == {"protected"}


def test_arrears_age_and_accrue_the_fine(billed: Billed) -> None:
    bill_all(MONTHS[:3])
    rows = {row.payer_key: row for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20))}
    company = rows[f"employer:{billed.world.company.pk}"]
    # March due 15 Apr (3 months late on 20 Jun), April due 15 May (2), May due 16 Jun (1)
    assert (company.current, company.one, company.two, company.three_plus) == (0, 410_800, 410_800, 410_800)
    # 2% a month on JKK+JKM (62,800) and on JHT+JP (348,000): 6% + 4% + 2%
    assert company.accrued_fines == (3_768 + 20_880) + (2_512 + 13_920) + (1_256 + 6_960)
    farmer = rows[f"participant:{billed.farmer.pk}"]
    assert farmer.accrued_fines == 0  # informal workers pay no fine
    assert farmer.outstanding == 3 * 36_800
    assert arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20), regency="61.01")
    assert all(row.regency == "61.01" for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20), regency="61.01"))


def test_arrears_leave_out_what_is_paid_and_other_regencies(billed: Billed) -> None:
    """A bill paid in full is not in arrears, a partly paid one shows what is left, and a regency
    shows only its own payers (both filters are applied by the database)."""
    bill_all(MONTHS[:2])
    farmer = f"participant:{billed.farmer.pk}"
    pay(farmer, Month(2025, 3), 36_800, date(2025, 3, 10), "A1")  # March in full
    pay(farmer, Month(2025, 4), 10_000, date(2025, 4, 10), "A2")  # April in part
    rows = {row.payer_key: row for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20))}
    assert rows[farmer].outstanding == 36_800 - 10_000
    assert rows[farmer].oldest_unpaid == "2025-04"
    regency = Bill.objects.get(payer_key=farmer, period=MONTHS[0].first_day).regency_id
    elsewhere = "61.02" if regency != "61.02" else "61.03"
    assert farmer in {row.payer_key for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20), regency=regency)}
    assert farmer not in {
        row.payer_key for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20), regency=elsewhere)
    }
    assert farmer not in {row.payer_key for row in arrears(visible_to=officer_of(elsewhere), as_of=date(2025, 6, 20))}
    pay(farmer, Month(2025, 4), 36_800 - 10_000, date(2025, 5, 1), "A3")
    assert farmer not in {row.payer_key for row in arrears(visible_to=SYSTEM, as_of=date(2025, 6, 20))}


def test_a_sponsor_budget_shows_billed_paid_and_outstanding(billed: Billed) -> None:
    bill_all(MONTHS[:2])
    pay(f"sponsor:{billed.sponsor.pk}", Month(2025, 3), 16_800, date(2025, 3, 10), "P4")
    budget = next(b for b in sponsor_budgets(visible_to=SYSTEM, today=date(2025, 4, 20)) if b.code == "PROV-2025")
    assert (budget.enrolled, budget.active_today, budget.billed, budget.paid, budget.outstanding) == (
        1, 1, 33_600, 16_800, 16_800)  # fmt: skip


def test_a_cohort_costs_the_package_month_by_month() -> None:
    assert cohort_cost(workers=100, months=6, first_month=Month(2025, 1)).total == 100 * 6 * 16_800
    with_jht = cohort_cost(workers=10, months=12, first_month=Month(2025, 1), with_jht=True)
    assert with_jht.per_worker == 12 * 36_800
    across = cohort_cost(workers=1, months=6, first_month=Month(2020, 11))  # three PP 49/2020 months at 1%
    assert across.per_worker == 3 * 168 + 3 * 16_800


def test_the_bit_masks_agree_with_the_month_by_month_status(billed: Billed) -> None:
    from jamsostek.contributions.selectors.status import protected_masks

    bill_all()
    world = billed.world
    pay(f"employer:{world.company.pk}", Month(2025, 4), 410_800, date(2025, 7, 1), "M1")
    pay(f"participant:{billed.farmer.pk}", Month(2025, 3), 2 * 36_800, date(2025, 3, 10), "M2")
    pay(f"participant:{billed.migrant.pk}", Month(2025, 3), 370_000, date(2025, 3, 12), "M3")
    as_of = date(2025, 7, 20)
    detailed = reference_status(MONTHS[0], MONTHS[-1], as_of=as_of)
    fast = derive_status(MONTHS[0], MONTHS[-1], as_of=as_of)
    columns = ["membership_id", "month", "status", "protected", "person_id", "segment", "district"]
    assert fast.select(columns).sort("membership_id", "month").rows() == detailed.select(columns).sort(
        "membership_id", "month").rows()  # fmt: skip
    masks = dict(protected_masks(MONTHS[0], MONTHS[-1], as_of=as_of).select("membership_id", "mask").iter_rows())
    checked = 0
    for membership_id, month, protected in detailed.select("membership_id", "month", "protected").iter_rows():
        bit = (masks[membership_id] >> (month - MONTHS[0].index)) & 1
        assert bool(bit) == protected, (membership_id, Month.from_index(month))
        checked += 1
    assert checked == detailed.height > 20
    assert {bin(mask).count("1") for mask in masks.values()} != {0}


def test_a_migrant_package_billed_long_before_the_months_asked_still_protects(billed: Billed) -> None:
    bill_all([Month(2025, 3)])  # the package: billed with the start month, March 2025
    pay(f"participant:{billed.migrant.pk}", Month(2025, 3), 370_000, date(2025, 3, 12), "P9")
    later = [Month(2025, 9), Month(2025, 10)]  # six months on: the package is outside the three months before
    for derive in (derive_status, reference_status):
        frame = derive(later[0], later[-1], as_of=date(2025, 11, 1))
        rows = frame.filter(frame["membership_id"] == billed.pmi.pk).select("month", "status").rows()
        assert [(str(Month.from_index(month)), status) for month, status in rows] == [
            ("2025-09", "protected"), ("2025-10", "protected")], derive.__name__  # fmt: skip
    alone = membership_months(billed.pmi.pk, later[0], later[-1], as_of=date(2025, 11, 1))
    assert [status for _month, status in alone] == ["protected", "protected"]


def test_the_sqlite_month_offset_is_exact_for_every_month_from_1900_to_2300() -> None:
    """``month_offset_sql`` (days / 30.4375, rounded) against the calendar, up to 63 months apart."""
    import sqlite3

    from jamsostek.contributions.selectors.status import month_offset_sql

    months = [Month.from_index(index) for index in range(Month(1900, 1).index, Month(2300, 12).index + 1)]
    with sqlite3.connect(":memory:") as raw:
        raw.execute("CREATE TABLE m (i integer, day text)")
        raw.executemany("INSERT INTO m VALUES (?, ?)", [(month.index, month.first_day.isoformat()) for month in months])
        wrong, pairs = raw.execute(
            f"SELECT SUM({month_offset_sql('b.day', 'a.day')} <> b.i - a.i), COUNT(*) FROM m a JOIN m b "
            "ON b.i BETWEEN a.i AND a.i + 63"
        ).fetchone()
    assert pairs > 300_000
    assert wrong == 0


def test_on_sqlite_the_payers_bills_are_read_from_their_index_alone(billed: Billed) -> None:
    """Every bill column the per-payer rules read is in ``bill_payer_months`` (migration 0003)."""
    from django.db import connection

    from jamsostek.contributions.selectors.status import payer_rules_query

    if connection.vendor != "sqlite":
        pytest.skip("the index is SQLite's (see the migration)")
    sql, params = payer_rules_query(connection, date(2025, 6, 20), Month(2025, 1), Month(2025, 6))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING COVERING INDEX bill_payer_months" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # in payer order: no sorting for the grouping
