"""Taking a claim in: registering it with its checklist, receiving its documents, correcting its
facts before it is verified."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, Policy, for_actor
from jamsostek.claims import assessment, storage
from jamsostek.claims import facts as registry_facts
from jamsostek.claims.checklists import checklist
from jamsostek.claims.models import (
    EVENT_KINDS,
    WORK_CAUSES,
    Cause,
    Claim,
    ClaimDocument,
    DocumentState,
    Program,
    State,
)
from jamsostek.claims.services.common import before, rules_errors, save_step
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.core.errors import Conflict, InvalidField, NotFound
from jamsostek.core.places import Place
from jamsostek.registry.models import Person
from jamsostek.registry.nik import parse_nik
from jamsostek.rules.benefits import Relative

FACTS = ("months", "percentage", "function_loss", "costs", "balance", "retirement_age", "average_indexed_wage")
"""What a claim may state for the rules (see ``assessment``)."""
RELATIVE_KEYS = ("relation", "name", "nik", "birth_date", "married", "employed", "deceased", "level", "year")
PARTICIPANT = "participant"
EDITABLE = frozenset({"cause", "event_description", "event_place", "claimant_nik", "claimant_name",
                      "claimant_relation", "relatives", "facts"})  # fmt: skip


def clean_event(program: str, event_kind: str, cause: str, event_date: date, submitted_on: date) -> None:
    """The program, the event and its cause fit together, and the dates are possible."""
    if program not in Program.values:
        raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(Program.values)}, field="program")
    if event_kind not in EVENT_KINDS[program]:
        raise InvalidField(_("%(program)s is claimed for: %(choices)s")
                           % {"program": program.upper(), "choices": ", ".join(EVENT_KINDS[program])},
                           field="event_kind")  # fmt: skip
    if cause and cause not in Cause.values:
        raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(Cause.values)}, field="cause")
    if program == Program.JKK and cause not in WORK_CAUSES:
        raise InvalidField(_("JKK is for an accident at work, on the way to or from it, or an occupational disease"),
                           field="cause")  # fmt: skip
    if program == Program.JKM and cause in WORK_CAUSES:
        raise InvalidField(_("a death caused by work is claimed under JKK"), field="cause")
    if event_date > submitted_on:
        raise InvalidField(_("is after the claim's date"), field="event_date")


def clean_claimant(person: Person, relation: str, nik: str, name: str) -> tuple[str, str, str]:
    """(relation, NIK, name) of who claims: the participant, or a relative with their NIK."""
    relation = (relation or PARTICIPANT).strip().lower()
    if relation == PARTICIPANT:
        return relation, person.nik, person.name
    with rules_errors():
        relation = Relative(relation=relation, name=name or "-").relation
    parse_nik(nik)
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidField(_("is required"), field="claimant_name", code="required")
    return relation, nik.strip(), name[:150]


def clean_relatives(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The declared relatives, each one the rules accept (relation, name, dates, school level)."""
    cleaned = []
    for item in items:
        if not isinstance(item, Mapping):
            raise InvalidField(_("each relative is an object with a relation and a name"), field="relatives")
        unknown = set(item) - set(RELATIVE_KEYS)
        if unknown:
            raise InvalidField(_("unknown key %(key)s") % {"key": sorted(unknown)[0]}, field="relatives")
        if item.get("nik"):
            parse_nik(str(item["nik"]))
        cleaned.append({key: item[key].isoformat() if isinstance(item[key], date) else item[key]
                        for key in RELATIVE_KEYS if item.get(key) not in (None, "")})  # fmt: skip
    probe = Claim(relatives=cleaned)
    with rules_errors():
        assessment.relatives(probe)
        assessment.children(probe)
    return cleaned


def clean_facts(given: Mapping[str, Any] | None) -> dict[str, Any]:
    facts = dict(given or {})
    unknown = set(facts) - set(FACTS)
    if unknown:
        raise InvalidField(_("unknown fact %(key)s; known: %(known)s") % {"key": sorted(unknown)[0],
                           "known": ", ".join(FACTS)}, field="facts")  # fmt: skip
    return facts


def _participant(policy: Policy, nik: str) -> Person:
    facts = parse_nik(nik)
    person = policy.visible(Person.objects.filter(nik=facts.nik)).first()
    if person is None:
        raise NotFound(_("no registered participant with this NIK that you may see"), field="nik")
    return person


