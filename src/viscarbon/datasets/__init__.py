"""datasets: what can be analysed, and each dataset-year resolved into the one system that
every consumer uses (the dashboard, the CLI analyses, the exports, the roadmap).

* :class:`Catalog` lists the datasets (the embedded demo first, in-memory systems, the
  store's) once per store generation and resolves a dataset-year into a
  :class:`ResolvedSystem` (table + stored CO2 + the imputation overlay when asked).
* :mod:`.harmonizing` builds and stores the CO2 of an IO dataset when it is imported,
  linked or migrated (harmonize once); :func:`open_store` opens a store with that upgrade.
"""

from __future__ import annotations

from viscarbon.datasets.catalog import (
    CITY_KINDS,
    DEMO,
    DEMO_CITY,
    INVENTORY_KINDS,
    IO_KINDS,
    Catalog,
    CatalogState,
)
from viscarbon.datasets.harmonizing import (
    LINKABLE_KINDS,
    Harmonized,
    SeriesYear,
    co2_row_satellite,
    concordance_from_json,
    harmonize,
    open_store,
    store_co2,
    upgrade_store,
)
from viscarbon.datasets.resolved import CO2_SOURCES, DatasetInfo, ResolvedSystem
from viscarbon.io.store import resolve_store_path

__all__ = [
    "CITY_KINDS",
    "CO2_SOURCES",
    "DEMO",
    "DEMO_CITY",
    "INVENTORY_KINDS",
    "IO_KINDS",
    "LINKABLE_KINDS",
    "Catalog",
    "CatalogState",
    "DatasetInfo",
    "Harmonized",
    "ResolvedSystem",
    "SeriesYear",
    "co2_row_satellite",
    "concordance_from_json",
    "harmonize",
    "open_store",
    "resolve_store_path",
    "store_co2",
    "upgrade_store",
]
