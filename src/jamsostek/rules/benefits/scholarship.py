"""The children's scholarship (beasiswa) of JKM and JKK, one line per child for one school year.

Since PP 82/2019: at most two children, a yearly amount by the child's current school level, for
at most a number of years per level, until the child turns 23, marries or works. JKM requires a
minimum contribution period (3 years); JKK (death or total permanent disability) none. Before
PP 82/2019 the JKM scholarship was one amount per participant.

Project choices (docs/rules.md): the law applied is the one in force on the day of the death or
accident; the child's age is taken on the payment date; a child whose right has ended (23,
married, working) takes none of the two places; of the others, the first two listed receive it;
a child not yet in school, or past the years paid at its level, receives nothing this year but
keeps its place (whether a right is kept until school age is UNCONFIRMED).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jamsostek.rules.benefits.context import Lookup, child_right_ended
from jamsostek.rules.benefits.model import BenefitLine, Child
from jamsostek.rules.money import rupiah
from jamsostek.rules.parameterset import Entry


def scholarship_lines(
    ctx: Lookup,
    children: Sequence[Child],
    *,
    payment_date: date,
    contribution_months: int | None,
    minimum_months: str,
    lump_sum: str | None,
) -> list[BenefitLine]:
    """The scholarship lines for the school year of ``payment_date`` (zero lines say why not)."""
    if not children:
        return []
    table = ctx.entry("benefits.scholarship.by_level")
    if table.value is None:
        return _lump_sum(ctx, children, contribution_months, minimum_months, lump_sum)
    minimum = ctx.entry(minimum_months)
    refused = _too_few_months(ctx, minimum, contribution_months)
    if refused is not None:
        return refused
    most = ctx.entry("benefits.scholarship.maximum_children")
    age_limit = ctx.entry("benefits.scholarship.age_limit")
    rows = {row.level: row for row in table.value}
    lines: list[BenefitLine] = []
    places = 0
    for number, child in enumerate(children, start=1):
        who = child.name or f"child {number}"
        key = f"scholarship.child_{number}"
        ended = _ended(ctx, child, who, payment_date, age_limit.value)
        if ended is not None:
            lines.append(ctx.line(key, f"scholarship, {who}: not payable", 0, [age_limit], ended))
            continue
        places += 1
        if places > most.value:
            ctx.warn(f"{who}: at most {most.value} children receive the scholarship; the first listed are paid")
            lines.append(ctx.line(key, f"scholarship, {who}: not covered", 0, [most], "beyond the children paid"))
            continue
        row = rows.get(child.level)
        if row is None:
            ctx.warn(
                f"{who} is not in school: nothing is paid this year; whether the scholarship is kept "
                "until school age is UNCONFIRMED"
            )
            lines.append(ctx.line(key, f"scholarship, {who}: not payable", 0, [table], "not in school this year"))
            continue
        if child.year > row.max_years:
            why = f"year {child.year} at {child.level}; at most {row.max_years} years are paid at that level"
            lines.append(ctx.line(key, f"scholarship, {who}: not payable", 0, [table], why))
            continue
        lines.append(
            ctx.line(
                key,
                f"scholarship, {who}: {child.level}, year {child.year} of {row.max_years}",
                row.per_year,
                [table, most, minimum],
                f"{rupiah(row.per_year)} a year at level {child.level} (at most {row.max_years} years)",
            )
        )
    return lines


def _ended(ctx: Lookup, child: Child, who: str, payment_date: date, age_limit: int) -> str | None:
    """Why the child's right has ended for good (such a child takes none of the places)."""
    return child_right_ended(
        ctx.at(payment_date),
        who=who,
        birth_date=child.birth_date,
        married=child.married,
        employed=child.employed and not _excepted_work(ctx.at(payment_date), child, who),
        age_limit=age_limit,
        what="the scholarship",
    )


def _excepted_work(ctx: Lookup, child: Child, who: str) -> bool:
    """Permenaker 1/2025 art. 103(3a): some work does not end the scholarship of a child in education."""
    name = "benefits.scholarship.working_student_exceptions"
    excepted = ctx.peek(name).value
    if not child.employed or excepted is None or child.level == "none":
        return False
    if child.employed_as is None:
        ctx.warn(
            f"{who} works: since Permenaker 1/2025 a child in education who works as PU for at most 6 months, "
            "as BPU or as an apprentice keeps the scholarship; how the child works is not given (employed_as)"
        )
        return False
    if child.employed_as not in excepted:
        return False
    ctx.entry(name)
    return True


def _too_few_months(ctx: Lookup, minimum: Entry, contribution_months: int | None) -> list[BenefitLine] | None:
    """A zero line when the contribution period is known and too short, else None."""
    if minimum.value is None or contribution_months is None or contribution_months >= minimum.value:
        return None
    return [
        ctx.line(
            "scholarship",
            "scholarship: not payable",
            0,
            [minimum],
            f"{contribution_months} contribution months; at least {minimum.value} are required",
        )
    ]


def _lump_sum(
    ctx: Lookup,
    children: Sequence[Child],
    contribution_months: int | None,
    minimum_months: str,
    lump_sum: str | None,
) -> list[BenefitLine]:
    """Before PP 82/2019: one amount per participant (JKM and JKK)."""
    if lump_sum is None:  # pragma: no cover - every caller names its lump sum
        return []
    amount_entry = ctx.entry(lump_sum)
    minimum = ctx.entry(minimum_months)
    if minimum.value is None:
        ctx.warn("the minimum contribution period of this scholarship is UNCONFIRMED and not checked")
    refused = _too_few_months(ctx, minimum, contribution_months)
    if refused is not None:
        return refused
    return [
        ctx.line(
            "scholarship",
            f"scholarship, one amount for the participant's children ({len(children)} listed)",
            amount_entry.value,
            [amount_entry, minimum],
            f"{rupiah(amount_entry.value)} once",
        )
    ]
