"""The registry's bulk paths: the row-by-row importers of persons, employers and memberships (the
reference: every rule, every reason worded) and the whole-file fast path (``whole_file``). Only
``registry.services.import_file`` runs them."""

from __future__ import annotations

from jamsostek.core.bulk.importer import Importer
from jamsostek.core.bulk.reading import Column
from jamsostek.registry.bulk.employers import EmployerImporter
from jamsostek.registry.bulk.memberships import MembershipImporter
from jamsostek.registry.bulk.persons import PersonImporter

IMPORTERS: dict[str, type[Importer]] = {
    "persons": PersonImporter,
    "employers": EmployerImporter,
    "memberships": MembershipImporter,
}


def columns_of(kind: str) -> tuple[Column, ...]:
    """The columns of an import file of ``kind`` (for templates and the import page's help)."""
    return IMPORTERS[kind].columns


__all__ = ["IMPORTERS", "columns_of"]
