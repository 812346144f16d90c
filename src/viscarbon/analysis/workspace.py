"""The analysis façade: :class:`Workspace`.

A workspace is a :class:`~viscarbon.datasets.Catalog` (the demo, in-memory systems, a
store) plus **one** bounded cache. It hands out one :class:`~viscarbon.analysis.year.
YearAnalysis` per (dataset, year, store generation) — every analysis of that year, each
computed once — and the analyses that span years: trends over the table years, the
inventory trend over the inventory years, the structural decomposition (``sda``) between
two years. The cache holds year analyses, inventory series and inventory tables, keyed by
the store generation for stored datasets, so an import shows up on the next request and
old numbers are never served under a new generation::

    from viscarbon import Workspace
    ws = Workspace()                                  # the demo; Workspace(path) for a store
    acc = ws.year("demo", 2017).accounts()            # Mt CO2 by region
    net = ws.year("demo", 2017).network("GD", mode="carbon")
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis.cache import BoundedCache
from viscarbon.analysis.city import CityYear, city_year
from viscarbon.analysis.headline import Headline, headline
from viscarbon.analysis.indicators import indicator
from viscarbon.analysis.results import InventoryTrend, Note, ResultMeta, Trend
from viscarbon.analysis.scope import imports_mixed
from viscarbon.analysis.sda import SdaMethod, SDAResult, check_sda, sda_on
from viscarbon.analysis.sectors import align_sectors
from viscarbon.analysis.year import YearAnalysis
from viscarbon.datasets import DEMO, Catalog, CatalogState, DatasetInfo, SeriesYear
from viscarbon.errors import NotFound
from viscarbon.model import ApparentEmissions, EEIOSystem, InventoryTable

__all__ = ["CACHE_SIZE", "Workspace"]

Arr = NDArray[np.float64]
#: Entries of the workspace cache (year analyses, inventory series and tables).
CACHE_SIZE: Final = 12


class Workspace:
    """Analyses of the datasets of a :class:`~viscarbon.datasets.Catalog`.

    ``Workspace(store_path)``: the demo and the datasets of the store file (``None``: the
    demo only); ``impute_missing=True`` applies the imputation overlay to stored datasets
    (regions without inventory estimated and flagged ``imputed``); ``systems``:
    in-memory ``{name: {year: EEIOSystem}}`` datasets; ``include_demo=False`` leaves the
    demo out; or pass a ready ``catalog``. Thread-safe.
    """

    def __init__(self, store_path: str | Path | None = None, *, impute_missing: bool = False,
                 systems: Mapping[str, Mapping[int, EEIOSystem]] | None = None,
                 include_demo: bool = True, catalog: Catalog | None = None,
                 cache_size: int = CACHE_SIZE):
        self.catalog = catalog if catalog is not None else Catalog(
            store_path, systems=systems, include_demo=include_demo, impute_missing=impute_missing)
        self.cache = BoundedCache(cache_size)
        self._count_lock = threading.Lock()
        #: how many times ``I − A`` of a year was factorised (once per year and generation)
        self.factorizations = 0

    def _factorised(self) -> None:
        with self._count_lock:
            self.factorizations += 1

    @property
    def store_path(self) -> Path | None:
        return self.catalog.store_path

    @property
    def impute_missing(self) -> bool:
        return self.catalog.impute_missing

    # ------------------------------------------------------------------ datasets
    def state(self) -> CatalogState:
        """The catalog at the current store generation."""
        return self.catalog.state()

    def datasets(self) -> tuple[DatasetInfo, ...]:
        """The analysable datasets (the demo first)."""
        return self.catalog.datasets()

    def inventory_datasets(self) -> tuple[DatasetInfo, ...]:
        """The store's inventory-only datasets."""
        return self.catalog.inventory_datasets()

    def dataset(self, name: str) -> DatasetInfo:
        """An IO dataset by name, provincial or city-level (the roadmap of a city table
        needs both; the web's provincial views accept only the provincial ones)."""
        return self.state().analysable(name)

    def years(self, name: str) -> tuple[int, ...]:
        return self.dataset(name).years

    def _token(self, st: CatalogState, info: DatasetInfo) -> Hashable:
        """What a cached result of ``info`` depends on besides its name: the store
        generation for stored datasets, nothing for the demo and in-memory ones."""
        return () if info.kind in (DEMO, "memory", "demo-city") else st.generation

    def token(self, dataset: str) -> Hashable:
        """What results of ``dataset`` depend on besides its name, at the current store
        generation (for caches built on top of the workspace, e.g. the roadmap's)."""
        st = self.state()
        return self._token(st, st.info(dataset))

    # ------------------------------------------------------------------ one year
    def year(self, dataset: str, year: int | None = None, *, state: CatalogState | None = None) -> YearAnalysis:
        """Every analysis of ``dataset`` in ``year`` (default: its last year), one object per
        (dataset, year, store generation)."""
        st = state or self.state()
        info = st.analysable(dataset)
        y = info.years[-1] if year is None else int(year)
        if y not in info.years:
            raise NotFound(f"dataset {dataset!r} has no year {y}",
                           hint="available: " + ", ".join(str(v) for v in info.years))
        key = ("year", dataset, y, self._token(st, info))
        return self.cache.get(key, lambda: YearAnalysis(self.catalog.resolve(dataset, y, state=st),
                                                        on_factorise=self._factorised))

    # ------------------------------------------------------------------ cities
    def city_datasets(self) -> tuple[DatasetInfo, ...]:
        """The city-level datasets (the demo's ``demo-city`` first, then the store's)."""
        return self.state().cities

    def city_year(self, dataset: str, year: int | None = None, *,
                  state: CatalogState | None = None) -> CityYear:
        """One city-level dataset-year set up once (:func:`viscarbon.analysis.city.city_year`:
        the scale solve, memory checked first), cached in the workspace's bounded cache per
        (dataset, year, store generation); default year: the dataset's last."""
        st = state or self.state()
        info = st.city_info(dataset)
        y = info.years[-1] if year is None else int(year)
        if y not in info.years:
            raise NotFound(f"city dataset {dataset!r} has no year {y}",
                           hint="available: " + ", ".join(str(v) for v in info.years))
        key = ("city", dataset, y, self._token(st, info))

        def make() -> CityYear:
            cy = city_year(self.catalog.resolve(dataset, y, state=st))
            self._factorised()
            return cy

        return self.cache.get(key, make)

    def meta(self, dataset: str, *, notes: tuple[Note, ...] = ()) -> ResultMeta:
        """Metadata of a result spanning the years of ``dataset``."""
        info = self.dataset(dataset)
        extra = (Note.of("synthetic"),) if info.synthetic else ()
        return ResultMeta(dataset=info.name, year=None, citation=info.citation, synthetic=info.synthetic,
                          notes=extra + notes)

    # ------------------------------------------------------------------ across years
    def trends(self, dataset: str, region: str, indicator_code: str, *, mode: str = "money") -> Trend:
        """One indicator of ``region``'s sectors over the dataset's table years (sectors of
        the last year's list; see :func:`~viscarbon.analysis.sectors.align_sectors`)."""
        ind = indicator(indicator_code)
        st = self.state()
        years = st.io_info(dataset).years
        analyses = [self.year(dataset, y, state=st) for y in years]
        per_year = [a.sector_indicators(region, mode=mode) for a in analyses]
        axis = per_year[-1].sectors
        vals = np.full((len(years), len(axis)), np.nan)
        totals: list[float | None] = []
        bridged: list[int] = []
        for i, (y, a, si) in enumerate(zip(years, analyses, per_year, strict=True)):
            v = si[ind.code].value
            vals[i], differs = align_sectors(v, si.sectors, axis, additive=ind.additive)
            if differs:
                bridged.append(int(y))
            if ind.additive:
                known = np.isfinite(v)
                totals.append(float(v[known].sum()) if known.any() else None)
            elif ind.code in ("intensity", "multiplier", "upstream"):
                reg = a.region_indicators()
                val = reg.values[ind.code][reg.regions.index(region)]
                totals.append(float(val) if np.isfinite(val) else None)
            else:
                totals.append(None)
        vals.setflags(write=False)
        unit = per_year[-1][ind.code].unit
        notes: tuple[Note, ...] = (Note.of("sector_lists_bridged", years=", ".join(map(str, bridged)),
                                           list=axis.list_id),) \
            if bridged else ()
        mixed = imports_mixed([(int(y), a.table.imports_treatment) for y, a in zip(years, analyses, strict=True)])
        if mixed is not None:
            notes += (Note.of("imports_mixed", competitive=mixed[0], noncompetitive=mixed[1]),)
        return Trend(meta=self.meta(dataset, notes=notes), region=region, indicator=ind.code, unit=unit,
                     years=tuple(years), sectors=axis, values=vals, totals=tuple(totals))

    def series(self, dataset: str) -> tuple[SeriesYear, ...]:
        """The dataset's inventory years mapped onto its nearest tables (cached per generation)."""
        st = self.state()
        info = st.analysable(dataset)
        return self.cache.get(("series", dataset, self._token(st, info)),
                              lambda: self.catalog.series(dataset, state=st))

    def inventory_trend(self, dataset: str, region: str) -> InventoryTrend:
        """CO2 of ``region`` by IO sector (the inventory mapped through the concordance onto
        the nearest table year) and households over the dataset's inventory years (Mt)."""
        st = self.state()
        info = st.io_info(dataset)
        last = self.year(dataset, info.years[-1], state=st).table
        last.regions.index(region)
        sectors = last.sectors
        S = len(sectors)
        series = self.series(dataset)
        if not series:
            return InventoryTrend(meta=self.meta(dataset, notes=(Note.of("no_inventory"),)), region=region,
                                  available=False, years=(), sectors=sectors, values=np.zeros((0, S)),
                                  households=np.zeros(0), totals=np.zeros(0))
        vals = np.full((len(series), S), np.nan)
        hh = np.full(len(series), np.nan)
        available = True
        bridged: list[int] = []
        for i, s in enumerate(series):
            table = self.year(dataset, s.table_year, state=st).table
            r = table.regions.index(region)
            if s.region_status[r] == "missing":
                available = False
                continue
            b = table.region_slice(region)
            vals[i], differs = align_sectors(s.F[b], table.sectors, sectors, additive=True)
            if differs:
                bridged.append(s.inventory_year)
            K = len(table.fd_categories)
            hh[i] = s.F_Y[r * K:(r + 1) * K].sum()
        totals = np.nansum(vals, axis=1) + np.nan_to_num(hh)
        if not available:
            totals[:] = np.nan
        notes: tuple[Note, ...] = () if available else (Note.of("region_no_inventory", region=region),)
        if bridged:
            notes += (Note.of("sector_lists_bridged", years=", ".join(map(str, bridged)), list=sectors.list_id),)
        for a in (vals, hh, totals):
            a.setflags(write=False)
        return InventoryTrend(meta=self.meta(dataset, notes=notes), region=region, available=available,
                              years=tuple(s.inventory_year for s in series), sectors=sectors, values=vals,
                              households=hh, totals=totals)

    def sda(self, dataset: str, from_year: int, to_year: int, *, method: SdaMethod = "polar",
            region: str | None = None, isolated: bool = False,
            deflators: Mapping[int, float | Sequence[float]] | None = None,
            lang: str | None = None) -> SDAResult:
        """Structural decomposition (``sda``) of CO2 between two years of ``dataset``, on the
        two years' cached factors (:mod:`viscarbon.analysis.sda`)."""
        st = self.state()
        a0, a1 = self.year(dataset, from_year, state=st), self.year(dataset, to_year, state=st)
        s0, s1 = a0.resolved.system, a1.resolved.system
        check_sda(s0, s1, method=method, region=region)
        scopes = (a0.scope(region=region, isolated=isolated), a1.scope(region=region, isolated=isolated))
        res = sda_on(s0, s1, scopes, method=method, region=region, deflators=deflators, lang=lang)
        info = a1.resolved.dataset
        return replace(res, dataset=info.name, citation=info.citation or res.citation,
                       synthetic=bool(info.synthetic or res.synthetic))

    def headline(self, dataset: str, year: int | None, region: str) -> Headline:
        """The headline figures of ``region`` in ``year`` (default: the last year) of
        ``dataset``, with the change in carbon intensity since the previous table year
        (:mod:`viscarbon.analysis.headline`)."""
        st = self.state()
        info = st.io_info(dataset)
        current = self.year(dataset, year, state=st)
        earlier = [y for y in info.years if y < current.year]
        previous = self.year(dataset, earlier[-1], state=st) if earlier else None
        return headline(current, region, previous=previous)

    # ------------------------------------------------------------------ inventories
    def inventory_tables(self, dataset: str) -> tuple[InventoryTable, ...]:
        """Every year of an inventory dataset (or of the inventory linked to an IO dataset;
        the demo's own), ascending; loaded once per store generation."""
        st = self.state()
        info = st.info(dataset)
        return self.cache.get(("inventory", dataset, self._token(st, info)),
                              lambda: self.catalog.inventory_tables(dataset, state=st))

    def apparent_tables(self, dataset: str) -> tuple[ApparentEmissions, ...]:
        """Every year of an apparent-emissions dataset, ascending; loaded once per store
        generation."""
        st = self.state()
        info = st.info(dataset)
        return self.cache.get(("apparent", dataset, self._token(st, info)),
                              lambda: self.catalog.apparent_tables(dataset, state=st))

    def apparent_for(self, region: str, *, exclude: str | None = None) -> str | None:
        """The first apparent-emissions dataset of the store (import order) covering
        ``region`` (None without one): what the Inventory and Trends tabs show beside the
        sectoral inventories."""
        for d in self.state().inventories:
            if d.is_apparent and d.name != exclude and region in d.regions:
                return d.name
        return None

    def sectoral_for(self, region: str) -> str | None:
        """The first sectoral (provincial) inventory dataset of the store covering ``region``."""
        for d in self.state().inventories:
            if d.kind == "ceads-inventory" and region in d.regions:
                return d.name
        return None
