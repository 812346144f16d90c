"""Levers resolved against a baseline: the index arrays they touch and their effect over
the years (multipliers of intensities, demand columns and coefficients)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import ScenarioError
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.scenario import EXPORTS, HOUSEHOLDS, Lever

__all__ = ["ResolvedLever", "effect_years", "resolve_lever"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ResolvedLever:
    """A lever on a baseline's axes. ``rows`` region-sector indices (n); ``hh_cols`` and
    ``demand_cols`` final-demand columns (C, with C itself = foreign exports);
    ``coef_rows``/``coef_cols`` the coefficients a_ij it scales; ``fuel``/``power`` for
    electrification: per user column j (``coef_cols``), the fuel rows of its region and its
    region's power row; ``level`` (T,) its strength by year: the cumulative multiplier
    ``(1 + rate)^k`` for rate levers, the ramped fraction for ``power`` and
    ``electrification``; ``start`` the first year it acts (after the calibration years)."""

    lever: Lever
    rows: NDArray[np.intp]
    hh_cols: NDArray[np.intp]
    demand_cols: NDArray[np.intp]
    coef_rows: NDArray[np.intp]
    coef_cols: NDArray[np.intp]
    power_of_col: NDArray[np.intp]
    level: Arr
    start: int
    notes: tuple[str, ...] = ()


def effect_years(years: NDArray[np.int64], start: int, end: int) -> NDArray[np.int64]:
    """How many years of the lever have acted by each year: 0 before ``start``, then
    1, 2, … up to ``end − start + 1``."""
    return np.clip(years - start + 1, 0, max(end - start + 1, 0)).astype(np.int64)


def _regions(lever: Lever, base: RoadmapBase, codes: tuple[str, ...] | None, field: str, file: str) -> list[int]:
    if codes is None:
        return list(range(base.n_regions))
    out = []
    for c in codes:
        if c not in base.regions.codes:
            raise ScenarioError(f"region {c!r} is not in dataset {base.dataset.name!r}", file=file, line=lever.line,
                                field=field, allowed=", ".join(base.regions.codes))
        out.append(base.regions.index(c))
    return out


def _sectors(lever: Lever, base: RoadmapBase, codes: tuple[str, ...] | None, field: str, file: str,
             *, households: bool = False) -> tuple[list[int], bool]:
    """Sector positions named by codes or ``group:<g>``; whether ``HH`` was named."""
    S = base.n_sectors
    if codes is None:
        return list(range(S)), households
    out: list[int] = []
    hh = False
    for c in codes:
        if c == HOUSEHOLDS:
            hh = True
        elif c.startswith("group:"):
            g = c.split(":", 1)[1]
            if g not in base.assumptions.groups:
                raise ScenarioError(f"unknown benchmark group {g!r}", file=file, line=lever.line, field=field,
                                    allowed=", ".join(f"group:{k}" for k in base.assumptions.groups))
            out += [k for k, grp in enumerate(base.groups) if grp == g]
        elif c in base.sectors.codes:
            out.append(base.sectors.index(c))
        else:
            raise ScenarioError(f"sector {c!r} is not in the sector list {base.sectors.list_id or 'custom'}",
                                file=file, line=lever.line, field=field, allowed=f"01 … {S:02d}")
    return sorted(set(out)), hh


def resolve_lever(lever: Lever, base: RoadmapBase, *, file: str = "<scenario>") -> ResolvedLever:
    """Index arrays and yearly level of ``lever`` on ``base`` (see :class:`ResolvedLever`);
    a lever that starts in a calibration year acts from the first projected year (noted)."""
    S, K, R = base.n_sectors, len(base.fd_categories), base.n_regions
    C = R * K
    notes: list[str] = []
    start = lever.start
    if start <= base.t_cal:
        start = base.t_cal + 1
        notes.append(f"lever {lever.label or lever.kind} starts after the calibrated years, in {start}")
    end = lever.end
    years = base.years
    k = effect_years(years, start, end)
    empty = np.zeros(0, dtype=np.intp)
    rows = hh_cols = demand_cols = coef_rows = coef_cols = power_of_col = empty
    regs = _regions(lever, base, lever.regions, "regions", file)
    if lever.kind in ("intensity", "final_demand", "coefficient"):
        level = (1.0 + lever.rate) ** k.astype(np.float64)
    elif end >= start:
        level = np.clip(k / (end - start + 1), 0.0, 1.0) * (lever.cut if lever.kind == "power" else lever.share)
    else:
        level = np.zeros(len(years))
    if lever.kind == "intensity":
        secs, hh = _sectors(lever, base, lever.sectors, "sectors", file)
        rows = np.array([r * S + s for r in regs for s in secs], dtype=np.intp)
        if hh:
            hh_cols = np.array([r * K + j for r in regs for j in range(K)], dtype=np.intp)
    elif lever.kind == "power":
        rows = base.power_rows[regs]
    elif lever.kind == "final_demand":
        cats = lever.categories
        codes = list(base.fd_categories.codes)
        cols: list[int] = []
        if cats is None or EXPORTS in cats:
            cols.append(C)
        want = codes if cats is None else [c for c in cats if c != EXPORTS]
        for c in want:
            if c not in codes:
                raise ScenarioError(f"final-demand category {c!r} is not in dataset {base.dataset.name!r}", file=file,
                                    line=lever.line, field="categories", allowed=", ".join([*codes, EXPORTS]))
            j = codes.index(c)
            cols += [r * K + j for r in regs]
        if cats is not None and EXPORTS in cats and lever.regions is not None:
            notes.append("foreign exports (EX) are one column for the whole table: the lever's regions do not "
                         "narrow it")
        demand_cols = np.array(sorted(set(cols)), dtype=np.intp)
    elif lever.kind == "coefficient":
        ins, _ = _sectors(lever, base, lever.inputs, "inputs", file)
        users, _ = _sectors(lever, base, lever.users, "users", file)
        in_regs = _regions(lever, base, lever.input_regions, "input_regions", file)
        i_idx = np.array([r * S + s for r in in_regs for s in ins], dtype=np.intp)
        j_idx = np.array([r * S + s for r in regs for s in users], dtype=np.intp)
        coef_rows = np.repeat(i_idx, len(j_idx))
        coef_cols = np.tile(j_idx, len(i_idx))
    elif lever.kind == "electrification":
        secs, _ = _sectors(lever, base, lever.sectors, "sectors", file)
        rows = np.array([r * S + s for r in regs for s in secs], dtype=np.intp)
        coef_cols = rows
        power_of_col = base.power_rows[rows // S]
    return ResolvedLever(lever=lever, rows=rows, hh_cols=hh_cols, demand_cols=demand_cols, coef_rows=coef_rows,
                         coef_cols=coef_cols, power_of_col=power_of_col, level=level, start=start, notes=tuple(notes))
