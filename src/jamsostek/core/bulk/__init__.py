"""Machinery for bulk reads and writes, shared by every app: reading CSV/XLSX files by columns
(``reading``), parsing cell values (``values``), the row-by-row import flow and its report
(``importer``, ``report``), COPY/executemany writes (``writer``) and Polars frames to and from the
database (``frames``). Audit records of a bulk change are written by ``core.audit.AuditBatch``.

Only an app's services and its own ``bulk/`` module use these; pages, the API and commands call the
services."""
