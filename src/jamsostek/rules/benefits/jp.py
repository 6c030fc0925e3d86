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
- a participant who dies before pension age with fewer than 15 years: the survivor pension is
  computed as if 15 years when membership is at least 1 year and the contribution density at
  least 80 % (PP 45/2015 art. 21(3), 22(3), 23(3); Permenaker 29/2015 art. 26), otherwise the
  lump sum. The survivor named (``survivor``: spouse, child, parent) gets its share of the formula
  (50 %, 50 % for the children together, 20 %: art. 21(2), 22(2), 23(2)); without one, no amount
  and the formula basis in ``details``;
- a participant totally and permanently disabled before pension age: a disability pension, the
  whole formula (art. 20(1)-(2)); with fewer than 15 years, on 15 years when membership is at least
  1 month and the density at least 80 % (art. 20(3)), else on the months paid, flagged (BPJS's
  summary gives the lump sum there instead).

The first-year minimum and maximum apply to every monthly amount. The average indexed wage is an
input: the inflation series used for indexing is not encoded. Indexation from the second year on
(art. 17(1)(b)) is not encoded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitLine,
    BenefitResult,
    Detail,
    add_months,
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

EVENTS = ("old_age", "death", "disability")
SURVIVORS = ("spouse", "child", "parent")
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
    survivor: str | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The JP benefit for a pension starting on ``on`` (``old_age``) or a death on ``on``.

    ``average_indexed_wage`` is the average monthly wage over the contribution period, indexed by
    inflation (PP 45/2015 art. 17(3)). ``membership_months`` (months since joining JP) decides the
    survivor rule after a death with fewer than 180 contribution months. ``savings`` computes the
    lump sum (contributions plus returns) when there is no pension. ``survivor`` (after a death:
    ``spouse``, ``child`` or ``parent``, see ``heirs(program="jp")``) computes that survivor's monthly
    amount.
    """
    check_date("date", on)
    check_date("birth_date", birth_date)
    check_not_before("date", on, "birth_date", birth_date)
    check_choice("event", event, EVENTS)
    if survivor is not None:
        check_choice("survivor", survivor, SURVIVORS)
        if event != "death":
            raise InvalidInput("survivor", "not_applicable", what=f"event {event}")
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
    details["registration_deadline"] = _registration_deadline(ctx, reached).isoformat()
    if event == "disability":
        return _disability(ctx, needed, contribution_months, average_indexed_wage, membership_months, details)
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
            survivor,
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
    """The first-year monthly old-age pension, kept between the minimum and maximum in force."""
    value, how, accrual = _formula(ctx, months, wage)
    return _clamped(ctx, "old_age_pension", "old-age pension, a month (first year)", value, how, [accrual])


def _clamped(ctx: Lookup, key: str, item: str, value: int, how: str, used: list[Entry]) -> BenefitLine:
    """A first-year monthly amount kept between the minimum and maximum in force.

    A bound is cited (and its confirmation counts) only when it changes the amount; a period where
    either bound is not known gives the amount unclamped, flagged.
    """
    low = ctx.parameters.at("benefits.jp.minimum_benefit", ctx.day)
    high = ctx.parameters.at("benefits.jp.maximum_benefit", ctx.day)
    used = list(used)
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
    return ctx.line(key, item, paid, used, how, confirmed=known)


def _shared(ctx: Lookup, who: str, months: int, wage: int) -> tuple[BenefitLine, Entry]:
    """``who``'s share of the formula on ``months``, as a clamped monthly line."""
    shares = ctx.entry("benefits.jp.formula_shares")
    share = shares.value[who]
    value, how, accrual = _formula(ctx, months, wage)
    paid = round_half_up(value * share)
    if share != 1:
        how = f"{percent_text(share)} × ({how}) = {rupiah(paid)}"
    item = {
        "disabled": "disability pension, a month (first year)",
        "spouse": "widow or widower pension, a month (first year)",
        "child": "children's pension, a month (first year; for up to two children together)",
        "parent": "parent's pension, a month (first year)",
    }[who]
    key = "disability_pension" if who == "disabled" else f"{who}_pension"
    return _clamped(ctx, key, item, paid, how, [accrual, shares]), accrual


