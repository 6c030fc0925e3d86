"""Inputs and results of the contribution rules (plain data, no behaviour beyond validation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.money import percent_text, rate_text
from jamsostek.rules.parameterset import Reference
from jamsostek.rules.periods import Month

Segment = Literal["pu", "bpu", "jakon", "pmi"]
SEGMENTS: tuple[Segment, ...] = ("pu", "bpu", "jakon", "pmi")
PAYERS = ("employer", "worker", "participant")

# Input bounds: far above any real wage, low enough that exact int64 arithmetic cannot overflow.
MAX_RUPIAH = 100_000_000_000  # Rp100 billion a month
MAX_CONTRACT_VALUE = 1_000_000_000_000_000  # Rp1 quadrillion
MAX_PMI_MONTHS = 120


def check_rupiah(field_name: str, value: object, *, maximum: int = MAX_RUPIAH) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field_name, "not_integer", value=value)
    if value < 0:
        raise InvalidInput(field_name, "negative", value=value)
    if value > maximum:
        raise InvalidInput(field_name, "too_large", value=value, maximum=maximum)
    return value


def check_bool(field_name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(field_name, "not_one_of", value=value, choices="true, false")
    return value


@dataclass(frozen=True, slots=True)
class PUInput:
    """A wage earner (Penerima Upah) for one contribution month."""

    wage: int
    """Basic wage (upah pokok), monthly, as reported by the employer."""
    risk_class: int
    """The employer's JKK risk class, 1 (very low) to 5 (very high)."""
    fixed_allowances: int = 0
    """Fixed allowances (tunjangan tetap), added to the basic wage."""
    minimum_wage: int | None = None
    """The regency (UMK) or provincial (UMP) minimum wage; the base never goes below it."""
    labour_intensive: bool = False
    """Employer eligible for the PP 7/2025 JKK discount (labour-intensive industry, >= 50 workers)."""
    with_jp: bool = True
    """Enrolled in JP (required for medium and large enterprises)."""
    with_jkp: bool = True
    """Enrolled in JKP (shows the JKP financing lines)."""
    jp_deferral: bool = True
    """Uses the PP 49/2020 JP deferral when the month is in its window."""
    paid_on: date | None = None
    """Date the contribution was paid, to compute the late-payment fine."""
    state_body: bool | None = None
    """The employer is a state body (penyelenggara negara: a ministry, a provincial or regency
    government, ... paying for its non-ASN staff): not fined for late payment. None = not known:
    fined, with a warning when a fine is computed."""
    relief_paid_up: bool | None = None
    """The employer had paid what the relief in force this month requires: PP 49/2020, JKK and
    JKM through July 2020; PP 7/2025, JKK through January 2025. False: no relief. None = not
    known: the relief applies, with a warning."""
    employer_first_month: Month | None = None
    """The employer's first contribution month: one registered during PP 49/2020 pays its first
    two months of JKK and JKM in full. None = not known: the relief applies, with a warning."""

    def __post_init__(self) -> None:
        check_rupiah("wage", self.wage)
        check_rupiah("fixed_allowances", self.fixed_allowances)
        if self.minimum_wage is not None:
            check_rupiah("minimum_wage", self.minimum_wage)
        if isinstance(self.risk_class, bool) or not isinstance(self.risk_class, int):
            raise InvalidInput("risk_class", "not_number", value=self.risk_class)
        if not 1 <= self.risk_class <= 5:
            raise InvalidInput("risk_class", "out_of_range", value=self.risk_class, low=1, high=5)
        for name in ("labour_intensive", "with_jp", "with_jkp", "jp_deferral"):
            check_bool(name, getattr(self, name))
        if self.paid_on is not None and not isinstance(self.paid_on, date):
            raise InvalidInput("paid_on", "bad_date", value=self.paid_on)
        for name in ("state_body", "relief_paid_up"):
            if getattr(self, name) is not None:
                check_bool(name, getattr(self, name))
        if self.employer_first_month is not None and not isinstance(self.employer_first_month, Month):
            raise InvalidInput("employer_first_month", "bad_period", value=self.employer_first_month)


