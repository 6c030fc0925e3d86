"""The claims' REST endpoints: taking a claim in, its documents, verification, decision,
correction and payment, and the statistics of benefits paid. Reads go through the selectors
(scoped to the user), writes through the services (validated, checked against the access policy,
audited); NIKs are masked unless the role sees them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from jamsostek.accounts.nik_log import Disclosures
from jamsostek.accounts.policy import for_user
from jamsostek.claims import selectors, services
from jamsostek.claims.checklists import checklist, label
from jamsostek.claims.models import EVENT_KINDS, Claim, ClaimDecision, ClaimDocument, ClaimPayment
from jamsostek.claims.selectors import ClaimFile
from jamsostek.claims.service_levels import Clock
from jamsostek.claims.storage import MAX_BYTES
from jamsostek.core.api import READ, READ_ONE, WRITE, RecordId, errors
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import InvalidField
from jamsostek.core.paging import Page, PageQuery, page

router = Router(tags=["claims"])


class RelativeIn(Schema):
    relation: str = Field(description="spouse, child, parent, grandchild, grandparent, sibling, parent_in_law, "
                          "named_in_will (Indonesian names accepted: istri, suami, anak, ayah, ibu...)")  # fmt: skip
    name: str
    nik: str | None = None
    birth_date: date | None = None
    married: bool = False
    employed: bool = False
    deceased: bool = False
    level: str | None = Field(None, description="a child's school level this year: tk_sd, smp, sma, higher, none")
    year: int | None = Field(None, description="a child's year of study at that level (1 = first)")


class ClaimIn(Schema):
    nik: str = Field(description="the participant's NIK (registered)")
    program: str = Field(description="jkk, jkm, jht, jp, jkp or scholarship")
    event_date: date
    event_kind: str = Field(
        description="death, temporary_incapacity, total_disability, partial_disability, costs, age, old_age, "
        "resignation, termination, contract_end, leaving_indonesia, retirement"
    )
    cause: str = Field("", description="work_accident, road_accident, occupational_disease, illness, other")
    event_description: str = ""
    event_place: str = ""
    claimant_relation: str = Field("participant", description="participant, or the claimant's relation")
    claimant_nik: str = ""
    claimant_name: str = ""
    relatives: list[RelativeIn] = Field(default_factory=list, description="heirs and children")
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description="for the rules: months (of incapacity), percentage, function_loss (exact decimals as text), "
        "costs {medical, transport_land, ...}, balance (JHT or JP lump sum), retirement_age, average_indexed_wage",
    )
    submitted_on: date | None = Field(None, description="default: today")
    reason: str = Field(description="why: kept in the audit record")


class ReasonIn(Schema):
    reason: str


class ReturnIn(Schema):
    note: str = Field(description="what is wrong with the document, for the claimant")
    reason: str


class DecisionIn(Schema):
    facts: dict[str, Any] = Field(default_factory=dict, description="facts the officer adds (as ClaimIn.facts)")
    refusal: str = Field("", description="to reject a claim the rules find eligible: why")
    article: str = Field("", description="the article a refusal rests on")
    note: str = ""
    reason: str


class CorrectionIn(DecisionIn):
    note: str = Field(description="what the correction corrects")


class BenefitPaymentIn(Schema):
    bank_reference: str
    paid_on: date
    reason: str


class ClaimOut(Schema):
    id: int
    number: str
    origin: str
    program: str
    state: str
    nik: str = Field(description="masked (first 6 and last 2 digits) unless the role needs the NIK")
    participant: str
    regency: str
    segment: str
    event_date: date
    event_kind: str
    submitted_on: date
    due_on: date | None = Field(description="the earliest deadline still running")
    due_what: str


class DocumentOut(Schema):
    id: int
    kind: str
    label: str
    required: bool
    state: str
    file_name: str
    size: int
    received_on: date | None
    note: str


class DecisionOut(Schema):
    sequence: int
    corrects: int | None = Field(description="the decision this one corrects (its number)")
    outcome: str
    eligible: bool
    code: str
    reason: str
    legal_basis: str
    total: int
    lines: list[dict[str, Any]] = Field(description="item, amount, reference, confirmed, explanation")
    heirs: dict[str, Any] | None
    inputs: dict[str, Any]
    parameters: dict[str, Any] = Field(description="the value, start and citation of each parameter in force")
    warnings: list[str]
    confirmed: bool
    decided_by: str
    decided_at: Any


class BenefitPaymentOut(Schema):
    sequence: int
    what: str
    due_on: date
    amount: int
    state: str
    paid_on: date | None
    bank_reference: str


class ClockOut(Schema):
    key: str
    label: str
    due: date
    done: date | None
    status: str = Field(description="met, late, overdue or running")
    source: str
    confirmed: bool


class ClaimDetailOut(ClaimOut):
    cause: str
    event_description: str
    event_place: str
    claimant_relation: str
    claimant_nik: str
    claimant_name: str
    membership_id: int | None
    payer: str
    sponsor: str | None
    protection: str = Field(description="the membership's status on the event date when the claim was taken in")
    relatives: list[dict[str, Any]]
    facts: dict[str, Any]
    verified_by: str
    documents: list[DocumentOut]
    decisions: list[DecisionOut]
    payments: list[BenefitPaymentOut]
    deadlines: list[ClockOut]


class StatisticsRowOut(Schema):
    key: str = Field(description="program, regency code, month YYYY-MM, segment, or sponsor program code / payer")
    cases: int = Field(description="distinct claims with a payment in the year")
    amount: int = Field(description="rupiah paid in the year")


class TotalsOut(Schema):
    cases: int
    amount: int


class StatisticsOut(Schema):
    year: int
    region: str
    by: str
    rows: list[StatisticsRowOut]
    totals: TotalsOut


class YearOut(Schema):
    year: int
    cases: int
    amount: int


class SponsorYearOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    year: int
    contributions_paid: int = Field(description="rupiah the program paid for its participants' contributions")
    benefits: int = Field(description="rupiah of benefits paid to its participants' claims")
    cases: int


class ChecklistOut(Schema):
    kind: str
    label: str
    required: bool


def _claims(request: HttpRequest, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """Claims as the user may see them; the full NIKs of registered participants shown are recorded
    (``accounts.nik_log``), one insert for the answer."""
    shown = Disclosures(request.user, f"api:{request.path}")
    items = [_claim(request, claim, shown) for claim in claims]
    shown.save()
    return items


def _claim(request: HttpRequest, claim: Claim, shown: Disclosures) -> dict[str, Any]:
    nik = shown.nik(claim.person_id, claim.nik) if claim.person_id else shown.policy.nik(claim.nik)
    return {
        "id": claim.pk, "number": claim.number, "origin": claim.origin, "program": claim.program,
        "state": claim.state, "nik": nik,
        "participant": claim.person.name if claim.person else "", "regency": claim.regency_id,
        "segment": claim.segment, "event_date": claim.event_date, "event_kind": claim.event_kind,
        "submitted_on": claim.submitted_on, "due_on": claim.due_on, "due_what": claim.due_what,
    }  # fmt: skip


def _document(document: ClaimDocument) -> dict[str, Any]:
    return {"id": document.pk, "kind": document.kind, "label": label(document.kind), "required": document.required,
            "state": document.state, "file_name": document.original_name, "size": document.size,
            "received_on": document.received_on, "note": document.note}  # fmt: skip


def _decision(decision: ClaimDecision, numbers: dict[int, int]) -> dict[str, Any]:
    return {
        "sequence": decision.sequence, "corrects": numbers.get(decision.corrects_id or 0),
        "outcome": decision.outcome, "eligible": decision.eligible, "code": decision.code, "reason": decision.reason,
        "legal_basis": decision.legal_basis, "total": decision.total, "lines": decision.lines,
        "heirs": decision.heirs, "inputs": decision.inputs, "parameters": decision.parameters,
        "warnings": decision.warnings, "confirmed": decision.confirmed, "decided_by": decision.decided_by_label,
        "decided_at": decision.decided_at,
    }  # fmt: skip


def _payment(payment: ClaimPayment) -> dict[str, Any]:
    return {"sequence": payment.sequence, "what": payment.what, "due_on": payment.due_on, "amount": payment.amount,
            "state": payment.state, "paid_on": payment.paid_on, "bank_reference": payment.bank_reference}  # fmt: skip


def _clock(clock: Clock, today: date) -> dict[str, Any]:
    return {"key": clock.key, "label": clock.label, "due": clock.due, "done": clock.done,
            "status": clock.status(today), "source": clock.source, "confirmed": clock.confirmed}  # fmt: skip


def detail(request: HttpRequest, found: ClaimFile) -> dict[str, Any]:
    """A claim with everything that belongs to it, NIKs as the user may see them."""
    claim, policy, today = found.claim, for_user(request.user), timezone.localdate()
    numbers = {decision.pk: decision.sequence for decision in found.decisions}
    relatives = [{**item, "nik": policy.nik(item["nik"])} if item.get("nik") else item for item in claim.relatives]
    return {
        **_claims(request, [claim])[0], "cause": claim.cause, "event_description": claim.event_description,
        "event_place": claim.event_place, "claimant_relation": claim.claimant_relation,
        "claimant_nik": found.claimant_nik, "claimant_name": claim.claimant_name,
        "membership_id": claim.membership_id, "payer": claim.payer,
        "sponsor": claim.sponsor.code if claim.sponsor else None, "protection": claim.protection,
        "relatives": relatives, "facts": claim.facts, "verified_by": claim.verified_by_label,
        "documents": [_document(d) for d in found.documents],
        "decisions": [_decision(d, numbers) for d in found.decisions],
        "payments": [_payment(p) for p in found.payments],
        "deadlines": [_clock(c, today) for c in found.clocks],
    }  # fmt: skip


def _detail(request: HttpRequest, claim_id: RecordId) -> dict[str, Any]:
    return detail(request, selectors.claim_file(visible_to=request.user, pk=claim_id))


# --- statistics (before /{claim_id}) -------------------------------------------------------------


@router.get(
    "/statistics",
    response={200: StatisticsOut, **errors(400, *READ)},
    summary="Cases and rupiah paid in a year, by program, regency, month, segment or sponsor program",
)
def statistics(request: HttpRequest, year: int, region: str = PROVINCE, by: str = "program") -> dict[str, Any]:
    figures = selectors.statistics(visible_to=request.user, year=year, region=region, by=by)
    return {"year": figures.year, "region": figures.region, "by": figures.by, **figures.as_json()}


@router.get("/statistics/years", response={200: list[YearOut], **errors(400, *READ)},
            summary="Cases and rupiah paid in each year")  # fmt: skip
def statistics_years(request: HttpRequest, region: str = PROVINCE) -> list[Any]:
    return list(selectors.years(visible_to=request.user, region=region))


@router.get("/statistics/sponsors", response={200: list[SponsorYearOut], **errors(400, *READ)},
            summary="Per sponsor program and year: contributions paid against benefits received")  # fmt: skip
def statistics_sponsors(request: HttpRequest, region: str = PROVINCE) -> list[Any]:
    return list(selectors.sponsors(visible_to=request.user, region=region))


@router.get("/checklist", response={200: list[ChecklistOut], **errors(400, *READ)},
            summary="The documents a claim needs")  # fmt: skip
def documents_needed(request: HttpRequest, program: str, event_kind: str, cause: str = "") -> list[dict[str, Any]]:
    if event_kind not in EVENT_KINDS.get(program, ()):
        raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(EVENT_KINDS.get(program, ()))},
                           field="event_kind")  # fmt: skip
    return [{"kind": kind, "label": label(kind), "required": required}
            for kind, required in checklist(program, event_kind, cause)]  # fmt: skip


# --- claims --------------------------------------------------------------------------------------


class ClaimFilters(PageQuery):
    state: str | None = None
    program: str | None = None
    origin: str | None = Field(None, description="intake or import")
    search: str | None = Field(None, description="a claim number, or a participant's full NIK")
    overdue: bool = Field(False, description="only open claims past a deadline or service level")


@router.get("", response={200: Page[ClaimOut], **errors(*READ)}, summary="Claims the user may see, newest first")
def list_claims(request: HttpRequest, filters: Query[ClaimFilters]) -> Any:
    claims = selectors.claim_list(
        visible_to=request.user, state=filters.state, program=filters.program, origin=filters.origin,
        search=filters.search, overdue_on=timezone.localdate() if filters.overdue else None,
    )  # fmt: skip
    return page(claims, filters, lambda rows: _claims(request, rows), descending=True)


@router.post("", response={201: ClaimDetailOut, **errors(*WRITE)}, summary="Take a claim in")
def submit(request: HttpRequest, payload: ClaimIn) -> Any:
    claim = services.claim_submit(
        actor=request.user, nik=payload.nik, program=payload.program, event_date=payload.event_date,
        event_kind=payload.event_kind, cause=payload.cause, event_description=payload.event_description,
        event_place=payload.event_place, claimant_relation=payload.claimant_relation,
        claimant_nik=payload.claimant_nik, claimant_name=payload.claimant_name,
        relatives=[relative.dict(exclude_none=True) for relative in payload.relatives], facts=payload.facts,
        submitted_on=payload.submitted_on, reason=payload.reason,
    )  # fmt: skip
    return Status(201, _detail(request, claim.pk))


@router.get("/{claim_id}", response={200: ClaimDetailOut, **errors(*READ_ONE)},
            summary="A claim: documents, decisions with their lines and citations, payments, deadlines")  # fmt: skip
def get_claim(request: HttpRequest, claim_id: RecordId) -> Any:
    return _detail(request, claim_id)


@router.post("/{claim_id}/documents/{kind}", response={200: DocumentOut, **errors(*WRITE)},
             summary="Receive a document (PDF, JPEG or PNG, at most 5 MB)")  # fmt: skip
def receive_document(request: HttpRequest, claim_id: RecordId, kind: str, file: File[UploadedFile],
                     reason: Form[str]) -> Any:  # fmt: skip
    claim = selectors.claim_get(visible_to=request.user, pk=claim_id)
    data = file.read(MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
    document = services.claim_document_receive(actor=request.user, claim=claim, kind=kind, data=data,
                                               name=file.name or "", reason=reason)  # fmt: skip
    return _document(document)


@router.get("/{claim_id}/documents/{document_id}/file", response={200: None, **errors(*READ_ONE)},
            summary="A document's file (for those who handle claim documents)")  # fmt: skip
def document_file(request: HttpRequest, claim_id: RecordId, document_id: RecordId) -> FileResponse:
    path, document = selectors.document_file(visible_to=request.user, claim_pk=claim_id, document_pk=document_id)
    return FileResponse(path.open("rb"), content_type=document.content_type, as_attachment=True,
                        filename=document.original_name or path.name)  # fmt: skip


@router.post("/{claim_id}/documents/{kind}/verify", response={200: DocumentOut, **errors(*WRITE)},
             summary="The document has been checked against the original")  # fmt: skip
def verify_document(request: HttpRequest, claim_id: RecordId, kind: str, payload: ReasonIn) -> Any:
    claim = selectors.claim_get(visible_to=request.user, pk=claim_id)
    return _document(services.claim_document_verify(actor=request.user, claim=claim, kind=kind,
                                                    reason=payload.reason))  # fmt: skip


@router.post("/{claim_id}/documents/{kind}/return", response={200: DocumentOut, **errors(*WRITE)},
             summary="The document is not the right one: missing again, with a note for the claimant")  # fmt: skip
def return_document(request: HttpRequest, claim_id: RecordId, kind: str, payload: ReturnIn) -> Any:
    claim = selectors.claim_get(visible_to=request.user, pk=claim_id)
    return _document(services.claim_document_return(actor=request.user, claim=claim, kind=kind, note=payload.note,
                                                    reason=payload.reason))  # fmt: skip


@router.post("/{claim_id}/verify", response={200: ClaimDetailOut, **errors(*WRITE)},
             summary="Verify the claim (its documents all verified); the verifier may not decide it")  # fmt: skip
def verify(request: HttpRequest, claim_id: RecordId, payload: ReasonIn) -> Any:
    claim = selectors.claim_get(visible_to=request.user, pk=claim_id)
    services.claim_verify(actor=request.user, claim=claim, reason=payload.reason)
    return _detail(request, claim_id)


@router.post("/{claim_id}/decisions", response={201: ClaimDetailOut, **errors(*WRITE)},
             summary="Decide a verified claim from the rules package (not by the officer who verified it)")  # fmt: skip
def decide(request: HttpRequest, claim_id: RecordId, payload: DecisionIn) -> Any:
    return _decided(request, claim_id, payload, services.claim_decide)


@router.post("/{claim_id}/corrections", response={201: ClaimDetailOut, **errors(*WRITE)},
             summary="Correct the decision before the first payment: a new decision naming the old")  # fmt: skip
def correct(request: HttpRequest, claim_id: RecordId, payload: CorrectionIn) -> Any:
    return _decided(request, claim_id, payload, services.claim_correct)


def _decided(request: HttpRequest, claim_id: RecordId, payload: DecisionIn, service: Callable[..., Any]) -> Any:
    claim = selectors.claim_get(visible_to=request.user, pk=claim_id)
    service(actor=request.user, claim=claim, stated=payload.facts, refusal=payload.refusal, article=payload.article,
            note=payload.note, reason=payload.reason)  # fmt: skip
    return Status(201, _detail(request, claim_id))


@router.post("/{claim_id}/payments", response={201: BenefitPaymentOut, **errors(*WRITE)},
             summary="Record the next scheduled payment (bank reference and date)")  # fmt: skip
def pay(request: HttpRequest, claim_id: RecordId, payload: BenefitPaymentIn) -> Any:
    claim = selectors.claim_get(visible_to=request.user, pk=claim_id)
    payment = services.claim_pay(actor=request.user, claim=claim, bank_reference=payload.bank_reference,
                                 paid_on=payload.paid_on, reason=payload.reason)  # fmt: skip
    return Status(201, _payment(payment))
