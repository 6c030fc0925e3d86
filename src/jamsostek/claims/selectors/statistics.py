"""Benefits paid, as the province and BPJS publish them: cases and rupiah per program, month,
regency, segment and payer or sponsor program, for a year; each year's figure; and, per sponsor
program, the contributions it paid against the benefits its participants received.

A case is a distinct claim with a payment in the period; the amount is what was paid in it (a
pension paid in twelve months is one case and twelve payments). The statistics of a region are
for readers who may see that region's figures (``Action.SEE_CLAIM_STATISTICS``: the province for
province-wide roles, a regency for its officer). Answers are kept per process while no payment
has been recorded since (the stamp, the latest audit record, is read at most once a second).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_user
from jamsostek.claims.models import ClaimPayment, PaymentState
from jamsostek.contributions.selectors import sponsor_paid_by_year
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import Forbidden, InvalidField
from jamsostek.registry.models import Region, SponsorProgram

BREAKDOWNS = ("program", "regency", "month", "segment", "sponsor")
UNKNOWN = "unknown"
"""The key of claims whose participant had no membership the registry knows (segment, payer)."""
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    key: str
    cases: int
    amount: int


@dataclass(frozen=True)
class Statistics:
    year: int
    region: str
    by: str
    rows: tuple[Row, ...]
    cases: int
    amount: int

    def as_json(self) -> dict[str, Any]:
        """``{"rows": [{"key", "cases", "amount"}], "totals": {"cases", "amount"}}``."""
        return {"rows": [{"key": row.key, "cases": row.cases, "amount": row.amount} for row in self.rows],
                "totals": {"cases": self.cases, "amount": self.amount}}  # fmt: skip


@dataclass(frozen=True)
class YearFigure:
    year: int
    cases: int
    amount: int


@dataclass(frozen=True)
class SponsorYear:
    code: str
    name: str
    kind: str
    region: str
    year: int
    contributions_paid: int
    benefits: int
    cases: int


# --- answers kept while nothing is paid --------------------------------------------------------

_lock = threading.Lock()
_kept: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
_stamp: list[Any] = [0.0, None]  # when it was read, what it was
KEPT = 512


def stamp() -> int:
    """The latest audit record: every payment recorded, imported or cancelled leaves one in the same
    transaction (so does every other change, which only makes an answer be built again). Read from
    the database (its primary key's index) at most once a second."""
    now = time.monotonic()
    with _lock:
        if _stamp[1] is not None and now - _stamp[0] < 1.0:
            return _stamp[1]  # type: ignore[no-any-return]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_auditrecord")
        (highest,) = cursor.fetchone()
    seen = int(highest)
    with _lock:
        _stamp[:] = [now, seen]
    return seen


def kept(key: Hashable, build: Callable[[], T]) -> T:
    """The answer kept for ``key`` while the stamp is the same, else ``build()`` (then kept)."""
    seen = stamp()
    with _lock:
        found = _kept.get(key)
        if found is not None and found[0] == seen:
            _kept.move_to_end(key)
            return found[1]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _kept[key] = (seen, value)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    """Drop every kept answer and the stamp (tests, after data is rolled back)."""
    with _lock:
        _kept.clear()
        _stamp[:] = [0.0, None]


# --- reading -----------------------------------------------------------------------------------


def check_region(visible_to: Any, region: str) -> None:
    """``region`` is the province or one of its regencies, and the reader may see its figures."""
    if region != PROVINCE and not Region.objects.filter(code=region, level=Region.Level.REGENCY).exists():
        raise InvalidField(_("must be the province (61) or one of its regencies"), field="region")
    if not for_user(visible_to).may_see_region(region, Action.SEE_CLAIM_STATISTICS):
        raise Forbidden(_("You may not see the claim statistics of this region."))


def home_region(visible_to: Any) -> str | None:
    """The widest region whose claim statistics the user may see (None: none)."""
    return for_user(visible_to).home_region(Action.SEE_CLAIM_STATISTICS)


def _paid(region: str) -> Any:
    rows = ClaimPayment.objects.filter(state=PaymentState.PAID)
    return rows if region == PROVINCE else rows.filter(regency_id=region)


def statistics(*, visible_to: Any, year: int, region: str = PROVINCE, by: str = "program") -> Statistics:
    """Cases and rupiah paid in ``year`` in ``region``, broken down ``by`` one of ``BREAKDOWNS``."""
    if by not in BREAKDOWNS:
        raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(BREAKDOWNS)}, field="by")
    if not 1900 <= year <= 2999:
        raise InvalidField(_("must be a year"), field="year")
    check_region(visible_to, region)
    return kept(("statistics", year, region, by), lambda: _statistics(year, region, by))


