"""Extraction of every city, key sectors and structural paths at city scale, labelled and
exported, with the memory checked before anything is computed or written.

* :func:`flows_extraction` / :func:`table_extraction`: the complete hypothetical
  extraction of every city (Miller & Blair 2009 §12.2; the definition of
  :mod:`viscarbon.calc.extraction`) by block updates on one factorisation of ``I − A``
  per batch (:mod:`viscarbon.calc.scale_extraction`), in this process
  (``scheduler=None``), on a :class:`distributed.LocalCluster` of ``workers`` processes
  (``"local"``) or on a running Dask scheduler (``ADDRESS``, e.g.
  ``tcp://10.0.0.5:8786``); the cities are split into one contiguous batch per worker,
  each worker factorises once and does its batch chunk by chunk;
* :func:`table_key_sectors`: normalised Rasmussen backward and forward linkages and their
  quadrants (:mod:`viscarbon.calc.keysectors`) with two solves;
* :func:`table_paths`: the top structural paths behind a city's footprint or a
  city-sector's final demand on sparse ``A`` (:mod:`viscarbon.calc.scale_structure`).

The ``export_stored_*`` functions read a stored dataset-year and write plain CSV files
only after the memory plan passed and the numbers were computed (a refusal writes nothing).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from viscarbon.analysis.scale import load_stored, plan_system
from viscarbon.calc.keysectors import QUADRANTS, classify_key_sectors
from viscarbon.calc.leontief import reciprocal
from viscarbon.calc.scale import (
    MemoryEstimate,
    Method,
    choose_method,
    factorize_flows,
    memory_estimate,
)
from viscarbon.calc.scale_extraction import (
    UnitExtraction,
    extraction_batch,
    factorize_for,
    merge_extractions,
)
from viscarbon.calc.scale_structure import (
    ScaleLinkages,
    scale_linkages,
    sparse_children,
    sparse_structural_paths,
)
from viscarbon.calc.spa import SPAArrays
from viscarbon.errors import DataError, MemoryLimitError, ViscarbonError
from viscarbon.io.files import available_memory
from viscarbon.io.writers.tables import write_columns
from viscarbon.model import IOTable

try:  # optional extra "cluster"
    import distributed as _distributed
except ImportError:  # pragma: no cover - only scheduler="local" or ADDRESS needs it
    _distributed = None  # type: ignore[assignment]
DISTRIBUTED: Any = _distributed

__all__ = [
    "CityExtraction",
    "CityKeySectors",
    "CityPaths",
    "ExtractionPlan",
    "cluster_client",
    "export_stored_extraction",
    "export_stored_key_sectors",
    "export_stored_paths",
    "flows_extraction",
    "plan_extraction",
    "table_extraction",
    "table_key_sectors",
    "table_paths",
]

Arr = NDArray[np.float64]
_GB: Final = 1e9


@contextmanager
def cluster_client(scheduler: str, *, workers: int = 2) -> Iterator[Any]:
    """A ``distributed.Client``: on a new :class:`distributed.LocalCluster` of ``workers``
    single-threaded processes for ``"local"`` (closed on exit), else connected to the
    scheduler at the address ``scheduler``. Raises :class:`~viscarbon.errors.ViscarbonError`
    when dask.distributed is missing or the scheduler cannot be reached."""
    if DISTRIBUTED is None:  # pragma: no cover - the dev environment has it
        raise ViscarbonError("--scheduler needs dask.distributed",
                             hint="pip install 'viscarbon[cluster]', or leave out --scheduler")
    if scheduler == "local":
        with DISTRIBUTED.LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                DISTRIBUTED.Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        client = DISTRIBUTED.Client(scheduler, timeout=30, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ViscarbonError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}",
                             hint="pass --scheduler local or a reachable address such as tcp://127.0.0.1:8786"
                             ) from exc
    try:
        yield client
    finally:
        client.close()


@dataclass(frozen=True)
class ExtractionPlan:
    """Memory of an extraction run: ``estimate`` per worker (one factorisation and a
    chunk of ``chunk · block`` right-hand sides), ``workers`` on this machine (0 for a
    remote scheduler), ``needed`` = workers × estimate (bytes) checked against ``available``."""

    estimate: MemoryEstimate
    workers: int
    needed: int
    available: int
    chunk: int

    def text(self) -> str:
        return (f"{self.estimate.method} path, {self.needed / _GB:.2f} GB needed "
                f"({max(self.workers, 1)} × {self.estimate.total / _GB:.2f} GB) of {self.available / _GB:.2f} GB available")


def plan_extraction(n: int, nnz: int, *, block: int, chunk: int, scheduler: str | None, workers: int,
                    available: int | None = None, method: Method | Literal["auto"] = "auto") -> ExtractionPlan:
    """The path and memory of :func:`flows_extraction`, before anything is allocated:
    :func:`viscarbon.calc.scale.choose_method` with ``chunk · block + 1`` right-hand sides
    per worker and the memory available shared by the workers on this machine (one in
    this process, ``workers`` for ``"local"``; a remote scheduler's workers are checked
    against their own memory limits when the run starts). ``auto`` takes the dense path
    whenever it fits (extraction needs all ``n`` columns of ``L``: ``2n³`` flops of BLAS-3
    triangular solves, against ``n`` separate Krylov solves on the iterative path), else the
    iterative one. Raises
    :class:`~viscarbon.errors.MemoryLimitError` naming the memory needed and available."""
    avail = available_memory() if available is None else int(available)
    here = 1 if scheduler is None else (int(workers) if scheduler == "local" else 0)
    rhs = int(chunk) * int(block) + 1
    share = avail // max(here, 1)
    try:
        if method == "auto":  # every column of L is needed: the dense LU whenever it fits
            dense = memory_estimate(n, method="dense", nnz=nnz, rhs=rhs)
            est = dense if dense.total <= share else choose_method(n, nnz, share, rhs=rhs, method="iterative")
        else:
            est = choose_method(n, nnz, share, rhs=rhs, method=method)
    except MemoryLimitError:
        methods: tuple[Method, ...] = ("dense", "iterative") if method == "auto" else (method,)
        est = min((memory_estimate(n, method=mm, nnz=nnz, rhs=rhs) for mm in methods), key=lambda e: e.total)
        need = est.total * max(here, 1)
        raise MemoryLimitError(
            f"extraction of every city of a system of {n:,} sectors needs {need / _GB:.2f} GB "
            f"({max(here, 1)} worker(s) × {est.text()}), but {avail / _GB:.2f} GB of memory is available",
            hint="lower --workers or --chunk, or pass --scheduler with the address of a larger cluster; "
                 "nothing was computed or written") from None
    return ExtractionPlan(estimate=est, workers=here, needed=est.total * max(here, 1), available=avail,
                          chunk=int(chunk))


@dataclass(frozen=True, eq=False)
class ExtractionRun:
    """The losses of every unit (:class:`~viscarbon.calc.scale_extraction.UnitExtraction`),
    the plan, the scheduler (``"this process"``, ``"local"`` or the address), the
    number of workers and batches, and the wall time (s)."""

    result: UnitExtraction
    plan: ExtractionPlan
    scheduler: str
    workers: int
    seconds: float


def flows_extraction(Z: sp.sparray | sp.spmatrix, *, x: ArrayLike, y: ArrayLike, F: ArrayLike, block: int,
                     scheduler: str | None = None, workers: int = 2, chunk: int = 8,
                     method: Method | Literal["auto"] = "auto", available: int | None = None,
                     units: ArrayLike | None = None) -> ExtractionRun:
    """Complete extraction of every unit (``block`` rows each; all ``n / block`` units, or
    ``units``) of the system ``Z`` (n × n, sparse), ``x`` output and ``y`` final demand
    incl. exports (n,, 10,000 yuan), ``F`` CO2 (n,, Mt); see the module docstring for
    ``scheduler``. The numbers do not depend on the scheduler, the workers or ``chunk``
    (to rounding: the same factorisation, the columns solved in other groupings)."""
    Zc = sp.csc_array(Z, dtype=np.float64)
    n = Zc.shape[0]
    xv = np.asarray(x, dtype=np.float64)
    yv = np.asarray(y, dtype=np.float64)
    e = np.asarray(F, dtype=np.float64) * reciprocal(xv)
    if n % int(block):
        raise DataError(f"a system of {n:,} rows is not made of blocks of {block} sectors")
    all_units = np.arange(n // int(block), dtype=np.int64) if units is None else \
        np.asarray(units, dtype=np.int64).ravel()
    plan = plan_extraction(n, int(Zc.nnz), block=block, chunk=chunk, scheduler=scheduler, workers=workers,
                           available=available, method=method)
    meth = plan.estimate.method
    t0 = time.perf_counter()
    if scheduler is None:
        res = extraction_batch(Zc, xv, yv, e, method=meth, block=block, units=all_units, chunk=chunk)
        return ExtractionRun(result=res, plan=plan, scheduler="this process", workers=1,
                             seconds=time.perf_counter() - t0)
    with cluster_client(scheduler, workers=workers) as client:
        info = client.scheduler_info(n_workers=-1).get("workers", {})
        nw = max(1, len(info))
        limits = [int(w.get("memory_limit") or 0) for w in info.values()]
        small = [lim for lim in limits if 0 < lim < plan.estimate.total]
        if scheduler != "local" and small:
            raise MemoryLimitError(
                f"extraction needs {plan.estimate.total / _GB:.2f} GB per worker ({plan.estimate.text()}), "
                f"but a worker of {scheduler} has a memory limit of {min(small) / _GB:.2f} GB",
                hint="lower --chunk or use workers with more memory; nothing was computed or written")
        batches = [b for b in np.array_split(all_units, nw) if b.size]
        Zf, xf, yf, ef = client.scatter([Zc, xv, yv, e], broadcast=True)
        futs = [client.submit(extraction_batch, Zf, xf, yf, ef, method=meth, block=block, units=b, chunk=chunk,
                              pure=False) for b in batches]
        parts = client.gather(futs)
    return ExtractionRun(result=merge_extractions(parts), plan=plan, scheduler=str(scheduler), workers=nw,
                         seconds=time.perf_counter() - t0)


@dataclass(frozen=True, eq=False)
class CityExtraction:
    """Every city's extraction with its codes: ``regions`` (U,) the city codes,
    ``x_region`` / ``co2_region`` (U,) baseline output (10,000 yuan) and CO2 (Mt) by city,
    and the run (losses ``(U × U)``: row = extracted city, column = city losing)."""

    dataset: str
    year: int
    regions: tuple[str, ...]
    x_region: Arr
    co2_region: Arr
    run: ExtractionRun

    def summary_columns(self) -> dict[str, object]:
        """One row per extracted city: total loss, its own baseline (lost whole), the
        loss in the other cities (spillover), and shares of the system's totals."""
        r = self.run.result
        codes = [self.regions[int(u)] for u in r.units]
        own_x = self.x_region[r.units]
        own_e = self.co2_region[r.units]
        tot_x = r.output_loss.sum(axis=1)
        tot_e = r.co2_loss.sum(axis=1)
        return {"region": codes, "output_loss_10k_yuan": tot_x, "output_own_10k_yuan": own_x,
                "output_loss_other_cities_10k_yuan": tot_x - own_x,
                "output_loss_share": tot_x / float(self.x_region.sum()),
                "co2_loss_mt": tot_e, "co2_own_mt": own_e, "co2_loss_other_cities_mt": tot_e - own_e,
                "co2_loss_share": tot_e / float(self.co2_region.sum()) if self.co2_region.sum() else tot_e * np.nan}

    def write(self, out_dir: str | Path) -> tuple[Path, Path]:
        """``extraction_by_city.csv`` (:meth:`summary_columns`) and ``extraction_matrix.csv``
        (long form: extracted_region, region, output_loss_10k_yuan, co2_loss_mt)."""
        out = Path(out_dir)
        r = self.run.result
        meta = {"title": "city extraction", "dataset": self.dataset, "year": str(self.year),
                "unit": "10,000 yuan; Mt CO2", "method": self.run.plan.estimate.method}
        p1 = write_columns(self.summary_columns(), out / "extraction_by_city.csv", fmt="csv",  # type: ignore[arg-type]
                           meta=meta, sidecar=False)
        U = len(self.regions)
        ext = [self.regions[int(u)] for u in np.repeat(r.units, U)]
        p2 = write_columns({"extracted_region": ext, "region": list(self.regions) * int(r.units.size),
                            "output_loss_10k_yuan": r.output_loss.ravel(), "co2_loss_mt": r.co2_loss.ravel()},
                           out / "extraction_matrix.csv", fmt="csv", meta=meta, sidecar=False)
        return p1, p2


