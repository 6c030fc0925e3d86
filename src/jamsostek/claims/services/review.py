"""The first pair of eyes: checking each document, returning a wrong one, verifying the claim."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.claims.checklists import label
from jamsostek.claims.models import Claim, ClaimDocument, DocumentState, State
from jamsostek.claims.services.common import before, save_step
from jamsostek.claims.services.intake import document_of, follow_checklist
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.core.errors import Conflict, InvalidField

REVIEWABLE = (State.SUBMITTED, State.COMPLETE)


def _reviewing(actor: Any, claim: Claim) -> None:
    for_actor(actor).require_change(Action.VERIFY_CLAIMS, before=claim.place, after=claim.place)
    if claim.state not in REVIEWABLE:
        raise Conflict(_("the claim's documents have been verified"), field="state", code="verified")


@transaction.atomic
def claim_document_verify(*, actor: Any, claim: Claim, kind: str, reason: str) -> ClaimDocument:
    """The officer has checked the received file of one checklist item against the original."""
    _reviewing(actor, claim)
    document = document_of(claim, kind)
    if document.state != DocumentState.RECEIVED:
        raise Conflict(_("only a received document can be verified"), field="kind", code="not_received")
    document.state, document.verified_by_label = DocumentState.VERIFIED, actor_label(actor)
    document.save(update_fields=["state", "verified_by_label"])
    changes = {"state": [DocumentState.RECEIVED, DocumentState.VERIFIED], "claim": [None, claim.number]}
    audit_record(actor=actor, action="update", instance=document, reason=reason, changes=changes)
    return document


@transaction.atomic
def claim_document_return(*, actor: Any, claim: Claim, kind: str, note: str, reason: str) -> ClaimDocument:
    """A received or verified document is not the right one: it is missing again, with the reason
    given to the claimant (``note``); the claim's documents are no longer complete."""
    _reviewing(actor, claim)
    document = document_of(claim, kind)
    if document.state == DocumentState.MISSING:
        raise Conflict(_("this document has not been received"), field="kind", code="missing")
    note = " ".join(note.split())
    if not note:
        raise InvalidField(_("say what is wrong with the document"), field="note", code="required")
    was = document.state
    document.state, document.note, document.verified_by_label = DocumentState.MISSING, note[:300], ""
    document.save(update_fields=["state", "note", "verified_by_label"])
    audit_record(actor=actor, action="update", instance=document, reason=reason,
                 changes={"state": [was, DocumentState.MISSING], "note": [None, document.note],
                          "claim": [None, claim.number]})  # fmt: skip
    was_claim = before(claim)
    follow_checklist(claim)
    save_step(actor=actor, claim=claim, was=was_claim, reason=reason)
    return document


@transaction.atomic
def claim_verify(*, actor: Any, claim: Claim, reason: str) -> Claim:
    """Every required document is verified: the claim is verified, and the officer who did it may
    not decide it (``claim_decide``)."""
    _reviewing(actor, claim)
    waiting = [d for d in claim.documents.all() if d.required and d.state != DocumentState.VERIFIED]
    if claim.state != State.COMPLETE or waiting:
        names = ", ".join(label(d.kind) for d in waiting)
        raise Conflict(_("documents not yet verified: %(names)s") % {"names": names}, field="documents",
                       code="documents_not_verified")  # fmt: skip
    was = before(claim)
    claim.state = State.VERIFIED
    claim.verified_at = timezone.now()
    claim.verified_by = actor if getattr(actor, "pk", None) else None
    claim.verified_by_label = actor_label(actor)
    return save_step(actor=actor, claim=claim, was=was, reason=reason)
