"""Rules as code: the benefits of JKM, JKK, JHT, JP and JKP, and the order of heirs.

Pure Python, like the rest of ``jamsostek.rules`` (never imports Django). Every function is
keyword-only, looks the law up on the exact day of the event in the dated, cited parameters under
``parameters/benefits/``, and returns a ``BenefitResult``: eligible or not, the reason and its
legal basis, itemised lines (item, amount, reference, confirmed, explanation) and their total,
and a warning for every value that is not confirmed. Conventions and choices: docs/rules.md.
"""

from jamsostek.rules.benefits.heirs import RELATIONS, HeirsResult, Relative, heirs
from jamsostek.rules.benefits.jht import jht_balance, jht_benefit, jht_partial_withdrawal
from jamsostek.rules.benefits.jkk import jkk_benefit
from jamsostek.rules.benefits.jkm import jkm_benefit
from jamsostek.rules.benefits.jkp import jkp_benefit
from jamsostek.rules.benefits.jp import PensionAge, jp_benefit, jp_pension_age
from jamsostek.rules.benefits.model import BenefitLine, BenefitResult, Child, Costs
from jamsostek.rules.benefits.savings import Contribution, Savings

__all__ = [
    "RELATIONS",
    "BenefitLine",
    "BenefitResult",
    "Child",
    "Contribution",
    "Costs",
    "HeirsResult",
    "PensionAge",
    "Relative",
    "Savings",
    "heirs",
    "jht_balance",
    "jht_benefit",
    "jht_partial_withdrawal",
    "jkk_benefit",
    "jkm_benefit",
    "jkp_benefit",
    "jp_benefit",
    "jp_pension_age",
]
