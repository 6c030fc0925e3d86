"""JKP: the job-loss cash benefit, its eligibility and its claim deadline.

PP 37/2021 as amended by PP 6/2025 (in force 7 February 2025). The regime is the one in force on
the **termination date** (project choice): before 7 February 2025, 45 % of the wage for months 1-3
and 25 % for months 4-6; from then on, 60 % for 6 months; the wage is the last reported wage up
to Rp5,000,000 (confirmed under PP 6/2025 only). Each monthly payment is rounded once, then
multiplied by its months.

Eligible: under 54 at registration; at least 12 contribution months in the last 24 and 6
consecutive months just before the termination; not a resignation, total permanent disability,
retirement or death; claimed within the deadline (6 months from the termination under PP 6/2025;
3 months before, UNCONFIRMED). Not encoded: citizenship, the programmes the worker must be in,
the willingness to work again, and the arrears rule of the new art. 39A.
"""

from __future__ import annotations

from datetime import date

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitLine,
    BenefitResult,
    Detail,
    add_months,
    check_choice,
    check_date,
    check_months,
    check_not_before,
    check_optional_date,
)
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import check_rupiah
from jamsostek.rules.money import amount, percent_text, rupiah
from jamsostek.rules.parameterset import Entry, ParameterSet

QUALIFYING = "termination"


