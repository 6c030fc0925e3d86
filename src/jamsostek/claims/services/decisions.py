"""The second pair of eyes: deciding a verified claim from the rules package, and correcting a
decision by a new one. A decision keeps the rules' answer whole (``claims.assessment``) and is never
changed afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.claims.assessment import Assessment, assess
from jamsostek.claims.models import Claim, ClaimDecision, ClaimPayment, Outcome, PaymentState, State
from jamsostek.claims.services.common import before, rules_errors, save_step
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.core.errors import Conflict, Forbidden, InvalidField


def _deciding(actor: Any, claim: Claim) -> None:
    for_actor(actor).require_change(Action.DECIDE_CLAIMS, before=claim.place, after=claim.place)
    if actor is not None and claim.verified_by_id is not None and claim.verified_by_id == getattr(actor, "pk", None):
        raise Forbidden(_("you verified this claim: another officer decides it"), field="state")


def _record(
    *,
    actor: Any,
    claim: Claim,
    found: Assessment,
    refusal: str,
    article: str,
    note: str,
    corrects: ClaimDecision | None,
    reason: str,
) -> ClaimDecision:
    """The decision and, when approved, its payments."""
    was = before(claim)
    refusal, article = " ".join(refusal.split()), " ".join(article.split())
    if refusal and not article:
        raise InvalidField(_("give the article the rejection rests on"), field="article", code="required")
    approved = found.eligible and not refusal
    sequence = (claim.decisions.aggregate(last=Max("sequence"))["last"] or 0) + 1
    decision = ClaimDecision.objects.create(
        claim=claim, sequence=sequence, corrects=corrects, outcome=Outcome.APPROVED if approved else Outcome.REJECTED,
        eligible=found.eligible, code="refused_by_officer" if found.eligible and refusal else found.code,
        reason=refusal if found.eligible and refusal else found.reason,
        legal_basis=article if found.eligible and refusal else found.legal_basis,
        total=found.total if approved else 0, lines=found.lines, heirs=found.heirs,
        inputs={**found.inputs, "rules_date": found.on.isoformat(), "details": found.details},
        parameters=found.parameters, warnings=found.warnings, confirmed=found.confirmed, note=note.strip(),
        decided_by=actor if getattr(actor, "pk", None) else None, decided_by_label=actor_label(actor),
        decided_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action="create", instance=decision, reason=reason, changes={
        "claim": [None, claim.number], "outcome": [None, decision.outcome], "code": [None, decision.code],
        "total": [None, decision.total], "corrects": [None, corrects.sequence if corrects else None]})  # fmt: skip
    if approved:
        first = (claim.payments.aggregate(last=Max("sequence"))["last"] or 0) + 1
        counted = {
            "program": claim.program,
            "regency_id": claim.regency_id,
            "segment": claim.segment,
            "payer": claim.payer,
            "sponsor_id": claim.sponsor_id,
        }  # what the statistics count it by
        ClaimPayment.objects.bulk_create(
            ClaimPayment(
                claim=claim, decision=decision, sequence=first + index, due_on=due, amount=amount, what=what, **counted
            )
            for index, (due, amount, what) in enumerate(found.schedule)
        )
    claim.state = State.APPROVED if approved else State.REJECTED
    claim.decided_on = timezone.localdate()
    save_step(actor=actor, claim=claim, was=was, reason=reason)
    return decision


@transaction.atomic
def claim_decide(
    *,
    actor: Any,
    claim: Claim,
    stated: Mapping[str, Any] | None = None,
    refusal: str = "",
    article: str = "",
    note: str = "",
    reason: str,
) -> ClaimDecision:
    """Decide a verified claim: the rules package says whether it is eligible and how much, line by
    line (``stated``: facts the officer adds, such as the JHT balance BPJS holds). Approved when
    eligible, with its payments scheduled; rejected with the rules' reason and article otherwise, or
    when the officer refuses an eligible claim (``refusal``, with the ``article`` it rests on). The
    officer who verified the claim may not decide it."""
    _deciding(actor, claim)
    if claim.state != State.VERIFIED:
        raise Conflict(_("only a verified claim is decided"), field="state", code="not_verified")
    with rules_errors():
        found = assess(claim, today=timezone.localdate(), stated=stated)
    return _record(actor=actor, claim=claim, found=found, refusal=refusal, article=article, note=note,
                   corrects=None, reason=reason)  # fmt: skip


@transaction.atomic
def claim_correct(
    *,
    actor: Any,
    claim: Claim,
    stated: Mapping[str, Any] | None = None,
    refusal: str = "",
    article: str = "",
    note: str,
    reason: str,
) -> ClaimDecision:
    """Correct a decision before its first payment: a new decision that names the one it corrects
    (which stays as it was); the payments the old one scheduled are cancelled."""
    _deciding(actor, claim)
    if claim.state not in (State.APPROVED, State.REJECTED):
        raise Conflict(_("only a decided claim not yet paid is corrected"), field="state", code="not_correctable")
    if not note.strip():
        raise InvalidField(_("say what the correction corrects"), field="note", code="required")
    latest = claim.decisions.order_by("-sequence").first()
    assert latest is not None
    cancelled = list(claim.payments.filter(state=PaymentState.SCHEDULED).values_list("sequence", flat=True))
    claim.payments.filter(state=PaymentState.SCHEDULED).update(state=PaymentState.CANCELLED)
    with rules_errors():
        found = assess(claim, today=timezone.localdate(), stated=stated)
    decision = _record(actor=actor, claim=claim, found=found, refusal=refusal, article=article, note=note,
                       corrects=latest, reason=reason)  # fmt: skip
    if cancelled:
        audit_record(actor=actor, action="update", instance=claim, reason=reason,
                     changes={"payments_cancelled": [cancelled, None]})  # fmt: skip
    return decision
