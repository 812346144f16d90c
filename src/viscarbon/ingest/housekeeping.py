"""Dataset housekeeping: list, remove, rename (each write atomic)."""

from __future__ import annotations

from pathlib import Path

from viscarbon.datasets import open_store, store_co2
from viscarbon.demo import demo_dataset
from viscarbon.errors import StoreError
from viscarbon.i18n import t
from viscarbon.ingest.importing import DEMO_NAME, check_name

__all__ = ["dataset_listing", "remove_dataset", "rename_dataset"]


def remove_dataset(store_path: str | Path | None, name: str) -> tuple[str, ...]:
    """Remove dataset ``name``. IO datasets that used it as their inventory are unlinked
    and fall back to their MRIO's own CO2 row where they have one (else no CO2); their
    names are returned."""
    if name == DEMO_NAME:
        raise StoreError("the demo dataset is embedded in viscarbon and cannot be removed")
    store = open_store(store_path)
    store.dataset(name)  # NotFound with the list of names, before taking the lock
    with store.transaction() as tx:
        dependents = tx.remove_dataset(name)
        for dep in dependents:
            rec = tx.read.dataset(dep)
            ds = tx.read.dataset_id(dep)
            store_co2(tx, ds, [tx.read.load_table(dep, y) for y in rec.years], None)
    return dependents


def rename_dataset(store_path: str | Path | None, old: str, new: str) -> None:
    """Rename dataset ``old`` to ``new`` (links from IO datasets follow)."""
    if old == DEMO_NAME:
        raise StoreError("the demo dataset is embedded in viscarbon and cannot be renamed")
    check_name(new)
    store = open_store(store_path)
    store.dataset(old)
    with store.transaction() as tx:
        tx.rename_dataset(old, new)


def dataset_listing(store_path: str | Path | None) -> list[dict[str, object]]:
    """The embedded demo first (marked synthetic), then every stored dataset (as dicts)."""
    demo = {
        "name": DEMO_NAME, "kind": "demo", "years": list(demo_dataset().years),
        "citation": t("common.citation.demo", "en"), "synthetic": True, "linked_inventory": None,
        "files": [], "created": "", "notes": t("common.synthetic_demo", "en"), "importer_version": "",
    }
    return [demo, *(r.as_dict() for r in open_store(store_path).datasets())]
