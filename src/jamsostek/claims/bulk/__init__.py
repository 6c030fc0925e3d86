"""The claims' bulk paths: the historical claims import, row by row (``history``, the reference)
and whole-file (``whole_file``), writing through ``writes``. Only ``claims.services`` runs them."""

from jamsostek.claims.bulk.history import COLUMNS, HistoryImporter

__all__ = ["COLUMNS", "HistoryImporter"]