def jkp_benefit(
    *,
    termination_date: date,
    last_wage: int,
    months_paid_last_24: int,
    consecutive_months: int,
    reason: str = "termination",
    age_at_registration: int | None = None,
    claim_date: date | None = None,
    previous_claims: int = 0,
    months_since_previous_claim: int | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The JKP cash benefit after a termination (PHK) on ``termination_date``.

    ``months_paid_last_24``: contribution months paid in the 24 months before the termination;
    ``consecutive_months``: contribution months paid without a gap just before it;
    ``reason``: how the employment ended (``termination`` by the employer qualifies; a fixed-term
    contract ending at its term, ``contract_end``, does not); ``previous_claims``: JKP benefits
    already received, with ``months_since_previous_claim`` the contribution months paid since the
    last one.
    """
    check_date("termination_date", termination_date)
    check_rupiah("last_wage", last_wage)
    check_months("consecutive_months", consecutive_months)
    check_months("previous_claims", previous_claims, high=100)
    if months_since_previous_claim is not None:
        check_months("months_since_previous_claim", months_since_previous_claim)
    if age_at_registration is not None:
        check_months("age_at_registration", age_at_registration, low=0, high=120)
    claimed_on = check_optional_date("claim_date", claim_date)
    if claimed_on is not None:
        check_not_before("claim_date", claimed_on, "termination_date", termination_date)
    ctx = Lookup(parameters, termination_date, program="jkp", field="termination_date")
    excluded = ctx.entry("benefits.jkp.excluded_reasons")
    fixed_term = ctx.entry("benefits.jkp.fixed_term_end_excluded")
    check_choice("reason", reason, (QUALIFYING, *excluded.value, *fixed_term.value))
    window = ctx.entry("benefits.jkp.contribution_window_months")
    check_months("months_paid_last_24", months_paid_last_24, high=window.value)
    if consecutive_months < window.value and consecutive_months > months_paid_last_24:
        raise InvalidInput(
            "consecutive_months",
            "more_than",
            value=consecutive_months,
            other="months_paid_last_24",
            limit=months_paid_last_24,
        )
    deadline_entry = ctx.entry("benefits.jkp.claim_deadline_months")
    deadline = add_months(termination_date, deadline_entry.value)
    schedule = ctx.entry("benefits.jkp.cash_schedule")
    details: dict[str, Detail] = {"regime": _law(schedule), "claim_deadline": deadline.isoformat()}
    refusal = _ended_without_right(ctx, excluded, fixed_term, reason) or _repeat_claim(
        ctx, previous_claims, months_since_previous_claim
    )
    refusal = refusal or _refusal(
        ctx,
        age_at_registration,
        months_paid_last_24,
        consecutive_months,
        window,
        claimed_on,
        deadline,
    )
    if refusal is not None:
        code, why, basis = refusal
        return ctx.result(eligible=False, code=code, reason=why, basis=[basis], details=details)
    if claimed_on is None:
        ctx.warn(f"no claim date given: the claim must be made by {deadline} or the right is lost")
    else:
        later = ctx.parameters.at("benefits.jkp.cash_schedule", claimed_on)
        if later.start != schedule.start:
            ctx.warn(
                f"terminated under {_law(schedule)} and claimed under {_law(later)}: the benefit of the "
                "termination date is applied; the transitional rule is UNCONFIRMED"
            )
    months = ctx.entry("benefits.jkp.benefit_months")
    cap_value: int = ctx.parameters.at("benefits.jkp.wage_cap", termination_date).value
    capped = [ctx.entry("benefits.jkp.wage_cap")] if last_wage > cap_value else []
    base = min(last_wage, cap_value)
    lines = _cash(ctx, schedule, [months, *capped], last_wage, base)
    return ctx.result(
        eligible=True,
        code="eligible",
        reason=f"terminated with {months_paid_last_24} contribution months in the last {window.value} and "
        f"{consecutive_months} consecutive: cash benefit for {months.value} months",
        basis=[schedule, ctx.entry("benefits.jkp.minimum_months_paid"), deadline_entry],
        lines=lines,
        details={**details, "wage_used": base},
    )


def _law(entry: Entry) -> str:
    return f"{entry.reference.instrument} {entry.reference.number}/{entry.reference.year}"


def _ended_without_right(ctx: Lookup, excluded: Entry, fixed_term: Entry, reason: str) -> tuple[str, str, Entry] | None:
    if reason in fixed_term.value:
        why = (
            "a fixed-term contract (PKWT) that ended at its term gives no JKP: the benefit is for a "
            "termination by the employer before the term"
        )
        return "excluded_reason", why, fixed_term
    if reason in excluded.value:
        return "excluded_reason", f"no JKP benefit after {reason.replace('_', ' ')}", excluded
    return None


def _repeat_claim(ctx: Lookup, previous: int, months_since: int | None) -> tuple[str, str, Entry] | None:
    """A second or third claim needs more contribution months since the previous benefit."""
    if previous == 0:
        return None
    most = ctx.entry("benefits.jkp.maximum_claims")
    if previous >= most.value:
        return "too_many_claims", f"{previous} JKP benefits already received; at most {most.value}", most
    needed = ctx.entry("benefits.jkp.repeat_claim_minimum_months")
    if months_since is None:
        ctx.warn(
            f"claim number {previous + 1}: {needed.value} contribution months since the previous benefit are "
            "needed and were not given (months_since_previous_claim): not checked"
        )
        return None
    if months_since < needed.value:
        why = (
            f"claim number {previous + 1}: {months_since} contribution months since the previous benefit; "
            f"{needed.value} are needed"
        )
        return "too_few_months", why, needed
    return None


def _refusal(
    ctx: Lookup,
    age: int | None,
    paid: int,
    consecutive: int,
    window: Entry,
    claimed_on: date | None,
    deadline: date,
) -> tuple[str, str, Entry] | None:
    oldest = ctx.entry("benefits.jkp.maximum_registration_age")
    if age is None:
        ctx.warn(f"no age at registration given: the limit (under {oldest.value}) is not checked")
    elif age >= oldest.value:
        return (
            "too_old_at_registration",
            f"age {age} at registration; JKP requires under {oldest.value}",
            oldest,
        )
    least = ctx.entry("benefits.jkp.minimum_months_paid")
    if paid < least.value:
        return (
            "too_few_months",
            f"{paid} contribution months in the last {window.value}; at least {least.value} are needed",
            least,
        )
    in_a_row = ctx.entry("benefits.jkp.minimum_consecutive_months")
    if consecutive < in_a_row.value:
        return (
            "too_few_consecutive_months",
            f"{consecutive} consecutive contribution months before the termination; {in_a_row.value} are needed",
            in_a_row,
        )
    if claimed_on is not None and claimed_on > deadline:
        return (
            "claim_deadline_passed",
            f"claimed on {claimed_on}, after the deadline {deadline}: the right is lost",
            ctx.entry("benefits.jkp.claim_deadline_months"),
        )
    return None


def _cash(ctx: Lookup, schedule: Entry, used: list[Entry], wage: int, base: int) -> list[BenefitLine]:
    """One line per rate of the schedule; ``used[0]`` is the number of months, then the cap if it bit."""
    capped = f" (last wage {rupiah(wage)} capped)" if wage > base else ""
    months = used[0]
    rows = schedule.value
    lines: list[BenefitLine] = []
    for index, row in enumerate(rows):
        last = min(rows[index + 1].start - 1 if index + 1 < len(rows) else months.value, months.value)
        count = last - row.start + 1
        if count <= 0:
            break
        monthly = amount(base, row.rate)
        value = monthly * count
        lines.append(
            ctx.line(
                f"cash.months_{row.start}_{last}",
                f"cash benefit, months {row.start}-{last}",
                value,
                [schedule, *used],
                f"{percent_text(row.rate)} × {rupiah(base)}{capped} = {rupiah(monthly)} a month × {count}"
                f" = {rupiah(value)}",
            )
        )
    return lines