@transaction.atomic
def claim_submit(
    *,
    actor: Any,
    nik: str,
    program: str,
    event_date: date,
    event_kind: str,
    cause: str = "",
    event_description: str = "",
    event_place: str = "",
    claimant_relation: str = PARTICIPANT,
    claimant_nik: str = "",
    claimant_name: str = "",
    relatives: Sequence[Mapping[str, Any]] = (),
    facts: Mapping[str, Any] | None = None,
    submitted_on: date | None = None,
    reason: str,
) -> Claim:
    """A new claim for the participant with ``nik``, after an event of ``event_kind`` on
    ``event_date``: the membership it falls under and the protection on that date are found from the
    registry and the contributions; its documents start missing, per the program's checklist."""
    today = timezone.localdate()
    submitted = submitted_on or today
    if submitted > today:
        raise InvalidField(_("must not be in the future"), field="submitted_on")
    clean_event(program, event_kind, cause, event_date, submitted)
    policy = for_actor(actor)
    policy.require(Action.TAKE_CLAIMS)
    person = _participant(policy, nik)
    membership = registry_facts.membership_for(person, program, event_date)
    place = Place(region=membership.regency_id if membership else person.regency_id,
                  employer=membership.employer_id if membership else None)  # fmt: skip
    policy.require_change(Action.TAKE_CLAIMS, before=None, after=place, field="nik")
    relation, claimant, name = clean_claimant(person, claimant_relation, claimant_nik, claimant_name)
    duplicate = _same_event(person, program, event_kind, event_date).first()
    if duplicate is not None:
        raise Conflict(_("this event is already claimed (claim %(number)s)") % {"number": duplicate.number},
                       field="event_date", code="duplicate")  # fmt: skip
    claim = Claim(
        number=f"new-{uuid.uuid4().hex}", program=program, person=person, nik=person.nik, kpj=person.kpj or "",
        membership=membership, segment=membership.segment if membership else "",
        payer=membership.payer if membership else "", sponsor_id=membership.sponsor_id if membership else None,
        employer_id=place.employer, regency_id=place.region or person.regency_id,
        protection=registry_facts.protection_on(membership, event_date, as_of=today),
        event_date=event_date, event_kind=event_kind, cause=cause, event_description=event_description.strip(),
        event_place=event_place.strip()[:200], claimant_relation=relation, claimant_nik=claimant,
        claimant_name=name, relatives=clean_relatives(relatives), facts=clean_facts(facts), submitted_on=submitted,
    )  # fmt: skip
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:  # the same event claimed at the same moment
        raise Conflict(_("this event is already claimed"), field="event_date", code="duplicate") from None
    claim.number = f"KL-{submitted.year}-{claim.pk:07d}"
    ClaimDocument.objects.bulk_create(
        ClaimDocument(claim=claim, kind=kind, required=required) for kind, required in checklist(program, event_kind,
                                                                                                  cause)
    )  # fmt: skip
    return save_step(actor=actor, claim=claim, was=None, reason=reason)


def _same_event(person: Person, program: str, event_kind: str, event_date: date) -> QuerySet[Claim]:
    """The claims of the same event: the same participant, program, event and day; and a death is
    claimed under JKK (caused by work) or JKM (not), never both."""
    programs = (Program.JKK, Program.JKM) if event_kind == "death" and program in (Program.JKK, Program.JKM) else (
        program,)  # fmt: skip
    return Claim.objects.filter(person=person, program__in=programs, event_kind=event_kind, event_date=event_date,
                                origin="intake")  # fmt: skip


