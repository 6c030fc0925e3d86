"""Jakon (construction projects) and PMI (migrant workers): packages and progressive slices."""

from __future__ import annotations

from fractions import Fraction

from jamsostek.rules.context import Context, make_line, require
from jamsostek.rules.model import JakonInput, Line, PMIInput
from jamsostek.rules.money import amount, percent_text, round_half_up, rupiah
from jamsostek.rules.parameterset import ScheduleRow

# --- Jakon -------------------------------------------------------------------------------------


def progressive(rows: tuple[ScheduleRow, ...], value: int) -> tuple[Fraction, list[tuple[ScheduleRow, int]]]:
    """Exact progressive amount over the slices, and the (slice, portion) pairs that apply."""
    total = Fraction(0)
    used: list[tuple[ScheduleRow, int]] = []
    for index, row in enumerate(rows):
        upper = rows[index + 1].start if index + 1 < len(rows) else None
        portion = (value if upper is None else min(value, upper)) - row.start
        if portion <= 0:
            break
        total += portion * row.rate
        used.append((row, portion))
    return total, used


def jakon_lines(inputs: JakonInput, ctx: Context) -> list[Line]:
    require(ctx, "jakon.jkk_contract_slices", "Jakon contributions")
    share = ctx.entry("relief.covid_jkk_jkm_payable_share")
    relief_factor = share.value
    relief_used = [share] if relief_factor != 1 else []
    relief_words = f" × {percent_text(relief_factor)} payable (PP 49/2020)" if relief_used else ""
    lines: list[Line] = []
    if inputs.wages is not None:
        for program, name in (
            ("jkk", "jakon.jkk_rate_known_wages"),
            ("jkm", "jakon.jkm_rate_known_wages"),
        ):
            entry = ctx.entry(name)
            total = sum(amount(wage, entry.value, relief_factor) for wage in inputs.wages)
            workers = len(inputs.wages)
            lines.append(
                make_line(
                    program,
                    "employer",
                    sum(inputs.wages),
                    entry.value * relief_factor,
                    total,
                    [entry, *relief_used],
                    f"{program.upper()} on the wages of {workers} worker(s), rounded per worker",
                    f"{percent_text(entry.value)}{relief_words} × each wage "
                    f"(total {rupiah(sum(inputs.wages))}) = {rupiah(total)}",
                )
            )
        return lines
    assert inputs.contract_value is not None
    for program, name in (
        ("jkk", "jakon.jkk_contract_slices"),
        ("jkm", "jakon.jkm_contract_slices"),
    ):
        entry = ctx.entry(name)
        exact, used = progressive(entry.value, inputs.contract_value)
        value = round_half_up(exact * relief_factor)
        slices = " + ".join(f"{percent_text(row.rate)} × {rupiah(portion)}" for row, portion in used)
        confirmed_rows = all(row.confirmed for row, _ in used)
        if not confirmed_rows:
            ctx.warn(f"{name}: the slices above Rp500,000,000 are UNCONFIRMED (public code only)")
        lines.append(
            make_line(
                program,
                "employer",
                inputs.contract_value,
                None,
                value,
                [entry, *relief_used],
                f"{program.upper()} on the contract value, progressive slices (whole project)",
                f"{slices or '0'}{relief_words} = {rupiah(value)}",
                extra_confirmed=confirmed_rows,
            )
        )
    return lines


# --- PMI ---------------------------------------------------------------------------------------


def pmi_package(packages: dict[int, int], months: int) -> tuple[int, int]:
    """(package length, extra months): the longest package not longer than the contract."""
    lengths = sorted(packages)
    fitting = [length for length in lengths if length <= months]
    length = fitting[-1] if fitting else lengths[0]
    return length, max(0, months - length)


def pmi_lines(inputs: PMIInput, ctx: Context) -> list[Line]:
    packages = require(ctx, "pmi.placement_packages", "PMI contributions")
    lines: list[Line] = []
    if inputs.pre_departure:
        entry = ctx.entry("pmi.pre_departure_amount")
        lines.append(
            make_line(
                "jkk_jkm",
                "participant",
                None,
                None,
                entry.value,
                [entry],
                "JKK and JKM before departure (placement through an agency)",
                f"{rupiah(entry.value)} at once",
            )
        )
    length, extra = pmi_package(packages.value, inputs.months)
    exact = inputs.months in packages.value or inputs.months > max(packages.value)
    if not exact:
        ctx.warn(
            f"a {inputs.months}-month contract matches no package: the {length}-month package"
            + (f" plus {extra} extra month(s)" if extra else "")
            + " is an interpretation of Permenaker 4/2023 art. 18 (UNCONFIRMED)"
        )
    package_amount = packages.value[length]
    lines.append(
        make_line(
            "jkk_jkm",
            "participant",
            None,
            None,
            package_amount,
            [packages],
            f"JKK and JKM during and after placement, {length}-month package",
            f"{rupiah(package_amount)} at once",
            extra_confirmed=exact,
        )
    )
    if extra:
        entry = ctx.entry("pmi.extra_month_amount")
        value = entry.value * extra
        lines.append(
            make_line(
                "jkk_jkm",
                "participant",
                None,
                None,
                value,
                [entry],
                f"JKK and JKM for {extra} contract month(s) beyond the package",
                f"{rupiah(entry.value)} × {extra} = {rupiah(value)}",
                extra_confirmed=exact,
            )
        )
    return lines
