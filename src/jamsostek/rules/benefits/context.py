"""Parameter lookups on an exact date for one benefit decision, remembering what was used.

Benefit rules look parameters up on the day of the event (death, accident, termination, claim),
not by contribution month. Every value used that is not confirmed, and every day that falls in
the uncertain start window of a change (PP 82/2019), becomes a warning, and the lines built from
such a value are marked ``confirmed: false``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from jamsostek.rules.benefits.model import BenefitLine, BenefitResult, Detail, Program, age_on
from jamsostek.rules.errors import InvalidInput, ParameterNotInForce
from jamsostek.rules.parameterset import Entry, ParameterSet, Reference, default_parameters


class Lookup:
    """The parameters in force on one day, with the warnings of one decision."""

    def __init__(
        self,
        parameters: ParameterSet | None,
        day: date,
        *,
        program: Program,
        field: str,
    ) -> None:
        self.parameters = parameters or default_parameters()
        self.day = day
        self.program = program
        self.field = field
        self.warnings: dict[str, None] = {}

    def at(self, day: date) -> Lookup:
        """The same lookups on another day, sharing the warnings."""
        other = Lookup(self.parameters, day, program=self.program, field=self.field)
        other.warnings = self.warnings
        return other

    def entry(self, name: str) -> Entry:
        """The value in force; a day before the first value is an input error naming the date."""
        parameter = self.parameters[name]
        try:
            found = parameter.at(self.day)
        except ParameterNotInForce:
            raise InvalidInput(
                self.field,
                "before_rules_date",
                value=self.day.isoformat(),
                program=self.program.upper(),
                first=parameter.entries[0].start.isoformat(),
            ) from None
        uncertain = parameter.uncertain_on(self.day)
        if uncertain is not None and uncertain.start_window is not None:
            earliest, latest = uncertain.start_window
            law = f"{uncertain.reference.instrument} {uncertain.reference.number}/{uncertain.reference.year}"
            self.warn(
                f"{self.day} is between {earliest} and {latest}, when the effective date of {law} is "
                f"UNCONFIRMED: the rules chosen from {uncertain.start} are applied, and the amounts "
                "of the other side of that change may be the right ones"
            )
            return dataclasses.replace(found, confirmed=False)
        if not found.confirmed:
            detail = " ".join((found.note or "UNCONFIRMED").split())
            self.warn(f"{name} (from {found.start}) is not confirmed: {detail}")
        return found

    def value(self, name: str) -> Any:
        return self.entry(name).value

    def peek(self, name: str) -> Entry:
        """The value in force, without counting it as used (no warning): for a bound that may not
        change the amount. Call ``entry`` once it does."""
        return self.parameters[name].at(self.day)

    def warn(self, text: str) -> None:
        self.warnings[text] = None

    def line(
        self,
        key: str,
        item: str,
        amount: int,
        used: Iterable[Entry],
        explanation: str,
        *,
        confirmed: bool = True,
        references: Iterable[Reference] = (),
    ) -> BenefitLine:
        """A line whose references and confirmed status come from the entries it used."""
        entries = list(used)
        if amount < 0:  # pragma: no cover - every formula is a sum of non-negative terms
            raise AssertionError(f"negative benefit amount for {key}")
        return BenefitLine(
            key=f"{self.program}.{key}",
            item=item,
            amount=amount,
            references=(*(entry.reference for entry in entries), *references),
            confirmed=confirmed and all(entry.confirmed for entry in entries),
            explanation=explanation,
        )

    def result(
        self,
        *,
        eligible: bool,
        code: str,
        reason: str,
        basis: Iterable[Entry | Reference],
        lines: Iterable[BenefitLine] = (),
        details: Mapping[str, Detail] | None = None,
    ) -> BenefitResult:
        """The decision, with every warning gathered so far."""
        items = list(basis)
        references = tuple(item.reference if isinstance(item, Entry) else item for item in items)
        return BenefitResult(
            program=self.program,
            on=self.day,
            eligible=eligible,
            code=code,
            reason=reason,
            basis=references,
            lines=tuple(lines) if eligible else (),
            warnings=tuple(self.warnings),
            details=dict(details or {}),
            basis_confirmed=all(item.confirmed for item in items if isinstance(item, Entry)),
        )


def child_right_ended(
    ctx: Lookup,
    *,
    who: str,
    birth_date: date | None,
    married: bool,
    employed: bool,
    age_limit: int,
    what: str,
) -> str | None:
    """Why a child's benefit (scholarship, JP child pension) has ended for good on ``ctx.day``.

    It ends at marriage, at work, or at ``age_limit``; None when it has not ended. An unknown
    birth date is a warning that the age is not checked.
    """
    if married:
        return f"married ({what} stops at marriage)"
    if employed:
        return f"working ({what} stops at work)"
    if birth_date is None:
        ctx.warn(f"no birth date for {who}: the age limit of {age_limit} for {what} is not checked")
        return None
    age = age_on(birth_date, ctx.day)
    if age >= age_limit:
        return f"age {age} on {ctx.day} ({what} stops at {age_limit})"
    return None
