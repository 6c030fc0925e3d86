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
size). Measured on a 2-core AMD EPYC without AVX-512 (docs/performance.md, 2026-12-03), a million
rows of mixed segments, best of 7: chunks of 250,000 to 262,144 rows 0.067 to 0.079 s, 65,536 rows
0.083 to 0.116 s, 16,384 rows 0.160 to 0.199 s. The Python work of each chunk holds the
interpreter's lock, which the other thread waits for."""
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
