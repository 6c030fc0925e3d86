"""Computing benefits and heirs loads no Django module (the AST check in tests/rules covers imports)."""

from __future__ import annotations

import subprocess
import sys


def test_computing_every_benefit_loads_no_django_module() -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from jamsostek.rules.benefits import *\n"
        "jkm_benefit(death_date=date(2025, 5, 1), contribution_months=40)\n"
        "jkk_benefit(event='death', accident_date=date(2025, 5, 1), wage=5000000)\n"
        "jht_benefit(claim_date=date(2025, 5, 1), reason='death', savings=Savings(balance=1))\n"
        "jp_benefit(on=date(2025, 5, 1), birth_date=date(1960, 1, 1), contribution_months=200,"
        " average_indexed_wage=5000000)\n"
        "jkp_benefit(termination_date=date(2025, 5, 1), last_wage=1, months_paid_last_24=12,"
        " consecutive_months=6)\n"
        "heirs(relatives=[Relative('child', 'Budi')], on=date(2025, 5, 1))\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