def _statistics(year: int, region: str, by: str) -> Statistics:
    rows = _paid(region).filter(paid_on__gte=date(year, 1, 1), paid_on__lt=date(year + 1, 1, 1))
    key: Any = {
        "program": F("program"), "regency": F("regency_id"), "month": TruncMonth("paid_on"),
        "segment": F("segment"), "sponsor": F("sponsor_id"),
    }[by]  # fmt: skip
    fields = ["key", "payer"] if by == "sponsor" else ["key"]
    grouped = list(
        rows.annotate(key=key).values(*fields).annotate(cases=Count("claim", distinct=True), amount=Sum("amount"))
        .order_by()
    )  # fmt: skip
    codes = {}
    if by == "sponsor":
        sponsors = {item["key"] for item in grouped if item["key"]}
        codes = dict(SponsorProgram.objects.filter(pk__in=sponsors).values_list("pk", "code"))
    found: dict[str, list[int]] = {}
    for item in grouped:
        name = _key(codes.get(item["key"], item["key"]), item.get("payer"), by)
        totals = found.setdefault(name, [0, 0])
        totals[0] += int(item["cases"])
        totals[1] += int(item["amount"] or 0)
    totals = rows.aggregate(cases=Count("claim", distinct=True), amount=Sum("amount"))
    ordered = sorted(found.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))
    return Statistics(year=year, region=region, by=by,
                      rows=tuple(Row(name, cases, amount) for name, (cases, amount) in ordered),
                      cases=int(totals["cases"] or 0), amount=int(totals["amount"] or 0))  # fmt: skip


def _key(value: Any, payer: Any, by: str) -> str:
    """A row's key: the program, regency or segment code, the month ``YYYY-MM``, the sponsor
    program's code (else the payer: ``employer``, ``participant``), or ``unknown``."""
    if by == "month":
        return f"{value:%Y-%m}"
    if by == "sponsor" and not value:
        return str(payer or UNKNOWN)
    return str(value or UNKNOWN)


def years(*, visible_to: Any, region: str = PROVINCE) -> list[YearFigure]:
    """Cases and rupiah paid in each year, oldest first."""
    check_region(visible_to, region)

    def build() -> list[YearFigure]:
        grouped = (
            _paid(region).annotate(year=ExtractYear("paid_on")).values("year")
            .annotate(cases=Count("claim", distinct=True), amount=Sum("amount")).order_by("year")
        )  # fmt: skip
        return [YearFigure(int(item["year"]), int(item["cases"]), int(item["amount"] or 0)) for item in grouped]

    return kept(("years", region), build)


def sponsors(*, visible_to: Any, region: str = PROVINCE) -> list[SponsorYear]:
    """For each sponsor program of the region (APBD, APBDes, CSR) and year: the contributions it
    paid (allocations to its bills, by contribution month's year) against the benefits paid to the
    claims of its participants (by the year paid)."""
    check_region(visible_to, region)
    paid = sponsor_paid_by_year(visible_to=visible_to)
    programs = for_user(visible_to).visible(SponsorProgram.objects.all())
    if region != PROVINCE:
        programs = programs.filter(region__code__startswith=region)
    benefits: dict[tuple[int, int], tuple[int, int]] = {}
    grouped = (
        _paid(region).filter(sponsor__in=programs).annotate(year=ExtractYear("paid_on"))
        .values("sponsor_id", "year").annotate(cases=Count("claim", distinct=True), amount=Sum("amount"))
        .order_by()
    )  # fmt: skip
    for item in grouped:
        benefits[(item["sponsor_id"], int(item["year"]))] = (int(item["cases"]), int(item["amount"] or 0))
    result = []
    for program in programs.order_by("code"):
        seen = sorted({year for pk, year in (*paid, *benefits) if pk == program.pk})
        for year in seen:
            cases, amount = benefits.get((program.pk, year), (0, 0))
            result.append(SponsorYear(program.code, program.name, program.kind, program.region_id, year,
                                      paid.get((program.pk, year), 0), amount, cases))  # fmt: skip
    return result
