"""JKM: the benefits paid when a participant dies of a cause other than work.

PP 44/2015 as amended by PP 82/2019: a lump sum, a periodic benefit paid at once, funeral costs
and, for participants with enough contribution months, the children's scholarship. The amounts
are those in force on the day of death (PP 82/2019 from 2 December 2019, an UNCONFIRMED
effective date: deaths from 1 October to 31 December 2019 are flagged). The same amounts apply to
PU, BPU and PMI participants. Who receives them: ``heirs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitResult,
    Child,
    check_date,
    check_months,
    check_not_before,
    check_optional_date,
)
from jamsostek.rules.benefits.scholarship import scholarship_lines
from jamsostek.rules.model import check_bool
from jamsostek.rules.money import rupiah
from jamsostek.rules.parameterset import ParameterSet


def jkm_benefit(
    *,
    death_date: date,
    contribution_months: int,
    active: bool = True,
    children: Sequence[Child] = (),
    payment_date: date | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The JKM benefits for a participant who died on ``death_date``.

    ``contribution_months`` decides the scholarship; ``children`` (at most two are paid) get the
    scholarship of the school year of ``payment_date`` (default: the day of death). ``active``
    false (membership not active when the participant died) gives no benefit.
    """
    check_date("death_date", death_date)
    check_months("contribution_months", contribution_months)
    check_bool("active", active)
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
    monthly = ctx.entry("benefits.jkm.periodic_monthly")
    months = ctx.entry("benefits.jkm.periodic_months")
    funeral = ctx.entry("benefits.jkm.funeral")
    periodic = monthly.value * months.value
    lines = [
        ctx.line("lump_sum", "lump-sum death benefit", lump.value, [lump], f"{rupiah(lump.value)} at once"),
        ctx.line(
            "periodic",
            "periodic benefit, paid at once",
            periodic,
            [monthly, months],
            f"{months.value} × {rupiah(monthly.value)} = {rupiah(periodic)}",
        ),
        ctx.line("funeral", "funeral costs", funeral.value, [funeral], f"{rupiah(funeral.value)}"),
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
        details={"death_date": death_date.isoformat(), "contribution_months": contribution_months},
    )
