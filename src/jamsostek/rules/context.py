"""Parameter lookups for one contribution month and the itemised lines built from them.

A ``Context`` remembers which values were used, so every line carries its legal references and
whether all of them are confirmed, and every unconfirmed value used becomes a warning.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from jamsostek.rules.errors import InvalidInput, ParameterNotInForce
from jamsostek.rules.model import Line
from jamsostek.rules.money import amount, percent_text, rupiah
from jamsostek.rules.parameterset import Entry, ParameterSet
from jamsostek.rules.periods import Month


class Context:
    """Parameter lookups for one contribution month, remembering warnings."""

    def __init__(self, parameters: ParameterSet, period: Month) -> None:
        self.parameters = parameters
        self.period = period
        self.day = period.first_day
        self.warnings: dict[str, None] = {}

    def at(self, period: Month) -> Context:
        """The same lookups for another month, sharing the warnings."""
        other = Context(self.parameters, period)
        other.warnings = self.warnings
        return other

    def entry(self, name: str) -> Entry:
        parameter = self.parameters[name]
        found = parameter.at(self.day)
        if not found.confirmed:
            detail = found.note.strip() if found.note else "UNCONFIRMED"
            self.warn(f"{name} (from {found.start}) is not confirmed: {' '.join(detail.split())}")
        if parameter.maybe_outdated(self.day):
            self.warn(
                f"{name}: a new value was due on {parameter.next_change_expected} and is not "
                f"encoded yet; the value from {found.start} is used"
            )
        return found

    def optional(self, name: str) -> Entry | None:
        """The entry in force, or None when the rule does not exist (yet or any more)."""
        try:
            found = self.parameters[name].at(self.day)
        except ParameterNotInForce:
            return None
        return self.entry(name) if found.in_force else None

    def warn(self, text: str) -> None:
        self.warnings[text] = None


def make_line(
    program: str,
    payer: str,
    base: int | None,
    rate: Fraction | None,
    value: int,
    used: list[Entry],
    label: str,
    explanation: str,
    *,
    information: bool = False,
    extra_confirmed: bool = True,
) -> Line:
    return Line(
        program=program,
        payer=payer,
        base=base,
        rate=rate,
        amount=value,
        references=tuple(entry.reference for entry in used),
        confirmed=extra_confirmed and all(entry.confirmed for entry in used),
        label=label,
        explanation=explanation,
        information=information,
    )


def rate_line(
    program: str,
    payer: str,
    base: int,
    rates: list[tuple[Fraction, str]],
    used: list[Entry],
    label: str,
    *,
    information: bool = False,
) -> Line:
    """A line of ``base x rate x ...``, rounded once; ``rates`` are (factor, how it reads)."""
    factors = [factor for factor, _ in rates]
    value = amount(base, *factors)
    effective = Fraction(1)
    for factor in factors:
        effective *= factor
    words = " × ".join(text for _, text in rates)
    return make_line(
        program,
        payer,
        base,
        effective,
        value,
        used,
        label,
        f"{words} × {rupiah(base)} = {rupiah(value)}",
        information=information,
    )


def first_month(start: date) -> Month:
    month = Month.of(start)
    return month if start.day == 1 else month.plus(1)


def require(ctx: Context, name: str, program: str) -> Entry:
    """A parameter the segment cannot do without; before it exists the period is an error."""
    parameter = ctx.parameters[name]
    try:
        found = parameter.at(ctx.day)
    except ParameterNotInForce:
        found = None
    if found is None or not found.in_force:
        first = parameter.first_in_force()
        raise InvalidInput(
            "period",
            "before_rules",
            value=str(ctx.period),
            program=program,
            first=str(first_month(first)) if first else "-",
        )
    return ctx.entry(name)


def replace_line(line: Line, **changes: Any) -> Line:
    values = {name: getattr(line, name) for name in Line.__slots__}
    values.update(changes)
    return Line(**values)


def covid_relief(ctx: Context) -> tuple[list[tuple[Fraction, str]], list[Entry]]:
    """The PP 49/2020 share of JKK and JKM payable this month, as (factor, words) and the entries
    used; both empty outside the relief."""
    share = ctx.entry("relief.covid_jkk_jkm_payable_share")
    if share.value == 1:
        return [], []
    return [(share.value, f"{percent_text(share.value)} payable (PP 49/2020)")], [share]
