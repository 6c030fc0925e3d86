"""BPU (informal workers): income nominal, JKK, JKM and optional JHT, one or more months at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from jamsostek.rules.context import Context, covid_relief, make_line, rate_line, replace_line, require
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.holidays import working_day
from jamsostek.rules.model import BPUInput, Line
from jamsostek.rules.money import amount, percent_text, rupiah
from jamsostek.rules.parameterset import Band
from jamsostek.rules.segments.relief import covid_conditions_hold


def bpu_due_date(ctx: Context) -> date:
    day = ctx.entry("deadlines.bpu_due_day").value
    return working_day(ctx.parameters, ctx.period.day(day))


def bpu_nominal(bands: tuple[Band, ...], income: int) -> tuple[int, Band]:
    """The income nominal for a declared income, and the band that gave it."""
    for band in bands:
        if band.up_to is None or income <= band.up_to:
            return (income if band.nominal is None else band.nominal), band
    raise AssertionError("the last band is open")  # pragma: no cover - checked by the loader


def bpu_lines(inputs: BPUInput, ctx: Context) -> tuple[list[Line], date]:
    require(ctx, "bpu.jkk_rate", "BPU contributions")
    allowed = ctx.entry("bpu.prepayment_months").value
    if inputs.months not in allowed:
        raise InvalidInput("months", "not_one_of", value=inputs.months, choices=", ".join(map(str, allowed)))
    monthly: list[Line] = []
    for offset in range(inputs.months):
        month_ctx = ctx.at(ctx.period.plus(offset))
        monthly += _bpu_month(inputs, month_ctx)
    return _merge_months(monthly), bpu_due_date(ctx)


def _bpu_month(inputs: BPUInput, ctx: Context) -> list[Line]:
    bands_entry = ctx.entry("bpu.income_bands")
    nominal, band = bpu_nominal(bands_entry.value, inputs.income)
    if not band.confirmed:
        ctx.warn(
            f"the BPU income band table above Rp1,099,000 is UNCONFIRMED: the declared income "
            f"{rupiah(inputs.income)} gives an approximate nominal of {rupiah(nominal)}"
        )
    relief, relief_used = covid_relief(ctx)
    if relief and not covid_conditions_hold(ctx, "participant", inputs.relief_paid_up, inputs.first_month):
        relief, relief_used = [], []
    lines: list[Line] = []
    jkk = ctx.entry("bpu.jkk_rate")
    line = rate_line(
        "jkk",
        "participant",
        nominal,
        [(jkk.value, percent_text(jkk.value)), *relief],
        [jkk, bands_entry, *relief_used],
        "JKK on the income nominal",
    )
    lines.append(_with_band(line, band))
    if inputs.with_jkm:
        jkm = ctx.entry("bpu.jkm_amount")
        factors = [factor for factor, _ in relief]
        value = amount(jkm.value, *factors)
        words = "".join(f" × {text}" for _, text in relief)
        lines.append(
            make_line(
                "jkm",
                "participant",
                None,
                None,
                value,
                [jkm, *relief_used],
                "JKM, flat amount",
                f"{rupiah(jkm.value)}{words} = {rupiah(value)}",
            )
        )
    if inputs.with_jht:
        jht = ctx.entry("bpu.jht_rate")
        line = rate_line(
            "jht",
            "participant",
            nominal,
            [(jht.value, percent_text(jht.value))],
            [jht, bands_entry],
            "JHT on the income nominal",
        )
        lines.append(_with_band(line, band))
    return lines


def _with_band(line: Line, band: Band) -> Line:
    if band.confirmed:
        return line
    return replace_line(line, confirmed=False)


def _merge_months(lines: list[Line]) -> list[Line]:
    """Months with identical lines become one line with ``months`` > 1, in first-seen order."""
    merged: dict[tuple[Any, ...], Line] = {}
    for line in lines:
        key = (
            line.program,
            line.payer,
            line.base,
            line.rate,
            line.references,
            line.confirmed,
            line.information,
            line.label,
            line.explanation,
        )
        if key in merged:
            previous = merged[key]
            merged[key] = replace_line(previous, amount=previous.amount + line.amount, months=previous.months + 1)
        else:
            merged[key] = line
    return [
        replace_line(line, explanation=f"{line.explanation} a month × {line.months} = {rupiah(line.amount)}")
        if line.months > 1
        else line
        for line in merged.values()
    ]
