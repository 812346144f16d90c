"""The catalog: which datasets exist (the embedded demo first, in-memory systems, the
store's datasets) and the resolved system of each dataset-year.

Store access follows one discipline. The catalog holds one read-only
:class:`~viscarbon.io.store.StoreSnapshot` per store generation (the file's inode, mtime
and size), opened when the generation is first seen: the listing and every dataset's
metadata are read from it once, and every system of that generation is loaded through it.
The next request after an import (a new generation, one ``stat`` to notice) gets a new
snapshot; the old one is closed as soon as no reader uses it. So a request always reads
one consistent file, never the listing of one generation and the numbers of another, and
the hot path costs one ``stat`` when nothing changed.

The catalog caches nothing but the per-generation listing: resolved systems are cached,
with everything computed from them, by the analysis layer (one bounded cache,
:class:`viscarbon.analysis.Workspace`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from viscarbon.classification import region_codes
from viscarbon.datasets.harmonizing import SeriesYear, harmonize, open_store
from viscarbon.datasets.resolved import INVENTORY_KINDS, DatasetInfo, ResolvedSystem
from viscarbon.demo import demo_dataset
from viscarbon.demo.city import DEMO_CITY, demo_city_coverage, demo_city_system, demo_city_years
from viscarbon.errors import NotFound
from viscarbon.harmonize import ReconciliationReport, impute_missing_regions, report_from_json
from viscarbon.io.store import (
    ABSENT,
    SCHEMA_VERSION,
    DatasetRecord,
    Generation,
    StoreSnapshot,
    file_generation,
)
from viscarbon.model import (
    ApparentEmissions,
    Axis,
    EEIOSystem,
    InventoryTable,
    IOTable,
    SatelliteAccount,
)

__all__ = ["CITY_KINDS", "DEMO", "DEMO_CITY", "INVENTORY_KINDS", "IO_KINDS", "Catalog", "CatalogState"]

DEMO = "demo"
#: Store dataset kinds that hold IO tables (analysable).
IO_KINDS = ("ceads-mrio", "nbs-io", "pymrio")
#: Store dataset kinds that hold city-level IO tables (regions are cities, axis ``cn_city``):
#: listed apart from the provincial ones (the City tab), analysed at scale
#: (:mod:`viscarbon.analysis.city`). The demo's synthetic city table is kind ``demo-city``.
CITY_KINDS = ("ceads-city-mrio",)


@dataclass(eq=False)
class CatalogState:
    """The catalog at one store generation: its snapshot (None without a store file) and
    the datasets listed from it. Immutable once built; shared by concurrent requests."""

    generation: Generation
    snapshot: StoreSnapshot | None
    io: tuple[DatasetInfo, ...]
    inventories: tuple[DatasetInfo, ...]
    #: city-level IO datasets (the demo's ``demo-city`` first, then the store's ``ceads-city-mrio``)
    cities: tuple[DatasetInfo, ...] = ()
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def info(self, name: str) -> DatasetInfo:
        """An IO or inventory dataset by name; :class:`NotFound` names the available ones."""
        for d in (*self.io, *self.inventories, *self.cities):
            if d.name == name:
                return d
        raise NotFound(f"unknown dataset {name!r}",
                       hint="available: " + ", ".join(d.name for d in (*self.io, *self.inventories,
                                                                         *self.cities)))

    def city_info(self, name: str) -> DatasetInfo:
        """A city-level IO dataset by name; :class:`NotFound` names the available ones."""
        for d in self.cities:
            if d.name == name:
                return d
        raise NotFound(f"unknown city dataset {name!r}",
                       hint="city datasets: " + (", ".join(d.name for d in self.cities) or
                                                 "none (import one with viscarbon import ceads-city-mrio FILE)"))

    def analysable(self, name: str) -> DatasetInfo:
        """An IO dataset, provincial or city-level, by name."""
        for d in self.cities:
            if d.name == name:
                return d
        return self.io_info(name)

    def io_info(self, name: str) -> DatasetInfo:
        """An analysable (IO) dataset by name."""
        for d in self.io:
            if d.name == name:
                return d
        if any(d.name == name for d in self.inventories):
            raise NotFound(f"dataset {name!r} is an inventory without IO table",
                           hint="analyse an IO dataset linked to it: " + ", ".join(d.name for d in self.io))
        raise NotFound(f"unknown dataset {name!r}", hint="available: " + ", ".join(d.name for d in self.io))


def _zero_co2(table: IOTable) -> SatelliteAccount:
    K = len(table.fd_categories)
    return SatelliteAccount(
        name="CO2", stressors=Axis("stressor", ("CO2",)), F=np.zeros((1, table.n)),
        F_Y=np.zeros((1, table.n_regions * K)), unit="Mt", year=table.year,
        region_status=tuple("missing" for _ in range(table.n_regions)),
        notes=("no CO2 data for this table: every region is marked missing",),
    )


@cache
def _demo_series() -> tuple[SeriesYear, ...]:
    """The demo inventory's years mapped onto its nearest tables (the embedded demo is
    immutable and built once per process, so is this)."""
    demo = demo_dataset()
    tables = [demo.table(y) for y in demo.years]
    return harmonize(tables, demo.inventory_years, demo.inventory).series


def _demo_info() -> DatasetInfo:
    demo = demo_dataset()
    last = demo.table(demo.years[-1])
    return DatasetInfo(name=DEMO, kind="demo", years=tuple(demo.years), citation=demo.citation,
                       synthetic=True, regions=tuple(last.regions.codes),
                       sector_list=last.sectors.list_id or "custom", sectors=tuple(last.sectors.codes),
                       inventory_years=tuple(demo.inventory_years), notes="synthetic")


def _demo_city_info() -> DatasetInfo:
    cov = demo_city_coverage()
    demo = demo_dataset()
    last = demo.table(demo.years[-1])  # the city table has the demo's sectors and years
    return DatasetInfo(name=DEMO_CITY, kind="demo-city", years=demo_city_years(), citation=demo.citation,
                       synthetic=True, regions=tuple(c.code for c in cov.cities),
                       sector_list=last.sectors.list_id or "custom", sectors=tuple(last.sectors.codes),
                       notes="synthetic")


def _is_city_table(info: DatasetInfo) -> bool:
    """A table whose regions are cities: more than one region and none a province code."""
    return len(info.regions) > 1 and not set(info.regions) & set(region_codes())


def _memory_info(name: str, by_year: Mapping[int, EEIOSystem]) -> DatasetInfo:
    years = tuple(sorted(by_year))
    first, last = by_year[years[0]], by_year[years[-1]]
    citation = "; ".join(sorted({p.citation for p in first.table.provenance if p.citation}))
    return DatasetInfo(name=name, kind="memory", years=years, citation=citation,
                       synthetic=any(s.synthetic for s in by_year.values()),
                       regions=tuple(last.table.regions.codes),
                       sector_list=last.table.sectors.list_id or "custom",
                       sectors=tuple(last.table.sectors.codes), notes="in memory")


class Catalog:
    """Datasets for analysis: the demo (first, unless ``include_demo=False``), in-memory
    ``systems`` (``{name: {year: EEIOSystem}}``, kind ``memory``, for programmatic use and
    tests) and the datasets of the store at ``store_path`` (``None``: no store).

    ``impute_missing=True`` applies the imputation overlay to stored datasets: regions
    without inventory (Tibet) get estimated CO2 (status ``imputed``, named in every
    result) instead of staying ``missing`` (unknown). The demo is always imputed and
    flagged; in-memory systems are used as given. Thread-safe."""

    def __init__(self, store_path: str | Path | None = None, *,
                 systems: Mapping[str, Mapping[int, EEIOSystem]] | None = None,
                 include_demo: bool = True, impute_missing: bool = False):
        self.store_path = Path(store_path) if store_path is not None else None
        self.include_demo = include_demo
        self.impute_missing = bool(impute_missing)
        self._memory = {name: dict(by_year) for name, by_year in (systems or {}).items()}
        self._lock = threading.Lock()
        self._build = threading.Lock()
        self._state: CatalogState | None = None

    # ------------------------------------------------------------------ generations
    def generation(self) -> Generation:
        """The store file's generation now (:data:`~viscarbon.io.store.ABSENT` without one)."""
        return file_generation(self.store_path) if self.store_path is not None else ABSENT

    def state(self) -> CatalogState:
        """The catalog at the store's current generation (built once per generation)."""
        gen = self.generation()
        with self._lock:
            st = self._state
            if st is not None and st.generation == gen:
                return st
        with self._build:
            with self._lock:
                st = self._state
            if st is not None and st.generation == self.generation():
                return st
            new = self._read_state()
            with self._lock:
                old, self._state = self._state, new
            if old is not None:
                self._retire(old)
            return new

    def _retire(self, st: CatalogState) -> None:
        with st.lock:
            st.retired = True
            idle = st.users == 0
        if idle and st.snapshot is not None:
            st.snapshot.close()

    @contextlib.contextmanager
    def reading(self, st: CatalogState) -> Iterator[StoreSnapshot]:
        """The snapshot of ``st`` held open for the duration of the block."""
        if st.snapshot is None:
            raise NotFound("no store", hint="import data with `viscarbon import`")
        with st.lock:
            st.users += 1
        try:
            yield st.snapshot
        finally:
            with st.lock:
                st.users -= 1
                close = st.retired and st.users == 0
            if close:
                st.snapshot.close()

    def _open_snapshot(self) -> StoreSnapshot | None:
        if self.store_path is None or not self.store_path.exists():
            return None
        snap = StoreSnapshot(self.store_path)
        if snap.version not in (-1, SCHEMA_VERSION):
            snap.close()
            open_store(self.store_path)  # migrates (atomically) an older store
            snap = StoreSnapshot(self.store_path)
        return snap

    def _read_state(self) -> CatalogState:
        io: list[DatasetInfo] = []
        if self.include_demo:
            io.append(_demo_info())
        city: list[DatasetInfo] = [_demo_city_info()] if self.include_demo else []
        for name, by_year in self._memory.items():
            info = _memory_info(name, by_year)
            (city if _is_city_table(info) else io).append(info)
        snap = self._open_snapshot()
        inventories: list[DatasetInfo] = []
        if snap is None or snap.empty:
            return CatalogState(generation=snap.generation if snap else ABSENT, snapshot=snap,
                                io=tuple(io), inventories=(), cities=tuple(city))
        with snap.reader() as r:
            records = r.datasets()
            by_name = {rec.name: rec for rec in records}
            for rec in records:
                if rec.kind in IO_KINDS and rec.years:
                    io.append(self._io_info(rec, by_name, r.table_axes(rec.name, rec.years[-1])))
                elif rec.kind in CITY_KINDS and rec.years:
                    city.append(self._io_info(rec, by_name, r.table_axes(rec.name, rec.years[-1])))
                elif rec.kind in INVENTORY_KINDS and rec.years:
                    ends = sorted({min(rec.years), max(rec.years)})
                    present = {c for y in ends for c in r.inventory_axes(rec.name, y)["regions"].codes}
                    order = [c for c in region_codes() if c in present] + sorted(present - set(region_codes()))
                    inventories.append(DatasetInfo(
                        name=rec.name, kind=rec.kind, years=tuple(rec.years), citation=rec.citation,
                        synthetic=bool(rec.synthetic), regions=tuple(order),
                        sector_list="apparent4" if rec.kind == "ceads-apparent" else "inv47",
                        sectors=(), inventory_years=tuple(rec.years), notes=rec.notes or ""))
        return CatalogState(generation=snap.generation, snapshot=snap, io=tuple(io),
                            inventories=tuple(inventories), cities=tuple(city))

    @staticmethod
    def _io_info(rec: DatasetRecord, by_name: Mapping[str, DatasetRecord], axes: Mapping[str, Axis]) -> DatasetInfo:
        inv_years: tuple[int, ...] = ()
        citation = rec.citation
        linked = by_name.get(rec.linked_inventory or "")
        if linked is not None:
            inv_years = tuple(linked.years)
            if linked.citation and linked.citation not in citation:
                citation = f"{citation}; {linked.citation}" if citation else linked.citation
        return DatasetInfo(name=rec.name, kind=rec.kind, years=tuple(rec.years), citation=citation,
                           synthetic=bool(rec.synthetic), regions=tuple(axes["regions"].codes),
                           sector_list=axes["sectors"].list_id or "custom",
                           sectors=tuple(axes["sectors"].codes), linked_inventory=rec.linked_inventory,
                           inventory_years=inv_years, notes=rec.notes or "")

    # ------------------------------------------------------------------ listing
    def datasets(self) -> tuple[DatasetInfo, ...]:
        """The analysable (IO) datasets: the demo first, in-memory ones, then the store's in
        import order."""
        return self.state().io

    def inventory_datasets(self) -> tuple[DatasetInfo, ...]:
        """The store's inventory-only datasets, in import order."""
        return self.state().inventories

    def dataset(self, name: str) -> DatasetInfo:
        """An analysable dataset; :class:`NotFound` names the available ones."""
        return self.state().io_info(name)

    def city_datasets(self) -> tuple[DatasetInfo, ...]:
        """The city-level IO datasets: the demo's synthetic ``demo-city`` first, then the
        store's ``ceads-city-mrio`` datasets in import order."""
        return self.state().cities

    # ------------------------------------------------------------------ resolving
    def resolve(self, name: str, year: int, *, state: CatalogState | None = None) -> ResolvedSystem:
        """The system of dataset ``name``, year ``year``: the table with its stored CO2 (the
        harmonized inventory, the MRIO's CO2 row or an imported extension; see
        :mod:`viscarbon.datasets.harmonizing`), the imputation overlay applied when the
        catalog imputes, and its reconciliation. Read from ``state`` (default: now)."""
        st = state or self.state()
        info = st.analysable(name)
        year = int(year)
        if year not in info.years:
            raise NotFound(f"dataset {name!r} has no year {year}",
                           hint="available: " + ", ".join(str(y) for y in info.years))
        if info.kind == "demo-city":
            system = demo_city_system(year)
            return ResolvedSystem(dataset=info, year=year, system=system, co2_source="demo", reconciliation=None,
                                  inventory_year=None, concordance="", imputed=(), generation=ABSENT,
                                  notes=tuple(system.notes))
        if info.kind == "demo":
            demo = demo_dataset()
            system = demo.system(year)
            demo_report = demo.reconciliation(year)
            sat = system.satellite("CO2")
            return ResolvedSystem(dataset=info, year=year, system=system, co2_source="demo",
                                  reconciliation=demo_report, inventory_year=demo_report.inventory_year,
                                  concordance=demo_report.concordance,
                                  imputed=sat.imputed_regions(system.table.regions),
                                  generation=ABSENT, notes=tuple(system.notes))
        if info.kind == "memory":
            system = self._memory[name][year]
            if not any(s.name == "CO2" for s in system.satellites):
                system = EEIOSystem(table=system.table, satellites=(*system.satellites, _zero_co2(system.table)),
                                    dataset=system.dataset, notes=system.notes)
            sat = system.satellite("CO2")
            return ResolvedSystem(dataset=info, year=year, system=system, co2_source="memory",
                                  reconciliation=None, inventory_year=None, concordance="",
                                  imputed=sat.imputed_regions(system.table.regions),
                                  generation=ABSENT, notes=tuple(system.notes))
        with self.reading(st) as snap, snap.reader() as r:
            table = r.load_table(name, year)
            stored = r.load_satellites(name, year)
            recon = r.reconciliation(name, year)
        notes: list[str] = []
        co2 = next((s for s in stored if s.account.name == "CO2"), None)
        others = tuple(s.account for s in stored if s.account.name != "CO2")
        report: ReconciliationReport | None = (report_from_json(recon.report)
                                               if recon is not None and recon.report else None)
        if co2 is None:
            sat, source, inv_year, conc = _zero_co2(table), "none", None, ""
            notes.append("no CO2 inventory linked: carbon indicators are unknown")
        else:
            sat, source, inv_year, conc = co2.account, co2.source, co2.inventory_year, co2.concordance
            if source == "inventory" and inv_year is not None and inv_year != year:
                notes.append(f"inventory {inv_year} mapped onto table {year}")
        imputed: tuple[str, ...] = ()
        if self.impute_missing and source != "none" and "missing" in sat.region_status:
            sat, report = impute_missing_regions(sat, report, table)
            imputed = sat.imputed_regions(table.regions)
        system = EEIOSystem(table=table, satellites=(sat, *others), dataset=name, notes=tuple(notes))
        return ResolvedSystem(dataset=info, year=year, system=system, co2_source=source,
                              reconciliation=report, inventory_year=inv_year, concordance=conc,
                              imputed=imputed, generation=st.generation, notes=tuple(notes))

    # ------------------------------------------------------------------ inventories
    def series(self, name: str, *, state: CatalogState | None = None) -> tuple[SeriesYear, ...]:
        """The inventory years of dataset ``name`` mapped onto its nearest table years (CO2
        by region-sector and households, Mt); empty without a linked inventory. Never
        imputed (a region without inventory has no history)."""
        st = state or self.state()
        info = st.analysable(name)
        if info.kind == "demo":
            return _demo_series()
        if info.kind in ("memory", "demo-city") or not info.linked_inventory:
            return ()
        with self.reading(st) as snap, snap.reader() as r:
            return tuple(SeriesYear(inventory_year=s.inventory_year, table_year=s.table_year,
                                    concordance=s.concordance, region_status=s.region_status,
                                    notes=s.notes, F=s.F, F_Y=s.F_Y) for s in r.co2_series(name))

    def inventory_tables(self, name: str, *, state: CatalogState | None = None) -> tuple[InventoryTable, ...]:
        """Every year of inventory dataset ``name`` (an inventory-only dataset, or the
        inventory linked to IO dataset ``name``; the demo's own), ascending."""
        st = state or self.state()
        info = st.info(name)
        if info.kind == "demo":
            demo = demo_dataset()
            return tuple(demo.inventory(y) for y in demo.inventory_years)
        if info.is_apparent:
            raise NotFound(f"dataset {name!r} holds apparent emissions, not a sectoral inventory",
                           hint="read it with apparent_tables")
        target = name if info.is_inventory else info.linked_inventory
        if target is None:
            raise NotFound(f"dataset {name!r} has no inventory",
                           hint="link one: viscarbon datasets link " + name + " INVENTORY")
        years = st.info(target).years
        with self.reading(st) as snap, snap.reader() as r:
            return tuple(r.load_inventory(target, y) for y in sorted(years))

    def apparent_tables(self, name: str, *, state: CatalogState | None = None) -> tuple[ApparentEmissions, ...]:
        """Every year of apparent-emissions dataset ``name``, ascending."""
        st = state or self.state()
        info = st.info(name)
        if not info.is_apparent:
            raise NotFound(f"dataset {name!r} holds no apparent emissions",
                           hint="apparent-emission datasets: " + (", ".join(
                               d.name for d in st.inventories if d.is_apparent) or "none"))
        with self.reading(st) as snap, snap.reader() as r:
            return tuple(r.load_apparent(name, y) for y in sorted(info.years))
