"""The analysis engine: computes once per (dataset, year, store generation) and caches.

``Engine(repository)`` factorises ``I − A`` of a year once (:attr:`Engine.factorizations`
counts them) and derives everything else from that factor with solves: multipliers,
linkages, the carbon accounts, the trade matrix, the electricity-adjusted accounts, the
node indicators and the networks of every province. Results are labelled, immutable
objects of :mod:`viscarbon.analysis.results`. Definitions: ``docs/math.md``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis.indicators import INDICATORS, indicator
from viscarbon.analysis.repository import Repository, SystemEntry
from viscarbon.analysis.results import (
    ElectricityAccounts,
    EmissionAccounts,
    IndicatorValues,
    InventoryTrend,
    Network,
    Note,
    RegionIndicators,
    ResultMeta,
    SectorIndicators,
    TradeMatrix,
    Trend,
)
from viscarbon.calc import leontief as lt
from viscarbon.calc.accounts import CarbonAccounts, carbon_accounts
from viscarbon.calc.arrays import readonly
from viscarbon.calc.electricity import reallocate_electricity
from viscarbon.calc.network import (
    betweenness,
    embodied_flows,
    pagerank,
    prune_edges,
    ranks,
    strongest_links,
)
from viscarbon.errors import NotFound, UnknownCode
from viscarbon.model import Axis, EEIOSystem, IOTable, SatelliteAccount

__all__ = ["MODES", "POWER_SECTOR", "Coefficients", "Engine"]

Arr = NDArray[np.float64]
T = TypeVar("T")

#: Link modes of the network: money flows ``Z`` or embodied-carbon flows ``m̂ Z``.
MODES: Final = ("money", "carbon")
#: Power and heat sector code per sector list (io42_2012: 25, io42_2017: 24).
POWER_SECTOR: Final = {"io42_2012": "25", "io42_2017": "24"}
_YEAR_CACHE: Final = 6
#: harmonized inventory years kept (oldest dropped first; the 1997-2019 series of one
#: dataset is 23 entries of n-vectors)
_INVENTORY_CACHE: Final = 128


@dataclass(frozen=True, eq=False)
class Coefficients:
    """The factorised system of one year and its per-sector coefficients (n = R·S).

    ``A`` technical coefficients; ``factor`` the LU of ``I − A``; ``F`` (n,) and ``F_Y``
    (R·K,) CO2 (Mt); ``f``/``m``/``upstream`` direct, total and upstream intensity
    (t CO2 per 10,000 yuan); ``output_multipliers`` ``1ᵀL``; ``backward``/``forward``
    normalised Rasmussen linkages (from ``L`` and Ghosh ``G``, over all n);
    ``region_status`` per region.
    """

    dataset: str
    year: int
    system: EEIOSystem
    A: Arr
    factor: lt.LeontiefFactor
    F: Arr
    F_Y: Arr
    f: Arr
    m: Arr
    upstream: Arr
    output_multipliers: Arr
    backward: Arr
    forward: Arr
    region_status: tuple[str, ...]

    @property
    def table(self) -> IOTable:
        return self.system.table

    @property
    def x(self) -> Arr:
        return self.system.table.x

    def solve(self, y: Any) -> Arr:
        """``L y`` with the cached factor (any number of demand columns)."""
        return lt.solve(self.factor, y)

    def solve_transposed(self, f: Any) -> Arr:
        """``f L`` with the cached factor."""
        return lt.solve_transposed(self.factor, f)


class _YearState:
    def __init__(self, entry: SystemEntry, coefficients: Coefficients):
        self.entry = entry
        self.coefficients = coefficients
        self.lock = threading.RLock()
        self.memo: dict[tuple[object, ...], object] = {}

    def get(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        with self.lock:
            if key in self.memo:
                return self.memo[key]  # type: ignore[return-value]
            value = build()
            self.memo[key] = value
            return value


def _co2(system: EEIOSystem) -> SatelliteAccount:
    try:
        return system.satellite("CO2")
    except NotFound:
        table = system.table
        K = len(table.fd_categories)
        return SatelliteAccount(name="CO2", stressors=Axis("stressor", ("CO2",)), F=np.zeros((1, table.n)),
                                F_Y=np.zeros((1, table.n_regions * K)), unit="Mt", year=table.year,
                                region_status=tuple("missing" for _ in range(table.n_regions)))


def align_sectors(values: Arr, source: Axis, target: Axis, *, additive: bool) -> tuple[Arr, bool]:
    """Sector values on ``source``'s list re-expressed on ``target``'s list.

    Same list (or custom lists): matched by code, codes absent from ``source`` are NaN.
    Between the NBS 2012- and 2017-style lists (:func:`viscarbon.classification.
    sector_correspondence`): a target sector gets the value of its one source sector when
    the correspondence is one-to-one; the sum of its sources when several merge into it and
    the indicator is additive (output, CO2 …); NaN when a source splits across targets or a
    merge meets a non-additive indicator (intensity, multiplier …), since no honest value
    exists there. Returns ``(values on target, whether the lists differed)``.
    """
    from viscarbon.classification import SECTOR_LISTS, sector_correspondence

    out = np.full(len(target), np.nan)
    if source.list_id == target.list_id or not {source.list_id, target.list_id} <= set(SECTOR_LISTS):
        pos = {code: k for k, code in enumerate(source.codes)}
        for k, code in enumerate(target.codes):
            if code in pos:
                out[k] = values[pos[code]]
        return out, False
    corr = sector_correspondence(source.list_id, target.list_id)
    sources_of: dict[str, list[str]] = {}
    for src, dsts in corr.items():
        for dst in dsts:
            sources_of.setdefault(dst, []).append(src)
    pos = {code: k for k, code in enumerate(source.codes)}
    for k, code in enumerate(target.codes):
        srcs = sources_of.get(code, [])
        if not srcs or any(len(corr[c]) > 1 for c in srcs) or (len(srcs) > 1 and not additive):
            continue
        out[k] = float(sum(values[pos[c]] for c in srcs))
    return out, True


class Engine:
    """Cached analysis on a :class:`Repository` (the demo only when none is given).

    Thread-safe: the first request for a year factorises under a per-year lock, so
    concurrent requests wait for it instead of computing it twice.
    """

    def __init__(self, repository: Repository | None = None):
        self.repository = repository if repository is not None else Repository(None)
        self.factorizations = 0
        self._lock = threading.RLock()
        self._key_locks: dict[tuple[object, ...], threading.Lock] = {}
        self._years: OrderedDict[tuple[object, ...], _YearState] = OrderedDict()
        self._inventory_cache: OrderedDict[tuple[object, ...], tuple[IOTable, Arr, Arr, NDArray[np.bool_]]] = OrderedDict()

    # ------------------------------------------------------------------ caching
    def _key(self, dataset: str, year: int) -> tuple[object, ...]:
        gen = self.repository.cache_token(dataset)
        return (dataset, int(year), gen)

    def _state(self, dataset: str, year: int) -> _YearState:
        key = self._key(dataset, year)
        with self._lock:
            st = self._years.get(key)
            if st is not None:
                self._years.move_to_end(key)
                return st
            klock = self._key_locks.setdefault(key, threading.Lock())
        with klock:
            with self._lock:
                st = self._years.get(key)
            if st is not None:
                return st
            entry = self.repository.entry(dataset, year)
            coeffs = self._factorise(dataset, int(year), entry.system)
            st = _YearState(entry, coeffs)
            with self._lock:
                self._years[key] = st
                while len(self._years) > _YEAR_CACHE:
                    self._years.popitem(last=False)
                self._key_locks.pop(key, None)
            return st

    def _factorise(self, dataset: str, year: int, system: EEIOSystem) -> Coefficients:
        table = system.table
        sat = _co2(system)
        A = lt.technical_coefficients(table.Z, table.x)
        factor = lt.factorize(A)
        with self._lock:
            self.factorizations += 1
        F = readonly(sat.F.sum(axis=0))
        F_Y = readonly(sat.F_Y.sum(axis=0))
        f = lt.direct_intensity(F, table.x)
        m = lt.multipliers(factor, f)
        om = lt.output_multipliers(factor)
        return Coefficients(
            dataset=dataset, year=year, system=system, A=A, factor=factor, F=F, F_Y=F_Y, f=f, m=m,
            upstream=lt.upstream_intensity(m, f), output_multipliers=om,
            backward=lt.normalised_linkages(om), forward=lt.forward_linkages(factor, table.x),
            region_status=tuple(sat.region_status),
        )

    # ------------------------------------------------------------------ meta
    def meta(self, dataset: str, year: int | None, *, notes: tuple[Note, ...] = ()) -> ResultMeta:
        """Dataset, year, citation, synthetic flag and notes for a result."""
        info = self.repository.dataset(dataset)
        source: tuple[str, ...] = ()
        extra: tuple[Note, ...] = ()
        synthetic = info.synthetic
        if year is not None:
            st = self._state(dataset, year)
            source = st.entry.notes
            status = st.coefficients.region_status
            regions = st.coefficients.table.regions.codes
            missing = [c for c, s in zip(regions, status, strict=True) if s == "missing"]
            imputed = [c for c, s in zip(regions, status, strict=True) if s == "imputed"]
            if missing and len(missing) < len(regions):
                extra += (Note.of("missing_regions", regions=", ".join(missing)),)
            elif missing:
                extra += (Note.of("no_co2"),)
            if imputed:
                extra += (Note.of("imputed_regions", regions=", ".join(imputed)),)
            synthetic = synthetic or st.coefficients.system.synthetic
        if synthetic:
            extra = (Note.of("synthetic"), *extra)
        return ResultMeta(dataset=dataset, year=year, citation=info.citation, synthetic=synthetic,
                          notes=extra + notes, source_notes=source)

    # ------------------------------------------------------------------ core
    def coefficients(self, dataset: str, year: int) -> Coefficients:
        """The factorised system of ``dataset``/``year`` (cached)."""
        return self._state(dataset, year).coefficients

    def memo(self, dataset: str, year: int, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """``build()`` once per (dataset, year, store generation), kept and dropped with the
        year's factorisation: the per-year cache for results derived outside the engine
        (e.g. the structural analyses' full-MRIO scope). ``key`` names the result."""
        return self._state(dataset, year).get(("memo", *key), build)

    def carbon_arrays(self, dataset: str, year: int) -> CarbonAccounts:
        """The raw account arrays (:class:`~viscarbon.calc.accounts.CarbonAccounts`, cached)."""
        st = self._state(dataset, year)
        c = st.coefficients
        t = c.table

        def build() -> CarbonAccounts:
            return carbon_accounts(c.factor, F=c.F, F_Y=c.F_Y, x=t.x, Z=t.Z, Y=t.Y, EX=t.EX, IM=t.IM,
                                   n_regions=t.n_regions, n_categories=len(t.fd_categories))

        return st.get(("carbon_arrays",), build)

    def accounts(self, dataset: str, year: int) -> EmissionAccounts:
        """Production- and consumption-based CO2, by region and category, embodied in
        exports, footprints by sector of origin, imports estimate (Mt CO2)."""
        st = self._state(dataset, year)
        c = st.coefficients
        t = c.table

        def build() -> EmissionAccounts:
            return EmissionAccounts(
                meta=self.meta(dataset, year, notes=(Note.of("imports_estimate"),)), regions=t.regions,
                sectors=t.sectors, categories=t.fd_categories, arrays=self.carbon_arrays(dataset, year),
                region_status=c.region_status)

        return st.get(("accounts",), build)

    def trade(self, dataset: str, year: int) -> TradeMatrix:
        """The R × R matrix of CO2 emitted in r for final demand in s, with net transfers."""
        st = self._state(dataset, year)
        c = st.coefficients

        def build() -> TradeMatrix:
            a = self.carbon_arrays(dataset, year)
            R = a.n_regions
            return TradeMatrix(meta=self.meta(dataset, year), regions=c.table.regions,
                               matrix=readonly(np.array(a.transfer[:, :R])),
                               for_exports=a.emitted_for_exports, region_status=c.region_status)

        return st.get(("trade",), build)

    def power_sector(self, dataset: str, year: int) -> str:
        """The power and heat sector code of the year's sector list (25 or 24)."""
        sectors = self.coefficients(dataset, year).table.sectors
        code = POWER_SECTOR.get(sectors.list_id)
        if code is None:
            raise UnknownCode(f"no power sector known for the sector list {sectors.list_id or 'custom'!r}",
                              hint="pass the power sector code explicitly (CLI: --sector)")
        return code

    def electricity_adjusted(self, dataset: str, year: int, *, power_sector: str | None = None) -> ElectricityAccounts:
        """Electricity-adjusted CO2 per region: power and heat CO2 reassigned to the users
        of the electricity through the power-sector rows of Z, Y and EX (``docs/math.md``)."""
        st = self._state(dataset, year)
        c = st.coefficients
        t = c.table
        code = power_sector or self.power_sector(dataset, year)

        def build() -> ElectricityAccounts:
            p = t.sectors.index(code)
            S, R, K = t.n_sectors, t.n_regions, len(t.fd_categories)
            rows = np.arange(R) * S + p
            re = reallocate_electricity(c.F, t.Z, t.Y, t.EX, t.x, rows)
            hh = c.F_Y.reshape(R, K).sum(axis=1)
            adjusted = (re.industry.reshape(R, S).sum(axis=1) + re.final_demand.reshape(R, K).sum(axis=1)
                        + re.exports.reshape(R, S).sum(axis=1) + hh)
            pba = c.F.reshape(R, S).sum(axis=1) + hh
            return ElectricityAccounts(
                meta=self.meta(dataset, year, notes=(Note.of("electricity", sector=code),)),
                regions=t.regions, power_sector=code, production_based=readonly(pba), adjusted=readonly(adjusted),
                by_sector=re.industry, factor=readonly(re.factor * lt.MT_TO_T), region_status=c.region_status)

        return st.get(("electricity", code), build)

    # ------------------------------------------------------------------ nodes
    def _isolated(self, st: _YearState, region: str) -> tuple[lt.LeontiefFactor, Arr]:
        """The province's own block as a single-region system, factorised once per
        (year, region) for both the node indicators and the carbon links: the LU factor of
        ``I − A_rr`` (``A_rr = Z_rr x̂_r⁻¹``, S × S) and the isolated total intensity
        ``m_r = f_r L_rr`` (S,), t CO2 per 10,000 yuan (Miller & Blair 2009, §2.3, §6.3)."""

        def build() -> tuple[lt.LeontiefFactor, Arr]:
            c = st.coefficients
            b = c.table.region_slice(region)
            fac = lt.factorize(lt.technical_coefficients(c.table.Z[b, b], c.x[b]))
            return fac, lt.multipliers(fac, c.f[b])

        return st.get(("isolated", region), build)

    def _node_values(self, st: _YearState, region: str, isolated: bool) -> dict[str, Arr]:
        """Mode-independent node indicator values of one region (S,), memoised per
        (region, scope) so the money and carbon views share them (read-only arrays; callers
        copy the dict before adding to it)."""

        def build() -> dict[str, Arr]:
            return {k: readonly(v) for k, v in self._compute_node_values(st, region, isolated).items()}

        return st.get(("node_values", region, isolated), build)

    def _compute_node_values(self, st: _YearState, region: str, isolated: bool) -> dict[str, Arr]:
        c = st.coefficients
        t = c.table
        b = t.region_slice(region)
        r = t.regions.index(region)
        S, R, K = t.n_sectors, t.n_regions, len(t.fd_categories)
        missing = c.region_status[r] == "missing"
        x = t.x[b]
        Zrr = t.Z[b, b]
        f_t = np.array(c.f[b])
        own_cols = slice(r * K, (r + 1) * K)
        if isolated:
            fac, m_iso = self._isolated(st, region)
            m_t = np.array(m_iso)
            bl = lt.backward_linkages(fac)
            fl = lt.forward_linkages(fac, x)
            imports = t.x[b] - Zrr.sum(axis=0) - t.V[:, b].sum(axis=0)
            exports = t.x[b] - Zrr.sum(axis=1) - t.Y[b, own_cols].sum(axis=1)
            final_use = t.Y[b, own_cols].sum(axis=1)
            cba = m_t / lt.MT_TO_T * final_use
        else:
            m_t = np.array(c.m[b])
            bl = c.backward[b]
            fl = c.forward[b]
            imports = t.IM[b]
            exports = t.EX[b]
            final_use = t.Y[b, :].sum(axis=1)
            if "IMP" in t.fd_categories.codes:
                # competitive imports (NBS 2015): imports of each product are the negative
                # final-demand category IMP, not a row; final use is domestic use without them
                imp_cols = np.arange(R) * K + t.fd_categories.index("IMP")
                imports = -t.Y[b][:, imp_cols].sum(axis=1)
                final_use = final_use + imports
            Ys = t.Y[:, own_cols].sum(axis=1)
            cba = ((c.m / lt.MT_TO_T) * Ys).reshape(R, S).sum(axis=0)
        co2 = np.array(c.F[b])
        upstream = m_t - f_t
        if missing:
            nan = np.full(S, np.nan)
            co2, f_t, m_t, upstream, cba = nan, nan, nan, nan, nan
        return {
            "output": np.array(x), "value_added": t.V[:, b].sum(axis=0), "imports": np.array(imports),
            "exports": np.array(exports), "final_use": np.array(final_use), "co2": co2, "intensity": f_t,
            "multiplier": m_t, "upstream": upstream, "cba_co2": np.array(cba),
            "backward_linkage": np.array(bl), "forward_linkage": np.array(fl),
        }

    def _block(self, st: _YearState, region: str, mode: str, isolated: bool) -> Arr:
        if mode not in MODES:
            raise UnknownCode(f"unknown network mode {mode!r}", hint="use one of: " + ", ".join(MODES))

        def build() -> Arr:
            c = st.coefficients
            t = c.table
            b = t.region_slice(region)
            Zrr = t.Z[b, b]
            if mode == "money":
                return readonly(np.array(Zrr))
            m_t = self._isolated(st, region)[1] if isolated else c.m[b]
            m = m_t / lt.MT_TO_T  # Mt per 10,000 yuan, so the links are in Mt
            return embodied_flows(m, Zrr)

        return st.get(("block", region, mode, isolated), build)

    def sector_indicators(self, dataset: str, year: int, region: str, *, mode: str = "money",
                          isolated: bool = False) -> SectorIndicators:
        """Every node indicator (value, share, rank, percentile) of ``region``'s sectors;
        network metrics from the links of ``mode``; ``isolated`` uses the province's own
        block only (labelled as such)."""
        st = self._state(dataset, year)
        t = st.coefficients.table
        t.regions.index(region)

        def build() -> SectorIndicators:
            values = dict(self._node_values(st, region, isolated))
            W = self._block(st, region, mode, isolated)
            values["in_strength"] = W.sum(axis=0)
            values["out_strength"] = W.sum(axis=1)
            values["pagerank"] = np.array(pagerank(W))
            values["betweenness"] = np.array(betweenness(W))
            flow_unit = "10k_yuan" if mode == "money" else "mt"
            ivs = {code: IndicatorValues.of(code, values[code],
                                            unit=flow_unit if code in ("in_strength", "out_strength") else None)
                   for code in INDICATORS}
            r = t.regions.index(region)
            notes = (Note.of("isolated"),) if isolated else ()
            return SectorIndicators(
                meta=self.meta(dataset, year, notes=notes), region=region,
                region_label_en=t.regions.labels_en[r], region_label_zh=t.regions.labels_zh[r],
                status=st.coefficients.region_status[r], sectors=t.sectors, values=ivs,
                isolated=isolated, mode=mode)

        return st.get(("sectors", region, mode, isolated), build)

    def network(self, dataset: str, year: int, region: str, *, mode: str = "money", top_percent: float = 5.0,
                keep_top_emitters: int = 0, isolated: bool = False) -> Network:
        """The network of a province-year: node indicators plus the province's block of
        links in ``mode`` reduced to the top ``floor(p·S²/100)`` cells (+ the strongest link
        of each top-k emitter not yet visible, flagged)."""
        st = self._state(dataset, year)
        nodes = self.sector_indicators(dataset, year, region, mode=mode, isolated=isolated)
        W = self._block(st, region, mode, isolated)
        rank0 = st.get(("rank", region, mode, isolated), lambda: readonly(ranks(W) - 1))
        strongest = st.get(("strongest", region, mode, isolated), lambda: strongest_links(W))
        co2 = np.nan_to_num(nodes["co2"].value, nan=-np.inf)
        pruned = prune_edges(W, top_percent=top_percent, emissions=co2,
                             keep_top_emitters=int(keep_top_emitters))
        notes: tuple[Note, ...] = (Note.of("isolated"),) if isolated else ()
        notes += (Note.of(f"mode_{mode}"),)
        return Network(meta=self.meta(dataset, year, notes=notes), region=region, mode=mode,
                       unit="10k_yuan" if mode == "money" else "mt", isolated=isolated,
                       top_percent=float(top_percent), keep_top_emitters=int(keep_top_emitters),
                       nodes=nodes, block=W, rank=rank0, pruned=pruned, strongest=strongest)

    def region_indicators(self, dataset: str, year: int) -> RegionIndicators:
        """Region totals (additive indicators) and ratios (intensity, multiplier) of a year."""
        st = self._state(dataset, year)
        c = st.coefficients
        t = c.table

        def build() -> RegionIndicators:
            R, S, K = t.n_regions, t.n_sectors, len(t.fd_categories)
            a = self.carbon_arrays(dataset, year)
            out = {code: np.full(R, np.nan) for code in INDICATORS}
            out["output"] = t.x.reshape(R, S).sum(axis=1)
            out["value_added"] = t.V.sum(axis=0).reshape(R, S).sum(axis=1)
            out["imports"] = t.IM.reshape(R, S).sum(axis=1)
            out["exports"] = t.EX.reshape(R, S).sum(axis=1)
            out["final_use"] = t.Y.sum(axis=1).reshape(R, S).sum(axis=1)
            co2 = a.production_industry.copy()
            cba = a.consumption_industry.copy()
            own_fd = t.Y.reshape(t.n, R, K).sum(axis=(0, 2))
            inten = np.full(R, np.nan)
            np.divide(co2 * lt.MT_TO_T, out["output"], out=inten, where=out["output"] > 0)
            mult = np.full(R, np.nan)
            np.divide(cba * lt.MT_TO_T, own_fd, out=mult, where=own_fd > 0)
            miss = np.array([s == "missing" for s in c.region_status])
            for arr in (co2, cba, inten, mult):
                arr[miss] = np.nan
            out["co2"], out["cba_co2"], out["intensity"], out["multiplier"] = co2, cba, inten, mult
            out["upstream"] = mult - inten
            acc = self.accounts(dataset, year)
            return RegionIndicators(meta=self.meta(dataset, year), regions=t.regions,
                                    values={k: readonly(v) for k, v in out.items()}, region_status=c.region_status,
                                    production_based=tuple(acc.production_based),
                                    consumption_based=a.consumption_based)

        return st.get(("regions",), build)

    # ------------------------------------------------------------------ trends
    def trends(self, dataset: str, region: str, indicator_code: str, *, mode: str = "money") -> Trend:
        """One indicator of ``region``'s sectors over the dataset's MRIO years (sectors of
        the last year's list; codes missing from a year's list are NaN)."""
        ind = indicator(indicator_code)
        years = self.repository.years(dataset)
        per_year = [self.sector_indicators(dataset, y, region, mode=mode) for y in years]
        axis = per_year[-1].sectors
        vals = np.full((len(years), len(axis)), np.nan)
        totals: list[float | None] = []
        bridged: list[int] = []
        for i, (y, si) in enumerate(zip(years, per_year, strict=True)):
            v = si[ind.code].value
            vals[i], differs = align_sectors(v, si.sectors, axis, additive=ind.additive)
            if differs:
                bridged.append(int(y))
            if ind.additive:
                known = np.isfinite(v)
                totals.append(float(v[known].sum()) if known.any() else None)
            elif ind.code in ("intensity", "multiplier", "upstream"):
                reg = self.region_indicators(dataset, y)
                val = reg.values[ind.code][reg.regions.index(region)]
                totals.append(float(val) if np.isfinite(val) else None)
            else:
                totals.append(None)
        vals.setflags(write=False)
        unit = per_year[-1][ind.code].unit
        notes = (Note.of("sector_lists_bridged", years=", ".join(map(str, bridged)), list=axis.list_id),) if bridged else ()
        return Trend(meta=self.meta(dataset, None, notes=notes), region=region, indicator=ind.code, unit=unit,
                     years=tuple(years), sectors=axis, values=vals, totals=tuple(totals))

    def _inventory_sat(self, dataset: str, inv_year: int) -> tuple[IOTable, Arr, Arr, NDArray[np.bool_]]:
        """The inventory of ``inv_year`` harmonized onto the nearest MRIO year's table:
        (table, F (n,), F_Y (R·K,), missing mask (R,)); cached per store generation."""
        from viscarbon.harmonize import build_co2_satellite, nearest_table_year

        gen = self.repository.cache_token(dataset)
        key = (dataset, int(inv_year), gen)
        with self._lock:
            hit = self._inventory_cache.get(key)
        if hit is not None:
            return hit
        years = self.repository.years(dataset)
        table = self.repository.system(dataset, nearest_table_year(inv_year, years)).table
        inventory = self.repository.inventory(dataset, inv_year)
        sat, _ = build_co2_satellite(inventory, table)
        missing = np.array([s == "missing" for s in sat.region_status], dtype=bool)
        out = (table, readonly(sat.F.sum(axis=0)), readonly(sat.F_Y.sum(axis=0)), missing)
        with self._lock:
            self._inventory_cache[key] = out
            while len(self._inventory_cache) > _INVENTORY_CACHE:
                self._inventory_cache.popitem(last=False)
        return out

    def inventory_trend(self, dataset: str, region: str) -> InventoryTrend:
        """CO2 of ``region`` by IO sector (mapped through the concordance onto the nearest
        MRIO year's table) and households over the dataset's inventory years (Mt)."""
        info = self.repository.dataset(dataset)
        years = info.inventory_years
        last_table = self.repository.system(dataset, info.years[-1]).table
        last_table.regions.index(region)
        sectors = last_table.sectors
        S = len(sectors)
        if not years:
            return InventoryTrend(meta=self.meta(dataset, None, notes=(Note.of("no_inventory"),)), region=region,
                                  available=False, years=(), sectors=sectors, values=np.zeros((0, S)),
                                  households=np.zeros(0), totals=np.zeros(0))
        vals = np.full((len(years), S), np.nan)
        hh = np.full(len(years), np.nan)
        available = True
        bridged: list[int] = []
        for i, y in enumerate(years):
            table, F, F_Y, missing = self._inventory_sat(dataset, y)
            r = table.regions.index(region)
            if missing[r]:
                available = False
                continue
            b = table.region_slice(region)
            vals[i], differs = align_sectors(F[b], table.sectors, sectors, additive=True)
            if differs:
                bridged.append(int(y))
            K = len(table.fd_categories)
            hh[i] = F_Y[r * K:(r + 1) * K].sum()
        totals = np.nansum(vals, axis=1) + np.nan_to_num(hh)
        if not available:
            totals[:] = np.nan
        notes: tuple[Note, ...] = () if available else (Note.of("region_no_inventory", region=region),)
        if bridged:
            notes += (Note.of("sector_lists_bridged", years=", ".join(map(str, bridged)), list=sectors.list_id),)
        for a in (vals, hh, totals):
            a.setflags(write=False)
        return InventoryTrend(meta=self.meta(dataset, None, notes=notes), region=region, available=available,
                              years=tuple(years), sectors=sectors, values=vals, households=hh, totals=totals)