@dataclass(frozen=True, slots=True)
class BPUInput:
    """An informal / self-employed worker (Bukan Penerima Upah)."""

    income: int
    """Declared monthly income."""
    with_jht: bool = False
    """Also pays JHT (optional for most BPU, mandatory for employer-owners)."""
    with_jkm: bool = True
    """Pays JKM (optional only for apprentices, honorary staff, students, prisoners)."""
    months: int = 1
    """Months paid at once, from the period on (1, 3, 6 or 12)."""
    relief_paid_up: bool | None = None
    """The participant had paid its JKK and JKM through July 2020 (PP 49/2020 art. 13). False: no
    discount in the relief months. None = not known: the discount applies, with a warning."""
    first_month: Month | None = None
    """The participant's first contribution month: one registered during PP 49/2020 pays its first
    two months of JKK and JKM in full. None = not known: the discount applies, with a warning."""

    def __post_init__(self) -> None:
        check_rupiah("income", self.income)
        if self.relief_paid_up is not None:
            check_bool("relief_paid_up", self.relief_paid_up)
        if self.first_month is not None and not isinstance(self.first_month, Month):
            raise InvalidInput("first_month", "bad_period", value=self.first_month)
        check_bool("with_jht", self.with_jht)
        check_bool("with_jkm", self.with_jkm)
        if isinstance(self.months, bool) or not isinstance(self.months, int):
            raise InvalidInput("months", "not_number", value=self.months)


@dataclass(frozen=True, slots=True)
class JakonInput:
    """A construction project (Jasa Konstruksi): the workers' wages, or else the contract value."""

    contract_value: int | None = None
    """Contract value excluding VAT, used when the wages are not known."""
    wages: tuple[int, ...] | None = None
    """Each worker's monthly wage, when known."""

    def __post_init__(self) -> None:
        if (self.contract_value is None) == (self.wages is None):
            raise InvalidInput("contract_value", "one_of_required", choices="contract_value, wages")
        if self.contract_value is not None:
            check_rupiah("contract_value", self.contract_value, maximum=MAX_CONTRACT_VALUE)
        if self.wages is not None:
            if not isinstance(self.wages, tuple) or not self.wages:
                raise InvalidInput("wages", "empty")
            for wage in self.wages:
                check_rupiah("wages", wage)


@dataclass(frozen=True, slots=True)
class PMIInput:
    """A migrant worker (Pekerja Migran Indonesia)."""

    months: int
    """Length of the employment contract in months."""
    pre_departure: bool = False
    """Placed through an agency: also pays the pre-departure protection."""

    def __post_init__(self) -> None:
        if isinstance(self.months, bool) or not isinstance(self.months, int):
            raise InvalidInput("months", "not_number", value=self.months)
        if not 1 <= self.months <= MAX_PMI_MONTHS:
            raise InvalidInput("months", "out_of_range", value=self.months, low=1, high=MAX_PMI_MONTHS)
        check_bool("pre_departure", self.pre_departure)


ContributionInput = PUInput | BPUInput | JakonInput | PMIInput


def segment_of(inputs: ContributionInput) -> Segment:
    if isinstance(inputs, PUInput):
        return "pu"
    if isinstance(inputs, BPUInput):
        return "bpu"
    if isinstance(inputs, JakonInput):
        return "jakon"
    return "pmi"


@dataclass(frozen=True, slots=True)
class Line:
    """One itemised amount: who pays what, on which base, at which rate, under which law."""

    program: str
    """``jkk``, ``jkm``, ``jht``, ``jp``, ``jkp``, ``jkk_jkm`` (PMI packages) or ``fine``."""
    payer: str
    """``employer``, ``worker``, ``participant`` or ``government`` (information only)."""
    base: int | None
    rate: Fraction | None
    amount: int
    references: tuple[Reference, ...]
    confirmed: bool
    label: str
    explanation: str
    information: bool = False
    """Shown for understanding (JKP financing, a deferred amount); not billed, not in totals."""
    months: int = 1

    @property
    def reference(self) -> str:
        return "; ".join(dict.fromkeys(str(reference) for reference in self.references))

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "payer": self.payer,
            "label": self.label,
            "base": self.base,
            "rate": None if self.rate is None else rate_text(self.rate),
            "amount": self.amount,
            "months": self.months,
            "reference": self.reference,
            "confirmed": self.confirmed,
            "information": self.information,
            "explanation": self.explanation,
        }

    def rate_percent(self) -> str:
        return "" if self.rate is None else percent_text(self.rate)


@dataclass(frozen=True)
class ContributionResult:
    """The itemised contribution of one participant (or project) for one period."""

    segment: Segment
    period: Month
    lines: tuple[Line, ...]
    warnings: tuple[str, ...] = ()
    due_date: date | None = None

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(PAYERS, 0)
        for line in self.lines:
            if not line.information:
                totals[line.payer] += line.amount
        totals["total"] = sum(totals[payer] for payer in PAYERS)
        return totals

    def amount(self, program: str, payer: str, *, information: bool = False) -> int:
        """Sum of the lines of one program and payer (0 when there is none)."""
        return sum(
            line.amount
            for line in self.lines
            if line.program == program and line.payer == payer and line.information == information
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "period": str(self.period),
            "due_date": None if self.due_date is None else self.due_date.isoformat(),
            "lines": [line.to_dict() for line in self.lines],
            "totals": self.totals,
            "warnings": list(self.warnings),
        }
