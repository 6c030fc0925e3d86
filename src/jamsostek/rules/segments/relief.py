"""The conditions of the temporary reliefs, shared by PU (the employer pays) and BPU (the participant).

PP 49/2020 art. 13: the JKK and JKM discount is for a payer that had paid its JKK and JKM through
July 2020; one that registered during the relief pays its first two months in full and gets the
discount from the third. PP 7/2025 art. 6(2): the labour-intensive JKK discount is for an employer
that had paid its JKK through January 2025. A fact not known counts as met, with a warning that
says what was assumed (the answer of before these conditions were encoded).
"""

from __future__ import annotations

from jamsostek.rules.context import Context
from jamsostek.rules.periods import Month


def paid_up(ctx: Context, payer: str, known: bool | None, name: str, programs: str, article: str) -> bool:
    """Whether a relief's condition that ``payer`` had paid ``programs`` through the day of the
    parameter ``name`` holds (``known``: the fact, None when not known)."""
    through = ctx.entry(name).value
    if known is False:
        ctx.warn(f"the {payer} had not paid its {programs} through {through}: no relief this month ({article})")
        return False
    if known is None:
        ctx.warn(
            f"assumed: the {payer} had paid its {programs} through {through}, a condition of the relief "
            f"({article}); if it had not, the relief does not apply (relief_paid_up)"
        )
    return True


def covid_conditions_hold(ctx: Context, payer: str, known_paid_up: bool | None, first: Month | None) -> bool:
    """PP 49/2020 art. 13 for the month of ``ctx``; ``first`` is the payer's first contribution month."""
    full_months = ctx.entry("relief.covid_new_registrant_full_months")
    window_start = Month.of(full_months.start)
    if first is not None and first >= window_start:
        if ctx.period < first.plus(full_months.value):
            ctx.warn(
                f"the {payer}'s first contribution month is {first}, during the PP 49/2020 relief: its first "
                f"{full_months.value} months of JKK and JKM are paid in full (art. 13), {ctx.period} included"
            )
            return False
        return True
    if first is None:
        field = "employer_first_month" if payer == "employer" else "first_month"
        ctx.warn(
            f"assumed: the {payer} was registered before the PP 49/2020 relief (art. 13: one registered "
            f"during it pays its first 2 months in full); not known ({field})"
        )
    return paid_up(ctx, payer, known_paid_up, "relief.covid_paid_up_through", "JKK and JKM", "PP 49/2020 art. 13")
