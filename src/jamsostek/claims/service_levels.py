"""Deadlines and service levels of a claim: when each is due, whether it was met, and the claim's
next deadline (``Claim.due_on``), by which the overdue claims are listed.

- ``jkk_report`` (JKK): the accident report (stage I, form 3 / KK1) 2x24 hours after the accident
  or the diagnosis: PP 44/2015 art. 43(2) for wage earners, art. 44(2) for the others (text seen).
- ``jkk_claim`` (JKK): the claim before the right lapses, 2 years after the accident under the
  original PP 44/2015, 5 years since PP 82/2019 (art. 26; the rules package's
  ``benefits.jkk.claim_limit_years``, in force on the day of the accident).
- ``jkp_claim`` (JKP): the claim within the deadline after the termination; the rules package's
  ``benefits.jkp.claim_deadline_months`` (3 months under PP 37/2021, UNCONFIRMED; 6 under PP
  6/2025 art. 40).
- ``payment`` (JHT): paid 5 working days after the documents are complete; Permenaker 4/2022, as
  stated by the Minister of Manpower.
- ``payment`` (JKM): paid 3 working days after the documents are complete; a secondary source
  quoting BPJS TK, UNCONFIRMED.
- ``payment`` (JP): paid 15 working days after the approval; a secondary source, UNCONFIRMED.

Working days skip weekends and the public holidays the rules package knows
(``rules.holidays``). The dates of a claim are days, so 2x24 hours is the second day after the
accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from jamsostek.claims.models import DEADLINE_LABELS, Claim, ClaimDocument, DocumentState, Program, State
from jamsostek.rules.benefits.jkk import claim_deadline
from jamsostek.rules.benefits.model import add_months
from jamsostek.rules.holidays import working_day
from jamsostek.rules.parameterset import default_parameters

JKP_DEADLINE = "benefits.jkp.claim_deadline_months"
PAYMENT_DAYS: dict[str, tuple[int, str, str, bool]] = {
    # program: (working days, counted from, source, confirmed)
    Program.JHT: (5, "complete", "Permenaker 4/2022 (as stated by the Minister of Manpower)", True),
    Program.JKM: (3, "complete", "BPJS Ketenagakerjaan, as quoted by a secondary source", False),
    Program.JP: (15, "approved", "BPJS Ketenagakerjaan, as quoted by a secondary source (low confidence)", False),
}
JKK_REPORT_DAYS = 2
JKK_REPORT_SOURCE = "PP 44/2015 art. 43(2), 44(2): within 2x24 hours"


@dataclass(frozen=True)
class Clock:
    """One deadline of a claim."""

    key: str
    label: str
    due: date
    done: date | None
    source: str
    confirmed: bool

    def status(self, today: date) -> str:
        """``met``, ``late`` (done after the deadline), ``overdue`` (not done, past it) or ``running``."""
        if self.done is not None:
            return "met" if self.done <= self.due else "late"
        return "overdue" if today > self.due else "running"


def working_days_after(day: date, count: int) -> date:
    """The ``count``-th working day after ``day``."""
    parameters = default_parameters()
    for _step in range(count):
        day = working_day(parameters, day + timedelta(days=1))
    return day


def jkp_deadline(termination: date) -> tuple[date, str, bool]:
    """The last day to claim JKP after a termination on ``termination``, its citation and whether it
    is confirmed (the rules package's parameter in force on the termination date)."""
    entry = default_parameters().at(JKP_DEADLINE, termination)
    return add_months(termination, entry.value), str(entry.reference), entry.confirmed


def jkk_claim_limit(accident: date) -> tuple[date, str, bool]:
    """The last day to claim JKK after an accident on ``accident``, its citation and whether it is
    confirmed (not when a new limit came into force while the right was running:
    ``rules.benefits.jkk.claim_deadline``)."""
    limit, last_day, later = claim_deadline(default_parameters(), accident)
    return last_day, str(limit.reference), limit.confirmed and later is None


def clocks(claim: Claim, documents: list[ClaimDocument] | None = None) -> list[Clock]:
    """Every deadline of ``claim`` (``documents``: its documents, when already fetched)."""
    if claim.origin != "intake":
        return []
    found: list[Clock] = []
    if claim.program == Program.JKK:
        reports = [d for d in (documents or list(claim.documents.all())) if d.kind == "accident_report"]
        received = reports[0].received_on if reports and reports[0].state != DocumentState.MISSING else None
        due = claim.event_date + timedelta(days=JKK_REPORT_DAYS)
        found.append(Clock("jkk_report", str(DEADLINE_LABELS["jkk_report"]), due, received, JKK_REPORT_SOURCE, True))
        last_day, source, confirmed = jkk_claim_limit(claim.event_date)
        found.append(
            Clock("jkk_claim", str(DEADLINE_LABELS["jkk_claim"]), last_day, claim.submitted_on, source, confirmed)
        )
    if claim.program == Program.JKP:
        due, source, confirmed = jkp_deadline(claim.event_date)
        found.append(Clock("jkp_claim", str(DEADLINE_LABELS["jkp_claim"]), due, claim.submitted_on, source, confirmed))
    service = PAYMENT_DAYS.get(claim.program)
    if service is not None and claim.state != State.REJECTED:
        days, start_at, source, confirmed = service
        start = claim.complete_on if start_at == "complete" else claim.decided_on
        if start is not None:
            found.append(Clock("payment", _("payment (%(days)s working days)") % {"days": days},
                               working_days_after(start, days), claim.paid_on, source, confirmed))  # fmt: skip
    return found


def next_deadline(claim: Claim, documents: list[ClaimDocument] | None = None) -> tuple[date | None, str]:
    """The earliest deadline not yet met, and its clock (what ``Claim.due_on`` keeps)."""
    if claim.state in (State.REJECTED, State.PAID):
        return None, ""
    running = [clock for clock in clocks(claim, documents) if clock.done is None]
    if not running:
        return None, ""
    first = min(running, key=lambda clock: clock.due)
    return first.due, first.key
