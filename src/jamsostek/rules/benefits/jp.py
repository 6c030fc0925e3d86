"""JP: pension age, the old-age pension of the first year, the lump sum, and survivors.

PP 45/2015 and Permenaker 29/2015:

- pension age (art. 15): 56, 57 from 1 January 2019, one more every 3 years until 65 (the steps
  from 2028 are derived and flagged). A participant reaches pension age on the first day their
  age is at least the pension age in force that day (project reading of art. 15);
- with at least 15 years (180 months) of contributions, a monthly pension: first year
  ``1 % x contribution months / 12 x average indexed monthly wage`` (art. 17(2)), kept between the
  minimum and maximum of the year it starts (art. 18); years without a known minimum or maximum
  are said so and the amount is not clamped;
- with fewer months, a lump sum of contributions plus returns (``savings.accumulate``);
- a participant who dies before pension age with fewer than 15 years: the widow/widower pension is
  computed as if 15 years when membership is at least 1 year and the contribution density at
  least 80 % (Permenaker 29/2015 art. 26), otherwise the lump sum. The share of the formula paid to
  survivors is UNCONFIRMED and not encoded: such results give the formula basis in ``details``.

The average indexed wage is an input: the inflation series used for indexing is not encoded.
Indexation from the second year on (art. 17(1)(b)) and the disability pension are not encoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitLine,
    BenefitResult,
    Detail,
    anniversary,
    check_choice,
    check_date,
    check_months,
    check_not_before,
)
from jamsostek.rules.benefits.savings import Savings, accumulate
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import check_rupiah
from jamsostek.rules.money import percent_text, round_half_up, rupiah
from jamsostek.rules.parameterset import Entry, ParameterSet, Reference

EVENTS = ("old_age", "death")
LUMP_SUM_BASIS = Reference(instrument="PP", number="45", year=2015, title="akumulasi iuran dan hasil pengembangannya")


@dataclass(frozen=True, slots=True)
class PensionAge:
    """When someone born on ``birth_date`` reaches the JP pension age."""

    birth_date: date
    pension_date: date
    """The first day their age is at least the pension age in force that day."""
    age: int
    """The pension age in force on ``pension_date``."""
    entry: Entry

    @property
    def confirmed(self) -> bool:
        """False when that step of the schedule is derived (from 2028)."""
        return self.entry.confirmed


def jp_pension_age(*, birth_date: date, parameters: ParameterSet | None = None) -> PensionAge:
    """The day a participant born on ``birth_date`` reaches the pension age, and that age."""
    check_date("birth_date", birth_date)
    return _pension_age(Lookup(parameters, birth_date, program="jp", field="birth_date"), birth_date)


def _pension_age(ctx: Lookup, birth_date: date) -> PensionAge:
    """Walk the schedule: the first step in whose span the participant's age reaches its value.

    No warning here: a caller warns about a derived step only where it decides something.
    """
    entries = ctx.parameters["benefits.jp.pension_age"].entries
    for index, entry in enumerate(entries):
        candidate = max(anniversary(birth_date, entry.value), entry.start)
        following = entries[index + 1].start if index + 1 < len(entries) else None
        if following is None or candidate < following:
            return PensionAge(birth_date, candidate, entry.value, entry)
    raise AssertionError("the last step of the schedule is open")  # pragma: no cover


def _warn_derived(ctx: Lookup, reached: PensionAge) -> None:
    if not reached.confirmed:
        note = " ".join((reached.entry.note or "UNCONFIRMED").split())
        ctx.warn(f"the pension age {reached.age} from {reached.entry.start} is not confirmed: {note}")


def jp_benefit(
    *,
    on: date,
    birth_date: date,
    contribution_months: int,
    average_indexed_wage: int | None = None,
    event: str = "old_age",
    membership_months: int | None = None,
    savings: Savings | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The JP benefit for a pension starting on ``on`` (``old_age``) or a death on ``on``.

    ``average_indexed_wage`` is the average monthly wage over the contribution period, indexed by
    inflation (PP 45/2015 art. 17(3)). ``membership_months`` (months since joining JP) decides the
    survivor rule after a death with fewer than 180 contribution months. ``savings`` computes the
    lump sum (contributions plus returns) when there is no pension.
    """
    check_date("date", on)
    check_date("birth_date", birth_date)
    check_not_before("date", on, "birth_date", birth_date)
    check_choice("event", event, EVENTS)
    check_months("contribution_months", contribution_months)
    if average_indexed_wage is not None:
        check_rupiah("average_wage", average_indexed_wage)
    if membership_months is not None:
        check_months("membership_months", membership_months)
        if contribution_months > membership_months:
            raise InvalidInput(
                "contribution_months",
                "more_than",
                value=contribution_months,
                other="membership_months",
                limit=membership_months,
            )
    ctx = Lookup(parameters, on, program="jp", field="date")
    reached = _pension_age(ctx, birth_date)
    details: dict[str, Detail] = {
        "pension_date": reached.pension_date.isoformat(),
        "pension_age": reached.age,
        "contribution_months": contribution_months,
    }
    needed = ctx.entry("benefits.jp.minimum_contribution_months")
    if event == "death":
        if on >= reached.entry.start:
            _warn_derived(ctx, reached)
        return _death(
            ctx,
            reached,
            needed,
            contribution_months,
            average_indexed_wage,
            membership_months,
            savings,
            details,
        )
    _warn_derived(ctx, reached)
    if on < reached.pension_date:
        return ctx.result(
            eligible=False,
            code="below_pension_age",
            reason=f"the pension age is {reached.age}, reached on {reached.pension_date}",
            basis=[reached.entry],
            details=details,
        )
    deferral = ctx.entry("benefits.jp.deferral_max_years")
    latest = anniversary(reached.pension_date, deferral.value)
    if on > latest:
        ctx.warn(
            f"{on} is more than {deferral.value} years after pension age ({reached.pension_date}): "
            f"a participant still employed may start the pension at most on {latest} (PP 45/2015 art. 15(4))"
        )
    if contribution_months < needed.value:
        return _lump_sum(
            ctx,
            savings,
            details,
            reason=f"{contribution_months} contribution months, fewer than {needed.value}: "
            "contributions and returns are paid at once",
            basis=[needed, reached.entry],
        )
    if average_indexed_wage is None:
        raise InvalidInput("average_wage", "required")
    line = _pension_line(ctx, contribution_months, average_indexed_wage)
    return ctx.result(
        eligible=True,
        code="eligible",
        reason=f"pension age {reached.age} reached on {reached.pension_date} with {contribution_months} "
        f"contribution months: a monthly old-age pension",
        basis=[needed, reached.entry, ctx.entry("benefits.jp.accrual_rate")],
        lines=[line],
        details={**details, "paid": "monthly"},
    )


