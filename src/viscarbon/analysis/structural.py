"""Structural analyses of an EEIO system: key sectors, hypothetical extraction, structural
path analysis (SPA) and structural decomposition analysis (``sda``).

Each analysis runs on the full R·S MRIO (``isolated=False``) or on one province's own
S × S block (``isolated=True``, labelled as such: the block ``A_rr`` with the block's
own final deliveries ``y_r = x_r − Z_rr·1``, i.e. everything the province's sectors
deliver outside its own intermediate use). Results are frozen, carry codes (labels are
looked up at render time in ``en`` or ``zh-Hans``), units, the dataset's citation and the
synthetic flag, and export through :func:`viscarbon.io.writers.tables.write_table`.

The numerics live in :mod:`viscarbon.calc` (``keysectors``, ``extraction``, ``spa``,
``sda``) and reuse the year's LU factor of ``I − A`` (:mod:`viscarbon.calc.leontief`);
:class:`StructuralAnalysis` takes it from the :class:`~viscarbon.analysis.engine.Engine`
cache so a second request for the same (dataset, year) costs no factorisation.
Definitions: ``docs/math.md`` (sections "Key sectors and hypothetical extraction",
"Structural path analysis", "Structural decomposition (sda)").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.extraction import EXTRACTION_MODES, hypothetical_extraction
from viscarbon.calc.keysectors import QUADRANTS, classify_key_sectors, quadrant_counts
from viscarbon.calc.leontief import (
    LeontiefFactor,
    backward_linkages,
    factorize,
    forward_linkages,
    solve,
    solve_transposed,
    technical_coefficients,
)
from viscarbon.calc.sda import SDA_FACTORS, SDA_METHODS, structural_decomposition
from viscarbon.calc.spa import SortedChildren, sorted_children, structural_paths
from viscarbon.errors import DataError
from viscarbon.i18n import normalize_lang, t
from viscarbon.model import Axis, EEIOSystem

__all__ = [
    "ExtractionResult",
    "KeySectorResult",
    "SDAResult",
    "SPAPath",
    "SPAResult",
    "StructuralAnalysis",
    "extract",
    "key_sectors",
    "sda",
    "spa",
]

Arr = NDArray[np.float64]
ExtractMode = Literal["complete", "backward", "forward"]
SdaMethod = Literal["polar", "shapley"]
Format = Literal["csv", "parquet", "xlsx", "json"]
#: pseudo-destination of foreign exports in sda, and the national row
EXPORTS_CODE: Final = "EX"
NATIONAL_CODE: Final = "CN"
TOTAL_CODE: Final = "TOTAL"
#: default cap on the SPA search tree (a DataError asks for a higher threshold beyond it)
SPA_MAX_NODES: Final = 5_000_000


# --------------------------------------------------------------------------- shared helpers
def _ro(a: Any) -> Arr:
    """A read-only float64 array: ``a`` itself when it already is one, else a copy."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.flags.writeable or arr is not a:
        arr = np.array(arr, dtype=np.float64)
        arr.setflags(write=False)
    return arr


def _citation(system: EEIOSystem) -> str:
    cites = [p.citation for p in system.table.provenance if p.citation]
    return "; ".join(dict.fromkeys(cites))


def _units(columns: Mapping[str, str], lang: str | None) -> str:
    """``"col: unit label; …"`` with the unit labels of the ``common`` catalog."""
    return "; ".join(f"{col}: {t(f'common.unit.{u}', lang)}" for col, u in columns.items())


def _tail(citation: str, synthetic: bool, notes: Sequence[str], lang: str | None) -> dict[str, str]:
    """Citation, synthetic flag and notes (joined by `` | ``) of a metadata block."""
    out = {"citation": citation, "synthetic": "true" if synthetic else "false"}
    texts = ([t("common.synthetic_demo", lang)] if synthetic else []) + list(notes)
    if texts:
        out["notes"] = " | ".join(texts)
    return out


def _write(records: list[dict[str, object]], meta: Mapping[str, str], path: str | Path,
           fmt: Format) -> Path:
    from viscarbon.io.writers.tables import write_table

    return write_table(records, path, fmt=fmt, meta=dict(meta))


