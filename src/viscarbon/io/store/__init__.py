"""The store: one DuckDB file holding every imported dataset as real, queryable tables
(:mod:`.store`), and where it lives (:mod:`.paths`)."""

from __future__ import annotations

from viscarbon.io.store.paths import resolve_store_path
from viscarbon.io.store.store import (
    DATASET_KINDS,
    SCHEMA_VERSION,
    DatasetRecord,
    Store,
    StoreTransaction,
)

__all__ = [
    "DATASET_KINDS",
    "SCHEMA_VERSION",
    "DatasetRecord",
    "Store",
    "StoreTransaction",
    "resolve_store_path",
]
