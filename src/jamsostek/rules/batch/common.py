"""What the parts of the batch path share: the integer layout of rates, the segment codes, the columns."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from jamsostek.rules.errors import ParameterError
from jamsostek.rules.model import SEGMENTS
from jamsostek.rules.periods import Month

DENOMINATOR = 1_000_000
"""Rates are held as integer numerators over this denominator (0.24% -> 2400)."""
FIRST_MONTH = Month(2015, 7)
CHUNK = 262_144
"""At most this many rows a thread computes at once (``chunks_for`` cuts a table into chunks of equal
size). Measured on 2-core AMD EPYC machines (docs/performance.md): on 2026-12-03, with the result
columns no longer zeroed and the work arrays reused, 125,000 to 262,144 rows a chunk were the fastest
(a million rows in 0.068 to 0.077 s), 65,536 rows about 20 % slower and 16,384 rows twice as slow: the
Python work of each chunk holds the interpreter's lock, which the other thread waits for."""
MIN_CHUNK = 32_768
"""The smallest chunk made to give every worker one (below it the Python work per chunk dominates)."""
NO_DATE = np.iinfo(np.int64).max
"""Stands for 'no payment date' in the day-number columns."""
NO_MONTH = -1
"""Stands for 'not known' in the ``payer_first_month`` column."""

I64 = npt.NDArray[np.int64]
Array = npt.NDArray[Any]

PU, BPU, JAKON, PMI = (SEGMENTS.index(name) for name in ("pu", "bpu", "jakon", "pmi"))
"""The integer code of each segment in the ``segment`` column: its place in ``model.SEGMENTS``."""

OUTPUT_COLUMNS = (
    "jkk_employer",
    "jkm_employer",
    "jht_employer",
    "jht_worker",
    "jp_employer",
    "jp_worker",
    "fine_employer",
    "jkk_participant",
    "jkm_participant",
    "jht_participant",
    "jkk_jkm_participant",
    "jp_employer_information",
    "jp_worker_information",
    "jkp_government_information",
    "jkp_employer_information",
)
TOTAL_COLUMNS = ("employer", "worker", "participant", "total")
PAYER_OF = {
    "employer": [c for c in OUTPUT_COLUMNS if c.endswith("_employer")],
    "worker": [c for c in OUTPUT_COLUMNS if c.endswith("_worker")],
    "participant": [c for c in OUTPUT_COLUMNS if c.endswith("_participant")],
}


def numerator(rate: Fraction, source: str) -> int:
    scaled = rate * DENOMINATOR
    if scaled.denominator != 1:
        raise ParameterError(source, f"rate {rate} is finer than 1/{DENOMINATOR}; raise DENOMINATOR")
    return int(scaled)
