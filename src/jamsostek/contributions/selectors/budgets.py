"""What a province, regency or village budget owes and has paid for its cohorts, and what a larger
cohort would cost (sponsor programs pay the contributions of informal workers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from jamsostek.accounts.policy import Action, for_user
from jamsostek.contributions.models import Allocation, Bill
from jamsostek.registry.models import SponsorProgram
from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import BPUInput
from jamsostek.rules.periods import Month


@dataclass(frozen=True)
class SponsorBudget:
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


def sponsor_budgets(*, visible_to: Any, today: date) -> list[SponsorBudget]:
    """The sponsor programs the user may see, with what they were billed and paid. Raises
    ``Forbidden`` for a role that sees no arrears."""
    policy = for_user(visible_to)
    policy.require(Action.SEE_ARREARS)
    programs = (
        policy.visible(SponsorProgram.objects.all())
        .annotate(
            enrolled=Count("memberships", distinct=True),
            active=Count("memberships", filter=_prefixed(today), distinct=True),
        )
        .order_by("year", "code")
    )
    result = []
    for program in programs:
        key = f"sponsor:{program.pk}"
        bills = Bill.objects.filter(payer_key=key)
        billed = int(bills.aggregate(total=Sum("total"))["total"] or 0)
        paid = int(Allocation.objects.filter(bill__payer_key=key).aggregate(total=Sum("amount"))["total"] or 0)
        result.append(
            SponsorBudget(
                code=program.code,
                name=program.name,
                kind=program.kind,
                year=program.year,
                quota=program.quota,
                enrolled=program.enrolled,
                active_today=program.active,
                billed=billed,
                paid=paid,
                outstanding=billed - paid,
                months_billed=bills.values("period").distinct().count(),
            )
        )
    return result


def sponsor_paid_by_year(*, visible_to: Any) -> dict[tuple[int, int], int]:
    """What each sponsor program the user may see has paid, by the year of the contribution months:
    ``{(program id, year): rupiah}`` (the allocations of payments to its bills). Raises ``Forbidden``
    for a role that sees no arrears."""
    policy = for_user(visible_to)
    policy.require(Action.SEE_ARREARS)
    programs = {f"sponsor:{pk}": pk for pk in policy.visible(SponsorProgram.objects.all()).values_list("pk", flat=True)}
    paid = (
        Allocation.objects.filter(bill__payer_kind="sponsor", bill__payer_key__in=list(programs))
        .annotate(year=ExtractYear("bill__period")).values("bill__payer_key", "year")
        .annotate(total=Sum("amount")).order_by()
    )  # fmt: skip
    return {(programs[item["bill__payer_key"]], int(item["year"])): int(item["total"] or 0) for item in paid}


def _prefixed(day: date) -> Q:
    """``active_on`` for the memberships relation of a sponsor program."""
    return Q(memberships__start_date__lte=day) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=day)
    )


@dataclass(frozen=True)
class CohortCost:
    workers: int
    months: int
    first_month: Month
    per_worker: int
    total: int
    with_jht: bool
    income: int
    warnings: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"{self.workers:,} workers x {self.months} months from {self.first_month} "
            f"(income nominal Rp{self.income:,}{', with JHT' if self.with_jht else ''}): "
            f"Rp{self.per_worker:,} per worker, Rp{self.total:,} in all"
        )


def cohort_cost(*, workers: int, months: int, first_month: Month, income: int = 1_000_000,
                with_jht: bool = False) -> CohortCost:  # fmt: skip
    """What ``workers`` more BPU participants cost for ``months`` months, month by month through the
    rules (so a change in the law inside the period is priced right)."""
    if workers < 0 or months < 1:
        raise ValueError("workers must be >= 0 and months >= 1")
    per_worker = 0
    warnings: dict[str, None] = {}
    for offset in range(months):
        result = contribution(BPUInput(income=income, with_jht=with_jht), first_month.plus(offset))
        per_worker += result.totals["total"]
        warnings.update(dict.fromkeys(result.warnings))
    return CohortCost(workers, months, first_month, per_worker, per_worker * workers, with_jht, income,
                      tuple(warnings))  # fmt: skip
