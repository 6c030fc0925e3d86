"""Accumulated contributions plus declared returns: the JHT balance and the JP lump sum.

The law says the balance is every contribution paid plus the returns of its investment (PP 46/2015
art. 22(2)-(3) for JHT; the JP lump sum is the same accumulation). The yearly return rates that
BPJS Ketenagakerjaan declares are inputs (they are UNCONFIRMED and not encoded). How BPJS credits
them within a year is not in the sources, so this is a **project convention**, flagged on every
return line:

- the contribution of month *m* is credited at the end of month *m*;
- in a calendar year with declared rate *r*, the returns are
  ``r x (opening balance x k + sum of c_m x (k - m)) / 12``, where *k* = 12 for a full year and,
  in the year of the claim, the months before the claim month (a contribution earns from the
  month after its own to month *k*);
- the returns of a year are rounded once, half up, and added to the balance at the end of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from jamsostek.rules.benefits.context import Lookup
from jamsostek.rules.benefits.model import BenefitLine, check_rate
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import MAX_RUPIAH, check_rupiah
from jamsostek.rules.money import percent_text, round_half_up, rupiah
from jamsostek.rules.parameterset import Reference
from jamsostek.rules.periods import Month

CONVENTION_WARNING = (
    "returns are credited by a project convention (monthly weighting within each year, rounded once a "
    "year): BPJS Ketenagakerjaan's own crediting method is not in the sources, so its balance may differ"
)


@dataclass(frozen=True, slots=True)
class Contribution:
    """The contribution paid into the account for one month (employer and worker together)."""

    month: Month
    amount: int

    def __post_init__(self) -> None:
        if not isinstance(self.month, Month):
            raise InvalidInput("contributions", "bad_period", value=self.month)
        check_rupiah("contributions", self.amount)


@dataclass(frozen=True)
class Savings:
    """A contribution history with the declared yearly returns, or else a known balance."""

    contributions: tuple[Contribution, ...] = ()
    returns: Mapping[int, Fraction] = field(default_factory=dict)
    """Declared return rate by calendar year (0.0526 for 5.26 %)."""
    balance: int | None = None
    """A balance already known on the claim date (then no history is used)."""

    def __post_init__(self) -> None:
        if (self.balance is None) == (not self.contributions):
            raise InvalidInput("contributions", "one_of_required", choices="a contribution history, a balance")
        if self.balance is not None:
            check_rupiah("balance", self.balance, maximum=MAX_RUPIAH * 1000)
        for year, rate in self.returns.items():
            if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
                raise InvalidInput("returns", "out_of_range", value=year, low=1900, high=2999)
            check_rate("returns", rate)

    @classmethod
    def monthly(cls, amount: int, first: Month, last: Month, returns: Mapping[int, Fraction] | None = None) -> Savings:
        """The same contribution every month from ``first`` to ``last``."""
        if last < first:
            raise InvalidInput("to", "before", value=str(last), other="from", limit=str(first))
        months = range(first.index, last.index + 1)
        return cls(tuple(Contribution(Month.from_index(index), amount) for index in months), returns or {})


def accumulate(
    ctx: Lookup, savings: Savings, *, until: date, key: str, item: str, basis: Reference
) -> list[BenefitLine]:
    """The lines whose sum is the balance on ``until``: contributions, then each year's returns."""
    if savings.balance is not None:
        return [
            ctx.line(
                f"{key}.balance",
                f"{item}: balance as stated",
                savings.balance,
                [],
                f"{rupiah(savings.balance)} on {until}",
                references=[basis],
            )
        ]
    by_month: dict[Month, int] = defaultdict(int)
    for contribution in savings.contributions:
        by_month[contribution.month] += contribution.amount
    claim_month = Month.of(until)
    late = max(by_month)
    if late > claim_month:
        raise InvalidInput(
            "contributions", "more_than", value=str(late), other="the claim month", limit=str(claim_month)
        )
    first = min(by_month)
    paid = sum(by_month.values())
    lines = [
        ctx.line(
            f"{key}.contributions",
            f"{item}: contributions paid, {first} to {late} ({len(by_month)} months)",
            paid,
            [],
            f"sum of the contributions = {rupiah(paid)}",
            references=[basis],
        )
    ]
    balance = 0
    for year in range(first.year, claim_month.year + 1):
        k = 12 if year < claim_month.year else claim_month.month - 1
        in_year = {month.month: value for month, value in by_month.items() if month.year == year}
        earning = sum(value * (k - month) for month, value in in_year.items() if month < k)
        weighted = balance * k + earning
        returned = 0
        if weighted > 0:
            rate = savings.returns.get(year)
            if rate is None:
                raise InvalidInput("returns", "missing_return", year=year)
            returned = round_half_up(Fraction(weighted, 12) * rate)
            ctx.warn(CONVENTION_WARNING)
            lines.append(
                ctx.line(
                    f"{key}.returns_{year}",
                    f"{item}: returns {year} at {percent_text(rate)} (declared rate, given as input)",
                    returned,
                    [],
                    f"{percent_text(rate)} × ({rupiah(balance)} opening balance × {k} months + "
                    f"{rupiah(earning)} contribution-months) / 12 = {rupiah(returned)}",
                    confirmed=False,
                    references=[basis],
                )
            )
        balance += sum(in_year.values()) + returned
    return lines
