"""Linking IO datasets to inventories: which inventory, whether it covers the tables, the
harmonization (:func:`viscarbon.datasets.harmonize`) and the link command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from viscarbon.classification import Concordance
from viscarbon.datasets import (
    LINKABLE_KINDS,
    Harmonized,
    concordance_from_json,
    harmonize,
    open_store,
    store_co2,
)
from viscarbon.errors import DataError, NotFound, StoreError
from viscarbon.harmonize import ReconciliationReport
from viscarbon.io.readers.concordance import read_concordance
from viscarbon.io.store import DatasetRecord, Store, StoreReader
from viscarbon.model import IOTable

__all__ = [
    "ConcordanceChoice",
    "LinkResult",
    "choose_inventory",
    "harmonize_with",
    "import_notes",
    "inventory_regions",
    "link_dataset",
    "user_concordance",
]

DEMO_NAME = "demo"

#: A concordance option: a CSV file (a user concordance), ``"default"`` (the packaged
#: one) or None (keep the dataset's current one; the packaged one for a new dataset).
ConcordanceChoice = str | Path | Literal["default"] | None


@dataclass(frozen=True)
class LinkResult:
    """What :func:`link_dataset` did: ``name`` is now harmonized with ``inventory``
    (``previous`` was linked before, or None) using ``concordance``; ``changed`` is False
    when it already was, with the same concordance; ``inventory_years`` maps each table
    year to the inventory year used (the nearest when not equal); ``reconciliation`` the
    per-year reports (Mt CO2)."""

    name: str
    inventory: str
    previous: str | None
    changed: bool
    concordance: str = ""
    inventory_years: dict[int, int] = field(default_factory=dict)
    reconciliation: dict[int, ReconciliationReport] = field(default_factory=dict)


def inventory_regions(read: StoreReader, name: str) -> tuple[str, ...]:
    """The region codes of inventory dataset ``name`` (from its first year; every year of
    an inventory dataset comes from the same release)."""
    rec = read.dataset(name)
    if rec.kind not in ("ceads-inventory", "ceads-city-inventory"):
        raise DataError(f"dataset {name!r} is a {rec.kind} dataset, not an inventory",
                        where=f"store {read.path}",
                        hint="link an inventory dataset (kind ceads-inventory); see `viscarbon datasets`")
    return tuple(read.inventory_axes(name, rec.years[0])["regions"].codes)


def _regions_text(regions: Sequence[str]) -> str:
    regions = list(regions)
    return ", ".join(regions) if len(regions) <= 6 else ", ".join(regions[:5]) + f" … ({len(regions)} regions)"


def check_covers(read: StoreReader, inventory: str, regions: Sequence[str], *, what: str) -> None:
    """Refuse an inventory with no region in common with the tables."""
    inv_regions = inventory_regions(read, inventory)
    if not set(inv_regions) & set(regions):
        national = inv_regions == ("CN",)
        raise DataError(
            f"inventory dataset {inventory!r} covers region(s) {_regions_text(inv_regions)}, "
            f"{what} covers {_regions_text(regions)}: no region in common",
            where=f"store {read.path}",
            hint=("a national inventory (CN) goes with NBS national tables; link a provincial "
                  "inventory to MRIO tables" if national else
                  "link NBS national tables (CN) to the national inventory: import it with "
                  "`viscarbon import ceads-inventory China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx`"))


def choose_inventory(read: StoreReader, inventory: str | None, regions: Sequence[str], *,
                     what: str = "the table", kind: str = "ceads-inventory",
                     ) -> tuple[DatasetRecord | None, str, tuple[str, ...]]:
    """The inventory dataset (of ``kind``: ``ceads-city-inventory`` for city tables) for
    tables of ``regions``: ``inventory`` (checked to cover them), else the only inventory
    dataset that covers any of them. Returns (record or None, how: ``option`` | ``auto`` |
    ``absent`` | ``ambiguous``, the candidates)."""
    invs = [r for r in read.datasets() if r.kind == kind]
    if inventory is not None:
        for r in invs:
            if r.name == inventory:
                check_covers(read, r.name, regions, what=what)
                return r, "option", ()
        raise NotFound(f"no inventory dataset named {inventory!r}", where=f"store {read.path}",
                       hint="inventory datasets: " + (", ".join(r.name for r in invs) or "none")
                       + "; import one with `viscarbon import ceads-inventory`")
    wanted = set(regions)
    covering = [r for r in invs if wanted & set(inventory_regions(read, r.name))]
    if len(covering) == 1:
        return covering[0], "auto", ()
    if not covering:
        return None, "absent", ()
    return None, "ambiguous", tuple(r.name for r in covering)


def user_concordance(choice: ConcordanceChoice, tables: Sequence[IOTable], *,
                     stored: Concordance | None = None) -> Concordance | None:
    """The concordance to harmonize ``tables`` with: a user file, the packaged one
    (None), or — ``choice`` None — the one stored with the dataset (``stored``)."""
    if choice is None:
        return stored
    if str(choice) == "default":
        return None
    lists = sorted({t.sectors.list_id for t in tables})
    if len(lists) != 1 or not lists[0]:
        raise DataError("a user concordance needs tables of one known sector list; these use "
                        + (", ".join(lists) or "a custom list"),
                        hint="import the tables of each sector list as their own dataset")
    return read_concordance(choice, list_id=lists[0])


def harmonize_with(read: StoreReader, inventory: DatasetRecord, tables: Sequence[IOTable],
                   concordance: Concordance | None) -> Harmonized:
    """Harmonize ``tables`` with every year of ``inventory`` (read through ``read``)."""
    return harmonize(tables, inventory.years, partial(read.load_inventory, inventory.name),
                     concordance=concordance)


def import_notes(kind: str, link: str, inv_years: dict[int, int], *, national: bool = False,
                 concordance: str = "") -> str:
    """The notes a dataset carries about its import and link (English, one line)."""
    parts = []
    if national:
        parts.append("vintage: national (CEADs national inventory workbook, region CN)")
    if kind in LINKABLE_KINDS:
        parts.append(f"inventory link: {link}")
        diff = {ty: iy for ty, iy in inv_years.items() if ty != iy}
        if diff:
            parts.append("nearest inventory years: " + ", ".join(f"{ty}<-{iy}" for ty, iy in sorted(diff.items())))
        if concordance.startswith("user:"):
            parts.append(f"concordance: {concordance}")
    return "; ".join(parts)


def link_dataset(store_path: str | Path | None, name: str, inventory: str, *,
                 concordance: ConcordanceChoice = None, lock_timeout: float = 5.0) -> LinkResult:
    """Link the stored IO dataset ``name`` (CEADs MRIO or NBS) to inventory dataset
    ``inventory``, harmonize every year (and the inventory series) and store the CO2 and
    the reconciliation, in one atomic write.

    ``concordance``: a CSV file of a user concordance (:mod:`viscarbon.io.readers.concordance`),
    ``"default"`` for the packaged one, None to keep the one the dataset uses. Checks
    before anything is written: both exist, ``name`` is an MRIO/NBS dataset, ``inventory``
    covers at least one of the table's regions (a provincial inventory for MRIO tables,
    the national one, region CN, for NBS tables), the concordance fits and every year
    harmonizes. Any failure leaves the store unchanged.
    """
    if name == DEMO_NAME:
        raise StoreError("the demo dataset is embedded in viscarbon and carries its own inventory")
    store = open_store(store_path)
    try:
        return _link(store, name, inventory, concordance=concordance, lock_timeout=lock_timeout)
    except _Unchanged as same:
        return same.result  # the transaction was abandoned: the store file is untouched


def _link(store: Store, name: str, inventory: str, *, concordance: ConcordanceChoice,
          lock_timeout: float) -> LinkResult:
    with store.transaction(timeout=lock_timeout) as tx:
        read = tx.read
        rec = read.dataset(name)
        if rec.kind not in LINKABLE_KINDS:
            raise DataError(f"dataset {name!r} is a {rec.kind} dataset; only MRIO and NBS IO datasets "
                            "are linked to an inventory", where=f"store {store.path}",
                            hint="give an IO dataset (kind " + " or ".join(LINKABLE_KINDS) + ") first, "
                                 "then the inventory dataset")
        inv_rec = read.dataset(inventory)
        tables = [read.load_table(name, y) for y in rec.years]
        regions = tuple(dict.fromkeys(c for tab in tables for c in tab.regions.codes))
        check_covers(read, inv_rec.name, regions, what=f"dataset {name!r}")
        stored = read.concordance(name)
        current = concordance_from_json(stored.label, stored.list_id, stored.rows) if stored else None
        conc = user_concordance(concordance, tables, stored=current)
        harmonized = harmonize_with(read, inv_rec, tables, conc)
        unchanged = (rec.linked_inventory == inv_rec.name
                     and (conc.label if conc else "") == (current.label if current else ""))
        result = LinkResult(name=name, inventory=inv_rec.name, previous=rec.linked_inventory,
                            changed=not unchanged, concordance=harmonized.concordance,
                            inventory_years=harmonized.inventory_years,
                            reconciliation=harmonized.reports)
        if unchanged:
            raise _Unchanged(result)
        notes = import_notes(rec.kind, "datasets link", harmonized.inventory_years,
                             concordance=harmonized.concordance)
        keep = [part for part in rec.notes.split("; ")
                if part and not part.startswith(("inventory link:", "nearest inventory years:", "concordance:"))]
        ds = tx.set_linked_inventory(name, inv_rec.name, notes="; ".join([*keep, notes] if notes else keep))
        store_co2(tx, ds, tables, harmonized)
    return result


class _Unchanged(Exception):
    """Raised inside the transaction to leave the store untouched (nothing to write)."""

    def __init__(self, result: LinkResult):
        super().__init__("unchanged")
        self.result = result
