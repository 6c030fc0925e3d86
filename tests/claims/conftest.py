"""Claims tests: the shared world (``tests/conftest.py``) with bills and payments, a frozen day,
documents stored in a temporary data directory, and statistics forgotten between tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from jamsostek.claims import selectors
from jamsostek.claims.models import Claim
from jamsostek.contributions.models import Bill
from jamsostek.contributions.services import billing_run, payment_record
from jamsostek.rules.periods import Month
from tests.conftest import World

TODAY = date(2025, 6, 10)
PDF = b"%PDF-1.4\n% a scanned page\n%%EOF\n"


@pytest.fixture(autouse=True)
def _claims_isolated(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Documents stored in the test's own directory, statistics forgotten, reasons in English (the
    tests that check the Indonesian words say so)."""
    settings.DATA_DIR = tmp_path
    selectors.forget()
    with translation.override("en"):
        yield
    selectors.forget()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The services' and the selectors' today is 10 June 2025."""
    real = timezone.localdate

    def frozen(value: Any = None, timezone: Any = None) -> date:
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", frozen)
    return TODAY


def bill_and_pay(world: World, first: Month, last: Month, *, payers: tuple[Any, ...] = ()) -> None:
    """Bill every payer from ``first`` to ``last``; pay in full the bills of ``payers`` (employers) on
    time, on the 10th of the month after."""
    keys = {f"employer:{payer.pk}" for payer in payers}
    month = first
    while month <= last:
        billing_run(actor=None, period=month)
        for bill in Bill.objects.filter(period=month.first_day, payer_key__in=keys):
            payment_record(actor=None, transaction_reference=f"PAY-{bill.reference}", payment_reference=bill.reference,
                           amount=bill.total, paid_on=month.plus(1).day(10))  # fmt: skip
        month = month.plus(1)


@pytest.fixture
def protected(world: World, today: date) -> World:
    """January to May 2025 billed; the Ketapang company and the agency paid every bill on time, the
    Sambas company none (its worker is unprotected from March)."""
    bill_and_pay(world, Month(2025, 1), Month(2025, 5), payers=(world.company, world.agency))
    return world


FAMILY = [
    {"relation": "istri", "name": "Sri Wahyuni", "birth_date": "1988-04-02"},
    {"relation": "anak", "name": "Rina", "birth_date": "2013-07-19", "level": "smp", "year": 2},
]


def submit(world: World, actor: Any = None, **changes: Any) -> Claim:
    """A JKM claim for the Ketapang worker's death on 10 May 2025, by the widow, unless changed."""
    from jamsostek.claims import services

    values: dict[str, Any] = {
        "nik": world.ketapang_worker.nik, "program": "jkm", "event_date": date(2025, 5, 10), "event_kind": "death",
        "cause": "illness", "claimant_relation": "istri", "claimant_nik": "6104014204880001",
        "claimant_name": "Sri Wahyuni", "relatives": FAMILY, "reason": "the widow came to the branch",
    }  # fmt: skip
    values.update(changes)
    return services.claim_submit(actor=actor, **values)


def complete(claim: Claim, actor: Any = None) -> Claim:
    """Every required document not yet received, received."""
    from jamsostek.claims import services

    for document in claim.documents.filter(required=True, state="missing"):
        services.claim_document_receive(actor=actor, claim=claim, kind=document.kind, data=PDF, name="scan.pdf",
                                        reason="brought by the claimant")  # fmt: skip
    claim.refresh_from_db()
    return claim


def verified(claim: Claim, actor: Any = None) -> Claim:
    """Every document received and verified, and the claim verified."""
    from jamsostek.claims import services

    complete(claim, actor)
    for document in claim.documents.filter(state="received"):
        services.claim_document_verify(actor=actor, claim=claim, kind=document.kind, reason="checked the original")
    services.claim_verify(actor=actor, claim=claim, reason="all in order")
    claim.refresh_from_db()
    return claim


Submit = Callable[..., Claim]
