"""Recording the payment of an approved claim: the next payment of its schedule, with the bank's
reference and the day it was paid."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.claims.models import Claim, ClaimPayment, PaymentState, State
from jamsostek.claims.services.common import before, save_step
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.core.errors import Conflict, InvalidField


@transaction.atomic
def claim_pay(*, actor: Any, claim: Claim, bank_reference: str, paid_on: date, reason: str) -> ClaimPayment:
    """The next scheduled payment of ``claim`` was paid on ``paid_on`` (bank transfer ``bank_reference``),
    on or after the day it falls due. The claim is paid from its first payment; the later ones of a
    schedule (pension months, scholarship years) are recorded the same way when they fall due."""
    for_actor(actor).require_change(Action.PAY_CLAIMS, before=claim.place, after=claim.place)
    if claim.state not in (State.APPROVED, State.PAID):
        raise Conflict(_("only an approved claim is paid"), field="state", code="not_approved")
    reference = " ".join(bank_reference.split())
    if not reference:
        raise InvalidField(_("is required"), field="bank_reference", code="required")
    if len(reference) > 60:
        raise InvalidField(_("is longer than 60 characters"), field="bank_reference", code="too_long")
    if paid_on > timezone.localdate():
        raise InvalidField(_("must not be in the future"), field="paid_on")
    if claim.decided_on is not None and paid_on < claim.decided_on:
        raise InvalidField(_("is before the decision (%(date)s)") % {"date": claim.decided_on}, field="paid_on")
    payment = claim.payments.filter(state=PaymentState.SCHEDULED).order_by("sequence").first()
    if payment is None:
        raise Conflict(_("every scheduled payment of this claim has been paid"), field="state", code="nothing_due")
    if payment.due_on > paid_on:
        raise Conflict(_("the next payment is due on %(date)s") % {"date": payment.due_on}, field="paid_on",
                       code="not_due")  # fmt: skip
    if claim.payments.filter(state=PaymentState.PAID, bank_reference=reference).exists():
        raise Conflict(_("this bank reference is already recorded for this claim"), field="bank_reference",
                       code="duplicate")  # fmt: skip
    payment.state, payment.paid_on, payment.bank_reference = PaymentState.PAID, paid_on, reference
    payment.recorded_by_label = actor_label(actor)
    payment.save(update_fields=["state", "paid_on", "bank_reference", "recorded_by_label"])
    changes = {
        "state": [PaymentState.SCHEDULED, PaymentState.PAID],
        "paid_on": [None, paid_on.isoformat()],
        "amount": [None, payment.amount],
        "bank_reference": [None, reference],
        "claim": [None, claim.number],
    }
    audit_record(actor=actor, action="update", instance=payment, reason=reason, changes=changes)
    if claim.state == State.APPROVED:
        was = before(claim)
        claim.state, claim.paid_on = State.PAID, paid_on
        save_step(actor=actor, claim=claim, was=was, reason=reason)
    return payment
