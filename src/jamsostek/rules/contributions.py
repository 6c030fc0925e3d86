"""Contributions of one participant for one period, itemised and explained (the scalar path).

Each function reads dated parameters through a ``_Context`` that remembers which values were
used, so every line carries its legal references and whether all of them are confirmed, and
every unconfirmed value used becomes a warning. ``jamsostek.rules.batch`` computes the same
amounts for many participants at once; a property test holds the two to exact agreement.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from jamsostek.rules.errors import InvalidInput, ParameterNotInForce
from jamsostek.rules.holidays import public_holidays, working_day
from jamsostek.rules.model import (
    BPUInput,
    ContributionInput,
    ContributionResult,
    JakonInput,
    Line,
    PMIInput,
    PUInput,
)
from jamsostek.rules.money import amount, percent_text, round_half_up, rupiah
from jamsostek.rules.parameterset import Band, Entry, ParameterSet, ScheduleRow, default_parameters
from jamsostek.rules.periods import Month, months_late

HOLIDAY_WINDOW_DAYS = 7
"""A payment this many days after a due date may be on time if a public holiday moved it (said
when the due date's year has no holiday list)."""


class _Context:
    """Parameter lookups for one contribution month, remembering warnings."""

    def __init__(self, parameters: ParameterSet, period: Month) -> None:
        self.parameters = parameters
        self.period = period
        self.day = period.first_day
        self.warnings: dict[str, None] = {}

    def at(self, period: Month) -> _Context:
        """The same lookups for another month, sharing the warnings."""
        other = _Context(self.parameters, period)
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


def _line(
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


def _rate_line(
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
    return _line(
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


def _first_month(start: date) -> Month:
    month = Month.of(start)
    return month if start.day == 1 else month.plus(1)


def _require(ctx: _Context, name: str, program: str) -> Entry:
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
            first=str(_first_month(first)) if first else "-",
        )
    return ctx.entry(name)


# --- PU ----------------------------------------------------------------------------------------


def pu_due_date(ctx: _Context) -> date:
    day = ctx.entry("deadlines.pu_due_day").value
    return working_day(ctx.parameters, ctx.period.plus(1).day(day))


def bpu_due_date(ctx: _Context) -> date:
    day = ctx.entry("deadlines.bpu_due_day").value
    return working_day(ctx.parameters, ctx.period.day(day))


def _pu(inputs: PUInput, ctx: _Context) -> tuple[list[Line], date]:
    rate_entry = _require(ctx, "jkk.pu_rate", "PU contributions")
    lines: list[Line] = []
    wage = inputs.wage + inputs.fixed_allowances
    base = max(wage, inputs.minimum_wage or 0)
    if inputs.minimum_wage is not None and inputs.minimum_wage > wage:
        ctx.warn(
            f"the reported wage {rupiah(wage)} is below the minimum wage "
            f"{rupiah(inputs.minimum_wage)}; contributions are computed on the minimum wage"
        )

    share_entry = ctx.entry("relief.covid_jkk_jkm_payable_share")
    relief: list[tuple[Fraction, str]] = []
    relief_used: list[Entry] = []
    if share_entry.value != 1:
        relief = [(share_entry.value, f"{percent_text(share_entry.value)} payable (PP 49/2020)")]
        relief_used = [share_entry]

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
            else:
                jkk_rate = discounted.value[inputs.risk_class]
                jkk_used = [rate_entry, discounted]
                discount_ratio = jkk_rate / normal_rate
        else:
            ctx.warn(f"no labour-intensive JKK discount is in force in {ctx.period}")
    jkk_label = f"JKK risk class {inputs.risk_class}"
    if discount_ratio != 1:
        jkk_label += " (labour-intensive discount, PP 7/2025)"
    jkk = _rate_line(
        "jkk",
        "employer",
        base,
        [(jkk_rate, percent_text(jkk_rate)), *relief],
        jkk_used + relief_used,
        jkk_label,
    )
    jkm_entry = ctx.entry("jkm.pu_rate")
    jkm = _rate_line(
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
            _rate_line(
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
            full = _rate_line(
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
            paid = _rate_line(
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
                _line(
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
        lines += _pu_fines(ctx, inputs.paid_on, due, [jkk, jkm], [*lines_of(lines, "jht"), *billed_jp])
    return lines, due


def lines_of(lines: list[Line], program: str) -> list[Line]:
    return [line for line in lines if line.program == program and not line.information]


def _jkp_financing(ctx: _Context, base: int, discount_ratio: Fraction) -> list[Line]:
    government = ctx.optional("jkp.government_rate")
    if government is None:
        return []
    cap = ctx.entry("jkp.contribution_wage_cap")
    jkp_base = min(base, cap.value)
    lines = [
        _rate_line(
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
            _rate_line(
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
            _rate_line(
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


def _pu_fines(ctx: _Context, paid_on: date, due: date, jkk_jkm: list[Line], jht_jp: list[Line]) -> list[Line]:
    return _fines(ctx, paid_on, due, sum(line.amount for line in jkk_jkm), sum(line.amount for line in jht_jp))


def _fines(ctx: _Context, paid_on: date, due: date, jkk_jkm: int, jht_jp: int) -> list[Line]:
    late = months_late(due, paid_on)
    unknown = public_holidays(ctx.parameters, due.year) is None
    if unknown and paid_on > due and (paid_on - due) <= timedelta(days=HOLIDAY_WINDOW_DAYS):
        ctx.warn(
            f"paid {(paid_on - due).days} day(s) after the due date {due}: public holidays are not "
            f"in the calendar for {due.year}, so if the due date fell on one the payment may be on time"
        )
    if late == 0:
        return []
    lines: list[Line] = []
    for owed, name, label in (
        (jkk_jkm, "fines.pu_late_rate_per_month", "late-payment fine on JKK and JKM"),
        (jht_jp, "fines.pu_late_rate_per_month_jht_jp", "late-payment fine on JHT and JP"),
    ):
        if owed == 0:
            continue
        entry = ctx.entry(name)
        rate = entry.value * late
        value = round_half_up(owed * rate)
        lines.append(
            _line(
                "fine",
                "employer",
                owed,
                rate,
                value,
                [entry],
                f"{label}, {late} month(s) late (due {due}, paid {paid_on})",
                f"{percent_text(entry.value)} × {late} month(s) × {rupiah(owed)} = {rupiah(value)}",
            )
        )
    return lines


# --- BPU ---------------------------------------------------------------------------------------


def bpu_nominal(bands: tuple[Band, ...], income: int) -> tuple[int, Band]:
    """The income nominal for a declared income, and the band that gave it."""
    for band in bands:
        if band.up_to is None or income <= band.up_to:
            return (income if band.nominal is None else band.nominal), band
    raise AssertionError("the last band is open")  # pragma: no cover - checked by the loader


def _bpu(inputs: BPUInput, ctx: _Context) -> tuple[list[Line], date]:
    _require(ctx, "bpu.jkk_rate", "BPU contributions")
    allowed = ctx.entry("bpu.prepayment_months").value
    if inputs.months not in allowed:
        raise InvalidInput("months", "not_one_of", value=inputs.months, choices=", ".join(map(str, allowed)))
    monthly: list[Line] = []
    for offset in range(inputs.months):
        month_ctx = ctx.at(ctx.period.plus(offset))
        monthly += _bpu_month(inputs, month_ctx)
    return _merge_months(monthly), bpu_due_date(ctx)


def _bpu_month(inputs: BPUInput, ctx: _Context) -> list[Line]:
    bands_entry = ctx.entry("bpu.income_bands")
    nominal, band = bpu_nominal(bands_entry.value, inputs.income)
    if not band.confirmed:
        ctx.warn(
            f"the BPU income band table above Rp1,099,000 is UNCONFIRMED: the declared income "
            f"{rupiah(inputs.income)} gives an approximate nominal of {rupiah(nominal)}"
        )
    share = ctx.entry("relief.covid_jkk_jkm_payable_share")
    relief: list[tuple[Fraction, str]] = []
    relief_used: list[Entry] = []
    if share.value != 1:
        relief = [(share.value, f"{percent_text(share.value)} payable (PP 49/2020)")]
        relief_used = [share]
    lines: list[Line] = []
    jkk = ctx.entry("bpu.jkk_rate")
    line = _rate_line(
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
            _line(
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
        line = _rate_line(
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
    return _replace(line, confirmed=False)


def _replace(line: Line, **changes: Any) -> Line:
    values = {name: getattr(line, name) for name in Line.__slots__}
    values.update(changes)
    return Line(**values)


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
            merged[key] = _replace(previous, amount=previous.amount + line.amount, months=previous.months + 1)
        else:
            merged[key] = line
    return [
        _replace(line, explanation=f"{line.explanation} a month × {line.months} = {rupiah(line.amount)}")
        if line.months > 1
        else line
        for line in merged.values()
    ]


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


def _jakon(inputs: JakonInput, ctx: _Context) -> list[Line]:
    _require(ctx, "jakon.jkk_contract_slices", "Jakon contributions")
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
                _line(
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
            _line(
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


def _pmi(inputs: PMIInput, ctx: _Context) -> list[Line]:
    packages = _require(ctx, "pmi.placement_packages", "PMI contributions")
    lines: list[Line] = []
    if inputs.pre_departure:
        entry = ctx.entry("pmi.pre_departure_amount")
        lines.append(
            _line(
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
        _line(
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
            _line(
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


# --- due dates and fines for billing --------------------------------------------------------------


def due_date(segment: str, period: Month, parameters: ParameterSet | None = None) -> date:
    """When the contribution of ``period`` is due: PU, Jakon and PMI on the 15th (30th in the PP 49/2020
    window) of the next month, BPU on the 15th of the month itself; a weekend or a known public
    holiday moves it to the next working day."""
    ctx = _Context(parameters or default_parameters(), period)
    return bpu_due_date(ctx) if segment == "bpu" else pu_due_date(ctx)


def unknown_holiday_dues(period: Month, parameters: ParameterSet | None = None) -> list[date]:
    """The due dates of ``period`` (PU, BPU; each once) in a year whose public holidays are not in
    the calendar: they move for weekends only."""
    parameters = parameters or default_parameters()
    dues: list[date] = []
    for segment in ("pu", "bpu"):
        due = due_date(segment, period, parameters)
        if public_holidays(parameters, due.year) is None and due not in dues:
            dues.append(due)
    return dues


def due_date_caveats(period: Month, parameters: ParameterSet | None = None) -> list[str]:
    """What is uncertain about the due dates of ``period``, in English (``unknown_holiday_dues``)."""
    return [f"the public holidays of {due.year} are not in the calendar: the due date {due} moves for weekends only"
            for due in unknown_holiday_dues(period, parameters)]  # fmt: skip


def late_fine_rates(period: Month, parameters: ParameterSet | None = None) -> tuple[Fraction, Fraction, bool]:
    """The fine per started month of delay on JKK + JKM and on JHT + JP for ``period``, and whether
    both rates are confirmed (for vectorised arrears; ``late_fines`` itemises one bill)."""
    ctx = _Context(parameters or default_parameters(), period)
    first = ctx.entry("fines.pu_late_rate_per_month")
    second = ctx.entry("fines.pu_late_rate_per_month_jht_jp")
    return first.value, second.value, first.confirmed and second.confirmed


def late_fines(
    *, period: Month, paid_on: date, jkk_jkm: int, jht_jp: int, parameters: ParameterSet | None = None
) -> ContributionResult:
    """The late-payment fines of an employer's contribution of ``period`` paid on ``paid_on``:
    ``jkk_jkm`` and ``jht_jp`` are the amounts that were due (the billed JKK + JKM, and JHT + JP).
    BPU contributions carry no fine; callers do not ask for them."""
    for name, value in (("jkk_jkm", jkk_jkm), ("jht_jp", jht_jp)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(name, "negative", value=value)
    ctx = _Context(parameters or default_parameters(), period)
    due = pu_due_date(ctx)
    lines = _fines(ctx, paid_on, due, jkk_jkm, jht_jp)
    return ContributionResult(
        segment="pu", period=period, lines=tuple(lines), warnings=tuple(ctx.warnings), due_date=due
    )


# --- entry point -------------------------------------------------------------------------------


def contribution(
    inputs: ContributionInput, period: Month, parameters: ParameterSet | None = None
) -> ContributionResult:
    """The itemised contribution of one participant (or project) for ``period``."""
    ctx = _Context(parameters or default_parameters(), period)
    due: date | None = None
    if isinstance(inputs, PUInput):
        lines, due = _pu(inputs, ctx)
        segment = "pu"
    elif isinstance(inputs, BPUInput):
        lines, due = _bpu(inputs, ctx)
        segment = "bpu"
    elif isinstance(inputs, JakonInput):
        lines = _jakon(inputs, ctx)
        segment = "jakon"
    elif isinstance(inputs, PMIInput):
        lines = _pmi(inputs, ctx)
        segment = "pmi"
    else:  # pragma: no cover - the type checker sees every case
        raise TypeError(f"not a contribution input: {inputs!r}")
    return ContributionResult(
        segment=segment,  # type: ignore[arg-type]
        period=period,
        lines=tuple(lines),
        warnings=tuple(ctx.warnings),
        due_date=due,
    )