@transaction.atomic
def claim_update(*, actor: Any, claim: Claim, reason: str, **changes: Any) -> Claim:
    """Correct what the claim states (cause, description, place, claimant, relatives, facts) while it
    is not yet verified. A verified claim is not edited; a decided one is corrected by a new
    decision (``claim_correct``)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidField(_("cannot be changed here"), field=sorted(unknown)[0], code="not_editable")
    for_actor(actor).require_change(Action.TAKE_CLAIMS, before=claim.place, after=claim.place)
    if claim.origin != "intake" or claim.state not in (State.SUBMITTED, State.COMPLETE):
        raise Conflict(_("a verified or decided claim is not edited; a decision is corrected by a new decision"),
                       field="state", code="not_editable")  # fmt: skip
    was = before(claim)
    cause = changes.get("cause", claim.cause)
    clean_event(claim.program, claim.event_kind, cause, claim.event_date, claim.submitted_on)
    claim.cause = cause
    for name in ("event_description", "event_place"):
        if name in changes:
            setattr(claim, name, str(changes[name]).strip()[: 200 if name == "event_place" else None])
    if {"claimant_relation", "claimant_nik", "claimant_name"} & set(changes):
        assert claim.person is not None
        claim.claimant_relation, claim.claimant_nik, claim.claimant_name = clean_claimant(
            claim.person, changes.get("claimant_relation", claim.claimant_relation),
            changes.get("claimant_nik", claim.claimant_nik), changes.get("claimant_name", claim.claimant_name),
        )  # fmt: skip
    if "relatives" in changes:
        claim.relatives = clean_relatives(changes["relatives"])
    if "facts" in changes:
        claim.facts = clean_facts(changes["facts"])
    follow_checklist(claim)
    return save_step(actor=actor, claim=claim, was=was, reason=reason)


def follow_checklist(claim: Claim) -> None:
    """The documents of the claim's checklist now (a changed cause may ask for more), and its state:
    documents complete when every required one has been received."""
    wanted = dict(checklist(claim.program, claim.event_kind, claim.cause))
    kept = {document.kind: document for document in claim.documents.all()}
    for kind, required in wanted.items():
        if kind not in kept:
            kept[kind] = ClaimDocument.objects.create(claim=claim, kind=kind, required=required)
        elif kept[kind].required != required:
            ClaimDocument.objects.filter(pk=kept[kind].pk).update(required=required)
            kept[kind].required = required
    for kind, document in kept.items():
        if kind not in wanted and document.required:
            ClaimDocument.objects.filter(pk=document.pk).update(required=False)
            document.required = False
    complete = all(d.state != DocumentState.MISSING for d in kept.values() if d.required)
    if complete and claim.state == State.SUBMITTED:
        claim.state, claim.complete_on = State.COMPLETE, timezone.localdate()
    elif not complete and claim.state == State.COMPLETE:
        claim.state, claim.complete_on = State.SUBMITTED, None


def document_of(claim: Claim, kind: str) -> ClaimDocument:
    document = claim.documents.filter(kind=kind).first()
    if document is None:
        raise InvalidField(_("is not on this claim's checklist"), field="kind")
    return document


@transaction.atomic
def claim_document_receive(
    *, actor: Any, claim: Claim, kind: str, data: bytes, name: str = "", reason: str
) -> ClaimDocument:
    """Receive the file of one checklist item (a PDF, JPEG or PNG of at most 5 MB); when every
    required document has been received, the claim's documents are complete."""
    for_actor(actor).require_change(Action.TAKE_CLAIMS, before=claim.place, after=claim.place)
    if claim.origin != "intake" or claim.state not in (State.SUBMITTED, State.COMPLETE):
        raise Conflict(_("the claim's documents have been verified; nothing more is received"), field="state",
                       code="verified")  # fmt: skip
    document = document_of(claim, kind)
    if document.state == DocumentState.VERIFIED:
        raise Conflict(_("this document has been verified"), field="kind", code="verified")
    upload = storage.check(data)
    was = {"state": document.state, "file": document.file, "sha256": document.sha256}
    document.file = storage.store(claim.pk, kind, data, upload)
    document.original_name = (name or f"{kind}.{upload.extension}")[-200:]
    document.content_type, document.size, document.sha256 = upload.content_type, upload.size, upload.sha256
    document.state, document.received_on = DocumentState.RECEIVED, timezone.localdate()
    document.received_by_label = actor_label(actor)
    document.note = ""
    document.save()
    audit_record(actor=actor, action="update", instance=document, reason=reason, changes={
        "state": [was["state"], document.state], "file": [was["file"] or None, document.file],
        "sha256": [was["sha256"] or None, document.sha256], "claim": [None, claim.number]})  # fmt: skip
    was_claim = before(claim)
    follow_checklist(claim)
    save_step(actor=actor, claim=claim, was=was_claim, reason=reason)
    return document
