"""Labelled, immutable analysis results.

Every result holds codes and arrays (read-only), a :class:`ResultMeta` (dataset, year,
citation, synthetic flag, notes) and renders labels only when asked: ``as_records(lang)``
gives tidy rows (codes as keys, labels beside them, ``None`` for unknown figures), and
``write(path, fmt=..., lang=...)`` exports them through :func:`viscarbon.io.writers.tables.write_table`
with units, citation and the synthetic flag in the metadata block.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import columns
from viscarbon.analysis.indicators import INDICATORS, indicator
from viscarbon.calc.accounts import CarbonAccounts
from viscarbon.calc.network import PrunedEdges, percentiles, ranks
from viscarbon.i18n import t
from viscarbon.io.writers.schema import NOTE_SEPARATOR, Schema, unit_label
from viscarbon.io.writers.tables import write_table
from viscarbon.model import Axis

__all__ = [
    "EXPORT_FORMATS",
    "ElectricityAccounts",
    "EmissionAccounts",
    "IndicatorValues",
    "InventoryTrend",
    "Network",
    "Note",
    "RegionIndicators",
    "ResultMeta",
    "SectorIndicators",
    "TradeMatrix",
    "Trend",
]

Arr = NDArray[np.float64]
EXPORT_FORMATS = ("csv", "json", "xlsx", "parquet")
Record = dict[str, object]


def num(v: object) -> float | None:
    """A JSON-ready number: Python float, ``None`` for NaN/inf/None."""
    if v is None:
        return None
    f = float(v)  # type: ignore[arg-type]
    return f if math.isfinite(f) else None


@dataclass(frozen=True, slots=True)
class Note:
    """A note as a catalog key (``analysis.note.<key>``) plus parameters; rendered with
    :meth:`text` in either language."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **params: object) -> Note:
        return cls(key, tuple((k, str(v)) for k, v in params.items()))

    def text(self, lang: str | None = None) -> str:
        return t(f"analysis.note.{self.key}", lang, **dict(self.params))


@dataclass(frozen=True)
class ResultMeta:
    """Where a result came from: dataset, year(s), citation, synthetic flag, notes.

    ``notes`` are catalog notes (rendered per language); ``source_notes`` are notes carried
    from the data (harmonization, import), already text."""

    dataset: str
    year: int | None
    citation: str
    synthetic: bool
    notes: tuple[Note, ...] = ()
    source_notes: tuple[str, ...] = ()

    def note_texts(self, lang: str | None = None) -> list[str]:
        return [n.text(lang) for n in self.notes] + list(self.source_notes)

    def as_dict(self, lang: str | None = None, *, title: str = "", units: Mapping[str, str] | None = None,
                extra: Mapping[str, object] | None = None) -> dict[str, str]:
        """The metadata block of an export (all values text)."""
        out: dict[str, str] = {}
        if title:
            out["title"] = title
        out["dataset"] = self.dataset
        if self.year is not None:
            out["year"] = str(self.year)
        for k, v in (extra or {}).items():
            out[k] = str(v)
        if units:
            out["units"] = "; ".join(f"{col}: {unit_label(u, lang)}" for col, u in units.items())
        out["citation"] = self.citation
        out["synthetic"] = "true" if self.synthetic else "false"
        notes = self.note_texts(lang)
        if notes:
            out["notes"] = NOTE_SEPARATOR.join(notes)
        return out


