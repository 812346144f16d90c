"""Everything that touches files, in three rooms:

* :mod:`viscarbon.io.readers` — one reader per source and vintage, each with its layouts
  declared as data beside it (CEADs MRIO, CEADs inventories, NBS tables, pymrio folders);
* :mod:`viscarbon.io.writers` — tidy tables (CSV, XLSX, JSON, Parquet), CEADs-layout MRIO
  workbooks and pymrio folders;
* :mod:`viscarbon.io.store` — the DuckDB store (atomic writes, schema migrations).

Shared workbook helpers (cells, numbers, SHA-256) live in :mod:`viscarbon.io.files`.
``io`` never imports the layers above it (harmonize, analysis, roadmap, web, cli) nor
``calc``.
"""

from __future__ import annotations

__all__: list[str] = []
