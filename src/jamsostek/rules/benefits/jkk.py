"""JKK: the benefits of a work accident or occupational disease.

PP 44/2015 as amended by PP 82/2019, on the day of the accident:

- temporary incapacity to work (STMB): a share of the wage month by month (100 % for the first
  12 months, then 50 %), each month rounded once, then multiplied by the months;
- death: 48 x wage + funeral costs + the periodic benefit paid at once + the scholarship;
- total permanent disability: 70 % x 80 x wage + the periodic benefit + the scholarship;
- partial disability: percentage x 80 x wage (x the share of function lost, for a functional
  disability); the percentage is an input while the regulation's table is UNCONFIRMED;
- costs claimed (any event): medical care without a money cap; transport, home care and
  eyeglasses up to their caps;
- with a claim date, the right lapses (art. 26) 2 years after the accident under the original
  PP 44/2015 and 5 years after the accident or the diagnosis since PP 82/2019.

"Wage" is the last wage reported to BPJS Ketenagakerjaan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import (
    BenefitLine,
    BenefitResult,
    Child,
    Costs,
    add_months,
    check_choice,
    check_date,
    check_months,
    check_not_before,
    check_optional_date,
    check_rate,
)
from jamsostek.rules.benefits.scholarship import scholarship_lines
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import check_rupiah
from jamsostek.rules.money import amount, percent_text, rupiah
from jamsostek.rules.parameterset import Entry, ParameterSet

EVENTS = ("temporary_incapacity", "death", "total_disability", "partial_disability", "costs")
TRANSPORT = (("transport_land", "land"), ("transport_sea", "sea"), ("transport_air", "air"))
REASONS = {
    "temporary_incapacity": "temporary incapacity to work after a work accident or occupational disease",
    "death": "death caused by a work accident or occupational disease: paid to the heirs",
    "total_disability": "total permanent disability caused by a work accident or occupational disease",
    "partial_disability": "partial permanent disability caused by a work accident or occupational disease",
    "costs": "costs of care after a work accident or occupational disease",
}


def jkk_benefit(
    *,
    event: str,
    accident_date: date,
    wage: int | None = None,
    months: int | None = None,
    percentage: Fraction | None = None,
    function_loss: Fraction | None = None,
    children: Sequence[Child] = (),
    payment_date: date | None = None,
    costs: Costs | None = None,
    claim_date: date | None = None,
    parameters: ParameterSet | None = None,
) -> BenefitResult:
    """The JKK benefits of one ``event`` after an accident on ``accident_date``.

    ``wage`` (monthly, last reported) is needed for every event except ``costs``; ``months`` of
    incapacity for ``temporary_incapacity``; ``percentage`` (0-1) for ``partial_disability``,
    with ``function_loss`` (0-1) for a functional disability. ``children`` get the scholarship
    of the school year of ``payment_date`` after a death or total disability. A ``claim_date``
    after the right lapsed (``benefits.jkk.claim_limit_years``) makes the result ineligible.
    """
    check_choice("event", event, EVENTS)
    check_date("accident_date", accident_date)
    paid_on = check_optional_date("payment_date", payment_date) or accident_date
    check_not_before("payment_date", paid_on, "accident_date", accident_date)
    _check_applicable(event, months=months, percentage=percentage, function_loss=function_loss, children=children)
    if wage is not None:
        check_rupiah("wage", wage)
    elif event != "costs":
        raise InvalidInput("wage", "required")
    claimed_on = check_optional_date("claim_date", claim_date)
    if claimed_on is not None:
        check_not_before("claim_date", claimed_on, "accident_date", accident_date)
    ctx = Lookup(parameters, accident_date, program="jkk", field="accident_date")
    limit, lapses_after = claim_limit(ctx, accident_date, claimed_on)
    if claimed_on is not None and claimed_on > lapses_after:
        return ctx.result(
            eligible=False,
            code="claim_right_lapsed",
            reason=f"claimed on {claimed_on}, more than {limit.value} years after the accident on {accident_date} "
            f"(the last day was {lapses_after}): the right to JKK benefits has lapsed",
            basis=[limit],
            details={
                "event": event,
                "accident_date": accident_date.isoformat(),
                "claim_until": lapses_after.isoformat(),
            },
        )
    lines: list[BenefitLine] = []
    basis: list[Entry] = []
    if event == "temporary_incapacity":
        if months is None:
            raise InvalidInput("months", "required")
        check_months("months", months, low=1)
        schedule = ctx.entry("benefits.jkk.stmb_schedule")
        basis.append(schedule)
        lines += _stmb(ctx, schedule, wage or 0, months)
    elif event == "death":
        multiple = ctx.entry("benefits.jkk.death_wage_multiple")
        basis.append(multiple)
        lines += _death(ctx, multiple, wage or 0)
        lines += _scholarship(ctx, children, paid_on)
    elif event == "total_disability":
        rate = ctx.entry("benefits.jkk.total_disability_rate")
        multiple = ctx.entry("benefits.jkk.disability_wage_multiple")
        basis += [rate, multiple]
        lump = amount(wage or 0, rate.value, multiple.value)
        how = f"{percent_text(rate.value)} × {multiple.value} × {rupiah(wage or 0)} = {rupiah(lump)}"
        lines.append(
            ctx.line(
                "total_disability_lump_sum",
                "lump sum for total permanent disability",
                lump,
                [rate, multiple],
                how,
            )
        )
        lines.append(_periodic(ctx))
        lines += _scholarship(ctx, children, paid_on)
    elif event == "partial_disability":
        if percentage is None:
            raise InvalidInput("percentage", "required")
        share = check_rate("percentage", percentage)
        multiple = ctx.entry("benefits.jkk.disability_wage_multiple")
        basis.append(multiple)
        lines.append(_partial(ctx, multiple, wage or 0, share, function_loss))
    lines += _costs(ctx, costs or Costs())
    details: dict[str, str | int | bool | None] = {
        "event": event,
        "accident_date": accident_date.isoformat(),
        "claim_until": lapses_after.isoformat(),
    }
    if wage is not None:
        details["wage"] = wage
    if not basis:
        basis.append(ctx.entry("benefits.jkk.medical_cap"))
    return ctx.result(
        eligible=True,
        code="eligible",
        reason=REASONS[event],
        basis=basis,
        lines=lines,
        details=details,
    )


CLAIM_LIMIT = "benefits.jkk.claim_limit_years"


def claim_deadline(parameters: ParameterSet, accident_date: date) -> tuple[Entry, date, Entry | None]:
    """The limit in force on the day of the accident, the last day a claim may be made, and the limit
    that came into force while the right was running, if one did (an accident before PP 82/2019
    whose two years had not run out on 2 December 2019: which one applies is not in the texts seen;
    the accident day's is applied)."""
    parameter = parameters[CLAIM_LIMIT]
    limit = parameter.at(accident_date)
    last_day = add_months(accident_date, 12 * limit.value)
    later = [entry for entry in parameter.entries if accident_date < entry.start <= last_day]
    return limit, last_day, later[-1] if later else None


def claim_limit(ctx: Lookup, accident_date: date, claimed_on: date | None = None) -> tuple[Entry, date]:
    """``claim_deadline`` for a decision: the limit flagged when the claim date falls where the
    accident day's limit and the later one disagree."""
    _, last_day, later = claim_deadline(ctx.parameters, accident_date)
    limit = ctx.entry(CLAIM_LIMIT)  # the same entry, looked up through ctx (which warns if unconfirmed)
    if later and claimed_on is not None and last_day < claimed_on <= add_months(accident_date, 12 * later.value):
        ctx.warn(
            f"the claim limit changed from {limit.value} to {later.value} years on {later.start}, while this "
            "right was running: the limit in force on the accident day is applied (which one applies is UNCONFIRMED)"
        )
        limit = dataclasses.replace(limit, confirmed=False)
    return limit, last_day


def _check_applicable(
    event: str,
    *,
    months: int | None,
    percentage: Fraction | None,
    function_loss: Fraction | None,
    children: Sequence[Child],
) -> None:
    given = {
        "months": (months is not None, ("temporary_incapacity",)),
        "percentage": (percentage is not None, ("partial_disability",)),
        "function_loss": (function_loss is not None, ("partial_disability",)),
        "children": (bool(children), ("death", "total_disability")),
    }
    for field_name, (present, events) in given.items():
        if present and event not in events:
            raise InvalidInput(field_name, "not_applicable", what=f"event {event}")


def _stmb(ctx: Lookup, schedule: Entry, wage: int, months: int) -> list[BenefitLine]:
    rows = schedule.value
    lines: list[BenefitLine] = []
    for index, row in enumerate(rows):
        last = rows[index + 1].start - 1 if index + 1 < len(rows) else months
        count = min(last, months) - row.start + 1
        if count <= 0:
            break
        monthly = amount(wage, row.rate)
        value = monthly * count
        end = row.start + count - 1
        span = f"month {row.start}" if count == 1 else f"months {row.start}-{end}"
        lines.append(
            ctx.line(
                f"stmb.months_{row.start}_{end}",
                f"temporary incapacity (STMB), {span}",
                value,
                [schedule],
                f"{percent_text(row.rate)} × {rupiah(wage)} = {rupiah(monthly)} a month × {count} = {rupiah(value)}",
                confirmed=row.confirmed,
            )
        )
    return lines


def _death(ctx: Lookup, multiple: Entry, wage: int) -> list[BenefitLine]:
    lump = amount(wage, multiple.value)
    how = f"{multiple.value} × {rupiah(wage)} = {rupiah(lump)}"
    used = [multiple]
    floor_name, jkm_name = "benefits.jkk.death_minimum_jkm_multiple", "benefits.jkm.lump_sum"
    floor_multiple, jkm_lump = ctx.peek(floor_name), ctx.peek(jkm_name)
    if floor_multiple.value is not None:
        floor = amount(jkm_lump.value, floor_multiple.value)
        if lump < floor:
            used += [ctx.entry(floor_name), ctx.entry(jkm_name)]
            how += f", raised to the JKM death lump sum {rupiah(floor)} (the floor)"
            lump = floor
    elif lump < jkm_lump.value:
        ctx.warn(
            f"the JKK death lump sum {rupiah(lump)} is below the JKM lump sum {rupiah(jkm_lump.value)}: "
            "whether the original PP 44/2015 raised it to that floor is UNCONFIRMED; not raised"
        )
    funeral = ctx.entry("benefits.jkk.funeral")
    return [
        ctx.line("death_lump_sum", "lump-sum death benefit", lump, used, how),
        ctx.line("funeral", "funeral costs", funeral.value, [funeral], rupiah(funeral.value)),
        _periodic(ctx),
    ]


def _periodic(ctx: Lookup) -> BenefitLine:
    monthly = ctx.entry("benefits.jkk.periodic_monthly")
    months = ctx.entry("benefits.jkk.periodic_months")
    value = monthly.value * months.value
    return ctx.line(
        "periodic",
        "periodic benefit, paid at once",
        value,
        [monthly, months],
        f"{months.value} × {rupiah(monthly.value)} = {rupiah(value)}",
    )


def _scholarship(ctx: Lookup, children: Sequence[Child], paid_on: date) -> list[BenefitLine]:
    # Both triggers, death and total permanent disability, in the original PP 44/2015 too (art.
    # 25(2)(b)(8), text seen) as in PP 82/2019.
    return scholarship_lines(
        ctx,
        children,
        payment_date=paid_on,
        contribution_months=None,
        minimum_months="benefits.jkk.scholarship_minimum_months",
        lump_sum="benefits.jkk.scholarship_lump_sum",
    )


def _partial(ctx: Lookup, multiple: Entry, wage: int, share: Fraction, function_loss: Fraction | None) -> BenefitLine:
    ctx.warn(
        "the partial-disability percentage table is UNCONFIRMED: the percentage is the one given "
        f"({percent_text(share)}), not taken from the regulation"
    )
    factors = [share]
    words = percent_text(share)
    if function_loss is not None:
        loss = check_rate("function_loss", function_loss)
        factors.append(loss)
        words += f" × {percent_text(loss)} of function lost"
        ctx.warn("the functional-disability formula is taken from the ASN analogue: UNCONFIRMED for BPJS TK")
    value = amount(wage, *factors, multiple.value)
    return ctx.line(
        "partial_disability_lump_sum",
        "lump sum for partial permanent disability" + (" (functional)" if function_loss is not None else ""),
        value,
        [multiple],
        f"{words} × {multiple.value} × {rupiah(wage)} = {rupiah(value)}",
        confirmed=False,
    )


def _capped(ctx: Lookup, key: str, item: str, claimed: int, cap: Entry, cap_value: int | None) -> BenefitLine:
    if cap_value is None:
        ctx.warn(f"no cap for {item} is encoded on {ctx.day}: nothing is computed for it")
        return ctx.line(key, f"{item}: not encoded", 0, [cap], f"{rupiah(claimed)} claimed; no amount encoded")
    paid = min(claimed, cap_value)
    how = f"{rupiah(claimed)} claimed, up to {rupiah(cap_value)}"
    return ctx.line(key, f"{item} (up to {rupiah(cap_value)})", paid, [cap], f"{how}: {rupiah(paid)}")


def _costs(ctx: Lookup, costs: Costs) -> list[BenefitLine]:
    claimed = costs.claimed()
    lines: list[BenefitLine] = []
    if "medical" in claimed:
        medical = ctx.entry("benefits.jkk.medical_cap")
        lines.append(
            ctx.line(
                "medical",
                "medical care (no money cap)",
                claimed["medical"],
                [medical],
                f"{rupiah(claimed['medical'])} as medically needed",
            )
        )
    transport = [(name, mode) for name, mode in TRANSPORT if name in claimed]
    if transport:
        caps = ctx.entry("benefits.jkk.transport_caps")
        for name, mode in transport:
            item = f"transport by {mode}" + (" (incl. river and lake)" if mode == "land" else "")
            lines.append(_capped(ctx, name, item, claimed[name], caps, caps.value[mode]))
    for name, parameter, item in (
        ("home_care", "benefits.jkk.home_care_cap", "home care (for up to one year)"),
        ("eyeglasses", "benefits.jkk.eyeglasses_cap", "eyeglasses"),
    ):
        if name in claimed:
            cap = ctx.entry(parameter)
            lines.append(_capped(ctx, name, item, claimed[name], cap, cap.value))
    return lines
