"""Structural path analysis (SPA): the top supply-chain paths by CO2 behind a
province's footprint or a region-sector's final demand (Miller & Blair 2009 §6.8;
Lenzen 2003)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import columns
from viscarbon.analysis.scope import (
    Format,
    Scope,
    citation_of,
    make_scope,
    meta_tail,
    node_code,
    scope_note,
    status_notes,
    units_text,
    write_records,
)
from viscarbon.calc.leontief import LeontiefFactor
from viscarbon.calc.spa import SortedChildren, sorted_children, structural_paths
from viscarbon.errors import DataError
from viscarbon.i18n import normalize_lang, t
from viscarbon.io.writers.schema import Schema
from viscarbon.model import Axis, EEIOSystem

__all__ = [
    "SPA_MAX_NODES",
    "SPAPath",
    "SPAResult",
    "check_spa_options",
    "spa",
    "spa_on",
]

Arr = NDArray[np.float64]
#: default cap on the SPA search tree (a DataError asks for a higher threshold beyond it)
SPA_MAX_NODES: Final = 5_000_000


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
            "scope": scope_note(self.isolated, self.region if self.isolated else None, lang),
            "units": units_text(self.schema(), lang),
            "depth": str(self.depth),
            "threshold_mt": f"{self.threshold_mt:.6g}",
            "total_mt": f"{self.total_mt:.6g}",
            "coverage": "" if self.coverage is None else f"{self.coverage:.6f}",
            "top_coverage": "" if self.top_coverage is None else f"{self.top_coverage:.6f}",
            "paths_above_threshold": str(self.n_paths),
            "tree_nodes": str(self.n_nodes),
            "definition": t("structural.note.spa", lang),
            **meta_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return write_records(self.as_records(lang), self.metadata(lang), path, fmt, schema=self.schema(),
                             lang=lang)

    def schema(self) -> Schema:
        """The columns of :meth:`as_records` (:mod:`viscarbon.analysis.columns`)."""
        return columns.SPA


def _spa_target(system: EEIOSystem, sc: Scope, region: str | None,
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
    check_spa_options(depth, top)
    sc = make_scope(system, region=region, isolated=isolated, A=A, factor=factor)
    return spa_on(system, sc, region=region, sector=sector, depth=depth, threshold=threshold,
                   threshold_mt=threshold_mt, top=top, children=children, max_nodes=max_nodes,
                   lang=lang)


def check_spa_options(depth: int, top: int) -> None:
    if depth < 0 or depth > 20:
        raise DataError(f"SPA depth must be between 0 and 20, got {depth}")
    if top < 1:
        raise DataError(f"SPA top must be at least 1, got {top}")


def spa_on(system: EEIOSystem, sc: Scope, *, region: str | None, sector: str | None, depth: int,
            threshold: float, threshold_mt: float | None, top: int,
            children: SortedChildren | None, max_nodes: int, lang: str | None) -> SPAResult:
    """:func:`spa` on a prepared scope."""
    check_spa_options(depth, top)
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
        nodes = tuple(node_code(sc.regions, sc.sectors, int(i)) for i in arr.nodes[p, : k + 1])
        v = float(arr.values[p])
        paths.append(SPAPath(rank=p + 1, depth=k, value_mt=v,
                             share=v / total if total != 0 else None, nodes=nodes))
    notes = [t("structural.note.spa_households", lang), *status_notes(system, lang)]
    return SPAResult(
        dataset=system.dataset, year=system.year, region=region, sector=sector, target=target,
        isolated=isolated, depth=depth, threshold_mt=tau, total_mt=total, found_mt=arr.found,
        n_paths=arr.n_paths, n_nodes=arr.n_nodes, paths=tuple(paths), regions=sc.regions,
        sectors=sc.sectors, citation=citation_of(system), synthetic=system.synthetic,
        seconds=secs, notes=tuple(notes),
    )
