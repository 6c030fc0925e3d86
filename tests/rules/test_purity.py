"""The rules package is pure Python: it never imports Django, directly or indirectly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import jamsostek.rules

RULES = Path(jamsostek.rules.__file__).parent


def test_no_module_of_the_rules_package_imports_django() -> None:
    offenders = []
    for path in RULES.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "django"]
    assert offenders == []


def test_using_the_rules_loads_no_django_module() -> None:
    code = (
        "import sys\n"
        "from jamsostek.rules import batch, contributions\n"
        "from jamsostek.rules.model import PUInput\n"
        "from jamsostek.rules.periods import Month\n"
        "contributions.contribution(PUInput(wage=5000000, risk_class=1), Month(2025, 3))\n"
        "import numpy as np\n"
        "batch.compute({'segment': np.array(['pu']), 'period': np.array([Month(2025, 3).index]),"
        " 'wage': np.array([5000000]), 'risk_class': np.array([1])})\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'django')\n"
        "print(loaded)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
