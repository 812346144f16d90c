"""Accounts of large systems (city MRIO tables, 13,146 sectors and more), with the
memory stated up front.

:func:`plan_system` estimates the memory of the dense and the sparse path
(:func:`viscarbon.calc.scale.memory_estimate`) for a system before anything is
allocated, compares it with the memory available (:func:`viscarbon.io.files.available_memory`,
or ``available`` given) and chooses the path, or refuses with
:class:`~viscarbon.errors.MemoryLimitError` naming the memory needed and available.
:func:`table_accounts` (an :class:`~viscarbon.model.IOTable`) and :func:`flows_accounts`
(sparse flows, as the benchmark generates them) run the chosen path and return the
accounts of :class:`viscarbon.calc.scale.ScaleAccounts` with the plan;
:func:`export_table_accounts` writes them as plain CSV only after the plan passed and the
accounts were computed (a refusal writes nothing).

These sit beside :func:`viscarbon.analysis.factorise` (the provincial path, unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.scale import (
    IterativeSolver,
    MemoryEstimate,
    Method,
    ScaleAccounts,
    Solver,
    SparseSolver,
    choose_method,
    factorize_flows,
    factorize_flows_sparse_input,
    factorize_iterative,
    factorize_sparse,
    scale_accounts,
)
from viscarbon.errors import DataError, NotFound
from viscarbon.io.files import available_memory
from viscarbon.io.store import Store
from viscarbon.io.writers.tables import write_columns
from viscarbon.model import IOTable

__all__ = ["ScaleRun", "export_stored_accounts", "export_table_accounts", "flows_accounts", "load_stored",
           "plan_system", "table_accounts"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ScaleRun:
    """The accounts and how they were computed: the ``plan`` (path and memory estimate),
    ``available`` bytes at planning, for the sparse path the LU ``fill``
    (nnz(L + U) / nnz(I − A)), for the iterative path the GMRES ``iterations`` of every solve."""

    accounts: ScaleAccounts
    plan: MemoryEstimate
    available: int
    fill: float | None
    iterations: tuple[int, ...] = ()


def plan_system(n: int, nnz: int, *, rhs: int, available: int | None = None,
                method: Method | Literal["auto"] = "auto") -> tuple[MemoryEstimate, int]:
    """The path for a system of order ``n`` with ``nnz`` flows and ``rhs`` right-hand
    sides, and the bytes available it was checked against; raises
    :class:`~viscarbon.errors.MemoryLimitError` before anything is allocated."""
    avail = available_memory() if available is None else int(available)
    return choose_method(n, nnz, avail, rhs=rhs, method=method), avail


def _run(solver: Solver, plan: MemoryEstimate, avail: int, *, F: ArrayLike, x: Arr, Y_regions: Arr,
         EX: Arr, n_regions: int) -> ScaleRun:
    acc = scale_accounts(solver, F=F, x=x, Y_regions=Y_regions, EX=EX, n_regions=n_regions)
    fill = solver.fill if isinstance(solver, SparseSolver) else None
    its = tuple(solver.iterations) if isinstance(solver, IterativeSolver) else ()
    return ScaleRun(accounts=acc, plan=plan, available=avail, fill=fill, iterations=its)


def _solver(plan: MemoryEstimate, Z: sp.sparray | sp.spmatrix, x: Arr, *, block: int) -> Solver:
    if plan.method == "dense":
        return factorize_flows_sparse_input(Z, x)
    if plan.method == "iterative":
        return factorize_iterative(Z, x, block=block)
    return factorize_sparse(Z, x)


def table_accounts(table: IOTable, F: ArrayLike, *, available: int | None = None,
                   method: Method | Literal["auto"] = "auto") -> ScaleRun:
    """The accounts of ``table`` with CO2 ``F`` (n,) Mt by region-sector, on the path
    :func:`plan_system` chooses (foreign exports as one more destination)."""
    R = table.n_regions
    plan, avail = plan_system(table.n, int(np.count_nonzero(table.Z)), rhs=R + 1, available=available,
                              method=method)
    solver = (factorize_flows(table.Z, table.x) if plan.method == "dense"
              else _solver(plan, sp.csc_array(table.Z), table.x, block=table.n_sectors))
    return _run(solver, plan, avail, F=F, x=table.x, Y_regions=table.Y_by_region(), EX=table.EX, n_regions=R)


def flows_accounts(Z: sp.sparray | sp.spmatrix, *, x: ArrayLike, F: ArrayLike, Y_regions: ArrayLike,
                   EX: ArrayLike, available: int | None = None,
                   method: Method | Literal["auto"] = "auto") -> ScaleRun:
    """:func:`table_accounts` for flows held sparse (n × n), final demand by destination
    ``Y_regions`` (n × R) and exports ``EX`` (n,)."""
    Yr = np.asarray(Y_regions, dtype=np.float64)
    R = Yr.shape[1]
    plan, avail = plan_system(Z.shape[0], int(Z.nnz), rhs=R + 1, available=available, method=method)
    xv = np.asarray(x, dtype=np.float64)
    solver = _solver(plan, Z, xv, block=Z.shape[0] // R)
    return _run(solver, plan, avail, F=F, x=xv, Y_regions=Yr, EX=np.asarray(EX, dtype=np.float64), n_regions=R)


def export_table_accounts(table: IOTable, F: ArrayLike, out_dir: str | Path, *, available: int | None = None,
                          method: Method | Literal["auto"] = "auto") -> tuple[Path, Path]:
    """Compute :func:`table_accounts` and write two plain CSV files in ``out_dir``:
    ``accounts_by_region.csv`` (region, production_mt, consumption_mt; the exports row
    ``EXPORTS`` holds the CO2 embodied in foreign exports) and
    ``multipliers.csv`` (region, sector, m_t_per_10k_yuan = 10⁶·m, output_multiplier).
    Nothing is created when the memory guard refuses."""
    return _write_accounts(table, table_accounts(table, F, available=available, method=method), out_dir)


def _write_accounts(table: IOTable, run: ScaleRun, out_dir: str | Path) -> tuple[Path, Path]:
    a = run.accounts
    out = Path(out_dir)
    meta = {"title": "city accounts", "year": str(table.year), "unit": "Mt CO2; t CO2 per 10,000 yuan",
            "method": run.plan.method}
    regions = [*table.regions.codes, "EXPORTS"]
    p1 = write_columns({"region": regions, "production_mt": np.append(a.production, 0.0),
                        "consumption_mt": a.consumption}, out / "accounts_by_region.csv", fmt="csv", meta=meta,
                       sidecar=False)
    S = table.n_sectors
    p2 = write_columns({"region": [table.regions.codes[i // S] for i in range(table.n)],
                        "sector": [table.sectors.codes[i % S] for i in range(table.n)],
                        "m_t_per_10k_yuan": 1e6 * a.m, "output_multiplier": a.output_multipliers},
                       out / "multipliers.csv", fmt="csv", meta=meta, sidecar=False)
    return p1, p2


def load_stored(store_path: str | Path, name: str, year: int | None) -> tuple[IOTable, Arr]:
    """The stored table of ``name`` for ``year`` (None: the last year) and its CO2
    satellite summed over stressors (n,, Mt); raises :class:`~viscarbon.errors.NotFound`
    for a missing year, :class:`~viscarbon.errors.DataError` when there is no CO2."""
    store = Store.open(store_path)
    years = store.years(name)
    the_year = years[-1] if year is None else int(year)
    if the_year not in years:
        raise NotFound(f"dataset {name!r} has no year {the_year}", hint="years: " + ", ".join(map(str, years)))
    table = store.load_table(name, the_year)
    co2 = [s.account for s in store.load_satellites(name, the_year) if s.account.name == "CO2"]
    if not co2:
        raise DataError(f"dataset {name!r} has no CO2 for {the_year}",
                        hint="import the city inventory first; the city MRIO import links to it")
    return table, np.asarray(co2[0].F, dtype=np.float64).sum(axis=0)


def export_stored_accounts(store_path: str | Path, name: str, year: int | None, out_dir: str | Path, *,
                           available: int | None = None,
                           method: Method | Literal["auto"] = "auto") -> tuple[Path, Path, ScaleRun]:
    """:func:`export_table_accounts` of a stored dataset-year (a city MRIO or any IO
    dataset) with its stored CO2 satellite summed over stressors (Mt), the memory plan
    checked before anything is computed or written. ``year`` None: the last year."""
    table, F = load_stored(store_path, name, year)
    run = table_accounts(table, F, available=available, method=method)
    p1, p2 = _write_accounts(table, run, out_dir)
    return p1, p2, run
