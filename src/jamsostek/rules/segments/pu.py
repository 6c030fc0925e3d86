"""PU (wage earners): JKK, JKM, JHT, JP, the JKP financing lines, the due date and late fines."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from jamsostek.rules.context import Context, covid_relief, make_line, rate_line, require
from jamsostek.rules.holidays import public_holidays, working_day
from jamsostek.rules.model import Line, PUInput
from jamsostek.rules.money import percent_text, round_half_up, rupiah
from jamsostek.rules.periods import months_late
from jamsostek.rules.segments.relief import covid_conditions_hold, paid_up

LABOUR_INTENSIVE_PAID_UP = "jkk.labour_intensive_paid_up_through"
HOLIDAY_WINDOW_DAYS = 7
"""A payment this many days after a due date may be on time if a public holiday moved it (said
when the due date's year has no holiday list)."""


def pu_due_date(ctx: Context) -> date:
    day = ctx.entry("deadlines.pu_due_day").value
    return working_day(ctx.parameters, ctx.period.plus(1).day(day))


def pu_lines(inputs: PUInput, ctx: Context) -> tuple[list[Line], date]:
    rate_entry = require(ctx, "jkk.pu_rate", "PU contributions")
    lines: list[Line] = []
    wage = inputs.wage + inputs.fixed_allowances
    base = max(wage, inputs.minimum_wage or 0)
    if inputs.minimum_wage is not None and inputs.minimum_wage > wage:
        ctx.warn(
            f"the reported wage {rupiah(wage)} is below the minimum wage "
            f"{rupiah(inputs.minimum_wage)}; contributions are computed on the minimum wage"
        )

    relief, relief_used = covid_relief(ctx)
    if relief and not covid_conditions_hold(ctx, "employer", inputs.relief_paid_up, inputs.employer_first_month):
        relief, relief_used = [], []

    # JKK, with the PP 7/2025 labour-intensive discount where it applies.
    normal_rate: Fraction = rate_entry.value[inputs.risk_class]
    jkk_rate = normal_rate
    jkk_used = [rate_entry]
    discount_ratio = Fraction(1)
    if inputs.labour_intensive:
        discounted = ctx.optional("jkk.pu_rate_labour_intensive")
        if discounted is not None:
            deadline = ctx.entry("jkk.labour_intensive_settlement_deadline")
            if inputs.paid_on is not None and inputs.paid_on > deadline.value:
                ctx.warn(
                    f"paid on {inputs.paid_on}, after the {deadline.value} settlement deadline: "
                    "the labour-intensive JKK discount is lost and the normal rate applies"
                )
            elif paid_up(
                ctx,
                "employer",
                inputs.relief_paid_up,
                "jkk.labour_intensive_paid_up_through",
                "JKK",
                "PP 7/2025 art. 6(2)",
            ):
                jkk_rate = discounted.value[inputs.risk_class]
                jkk_used = [rate_entry, discounted]
                discount_ratio = jkk_rate / normal_rate
        else:
            ctx.warn(f"no labour-intensive JKK discount is in force in {ctx.period}")
    jkk_label = f"JKK risk class {inputs.risk_class}"
    if discount_ratio != 1:
        jkk_label += " (labour-intensive discount, PP 7/2025)"
    jkk = rate_line(
        "jkk",
        "employer",
        base,
        [(jkk_rate, percent_text(jkk_rate)), *relief],
        jkk_used + relief_used,
        jkk_label,
    )
    jkm_entry = ctx.entry("jkm.pu_rate")
    jkm = rate_line(
        "jkm",
        "employer",
        base,
        [(jkm_entry.value, percent_text(jkm_entry.value)), *relief],
        [jkm_entry, *relief_used],
        "JKM",
    )
    lines += [jkk, jkm]

    for payer, name in (("employer", "jht.pu_rate_employer"), ("worker", "jht.pu_rate_worker")):
        entry = ctx.entry(name)
        lines.append(
            rate_line(
                "jht",
                payer,
                base,
                [(entry.value, percent_text(entry.value))],
                [entry],
                f"JHT {payer} share",
            )
        )

    billed_jp: list[Line] = []
    if inputs.with_jp:
        cap_entry = ctx.entry("jp.wage_cap")
        jp_base = min(base, cap_entry.value)
        capped = " (wage capped at the JP wage cap)" if base > cap_entry.value else ""
        deferral = ctx.optional("relief.covid_jp_payable_share") if inputs.jp_deferral else None
        for payer, name in (("employer", "jp.rate_employer"), ("worker", "jp.rate_worker")):
            entry = ctx.entry(name)
            used = [entry, cap_entry]
            full = rate_line(
                "jp",
                payer,
                jp_base,
                [(entry.value, percent_text(entry.value))],
                used,
                f"JP {payer} share{capped}",
            )
            if deferral is None:
                billed_jp.append(full)
                continue
            paid = rate_line(
                "jp",
                payer,
                jp_base,
                [
                    (entry.value, percent_text(entry.value)),
                    (deferral.value, f"{percent_text(deferral.value)} payable (PP 49/2020)"),
                ],
                [*used, deferral],
                f"JP {payer} share, paid part (PP 49/2020 deferral){capped}",
            )
            deferred = full.amount - paid.amount
            billed_jp.append(paid)
            lines.append(paid)
            lines.append(
                make_line(
                    "jp",
                    payer,
                    jp_base,
                    None,
                    deferred,
                    [*used, deferral],
                    f"JP {payer} share, deferred (PP 49/2020; repay from 15 May 2021 to 15 April 2022)",
                    f"{rupiah(full.amount)} due - {rupiah(paid.amount)} paid = {rupiah(deferred)} deferred",
                    information=True,
                )
            )
        if deferral is None:
            lines += billed_jp

    if inputs.with_jkp:
        lines += _jkp_financing(ctx, base, discount_ratio)

    due = pu_due_date(ctx)
    if inputs.paid_on is not None:
        lines += pu_fines(
            ctx, inputs.paid_on, due, [jkk, jkm], [*lines_of(lines, "jht"), *billed_jp], state_body=inputs.state_body
        )
    return lines, due


def lines_of(lines: list[Line], program: str) -> list[Line]:
    return [line for line in lines if line.program == program and not line.information]


def _jkp_financing(ctx: Context, base: int, discount_ratio: Fraction) -> list[Line]:
    government = ctx.optional("jkp.government_rate")
    if government is None:
        return []
    cap = ctx.entry("jkp.contribution_wage_cap")
    jkp_base = min(base, cap.value)
    lines = [
        rate_line(
            "jkp",
            "government",
            jkp_base,
            [(government.value, percent_text(government.value))],
            [government, cap],
            "JKP financing by the central government (not billed)",
            information=True,
        )
    ]
    from_jkk = ctx.optional("jkp.jkk_recomposition_rate")
    if from_jkk is not None:
        rates = [(from_jkk.value, percent_text(from_jkk.value))]
        if discount_ratio != 1:
            rates.append((discount_ratio, f"{percent_text(discount_ratio)} (PP 7/2025 discount)"))
        lines.append(
            rate_line(
                "jkp",
                "employer",
                jkp_base,
                rates,
                [from_jkk, cap],
                "JKP financing taken from the employer's JKK (not billed again)",
                information=True,
            )
        )
    from_jkm = ctx.optional("jkp.jkm_recomposition_rate")
    if from_jkm is not None:
        lines.append(
            rate_line(
                "jkp",
                "employer",
                jkp_base,
                [(from_jkm.value, percent_text(from_jkm.value))],
                [from_jkm, cap],
                "JKP financing taken from the employer's JKM (not billed again)",
                information=True,
            )
        )
    return lines


def pu_fines(
    ctx: Context,
    paid_on: date,
    due: date,
    jkk_jkm: list[Line],
    jht_jp: list[Line],
    *,
    state_body: bool | None = None,
) -> list[Line]:
    return fines(
        ctx,
        paid_on,
        due,
        sum(line.amount for line in jkk_jkm),
        sum(line.amount for line in jht_jp),
        state_body=state_body,
    )


def fines(
    ctx: Context, paid_on: date, due: date, jkk_jkm: int, jht_jp: int, *, state_body: bool | None = None
) -> list[Line]:
    """The late-payment fines (JKK + JKM and JHT + JP lines). A state body (penyelenggara negara) is
    not fined: its lines are 0, saying why; not knowing whether the employer is one adds a warning."""
    late = months_late(due, paid_on)
    unknown = public_holidays(ctx.parameters, due.year) is None
    if unknown and paid_on > due and (paid_on - due) <= timedelta(days=HOLIDAY_WINDOW_DAYS):
        ctx.warn(
            f"paid {(paid_on - due).days} day(s) after the due date {due}: public holidays are not "
            f"in the calendar for {due.year}, so if the due date fell on one the payment may be on time"
        )
    if late == 0:
        return []
    exempt = ctx.entry("fines.state_body_payable_share") if state_body else None
    if state_body is None and (jkk_jkm or jht_jp):
        ctx.warn(
            "assumed: the employer is not a state body (penyelenggara negara); a state body is not fined "
            "for late payment (state_body)"
        )
    lines: list[Line] = []
    for owed, name, label in (
        (jkk_jkm, "fines.pu_late_rate_per_month", "late-payment fine on JKK and JKM"),
        (jht_jp, "fines.pu_late_rate_per_month_jht_jp", "late-payment fine on JHT and JP"),
    ):
        if owed == 0:
            continue
        entry = ctx.entry(name)
        rate = entry.value * late
        how = f"{percent_text(entry.value)} × {late} month(s) × {rupiah(owed)}"
        used = [entry]
        if exempt is not None:
            rate *= exempt.value
            used.append(exempt)
            how += f" × {percent_text(exempt.value)} (a state body, penyelenggara negara, is not fined)"
        value = round_half_up(owed * rate)
        lines.append(
            make_line(
                "fine",
                "employer",
                owed,
                rate,
                value,
                used,
                f"{label}, {late} month(s) late (due {due}, paid {paid_on})",
                f"{how} = {rupiah(value)}",
            )
        )
    return lines
