"""Every analysis of one dataset-year: :class:`YearAnalysis`.

One object per (dataset, year, store generation), made by
:meth:`viscarbon.analysis.Workspace.year` and kept in its one bounded cache. It holds the
:class:`~viscarbon.datasets.ResolvedSystem`, factorises ``I − A`` once
(:func:`~viscarbon.analysis.coefficients.factorise`) and derives everything else from
that factor with solves: the carbon accounts, the trade matrix, the electricity-adjusted
accounts, the node indicators and networks of every province (with ranks and strongest
links), the region indicators and the structural analyses (key sectors, hypothetical
extraction, structural paths). Results are labelled, immutable objects, memoised for the
object's lifetime. Definitions: ``docs/math.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Final, TypeVar

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis.cache import Memo
from viscarbon.analysis.coefficients import Coefficients, factorise
from viscarbon.analysis.extraction import ExtractionResult, ExtractMode, extract_on
from viscarbon.analysis.indicators import INDICATORS
from viscarbon.analysis.keysectors import KeySectorResult, key_sectors_on
from viscarbon.analysis.results import (
    ElectricityAccounts,
    EmissionAccounts,
    IndicatorValues,
    Network,
    Note,
    RegionIndicators,
    ResultMeta,
    SectorIndicators,
    TradeMatrix,
)
from viscarbon.analysis.scope import Scope, make_scope
from viscarbon.analysis.spa import SPA_MAX_NODES, SPAResult, check_spa_options, spa_on
from viscarbon.calc import leontief as lt
from viscarbon.calc.accounts import CarbonAccounts, ImportBlock, carbon_accounts
from viscarbon.calc.arrays import readonly
from viscarbon.calc.electricity import reallocate_electricity
from viscarbon.calc.extraction import EXTRACTION_MODES
from viscarbon.calc.network import (
    betweenness,
    embodied_flows,
    pagerank,
    prune_edges,
    ranks,
    strongest_links,
)
from viscarbon.calc.spa import SortedChildren, sorted_children
from viscarbon.datasets import ResolvedSystem
from viscarbon.errors import DataError, UnknownCode
from viscarbon.model import IOTable

__all__ = [
    "IMPORT_NOTES",
    "MATERIAL_SHARE",
    "MODES",
    "POWER_SECTOR",
    "YearAnalysis",
    "account_notes",
    "import_block",
    "year_meta",
]

Arr = NDArray[np.float64]
T = TypeVar("T")

#: Link modes of the network: money flows ``Z`` or embodied-carbon flows ``m̂ Z``.
MODES: Final = ("money", "carbon")
#: Power and heat sector code per sector list (io42_2012: 25, io42_2017: 24).
POWER_SECTOR: Final = {"io42_2012": "25", "io42_2017": "24"}


#: The note on foreign imports per :attr:`CarbonAccounts.imports_method`.
IMPORT_NOTES: Final = {"row": "imports_estimate", "block": "imports_estimate_block",
                       "not_applicable": "imports_not_applicable"}
#: A part of a region's consumption-based CO2 is *material* (and noted) from this share of it on.
MATERIAL_SHARE: Final = 0.01


def import_block(table: IOTable) -> ImportBlock | None:
    """The import block by product of a non-competitive table that has one (NBS 2017-2020:
    ``extras`` ``Z_imports``, ``Y_imports``, ``EX_imports``), else ``None``."""
    ex = table.extras
    if not all(k in ex for k in ("Z_imports", "Y_imports", "EX_imports")):
        return None
    Z, Y, EX = (np.asarray(ex[k], dtype=np.float64) for k in ("Z_imports", "Y_imports", "EX_imports"))
    if Z.shape != table.Z.shape or Y.shape != table.Y.shape or EX.shape != table.EX.shape:
        return None
    return ImportBlock(Z=Z, Y=Y, EX=EX)


def _pct(v: float) -> str:
    return f"{100 * v:.1f} %"


def account_notes(arrays: CarbonAccounts, regions: tuple[str, ...], categories: tuple[str, ...]) -> tuple[Note, ...]:
    """Notes on the parts of the consumption-based CO2 that are not consumption, where
    they are material (≥ :data:`MATERIAL_SHARE` of a region's total): negative inventory
    changes (``FU202``), the ``Other``/ERR column (the tables' balancing item), and the
    negative ``IMP`` category of a competitive-imports table (always noted)."""
    cba = arrays.consumption_based
    out: list[Note] = []
    for code, key, negative_only in (("FU202", "negative_inventory_changes", True),
                                     ("Other", "other_err", False)):
        if code not in categories:
            continue
        part = arrays.by_category[:, categories.index(code)]
        hits = [f"{regions[r]} {part[r]:+.4g} Mt ({_pct(part[r] / cba[r])})"
                for r in range(len(regions))
                if cba[r] != 0 and abs(part[r]) >= MATERIAL_SHARE * abs(cba[r])
                and (part[r] < 0 or not negative_only)]
        if hits:
            out.append(Note.of(key, regions="; ".join(hits)))
    if "IMP" in categories:
        part = arrays.by_category[:, categories.index("IMP")]
        out.append(Note.of("competitive_imports", values="; ".join(
            f"{regions[r]} {part[r]:+.6g} Mt" for r in range(len(regions)))))
    return tuple(out)


def year_meta(resolved: ResolvedSystem, *, notes: tuple[Note, ...] = ()) -> ResultMeta:
    """Dataset, year, citation, synthetic flag and notes (missing, imputed regions) of a
    result of ``resolved``."""
    info = resolved.dataset
    status = resolved.region_status
    regions = resolved.table.regions.codes
    missing = [c for c, s in zip(regions, status, strict=True) if s == "missing"]
    imputed = [c for c, s in zip(regions, status, strict=True) if s == "imputed"]
    extra: tuple[Note, ...] = ()
    if missing and len(missing) < len(regions):
        extra += (Note.of("missing_regions", regions=", ".join(missing)),)
    elif missing:
        extra += (Note.of("no_co2"),)
    if imputed:
        extra += (Note.of("imputed_regions", regions=", ".join(imputed)),)
    synthetic = resolved.synthetic
    if synthetic:
        extra = (Note.of("synthetic"), *extra)
    return ResultMeta(dataset=info.name, year=resolved.year, citation=info.citation, synthetic=synthetic,
                      notes=extra + notes, source_notes=resolved.notes)


class YearAnalysis:
    """All analyses of one resolved dataset-year (see the module docstring). Thread-safe;
    every result is computed once per object."""

    def __init__(self, resolved: ResolvedSystem, *, on_factorise: Callable[[], None] | None = None):
        self.resolved = resolved
        self._memo = Memo()
        self._on_factorise = on_factorise

    def __repr__(self) -> str:
        return f"YearAnalysis({self.resolved.dataset.name!r}, {self.resolved.year})"

    # ------------------------------------------------------------------ basics
    @property
    def dataset(self) -> str:
        return self.resolved.dataset.name

    @property
    def year(self) -> int:
        return self.resolved.year

    @property
    def table(self) -> IOTable:
        return self.resolved.table

    @property
    def coefficients(self) -> Coefficients:
        """The factorised system (``I − A`` factorised on first use)."""
        def build() -> Coefficients:
            if self._on_factorise is not None:
                self._on_factorise()
            return factorise(self.resolved)

        return self._memo.get(("coefficients",), build)

    def meta(self, *, notes: tuple[Note, ...] = ()) -> ResultMeta:
        """Dataset, year, citation, synthetic flag and notes for a result of this year."""
        return year_meta(self.resolved, notes=notes)

    # ------------------------------------------------------------------ accounts
    def carbon_arrays(self) -> CarbonAccounts:
        """The raw account arrays (:class:`~viscarbon.calc.accounts.CarbonAccounts`)."""
        def build() -> CarbonAccounts:
            c = self.coefficients
            t = c.table
            return carbon_accounts(c.factor, F=c.F, F_Y=c.F_Y, x=t.x, Z=t.Z, Y=t.Y, EX=t.EX, IM=t.IM,
                                   n_regions=t.n_regions, n_categories=len(t.fd_categories),
                                   competitive=t.imports_treatment == "competitive",
                                   import_block=import_block(t))

        return self._memo.get(("carbon_arrays",), build)

    def accounts(self) -> EmissionAccounts:
        """Production- and consumption-based CO2, by region and category, embodied in
        exports, footprints by sector of origin, imports estimate (Mt CO2), with notes on
        how imports are treated and on the parts of the consumption-based total that are
        not consumption (inventory changes, the Other/ERR column) where they are material."""
        def build() -> EmissionAccounts:
            c = self.coefficients
            t = c.table
            arrays = self.carbon_arrays()
            notes = (Note.of(IMPORT_NOTES[arrays.imports_method]),
                     *account_notes(arrays, t.regions.codes, t.fd_categories.codes))
            return EmissionAccounts(meta=self.meta(notes=notes), regions=t.regions,
                                    sectors=t.sectors, categories=t.fd_categories, arrays=arrays,
                                    region_status=c.region_status)

        return self._memo.get(("accounts",), build)

    def trade(self) -> TradeMatrix:
        """The R × R matrix of CO2 emitted in r for final demand in s, with net transfers."""
        def build() -> TradeMatrix:
            a = self.carbon_arrays()
            c = self.coefficients
            R = a.n_regions
            return TradeMatrix(meta=self.meta(), regions=c.table.regions,
                               matrix=readonly(np.array(a.transfer[:, :R])),
                               for_exports=a.emitted_for_exports, region_status=c.region_status)

        return self._memo.get(("trade",), build)

    def power_sector(self) -> str:
        """The power and heat sector code of the year's sector list (25 or 24)."""
        sectors = self.table.sectors
        code = POWER_SECTOR.get(sectors.list_id)
        if code is None:
            raise UnknownCode(f"no power sector known for the sector list {sectors.list_id or 'custom'!r}",
                              hint="name the power sector explicitly (CLI: --sector)")
        return code

    def electricity_adjusted(self, *, power_sector: str | None = None) -> ElectricityAccounts:
        """Electricity-adjusted CO2 per region: power and heat CO2 reassigned to the users
        of the electricity through the power-sector rows of Z, Y and EX (``docs/math.md``)."""
        code = power_sector or self.power_sector()

        def build() -> ElectricityAccounts:
            c = self.coefficients
            t = c.table
            p = t.sectors.index(code)
            S, R, K = t.n_sectors, t.n_regions, len(t.fd_categories)
            rows = np.arange(R) * S + p
            re = reallocate_electricity(c.F, t.Z, t.Y, t.EX, t.x, rows)
            hh = c.F_Y.reshape(R, K).sum(axis=1)
            adjusted = (re.industry.reshape(R, S).sum(axis=1) + re.final_demand.reshape(R, K).sum(axis=1)
                        + re.exports.reshape(R, S).sum(axis=1) + hh)
            pba = c.F.reshape(R, S).sum(axis=1) + hh
            return ElectricityAccounts(
                meta=self.meta(notes=(Note.of("electricity", sector=code),)),
                regions=t.regions, power_sector=code, production_based=readonly(pba), adjusted=readonly(adjusted),
                by_sector=re.industry, factor=readonly(re.factor * lt.MT_TO_T), region_status=c.region_status)

        return self._memo.get(("electricity", code), build)

    # ------------------------------------------------------------------ nodes
    def _isolated(self, region: str) -> tuple[lt.LeontiefFactor, Arr]:
        """The province's own block as a single-region system, factorised once per region:
        the LU factor of ``I − A_rr`` (``A_rr = Z_rr x̂_r⁻¹``, S × S) and the isolated total
        intensity ``m_r = f_r L_rr`` (S,), t CO2 per 10,000 yuan (Miller & Blair 2009, §2.3, §6.3)."""
        def build() -> tuple[lt.LeontiefFactor, Arr]:
            c = self.coefficients
            b = c.table.region_slice(region)
            fac = lt.factorize(lt.technical_coefficients(c.table.Z[b, b], c.x[b]))
            return fac, lt.multipliers(fac, c.f[b])

        return self._memo.get(("isolated", region), build)

    def _node_values(self, region: str, isolated: bool) -> dict[str, Arr]:
        """Mode-independent node indicator values of one region (S,), shared by the money
        and carbon views (read-only arrays; callers copy the dict before adding to it)."""
        def build() -> dict[str, Arr]:
            return {k: readonly(v) for k, v in self._compute_node_values(region, isolated).items()}

        return self._memo.get(("node_values", region, isolated), build)

    def _compute_node_values(self, region: str, isolated: bool) -> dict[str, Arr]:
        c = self.coefficients
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
            fac, m_iso = self._isolated(region)
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

    def _block(self, region: str, mode: str, isolated: bool) -> Arr:
        if mode not in MODES:
            raise UnknownCode(f"unknown network mode {mode!r}", hint="use one of: " + ", ".join(MODES))

        def build() -> Arr:
            c = self.coefficients
            b = c.table.region_slice(region)
            Zrr = c.table.Z[b, b]
            if mode == "money":
                return readonly(np.array(Zrr))
            m_t = self._isolated(region)[1] if isolated else c.m[b]
            return embodied_flows(m_t / lt.MT_TO_T, Zrr)  # Mt per 10,000 yuan: links in Mt

        return self._memo.get(("block", region, mode, isolated), build)

    def sector_indicators(self, region: str, *, mode: str = "money", isolated: bool = False) -> SectorIndicators:
        """Every node indicator (value, share, rank, percentile) of ``region``'s sectors;
        network metrics from the links of ``mode``; ``isolated`` uses the province's own
        block only (labelled as such)."""
        t = self.table
        r = t.regions.index(region)

        def build() -> SectorIndicators:
            values = dict(self._node_values(region, isolated))
            W = self._block(region, mode, isolated)
            values["in_strength"] = W.sum(axis=0)
            values["out_strength"] = W.sum(axis=1)
            values["pagerank"] = np.array(pagerank(W))
            values["betweenness"] = np.array(betweenness(W))
            flow_unit = "10k_yuan" if mode == "money" else "mt"
            ivs = {code: IndicatorValues.of(code, values[code],
                                            unit=flow_unit if code in ("in_strength", "out_strength") else None)
                   for code in INDICATORS}
            notes = (Note.of("isolated"),) if isolated else ()
            return SectorIndicators(
                meta=self.meta(notes=notes), region=region,
                region_label_en=t.regions.labels_en[r], region_label_zh=t.regions.labels_zh[r],
                status=self.coefficients.region_status[r], sectors=t.sectors, values=ivs,
                isolated=isolated, mode=mode)

        return self._memo.get(("sectors", region, mode, isolated), build)

    def network(self, region: str, *, mode: str = "money", top_percent: float = 5.0,
                keep_top_emitters: int = 0, isolated: bool = False) -> Network:
        """The network of a province-year: node indicators plus the province's block of
        links in ``mode`` with every cell's rank (1 = largest) and each sector's strongest
        link, reduced to the top ``floor(p·S²/100)`` cells (+ the strongest link of each
        top-k emitter not yet visible, flagged)."""
        nodes = self.sector_indicators(region, mode=mode, isolated=isolated)
        W = self._block(region, mode, isolated)
        rank0 = self._memo.get(("rank", region, mode, isolated), lambda: readonly(ranks(W) - 1))
        strongest = self._memo.get(("strongest", region, mode, isolated), lambda: strongest_links(W))
        co2 = np.nan_to_num(nodes["co2"].value, nan=-np.inf)
        pruned = prune_edges(W, top_percent=top_percent, emissions=co2,
                             keep_top_emitters=int(keep_top_emitters))
        notes: tuple[Note, ...] = (Note.of("isolated"),) if isolated else ()
        notes += (Note.of(f"mode_{mode}"),)
        return Network(meta=self.meta(notes=notes), region=region, mode=mode,
                       unit="10k_yuan" if mode == "money" else "mt", isolated=isolated,
                       top_percent=float(top_percent), keep_top_emitters=int(keep_top_emitters),
                       nodes=nodes, block=W, rank=rank0, pruned=pruned, strongest=strongest)

    def region_indicators(self) -> RegionIndicators:
        """Region totals (additive indicators) and ratios (intensity, multiplier) of the year."""
        def build() -> RegionIndicators:
            c = self.coefficients
            t = c.table
            R, S, K = t.n_regions, t.n_sectors, len(t.fd_categories)
            a = self.carbon_arrays()
            out = {code: np.full(R, np.nan) for code in INDICATORS}
            out["output"] = t.x.reshape(R, S).sum(axis=1)
            out["value_added"] = t.V.sum(axis=0).reshape(R, S).sum(axis=1)
            out["imports"] = t.IM.reshape(R, S).sum(axis=1)
            out["exports"] = t.EX.reshape(R, S).sum(axis=1)
            out["final_use"] = t.Y.sum(axis=1).reshape(R, S).sum(axis=1)
            if "IMP" in t.fd_categories.codes:
                # competitive imports (NBS 2015), as for the nodes: imports are −IMP, final
                # use is domestic use without them
                imp_cols = np.arange(R) * K + t.fd_categories.index("IMP")
                out["imports"] = -t.Y[:, imp_cols].sum(axis=1).reshape(R, S).sum(axis=1)
                out["final_use"] = out["final_use"] + out["imports"]
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
            acc = self.accounts()
            return RegionIndicators(meta=self.meta(), regions=t.regions,
                                    values={k: readonly(v) for k, v in out.items()}, region_status=c.region_status,
                                    production_based=tuple(acc.production_based),
                                    consumption_based=a.consumption_based)

        return self._memo.get(("regions",), build)

    # ------------------------------------------------------------------ structural analyses
    def scope(self, *, region: str | None = None, isolated: bool = False) -> Scope:
        """The scope of a structural analysis: the full MRIO's (its ``x = L y`` and
        ``m = e L`` solves once per year, on the cached factor) or a province block's."""
        if isolated:
            return self._memo.get(("scope", region), lambda: make_scope(self.resolved.system, region=region,
                                                                       isolated=True))
        if region is not None:
            self.table.regions.index(region)  # validate early (UnknownCode names the allowed values)
        c = self.coefficients
        return self._memo.get(("scope", None), lambda: make_scope(self.resolved.system, region=None,
                                                                 isolated=False, A=c.A, factor=c.factor))

    def _label(self, result: T) -> T:
        """Name the dataset and use the catalog's citation (table + linked inventory)."""
        info = self.resolved.dataset
        return replace(result, dataset=info.name,  # type: ignore[type-var]
                       citation=info.citation or result.citation,  # type: ignore[attr-defined]
                       synthetic=bool(info.synthetic or result.synthetic))  # type: ignore[attr-defined]

    def key_sectors(self, *, region: str | None = None, isolated: bool = False, threshold: float = 1.0,
                    lang: str | None = None) -> KeySectorResult:
        """Normalised backward/forward linkages and key-sector quadrants (:mod:`.keysectors`)."""
        sc = self.scope(region=region, isolated=isolated)
        c = self.coefficients
        res = key_sectors_on(self.resolved.system, sc, region=region, threshold=threshold, lang=lang,
                             linkages=None if isolated else (c.backward, c.forward))
        return self._label(res)

    def extract(self, *, region: str | None = None, sector: str | None = None,
                mode: ExtractMode = "complete", isolated: bool = False,
                lang: str | None = None) -> ExtractionResult:
        """Hypothetical extraction (:mod:`.extraction`)."""
        if mode not in EXTRACTION_MODES:
            raise DataError(f"unknown extraction mode {mode!r}", hint="use one of: " + ", ".join(EXTRACTION_MODES))
        sc = self.scope(region=region, isolated=isolated)
        return self._label(extract_on(self.resolved.system, sc, region=region, sector=sector, mode=mode,
                                      lang=lang))

    def children(self, *, region: str | None = None, isolated: bool = False) -> SortedChildren:
        """The SPA children table of the year (or of a province block), built once."""
        sc = self.scope(region=region, isolated=isolated)
        return self._memo.get(("children", region if isolated else None), lambda: sorted_children(sc.A, sc.m))

    def spa(self, *, region: str | None, sector: str | None = None, isolated: bool = False,
            depth: int = 6, threshold: float = 1e-4, threshold_mt: float | None = None,
            top: int = 50, lang: str | None = None) -> SPAResult:
        """The top supply-chain paths by CO2 behind a province's footprint or a
        region-sector's final demand (:mod:`.spa`)."""
        if region is None:
            raise DataError("structural path analysis needs a target region",
                            hint="pass --region (its footprint) and optionally --sector")
        check_spa_options(depth, top)
        ch = self.children(region=region, isolated=isolated)
        sc = self.scope(region=region, isolated=isolated)
        res = spa_on(self.resolved.system, sc, region=region, sector=sector, depth=depth, threshold=threshold,
                     threshold_mt=threshold_mt, top=top, children=ch, max_nodes=SPA_MAX_NODES, lang=lang)
        return self._label(res)
