"""Every read of contributions goes through these functions; each takes the user (``visible_to``)
and applies what the access policy lets them see: bills, payments, fines and adjustment notes of
their reach, arrears and sponsor budgets for roles that see them, and the protection status that
coverage is computed from.

``visible_to`` may also be a policy: the commands read as the system (``accounts.policy.SYSTEM``).
"""

from jamsostek.contributions.selectors.arrears import ArrearsRow, arrears
from jamsostek.contributions.selectors.bills import adjustment_list, bill_get, bill_list, fine_list, payment_list
from jamsostek.contributions.selectors.budgets import (
    CohortCost,
    SponsorBudget,
    cohort_cost,
    sponsor_budgets,
    sponsor_paid_by_year,
)
from jamsostek.contributions.selectors.due_dates import StaleDueDate, stale_due_dates
from jamsostek.contributions.selectors.status import membership_months, protected_masks

__all__ = [
    "ArrearsRow",
    "CohortCost",
    "SponsorBudget",
    "StaleDueDate",
    "adjustment_list",
    "arrears",
    "bill_get",
    "bill_list",
    "cohort_cost",
    "fine_list",
    "membership_months",
    "payment_list",
    "protected_masks",
    "sponsor_budgets",
    "sponsor_paid_by_year",
    "stale_due_dates",
]
