"""Every write to contributions goes through these functions: billing runs (bills and their lines),
payments (one, or a bank statement), money on account used after a run, and adjustment notes.

Each takes the acting user (``None``: the system), asks the access policy (``accounts.policy``:
billing runs and payments are for province-wide editors), validates, writes through the bulk paths
of ``contributions.bulk`` and leaves audit records.
"""

from jamsostek.contributions.services.adjustments import adjust_billed
from jamsostek.contributions.services.billing import RunResult, billing_run, rules_version
from jamsostek.contributions.services.payments import (
    STATEMENT_COLUMNS,
    StatementReport,
    apply_credit,
    payment_record,
    payments_import,
)

__all__ = [
    "STATEMENT_COLUMNS",
    "RunResult",
    "StatementReport",
    "adjust_billed",
    "apply_credit",
    "billing_run",
    "payment_record",
    "payments_import",
    "rules_version",
]
