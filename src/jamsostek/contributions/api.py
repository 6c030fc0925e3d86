"""Contributions endpoints: bills (scoped), payments (posted through the ledger), arrears, the
protection status of a membership, sponsor budgets and the cost of a larger cohort."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from jamsostek.accounts.policy import Action, for_user
from jamsostek.contributions import selectors
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.core.api import READ, READ_ONE, WRITE, errors
from jamsostek.core.errors import InvalidField, from_rules
from jamsostek.registry import selectors as registry
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month

router = Router(tags=["contributions"])
MAX_COHORT_MONTHS = 120  # a cost estimate looks at most ten years ahead


class BillOut(Schema):
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


class PaymentIn(Schema):
    transaction_reference: str = Field(description="the bank's reference: a transaction is posted once")
    payment_reference: str = Field(description="the bill's payment reference")
    amount: int
    paid_on: date


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
    period: str = Field(description="YYYY-MM")


class RunOut(Schema):
    period: str
    bills: int
    lines: int
    total: int
    already_billed: int
    warnings: list[str] = Field(description="what is uncertain about the bills, e.g. a due date in a year "
                                "whose public holidays are not in the calendar")  # fmt: skip


class ArrearsOut(Schema):
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


class MonthStatus(Schema):
    month: str
    status: str


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


def _month(text: str, field: str) -> Month:
    try:
        return Month.parse(text, field=field)
    except InvalidInput as error:
        raise from_rules(error) from None


@router.get("/bills", response={200: list[BillOut], **errors(400, *READ)})
@paginate(LimitOffsetPagination)
def list_bills(request: HttpRequest, period: str | None = None, payer_key: str | None = None) -> Any:
    first_day = _month(period, "period").first_day if period else None
    return selectors.bill_list(visible_to=request.user, period=first_day, payer_key=payer_key)


@router.get("/bills/{bill_id}", response={200: BillOut, **errors(*READ_ONE)})
def get_bill(request: HttpRequest, bill_id: int) -> Any:
    return selectors.bill_get(visible_to=request.user, pk=bill_id)


@router.post("/billing-runs", response={201: RunOut, **errors(400, 401, 403, 422)}, summary="Bill a month (idempotent)")
def run_billing(request: HttpRequest, payload: RunIn) -> Any:
    result = billing_run(actor=request.user, period=_month(payload.period, "period"))
    return Status(201, {"period": str(result.period), "bills": result.bills, "lines": result.lines,
                        "total": result.total, "already_billed": result.already_billed,
                        "warnings": list(result.warnings)})  # fmt: skip


@router.post("/payments", response={201: PaymentOut, **errors(*WRITE)}, summary="Post a payment and allocate it")
def post_payment(request: HttpRequest, payload: PaymentIn) -> Any:
    posted = payment_record(
        actor=request.user, transaction_reference=payload.transaction_reference,
        payment_reference=payload.payment_reference, amount=payload.amount, paid_on=payload.paid_on, source="api",
    )  # fmt: skip
    return Status(201, {
        "transaction_reference": posted.entry.transaction_reference, "payer_key": posted.payer_key,
        "amount": posted.entry.amount, "credit": posted.credit,
        "allocations": [{"bill": bill.reference, "amount": amount} for bill, amount in posted.allocations],
    })  # fmt: skip


@router.get("/arrears", response={200: list[ArrearsOut], **errors(*READ)})
def list_arrears(request: HttpRequest, region: str | None = None, as_of: date | None = None) -> Any:
    rows = selectors.arrears(visible_to=request.user, as_of=as_of or timezone.localdate(), regency=region)
    return [
        {"payer_key": r.payer_key, "payer_name": r.payer_name, "payer_kind": r.payer_kind, "regency": r.regency,
         "current": r.current, "one_month": r.one, "two_months": r.two, "three_months_or_more": r.three_plus,
         "outstanding": r.outstanding, "accrued_fines": r.accrued_fines, "oldest_unpaid": r.oldest_unpaid}
        for r in rows
    ]  # fmt: skip


@router.get("/memberships/{membership_id}/status", response={200: list[MonthStatus], **errors(400, *READ_ONE)})
def membership_status(request: HttpRequest, membership_id: int, first: str, last: str) -> Any:
    membership = registry.membership_get(visible_to=request.user, pk=membership_id)
    months = selectors.membership_months(
        membership.pk, _month(first, "first"), _month(last, "last"), as_of=timezone.localdate()
    )
    return [{"month": str(month), "status": status} for month, status in months]


@router.get("/sponsor-budgets", response={200: list[BudgetOut], **errors(*READ)})
def budgets(request: HttpRequest) -> Any:
    return [vars(budget) for budget in selectors.sponsor_budgets(visible_to=request.user, today=timezone.localdate())]


@router.get(
    "/cohort-cost",
    response={200: CostOut, **errors(400, *READ)},
    summary="What N more BPU workers would cost for M months",
)
def cost(
    request: HttpRequest, workers: int, months: int, first_month: str, income: int = 1_000_000, with_jht: bool = False
) -> Any:
    for_user(request.user).require(Action.ESTIMATE_COSTS)
    if workers < 0:
        raise InvalidField(_("must not be negative"), field="workers")
    if not 1 <= months <= MAX_COHORT_MONTHS:
        raise InvalidField(_("must be from 1 to %(most)d") % {"most": MAX_COHORT_MONTHS}, field="months")
    result = selectors.cohort_cost(workers=workers, months=months, first_month=_month(first_month, "first_month"),
                         income=income, with_jht=with_jht)  # fmt: skip
    return {"workers": result.workers, "months": result.months, "first_month": str(result.first_month),
            "per_worker": result.per_worker, "total": result.total, "warnings": list(result.warnings)}  # fmt: skip
