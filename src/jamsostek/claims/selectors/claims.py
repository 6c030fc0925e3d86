"""Reads of claims that depend on the reader: the claims of their reach (a regency officer their
regency's, an agency administrator their staff's), one claim with its documents, decisions,
payments and deadlines, the overdue ones, and a document's file for those who handle claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet

from jamsostek.accounts.policy import Action, for_user
from jamsostek.claims import storage
from jamsostek.claims.models import OPEN_STATES, Claim, ClaimDecision, ClaimDocument, ClaimPayment
from jamsostek.claims.service_levels import Clock, clocks
from jamsostek.core.bulk.reading import Column
from jamsostek.core.errors import Forbidden, NotFound


def claim_list(
    *,
    visible_to: Any,
    state: str | None = None,
    program: str | None = None,
    origin: str | None = None,
    search: str | None = None,
    overdue_on: date | None = None,
) -> QuerySet[Claim]:
    """The claims the user may see, newest first (``overdue_on``: the open ones with a deadline
    before that day, earliest deadline first)."""
    policy = for_user(visible_to)
    claims = Claim.objects.select_related("regency", "person")
    claims = policy.visible(claims) if policy.may(Action.SEE_CLAIMS) else claims.none()
    if state:
        claims = claims.filter(state=state)
    if program:
        claims = claims.filter(program=program)
    if origin:
        claims = claims.filter(origin=origin)
    if search:
        text = search.strip()
        claims = claims.filter(nik=text) if text.isdigit() and len(text) == 16 else claims.filter(number=text)
    if overdue_on is not None:
        return claims.filter(state__in=OPEN_STATES, due_on__lt=overdue_on).order_by("due_on", "id")
    return claims.order_by("-submitted_on", "-id")


def claim_get(*, visible_to: Any, pk: int) -> Claim:
    try:
        return claim_list(visible_to=visible_to).get(pk=pk)
    except Claim.DoesNotExist:
        raise NotFound() from None


def open_counts(*, visible_to: Any) -> dict[str, int]:
    """How many claims the user may see wait in each open state (the queues)."""
    counts: dict[str, int] = dict.fromkeys((str(state) for state in OPEN_STATES), 0)
    rows = claim_list(visible_to=visible_to).filter(state__in=OPEN_STATES).values_list("state", flat=True)
    for state in rows.order_by():
        counts[state] += 1
    return counts


@dataclass(frozen=True)
class ClaimFile:
    """A claim with what belongs to it, as the pages and the API show it."""

    claim: Claim
    documents: list[ClaimDocument]
    decisions: list[ClaimDecision]
    payments: list[ClaimPayment]
    clocks: list[Clock]
    nik: str
    claimant_nik: str


def claim_file(*, visible_to: Any, pk: int) -> ClaimFile:
    """One claim with its documents, decisions, payments and deadlines; NIKs as the user may see them."""
    claim = claim_get(visible_to=visible_to, pk=pk)
    policy = for_user(visible_to)
    documents = list(claim.documents.all())
    return ClaimFile(
        claim=claim, documents=documents, decisions=list(claim.decisions.all()), payments=list(claim.payments.all()),
        clocks=clocks(claim, documents), nik=policy.nik(claim.nik),
        claimant_nik=policy.nik(claim.claimant_nik) if claim.claimant_nik else "",
    )  # fmt: skip


def import_columns() -> tuple[Column, ...]:
    """The columns of a historical claims file (what each means, the aliases it accepts)."""
    from jamsostek.claims.bulk import COLUMNS

    return COLUMNS


def document_file(*, visible_to: Any, claim_pk: int, document_pk: int) -> tuple[Path, ClaimDocument]:
    """The stored file of a claim's document, for users who handle claim documents (the others are
    refused with 403; a claim they may not see does not exist for them)."""
    claim = claim_get(visible_to=visible_to, pk=claim_pk)
    if not for_user(visible_to).may(Action.SEE_CLAIM_DOCUMENTS):
        raise Forbidden()
    document = claim.documents.filter(pk=document_pk).exclude(Q(file="")).first()
    if document is None:
        raise NotFound()
    path = storage.path_of(document.file)
    if not path.exists():
        raise NotFound()
    return path, document