def table_extraction(table: IOTable, F: ArrayLike, *, scheduler: str | None = None, workers: int = 2,
                     chunk: int = 8, method: Method | Literal["auto"] = "auto", available: int | None = None,
                     dataset: str = "") -> CityExtraction:
    """:func:`flows_extraction` of every region (city) of ``table`` with CO2 ``F`` (n,, Mt),
    ``y = Y 1 + EX``, labelled."""
    Fv = np.asarray(F, dtype=np.float64)
    S, R = table.n_sectors, table.n_regions
    run = flows_extraction(sp.csc_array(table.Z), x=table.x, y=table.y_total(), F=Fv, block=S,
                           scheduler=scheduler, workers=workers, chunk=chunk, method=method, available=available)
    return CityExtraction(dataset=dataset, year=table.year, regions=tuple(table.regions.codes),
                          x_region=np.asarray(table.x, dtype=np.float64).reshape(R, S).sum(axis=1),
                          co2_region=Fv.reshape(R, S).sum(axis=1), run=run)


def _solver(table: IOTable, plan: MemoryEstimate) -> Any:
    if plan.method == "dense":
        return factorize_flows(table.Z, table.x)
    return factorize_for(sp.csc_array(table.Z), table.x, method=plan.method, block=table.n_sectors)