class _Exportable:
    """``schema``, ``metadata`` and ``write`` for results with ``meta`` and ``as_records``."""

    meta: ResultMeta
    _title_key: str = ""

    def as_records(self, lang: str | None = None) -> list[Record]:  # pragma: no cover - overridden
        raise NotImplementedError

    def schema(self) -> Schema:  # pragma: no cover - overridden
        """The columns of :meth:`as_records` (:mod:`viscarbon.analysis.columns`)."""
        raise NotImplementedError

    def _units(self) -> dict[str, str]:
        return self.schema().units()

    def _extra_meta(self) -> dict[str, object]:
        return {}

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        title = t(self._title_key, lang) if self._title_key else ""
        return self.meta.as_dict(lang, title=title, units=self._units(), extra=self._extra_meta())

    def write(self, path: str | Path, *, fmt: str = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with :func:`viscarbon.io.writers.tables.write_table`
        (a CSV file gets its ``<stem>.datapackage.json`` beside it)."""
        return write_table(self.as_records(lang), Path(path), fmt=fmt,  # type: ignore[arg-type]
                           meta=self.metadata(lang), schema=self.schema(), lang=lang)


# --------------------------------------------------------------------------- accounts
@dataclass(frozen=True, eq=False)
class EmissionAccounts(_Exportable):
    """Production- and consumption-based CO2 of every region of one year (Mt CO2).

    ``arrays`` holds the raw accounts (:class:`viscarbon.calc.accounts.CarbonAccounts`);
    ``region_status`` marks regions whose inventory is ``missing`` (their
    production-based figure is unknown: ``None`` in records) or ``imputed``. Definitions:
    ``docs/math.md`` § Accounts.
    """

    meta: ResultMeta
    regions: Axis
    sectors: Axis
    categories: Axis
    arrays: CarbonAccounts
    region_status: tuple[str, ...]
    _title_key: str = "analysis.title.footprint"

    def _known(self, values: Arr) -> list[float | None]:
        return [None if s == "missing" else num(v) for v, s in zip(values, self.region_status, strict=True)]

    @property
    def production_based(self) -> list[float | None]:
        """PBA per region (industries + households), ``None`` where the inventory is missing."""
        return self._known(self.arrays.production_based)

    @property
    def consumption_based(self) -> Arr:
        """CBA per region (``f L Y_s + F_Y[s]``); underestimated when a region is missing."""
        return self.arrays.consumption_based

    @property
    def embodied_in_exports(self) -> Arr:
        return self.arrays.exports_embodied

    def identity_gap(self) -> float:
        """``Σ PBA − (Σ CBA + Σ embodied in exports)`` (Mt); 0 up to rounding."""
        a = self.arrays
        return float(a.production_based.sum() - a.consumption_based.sum() - a.exports_embodied.sum())

    def schema(self) -> Schema:
        return columns.ACCOUNTS

    def category_part(self, code: str) -> Arr | None:
        """Industries' CO2 ``m Y_c`` of final-demand category ``code`` per region (R,),
        ``None`` when the table has no such category (e.g. ``Other`` in the NBS 2017-2020
        tables, ``IMP`` outside the competitive 2015 table)."""
        if code not in self.categories.codes:
            return None
        out: Arr = self.arrays.by_category[:, self.categories.index(code)]
        return out

    def as_records(self, lang: str | None = None) -> list[Record]:
        """One row per region (columns: :data:`viscarbon.analysis.columns.ACCOUNTS`, each
        defined in the ``schema`` catalogs): region (code), label, status,
        production_based_mt (None when missing), consumption_based_mt,
        embodied_in_exports_mt, then the parts: production_industry_mt, households_mt,
        emitted_for_exports_mt, net_transfer_mt; the parts of the consumption-based total
        that are not consumption (inventory_changes_mt, other_err_mt and, for a
        competitive-imports table, competitive_imports_mt; None when the table has no
        such category); and the imports estimate (imports_embodied_estimate_mt,
        imports_embodied_exports_estimate_mt: not in the totals; None, "not applicable",
        for a competitive-imports table)."""
        a = self.arrays
        labels = self.regions.labels(lang)
        pba = self.production_based
        ind = self._known(a.production_industry)
        hh = self._known(a.households)
        inv, other, imp = (self.category_part(c) for c in ("FU202", "Other", "IMP"))
        imp_ex = a.imports_embodied_exports_by_region
        out: list[Record] = []
        for r, code in enumerate(self.regions.codes):
            out.append({
                "region": code,
                "label": labels[r],
                "status": self.region_status[r],
                "production_based_mt": pba[r],
                "consumption_based_mt": num(a.consumption_based[r]),
                "embodied_in_exports_mt": num(a.exports_embodied[r]),
                "production_industry_mt": ind[r],
                "households_mt": hh[r],
                "emitted_for_exports_mt": None if self.region_status[r] == "missing" else num(a.emitted_for_exports[r]),
                "net_transfer_mt": num(a.net_transfer[r]),
                "inventory_changes_mt": None if inv is None else num(inv[r]),
                "other_err_mt": None if other is None else num(other[r]),
                "competitive_imports_mt": None if imp is None else num(imp[r]),
                "imports_embodied_estimate_mt": num(a.imports_embodied[r]),
                "imports_embodied_exports_estimate_mt": None if imp_ex is None else num(imp_ex[r]),
            })
        return out

    def origin_schema(self) -> Schema:
        """The columns of :meth:`origin_records`."""
        return columns.ORIGINS

    def origin_records(self, region: str, lang: str | None = None, *, top: int = 0) -> list[Record]:
        """The footprint of ``region`` by region-sector of origin (Mt), largest first."""
        s = self.regions.index(region)
        D = self.arrays.footprint_origin[:, s]
        S = len(self.sectors)
        order = np.argsort(-D, kind="stable")
        if top:
            order = order[:top]
        rl = self.regions.labels(lang)
        sl = self.sectors.labels(lang)
        total = float(D.sum())
        return [{"origin_region": self.regions.codes[i // S], "origin_region_label": rl[i // S],
                 "sector": self.sectors.codes[i % S], "sector_label": sl[i % S],
                 "co2_mt": num(D[i]), "share": num(D[i] / total) if total else None}
                for i in (int(k) for k in order)]


@dataclass(frozen=True, eq=False)
class TradeMatrix(_Exportable):
    """``matrix[r, s]``: CO2 emitted in ``r`` for final demand in ``s`` (Mt, R × R);
    ``for_exports[r]``: emitted in ``r`` for foreign exports; ``net_transfer[r] =
    Σ_q matrix[q, r] − Σ_s matrix[r, s]`` (> 0: a net importer of embodied CO2)."""

    meta: ResultMeta
    regions: Axis
    matrix: Arr
    for_exports: Arr
    region_status: tuple[str, ...]
    _title_key: str = "analysis.title.trade"

    @property
    def net_transfer(self) -> Arr:
        out: Arr = self.matrix.sum(axis=0) - self.matrix.sum(axis=1)
        out.setflags(write=False)
        return out

    def partners(self, region: str, *, top: int = 10) -> dict[str, list[tuple[str, float]]]:
        """Top regions ``region`` emits for (its row) and that emit for it (its column), self excluded."""
        r = self.regions.index(region)
        out: dict[str, list[tuple[str, float]]] = {}
        for key, vec in (("emitted_for_others", self.matrix[r, :]), ("others_emit_for", self.matrix[:, r])):
            idx = [int(i) for i in np.argsort(-vec, kind="stable") if int(i) != r][:top]
            out[key] = [(self.regions.codes[i], float(vec[i])) for i in idx]
        return out

    def schema(self) -> Schema:
        return columns.TRADE

    def as_records(self, lang: str | None = None) -> list[Record]:
        """Long form: one row per (from region, to region), plus ``to = EX`` (foreign exports)."""
        labels = self.regions.labels(lang)
        out: list[Record] = []
        ex_label = t("analysis.account.foreign_exports", lang)
        for r, a in enumerate(self.regions.codes):
            for s, b in enumerate(self.regions.codes):
                out.append({"from_region": a, "from_label": labels[r], "to_region": b, "to_label": labels[s],
                            "co2_mt": num(self.matrix[r, s])})
            out.append({"from_region": a, "from_label": labels[r], "to_region": "EX", "to_label": ex_label,
                        "co2_mt": num(self.for_exports[r])})
        return out


@dataclass(frozen=True, eq=False)
class ElectricityAccounts(_Exportable):
    """Electricity-adjusted CO2 per region (Mt): the CO2 of power and heat (sector
    ``power_sector``) reassigned to the users of the electricity (``docs/math.md``).
    ``adjusted.sum() == production_based.sum()``. ``by_sector`` (n,) is the adjusted CO2
    of every region-sector (0 for power rows), ``factor`` (R,) the delivered-power
    emission factor (t CO2 per 10,000 yuan)."""

    meta: ResultMeta
    regions: Axis
    power_sector: str
    production_based: Arr
    adjusted: Arr
    by_sector: Arr
    factor: Arr
    region_status: tuple[str, ...]
    _title_key: str = "analysis.title.electricity"

    def schema(self) -> Schema:
        return columns.ELECTRICITY

    def _extra_meta(self) -> dict[str, object]:
        return {"power_sector": self.power_sector}

    def as_records(self, lang: str | None = None) -> list[Record]:
        labels = self.regions.labels(lang)
        out: list[Record] = []
        for r, code in enumerate(self.regions.codes):
            miss = self.region_status[r] == "missing"
            out.append({"region": code, "label": labels[r], "status": self.region_status[r],
                        "production_based_mt": None if miss else num(self.production_based[r]),
                        "electricity_adjusted_mt": num(self.adjusted[r]),
                        "difference_mt": None if miss else num(self.adjusted[r] - self.production_based[r]),
                        "power_factor_t_per_10k_yuan": num(self.factor[r])})
        return out


# --------------------------------------------------------------------------- indicators
@dataclass(frozen=True, eq=False)
class IndicatorValues:
    """One indicator over the sectors of a province: ``value`` (NaN = unknown), ``share``
    of the province total (NaN for non-additive indicators), ``rank`` (1 = largest, ties
    by sector order; unknown values rank last) and ``percentile``."""

    code: str
    unit: str
    value: Arr
    share: Arr
    rank: NDArray[np.intp]
    percentile: Arr

    @classmethod
    def of(cls, code: str, values: Arr, *, unit: str | None = None) -> IndicatorValues:
        """Share, rank and percentile of ``values`` among the province's sectors; NaN
        (unknown) values get NaN share and percentile and rank after every known value."""
        ind = indicator(code)
        v = np.array(values, dtype=np.float64)
        known = np.isfinite(v)
        rk = np.array(ranks(np.where(known, v, -np.inf)))
        pct = np.full(v.shape, np.nan)
        share = np.full(v.shape, np.nan)
        if known.any():
            pct[known] = percentiles(v[known])
            total = float(v[known].sum())
            if ind.additive and total != 0.0:
                share[known] = v[known] / total
        for arr in (v, share, pct, rk):
            arr.setflags(write=False)
        return cls(code, unit or ind.unit, v, share, rk, pct)


@dataclass(frozen=True, eq=False)
class SectorIndicators(_Exportable):
    """Every node indicator of :data:`~viscarbon.analysis.indicators.INDICATORS` for the
    sectors of one province-year. Values are computed on the full MRIO (``isolated =
    False``) or on the province's own block only (``isolated = True``, labelled as such);
    the network metrics (strengths, PageRank, betweenness) use the links of ``mode``."""

    meta: ResultMeta
    region: str
    region_label_en: str
    region_label_zh: str
    status: str
    sectors: Axis
    values: Mapping[str, IndicatorValues]
    isolated: bool = False
    mode: str = "money"
    _title_key: str = "analysis.title.sectors"

    def __getitem__(self, code: str) -> IndicatorValues:
        indicator(code)
        return self.values[code]

    def schema(self) -> Schema:
        return columns.sector_indicator_schema((c, v.unit) for c, v in self.values.items())

    def _units(self) -> dict[str, str]:
        return {c: v.unit for c, v in self.values.items()}

    def _extra_meta(self) -> dict[str, object]:
        return {"region": self.region, "mode": self.mode,
                "scope": "isolated" if self.isolated else "full_mrio"}

    def as_records(self, lang: str | None = None) -> list[Record]:
        """One row per sector: code, label, then ``<indicator>``, ``<indicator>_share``,
        ``<indicator>_rank``, ``<indicator>_percentile`` for every indicator."""
        labels = self.sectors.labels(lang)
        out: list[Record] = []
        for k, code in enumerate(self.sectors.codes):
            row: Record = {"region": self.region, "sector": code, "label": labels[k]}
            for c, iv in self.values.items():
                row[c] = num(iv.value[k])
                row[f"{c}_share"] = num(iv.share[k])
                row[f"{c}_rank"] = int(iv.rank[k]) if np.isfinite(iv.value[k]) else None
                row[f"{c}_percentile"] = num(iv.percentile[k])
            out.append(row)
        return out


@dataclass(frozen=True, slots=True)
class Edge:
    """A kept link: ``source``/``target`` sector codes, ``cell`` (``i·S + j``), ``value``
    (unit of the mode), ``share`` of the block total, ``rank`` (1 = the block's largest
    cell, like the node ranks; ties by value, then row, then column), ``percentile``,
    ``kept_for_emitter`` when it was added to keep a top emitter visible."""

    source: str
    target: str
    cell: int
    value: float
    share: float | None
    rank: int
    percentile: float
    kept_for_emitter: bool


@dataclass(frozen=True, eq=False)
class Network(_Exportable):
    """The network of a province-year in one link mode.

    ``block`` (S × S) holds every link (money: ``Z_rr`` in 10,000 yuan; carbon:
    ``E_ij = m_i Z_rr,ij`` in Mt CO2 with ``m`` the total intensity — ``docs/math.md``),
    ``rank`` the 0-based *order* of every cell (0 = largest; ties: value, row, column; the
    per-cell array the dashboard prunes with, ``rank < n``; an edge's user-facing
    :attr:`Edge.rank` is this + 1); ``pruned`` the
    kept cells (top ``floor(p·S²/100)``, then the strongest link of each top-k emitter
    not yet visible, flagged); ``nodes`` every node indicator (network metrics of this
    mode). ``isolated``: everything computed on the province's own block only.
    """

    meta: ResultMeta
    region: str
    mode: str
    unit: str
    isolated: bool
    top_percent: float
    keep_top_emitters: int
    nodes: SectorIndicators
    block: Arr
    rank: NDArray[np.intp]
    pruned: PrunedEdges
    strongest: NDArray[np.intp]
    _title_key: str = "analysis.title.network"

    @property
    def sectors(self) -> Axis:
        return self.nodes.sectors

    @property
    def n_top(self) -> int:
        return self.pruned.n_top

    @property
    def edges(self) -> tuple[Edge, ...]:
        S = len(self.sectors)
        codes = self.sectors.codes
        flat = self.block.ravel()
        total = float(flat.sum())
        pct = percentiles(flat)
        rk = self.rank.ravel()
        return tuple(
            Edge(codes[c // S], codes[c % S], int(c), float(flat[c]),
                 float(flat[c] / total) if total else None, int(rk[c]) + 1, float(pct[c]), bool(added))
            for c, added in zip(self.pruned.cells, self.pruned.added, strict=True)
        )

    def schema(self) -> Schema:
        return columns.network_schema(self.unit)

    def _extra_meta(self) -> dict[str, object]:
        return {"region": self.region, "mode": self.mode, "top_percent": self.top_percent,
                "keep_top_emitters": self.keep_top_emitters,
                "scope": "isolated" if self.isolated else "full_mrio"}

    def as_records(self, lang: str | None = None) -> list[Record]:
        """One row per kept edge (codes, labels, value, share, rank, percentile, flag)."""
        labels = dict(zip(self.sectors.codes, self.sectors.labels(lang), strict=True))
        return [{"source": e.source, "source_label": labels[e.source], "target": e.target,
                 "target_label": labels[e.target], "value": e.value, "share": e.share, "rank": e.rank,
                 "percentile": e.percentile, "kept_for_emitter": e.kept_for_emitter}
                for e in self.edges]


@dataclass(frozen=True, eq=False)
class RegionIndicators(_Exportable):
    """Region-level indicators of one year (R,) per code: additive indicators are region
    totals; ``intensity`` = industrial CO2 / output and ``multiplier`` = consumption-based
    industrial CO2 / final demand (t CO2 per 10,000 yuan); ``upstream`` their difference;
    linkage and network indicators are not defined for regions (NaN)."""

    meta: ResultMeta
    regions: Axis
    values: Mapping[str, Arr]
    region_status: tuple[str, ...]
    production_based: tuple[float | None, ...]
    consumption_based: Arr
    _title_key: str = "analysis.title.provinces"

    def schema(self) -> Schema:
        return columns.region_indicator_schema(self.values)

    def _units(self) -> dict[str, str]:
        return {c: INDICATORS[c].unit for c in self.values}

    def as_records(self, lang: str | None = None) -> list[Record]:
        labels = self.regions.labels(lang)
        out: list[Record] = []
        for r, code in enumerate(self.regions.codes):
            row: Record = {"region": code, "label": labels[r], "status": self.region_status[r]}
            for c, v in self.values.items():
                row[c] = num(v[r])
            row["production_based_mt"] = self.production_based[r]
            row["consumption_based_mt"] = num(self.consumption_based[r])
            out.append(row)
        return out


# --------------------------------------------------------------------------- trends
@dataclass(frozen=True, eq=False)
class Trend(_Exportable):
    """One indicator of one region's sectors over a dataset's MRIO years.

    ``values[y]`` (S,) per year in ``years`` for the sectors ``sectors`` (codes shared by
    every year; a sector missing from a year's list is NaN), ``totals[y]`` the region total
    (additive) or region ratio (intensity, multiplier, upstream), else None."""

    meta: ResultMeta
    region: str
    indicator: str
    unit: str
    years: tuple[int, ...]
    sectors: Axis
    values: Arr
    totals: tuple[float | None, ...]
    _title_key: str = "analysis.title.trend"

    def schema(self) -> Schema:
        return columns.trend_schema(self.unit)

    def _extra_meta(self) -> dict[str, object]:
        return {"region": self.region, "indicator": self.indicator}

    def as_records(self, lang: str | None = None) -> list[Record]:
        labels = self.sectors.labels(lang)
        return [{"region": self.region, "year": y, "sector": code, "label": labels[k],
                 "indicator": self.indicator, "value": num(self.values[i, k])}
                for i, y in enumerate(self.years) for k, code in enumerate(self.sectors.codes)]


@dataclass(frozen=True, eq=False)
class InventoryTrend(_Exportable):
    """CO2 of one region by IO sector (mapped through the concordance) over the
    inventory years linked to a dataset (Mt). ``available`` is false (with a note) when
    the dataset has no inventory or the region none (Tibet)."""

    meta: ResultMeta
    region: str
    available: bool
    years: tuple[int, ...]
    sectors: Axis
    values: Arr
    households: Arr
    totals: Arr
    _title_key: str = "analysis.title.inventory_trend"

    def schema(self) -> Schema:
        return columns.INVENTORY_TREND

    def _extra_meta(self) -> dict[str, object]:
        return {"region": self.region}

    def as_records(self, lang: str | None = None) -> list[Record]:
        labels = self.sectors.labels(lang)
        hh = t("analysis.account.households", lang)
        out: list[Record] = []
        for i, y in enumerate(self.years):
            for k, code in enumerate(self.sectors.codes):
                out.append({"region": self.region, "year": y, "sector": code, "label": labels[k],
                            "co2_mt": num(self.values[i, k])})
            out.append({"region": self.region, "year": y, "sector": "HH", "label": hh,
                        "co2_mt": num(self.households[i])})
        return out