def _formula(ctx: Lookup, months: int, wage: int) -> tuple[int, str, Entry]:
    accrual = ctx.entry("benefits.jp.accrual_rate")
    exact = accrual.value * Fraction(months, 12) * wage
    value = round_half_up(exact)
    years = Fraction(months, 12)
    years_text = str(years.numerator) if years.denominator == 1 else f"{months}/12"
    return (
        value,
        f"{percent_text(accrual.value)} × {years_text} years × {rupiah(wage)} = {rupiah(value)}",
        accrual,
    )


def _pension_line(ctx: Lookup, months: int, wage: int) -> BenefitLine:
    """The first-year monthly pension, kept between the minimum and maximum in force.

    A bound is cited (and its confirmation counts) only when it changes the amount; a period where
    either bound is not known gives the formula amount, flagged.
    """
    value, how, accrual = _formula(ctx, months, wage)
    low = ctx.parameters.at("benefits.jp.minimum_benefit", ctx.day)
    high = ctx.parameters.at("benefits.jp.maximum_benefit", ctx.day)
    used = [accrual]
    paid = value
    known = low.value is not None and high.value is not None
    if not known:
        used += [ctx.entry("benefits.jp.minimum_benefit"), ctx.entry("benefits.jp.maximum_benefit")]
        ctx.warn(
            f"the JP minimum and maximum benefit in force on {ctx.day} are not known (UNCONFIRMED): "
            "the formula amount is shown without them"
        )
    elif value < low.value:
        paid = low.value
        used.append(ctx.entry("benefits.jp.minimum_benefit"))
        how += f", raised to the minimum {rupiah(low.value)}"
    elif value > high.value:
        paid = high.value
        used.append(ctx.entry("benefits.jp.maximum_benefit"))
        how += f", lowered to the maximum {rupiah(high.value)}"
    else:
        how += f", between the minimum {rupiah(low.value)} and the maximum {rupiah(high.value)}"
    return ctx.line("old_age_pension", "old-age pension, a month (first year)", paid, used, how, confirmed=known)