def _registration_deadline(ctx: Lookup, reached: PensionAge) -> date:
    """The last day a worker can be registered for JP (UNCONFIRMED: one month before pension age)."""
    before = ctx.peek("benefits.jp.registration_months_before_pension_age").value
    return add_months(reached.pension_date, -before)


def _membership_condition(
    ctx: Lookup, kind: str, months: int, membership: int, details: dict[str, Detail]
) -> tuple[Entry, Entry, bool]:
    """The ``kind`` (survivor, disability) pension's minimum membership and contribution density, and
    whether they are met; the density goes into ``details``."""
    least = ctx.entry(f"benefits.jp.{kind}_minimum_membership_months")
    density_needed = ctx.entry(f"benefits.jp.{kind}_minimum_density")
    density = Fraction(months, membership) if membership else Fraction(0)
    details["density"] = percent_text(Fraction(round_half_up(density * 10000), 10000))
    return least, density_needed, membership >= least.value and density >= density_needed.value


def _disability(
    ctx: Lookup,
    needed: Entry,
    months: int,
    wage: int | None,
    membership: int | None,
    details: dict[str, Detail],
) -> BenefitResult:
    """A total permanent disability on ``ctx.day``: the disability pension (PP 45/2015 art. 20(1)-(2)),
    on at least 15 years when fewer were paid and the conditions of art. 20(3) hold, else on the
    months paid. BPJS's summary gives the lump sum when the conditions fail (V2); the text gives a
    pension, which is followed, flagged."""
    if membership is None:
        raise InvalidInput("membership_months", "required")
    if wage is None:
        raise InvalidInput("average_wage", "required")
    basis: list[Entry] = [needed]
    as_if = months
    floor = ""
    if months < needed.value:
        least, density_needed, met = _membership_condition(ctx, "disability", months, membership, details)
        basis += [least, density_needed]
        if met:
            as_if = needed.value
        else:
            floor = (
                f" (the {needed.value} months of art. 20(3) need at least {least.value} month(s) of membership and "
                f"{percent_text(density_needed.value)} density)"
            )
            ctx.warn(
                f"disabled with {months} contribution months in {membership} months of membership, without the "
                f"conditions for counting {needed.value}: PP 45/2015 art. 20 gives a disability pension on the months "
                "paid, which is computed; BPJS's summary says the contributions and returns are paid at once "
                "instead (UNCONFIRMED which applies)"
            )
    line, accrual = _shared(ctx, "disabled", as_if, wage)
    if floor:
        line = dataclasses.replace(line, confirmed=False)
    counted = "as if " if as_if != months else ""
    return ctx.result(
        eligible=True,
        code="disability_pension",
        reason=f"total permanent disability before pension age: a monthly disability pension computed "
        f"{counted}{as_if} contribution months{floor}",
        basis=[*basis, accrual],
        lines=[line],
        details={**details, "months_counted": as_if, "paid": "monthly"},
    )


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
    survivor: str | None = None,
) -> BenefitResult:
    """Survivors of a participant who died on ``ctx.day``: which rule applies, and with ``survivor``
    that survivor's monthly amount."""
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
        least, density_needed, met = _membership_condition(ctx, "survivor", months, membership, details)
        basis += [least, density_needed]
        if not met:
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
    counted = "as if " if as_if != months else ""
    reason = (
        f"a survivor pension (widow/widower, else up to two children, else one parent; see "
        f"`jamsostek heirs --program jp`), computed {counted}{as_if} contribution months"
    )
    if survivor is None:
        value, how, accrual = _formula(ctx, as_if, wage)
        ctx.warn(
            "no survivor given (spouse, child or parent): no amount is computed; details.formula_basis is "
            "the formula before the survivor's share"
        )
        return ctx.result(
            eligible=True,
            code="survivor_pension",
            reason=reason,
            basis=[*basis, accrual],
            details={**details, "months_counted": as_if, "formula_basis": value, "formula": how},
        )
    line, accrual = _shared(ctx, survivor, as_if, wage)
    return ctx.result(
        eligible=True,
        code="survivor_pension",
        reason=reason,
        basis=[*basis, accrual],
        lines=[line],
        details={**details, "months_counted": as_if, "survivor": survivor, "paid": "monthly"},
    )
