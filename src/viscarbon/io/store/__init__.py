"""The store: one DuckDB file holding every imported dataset as real, queryable tables.

:class:`Store` (open, migrate, read, write atomically), :class:`StoreSnapshot` (one
generation of the file, pinned, for readers that must know what they read),
:class:`StoreTransaction` (the writes), the records it holds, and where it lives
(:func:`resolve_store_path`). Layout: :mod:`viscarbon.io.store.schema`.
"""

from __future__ import annotations

from viscarbon.io.store.paths import resolve_store_path
from viscarbon.io.store.reading import StoreReader
from viscarbon.io.store.records import (
    SATELLITE_SOURCES,
    DatasetRecord,
    StoredConcordance,
    StoredReconciliation,
    StoredSatellite,
    StoredScenario,
    StoredSeries,
)
from viscarbon.io.store.schema import DATASET_KINDS, SCHEMA_VERSION
from viscarbon.io.store.snapshot import ABSENT, Generation, StoreSnapshot, file_generation
from viscarbon.io.store.store import LOCK_TIMEOUT_S, Store, Upgrade
from viscarbon.io.store.transaction import StoreTransaction

__all__ = [
    "ABSENT",
    "DATASET_KINDS",
    "LOCK_TIMEOUT_S",
    "SATELLITE_SOURCES",
    "SCHEMA_VERSION",
    "DatasetRecord",
    "Generation",
    "Store",
    "StoreReader",
    "StoreSnapshot",
    "StoreTransaction",
    "StoredConcordance",
    "StoredReconciliation",
    "StoredSatellite",
    "StoredScenario",
    "StoredSeries",
    "Upgrade",
    "file_generation",
    "resolve_store_path",
]
