"""Pure view-model functions: analysis results (as plain, labelled inputs) → JSON dicts.

No I/O, no analysis calls, no state: every function takes the figures ``analysis`` computed
(wrapped in the small frozen records below by :mod:`viscarbon.web.source`) and returns
JSON-ready dicts (``str``/``int``/``float``/``None``/lists). The JSON shapes are documented
in docs/api.md. The only arithmetic here is presentation: ordering cells for the client's
pruning, filtering table rows, differences of two sides, shares of a total.

Units: money in 10,000 yuan (万元, ``10k_yuan``), CO2 in Mt (``mt``), intensities in t CO2
per 10,000 yuan (``t_per_10k_yuan``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc import network
from viscarbon.classification import families, label, region, regions, sectors
from viscarbon.i18n import has_key, normalize_lang, t

__all__ = [
    "TILES",
    "UNIT_KEYS",
    "DatasetMeta",
    "IndicatorSpec",
    "IndicatorStat",
    "InventoryFacts",
    "LinkBlock",
    "ProvinceYear",
    "RegionTable",
    "TradeFacts",
    "Trend",
    "compare_payload",
    "download_table",
    "emitter_order",
    "flows_payload",
    "honesty",
    "inventory_meta",
    "inventory_payload",
    "inventory_trend_payload",
    "meta_payload",
    "network_payload",
    "num",
    "provinces_payload",
    "prune_cells",
    "rank_cells",
    "reconciliation_block",
    "sectors_payload",
    "strongest_links",
    "trade_payload",
    "trends_payload",
    "view_payload",
]

Arr = NDArray[np.float64]
JSON = dict[str, Any]

#: unit code → catalog key of its label (common namespace).
UNIT_KEYS: Final = {
    "10k_yuan": "common.unit.10k_yuan",
    "100m_yuan": "common.unit.100m_yuan",
    "mt": "common.unit.mt_co2",
    "t_per_10k_yuan": "common.unit.t_per_10k_yuan",
    "dimensionless": "common.unit.dimensionless",
}

#: Tile-grid map of China: region code → (row, column); one tile per province, roughly
#: where it lies (north at the top). No boundary data needed.
TILES: Final[Mapping[str, tuple[int, int]]] = {
    "HL": (0, 7),
    "NM": (1, 4), "BJ": (1, 5), "LN": (1, 6), "JL": (1, 7),
    "XJ": (2, 0), "NX": (2, 2), "SX": (2, 3), "HE": (2, 4), "TJ": (2, 5),
    "QH": (3, 1), "GS": (3, 2), "SN": (3, 3), "HA": (3, 4), "SD": (3, 5),
    "XZ": (4, 0), "SC": (4, 2), "CQ": (4, 3), "HB": (4, 4), "AH": (4, 5), "JS": (4, 6),
    "GZ": (5, 2), "HN": (5, 3), "JX": (5, 4), "ZJ": (5, 5), "SH": (5, 6),
    "YN": (6, 2), "GX": (6, 3), "GD": (6, 4), "FJ": (6, 5),
    "HI": (7, 4),
}

RECONCILIATION_RTOL: Final = 1e-3


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """An indicator of the registry: unit code, catalog key of its name, direction;
    ``carbon`` when it needs the CO2 inventory; ``additive`` when shares of a total mean
    something (output, CO2 …; not intensities, multipliers, linkages, centralities)."""

    code: str
    unit: str
    label_key: str
    direction: str = ""
    carbon: bool = False
    additive: bool = True


@dataclass(frozen=True, slots=True)
class DatasetMeta:
    """A dataset as the sidebar shows it."""

    name: str
    kind: str
    years: tuple[int, ...]
    regions: tuple[str, ...]
    sector_list: str
    synthetic: bool
    citation: str
    inventory_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class IndicatorStat:
    """One indicator over the S sectors of a province: value, share, rank (1 = largest),
    percentile (0-100), each (S,); NaN marks an unknown value (shown as ``null``)."""

    code: str
    value: Arr
    share: Arr | None
    rank: NDArray[np.int64]
    percentile: Arr


@dataclass(frozen=True)
class LinkBlock:
    """The S × S flows of a province's own block in one mode (row = supplier)."""

    mode: str
    unit: str
    values: Arr
    #: 0-based rank per cell and strongest cell per node, when analysis already has them
    rank: NDArray[np.int64] | None = None
    strongest: Sequence[int | None] | None = None


@dataclass(frozen=True)
class ProvinceYear:
    """Everything one province-year view shows, as computed by ``analysis``."""

    dataset: DatasetMeta
    year: int
    region: str
    sector_list: str
    sectors: tuple[str, ...]
    status: str  # reported | missing | imputed
    indicators: Mapping[str, IndicatorStat]
    links: Mapping[str, LinkBlock | None]
    reconciliation: Mapping[str, float | None] | None = None
    #: notes per language (``en``, ``zh-Hans``): catalog notes rendered in each, then the
    #: notes carried by the data (import/harmonization text)
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    isolated: bool = False
    #: network metrics (strengths, PageRank, betweenness) recomputed on another link mode
    mode_indicators: Mapping[str, Mapping[str, IndicatorStat]] = field(default_factory=dict)


