"""Rendered coverage answers kept per process while the coverage data they show is unchanged
(``indicators.stamp()``: a recomputation, or a changed denominator or target, shows within a second
in every process)."""

from __future__ import annotations

from typing import TypeVar

from jamsostek.core import kept
from jamsostek.coverage import indicators

T = TypeVar("T")


class Kept(kept.Kept[T]):
    def __init__(self, size: int) -> None:
        super().__init__(size, indicators.stamp)


forget = kept.forget
