"""What the registry and the contributions say about a claim's participant: the membership the
claim falls under, whether it protected them on the event date, how many months it protected
them, and their last reported wage. These are facts for the rules package, not rules.

Protection comes from the contributions' status (``contributions.selectors.status``): a month is
counted when the membership was *protected* in it (paid, or within the grace the status rules give:
an employer not three months behind, a BPU month not yet due). The months the rules call
"contribution months" are counted that way.
"""

from __future__ import annotations

from datetime import date

from jamsostek.claims.models import Program
from jamsostek.contributions.selectors.status import NOT_BILLED, PROTECTED, membership_months
from jamsostek.registry.models import Membership, Person
from jamsostek.rules.periods import Month

NO_MEMBERSHIP = "no membership"
WINDOW = 48
"""The status is derived at most this many months at a time."""


def program_flags(program: str) -> tuple[str, ...]:
    """The membership flags that make a membership cover ``program`` (the scholarship comes with JKM
    and with JKK)."""
    return ("jkm", "jkk") if program == Program.SCHOLARSHIP else (program,)


def covers(membership: Membership, program: str) -> bool:
    return any(getattr(membership, flag) for flag in program_flags(program))


def _running(membership: Membership, day: date) -> bool:
    return membership.start_date <= day and (membership.end_date is None or membership.end_date >= day)


def membership_for(person: Person, program: str, day: date) -> Membership | None:
    """The membership a claim of ``program`` on ``day`` falls under: of the person's memberships
    begun on or before ``day``, one running that day before one ended, one covering the program
    before one that does not, the latest begun first (None: no membership before that day)."""
    candidates = [m for m in person.memberships.all() if m.start_date <= day]
    if not candidates:
        return None
    return max(candidates, key=lambda m: (_running(m, day), covers(m, program), m.start_date, m.pk))


def protected_months(membership: Membership, first: Month, last: Month, *, as_of: date) -> set[Month]:
    """The months from ``first`` to ``last`` in which ``membership`` was protected."""
    months: set[Month] = set()
    start = max(first, Month.of(membership.start_date))
    if membership.end_date is not None:
        last = min(last, Month.of(membership.end_date))
    while start <= last:
        end = min(last, start.plus(WINDOW - 1))
        months |= {month for month, status in membership_months(membership.pk, start, end, as_of=as_of)
                   if status == PROTECTED}  # fmt: skip
        start = end.plus(1)
    return months


def protection_on(membership: Membership | None, day: date, *, as_of: date) -> str:
    """The membership's status in the month of ``day`` (``protected``, ``unpaid``, ``lapsed``, ``not
    billed``), or ``no membership`` when none runs that day. The month of ``as_of`` (or a later one)
    not yet billed takes the status of the month before it: this month's bills may not be issued
    yet, and the protection goes on while the last billed month's does."""
    if membership is None or not _running(membership, day):
        return NO_MEMBERSHIP
    month = Month.of(day)
    first = month.plus(-1) if month >= Month.of(as_of) and month.plus(-1) >= Month.of(membership.start_date) else month
    statuses = dict(membership_months(membership.pk, first, month, as_of=as_of))
    status = statuses.get(month, NO_MEMBERSHIP)
    if status == NOT_BILLED and first != month:
        return statuses.get(first, status)
    return status


def contribution_months(person: Person, program: str, last: Month, *, as_of: date) -> int:
    """The months up to ``last`` in which a membership of the person covering ``program`` protected
    them (a month counted once, whatever the number of memberships)."""
    months: set[Month] = set()
    for membership in person.memberships.all():
        if covers(membership, program):
            months |= protected_months(membership, Month.of(membership.start_date), last, as_of=as_of)
    return len(months)


def months_before(person: Person, program: str, day: date, *, as_of: date, window: int) -> tuple[int, int]:
    """Protected months of the ``window`` months before the month of ``day``, and how many of them
    come in a row just before it (JKP: 12 of the last 24, and 6 in a row)."""
    event = Month.of(day)
    months: set[Month] = set()
    for membership in person.memberships.all():
        if covers(membership, program):
            months |= protected_months(membership, event.plus(-window), event.plus(-1), as_of=as_of)
    in_a_row = 0
    while event.plus(-1 - in_a_row) in months:
        in_a_row += 1
    return len(months), in_a_row


def first_start(person: Person, program: str) -> date | None:
    """When the person first joined a membership covering ``program``."""
    starts = [m.start_date for m in person.memberships.all() if covers(m, program)]
    return min(starts) if starts else None


def last_wage(membership: Membership | None, day: date) -> int | None:
    """The wage (or declared income) reported for ``membership`` and valid on ``day``."""
    if membership is None:
        return None
    report = membership.wages.filter(valid_from__lte=day).order_by("-valid_from").first()
    return None if report is None else report.amount + report.fixed_allowances
