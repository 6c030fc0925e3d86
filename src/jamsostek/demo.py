"""``make demo``: a short, readable demonstration of the contribution calculator.

A few typical workers of Kalimantan Barat, one line each, then one of them itemised.
The wages are examples, not published minimum wages.
"""

from __future__ import annotations

from dataclasses import dataclass

from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import BPUInput, ContributionInput, JakonInput, PMIInput, PUInput
from jamsostek.rules.money import rupiah
from jamsostek.rules.periods import Month


@dataclass(frozen=True)
class Example:
    who: str
    inputs: ContributionInput
    period: Month


EXAMPLES = (
    Example(
        "Shop assistant in Pontianak (PU, risk class I)",
        PUInput(wage=3_200_000, risk_class=1),
        Month(2025, 3),
    ),
    Example(
        "Palm-oil mill operator in Ketapang (PU, class IV, allowance)",
        PUInput(wage=3_900_000, fixed_allowances=600_000, risk_class=4),
        Month(2025, 3),
    ),
    Example(
        "Garment worker, labour-intensive employer (PU, class II)",
        PUInput(wage=3_100_000, risk_class=2, labour_intensive=True),
        Month(2025, 6),
    ),
    Example(
        "Bank officer above the JP cap (PU, class I)",
        PUInput(wage=14_000_000, risk_class=1),
        Month(2024, 3),
    ),
    Example(
        "Rubber tapper in Sambas (BPU, Rp16,800 package)",
        BPUInput(income=1_000_000),
        Month(2025, 1),
    ),
    Example(
        "Fisherman in Kayong Utara with JHT (BPU, Rp36,800 package)",
        BPUInput(income=900_000, with_jht=True),
        Month(2025, 1),
    ),
    Example(
        "Village road project, Rp750 million contract (Jakon)",
        JakonInput(contract_value=750_000_000),
        Month(2025, 5),
    ),
    Example(
        "Migrant worker to Malaysia, 24-month contract via agency (PMI)",
        PMIInput(months=24, pre_departure=True),
        Month(2025, 7),
    ),
    Example(
        "Same shop assistant in the COVID relief (PU, 2020-09)",
        PUInput(wage=3_200_000, risk_class=1),
        Month(2020, 9),
    ),
)


def main() -> None:
    rows = []
    for example in EXAMPLES:
        result = contribution(example.inputs, example.period)
        totals = result.totals
        unconfirmed = any(not line.confirmed for line in result.lines if not line.information)
        rows.append(
            [
                example.who,
                str(example.period),
                rupiah(totals["employer"]),
                rupiah(totals["worker"]),
                rupiah(totals["participant"]),
                rupiah(totals["total"]) + (" *" if unconfirmed else ""),
            ]
        )


if __name__ == "__main__":
    main()