@dataclass(frozen=True)
class RegionTable:
    """Region-level figures of one dataset-year: indicator code → (R,) values (NaN unknown)."""

    regions: tuple[str, ...]
    status: tuple[str, ...]
    values: Mapping[str, Arr]
    production_mt: Arr
    consumption_mt: Arr


@dataclass(frozen=True)
class TradeFacts:
    """``matrix[r, s]``: CO2 emitted in r for final demand in s (Mt); electricity-adjusted
    production-based CO2 per region (Mt); ``for_exports_mt[r]``: emitted in r for foreign
    exports (Mt; None when not known)."""

    regions: tuple[str, ...]
    matrix: Arr
    production_mt: Arr
    electricity_adjusted_mt: Arr
    status: tuple[str, ...] = ()
    for_exports_mt: Arr | None = None


@dataclass(frozen=True)
class Trend:
    """Values of S sectors (rows) over years (columns); NaN unknown."""

    years: tuple[int, ...]
    codes: tuple[str, ...]
    values: Arr
    unit: str
    total: Arr | None = None
    available: bool = True
    note: str | None = None
    sector_list: str = "io42_2012"
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InventoryFacts:
    """An inventory-only dataset's figures for one region (Mt CO2): ``by_sector`` (Y × S,
    the inventory sectors, 46/47 households), ``by_column`` (Y × C fuel columns),
    ``totals`` (Y,); every region's totals per year (``province_totals``, Y × R). NaN
    where a year has no sheet for the region."""

    dataset: DatasetMeta
    region: str
    years: tuple[int, ...]
    sectors: tuple[str, ...]
    columns: tuple[str, ...]
    by_sector: Arr
    by_column: Arr
    totals: Arr
    province_regions: tuple[str, ...]
    province_totals: Arr


# --------------------------------------------------------------------------- helpers
def num(x: object) -> float | None:
    """A JSON number, ``None`` for NaN/inf/None (unknown is never shown as 0)."""
    if x is None:
        return None
    v = float(x)  # type: ignore[arg-type]
    return v if math.isfinite(v) else None


def _nums(a: Arr | Sequence[float]) -> list[float | None]:
    arr = np.asarray(a, dtype=np.float64)
    if np.isfinite(arr).all():
        out: list[float | None] = arr.tolist()
        return out
    return [v if math.isfinite(v) else None for v in arr.tolist()]


def unit_labels(codes: Sequence[str], lang: str) -> dict[str, str]:
    """Unit code → localised label for the given codes (unknown codes kept as they are)."""
    return {c: (t(UNIT_KEYS[c], lang) if c in UNIT_KEYS else c) for c in dict.fromkeys(codes)}


def honesty(ds: DatasetMeta, lang: str, *, units: Sequence[str] = ()) -> JSON:
    """The block every data payload carries: dataset, synthetic, banner, citation, units."""
    lang = normalize_lang(lang)
    return {
        "dataset": ds.name,
        "synthetic": ds.synthetic,
        "banner": t("common.synthetic_demo", lang) if ds.synthetic else None,
        "citation": ds.citation,
        "units": unit_labels(list(units) or list(UNIT_KEYS), lang),
        "lang": lang,
        "single_region": len(ds.regions) == 1,
        "scope_note": scope_note(ds, lang),
    }


def _sector_labels(list_id: str, codes: Sequence[str], lang: str) -> dict[str, tuple[str, str, str]]:
    """code → (name, short name, family) for a known list; codes as labels otherwise."""
    try:
        known = {s.code: s for s in sectors(list_id)}
    except KeyError:
        known = {}
    out = {}
    for c in codes:
        s = known.get(c)
        out[c] = (s.name(lang), s.name(lang, short=True), s.family) if s else (c, c, "")
    return out


def _colour(family_code: str) -> str:
    for f in families():
        if f.code == family_code:
            return f.colour
    return "#999999"


#: Regions of national (single-region) tables, labelled through the catalogs.
NATIONAL_REGIONS: Final = ("CN",)


def _region_label(code: str, lang: str) -> str:
    if code in NATIONAL_REGIONS:
        return t(f"inventory.region.{code}", lang)
    try:
        return region(code).name(lang)
    except KeyError:
        return code


def scope_note(ds: DatasetMeta, lang: str) -> str | None:
    """For a single-region dataset (a national table such as NBS, region ``CN``): why the
    maps and the R × R trade views show one region; None for multi-regional datasets."""
    if len(ds.regions) != 1:
        return None
    return t("api.single_region.note", lang, dataset=ds.name, region=_region_label(ds.regions[0], lang),
             code=ds.regions[0])


def status_note(status: str, region_code: str, lang: str) -> str | None:
    """Why a region is greyed (``missing``) or flagged (``imputed``); None when reported."""
    if status == "missing":
        return t("api.status.missing", lang, region=_region_label(region_code, lang))
    if status == "imputed":
        return t("api.status.imputed", lang, region=_region_label(region_code, lang))
    return None


