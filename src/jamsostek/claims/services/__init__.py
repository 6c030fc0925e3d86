"""Every write to claims goes through these functions (pages, the API, the back office, the
commands and the synthetic data alike). Each takes the acting user (``None``: the system itself)
and a reason, validates, asks the access policy (``accounts.policy``: the actions of claim work),
writes and leaves an audit record.

- taking a claim in (``Action.TAKE_CLAIMS``): ``claim_submit``, ``claim_update``,
  ``claim_document_receive``;
- checking the documents and verifying (``VERIFY_CLAIMS``): ``claim_document_verify``,
  ``claim_document_return``, ``claim_verify``;
- deciding, not by the verifier (``DECIDE_CLAIMS``): ``claim_decide``, ``claim_correct``;
- paying (``PAY_CLAIMS``): ``claim_pay``;
- historical claims in bulk (``IMPORT_FILES`` and ``PAY_CLAIMS``): ``claims_import`` (row by row,
  or the whole-file fast path).
"""

from jamsostek.claims.services.decisions import claim_correct, claim_decide
from jamsostek.claims.services.imports import claims_import
from jamsostek.claims.services.intake import claim_document_receive, claim_submit, claim_update
from jamsostek.claims.services.payments import claim_pay
from jamsostek.claims.services.review import claim_document_return, claim_document_verify, claim_verify

__all__ = [
    "claim_correct",
    "claim_decide",
    "claim_document_receive",
    "claim_document_return",
    "claim_document_verify",
    "claim_pay",
    "claim_submit",
    "claim_update",
    "claim_verify",
    "claims_import",
]