def _lump_sum(
    ctx: Lookup,
    savings: Savings | None,
    details: dict[str, Detail],
    *,
    reason: str,
    basis: list[Entry],
) -> BenefitResult:
    lines: list[BenefitLine] = []
    if savings is None:
        ctx.warn("no contribution history or balance was given: the lump sum is not computed")
    else:
        lines = accumulate(ctx, savings, until=ctx.day, key="lump_sum", item="JP lump sum", basis=LUMP_SUM_BASIS)
    return ctx.result(
        eligible=True,
        code="lump_sum",
        reason=reason,
        basis=[*basis, LUMP_SUM_BASIS],
        lines=lines,
        details={**details, "paid": "at once"},
    )


def _death(
    ctx: Lookup,
    reached: PensionAge,
    needed: Entry,
    months: int,
    wage: int | None,
    membership: int | None,
    savings: Savings | None,
    details: dict[str, Detail],
) -> BenefitResult:
    """Survivors of a participant who died on ``ctx.day``: which rule applies (share UNCONFIRMED)."""
    basis: list[Entry] = [needed]
    as_if = months
    if months < needed.value:
        if membership is None:
            raise InvalidInput("membership_months", "required")
        if ctx.day >= reached.pension_date:
            return _lump_sum(
                ctx,
                savings,
                details,
                reason=f"died after reaching pension age with {months} contribution months (fewer than "
                f"{needed.value}): contributions and returns are paid to the heirs at once",
                basis=[needed, reached.entry],
            )
        least = ctx.entry("benefits.jp.survivor_minimum_membership_months")
        density_needed = ctx.entry("benefits.jp.survivor_minimum_density")
        basis += [least, density_needed]
        density = Fraction(months, membership) if membership else Fraction(0)
        details["density"] = percent_text(Fraction(round_half_up(density * 10000), 10000))
        if membership < least.value or density < density_needed.value:
            return _lump_sum(
                ctx,
                savings,
                details,
                reason=f"died before pension age with {months} contribution months in {membership} months of "
                f"membership (at least {least.value} months and {percent_text(density_needed.value)} density "
                "are needed for a survivor pension): contributions and returns are paid to the heirs at once",
                basis=basis,
            )
        as_if = needed.value
    if wage is None:
        raise InvalidInput("average_wage", "required")
    value, how, accrual = _formula(ctx, as_if, wage)
    ctx.warn(
        "the share of the pension formula paid to a widow/widower, child or parent is UNCONFIRMED and not "
        "encoded: no amount is computed; details.formula_basis is the formula before that share"
    )
    counted = "as if " if as_if != months else ""
    return ctx.result(
        eligible=True,
        code="survivor_pension",
        reason=f"a survivor pension (widow/widower, else up to two children, else one parent; see "
        f"`jamsostek heirs --program jp`), computed {counted}{as_if} contribution months",
        basis=[*basis, accrual],
        details={**details, "months_counted": as_if, "formula_basis": value, "formula": how},
    )