def _fmt(x: float | None, lang: str) -> str:
    return t("api.reconciliation.na", lang) if x is None else f"{x:,.2f}"


def reconciliation_block(rec: Mapping[str, float | None] | None, region_code: str, lang: str) -> JSON | None:
    """Inventory total, mapped total, MRIO CO2-row total (Mt) of one region, their largest
    difference and a localised note when they disagree by more than 0.1 %."""
    if rec is None:
        return None
    inv = num(rec.get("inventory_mt"))
    mapped = num(rec.get("mapped_mt"))
    mrio = num(rec.get("mrio_co2_mt"))
    known = [v for v in (inv, mapped, mrio) if v is not None]
    diff = (max(known) - min(known)) if len(known) >= 2 else None
    note = None
    if diff is not None and diff > RECONCILIATION_RTOL * max(abs(v) for v in known):
        ref = inv if inv else max(abs(v) for v in known)
        pct = 100.0 * diff / ref if ref else float("nan")
        note = t("api.reconciliation.note", lang, region=_region_label(region_code, lang),
                 inventory=_fmt(inv, lang), mapped=_fmt(mapped, lang), mrio=_fmt(mrio, lang),
                 diff=f"{diff:,.2f}", pct=f"{pct:.1f}")
    return {"inventory_mt": inv, "mapped_mt": mapped, "mrio_co2_mt": mrio,
            "difference_mt": diff, "note": note}


# --------------------------------------------------------------------------- cells
def rank_cells(values: Arr) -> NDArray[np.int64]:
    """0-based rank of every cell of an S × S block, row-major: descending value, ties by
    row, then column — the order of the network's edge reduction
    (:func:`viscarbon.calc.network.ranks` minus one)."""
    out: NDArray[np.int64] = np.asarray(network.ranks(values), dtype=np.int64).ravel() - 1
    return out


def strongest_links(values: Arr) -> list[int | None]:
    """Per node k, the flat cell (``i·S + j``) of its strongest incident link, as the
    network's edge reduction uses it (:func:`viscarbon.calc.network.strongest_links`:
    self-flows excluded unless they are the node's only link); None for a node without
    flows."""
    return [int(c) if c >= 0 else None for c in network.strongest_links(values).tolist()]


def emitter_order(co2: Arr) -> list[int | None]:
    """1-based emitter rank of each sector (ties by position); None where CO2 is unknown."""
    v = np.asarray(co2, dtype=np.float64)
    if not np.isfinite(v).all():
        return [None] * v.size
    return [int(r) for r in network.ranks(v).tolist()]


def prune_cells(values: Arr, *, top: float, co2: Arr | None, keep: int) -> list[tuple[int, bool]]:
    """The pruning the client does with a view bundle, done here the same way as
    ``/api/network`` (:func:`viscarbon.calc.network.prune_edges`): returns
    ``(cell, kept_for_emitter)`` in order. Used by tests and the static export checks."""
    kept = network.prune_edges(values, top_percent=top, emissions=co2,
                               keep_top_emitters=keep if co2 is not None else 0)
    return [(int(c), bool(a)) for c, a in zip(kept.cells.tolist(), kept.added.tolist(), strict=True)]


# --------------------------------------------------------------------------- meta
def meta_payload(
    datasets: Sequence[DatasetMeta],
    indicators: Sequence[IndicatorSpec],
    *,
    lang: str,
    version: str,
    generation: str,
    defaults: Mapping[str, object],
    inventories: Sequence[DatasetMeta] = (),
) -> JSON:
    """``/api/meta``: datasets, regions (with tiles), sector lists, indicators, families,
    modes, units; the honesty block of the default (first) dataset; ``inventories``: the
    inventory-only datasets (:func:`inventory_meta`), a list apart from the IO datasets."""
    lang = normalize_lang(lang)
    lists = sorted({d.sector_list for d in datasets} | {"io42_2012"})
    sector_lists: dict[str, list[JSON]] = {}
    for list_id in lists:
        try:
            sector_lists[list_id] = [
                {"code": s.code, "label": s.name(lang), "short": s.name(lang, short=True),
                 "family": s.family}
                for s in sectors(list_id)
            ]
        except KeyError:
            continue
    out: JSON = {
        "lang": lang,
        "version": version,
        "generation": generation,
        "defaults": dict(defaults),
        "datasets": [
            {"name": d.name, "kind": d.kind, "years": list(d.years),
             "inventory_years": list(d.inventory_years), "regions": list(d.regions),
             "sector_list": d.sector_list, "synthetic": d.synthetic,
             "banner": t("common.synthetic_demo", lang) if d.synthetic else None,
             "citation": d.citation, "single_region": len(d.regions) == 1,
             "scope_note": scope_note(d, lang)}
            for d in datasets
        ],
        "regions": [
            *({"code": r.code, "label": r.name(lang), "label_en": r.name_en, "label_zh": r.name_zh_hans,
               "option": f"{r.code}:{r.name(lang)}", "tile": list(TILES[r.code])}
              for r in regions()),
            *({"code": c, "label": _region_label(c, lang), "label_en": _region_label(c, "en"),
               "label_zh": _region_label(c, "zh-Hans"), "option": f"{c}:{_region_label(c, lang)}",
               "tile": None, "national": True}
              for c in NATIONAL_REGIONS if any(c in d.regions for d in datasets)),
        ],
        "sectors": sector_lists,
        "indicators": [
            {"code": s.code, "label": t(s.label_key, lang), "unit": s.unit,
             "unit_label": unit_labels([s.unit], lang)[s.unit], "direction": s.direction,
             "carbon": s.carbon, "additive": s.additive}
            for s in indicators
        ],
        "families": [
            {"code": f.code, "label": label("family", f.code, lang), "colour": f.colour}
            for f in families()
        ],
        "modes": [
            {"code": "money", "label": t("api.mode.money", lang), "unit": "10k_yuan"},
            {"code": "carbon", "label": t("api.mode.carbon", lang), "unit": "mt"},
        ],
        "tables": ["sectors", "flows", "provinces", "trade"],
        "formats": ["csv", "xlsx"],
        "inventories": [inventory_meta(d, lang) for d in inventories],
    }
    out.update(honesty(datasets[0], lang))
    return out


