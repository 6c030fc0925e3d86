"""Integer rupiah and the one rounding rule.

Amounts are Python ``int`` (numpy ``int64`` in batch). Rates are exact ``Fraction``s read from
decimal text in the parameter files; a float never touches an amount.

Rounding rule (project convention, see docs/rules.md): every contribution line is computed
exactly as ``base x rate [x relief share]`` and rounded **once**, half up, to a whole rupiah.
No regulation consulted states a rounding rule for contributions (regulations.md has none), so
the rule is recorded as a convention, not as law. Derived lines (a deferred amount, a total) are
differences and sums of rounded lines, so they never round again.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction | int) -> int:
    """Round a non-negative exact value to the nearest rupiah, halves up."""
    if value < 0:
        raise ValueError("amounts are never negative")
    fraction = Fraction(value)
    return (2 * fraction.numerator + fraction.denominator) // (2 * fraction.denominator)


def amount(base: int, *factors: Fraction) -> int:
    """``base`` times every factor, exactly, rounded once half up."""
    product = Fraction(base)
    for factor in factors:
        product *= factor
    return round_half_up(product)


def rate_text(rate: Fraction) -> str:
    """An exact decimal string for a rate (``Fraction(3, 1000)`` -> ``"0.003"``)."""
    decimal = Decimal(rate.numerator) / Decimal(rate.denominator)
    text = format(decimal.normalize(), "f")
    if Fraction(Decimal(text)) != rate:  # pragma: no cover - only for non-decimal rates
        raise ValueError(f"rate {rate} has no exact decimal form")
    return text


def percent_text(rate: Fraction) -> str:
    """``Fraction(24, 10000)`` -> ``"0.24%"``."""
    return rate_text(rate * 100) + "%"


def rupiah(value: int, language: str = "en") -> str:
    """``1234567`` -> ``"Rp1,234,567"`` (English) or ``"Rp1.234.567"`` (Indonesian)."""
    text = f"{value:,}"
    if language.startswith("id"):
        text = text.replace(",", ".")
    return f"Rp{text}"
