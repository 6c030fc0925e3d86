"""Rules as code: the contributions and benefits of BPJS Ketenagakerjaan.

Pure Python: this package never imports Django, so lawyers and analysts can run its worked
examples alone and batch jobs can import it unchanged. Law is data (dated, cited YAML
parameters in ``parameters/``, their sources in ``sources.yaml``) plus small formulas:

- ``contributions.contribution(inputs, period)``: one participant, itemised and explained (the
  segments' rules are in ``segments/``);
- ``batch.compute(table)``: many participants at once, int64 columns, the same amounts;
- ``benefits``: what a participant or the family is owed under JKM, JKK, JHT, JP and JKP on the
  day of the event, and who the heirs are.
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
