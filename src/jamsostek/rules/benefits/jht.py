"""JHT: the old-age savings balance, when it may be claimed, and the one partial withdrawal.

PP 46/2015 (as amended by PP 60/2015) and Permenaker 4/2022 (which restored the rules of
Permenaker 19/2015): the whole balance is paid at age 56 (or the contractual retirement age), at
the end of a fixed-term contract, one month after a resignation letter or a termination (PHK),
on leaving Indonesia for good, on total permanent disability, or to the heirs on death. After 10
years of membership, once, up to 30 % may be withdrawn for housing or up to 10 % for other
retirement preparation. The balance is the contributions plus the declared returns
(``savings.accumulate``).
"""

from __future__ import annotations

from datetime import date

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitLine,
    BenefitResult,
    Detail,
    add_months,
    age_on,
    anniversary,
    check_choice,
    check_date,
    check_months,
    check_not_before,
    check_optional_date,
    whole_months_between,
)
from jamsostek.rules.benefits.savings import Savings, accumulate
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.money import amount, percent_text, rupiah
from jamsostek.rules.parameterset import Entry, ParameterSet, Reference

BALANCE_BASIS = Reference(instrument="PP", number="46", year=2015, article="22(2)-(3)")
PURPOSES = ("housing", "other")
_WAITING = ("resignation", "termination")


def _balance(ctx: Lookup, savings: Savings, on: date) -> list[BenefitLine]:
    return accumulate(ctx, savings, until=on, key="balance", item="JHT", basis=BALANCE_BASIS)


def jht_balance(*, on: date, savings: Savings, parameters: ParameterSet | None = None) -> BenefitResult:
    """The JHT balance on ``on``: contributions plus declared returns (not a claim decision)."""
    check_date("claim_date", on)
    ctx = Lookup(parameters, on, program="jht", field="claim_date")
    reasons = ctx.entry("benefits.jht.claim_reasons")
    lines = _balance(ctx, savings, on)
    return ctx.result(
        eligible=True,
        code="balance",
        reason=f"the JHT balance on {on} (a statement, not a claim decision)",
        basis=[BALANCE_BASIS, reasons],
        lines=lines,
    )


