"""Where analysable datasets come from: the embedded demo and the store's IO datasets.

:class:`Repository` lists datasets (demo first), their years, and builds each
year's :class:`~viscarbon.model.EEIOSystem` (table + CO2 satellite). For a stored CEADs
MRIO dataset (provincial inventory) or NBS national dataset (the CEADs national inventory,
region CN) the CO2 satellite is the linked inventory harmonized with
:func:`viscarbon.harmonize.build_co2_satellite` (the inventory year nearest the table
year; households to ``TC`` for tables without FU101/FU102). Systems are cached per ``(dataset, year, store generation)``, so a new import
shows up without a restart and a replaced store file invalidates the cache.

``Repository(store_path, impute_missing=True)`` estimates the CO2 of regions of a stored
dataset that have no inventory (Tibet) instead of leaving it unknown: status ``imputed``
(national average intensities × the region's output, see
:func:`~viscarbon.harmonize.build_co2_satellite`), flagged in every result's notes. The
option belongs to the repository instance (so do its caches and those of an Engine on
it); the demo is always imputed and flagged, in-memory systems are used as given.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from viscarbon.errors import NotFound
from viscarbon.model import Axis, EEIOSystem, InventoryTable, IOTable, SatelliteAccount

__all__ = ["DEMO", "IO_KINDS", "DatasetInfo", "Repository", "SystemEntry"]

DEMO: Final = "demo"
#: Store dataset kinds that hold IO tables (analysable); inventories are linked to them.
IO_KINDS: Final = ("ceads-mrio", "nbs-io", "pymrio")
_CACHE_SIZE: Final = 8


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """An analysable dataset: ``name``, ``kind`` (``demo``, ``ceads-mrio``, ``nbs-io``,
    ``pymrio``), MRIO ``years``, the ``inventory_years`` available for inventory trends,
    ``citation``, ``synthetic``, the ``linked_inventory`` dataset (store) and ``notes``."""

    name: str
    kind: str
    years: tuple[int, ...]
    citation: str
    synthetic: bool
    linked_inventory: str | None = None
    inventory_years: tuple[int, ...] = ()
    notes: str = ""


@dataclass(frozen=True, eq=False)
class SystemEntry:
    """A cached system with what came with it: the harmonization report (or ``None``),
    the inventory year used and notes."""

    system: EEIOSystem
    reconciliation: Any
    inventory_year: int | None
    notes: tuple[str, ...] = ()


def _zero_co2(table: IOTable, *, status: str = "missing") -> SatelliteAccount:
    K = len(table.fd_categories)
    return SatelliteAccount(
        name="CO2", stressors=Axis("stressor", ("CO2",)), F=np.zeros((1, table.n)),
        F_Y=np.zeros((1, table.n_regions * K)), unit="Mt", year=table.year,
        region_status=tuple(status for _ in range(table.n_regions)),
        notes=("no CO2 data for this table: every region is marked missing",),
    )


def _co2_row_satellite(table: IOTable) -> SatelliteAccount:
    row = np.nan_to_num(np.asarray(table.extras["co2_row"], dtype=np.float64).reshape(-1))
    K = len(table.fd_categories)
    return SatelliteAccount(
        name="CO2", stressors=Axis("stressor", ("CO2",)), F=row[None, :],
        F_Y=np.zeros((1, table.n_regions * K)), unit="Mt", year=table.year,
        region_status=tuple("reported" for _ in range(table.n_regions)), provenance=table.provenance,
        notes=("CO2 from the MRIO's own CO2 row (no household direct emissions)",),
    )


class Repository:
    """Datasets for analysis: the demo (first), the IO datasets of the store at
    ``store_path`` (``None`` or a missing file: none) and, for programmatic use and
    tests, in-memory ``systems`` (``{name: {year: EEIOSystem}}``, kind ``memory``).
    ``include_demo=False`` leaves the demo out. ``impute_missing=True`` imputes the CO2 of
    a stored dataset's regions without inventory (status ``imputed``) instead of leaving
    them ``missing`` (unknown). Thread-safe."""

    def __init__(self, store_path: Path | None = None, *,
                 systems: Mapping[str, Mapping[int, EEIOSystem]] | None = None,
                 include_demo: bool = True, impute_missing: bool = False):
        self.store_path = Path(store_path) if store_path is not None else None
        self.include_demo = include_demo
        self._impute_missing = bool(impute_missing)
        self._memory = {name: dict(by_year) for name, by_year in (systems or {}).items()}
        self._lock = threading.RLock()
        self._key_locks: dict[tuple[object, ...], threading.Lock] = {}
        self._systems: OrderedDict[tuple[object, ...], SystemEntry] = OrderedDict()
        self.systems_built = 0

    @property
    def impute_missing(self) -> bool:
        """Whether regions without inventory are imputed (fixed per instance: the caches
        of this repository and of an Engine on it hold one choice)."""
        return self._impute_missing

    # ------------------------------------------------------------------ store
    def _store(self) -> Any | None:
        if self.store_path is None:
            return None
        from viscarbon.io.store import Store

        return Store(self.store_path)

    def generation(self) -> tuple[int, ...]:
        """The store file's generation (``(0, 0, 0)`` without a store); part of cache keys."""
        store = self._store()
        return tuple(store.generation()) if store is not None else (0, 0, 0)

    def cache_token(self, dataset: str) -> tuple[int, ...]:
        """What a cached result of ``dataset`` depends on besides (dataset, year): the
        store generation for stored datasets, ``()`` for the demo and in-memory ones."""
        if dataset == DEMO or dataset in self._memory:
            return ()
        return self.generation()

    def _records(self) -> list[Any]:
        store = self._store()
        if store is None or not store.exists():
            return []
        return list(store.datasets())

    # ------------------------------------------------------------------ datasets
    def datasets(self) -> list[DatasetInfo]:
        """The demo first, then the store's IO datasets in import order."""
        out: list[DatasetInfo] = []
        if self.include_demo:
            from viscarbon.demo import demo_dataset

            demo = demo_dataset()
            out.append(DatasetInfo(name=DEMO, kind="demo", years=tuple(demo.years), citation=demo.citation,
                                   synthetic=True, linked_inventory=None,
                                   inventory_years=tuple(getattr(demo, "inventory_years", demo.years)),
                                   notes="synthetic"))
        for name, by_year in self._memory.items():
            first = by_year[min(by_year)]
            citation = "; ".join(sorted({p.citation for p in first.table.provenance if p.citation}))
            out.append(DatasetInfo(name=name, kind="memory", years=tuple(sorted(by_year)), citation=citation,
                                   synthetic=any(s.synthetic for s in by_year.values()), notes="in memory"))
        records = self._records()
        by_name = {r.name: r for r in records}
        for r in records:
            if r.kind not in IO_KINDS:
                continue
            inv_years: tuple[int, ...] = ()
            citation = r.citation
            if r.linked_inventory and r.linked_inventory in by_name:
                linked = by_name[r.linked_inventory]
                inv_years = tuple(linked.years)
                if linked.citation and linked.citation not in citation:
                    citation = f"{citation}; {linked.citation}" if citation else linked.citation
            out.append(DatasetInfo(name=r.name, kind=r.kind, years=tuple(r.years), citation=citation,
                                   synthetic=bool(r.synthetic), linked_inventory=r.linked_inventory,
                                   inventory_years=inv_years, notes=r.notes or ""))
        return out

    def dataset(self, name: str) -> DatasetInfo:
        """One dataset; :class:`NotFound` names the available ones."""
        found = self.datasets()
        for d in found:
            if d.name == name:
                return d
        raise NotFound(f"unknown dataset {name!r}", hint="available: " + ", ".join(d.name for d in found))

    def years(self, dataset: str) -> tuple[int, ...]:
        return self.dataset(dataset).years

    def _check_year(self, info: DatasetInfo, year: int) -> None:
        if int(year) not in info.years:
            raise NotFound(f"dataset {info.name!r} has no year {year}",
                           hint="available: " + ", ".join(str(y) for y in info.years))

    # ------------------------------------------------------------------ systems
    def entry(self, dataset: str, year: int) -> SystemEntry:
        """The cached :class:`SystemEntry` of ``dataset``/``year`` (built once per store generation)."""
        info = self.dataset(dataset)
        self._check_year(info, year)
        key: tuple[object, ...] = (dataset, int(year), self.cache_token(dataset))
        with self._lock:
            hit = self._systems.get(key)
            if hit is not None:
                self._systems.move_to_end(key)
                return hit
            klock = self._key_locks.setdefault(key, threading.Lock())
        with klock:
            with self._lock:
                hit = self._systems.get(key)
            if hit is not None:
                return hit
            built = self._build(info, int(year))
            with self._lock:
                self._systems[key] = built
                self.systems_built += 1
                while len(self._systems) > _CACHE_SIZE:
                    self._systems.popitem(last=False)
                self._key_locks.pop(key, None)
            return built

    def system(self, dataset: str, year: int) -> EEIOSystem:
        """The EEIO system (table + CO2 satellite) of ``dataset``/``year``."""
        return self.entry(dataset, year).system

    def reconciliation(self, dataset: str, year: int) -> Any:
        """The harmonization report of ``dataset``/``year`` (``None`` when not harmonized)."""
        return self.entry(dataset, year).reconciliation

    def _build(self, info: DatasetInfo, year: int) -> SystemEntry:
        if info.kind == "demo":
            from viscarbon.demo import demo_dataset

            demo = demo_dataset()
            system = demo.system(year)
            demo_report = demo.reconciliation(year)
            return SystemEntry(system=system, reconciliation=demo_report,
                               inventory_year=getattr(demo_report, "inventory_year", year),
                               notes=tuple(system.notes))
        if info.kind == "memory":
            system = self._memory[info.name][year]
            return SystemEntry(system=system, reconciliation=None, inventory_year=None, notes=tuple(system.notes))
        store = self._store()
        assert store is not None
        base = store.load_system(info.name, year)
        table = base.table
        sats = {s.name: s for s in base.satellites}
        notes: list[str] = list(base.notes)
        report: Any = None
        inv_year: int | None = None
        if info.linked_inventory:
            from viscarbon.harmonize import build_co2_satellite, nearest_table_year

            inv_years = store.years(info.linked_inventory)
            if inv_years:
                inv_year = nearest_table_year(year, inv_years)
                inventory = store.load_inventory(info.linked_inventory, inv_year)
                sat, report = build_co2_satellite(inventory, table, impute_missing=self.impute_missing)
                sats["CO2"] = sat
                if inv_year != year:
                    notes.append(f"inventory {inv_year} mapped onto table {year}")
        if "CO2" not in sats:
            if "co2_row" in table.extras:
                sats["CO2"] = _co2_row_satellite(table)
            else:
                sats["CO2"] = _zero_co2(table)
                notes.append("no CO2 inventory linked: carbon indicators are unknown")
        system = EEIOSystem(table=table, satellites=tuple(sats.values()), dataset=info.name,
                            notes=tuple(notes))
        return SystemEntry(system=system, reconciliation=report, inventory_year=inv_year, notes=tuple(notes))

    # ------------------------------------------------------------------ inventories
    def inventory(self, dataset: str, year: int) -> InventoryTable:
        """The CO2 inventory of ``year`` linked to ``dataset`` (demo: its own inventory)."""
        info = self.dataset(dataset)
        if int(year) not in info.inventory_years:
            raise NotFound(f"dataset {dataset!r} has no inventory for {year}",
                           hint="inventory years: " + (", ".join(map(str, info.inventory_years)) or "none"))
        if info.kind == "demo":
            from viscarbon.demo import demo_dataset

            inv: InventoryTable = demo_dataset().inventory(int(year))
            return inv
        store = self._store()
        assert store is not None and info.linked_inventory
        loaded: InventoryTable = store.load_inventory(info.linked_inventory, int(year))
        return loaded