# --------------------------------------------------------------------------- inventory
def inventory_meta(ds: DatasetMeta, lang: str) -> JSON:
    """An inventory-only dataset as ``/api/meta`` lists it under ``inventories``."""
    lang = normalize_lang(lang)
    return {"name": ds.name, "kind": ds.kind, "years": list(ds.years), "regions": list(ds.regions),
            "inventory_only": True, "sector_list": ds.sector_list, "synthetic": ds.synthetic,
            "banner": t("common.synthetic_demo", lang) if ds.synthetic else None,
            "citation": ds.citation, "single_region": len(ds.regions) == 1, "scope_note": None}


def _text(key: str, fallback: str, lang: str) -> str:
    """The catalog text of ``key``, or ``fallback`` (the code) for a code without one."""
    return t(key, lang) if has_key(key) else fallback


def _rows(a: Arr) -> list[list[float | None]]:
    return [_nums(row) for row in np.asarray(a, dtype=np.float64)]


def inventory_payload(facts: InventoryFacts, *, lang: str) -> JSON:
    """``/api/inventory``: CO2 of one region by inventory sector and by fuel column over
    the inventory years, its totals, households (rows 46 Urban, 47 Rural) and every
    region's totals per year (Mt CO2). ``values[y][s]``, ``fuel_mix[y][c]``,
    ``provinces.totals[y][r]``; ``null`` for a year without the region (never 0)."""
    lang = normalize_lang(lang)
    ds = facts.dataset
    out: JSON = {"key": f"inventory/{ds.name}/{facts.region}", "kind": ds.kind, "inventory_only": True,
                 "region": facts.region, "region_label": _region_label(facts.region, lang),
                 "unit": "mt", "years": list(facts.years)}
    out.update(honesty(ds, lang, units=["mt"]))
    out["sectors"] = [{"code": c, "label": _text(f"inventory.sector.{c}", c, lang),
                       "short": _text(f"inventory.sector_short.{c}", c, lang), "household": c in ("46", "47")}
                      for c in facts.sectors]
    out["fuels"] = [{"code": c, "label": _text(f"inventory.fuel.{c}", c, lang)} for c in facts.columns]
    out["values"] = _rows(facts.by_sector)
    out["fuel_mix"] = _rows(facts.by_column)
    out["totals"] = _nums(facts.totals)
    idx = {c: k for k, c in enumerate(facts.sectors)}
    out["households"] = {"urban": _nums(facts.by_sector[:, idx["46"]]) if "46" in idx else [],
                         "rural": _nums(facts.by_sector[:, idx["47"]]) if "47" in idx else []}
    out["provinces"] = {
        "regions": [{"code": c, "label": _region_label(c, lang)} for c in facts.province_regions],
        "totals": _rows(facts.province_totals),
    }
    absent = [y for y, v in zip(facts.years, facts.totals.tolist(), strict=True) if not math.isfinite(v)]
    out["note"] = t("api.inventory.years_missing", lang, region=_region_label(facts.region, lang),
                    years=", ".join(map(str, absent))) if absent else None
    out["missing_regions"] = [{"code": r.code, "label": r.name(lang)} for r in regions()
                              if r.code not in facts.province_regions]
    out["missing_note"] = (t("api.inventory.regions_absent", lang, regions=", ".join(
        x["label"] for x in out["missing_regions"])) if out["missing_regions"] else None)
    return out


# --------------------------------------------------------------------------- view
def _header(py: ProvinceYear, lang: str, key: str) -> JSON:
    out: JSON = {"key": key, "year": py.year, "region": py.region}
    out.update(honesty(py.dataset, lang))
    out["title"] = {"region": _region_label(py.region, lang), "region_code": py.region,
                    "year": py.year, "dataset": py.dataset.name}
    out["status"] = py.status
    out["status_note"] = status_note(py.status, py.region, lang)
    out["isolated"] = py.isolated
    if py.isolated:
        out["isolated_note"] = t("api.isolated.note", lang)
    return out


