"""A built wheel holds everything the app needs at run time: every template, static file, parameter
file, data file and compiled catalogue of the source tree, and declares every package it imports."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "jamsostek"
IMPORT_NAMES = {
    "yaml": "PyYAML",
    "django": "Django",
    "ninja": "django-ninja",
    "django_stubs_ext": "django-stubs-ext",
    "pydantic_core": "pydantic",
}  # pydantic pins its own core
"""The distribution of an imported module whose name differs from it."""


def test_the_wheel_holds_every_file_the_app_reads(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path),
         str(ROOT)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if built.returncode != 0:
        pytest.fail(built.stderr[-2000:])
    (wheel,) = tmp_path.glob("jamsostek-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        "jamsostek/" + str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".po")
    }
    assert sorted(wanted - inside) == []


def test_every_imported_package_is_a_declared_dependency() -> None:
    declared = {
        requirement.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    imported = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "jamsostek"}
    missing = sorted(name for name in third_party if IMPORT_NAMES.get(name, name).lower() not in declared)
    assert missing == []
