"""Contributions endpoints: bills (scoped), payments (posted through the ledger, one or a bank
statement), arrears, the protection status of a membership or a person, sponsor budgets and the cost
of a larger cohort. Lists are keyset pages (``core.paging``); writes take an ``Idempotency-Key``."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from jamsostek.accounts.policy import Action, for_user
from jamsostek.contributions import selectors
from jamsostek.contributions.models import Payment
from jamsostek.contributions.services import billing_run, payment_record, payments_import
from jamsostek.core.api import READ, READ_ONE, WRITE, Day, RecordId, errors
from jamsostek.core.errors import InvalidField, NotFound, from_rules
from jamsostek.core.idempotency import IdempotencyKey
from jamsostek.core.paging import MAX_LIMIT, Page, PageQuery, Row, columns, page
from jamsostek.registry import selectors as registry
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import MAX_RUPIAH
from jamsostek.rules.periods import Month

router = Router(tags=["contributions"])
MAX_COHORT_MONTHS = 120  # a cost estimate looks at most ten years ahead


class BillOut(Row):
    id: int
    reference: str
    period: date
    payer_kind: str
    payer_key: str
    payer_name: str
    regency: str = Field(alias="regency_id")
    due_date: date
    employer_amount: int
    worker_amount: int
    participant_amount: int
    fines: int
    total: int
    members: int


MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
REGENCY = r"^61\.[0-9]{2}$"
PAYER_KEY = r"^(employer|participant|sponsor|project):[0-9]{1,18}$"
MAX_STATEMENT = 60 * 1024 * 1024


class PaymentIn(Schema):
    transaction_reference: str = Field(min_length=1, max_length=100,
                                       description="the bank's reference: a transaction is posted once")  # fmt: skip
    payment_reference: str = Field(min_length=1, max_length=40, description="the bill's payment reference")
    amount: int = Field(ge=1, le=MAX_RUPIAH)
    paid_on: Day


class PaymentRecordOut(Row):
    id: int
    transaction_reference: str
    payment_reference: str
    payer_key: str
    amount: int
    allocated: int
    paid_on: date
    source: str


class StatementRowOut(Schema):
    row: int
    transaction_reference: str
    status: str = Field(description="posted | already posted | rejected | ok (a dry run)")
    field: str
    reason: str


class StatementOut(Schema):
    applied: bool
    dry_run: bool
    problem: str = Field(description="what is wrong with the file as a whole, if anything")
    posted: int
    already_posted: int
    rejected: int
    rows: list[StatementRowOut] = Field(description="the rejected rows, or the first rows of the file")


class BillFilters(PageQuery):
    period: str | None = Field(None, pattern=MONTH, description="YYYY-MM")
    payer_key: str | None = Field(None, pattern=PAYER_KEY)
    payer_kind: Literal["employer", "participant", "sponsor", "project"] | None = None
    regency: str | None = Field(None, pattern=REGENCY)


class PaymentFilters(PageQuery):
    payer_key: str | None = Field(None, pattern=PAYER_KEY)
    paid_from: Day | None = None
    paid_until: Day | None = None


class ArrearsFilters(Schema):
    region: str | None = Field(None, pattern=REGENCY, description="a regency's code")
    as_of: Day | None = None
    cursor: str | None = Field(None, pattern=r"^[0-9]{1,9}$", description="the `next` of the previous page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class AllocationOut(Schema):
    bill: str
    amount: int


class PaymentOut(Schema):
    transaction_reference: str
    payer_key: str
    amount: int
    allocations: list[AllocationOut]
    credit: int


class RunIn(Schema):
    period: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2026-11"])


class RunOut(Schema):
    period: str
    bills: int
    lines: int
    total: int
    already_billed: int
    warnings: list[str] = Field(description="what is uncertain about the bills, e.g. a due date in a year "
                                "whose public holidays are not in the calendar")  # fmt: skip


class ArrearsRowOut(Schema):
    payer_key: str
    payer_name: str
    payer_kind: str
    regency: str
    current: int
    one_month: int
    two_months: int
    three_months_or_more: int
    outstanding: int
    accrued_fines: int
    oldest_unpaid: str


class ArrearsPage(Schema):
    items: list[ArrearsRowOut]
    next: str | None
    count: int
    count_is_exact: bool


class MonthStatus(Schema):
    month: str
    status: str


class Span(Schema):
    first: str = Field(pattern=MONTH, description="the first month, YYYY-MM", examples=["2026-01"])
    last: str = Field(
        pattern=MONTH, description="the last month, YYYY-MM (at most 120 months on)", examples=["2026-11"]
    )


class Cohort(Schema):
    workers: int = Field(ge=0, le=10_000_000)
    months: int = Field(ge=1, le=MAX_COHORT_MONTHS)
    first_month: str = Field(pattern=MONTH, description="YYYY-MM", examples=["2027-01"])
    income: int = Field(1_000_000, ge=0, le=MAX_RUPIAH, description="the declared monthly income")
    with_jht: bool = False


class MembershipStatus(Schema):
    membership_id: int
    segment: str
    months: list[MonthStatus]


class BudgetOut(Schema):
    code: str
    name: str
    kind: str
    year: int
    quota: int
    enrolled: int
    active_today: int
    billed: int
    paid: int
    outstanding: int
    months_billed: int


class CostOut(Schema):
    workers: int
    months: int
    first_month: str
    per_worker: int
    total: int
    warnings: list[str]


MAX_STATUS_MONTHS = 120


def _span(first: Month, last: Month) -> None:
    """A status is asked for at most ten years, first month first."""
    if last.index < first.index:
        raise InvalidField(_("is before the first month"), field="last")
    if last.index - first.index >= MAX_STATUS_MONTHS:
        raise InvalidField(_("must be at most %(months)d months after the first") % {"months": MAX_STATUS_MONTHS},
                           field="last")  # fmt: skip


def _month(text: str, field: str) -> Month:
    try:
        return Month.parse(text, field=field)
    except InvalidInput as error:
        raise from_rules(error) from None


@router.get("/bills", response={200: Page[BillOut], **errors(400, *READ)}, summary="Bills, newest first")
def list_bills(request: HttpRequest, filters: Query[BillFilters]) -> Any:
    first_day = _month(filters.period, "period").first_day if filters.period else None
    bills = selectors.bill_list(visible_to=request.user, period=first_day, payer_key=filters.payer_key,
                                payer_kind=filters.payer_kind, regency_code=filters.regency)  # fmt: skip
    return page(bills, filters, descending=True, fields=columns(BillOut))


@router.get("/bills/{bill_id}", response={200: BillOut, **errors(*READ_ONE)})
def get_bill(request: HttpRequest, bill_id: RecordId) -> Any:
    return selectors.bill_get(visible_to=request.user, pk=bill_id)


@router.post(
    "/billing-runs", response={201: RunOut, **errors(400, 401, 403, 409, 422)}, summary="Bill a month (idempotent)"
)
def run_billing(request: HttpRequest, payload: RunIn, idempotency: IdempotencyKey = None) -> Any:
    result = billing_run(actor=request.user, period=_month(payload.period, "period"))
    return Status(201, {"period": str(result.period), "bills": result.bills, "lines": result.lines,
                        "total": result.total, "already_billed": result.already_billed,
                        "warnings": list(result.warnings)})  # fmt: skip


@router.post("/payments", response={201: PaymentOut, **errors(*WRITE)}, summary="Post a payment and allocate it")
def post_payment(request: HttpRequest, payload: PaymentIn, idempotency: IdempotencyKey = None) -> Any:
    posted = payment_record(
        actor=request.user, transaction_reference=payload.transaction_reference,
        payment_reference=payload.payment_reference, amount=payload.amount, paid_on=payload.paid_on, source="api",
    )  # fmt: skip
    return Status(201, {
        "transaction_reference": posted.entry.transaction_reference, "payer_key": posted.payer_key,
        "amount": posted.entry.amount, "credit": posted.credit,
        "allocations": [{"bill": bill.reference, "amount": amount} for bill, amount in posted.allocations],
    })  # fmt: skip


@router.get("/payments", response={200: Page[PaymentRecordOut], **errors(*READ)}, summary="Payments, newest first")
def list_payments(request: HttpRequest, filters: Query[PaymentFilters]) -> Any:
    payments = selectors.payment_list(visible_to=request.user)
    if filters.payer_key:
        payments = payments.filter(payer_key=filters.payer_key)
    if filters.paid_from:
        payments = payments.filter(paid_on__gte=filters.paid_from)
    if filters.paid_until:
        payments = payments.filter(paid_on__lte=filters.paid_until)
    return page(payments, filters, descending=True, fields=columns(PaymentRecordOut))


@router.post(
    "/payments/statement", response={200: StatementOut, **errors(*WRITE)},
    summary="Post a bank statement (CSV: transaction_reference, payment_reference, amount, paid_on)",
)  # fmt: skip
def post_statement(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False, idempotency: IdempotencyKey = None
) -> Any:
    """All rows or none; a transaction already posted with the same amount and date is reported as
    such, not posted again (also when two imports of the same statement run at once)."""
    for_user(request.user).require(Action.POST_PAYMENTS)
    if file.size is not None and file.size > MAX_STATEMENT:
        raise InvalidField(_("The file is larger than 60 MB; use the jamsostek payments command."), field="file")
    with tempfile.NamedTemporaryFile(suffix=".csv", dir=settings.DATA_DIR) as handle:
        for chunk in file.chunks():
            handle.write(chunk)
        handle.flush()
        report = payments_import(actor=request.user, path=Path(handle.name), dry_run=dry_run)
    statuses = [row.status for row in report.rows]
    shown = [row for row in report.rows if row.status == "rejected"][:1000] or report.rows[:100]
    return {
        "applied": report.applied, "dry_run": dry_run, "problem": report.problem,
        "posted": statuses.count("posted"), "already_posted": statuses.count("already posted"),
        "rejected": report.rejected,
        "rows": [{"row": r.row, "transaction_reference": r.transaction_reference, "status": r.status,
                  "field": r.field, "reason": r.reason} for r in shown],
    }  # fmt: skip


@router.get("/payments/{payment_id}", response={200: PaymentRecordOut, **errors(*READ_ONE)})
def get_payment(request: HttpRequest, payment_id: RecordId) -> Any:
    try:
        return selectors.payment_list(visible_to=request.user).get(pk=payment_id)
    except Payment.DoesNotExist:
        raise NotFound() from None


@router.get("/arrears", response={200: ArrearsPage, **errors(*READ)},
            summary="Who owes what, by age, largest outstanding first")  # fmt: skip
def list_arrears(request: HttpRequest, filters: Query[ArrearsFilters]) -> Any:
    rows = selectors.arrears(visible_to=request.user, as_of=filters.as_of or timezone.localdate(),
                             regency=filters.region)  # fmt: skip
    start = int(filters.cursor or 0)
    chunk = rows[start : start + filters.limit]
    following = start + filters.limit
    items = [
        {"payer_key": r.payer_key, "payer_name": r.payer_name, "payer_kind": r.payer_kind, "regency": r.regency,
         "current": r.current, "one_month": r.one, "two_months": r.two, "three_months_or_more": r.three_plus,
         "outstanding": r.outstanding, "accrued_fines": r.accrued_fines, "oldest_unpaid": r.oldest_unpaid}
        for r in chunk
    ]  # fmt: skip
    return {"items": items, "next": str(following) if following < len(rows) else None, "count": len(rows),
            "count_is_exact": True}  # fmt: skip


@router.get("/memberships/{membership_id}/status", response={200: list[MonthStatus], **errors(400, *READ_ONE)})
def membership_status(request: HttpRequest, membership_id: RecordId, span: Query[Span]) -> Any:
    membership = registry.membership_get(visible_to=request.user, pk=membership_id)
    first_month, last_month = _month(span.first, "first"), _month(span.last, "last")
    _span(first_month, last_month)
    months = selectors.membership_months(membership.pk, first_month, last_month, as_of=timezone.localdate())
    return [{"month": str(month), "status": status} for month, status in months]


@router.get("/persons/{person_id}/status", response={200: list[MembershipStatus], **errors(400, *READ_ONE)},
            summary="Whether each of a person's memberships protected them, month by month")  # fmt: skip
def person_status(request: HttpRequest, person_id: RecordId, span: Query[Span]) -> Any:
    person = registry.person_get(visible_to=request.user, pk=person_id)
    first_month, last_month = _month(span.first, "first"), _month(span.last, "last")
    _span(first_month, last_month)
    today = timezone.localdate()
    return [
        {"membership_id": membership.pk, "segment": membership.segment,
         "months": [{"month": str(month), "status": status} for month, status in
                    selectors.membership_months(membership.pk, first_month, last_month, as_of=today)]}
        for membership in registry.membership_list(visible_to=request.user, person_id=person.pk)
    ]  # fmt: skip


@router.get("/sponsor-budgets", response={200: list[BudgetOut], **errors(*READ)})
def budgets(request: HttpRequest) -> Any:
    return [vars(budget) for budget in selectors.sponsor_budgets(visible_to=request.user, today=timezone.localdate())]


@router.get(
    "/cohort-cost",
    response={200: CostOut, **errors(400, *READ)},
    summary="What N more BPU workers would cost for M months",
)
def cost(request: HttpRequest, cohort: Query[Cohort]) -> Any:
    for_user(request.user).require(Action.ESTIMATE_COSTS)
    try:
        result = selectors.cohort_cost(workers=cohort.workers, months=cohort.months,
                                       first_month=_month(cohort.first_month, "first_month"), income=cohort.income,
                                       with_jht=cohort.with_jht)  # fmt: skip
    except InvalidInput as error:
        if error.field != "period":
            raise
        refused = from_rules(error)  # the month the rules refused is the cohort's first month (or one after it)
        refused.field = "first_month"
        raise refused from None
    return {"workers": result.workers, "months": result.months, "first_month": str(result.first_month),
            "per_worker": result.per_worker, "total": result.total, "warnings": list(result.warnings)}  # fmt: skip