def _emitter_ranks(py: ProvinceYear) -> list[int | None]:
    co2 = py.indicators.get("co2")
    if co2 is None:
        return [None] * len(py.sectors)
    return emitter_order(co2.value)


def _node_stats(stats: Mapping[str, IndicatorStat], specs: Sequence[IndicatorSpec], i: int) -> JSON:
    out: JSON = {}
    for spec in specs:
        stat = stats.get(spec.code)
        if stat is None:
            continue
        value = num(stat.value[i])
        out[spec.code] = {
            "value": value,
            "share": num(stat.share[i]) if (stat.share is not None and value is not None) else None,
            "rank": int(stat.rank[i]) if value is not None else None,
            "percentile": num(stat.percentile[i]) if value is not None else None,
        }
    return out


def view_payload(py: ProvinceYear, specs: Sequence[IndicatorSpec], *, lang: str) -> JSON:
    """``/api/view``: one province-year bundle (nodes with every indicator; both link
    modes as flat row-major S² arrays with the rank of each cell)."""
    lang = normalize_lang(lang)
    key = f"view/{py.dataset.name}/{py.year}/{py.region}"
    out = _header(py, lang, key)
    out["reconciliation"] = reconciliation_block(py.reconciliation, py.region, lang)
    out["notes"] = list(py.notes.get(lang, ()))
    S = len(py.sectors)
    out["S"] = S
    out["sectors"] = list(py.sectors)
    names = _sector_labels(py.sector_list, py.sectors, lang)
    emitter = _emitter_ranks(py)
    strongest: dict[str, list[int | None]] = {}
    links: JSON = {}
    for mode in ("money", "carbon"):
        block = py.links.get(mode)
        if block is None:
            links[mode] = None
            strongest[mode] = [None] * S
            continue
        flat = np.asarray(block.values, dtype=np.float64).ravel()
        rank = block.rank if block.rank is not None else rank_cells(block.values)
        links[mode] = {"unit": block.unit, "values": _nums(flat), "rank": np.asarray(rank).ravel().tolist(),
                       "total": num(np.nansum(flat))}
        strongest[mode] = list(block.strongest) if block.strongest is not None else strongest_links(block.values)
    nodes = []
    for i, code in enumerate(py.sectors):
        name, short, fam = names[code]
        node: JSON = {"code": code, "label": name, "short": short, "family": fam,
                      "colour": _colour(fam), "indicators": {}}
        node["indicators"] = _node_stats(py.indicators, specs, i)
        node["by_mode"] = {mode: _node_stats(stats, specs, i) for mode, stats in py.mode_indicators.items()}
        output = py.indicators.get("output")
        node["empty"] = bool(output is not None and num(output.value[i]) == 0.0)
        node["emitter_rank"] = emitter[i]
        node["strongest"] = {}
        for mode, cells in strongest.items():
            c = cells[i]
            block = py.links.get(mode)
            if c is None or block is None:
                node["strongest"][mode] = None
            else:
                node["strongest"][mode] = {"source": py.sectors[c // S], "target": py.sectors[c % S],
                                           "value": num(block.values.ravel()[c]), "cell": c}
        nodes.append(node)
    out["nodes"] = nodes
    out["links"] = links
    out["units"] = unit_labels([*(s.unit for s in specs), "10k_yuan", "mt"], lang)
    return out


def network_payload(py: ProvinceYear, edges: Sequence[Mapping[str, object]], *, mode: str,
                    top: float, keep: int, lang: str) -> JSON:
    """``/api/network``: the pruned edges as ``analysis`` returns them (records with
    source, target, value, share, rank, percentile, kept_for_emitter)."""
    lang = normalize_lang(lang)
    S = len(py.sectors)
    key = f"network/{py.dataset.name}/{py.year}/{py.region}/{mode}/{top:g}/{keep}"
    out = _header(py, lang, key)
    block = py.links.get(mode)
    unit = block.unit if block is not None else ("mt" if mode == "carbon" else "10k_yuan")
    out.update({
        "mode": mode, "top": top, "keep": keep, "n_top": math.floor(top * S * S / 100.0 + 1e-9),
        "unit": unit, "units": unit_labels([unit], lang), "nodes": list(py.sectors),
        "edges": [
            {"source": str(e["source"]), "target": str(e["target"]), "value": num(e["value"]),
             "share": num(e.get("share")), "rank": int(e["rank"]),  # type: ignore[call-overload]
             "percentile": num(e.get("percentile")),
             "kept_for_emitter": bool(e.get("kept_for_emitter", False))}
            for e in edges
        ],
    })
    out["edge_count"] = len(out["edges"])
    return out


def sectors_payload(py: ProvinceYear, specs: Sequence[IndicatorSpec], *, lang: str) -> JSON:
    """``/api/sectors``: one row per sector; columns ``<code>``, ``<code>_share``,
    ``<code>_rank``, ``<code>_percentile`` for every indicator."""
    lang = normalize_lang(lang)
    out = _header(py, lang, f"sectors/{py.dataset.name}/{py.year}/{py.region}")
    names = _sector_labels(py.sector_list, py.sectors, lang)
    used = [s for s in specs if s.code in py.indicators]
    out["columns"] = [
        {"key": s.code, "label": t(s.label_key, lang), "unit": s.unit,
         "unit_label": unit_labels([s.unit], lang)[s.unit]}
        for s in used
    ]
    rows = []
    for i, code in enumerate(py.sectors):
        name, _short, fam = names[code]
        row: JSON = {"code": code, "label": name, "family": fam}
        for s in used:
            stat = py.indicators[s.code]
            v = num(stat.value[i])
            row[s.code] = v
            row[f"{s.code}_share"] = num(stat.share[i]) if (stat.share is not None and v is not None) else None
            row[f"{s.code}_rank"] = int(stat.rank[i]) if v is not None else None
            row[f"{s.code}_percentile"] = num(stat.percentile[i]) if v is not None else None
        rows.append(row)
    out["rows"] = rows
    out["units"] = unit_labels([s.unit for s in used], lang)
    return out


def flows_payload(py: ProvinceYear, *, mode: str, lang: str, source: str | None = None,
                  target: str | None = None, intra: str = "all", minimum: float = 0.0,
                  limit: int = 2000) -> JSON:
    """``/api/flows``: the province block's non-zero flows in ``mode``, largest first,
    filtered by supplying sector, using sector, intra-sector flag and a minimum value."""
    lang = normalize_lang(lang)
    out = _header(py, lang, f"flows/{py.dataset.name}/{py.year}/{py.region}/{mode}")
    block = py.links.get(mode)
    unit = block.unit if block is not None else ("mt" if mode == "carbon" else "10k_yuan")
    out.update({"mode": mode, "unit": unit, "units": unit_labels([unit], lang),
                "filters": {"from": source, "to": target, "intra": intra, "min": minimum}})
    if block is None:
        out.update({"edge_count": 0, "returned": 0, "rows": []})
        return out
    S = len(py.sectors)
    values = np.asarray(block.values, dtype=np.float64)
    flat = values.ravel()
    total = float(np.nansum(flat))
    rank = np.asarray(block.rank).ravel() if block.rank is not None else rank_cells(values)
    names = _sector_labels(py.sector_list, py.sectors, lang)
    mask = np.isfinite(flat) & (flat != 0) & (flat >= minimum)
    rows_idx, cols_idx = np.divmod(np.arange(S * S), S)
    if source is not None:
        mask &= rows_idx == py.sectors.index(source)
    if target is not None:
        mask &= cols_idx == py.sectors.index(target)
    if intra == "exclude":
        mask &= rows_idx != cols_idx
    elif intra == "only":
        mask &= rows_idx == cols_idx
    cells = np.flatnonzero(mask)
    cells = cells[np.argsort(rank[cells], kind="stable")]
    rows = []
    for c in cells[:limit].tolist():
        i, j = divmod(c, S)
        v = float(flat[c])
        rows.append({"source": py.sectors[i], "source_label": names[py.sectors[i]][0],
                     "target": py.sectors[j], "target_label": names[py.sectors[j]][0],
                     "value": v, "share": v / total if total else None, "rank": int(rank[c]),
                     "intra": i == j})
    out.update({"edge_count": int(cells.size), "returned": len(rows), "rows": rows})
    return out


# --------------------------------------------------------------------------- regions
def _ranks_desc(values: Arr) -> list[int | None]:
    """1-based rank by descending value among known values (ties by position)."""
    v = np.asarray(values, dtype=np.float64)
    known = np.flatnonzero(np.isfinite(v))
    order = known[np.lexsort((known, -v[known]))]
    out: list[int | None] = [None] * v.size
    for r, i in enumerate(order.tolist(), start=1):
        out[i] = r
    return out


def provinces_payload(ds: DatasetMeta, year: int, table: RegionTable, spec: IndicatorSpec,
                      *, lang: str) -> JSON:
    """``/api/provinces``: every region's value of one indicator, production- vs
    consumption-based CO2 (Mt), status and tile position."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"provinces/{ds.name}/{year}/{spec.code}", "year": year,
                 "indicator": spec.code, "indicator_label": t(spec.label_key, lang), "unit": spec.unit}
    out.update(honesty(ds, lang, units=[spec.unit, "mt"]))
    values = np.asarray(table.values[spec.code], dtype=np.float64)
    ranks = _ranks_desc(values)
    rows = []
    for i, code in enumerate(table.regions):
        status = table.status[i] if table.status else "reported"
        rows.append({
            "code": code, "label": _region_label(code, lang), "value": num(values[i]),
            "rank": ranks[i], "status": status, "status_note": status_note(status, code, lang),
            "production_mt": num(table.production_mt[i]), "consumption_mt": num(table.consumption_mt[i]),
            "tile": list(TILES[code]) if code in TILES else None,
        })
    out["rows"] = rows
    return out


def trade_payload(ds: DatasetMeta, year: int, facts: TradeFacts, *, region_code: str | None,
                  lang: str, n_partners: int = 10) -> JSON:
    """``/api/trade``: the R × R matrix of CO2 emitted in r for final demand in s, each
    region's net transfer (Σ_s M[s, r] − Σ_s M[r, s], off-diagonal), the selected region's
    top partners and the electricity-adjusted accounts (Mt)."""
    lang = normalize_lang(lang)
    key = f"trade/{ds.name}/{year}" + (f"/{region_code}" if region_code else "")
    out: JSON = {"key": key, "year": year, "region": region_code, "unit": "mt"}
    out.update(honesty(ds, lang, units=["mt"]))
    M = np.asarray(facts.matrix, dtype=np.float64)
    codes = facts.regions
    off = M.copy()
    np.fill_diagonal(off, 0.0)
    inflow = np.nansum(off, axis=0)  # emitted elsewhere for r's final demand
    outflow = np.nansum(off, axis=1)  # emitted in r for others
    out["regions"] = list(codes)
    out["labels"] = [_region_label(c, lang) for c in codes]
    out["status"] = list(facts.status) if facts.status else ["reported"] * len(codes)
    out["matrix"] = [_nums(row) for row in M]
    out["net_transfer"] = [{"code": c, "value": num(inflow[i] - outflow[i]),
                            "inflow": num(inflow[i]), "outflow": num(outflow[i])}
                           for i, c in enumerate(codes)]
    partners = None
    if region_code is not None:
        r = codes.index(region_code)

        def top(vec: Arr) -> list[JSON]:
            idx = [i for i in range(len(codes)) if i != r and np.isfinite(vec[i])]
            idx.sort(key=lambda i: (-vec[i], i))
            return [{"code": codes[i], "label": _region_label(codes[i], lang), "value": float(vec[i])}
                    for i in idx[:n_partners]]

        partners = {"region": region_code, "emitted_for_others": top(M[r, :]),
                    "others_emit_for": top(M[:, r])}
    out["partners"] = partners
    exports = (np.asarray(facts.for_exports_mt, dtype=np.float64) if facts.for_exports_mt is not None
               else np.full(len(codes), np.nan))
    out["for_exports"] = [{"code": c, "value": num(exports[i])} for i, c in enumerate(codes)]
    out["note"] = (t("api.single_region.trade", lang, region=_region_label(codes[0], lang),
                     exports=_fmt(num(exports[0]), lang)) if len(codes) == 1 else None)
    out["electricity"] = [
        {"code": c, "production_mt": num(facts.production_mt[i]),
         "adjusted_mt": num(facts.electricity_adjusted_mt[i]),
         "difference_mt": num(facts.electricity_adjusted_mt[i] - facts.production_mt[i])}
        for i, c in enumerate(codes)
    ]
    return out


# --------------------------------------------------------------------------- trends
def _series(trend: Trend, lang: str, top: int) -> list[JSON]:
    names = _sector_labels(trend.sector_list, trend.codes, lang)
    V = np.asarray(trend.values, dtype=np.float64)
    last = V[:, -1] if V.size else np.zeros(len(trend.codes))
    key = np.where(np.isfinite(last), last, -np.inf)
    order = np.lexsort((np.arange(len(trend.codes)), -key))
    if top > 0:
        order = order[:top]
    return [{"code": trend.codes[i], "label": names[trend.codes[i]][0],
             "family": names[trend.codes[i]][2], "values": _nums(V[i])} for i in order.tolist()]


def trends_payload(ds: DatasetMeta, region_code: str, spec: IndicatorSpec, trend: Trend, *,
                   top: int, lang: str) -> JSON:
    """``/api/trends``: the top N sectors (by their last-year value) over the MRIO years."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"trends/{ds.name}/{region_code}/{spec.code}", "region": region_code,
                 "indicator": spec.code, "indicator_label": t(spec.label_key, lang),
                 "unit": spec.unit, "years": list(trend.years), "top": top}
    out.update(honesty(ds, lang, units=[spec.unit]))
    out["series"] = _series(trend, lang, top)
    return out