def _node_code(regions: Axis, sectors: Axis, i: int) -> tuple[str, str]:
    S = len(sectors)
    return regions.codes[i // S], sectors.codes[i % S]


@dataclass(frozen=True, eq=False)
class _Scope:
    """Arrays of the system an analysis runs on (full MRIO or one province's block)."""

    A: Arr
    x: Arr  # baseline output solved from the factor (x = L y), 10,000 yuan
    y: Arr  # total final demand incl. exports (block: x_r − Z_rr 1), 10,000 yuan
    e: Arr  # CO2 per unit output, Mt per 10,000 yuan
    m: Arr  # total intensity e L, Mt per 10,000 yuan
    co2: Arr  # industry CO2, Mt (n,)
    factor: LeontiefFactor
    regions: Axis
    sectors: Axis
    isolated: bool


def _scope(system: EEIOSystem, *, region: str | None, isolated: bool,
           A: Arr | None = None, factor: LeontiefFactor | None = None) -> _Scope:
    table = system.table
    co2 = system.satellite("CO2").total
    if isolated:
        if region is None:
            raise DataError("an isolated (single-province) analysis needs a region",
                            hint="pass --region, e.g. --region GD")
        sl = table.region_slice(region)
        Z = np.asarray(table.Z[sl, sl])
        x_tab = np.asarray(table.x[sl])
        A_s = technical_coefficients(Z, x_tab)
        fac = factorize(A_s)
        y = x_tab - Z.sum(axis=1)
        regions = Axis.regions((region,)) if table.regions.list_id == "cn31" else Axis(
            "region", (region,), (table.regions.labels_en[table.regions.index(region)],),
            (table.regions.labels_zh[table.regions.index(region)],))
        co2_s = np.asarray(co2[sl])
        x_tab_s = x_tab
    else:
        if region is not None:
            table.regions.index(region)  # validate early (UnknownCode names the allowed values)
        A_s = A if A is not None else technical_coefficients(table.Z, table.x)
        fac = factor if factor is not None else factorize(A_s)
        y = table.y_total()
        regions = table.regions
        co2_s = np.asarray(co2)
        x_tab_s = np.asarray(table.x)
    e = np.zeros_like(x_tab_s)
    np.divide(co2_s, x_tab_s, out=e, where=x_tab_s != 0)
    x = solve(fac, y)
    m = solve_transposed(fac, e)
    return _Scope(A=_ro(A_s), x=_ro(x), y=_ro(y), e=_ro(e), m=_ro(m), co2=_ro(co2_s), factor=fac,
                  regions=regions, sectors=table.sectors, isolated=isolated)


def _scope_note(isolated: bool, region: str | None, lang: str | None) -> str:
    if isolated:
        return t("structural.note.isolated", lang, region=region or "")
    return t("structural.note.mrio", lang)


def _status_notes(system: EEIOSystem, lang: str | None) -> list[str]:
    sat = system.satellite("CO2")
    notes = []
    missing = sat.missing_regions(system.table.regions)
    if missing:
        notes.append(t("structural.note.missing", lang, regions=", ".join(missing)))
    imputed = sat.imputed_regions(system.table.regions)
    if imputed:
        notes.append(t("structural.note.imputed", lang, regions=", ".join(imputed)))
    return notes


# --------------------------------------------------------------------------- key sectors
@dataclass(frozen=True, eq=False)
class KeySectorResult:
    """Normalised Rasmussen linkages and key-sector quadrants (Miller & Blair 2009 §12.1).

    ``backward`` / ``forward`` (n,) dimensionless (mean 1 over the ``n`` sectors of the
    scope), ``quadrant`` (n,) indices into :data:`~viscarbon.calc.keysectors.QUADRANTS`;
    ``rows`` the scope's region-sector indices shown (all, or one region's).
    """

    dataset: str
    year: int
    region: str | None
    isolated: bool
    threshold: float
    regions: Axis
    sectors: Axis
    backward: Arr
    forward: Arr
    quadrant: NDArray[np.int64]
    rows: NDArray[np.int64]
    citation: str
    synthetic: bool
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Sectors per quadrant among the rows shown."""
        return quadrant_counts(self.quadrant[self.rows])

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        r_lab, s_lab = self.regions.labels(lang), self.sectors.labels(lang)
        S = len(self.sectors)
        out: list[dict[str, object]] = []
        for i in (int(v) for v in self.rows):
            q = QUADRANTS[int(self.quadrant[i])]
            out.append({
                "region": self.regions.codes[i // S],
                "region_label": r_lab[i // S],
                "sector": self.sectors.codes[i % S],
                "sector_label": s_lab[i % S],
                "backward_linkage": float(self.backward[i]),
                "forward_linkage": float(self.forward[i]),
                "quadrant": q,
                "quadrant_label": t(f"structural.quadrant.{q}", lang),
            })
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        return {
            "title": t("structural.title.linkages", lang),
            "dataset": self.dataset, "year": str(self.year),
            "units": _units({"backward_linkage": "dimensionless", "forward_linkage": "dimensionless"}, lang),
            "scope": _scope_note(self.isolated, self.region, lang),
            "threshold": f"{self.threshold:g}",
            "definition": t("structural.note.linkages", lang),
            **_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return _write(self.as_records(lang), self.metadata(lang), path, fmt)


def key_sectors(system: EEIOSystem, *, region: str | None = None, isolated: bool = False,
                threshold: float = 1.0, A: Arr | None = None,
                factor: LeontiefFactor | None = None, lang: str | None = None) -> KeySectorResult:
    """Backward (``n·1ᵀL / 1ᵀL1``) and forward (``n·G1 / 1ᵀG1``) linkages and quadrants.

    Full MRIO (``isolated=False``; ``region`` only selects the rows shown, the
    normalisation is over all R·S sectors) or the province's own block (``isolated=True``,
    normalised over its S sectors). ``A``/``factor`` reuse a cached factorisation.
    """
    sc = _scope(system, region=region, isolated=isolated, A=A, factor=factor)
    return _key_sectors_on(system, sc, region=region, threshold=threshold, lang=lang)


def _key_sectors_on(system: EEIOSystem, sc: _Scope, *, region: str | None, threshold: float,
                    lang: str | None, linkages: tuple[Arr, Arr] | None = None) -> KeySectorResult:
    """:func:`key_sectors` on a prepared scope; ``linkages`` (backward, forward) already
    computed for it (the engine's cached full-MRIO linkages) skip two solves."""
    isolated = sc.isolated
    if linkages is not None:
        bl, fl = linkages
    else:
        table = system.table
        x_tab = np.asarray(table.x[table.region_slice(region)]) if isolated and region else np.asarray(table.x)
        bl = backward_linkages(sc.factor)
        fl = forward_linkages(sc.factor, x_tab)
    q = classify_key_sectors(bl, fl, threshold=threshold)
    S = len(sc.sectors)
    if region is not None and not isolated:
        r = sc.regions.index(region)
        rows = np.arange(r * S, (r + 1) * S, dtype=np.int64)
    else:
        rows = np.arange(bl.size, dtype=np.int64)
    rows.setflags(write=False)
    q.setflags(write=False)
    return KeySectorResult(
        dataset=system.dataset, year=system.year, region=region, isolated=isolated,
        threshold=threshold, regions=sc.regions, sectors=sc.sectors, backward=_ro(bl),
        forward=_ro(fl), quadrant=q, rows=rows, citation=_citation(system),
        synthetic=system.synthetic, notes=tuple(_status_notes(system, lang)),
    )


# --------------------------------------------------------------------------- extraction
@dataclass(frozen=True, eq=False)
class ExtractionResult:
    """Loss of output (10,000 yuan) and of industry CO2 (Mt) from a hypothetical extraction.

    ``output_loss`` / ``co2_loss`` (n,) by region-sector of the scope; by region and in
    total through :meth:`by_region`; shares relative to the baseline output and CO2.
    """

    dataset: str
    year: int
    target_region: str | None
    target_sector: str | None
    mode: str
    isolated: bool
    regions: Axis
    sectors: Axis
    extracted: NDArray[np.int64]
    x: Arr
    co2: Arr
    output_loss: Arr
    co2_loss: Arr
    citation: str
    synthetic: bool
    notes: tuple[str, ...] = ()

    @property
    def total_output_loss(self) -> float:
        return float(self.output_loss.sum())

    @property
    def total_co2_loss(self) -> float:
        return float(self.co2_loss.sum())

    def by_region(self) -> tuple[Arr, Arr, Arr, Arr]:
        """(output loss, baseline output, CO2 loss, baseline CO2) per region (R,)."""
        R, S = len(self.regions), len(self.sectors)

        def agg(v: Arr) -> Arr:
            return _ro(v.reshape(R, S).sum(axis=1))

        return agg(self.output_loss), agg(self.x), agg(self.co2_loss), agg(self.co2)

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        dx, x, de, e = self.by_region()
        labels = self.regions.labels(lang)

        def share(a: float, b: float) -> float | None:
            return a / b if b != 0 else None

        out: list[dict[str, object]] = []
        for r, code in enumerate(self.regions.codes):
            out.append({
                "region": code, "region_label": labels[r],
                "output_loss_10k_yuan": float(dx[r]),
                "output_loss_share": share(float(dx[r]), float(x[r])),
                "co2_loss_mt": float(de[r]),
                "co2_loss_share": share(float(de[r]), float(e[r])),
            })
        out.append({
            "region": TOTAL_CODE, "region_label": t("structural.total", lang),
            "output_loss_10k_yuan": self.total_output_loss,
            "output_loss_share": share(self.total_output_loss, float(self.x.sum())),
            "co2_loss_mt": self.total_co2_loss,
            "co2_loss_share": share(self.total_co2_loss, float(self.co2.sum())),
        })
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        target = "/".join(c for c in (self.target_region, self.target_sector) if c) or "-"
        return {
            "title": t("structural.title.extract", lang),
            "dataset": self.dataset, "year": str(self.year),
            "target": target,
            "mode": t(f"structural.extract.mode.{self.mode}", lang),
            "scope": _scope_note(self.isolated, self.target_region if self.isolated else None, lang),
            "units": _units({"output_loss_10k_yuan": "10k_yuan", "co2_loss_mt": "mt_co2",
                             "output_loss_share": "dimensionless", "co2_loss_share": "dimensionless"}, lang),
            "definition": t("structural.note.extract", lang),
            **_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return _write(self.as_records(lang), self.metadata(lang), path, fmt)


def _extraction_set(sc: _Scope, region: str | None, sector: str | None) -> NDArray[np.int64]:
    S = len(sc.sectors)
    R = len(sc.regions)
    if sector is None and region is None:
        raise DataError("hypothetical extraction needs a sector, a region, or both",
                        hint="pass --sector (every region), --region (a whole province) or both")
    j = sc.sectors.index(sector) if sector is not None else None
    if sc.isolated:
        if j is None:
            raise DataError("extracting a whole province from its own block leaves nothing",
                            hint="pass --sector with --isolated, or drop --isolated")
        return np.array([j], dtype=np.int64)
    if region is None:
        return np.array([r * S + j for r in range(R)], dtype=np.int64)  # type: ignore[operator]
    r = sc.regions.index(region)
    if j is None:
        return np.arange(r * S, (r + 1) * S, dtype=np.int64)
    return np.array([r * S + j], dtype=np.int64)


def extract(system: EEIOSystem, *, region: str | None = None, sector: str | None = None,
            mode: ExtractMode = "complete", isolated: bool = False, A: Arr | None = None,
            factor: LeontiefFactor | None = None, lang: str | None = None) -> ExtractionResult:
    """Hypothetically extract a sector (in every region), a province, or a sector in a
    province (Miller & Blair 2009 §12.2; Dietzenbacher & Lahr 2013).

    ``mode``: ``complete`` (remove its rows, columns and final demand; default),
    ``backward`` (it buys no inputs from the rest) or ``forward`` (it sells no inputs to
    the rest). The reduced system is factorised once; the baseline uses the cached
    ``factor``. With ``isolated=True`` the province's own block is used (``region`` names
    it, ``sector`` is required).
    """
    if mode not in EXTRACTION_MODES:
        raise DataError(f"unknown extraction mode {mode!r}", hint="use one of: " + ", ".join(EXTRACTION_MODES))
    sc = _scope(system, region=region, isolated=isolated, A=A, factor=factor)
    return _extract_on(system, sc, region=region, sector=sector, mode=mode, lang=lang)


def _extract_on(system: EEIOSystem, sc: _Scope, *, region: str | None, sector: str | None,
                mode: ExtractMode, lang: str | None) -> ExtractionResult:
    """:func:`extract` on a prepared scope."""
    isolated = sc.isolated
    E = _extraction_set(sc, region, sector)
    res = hypothetical_extraction(sc.A, sc.y, sc.e, E, mode=mode, x=sc.x)
    E.setflags(write=False)
    return ExtractionResult(
        dataset=system.dataset, year=system.year, target_region=region, target_sector=sector,
        mode=mode, isolated=isolated, regions=sc.regions, sectors=sc.sectors, extracted=E,
        x=sc.x, co2=_ro(sc.e * sc.x), output_loss=res.output_loss, co2_loss=res.emission_loss,
        citation=_citation(system), synthetic=system.synthetic,
        notes=tuple(_status_notes(system, lang)),
    )


# --------------------------------------------------------------------------- SPA
@dataclass(frozen=True)
class SPAPath:
    """One supply-chain path: ``nodes[0]`` the final-demand region-sector, ``nodes[-1]`` the
    emitter; ``value_mt`` its CO2 (Mt), ``share`` of the target's total."""

    rank: int
    depth: int
    value_mt: float
    share: float | None
    nodes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class SPAResult:
    """Top supply-chain paths by CO2 behind a target (Miller & Blair 2009 §6.8; Lenzen 2003).

    ``total_mt`` = ``m·y`` (industry CO2 driven by the target's final demand; households'
    direct emissions are not supply-chain paths and are excluded), ``found_mt`` the sum
    of all paths above the threshold to ``depth``, ``coverage`` = found / total,
    ``top_coverage`` = the listed paths / total.
    """

    dataset: str
    year: int
    region: str | None
    sector: str | None
    target: str
    isolated: bool
    depth: int
    threshold_mt: float
    total_mt: float
    found_mt: float
    n_paths: int
    n_nodes: int
    paths: tuple[SPAPath, ...]
    regions: Axis
    sectors: Axis
    citation: str
    synthetic: bool
    seconds: float
    notes: tuple[str, ...] = ()

    @property
    def coverage(self) -> float | None:
        return self.found_mt / self.total_mt if self.total_mt != 0 else None

    @property
    def top_coverage(self) -> float | None:
        top = sum(p.value_mt for p in self.paths)
        return top / self.total_mt if self.total_mt != 0 else None

    def path_text(self, path: SPAPath, lang: str | None = None, *, labels: bool = False) -> str:
        """``GD/25 → GD/13 → GD/28``: from the emitting sector down to the final demand."""
        lang = normalize_lang(lang)
        parts = []
        for rc, sc in reversed(path.nodes):
            if labels:
                r_lab = self.regions.labels(lang)[self.regions.index(rc)]
                s_lab = self.sectors.labels(lang)[self.sectors.index(sc)]
                parts.append(f"{r_lab} {s_lab}")
            else:
                parts.append(f"{rc}/{sc}")
        return " → ".join(parts)

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        out: list[dict[str, object]] = []
        for p in self.paths:
            out.append({
                "rank": p.rank,
                "depth": p.depth,
                "value_mt": p.value_mt,
                "share": p.share,
                "emitter_region": p.nodes[-1][0],
                "emitter_sector": p.nodes[-1][1],
                "final_demand_region": p.nodes[0][0],
                "final_demand_sector": p.nodes[0][1],
                "path": self.path_text(p, lang),
                "path_label": self.path_text(p, lang, labels=True),
            })
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        return {
            "title": t("structural.title.spa", lang),
            "dataset": self.dataset, "year": str(self.year),
            "target": self.target,
            "scope": _scope_note(self.isolated, self.region if self.isolated else None, lang),
            "units": _units({"value_mt": "mt_co2", "share": "dimensionless"}, lang),
            "depth": str(self.depth),
            "threshold_mt": f"{self.threshold_mt:.6g}",
            "total_mt": f"{self.total_mt:.6g}",
            "coverage": "" if self.coverage is None else f"{self.coverage:.6f}",
            "top_coverage": "" if self.top_coverage is None else f"{self.top_coverage:.6f}",
            "paths_above_threshold": str(self.n_paths),
            "tree_nodes": str(self.n_nodes),
            "definition": t("structural.note.spa", lang),
            **_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return _write(self.as_records(lang), self.metadata(lang), path, fmt)


def _spa_target(system: EEIOSystem, sc: _Scope, region: str | None,
                sector: str | None) -> tuple[Arr, str]:
    table = system.table
    S = len(sc.sectors)
    if region is None:
        raise DataError("structural path analysis needs a target region",
                        hint="pass --region (its footprint) and optionally --sector")
    if sector is not None:
        j = sc.sectors.index(sector)
        i = j if sc.isolated else table.regions.index(region) * S + j
        y = np.zeros(sc.y.size)
        y[i] = sc.y[i]
        return y, f"final_demand:{region}/{sector}"
    K = len(table.fd_categories)
    s = table.regions.index(region)
    own = np.asarray(table.Y[:, s * K:(s + 1) * K]).sum(axis=1)
    if sc.isolated:
        return own[table.region_slice(region)], f"footprint_own_block:{region}"
    return own, f"footprint:{region}"


def spa(system: EEIOSystem, *, region: str | None, sector: str | None = None,
        isolated: bool = False, depth: int = 6, threshold: float = 1e-4,
        threshold_mt: float | None = None, top: int = 50, A: Arr | None = None,
        factor: LeontiefFactor | None = None, children: SortedChildren | None = None,
        max_nodes: int = SPA_MAX_NODES, lang: str | None = None) -> SPAResult:
    """Top ``top`` supply-chain paths by CO2 behind a target (Miller & Blair 2009 §6.8).

    Target: ``region`` alone = the province's footprint (its own final-demand columns,
    all products, all source regions; exports excluded); ``region`` + ``sector`` = that
    region-sector's whole final demand (incl. exports). ``isolated``: the province's own
    block (footprint = its final demand for its own products). Threshold: ``threshold``
    as a share of the target's total (default 1e-4) or ``threshold_mt`` in Mt.
    ``max_nodes`` caps the search tree (a :class:`DataError` asks for a higher threshold).
    """
    _check_spa_options(depth, top)
    sc = _scope(system, region=region, isolated=isolated, A=A, factor=factor)
    return _spa_on(system, sc, region=region, sector=sector, depth=depth, threshold=threshold,
                   threshold_mt=threshold_mt, top=top, children=children, max_nodes=max_nodes,
                   lang=lang)


def _check_spa_options(depth: int, top: int) -> None:
    if depth < 0 or depth > 20:
        raise DataError(f"SPA depth must be between 0 and 20, got {depth}")
    if top < 1:
        raise DataError(f"SPA top must be at least 1, got {top}")


def _spa_on(system: EEIOSystem, sc: _Scope, *, region: str | None, sector: str | None, depth: int,
            threshold: float, threshold_mt: float | None, top: int,
            children: SortedChildren | None, max_nodes: int, lang: str | None) -> SPAResult:
    """:func:`spa` on a prepared scope."""
    import time

    _check_spa_options(depth, top)
    isolated = sc.isolated
    y, target = _spa_target(system, sc, region, sector)
    total = float(sc.m @ y)
    tau = threshold_mt if threshold_mt is not None else abs(total) * threshold
    if tau < 0:
        raise DataError(f"SPA threshold must be ≥ 0, got {tau}")
    t0 = time.perf_counter()
    ch = children if children is not None else sorted_children(sc.A, sc.m)
    arr = structural_paths(sc.A, sc.e, sc.m, y, max_depth=depth, threshold=tau, top=top, children=ch,
                           max_nodes=max_nodes)
    secs = time.perf_counter() - t0
    paths = []
    for p in range(arr.values.size):
        k = int(arr.depths[p])
        nodes = tuple(_node_code(sc.regions, sc.sectors, int(i)) for i in arr.nodes[p, : k + 1])
        v = float(arr.values[p])
        paths.append(SPAPath(rank=p + 1, depth=k, value_mt=v,
                             share=v / total if total != 0 else None, nodes=nodes))
    notes = [t("structural.note.spa_households", lang), *_status_notes(system, lang)]
    return SPAResult(
        dataset=system.dataset, year=system.year, region=region, sector=sector, target=target,
        isolated=isolated, depth=depth, threshold_mt=tau, total_mt=total, found_mt=arr.found,
        n_paths=arr.n_paths, n_nodes=arr.n_nodes, paths=tuple(paths), regions=sc.regions,
        sectors=sc.sectors, citation=_citation(system), synthetic=system.synthetic,
        seconds=secs, notes=tuple(notes),
    )


# --------------------------------------------------------------------------- sda
@dataclass(frozen=True, eq=False)
class SDAResult:
    """Five-factor structural decomposition (``sda``) of the change in industry CO2 driven
    by each destination's final demand between two years (Mt CO2).

    ``destinations``: the provinces (their own final demand) and ``EX`` (foreign exports);
    ``effects`` (5 × D) in the order of :data:`~viscarbon.calc.sda.SDA_FACTORS`,
    ``co2_from`` / ``co2_to`` (D,); ``households_change`` (D,) the change in households'
    direct CO2 (not decomposed; 0 for ``EX``). The national row sums every destination.
    """

    dataset: str
    from_year: int
    to_year: int
    method: str
    isolated: bool
    region: str | None
    destinations: tuple[str, ...]
    destination_labels_en: tuple[str, ...]
    destination_labels_zh: tuple[str, ...]
    effects: Arr
    co2_from: Arr
    co2_to: Arr
    households_change: Arr
    deflated: bool
    citation: str
    synthetic: bool
    national_effects: Arr
    national_from: float
    national_to: float
    national_households: float
    notes: tuple[str, ...] = ()

    @property
    def change(self) -> Arr:
        return _ro(self.co2_to - self.co2_from)

    def national(self) -> tuple[Arr, float, float]:
        """(effects (5,), CO2 from, CO2 to) summed over every destination (Mt), also when
        the rows shown are one province's."""
        return self.national_effects, self.national_from, self.national_to

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        labels = self.destination_labels_zh if lang == "zh-Hans" else self.destination_labels_en

        def row(code: str, label: str, eff: Arr, e0: float, e1: float, hh: float) -> dict[str, object]:
            rec: dict[str, object] = {"destination": code, "destination_label": label,
                                      "co2_from_mt": e0, "co2_to_mt": e1, "change_mt": e1 - e0}
            for k, name in enumerate(SDA_FACTORS):
                rec[f"{name}_mt"] = float(eff[k])
            rec["households_direct_change_mt"] = hh
            return rec

        out = [row(code, labels[d], self.effects[:, d], float(self.co2_from[d]), float(self.co2_to[d]),
                   float(self.households_change[d]))
               for d, code in enumerate(self.destinations)]
        if not self.isolated:
            eff, e0, e1 = self.national()
            out.append(row(NATIONAL_CODE, t("structural.national", lang), eff, e0, e1,
                           self.national_households))
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        return {
            "title": t("structural.title.sda", lang),
            "dataset": self.dataset,
            "years": f"{self.from_year}-{self.to_year}",
            "method": t(f"structural.sda.method.{self.method}", lang),
            "scope": _scope_note(self.isolated, self.region, lang),
            "units": _units({"*_mt": "mt_co2"}, lang),
            "prices": t("structural.sda.deflated" if self.deflated else "structural.sda.current_prices", lang),
            "factors": ", ".join(t(f"structural.sda.factor.{f}", lang) for f in SDA_FACTORS),
            "definition": t("structural.note.sda", lang),
            **_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return _write(self.as_records(lang), self.metadata(lang), path, fmt)


def _check_same_axes(s0: EEIOSystem, s1: EEIOSystem) -> None:
    t0, t1 = s0.table, s1.table
    for name, a, b in (("region", t0.regions, t1.regions), ("sector", t0.sectors, t1.sectors)):
        if a.codes != b.codes or a.list_id != b.list_id:
            raise DataError(
                f"sda needs two years on the same {name} axis: {t0.year} has "
                f"{len(a)} {name}s ({a.list_id or 'custom'}), {t1.year} has {len(b)} "
                f"({b.list_id or 'custom'})",
                hint="pick two vintages of one sector classification (e.g. 2012, 2015, 2017)",
            )
    if t0.fd_categories.codes != t1.fd_categories.codes:
        raise DataError(f"sda needs the same final-demand categories in {t0.year} and {t1.year}")


def _check_sda(system0: EEIOSystem, system1: EEIOSystem, *, method: str, region: str | None) -> None:
    if method not in SDA_METHODS:
        raise DataError(f"unknown sda method {method!r}", hint="use one of: " + ", ".join(SDA_METHODS))
    _check_same_axes(system0, system1)
    if region is not None:
        system0.table.regions.index(region)


def _deflator_vector(deflators: Mapping[int, float | Sequence[float]] | None, year: int,
                     R: int, S: int) -> Arr:
    if deflators is None:
        return np.ones(R * S)
    if year not in deflators:
        raise DataError(f"a deflator was supplied but none for {year}",
                        hint="give a price index for both years (e.g. 2012: 1.0, 2017: 1.08)")
    p = np.asarray(deflators[year], dtype=np.float64)
    if p.ndim == 0:
        p = np.full(S, float(p))
    if p.shape != (S,) or not np.all(np.isfinite(p)) or np.any(p <= 0):
        raise DataError(f"the deflator for {year} must be a positive number or {S} positive numbers "
                        "(one per sector)")
    return np.tile(p, R)


def sda(system0: EEIOSystem, system1: EEIOSystem, *, method: SdaMethod = "polar",
        region: str | None = None, isolated: bool = False,
        deflators: Mapping[int, float | Sequence[float]] | None = None,
        factors: tuple[LeontiefFactor, LeontiefFactor] | None = None,
        coefficients: tuple[Arr, Arr] | None = None,
        lang: str | None = None) -> SDAResult:
    """Structural decomposition (``sda``) of CO2 between two vintages (Miller & Blair §13.1).

    Per destination ``d`` (each province's own final demand; ``EX`` foreign exports):
    ``E_d = f L y_d``, ``y_d = level_d · mix_d ⊙ sourcing_d`` (see
    :mod:`viscarbon.calc.sda`). ``method``: ``polar`` (mean of the two polar forms) or
    ``shapley`` (mean of all 120 orderings). Current prices unless ``deflators``
    (year → a price index, scalar or one per sector, base 1) are given: then
    ``y/p``, ``x/p``, ``f·p``, ``A_real = p̂⁻¹ A p̂``. ``region`` restricts the rows to one
    destination; ``isolated`` decomposes that province's own block (one destination).
    ``factors`` (and ``coefficients``, the two ``A``) reuse the two years' cached LU
    factors (full MRIO only).
    """
    _check_sda(system0, system1, method=method, region=region)
    scopes = []
    for k, sysm in enumerate((system0, system1)):
        fac = factors[k] if (factors is not None and not isolated) else None
        A_k = coefficients[k] if (coefficients is not None and not isolated) else None
        scopes.append(_scope(sysm, region=region, isolated=isolated, A=A_k, factor=fac))
    return _sda_on(system0, system1, (scopes[0], scopes[1]), method=method, region=region,
                   deflators=deflators, lang=lang)


def _sda_on(system0: EEIOSystem, system1: EEIOSystem, scopes: tuple[_Scope, _Scope], *,
            method: SdaMethod, region: str | None,
            deflators: Mapping[int, float | Sequence[float]] | None, lang: str | None) -> SDAResult:
    """:func:`sda` on the two years' prepared scopes (same isolation)."""
    isolated = scopes[0].isolated
    t0, t1 = system0.table, system1.table
    R, S, K = t0.n_regions, t0.n_sectors, len(t0.fd_categories)
    if isolated:
        Rn = 1
        Ys = [sc.y[:, None] for sc in scopes]
        codes: tuple[str, ...] = (region or "",)
        lab_en: tuple[str, ...] = (t0.regions.labels_en[t0.regions.index(region or "")],)
        lab_zh: tuple[str, ...] = (t0.regions.labels_zh[t0.regions.index(region or "")],)
    else:
        Rn = R
        Ys = [np.column_stack([sysm.table.Y_by_region(), sysm.table.EX]) for sysm in (system0, system1)]
        codes = (*t0.regions.codes, EXPORTS_CODE)
        lab_en = (*t0.regions.labels_en, t("structural.exports", "en"))
        lab_zh = (*t0.regions.labels_zh, t("structural.exports", "zh-Hans"))
    years = (t0.year, t1.year)
    p = [_deflator_vector(deflators, y, Rn, S) for y in years]
    M = np.empty((2, 2, Rn * S))
    for a in range(2):
        for b in range(2):
            M[a, b] = solve_transposed(scopes[b].factor, scopes[a].e * p[a] / p[b]) * p[b]
    Yr = [Ys[k] / p[k][:, None] for k in range(2)]
    arr = structural_decomposition(M, Yr[0], Yr[1], n_regions=Rn, n_sectors=S, method=method)
    hh = np.zeros(len(codes))
    if not isolated:
        FY = [sysm.satellite("CO2").total_Y.reshape(R, K).sum(axis=1) for sysm in (system0, system1)]
        hh[:R] = FY[1] - FY[0]
    else:
        r = t0.regions.index(region or "")
        hh[0] = (system1.satellite("CO2").total_Y.reshape(R, K).sum(axis=1)[r]
                 - system0.satellite("CO2").total_Y.reshape(R, K).sum(axis=1)[r])
    notes = [t("structural.note.sda_households", lang)]
    for sysm in (system0, system1):
        notes += [f"{sysm.year}: {n}" for n in _status_notes(sysm, lang)]
    effects, e0, e1 = arr.effects, arr.E0, arr.E1
    nat = (_ro(effects.sum(axis=1)), float(e0.sum()), float(e1.sum()), float(hh.sum()))
    if region is not None and not isolated:
        d = t0.regions.index(region)
        effects, e0, e1 = effects[:, [d]], e0[[d]], e1[[d]]
        hh = hh[[d]]
        codes, lab_en, lab_zh = (codes[d],), (lab_en[d],), (lab_zh[d],)
    cite = "; ".join(dict.fromkeys(c for c in (_citation(system0), _citation(system1)) if c))
    return SDAResult(
        dataset=system1.dataset, from_year=t0.year, to_year=t1.year, method=method,
        isolated=isolated, region=region, destinations=codes, destination_labels_en=lab_en,
        destination_labels_zh=lab_zh, effects=_ro(effects), co2_from=_ro(e0), co2_to=_ro(e1),
        households_change=_ro(hh), deflated=deflators is not None, citation=cite,
        synthetic=system0.synthetic or system1.synthetic, national_effects=nat[0],
        national_from=nat[1], national_to=nat[2], national_households=nat[3], notes=tuple(notes),
    )


# --------------------------------------------------------------------------- engine wrapper
@dataclass(eq=False)
class StructuralAnalysis:
    """Structural analyses on top of an :class:`~viscarbon.analysis.engine.Engine`.

    Reuses the engine's cached :class:`~viscarbon.analysis.engine.Coefficients` (``A`` and
    the LU factor of ``I − A``) per (dataset, year): once a year is factorised, none of
    these analyses factorises ``I − A`` again (extraction factorises its *reduced* matrix,
    the isolated mode its 42 × 42 block). SPA's sorted-children table (n² numbers) is
    cached here for the last few (dataset, year, scope).
    """

    engine: Any
    max_cached: int = 4
    _children: OrderedDict[tuple[object, ...], SortedChildren] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _coeffs(self, dataset: str, year: int) -> Any:
        return self.engine.coefficients(dataset, year)

    def _scope_of(self, dataset: str, year: int, *, region: str | None, isolated: bool) -> _Scope:
        """The scope of an analysis: the full MRIO's is built once per (dataset, year,
        store generation) in the engine's year cache (its ``x = L y`` and ``m = e L`` solves
        are per year, not per province or request); a province block is cheap (S × S)."""
        c = self._coeffs(dataset, year)
        if isolated:
            return _scope(c.system, region=region, isolated=True)
        if region is not None:
            c.table.regions.index(region)  # validate early (UnknownCode names the allowed values)
        return self.engine.memo(dataset, year, ("structural_scope",),
                                lambda: _scope(c.system, region=None, isolated=False, A=c.A, factor=c.factor))

    def _label(self, result: Any, dataset: str) -> Any:
        """Name the dataset and use the repository's citation (table + linked inventory)."""
        info = self.engine.repository.dataset(dataset)
        return replace(result, dataset=dataset, citation=info.citation or result.citation,
                       synthetic=bool(info.synthetic or result.synthetic))

    def linkages(self, dataset: str, year: int, *, region: str | None = None,
                 isolated: bool = False, threshold: float = 1.0,
                 lang: str | None = None) -> KeySectorResult:
        c = self._coeffs(dataset, year)
        sc = self._scope_of(dataset, year, region=region, isolated=isolated)
        res = _key_sectors_on(c.system, sc, region=region, threshold=threshold, lang=lang,
                              linkages=None if isolated else (c.backward, c.forward))
        return self._label(res, dataset)

    def extract(self, dataset: str, year: int, *, region: str | None = None,
                sector: str | None = None, mode: ExtractMode = "complete",
                isolated: bool = False, lang: str | None = None) -> ExtractionResult:
        if mode not in EXTRACTION_MODES:
            raise DataError(f"unknown extraction mode {mode!r}", hint="use one of: " + ", ".join(EXTRACTION_MODES))
        c = self._coeffs(dataset, year)
        sc = self._scope_of(dataset, year, region=region, isolated=isolated)
        res = _extract_on(c.system, sc, region=region, sector=sector, mode=mode, lang=lang)
        return self._label(res, dataset)

    def children(self, dataset: str, year: int, *, region: str | None = None,
                 isolated: bool = False) -> SortedChildren:
        """The cached SPA children table of a (dataset, year) or a province block."""
        token = self.engine.repository.cache_token(dataset)
        key = (dataset, int(year), token, region if isolated else None)
        with self._lock:
            ch = self._children.get(key)
            if ch is not None:
                self._children.move_to_end(key)
                return ch
        sc = self._scope_of(dataset, year, region=region, isolated=isolated)
        ch = sorted_children(sc.A, sc.m)
        with self._lock:
            self._children[key] = ch
            while len(self._children) > self.max_cached:
                self._children.popitem(last=False)
        return ch

    def spa(self, dataset: str, year: int, *, region: str | None, sector: str | None = None,
            isolated: bool = False, depth: int = 6, threshold: float = 1e-4,
            threshold_mt: float | None = None, top: int = 50,
            lang: str | None = None) -> SPAResult:
        c = self._coeffs(dataset, year)
        if region is None:
            raise DataError("structural path analysis needs a target region",
                            hint="pass --region (its footprint) and optionally --sector")
        _check_spa_options(depth, top)
        ch = self.children(dataset, year, region=region, isolated=isolated)
        sc = self._scope_of(dataset, year, region=region, isolated=isolated)
        res = _spa_on(c.system, sc, region=region, sector=sector, depth=depth, threshold=threshold,
                      threshold_mt=threshold_mt, top=top, children=ch, max_nodes=SPA_MAX_NODES, lang=lang)
        return self._label(res, dataset)

    def sda(self, dataset: str, from_year: int, to_year: int, *, method: SdaMethod = "polar",
            region: str | None = None, isolated: bool = False,
            deflators: Mapping[int, float | Sequence[float]] | None = None,
            lang: str | None = None) -> SDAResult:
        c0, c1 = self._coeffs(dataset, from_year), self._coeffs(dataset, to_year)
        _check_sda(c0.system, c1.system, method=method, region=region)
        scopes = (self._scope_of(dataset, from_year, region=region, isolated=isolated),
                  self._scope_of(dataset, to_year, region=region, isolated=isolated))
        res = _sda_on(c0.system, c1.system, scopes, method=method, region=region, deflators=deflators,
                      lang=lang)
        return self._label(res, dataset)
