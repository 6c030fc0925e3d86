"""The monthly billing run: every active membership billed to its payer, through the batch rules.

One bill per payer and month, one line per participant with the amounts per program and payer
and the inputs used (the month's inputs are then frozen: corrections become adjustment notes).
The run is one transaction behind a lock: run twice, or twice at the same time, it issues one set
of bills (the second run finds every payer billed); interrupted, it leaves nothing, and the next
run issues everything. A unique (month, payer) constraint backs this up. Only province-wide
editors (and the system) may run it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.contributions.bulk.billing import active_members, compute_lines, payer_keys, relief_facts, write_bills
from jamsostek.contributions.models import BillingRun, RulesVersion
from jamsostek.contributions.services.payments import apply_credit
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.core.bulk.frames import query_frame
from jamsostek.core.cli import count
from jamsostek.rules.contributions import unknown_holiday_dues
from jamsostek.rules.parameterset import default_parameters
from jamsostek.rules.periods import Month

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunResult:
    period: Month
    run_id: int
    bills: int
    lines: int
    total: int
    already_billed: int
    seconds: float
    unknown_holidays: tuple[date, ...] = ()  # due dates in a year with no public holiday list
    relief_assumed: int = 0  # payers with no bill old enough to tell whether a relief's condition held

    @property
    def warnings(self) -> tuple[str, ...]:
        """What is uncertain about the bills, in the active language."""
        text = _(
            "the public holidays of %(year)s are not in the calendar: the due date %(date)s moves for weekends only"
        )
        found = [text % {"year": due.year, "date": due.isoformat()} for due in self.unknown_holidays]
        if self.relief_assumed:
            found.append(_(
                "%(payers)s payers have no bill old enough to tell whether they had paid up, a condition of the "
                "month's relief: the relief was applied to them"
            ) % {"payers": count(self.relief_assumed)})  # fmt: skip
        return tuple(found)

    def summary(self) -> str:
        """In the active language."""
        text = _(
            "billing %(period)s: %(bills)s bills with %(lines)s lines, Rp%(total)s (%(already)s payers were already "
            "billed) in %(seconds)s s"
        ) % {"period": self.period, "bills": count(self.bills), "lines": count(self.lines), "total": count(self.total),
             "already": count(self.already_billed), "seconds": number_format(self.seconds, 1)}  # fmt: skip
        return "\n".join([text, *(_("warning: %(warning)s") % {"warning": warning} for warning in self.warnings)])


def rules_version(period: Month) -> RulesVersion:
    """The stored snapshot of the parameters in force for ``period`` (made once per content)."""
    snapshot = default_parameters().snapshot(period.first_day)
    text = json.dumps(snapshot, sort_keys=True)
    fingerprint = hashlib.sha256(text.encode()).hexdigest()
    version, _ = RulesVersion.objects.get_or_create(
        period=period.first_day, fingerprint=fingerprint, defaults={"parameters": snapshot}
    )
    return version


def _lock(db: BaseDatabaseWrapper) -> None:
    """One billing run at a time (SQLite: the write transaction already serialises runs)."""
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("LOCK TABLE contributions_billingrun IN SHARE ROW EXCLUSIVE MODE")


def billing_run(*, actor: Any, period: Month, progress: Progress | None = None) -> RunResult:
    """Issue the bills of ``period`` for every payer not billed yet (see the module docstring)."""
    for_actor(actor).require(Action.RUN_BILLING)
    started = time.perf_counter()
    db = connection
    say = progress or (lambda message: None)
    # read before the run's transaction, so that its two reads go at once (each on its own
    # connection); under READ COMMITTED the transaction would see no firmer state of the registry
    members = payer_keys(active_members(db, period))
    with transaction.atomic():
        _lock(db)
        now = timezone.now()
        run = BillingRun.objects.create(period=period.first_day, started_at=now, actor_label=actor_label(actor))
        version = rules_version(period)
        billed = query_frame(db, "SELECT payer_key FROM contributions_bill WHERE period = %s",
                             [period.first_day.isoformat()], {"payer_key": pl.String})  # fmt: skip
        already = members.filter(pl.col("payer_key").is_in(billed["payer_key"].implode()))["payer_key"].n_unique()
        members = members.filter(~pl.col("payer_key").is_in(billed["payer_key"].implode()))
        say(f"billing {period}: {members.height:,} memberships of payers not billed yet")
        if members.height == 0:
            run.finished_at = timezone.now()
            run.save(update_fields=["finished_at"])
            return RunResult(period, run.pk, 0, 0, 0, already, time.perf_counter() - started)
        members, relief_assumed = relief_facts(db, members, period)
        lines = compute_lines(members, period)
        bills, line_count = write_bills(db, lines, period, run_id=run.pk, rules_id=version.pk, now=now, say=say)
        total = int(bills["total"].sum())
        run.finished_at = timezone.now()
        run.bills = bills.height
        run.lines = line_count
        run.save(update_fields=["finished_at", "bills", "lines"])
        audit_record(actor=actor, action="create", instance=run, reason=_("monthly billing run"),
                     changes={"period": [None, str(period)], "bills": [None, run.bills], "lines": [None, run.lines],
                              "total": [None, total]})  # fmt: skip
        apply_credit(payer_keys=bills["payer_key"].to_list(), period=period)
    # timed after the commit, which on PostgreSQL checks each new row's foreign keys (seconds)
    return RunResult(period, run.pk, bills.height, line_count, total, already, time.perf_counter() - started,
                     tuple(unknown_holiday_dues(period)), relief_assumed)  # fmt: skip