def inventory_trend_payload(ds: DatasetMeta, region_code: str, trend: Trend, *, top: int,
                            lang: str) -> JSON:
    """``/api/inventory-trend``: CO2 by (mapped) sector over the inventory years."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"inventory-trend/{ds.name}/{region_code}", "region": region_code,
                 "unit": "mt", "available": trend.available, "years": list(trend.years),
                 "top": top, "note": trend.note}
    out.update(honesty(ds, lang, units=["mt"]))
    out["total"] = _nums(trend.total) if trend.total is not None else []
    out["series"] = _series(trend, lang, top) if trend.available else []
    return out


# --------------------------------------------------------------------------- compare
def _side(py: ProvinceYear, lang: str) -> JSON:
    return {"dataset": py.dataset.name, "year": py.year, "region": py.region,
            "label": f"{_region_label(py.region, lang)} {py.year}", "status": py.status,
            "status_note": status_note(py.status, py.region, lang),
            "synthetic": py.dataset.synthetic}


def _total(stat: IndicatorStat, spec: IndicatorSpec) -> float | None:
    if not spec.additive:
        return None
    v = np.asarray(stat.value, dtype=np.float64)
    return None if not np.isfinite(v).all() else float(v.sum())


def compare_payload(a: ProvinceYear, b: ProvinceYear, specs: Sequence[IndicatorSpec], *,
                    lang: str) -> JSON:
    """``/api/compare``: two province-years side by side: additive totals with
    ``diff = b − a`` and ``ratio = b / a``; per-sector values and differences when both
    sides use the same sector list."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"compare/{a.dataset.name}:{a.year}:{a.region}/{b.dataset.name}:{b.year}:{b.region}",
                 "a": _side(a, lang), "b": _side(b, lang)}
    synthetic = a.dataset.synthetic or b.dataset.synthetic
    citation = a.dataset.citation if a.dataset.citation == b.dataset.citation else \
        f"{a.dataset.citation} | {b.dataset.citation}"
    out.update(honesty(a.dataset, lang, units=[s.unit for s in specs]))
    out["dataset"] = a.dataset.name if a.dataset.name == b.dataset.name else f"{a.dataset.name} | {b.dataset.name}"
    out["synthetic"] = synthetic
    out["banner"] = t("common.synthetic_demo", lang) if synthetic else None
    out["citation"] = citation
    totals = []
    for s in specs:
        sa, sb = a.indicators.get(s.code), b.indicators.get(s.code)
        if sa is None or sb is None or not s.additive:
            continue
        va, vb = _total(sa, s), _total(sb, s)
        totals.append({"indicator": s.code, "label": t(s.label_key, lang), "unit": s.unit, "a": va, "b": vb,
                       "diff": (vb - va) if (va is not None and vb is not None) else None,
                       "ratio": (vb / va) if (va and vb is not None) else None})
    out["totals"] = totals
    same = a.sector_list == b.sector_list and a.sectors == b.sectors
    out["sector_list_mismatch"] = not same
    out["mismatch_note"] = None if same else t("api.compare.mismatch", lang, a=a.sector_list, b=b.sector_list)
    rows = []
    if same:
        names = _sector_labels(a.sector_list, a.sectors, lang)
        for i, code in enumerate(a.sectors):
            row: JSON = {"code": code, "label": names[code][0], "family": names[code][2]}
            for s in specs:
                sa, sb = a.indicators.get(s.code), b.indicators.get(s.code)
                if sa is None or sb is None:
                    continue
                va, vb = num(sa.value[i]), num(sb.value[i])
                row[f"{s.code}_a"] = va
                row[f"{s.code}_b"] = vb
                row[f"{s.code}_diff"] = (vb - va) if (va is not None and vb is not None) else None
            rows.append(row)
    out["rows"] = rows
    return out


