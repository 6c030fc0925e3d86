"""What every claim service shares: the claim's audited fields, saving a step with its audit record
and the claim's next deadline, and the rules' errors as domain errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from jamsostek.claims.models import Claim
from jamsostek.claims.service_levels import next_deadline
from jamsostek.core.audit import save_audited, snapshot
from jamsostek.core.errors import from_rules
from jamsostek.rules.errors import RulesError

CLAIM_FIELDS = (
    "number", "origin", "program", "state", "person", "nik", "kpj", "membership", "segment", "payer", "sponsor",
    "employer", "regency", "protection", "event_date", "event_kind", "cause", "event_description", "event_place",
    "claimant_nik", "claimant_name", "claimant_relation", "relatives", "facts", "submitted_on", "complete_on",
    "verified_by", "decided_on", "paid_on", "due_on", "due_what",
)  # fmt: skip
T = TypeVar("T")


def before(claim: Claim) -> dict[str, Any]:
    """The claim's audited values before a step."""
    return snapshot(claim, CLAIM_FIELDS)


def save_step(*, actor: Any, claim: Claim, was: dict[str, Any] | None, reason: str) -> Claim:
    """Save the claim with its next deadline and record what the step changed (``was``: its values
    before the step, None for a new claim)."""
    claim.due_on, claim.due_what = next_deadline(claim)
    save_audited(actor=actor, instance=claim, fields=CLAIM_FIELDS, before=was, reason=reason)
    return claim


@contextmanager
def rules_errors() -> Iterator[None]:
    """A rules error (a value the rules refuse) as the domain error naming the field."""
    try:
        yield
    except RulesError as error:
        raise from_rules(error) from None


def with_rules(call: Callable[[], T]) -> T:
    with rules_errors():
        return call()
