"""The shape of the code, as ``docs/architecture.md`` draws it: layers that import only downwards,
every domain app with the same files, bulk paths behind their services, role decisions in the
access policy only, and each repeated constant in one place."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "jamsostek"

LAYERS = {
    "rules": 0,
    "core": 10,
    "accounts": 10,
    "registry": 20,
    "contributions": 30,
    "claims": 40,
    "coverage": 50,
    "drives": 60,
    "web": 90,
    "cli": 90,
}
"""Each package may import from its own layer and the layers below (``core`` and ``accounts`` are
one layer: the access policy is part of the core). The gaps leave room for apps between: one that
reads contributions and that coverage reads sits at 40; one that reads coverage, at 60."""

DOMAIN_APPS = ("registry", "contributions", "claims", "coverage", "drives")
APP_FILES = ("models", "services", "selectors", "api", "admin", "apps", "bulk", "management/commands", "migrations")
PAGES = {"registry", "claims", "coverage", "drives"}  # the apps with pages of their own: views.py and urls.py


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        yield ".".join(("jamsostek", *relative.with_suffix("").parts)).removesuffix(".__init__"), path


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every ``jamsostek`` import in the file, at any depth (lazy imports count)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jamsostek"):
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jamsostek"):
                    yield node.lineno, alias.name


def package_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def test_every_package_has_a_layer() -> None:
    packages = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert packages - {"locale"} == set(LAYERS)


def test_each_layer_imports_only_its_own_and_the_ones_below() -> None:
    wrong = []
    for module, path in modules():
        own = package_of(module)
        for line, imported in imports(path):
            target = package_of(imported)
            if target and LAYERS[target] > LAYERS[own]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {imported}")
    assert wrong == []


def test_every_domain_app_has_the_same_files() -> None:
    missing = []
    for app in DOMAIN_APPS:
        root = PACKAGE / app
        expected = [*APP_FILES, *(("views", "urls") if app in PAGES else ())]
        for name in expected:
            if not ((root / f"{name}.py").exists() or (root / name / "__init__.py").exists() or (root / name).is_dir()):
                missing.append(f"{app}/{name}")
        if not (Path(__file__).parent / app).is_dir():
            missing.append(f"tests/{app}")
    assert missing == []


def test_a_bulk_path_is_called_only_by_its_apps_services() -> None:
    """``<app>.bulk`` is for the app's services (and its selectors' bulk reads); pages, the API, the
    admin, the commands and the other apps go through the services."""
    wrong = []
    for module, path in modules():
        for line, imported in imports(path):
            parts = imported.split(".")
            if len(parts) < 3 or parts[2] != "bulk" or parts[1] == "core":
                continue
            app = parts[1]
            allowed = (f"jamsostek.{app}.services", f"jamsostek.{app}.bulk", f"jamsostek.{app}.selectors")
            if not module.startswith(allowed):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {imported}")
    assert wrong == []


ROLE_WORDS = ("is_superuser", "is_staff", "role")


def test_only_the_access_policy_looks_at_roles() -> None:
    """Roles, the staff flag and the superuser flag are read in ``accounts`` only (the demo command
    creates its users with a role, which is not a decision)."""
    wrong = []
    for _module, path in modules():
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "accounts" or relative == Path("web/management/commands/demo.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ROLE_WORDS:
                wrong.append(f"{relative}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Name) and node.id == "Role":
                wrong.append(f"{relative}:{node.lineno} Role")
    assert wrong == []


@pytest.mark.django_db
def test_the_registrys_segments_are_the_rules_segments() -> None:
    from jamsostek.registry.models import Segment
    from jamsostek.rules.model import SEGMENTS

    assert tuple(Segment.values) == SEGMENTS


def test_repeated_constants_live_in_one_place() -> None:
    """The province code, the rupiah ceiling and the longest PMI contract are written once."""
    literals = {'"61"': "core/constants.py", "100_000_000_000": "rules/model.py"}
    wrong = []
    for _module, path in modules():
        relative = path.relative_to(PACKAGE)
        text = path.read_text("utf-8")
        for literal, home in literals.items():
            # registry/nik.py lists the codes of every province of Indonesia, Kalimantan Barat's among them
            if (
                literal in text
                and relative not in (Path(home), Path("registry/nik.py"))
                and relative.parts[0] != "rules"
            ):
                wrong.append(f"{relative}: {literal}")
    assert wrong == []
