"""Contributions of one participant for one period, itemised and explained (the scalar path).

The entry point ``contribution`` hands each segment to its module in ``rules.segments`` (PU, BPU,
Jakon and PMI); each reads dated parameters through a ``rules.context.Context`` that remembers
which values were used, so every line carries its legal references and whether all of them are
confirmed, and every unconfirmed value used becomes a warning. The due dates and late fines the
billing asks for are here too. ``jamsostek.rules.batch`` computes the same
amounts for many participants at once; a property test holds the two to exact agreement.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from jamsostek.rules.context import Context
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.holidays import public_holidays
from jamsostek.rules.model import (
    BPUInput,
    ContributionInput,
    ContributionResult,
    JakonInput,
    PMIInput,
    PUInput,
    check_bool,
)
from jamsostek.rules.parameterset import ParameterSet, default_parameters
from jamsostek.rules.periods import Month
from jamsostek.rules.segments.bpu import bpu_due_date, bpu_lines, bpu_nominal
from jamsostek.rules.segments.jakon_pmi import jakon_lines, pmi_lines, pmi_package, progressive
from jamsostek.rules.segments.pu import HOLIDAY_WINDOW_DAYS, fines, pu_due_date, pu_lines

__all__ = [
    "HOLIDAY_WINDOW_DAYS",
    "bpu_nominal",
    "contribution",
    "due_date",
    "due_date_caveats",
    "late_fine_rates",
    "late_fines",
    "pmi_package",
    "progressive",
    "unknown_holiday_dues",
]


# --- due dates and fines for billing --------------------------------------------------------------


def due_date(segment: str, period: Month, parameters: ParameterSet | None = None) -> date:
    """When the contribution of ``period`` is due: PU, Jakon and PMI on the 15th (30th in the PP 49/2020
    window) of the next month, BPU on the 15th of the month itself; a weekend or a known public
    holiday moves it to the next working day."""
    ctx = Context(parameters or default_parameters(), period)
    return bpu_due_date(ctx) if segment == "bpu" else pu_due_date(ctx)


def unknown_holiday_dues(period: Month, parameters: ParameterSet | None = None) -> list[date]:
    """The due dates of ``period`` (PU, BPU; each once) in a year whose public holidays are not in
    the calendar: they move for weekends only."""
    parameters = parameters or default_parameters()
    dues: list[date] = []
    for segment in ("pu", "bpu"):  # the two due-date rules (Jakon and PMI are due as PU)
        due = due_date(segment, period, parameters)
        if public_holidays(parameters, due.year) is None and due not in dues:
            dues.append(due)
    return dues


def due_date_caveats(period: Month, parameters: ParameterSet | None = None) -> list[str]:
    """What is uncertain about the due dates of ``period``, in English (``unknown_holiday_dues``)."""
    return [f"the public holidays of {due.year} are not in the calendar: the due date {due} moves for weekends only"
            for due in unknown_holiday_dues(period, parameters)]  # fmt: skip


def late_fine_rates(period: Month, parameters: ParameterSet | None = None) -> tuple[Fraction, Fraction, bool]:
    """The fine per started month of delay on JKK + JKM and on JHT + JP for ``period``, and whether
    both rates are confirmed (for vectorised arrears; ``late_fines`` itemises one bill)."""
    ctx = Context(parameters or default_parameters(), period)
    first = ctx.entry("fines.pu_late_rate_per_month")
    second = ctx.entry("fines.pu_late_rate_per_month_jht_jp")
    return first.value, second.value, first.confirmed and second.confirmed


def late_fines(
    *,
    period: Month,
    paid_on: date,
    jkk_jkm: int,
    jht_jp: int,
    state_body: bool | None = None,
    parameters: ParameterSet | None = None,
) -> ContributionResult:
    """The late-payment fines of an employer's contribution of ``period`` paid on ``paid_on``:
    ``jkk_jkm`` and ``jht_jp`` are the amounts that were due (the billed JKK + JKM, and JHT + JP).
    A state body (``state_body`` true) is not fined: its lines are 0; None (not known) fines, with a
    warning. BPU contributions carry no fine; callers do not ask for them."""
    for name, value in (("jkk_jkm", jkk_jkm), ("jht_jp", jht_jp)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(name, "negative", value=value)
    ctx = Context(parameters or default_parameters(), period)
    due = pu_due_date(ctx)
    if state_body is not None:
        check_bool("state_body", state_body)
    lines = fines(ctx, paid_on, due, jkk_jkm, jht_jp, state_body=state_body)
    return ContributionResult(
        segment="pu", period=period, lines=tuple(lines), warnings=tuple(ctx.warnings), due_date=due
    )


# --- entry point -------------------------------------------------------------------------------


def contribution(
    inputs: ContributionInput, period: Month, parameters: ParameterSet | None = None
) -> ContributionResult:
    """The itemised contribution of one participant (or project) for ``period``."""
    ctx = Context(parameters or default_parameters(), period)
    due: date | None = None
    if isinstance(inputs, PUInput):
        lines, due = pu_lines(inputs, ctx)
        segment = "pu"
    elif isinstance(inputs, BPUInput):
        lines, due = bpu_lines(inputs, ctx)
        segment = "bpu"
    elif isinstance(inputs, JakonInput):
        lines = jakon_lines(inputs, ctx)
        segment = "jakon"
    elif isinstance(inputs, PMIInput):
        lines = pmi_lines(inputs, ctx)
        segment = "pmi"
    else:  # pragma: no cover - the type checker sees every case
        raise TypeError(f"not a contribution input: {inputs!r}")
    return ContributionResult(
        segment=segment,  # type: ignore[arg-type]
        period=period,
        lines=tuple(lines),
        warnings=tuple(ctx.warnings),
        due_date=due,
    )