def jht_benefit(
    *,
    claim_date: date,
    reason: str,
    savings: Savings,
    birth_date: date | None = None,
    event_date: date | None = None,
    retirement_age: int | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """Whether the whole JHT balance may be claimed on ``claim_date`` for ``reason``, and how much.

    ``birth_date`` is needed for ``age``; ``event_date`` (date of the resignation letter, of the
    termination, or of the end of the contract) for ``resignation``, ``termination`` and
    ``contract_end``; ``retirement_age`` is the age in the contract, company rules or CLA, if any.
    """
    check_date("claim_date", claim_date)
    check_optional_date("birth_date", birth_date)
    check_optional_date("event_date", event_date)
    ctx = Lookup(parameters, claim_date, program="jht", field="claim_date")
    reasons = ctx.entry("benefits.jht.claim_reasons")
    every = ctx.parameters["benefits.jht.claim_reasons"].entries
    check_choice("reason", reason, tuple(dict.fromkeys(name for entry in every for name in entry.value)))
    if reason not in reasons.value:
        later = next(entry.start for entry in every if entry.start > claim_date and reason in entry.value)
        return ctx.result(
            eligible=False,
            code="reason_not_in_force",
            reason=f"the whole JHT balance may be claimed for {reason.replace('_', ' ')} only from {later}",
            basis=[reasons],
            details={"eligible_from": later.isoformat()},
        )
    refusal = _refusal(ctx, reason, claim_date, birth_date, event_date, retirement_age)
    if refusal is not None:
        code, why, basis, eligible_from = refusal
        return ctx.result(
            eligible=False,
            code=code,
            reason=why,
            basis=[basis],
            details={"eligible_from": eligible_from.isoformat()},
        )
    lines = _balance(ctx, savings, claim_date)
    heirs = "; paid to the heirs (see `jamsostek heirs`)" if reason == "death" else ""
    return ctx.result(
        eligible=True,
        code="eligible",
        reason=f"the whole JHT balance may be claimed: {reason.replace('_', ' ')}{heirs}",
        basis=[reasons, BALANCE_BASIS],
        lines=lines,
        details={"reason": reason},
    )


def _refusal(
    ctx: Lookup,
    reason: str,
    claim_date: date,
    birth_date: date | None,
    event_date: date | None,
    retirement_age: int | None,
) -> tuple[str, str, Entry, date] | None:
    """(code, reason, legal basis, first eligible day) when the claim is refused, else None."""
    if reason == "age":
        if birth_date is None:
            raise InvalidInput("birth_date", "required")
        check_not_before("claim_date", claim_date, "birth_date", birth_date)
        claim_age = ctx.entry("benefits.jht.claim_age")
        threshold = claim_age.value
        if retirement_age is not None:
            threshold = min(threshold, check_months("retirement_age", retirement_age, low=1, high=100))
        age = age_on(birth_date, claim_date)
        if age < threshold:
            return (
                "below_claim_age",
                f"age {age} on {claim_date}; the JHT is paid from age {threshold}",
                claim_age,
                anniversary(birth_date, threshold),
            )
        return None
    if retirement_age is not None:
        raise InvalidInput("retirement_age", "not_applicable", what=f"reason {reason}")
    if reason in (*_WAITING, "contract_end"):
        if event_date is None:
            raise InvalidInput("event_date", "required")
        wait = ctx.entry("benefits.jht.waiting_period_months") if reason in _WAITING else None
        eligible_from = add_months(event_date, wait.value) if wait is not None else event_date
        if claim_date < eligible_from:
            what = "the resignation letter" if reason == "resignation" else f"the {reason.replace('_', ' ')}"
            waiting = f" and the {wait.value}-month waiting period" if wait is not None else ""
            return (
                "waiting_period" if wait is not None else "contract_not_ended",
                f"{what} is dated {event_date}{waiting}: the JHT may be claimed from {eligible_from}",
                wait or ctx.entry("benefits.jht.claim_reasons"),
                eligible_from,
            )
    elif event_date is not None:
        raise InvalidInput("event_date", "not_applicable", what=f"reason {reason}")
    return None


def jht_partial_withdrawal(
    *,
    claim_date: date,
    purpose: str,
    membership_start: date,
    savings: Savings,
    previous_withdrawals: int = 0,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The partial JHT withdrawal (``housing``: 30 %, ``other``: 10 %) after 10 years, once."""
    check_date("claim_date", claim_date)
    check_choice("purpose", purpose, PURPOSES)
    check_date("membership_start", membership_start)
    check_not_before("claim_date", claim_date, "membership_start", membership_start)
    check_months("previous_withdrawals", previous_withdrawals, high=10)
    ctx = Lookup(parameters, claim_date, program="jht", field="claim_date")
    minimum = ctx.entry("benefits.jht.partial_minimum_membership_months")
    allowed = ctx.entry("benefits.jht.partial_withdrawals_allowed")
    share = ctx.entry(f"benefits.jht.partial_{purpose}_share")
    membership = whole_months_between(membership_start, claim_date)
    details: dict[str, Detail] = {"purpose": purpose, "membership_months": membership}
    if previous_withdrawals >= allowed.value:
        return ctx.result(
            eligible=False,
            code="already_withdrawn",
            reason=f"a partial withdrawal is allowed {allowed.value} time(s) during membership: already used",
            basis=[allowed],
            details=details,
        )
    if membership < minimum.value:
        eligible_from = add_months(membership_start, minimum.value)
        return ctx.result(
            eligible=False,
            code="membership_too_short",
            reason=f"{membership} months of membership; {minimum.value} are needed (from {eligible_from})",
            basis=[minimum],
            details={**details, "eligible_from": eligible_from.isoformat()},
        )
    balance_lines = _balance(ctx, savings, claim_date)
    balance = sum(line.amount for line in balance_lines)
    value = amount(balance, share.value)
    line = ctx.line(
        f"partial_{purpose}",
        f"partial withdrawal for {'home ownership' if purpose == 'housing' else 'other retirement needs'}"
        f" (at most {percent_text(share.value)} of the balance)",
        value,
        [share, minimum],
        f"{percent_text(share.value)} × {rupiah(balance)} balance = {rupiah(value)}",
        confirmed=all(item.confirmed for item in balance_lines),
    )
    return ctx.result(
        eligible=True,
        code="eligible",
        reason=f"{membership} months of membership and no earlier partial withdrawal",
        basis=[minimum, allowed, share],
        lines=[line],
        details={**details, "balance": balance, "remaining_balance": balance - value},
    )
