"""The app's one link to ``analysis``: a Repository + Engine per app, and the small
adapters that turn analysis results into the plain records of
:mod:`viscarbon.web.viewmodels`.

Caching and concurrency: the Engine caches per (dataset, year, store generation); here a
lock per (dataset, year, generation) makes sure that when twenty clients ask for a year
nobody has computed yet, the year's factorisation is computed once while the others wait
for it (then hit the cache). Datasets are re-listed on every call to :meth:`datasets`
(cheap: the store is re-read only when its generation changed), so a dataset imported
while the server runs appears without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from viscarbon.analysis.indicators import INDICATORS
from viscarbon.errors import NotFound
from viscarbon.i18n import LANGS, t
from viscarbon.web import viewmodels as vm
from viscarbon.web.viewstate import Choices, DatasetChoice

__all__ = ["AnalysisSource"]

#: Region-level values of non-additive indicators that have no meaning for a region.
_REGION_NAN = ("backward_linkage", "forward_linkage", "in_strength", "out_strength", "pagerank",
               "betweenness")


class AnalysisSource:
    """Everything the web layer asks of ``analysis`` (one Repository + Engine).

    ``store_path`` None: the default store location; the demo dataset is always offered
    first. ``impute_missing``: impute the CO2 of stored datasets' regions without
    inventory (Tibet), flagged ``imputed`` (see :class:`~viscarbon.analysis.repository.Repository`)."""

    def __init__(self, store_path: Path | None = None, *, impute_missing: bool = False):
        from viscarbon.analysis.engine import Engine
        from viscarbon.analysis.repository import Repository

        self.store_path = store_path
        self.impute_missing = bool(impute_missing)
        self.repository = Repository(store_path, impute_missing=self.impute_missing)
        self.engine = Engine(self.repository)
        self._locks: dict[tuple[object, ...], threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._list_lock = threading.Lock()
        self._listed: tuple[str, tuple[vm.DatasetMeta, ...]] | None = None
        self._py_cache: dict[tuple[object, ...], vm.ProvinceYear] = {}

    # ------------------------------------------------------------------ datasets
    def generation(self) -> str:
        """The store's generation as text (changes whenever the store file is replaced)."""
        gen = self.repository.generation()
        return ":".join(str(g) for g in gen) if isinstance(gen, tuple) else str(gen)

    def datasets(self) -> tuple[vm.DatasetMeta, ...]:
        """Demo first, then the store's IO datasets; re-listed when the store changed."""
        gen = self.generation()
        with self._list_lock:
            if self._listed is not None and self._listed[0] == gen:
                return self._listed[1]
            out = tuple(self._dataset_meta(info) for info in self.repository.datasets())
            self._listed = (gen, out)
            return out

    def _dataset_meta(self, info: Any) -> vm.DatasetMeta:
        name = str(info.name)
        years = tuple(int(y) for y in self.repository.years(name))
        regions, sector_list = self._axes(name, years)
        inventory_years = tuple(int(y) for y in (getattr(info, "inventory_years", ()) or ()))
        return vm.DatasetMeta(name=name, kind=str(info.kind), years=years, regions=regions,
                              sector_list=sector_list, synthetic=bool(info.synthetic),
                              citation=str(info.citation), inventory_years=inventory_years)

    def _axes(self, name: str, years: Sequence[int]) -> tuple[tuple[str, ...], str]:
        system = self.repository.system(name, years[-1])
        table = system.table
        return tuple(table.regions.codes), table.sectors.list_id or "custom"

    def dataset_meta(self, name: str) -> vm.DatasetMeta:
        for d in self.datasets():
            if d.name == name:
                return d
        raise NotFound(f"unknown dataset {name!r}",
                       hint="use one of: " + ", ".join(d.name for d in self.datasets()))

    def choices(self) -> Choices:
        """What the view state may take right now."""
        out = []
        for d in self.datasets():
            system = self.repository.system(d.name, d.years[-1])
            out.append(DatasetChoice(name=d.name, years=d.years, regions=d.regions,
                                     sector_list=d.sector_list, sectors=tuple(system.table.sectors.codes)))
        return Choices(datasets=tuple(out), indicators=tuple(INDICATORS))

    def indicator_specs(self) -> tuple[vm.IndicatorSpec, ...]:
        return tuple(vm.IndicatorSpec(code=i.code, unit=i.unit, label_key=i.key, direction=i.direction,
                                      carbon=i.carbon, additive=i.additive) for i in INDICATORS.values())

    def indicator_spec(self, code: str) -> vm.IndicatorSpec:
        for s in self.indicator_specs():
            if s.code == code:
                return s
        raise NotFound(f"unknown indicator {code!r}", hint="use one of: " + ", ".join(INDICATORS))

    def meta(self, lang: str, *, only: str | None = None) -> dict[str, Any]:
        """The ``/api/meta`` payload (``only``: restrict to one dataset, for a static site)."""
        from viscarbon import __version__

        datasets = self.datasets()
        if only is not None:
            datasets = tuple(d for d in datasets if d.name == only) or datasets
        first = datasets[0]
        defaults = {"dataset": first.name, "year": first.years[-1],
                    "region": "GD" if "GD" in first.regions else first.regions[0],
                    "indicator": "output", "mode": "money", "top": 5, "keep": 0}
        inventories = () if only is not None else self.inventory_datasets()
        payload = vm.meta_payload(datasets, self.indicator_specs(), lang=lang, version=__version__,
                                  generation=self.generation(), defaults=defaults, inventories=inventories)
        # whether regions without an inventory (Tibet) are imputed (flagged) or missing
        payload["impute_missing"] = self.impute_missing
        return payload

    # ------------------------------------------------------------------ locking
    def _lock(self, *key: object) -> threading.Lock:
        with self._locks_guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock

    def _year_ready(self, dataset: str, year: int) -> None:
        """Compute the year's factorisation once, whoever asks first; the others wait."""
        with self._lock("year", dataset, year, self.generation()):
            self.engine.coefficients(dataset, year)

    # ------------------------------------------------------------------ province-year
    def province_year(self, dataset: str, year: int, region: str) -> vm.ProvinceYear:
        """Every figure of one province-year view (nodes, both link blocks, status,
        reconciliation), cached per store generation."""
        key = (dataset, year, region, self.generation())
        hit = self._py_cache.get(key)
        if hit is not None:
            return hit
        self._year_ready(dataset, year)
        with self._lock("py", *key):
            hit = self._py_cache.get(key)
            if hit is not None:
                return hit
            py = self._build_province_year(dataset, year, region)
            if len(self._py_cache) > 4096:
                self._py_cache.clear()
            self._py_cache[key] = py
            return py

    def _build_province_year(self, dataset: str, year: int, region: str) -> vm.ProvinceYear:
        ds = self.dataset_meta(dataset)
        money = self.engine.network(dataset, year, region, mode="money")
        nodes = money.nodes
        status = str(nodes.status)
        stats = {code: vm.IndicatorStat(code=code, value=iv.value, share=iv.share if INDICATORS[code].additive else None,
                                        rank=np.asarray(iv.rank, dtype=np.int64), percentile=iv.percentile)
                 for code, iv in nodes.values.items()}
        links: dict[str, vm.LinkBlock | None] = {"money": _links(money)}
        carbon_stats: dict[str, vm.IndicatorStat] = {}
        if status == "missing":
            links["carbon"] = None
        else:
            carbon = self.engine.network(dataset, year, region, mode="carbon")
            links["carbon"] = _links(carbon)
            for code, spec in INDICATORS.items():
                if spec.network and code in carbon.nodes.values:
                    iv = carbon.nodes.values[code]
                    carbon_stats[code] = vm.IndicatorStat(
                        code=code, value=iv.value, share=iv.share if spec.additive else None,
                        rank=np.asarray(iv.rank, dtype=np.int64), percentile=iv.percentile)
        notes = {lang: tuple(nodes.meta.note_texts(lang)) for lang in LANGS}
        return vm.ProvinceYear(
            dataset=ds, year=year, region=region, sector_list=nodes.sectors.list_id or ds.sector_list,
            sectors=tuple(nodes.sectors.codes), status=status, indicators=stats, links=links,
            reconciliation=self._reconciliation(dataset, year, region), notes=notes,
            isolated=bool(money.isolated), mode_indicators={"carbon": carbon_stats},
        )

    def _reconciliation(self, dataset: str, year: int, region: str) -> dict[str, float | None] | None:
        getter = getattr(self.repository, "reconciliation", None)
        if getter is None:
            return None
        report = getter(dataset, year)
        if report is None:
            return None
        records = report.as_records("en") if hasattr(report, "as_records") else report
        for rec in records:
            if rec.get("region") == region:
                return {
                    "inventory_mt": _opt(rec.get("inventory_total_mt")),
                    "mapped_mt": _opt(rec.get("mapped_total_mt")),
                    "mrio_co2_mt": _opt(rec.get("mrio_co2_total_mt")),
                }
        return None

    def network_edges(self, dataset: str, year: int, region: str, *, mode: str, top: float,
                      keep: int) -> list[dict[str, object]]:
        """The pruned edges of ``analysis`` (``Engine.network``) as records."""
        py = self.province_year(dataset, year, region)
        if py.links.get(mode) is None:
            return []  # carbon links of a region without inventory: unknown, not shown
        if py.status == "missing":
            keep = 0  # emitters unknown: nothing to keep visible
        net = self.engine.network(dataset, year, region, mode=mode, top_percent=top, keep_top_emitters=keep)
        return [{"source": e.source, "target": e.target, "value": e.value, "share": e.share,
                 "rank": e.rank, "percentile": e.percentile, "kept_for_emitter": e.kept_for_emitter}
                for e in net.edges]

    # ------------------------------------------------------------------ regions
    def region_table(self, dataset: str, year: int) -> vm.RegionTable:
        self._year_ready(dataset, year)
        ri = self.engine.region_indicators(dataset, year)
        values = {code: np.asarray(v, dtype=np.float64) for code, v in ri.values.items()}
        return vm.RegionTable(
            regions=tuple(ri.regions.codes), status=tuple(ri.region_status), values=values,
            production_mt=np.array([np.nan if v is None else v for v in ri.production_based], dtype=np.float64),
            consumption_mt=np.asarray(ri.consumption_based, dtype=np.float64),
        )

    def trade(self, dataset: str, year: int) -> vm.TradeFacts:
        self._year_ready(dataset, year)
        tm = self.engine.trade(dataset, year)
        el = self.engine.electricity_adjusted(dataset, year)
        status = tuple(tm.region_status)
        prod = np.array([np.nan if s == "missing" else v for v, s in zip(el.production_based, status, strict=True)],
                        dtype=np.float64)
        return vm.TradeFacts(regions=tuple(tm.regions.codes), matrix=tm.matrix, production_mt=prod,
                             electricity_adjusted_mt=np.asarray(el.adjusted, dtype=np.float64), status=status,
                             for_exports_mt=np.asarray(tm.for_exports, dtype=np.float64))

    # ------------------------------------------------------------------ trends
    def trend(self, dataset: str, region: str, indicator: str) -> vm.Trend:
        ds = self.dataset_meta(dataset)
        for y in ds.years:
            self._year_ready(dataset, y)
        tr = self.engine.trends(dataset, region, indicator)
        return vm.Trend(years=tuple(tr.years), codes=tuple(tr.sectors.codes),
                        values=np.asarray(tr.values, dtype=np.float64).T, unit=tr.unit,
                        sector_list=tr.sectors.list_id or ds.sector_list)

    def inventory_trend(self, dataset: str, region: str, *, lang: str) -> vm.Trend:
        ds = self.dataset_meta(dataset)
        it = self.engine.inventory_trend(dataset, region)
        if not it.available:
            if ds.inventory_years:
                from viscarbon.classification import label

                note = t("api.inventory.region_missing", lang, region=label("region", region, lang))
            else:
                note = t("api.inventory.none", lang, dataset=dataset)
            return vm.Trend(years=(), codes=tuple(it.sectors.codes), values=np.zeros((len(it.sectors), 0)),
                            unit="mt", total=None, available=False, note=note,
                            sector_list=it.sectors.list_id or ds.sector_list)
        return vm.Trend(years=tuple(it.years), codes=tuple(it.sectors.codes),
                        values=np.asarray(it.values, dtype=np.float64).T, unit="mt",
                        total=np.asarray(it.totals, dtype=np.float64), available=True, note=None,
                        sector_list=it.sectors.list_id or ds.sector_list)

    # ------------------------------------------------------------------ inventory-only datasets
    def _inventory_catalog(self) -> Any:
        """The store's inventory datasets (:class:`viscarbon.analysis.inventory.InventoryCatalog`),
        created on first use."""
        with self._locks_guard:
            cat = getattr(self, "_inv_catalog", None)
            if cat is None:
                from viscarbon.analysis.inventory import InventoryCatalog

                cat = InventoryCatalog(self.repository.store_path)
                self._inv_catalog = cat
            return cat

    def inventory_datasets(self) -> tuple[vm.DatasetMeta, ...]:
        """The store's inventory-only datasets (kind ``ceads-inventory``), import order."""
        return tuple(vm.DatasetMeta(name=d.name, kind=d.kind, years=d.years, regions=d.regions,
                                    sector_list="inv47", synthetic=d.synthetic, citation=d.citation,
                                    inventory_years=d.years)
                     for d in self._inventory_catalog().datasets())

    def inventory_facts(self, dataset: str, region: str) -> vm.InventoryFacts:
        """One region of an inventory-only dataset: CO2 by sector, by fuel, totals, and
        every region's totals (:mod:`viscarbon.analysis.inventory`)."""
        from viscarbon.analysis.inventory import province_totals, region_inventory

        ds = next((d for d in self.inventory_datasets() if d.name == dataset), None)
        if ds is None:
            raise NotFound(f"unknown inventory dataset {dataset!r}")
        tables = self._inventory_catalog().tables(dataset)
        ri = region_inventory(tables, region)
        pt = province_totals(tables)
        return vm.InventoryFacts(dataset=ds, region=region, years=ri.years, sectors=tuple(ri.sectors.codes),
                                 columns=tuple(ri.columns.codes), by_sector=ri.by_sector,
                                 by_column=ri.by_column, totals=ri.totals,
                                 province_regions=pt.regions, province_totals=pt.totals)


def _links(net: Any) -> vm.LinkBlock:
    """The link block of an analysis ``Network`` with its rank order and strongest links."""
    strongest = [int(c) if c >= 0 else None for c in np.asarray(net.strongest).tolist()]
    return vm.LinkBlock(net.mode, net.unit, net.block, rank=np.asarray(net.rank, dtype=np.int64).ravel(),
                        strongest=strongest)


def _opt(v: object) -> float | None:
    return None if v is None else float(v)  # type: ignore[arg-type]