# --------------------------------------------------------------------------- downloads
def download_table(table: str, payload: Mapping[str, Any]) -> tuple[list[JSON], dict[str, str]]:
    """Records and metadata of a downloadable table, from the JSON payload of the
    corresponding endpoint: ``sectors`` and ``flows`` rows as they are, ``provinces``
    rows without the tile position, ``trade`` as a tidy long table (emitting region,
    consuming region, Mt). The metadata carries title, dataset, year, region, units,
    source/citation and the synthetic flag (catalog keys ``api.meta.*`` are the labels)."""
    lang = str(payload.get("lang", "en"))
    meta: dict[str, str] = {
        "title": t(f"api.table.{table}", lang),
        "dataset": str(payload.get("dataset", "")),
        "year": str(payload.get("year", "")),
        "region": str(payload.get("region") or ""),
        "source": str(payload.get("citation", "")),
        "citation": str(payload.get("citation", "")),
        "synthetic": "true" if payload.get("synthetic") else "false",
        "lang": lang,
    }
    if payload.get("banner"):
        meta["note"] = str(payload["banner"])
    records: list[JSON]
    if table == "sectors":
        columns = payload.get("columns", [])
        meta["units"] = "; ".join(f"{c['key']}: {c['unit_label']}" for c in columns)
        records = [dict(r) for r in payload["rows"]]
    elif table == "flows":
        meta["mode"] = str(payload.get("mode", ""))
        meta["units"] = f"value: {payload['units'].get(payload['unit'], payload['unit'])}"
        records = [dict(r) for r in payload["rows"]]
    elif table == "provinces":
        units = payload.get("units", {})
        meta["indicator"] = str(payload.get("indicator", ""))
        meta["units"] = (f"value: {units.get(payload['unit'], payload['unit'])}; "
                         f"production_mt, consumption_mt: {units.get('mt', 'Mt CO2')}")
        records = [{k: v for k, v in r.items() if k != "tile"} for r in payload["rows"]]
    elif table == "trade":
        codes = payload["regions"]
        meta["units"] = f"value_mt: {payload['units'].get('mt', 'Mt CO2')}"
        records = [
            {"emitted_in": codes[i], "for_final_demand_of": codes[j], "value_mt": v}
            for i, row in enumerate(payload["matrix"]) for j, v in enumerate(row)
        ]
    else:
        raise KeyError(table)
    if payload.get("status_note"):
        meta["status"] = str(payload["status_note"])
    return records, meta
