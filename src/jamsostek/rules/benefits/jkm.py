"""JKM: the benefits paid when a participant dies of a cause other than work.

PP 44/2015 as amended by PP 82/2019: a lump sum, a periodic benefit paid at once, funeral costs
and, for participants with enough contribution months, the children's scholarship. The amounts
are those in force on the day of death (PP 82/2019 from 2 December 2019, the day it was
promulgated: art. II). The same amounts apply to
PU, BPU, Jakon and PMI participants, except that since Permenaker 1/2025 a BPU participant who
dies in the first three months of membership gets one reduced amount (UNCONFIRMED, flagged). Who
receives them: ``heirs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitLine,
    BenefitResult,
    Child,
    check_choice,
    check_date,
    check_months,
    check_not_before,
    check_optional_date,
)
from jamsostek.rules.benefits.scholarship import scholarship_lines
from jamsostek.rules.model import SEGMENTS, check_bool
from jamsostek.rules.money import rupiah
from jamsostek.rules.parameterset import ParameterSet


def jkm_benefit(
    *,
    death_date: date,
    contribution_months: int,
    active: bool = True,
    children: Sequence[Child] = (),
    payment_date: date | None = None,
    segment: str = "pu",
    membership_months: int | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The JKM benefits for a participant who died on ``death_date``.

    ``contribution_months`` decides the scholarship; ``children`` (at most two are paid) get the
    scholarship of the school year of ``payment_date`` (default: the day of death). ``active``
    false (membership not active when the participant died) gives no benefit. ``segment`` and
    ``membership_months`` (whole months since the membership began) decide the reduced benefit of
    a BPU participant who dies early in the membership; unknown months pay the full benefit, with
    a warning.
    """
    check_date("death_date", death_date)
    check_months("contribution_months", contribution_months)
    check_bool("active", active)
    check_choice("segment", segment, SEGMENTS)
    if membership_months is not None:
        check_months("membership_months", membership_months)
    paid_on = check_optional_date("payment_date", payment_date) or death_date
    check_not_before("payment_date", paid_on, "death_date", death_date)
    ctx = Lookup(parameters, death_date, program="jkm", field="death_date")
    lump = ctx.entry("benefits.jkm.lump_sum")
    if not active:
        return ctx.result(
            eligible=False,
            code="not_active",
            reason="JKM is paid only when the participant dies during an active membership",
            basis=[lump],
        )
    early = _early_death(ctx, segment, membership_months)
    if early is not None:
        cash = [early]
    else:
        monthly = ctx.entry("benefits.jkm.periodic_monthly")
        months = ctx.entry("benefits.jkm.periodic_months")
        funeral = ctx.entry("benefits.jkm.funeral")
        periodic = monthly.value * months.value
        cash = [
            ctx.line("lump_sum", "lump-sum death benefit", lump.value, [lump], f"{rupiah(lump.value)} at once"),
            ctx.line(
                "periodic",
                "periodic benefit, paid at once",
                periodic,
                [monthly, months],
                f"{months.value} × {rupiah(monthly.value)} = {rupiah(periodic)}",
            ),
            ctx.line("funeral", "funeral costs", funeral.value, [funeral], f"{rupiah(funeral.value)}"),
        ]
    lines = [
        *cash,
        *scholarship_lines(
            ctx,
            children,
            payment_date=paid_on,
            contribution_months=contribution_months,
            minimum_months="benefits.jkm.scholarship_minimum_months",
            lump_sum="benefits.jkm.scholarship_lump_sum",
        ),
    ]
    return ctx.result(
        eligible=True,
        code="eligible",
        reason="death not caused by work during an active membership: paid to the heirs",
        basis=[lump],
        lines=lines,
        details={
            "death_date": death_date.isoformat(),
            "contribution_months": contribution_months,
            "segment": segment,
            "membership_months": membership_months,
        },
    )


def _early_death(ctx: Lookup, segment: str, membership_months: int | None) -> BenefitLine | None:
    """The one reduced line of a BPU death in the first months of membership, or None."""
    minimum_name = "benefits.jkm.early_death_membership_months"
    if segment != "bpu" or ctx.peek(minimum_name).value is None:
        return None
    minimum = ctx.peek(minimum_name).value
    if membership_months is None:
        ctx.warn(
            f"the membership months are not given: the full JKM is shown, but a BPU participant who dies "
            f"in the first {minimum} months of membership gets a reduced amount (Permenaker 1/2025, UNCONFIRMED)"
        )
        return None
    if membership_months >= minimum:
        return None
    months_entry = ctx.entry(minimum_name)
    reduced = ctx.entry("benefits.jkm.early_death_amount")
    return ctx.line(
        "early_death",
        f"death in the first {months_entry.value} months of a BPU membership (instead of the lump sum, "
        "periodic benefit and funeral costs)",
        reduced.value,
        [months_entry, reduced],
        f"{membership_months} month(s) of membership, fewer than {months_entry.value}: {rupiah(reduced.value)}",
    )
