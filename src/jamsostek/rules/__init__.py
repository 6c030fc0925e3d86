"""Rules as code: the contributions (and, later, benefits) of BPJS Ketenagakerjaan.

Pure Python: this package never imports Django, so lawyers and analysts can run its worked
examples alone and batch jobs can import it unchanged. Law is data (dated, cited YAML
parameters in ``parameters/``) plus small formulas:

- ``contributions.contribution(inputs, period)``: one participant, itemised and explained;
- ``batch.compute(table)``: many participants at once, int64 columns, the same amounts.
"""

from jamsostek.rules.contributions import contribution
from jamsostek.rules.errors import InvalidInput, ParameterError, RulesError
from jamsostek.rules.model import (
    BPUInput,
    ContributionResult,
    JakonInput,
    Line,
    PMIInput,
    PUInput,
)
from jamsostek.rules.periods import Month

__all__ = [
    "BPUInput",
    "ContributionResult",
    "InvalidInput",
    "JakonInput",
    "Line",
    "Month",
    "PMIInput",
    "PUInput",
    "ParameterError",
    "RulesError",
    "contribution",
]