@dataclass(frozen=True, eq=False)
class CityKeySectors:
    """Rasmussen linkages (:class:`~viscarbon.calc.scale_structure.ScaleLinkages`) and
    quadrants (indices into :data:`~viscarbon.calc.keysectors.QUADRANTS`) of every
    city-sector, with the plan, the memory available and the wall time (s)."""

    dataset: str
    year: int
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    linkages: ScaleLinkages
    quadrant: NDArray[np.int64]
    plan: MemoryEstimate
    available: int
    seconds: float

    def write(self, out_dir: str | Path) -> Path:
        """``key_sectors.csv``: region, sector, backward_linkage, forward_linkage,
        output_multiplier (1ᵀL), ghosh_row_sum (G1), quadrant."""
        S = len(self.sectors)
        n = self.quadrant.size
        lk = self.linkages
        meta = {"title": "city key sectors", "dataset": self.dataset, "year": str(self.year),
                "unit": "dimensionless", "method": self.plan.method}
        return write_columns({"region": [self.regions[i // S] for i in range(n)],
                              "sector": [self.sectors[i % S] for i in range(n)],
                              "backward_linkage": lk.backward, "forward_linkage": lk.forward,
                              "output_multiplier": lk.column_sums, "ghosh_row_sum": lk.ghosh_row_sums,
                              "quadrant": [QUADRANTS[int(q)] for q in self.quadrant]},
                             Path(out_dir) / "key_sectors.csv", fmt="csv", meta=meta, sidecar=False)


def table_key_sectors(table: IOTable, *, threshold: float = 1.0, available: int | None = None,
                      method: Method | Literal["auto"] = "auto", dataset: str = "") -> CityKeySectors:
    """Key sectors of every city-sector of ``table`` (Miller & Blair 2009 §12.1) with two
    solves on the path :func:`~viscarbon.analysis.scale.plan_system` chooses."""
    plan, avail = plan_system(table.n, int(np.count_nonzero(table.Z)), rhs=2, available=available, method=method)
    t0 = time.perf_counter()
    lk = scale_linkages(_solver(table, plan), table.x)
    q = classify_key_sectors(lk.backward, lk.forward, threshold=threshold)
    return CityKeySectors(dataset=dataset, year=table.year, regions=tuple(table.regions.codes),
                          sectors=tuple(table.sectors.codes), linkages=lk, quadrant=q, plan=plan, available=avail,
                          seconds=time.perf_counter() - t0)


@dataclass(frozen=True, eq=False)
class CityPaths:
    """Top structural paths (:class:`~viscarbon.calc.spa.SPAArrays`, Mt) behind ``target``
    (``footprint:CITY`` or ``final_demand:CITY/SECTOR``), threshold ``threshold_mt``."""

    dataset: str
    year: int
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    target: str
    threshold_mt: float
    paths: SPAArrays
    plan: MemoryEstimate
    available: int
    seconds: float

    def write(self, out_dir: str | Path) -> Path:
        """``paths.csv``: rank, depth, value_mt, share, emitter and final-demand
        region/sector, path (codes from the emitter down to the final demand)."""
        S = len(self.sectors)
        p = self.paths

        def code(i: int) -> str:
            return f"{self.regions[i // S]}/{self.sectors[i % S]}"

        k = p.values.size
        chains = [[int(v) for v in p.nodes[r, :int(p.depths[r]) + 1]] for r in range(k)]
        meta = {"title": "city structural paths", "dataset": self.dataset, "year": str(self.year),
                "target": self.target, "unit": "Mt CO2", "threshold_mt": f"{self.threshold_mt:.6g}"}
        return write_columns({"rank": np.arange(1, k + 1), "depth": p.depths, "value_mt": p.values,
                              "share": p.values / p.total if p.total else p.values * np.nan,
                              "emitter_region": [self.regions[c[-1] // S] for c in chains],
                              "emitter_sector": [self.sectors[c[-1] % S] for c in chains],
                              "final_demand_region": [self.regions[c[0] // S] for c in chains],
                              "final_demand_sector": [self.sectors[c[0] % S] for c in chains],
                              "path": [" → ".join(code(i) for i in reversed(c)) for c in chains]},
                             Path(out_dir) / "paths.csv", fmt="csv", meta=meta, sidecar=False)


def table_paths(table: IOTable, F: ArrayLike, *, region: str, sector: str | None = None, depth: int = 6,
                threshold: float = 1e-4, top: int = 50, available: int | None = None,
                method: Method | Literal["auto"] = "auto", max_nodes: int = 5_000_000, dataset: str = ""
                ) -> CityPaths:
    """Top ``top`` paths of ``f L y`` (Miller & Blair 2009 §6.8) for the footprint of city
    ``region`` (``y`` = its final demand, every category) or, with ``sector``, the final
    demand (incl. exports) of that city-sector; threshold ``threshold`` × the target's
    total. ``m = f L`` by one transposed solve; ``A`` sparse; no ``L``."""
    if depth < 0 or top < 1:
        raise DataError(f"SPA needs --depth ≥ 0 and --top ≥ 1, got {depth} and {top}")
    Fv = np.asarray(F, dtype=np.float64)
    plan, avail = plan_system(table.n, int(np.count_nonzero(table.Z)), rhs=1, available=available, method=method)
    t0 = time.perf_counter()
    S = table.n_sectors
    r = table.regions.index(region)
    if sector is not None:
        i = r * S + table.sectors.index(sector)
        y = np.zeros(table.n)
        y[i] = table.y_total()[i]
        target = f"final_demand:{region}/{sector}"
    else:
        y = np.asarray(table.Y_by_region()[:, r], dtype=np.float64)
        target = f"footprint:{region}"
    xv = np.asarray(table.x, dtype=np.float64)
    f = Fv * reciprocal(xv)
    solver = _solver(table, plan)
    m = np.asarray(solver.solve_transposed(f))
    A = sp.csc_array(sp.csc_array(table.Z) @ sp.diags_array(reciprocal(xv), format="csc"))
    tau = abs(float(m @ y)) * float(threshold)
    if tau <= 0:
        raise DataError(f"the target {target} has no CO2 to trace (m · y = 0)",
                        hint="pick another --region or --sector")
    arr = sparse_structural_paths(sparse_children(A, m), f, m, y, max_depth=depth, threshold=tau, top=top,
                                  max_nodes=max_nodes)
    return CityPaths(dataset=dataset, year=table.year, regions=tuple(table.regions.codes),
                     sectors=tuple(table.sectors.codes), target=target, threshold_mt=tau, paths=arr, plan=plan,
                     available=avail, seconds=time.perf_counter() - t0)


def export_stored_extraction(store_path: str | Path, name: str, year: int | None, out_dir: str | Path, *,
                             scheduler: str | None = None, workers: int = 2, chunk: int = 8,
                             available: int | None = None, method: Method | Literal["auto"] = "auto"
                             ) -> tuple[tuple[Path, Path], CityExtraction]:
    """:func:`table_extraction` of a stored dataset-year, written by :meth:`CityExtraction.write`."""
    table, F = load_stored(store_path, name, year)
    res = table_extraction(table, F, scheduler=scheduler, workers=workers, chunk=chunk, method=method,
                           available=available, dataset=name)
    return res.write(out_dir), res


def export_stored_key_sectors(store_path: str | Path, name: str, year: int | None, out_dir: str | Path, *,
                              threshold: float = 1.0, available: int | None = None,
                              method: Method | Literal["auto"] = "auto") -> tuple[Path, CityKeySectors]:
    """:func:`table_key_sectors` of a stored dataset-year, written as ``key_sectors.csv``."""
    table, _ = load_stored(store_path, name, year)
    res = table_key_sectors(table, threshold=threshold, available=available, method=method, dataset=name)
    return res.write(out_dir), res


def export_stored_paths(store_path: str | Path, name: str, year: int | None, out_dir: str | Path, *,
                        region: str, sector: str | None = None, depth: int = 6, threshold: float = 1e-4,
                        top: int = 50, available: int | None = None,
                        method: Method | Literal["auto"] = "auto") -> tuple[Path, CityPaths]:
    """:func:`table_paths` of a stored dataset-year, written as ``paths.csv``."""
    table, F = load_stored(store_path, name, year)
    res = table_paths(table, F, region=region, sector=sector, depth=depth, threshold=threshold, top=top,
                      available=available, method=method, dataset=name)
    return res.write(out_dir), res
