"""Monte Carlo uncertainty of a roadmap: bands of production-based CO2 around a scenario's
pathway, for every province and the nation (exact percentiles) and for the sectors of one
or every province (streaming quantiles with a stated error).

The draws (:mod:`viscarbon.calc.montecarlo`, equations in ``docs/roadmap.md``,
"Uncertainty") vary the province-sector intensities, the power sector's intensity (the
power mix, shared by every province), the growth of final demand and, optionally, the
input coefficients, all with mean-preserving lognormal factors whose coefficients of
variation come from the scenario's ``[uncertainty]`` (defaults: ``[uncertainty]`` of
``data/assumptions.toml``). Draws that do not vary coefficients reuse the scenario's
deterministic response ``x(t) = L(t) y(t)`` (each year's factorization, already computed):
a block of draws is a few array products.

Seeding: ``numpy.random.SeedSequence(seed).spawn(n_blocks)[k]`` seeds block ``k`` of
``block`` draws; blocks are grouped into tasks by a rule that depends only on the number
of blocks, and results are combined in block order, so a seed and block size give the
same numbers bit for bit in this process, in local worker processes and on Dask.

Memory: the totals keep every draw, ``8 · draws · (R + 1) · T`` bytes (memory-mapped to a
temporary file above :data:`MEMMAP_BYTES`); each block needs about
``8 · B · (T · (6S + 2R + 2 + m) + n)`` bytes (``m`` sector rows with bands; plus
``8 · B · T · n`` when coefficients are drawn) and each worker's histogram
``8 · m · T · (bins + 2)`` (int64 counters; int32 when shipped) plus up to
``4 · (m · T · (bins + 2) + B · m · T)`` bytes of bin indices waiting for one ``bincount``.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any, Final, cast

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.leontief import solve
from viscarbon.calc.montecarlo import (
    HIST_BINS,
    CoefficientBlock,
    CoefficientFull,
    HistogramAccumulator,
    Histograms,
    McInputs,
    TaskResult,
    block_draws,
    histogram_edges,
    histogram_quantiles,
    lognormal_sigma,
    ramp_sigma,
    run_blocks,
)
from viscarbon.errors import ViscarbonError
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.run import NATION, Roadmap, run_roadmap
from viscarbon.roadmap.scenario import Scenario, Uncertainty
from viscarbon.roadmap.service import Roadmapper

try:  # optional: pins BLAS in worker processes
    import threadpoolctl as _threadpoolctl
except ImportError:  # pragma: no cover - env vars are the fallback
    _threadpoolctl = None
try:  # optional extra "cluster"
    import distributed as _distributed
except ImportError:  # pragma: no cover - only scheduler=ADDRESS needs it
    _distributed = None  # type: ignore[assignment]
THREADPOOLCTL: Any = _threadpoolctl
DISTRIBUTED: Any = _distributed

__all__ = [
    "MEMMAP_BYTES",
    "PERCENTILES",
    "MonteCarloError",
    "MonteCarloResult",
    "run_montecarlo",
]

Arr = NDArray[np.float64]
#: The percentiles every band reports (more may be asked for).
PERCENTILES: Final = (5.0, 25.0, 50.0, 75.0, 95.0)
#: Above this size the draws of the totals go to a memory-mapped temporary file.
MEMMAP_BYTES: Final = 256 * 2**20
#: Blocks are grouped into at most this many tasks (a rule of the number of blocks only,
#: so the combination order never depends on the scheduler or the number of workers).
TASKS: Final = 32
UNIT: Final = "Mt CO2"
_CV_LIMITS: Final = {"intensity_cv": (0.0, 2.0), "power_cv": (0.0, 2.0), "growth_sd": (0.0, 0.1),
                     "coefficient_cv": (0.0, 1.0), "regional_growth_sd": (0.0, 0.1)}
_WORKER: dict[str, Any] = {}


class MonteCarloError(ViscarbonError):
    """A bad Monte Carlo option: names the field and the allowed values."""

    def __init__(self, message: str, *, field: str, allowed: str):
        self.field = field
        self.allowed = allowed
        super().__init__(message, where=f"montecarlo option {field!r}", hint=f"allowed: {allowed}")


Progress = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """The bands of one Monte Carlo run (CO2 in Mt, production-based).

    ``regions`` the R province codes, then ``"CN"`` (the nation, over the regions with
    CO2); ``totals`` (draws × (R+1) × T) every draw (possibly a read-only memmap);
    ``percentiles`` (Q,) in percent; ``total_bands`` (Q × (R+1) × T) exact percentiles
    (``numpy.percentile``, linear) and ``total_mean`` ((R+1) × T); ``sector_rows`` the
    region-sector rows with bands (``sector_codes`` their "GD/14" labels),
    ``sector_bands``/``sector_error`` (Q × m × T) streaming quantiles and their error
    bounds, ``sector_mean`` (m × T) exact means, ``bin_width`` (m × T) the histogram bins
    (the usual error is half of it); ``deterministic_totals``/``deterministic_sectors``
    the scenario's own pathway; ``coefficients`` "none", "block" (the scenario's
    coefficient block, Woodbury per draw) or "full" (a new LU per draw); ``seconds`` the
    wall time of the draws; ``workers`` how many processes or Dask workers ran them.
    """

    dataset: str
    scenario: str
    years: NDArray[np.int64]
    regions: tuple[str, ...]
    draws: int
    seed: int
    block: int
    uncertainty: Uncertainty
    scheduler: str
    workers: int
    percentiles: tuple[float, ...]
    totals: Arr
    total_bands: Arr
    total_mean: Arr
    sector_rows: NDArray[np.intp]
    sector_codes: tuple[str, ...]
    sector_bands: Arr
    sector_error: Arr
    sector_mean: Arr
    bin_width: Arr
    deterministic_totals: Arr
    deterministic_sectors: Arr
    coefficients: str
    seconds: float

    @staticmethod
    def statistic(q: float) -> str:
        """The name of a percentile: ``p5``, ``p50``, ``p2.5``."""
        return f"p{q:g}"

    def records(self) -> list[dict[str, object]]:
        """The bands as rows: region, sector (``total`` for a region's or the nation's
        total), year, statistic (``p5`` …, ``mean``), value, unit, method (``exact`` |
        ``streaming``), max_error (Mt; 0 where exact)."""
        out: list[dict[str, object]] = []
        years = [int(y) for y in self.years]
        names = [self.statistic(q) for q in self.percentiles]
        for r, code in enumerate(self.regions):
            for t, y in enumerate(years):
                for k, name in enumerate(names):
                    out.append({"region": code, "sector": "total", "year": y, "statistic": name,
                                "value": float(self.total_bands[k, r, t]), "unit": UNIT, "method": "exact",
                                "max_error": 0.0})
                out.append({"region": code, "sector": "total", "year": y, "statistic": "mean",
                            "value": float(self.total_mean[r, t]), "unit": UNIT, "method": "exact",
                            "max_error": 0.0})
        for i, label in enumerate(self.sector_codes):
            region, sector = label.split("/")
            for t, y in enumerate(years):
                for k, name in enumerate(names):
                    out.append({"region": region, "sector": sector, "year": y, "statistic": name,
                                "value": float(self.sector_bands[k, i, t]), "unit": UNIT, "method": "streaming",
                                "max_error": float(self.sector_error[k, i, t])})
                out.append({"region": region, "sector": sector, "year": y, "statistic": "mean",
                            "value": float(self.sector_mean[i, t]), "unit": UNIT, "method": "exact",
                            "max_error": 0.0})
        return out


def _uncertainty(scenario: Scenario, cv: Uncertainty | Mapping[str, float] | None, draws: int | None,
                 seed: int | None, block: int | None) -> Uncertainty:
    """The scenario's uncertainty with the caller's overrides, validated."""
    if isinstance(cv, Uncertainty):
        u = cv
    else:
        u = scenario.uncertainty
        if cv:
            allowed = ", ".join(_CV_LIMITS)
            for k in cv:
                if k not in _CV_LIMITS:
                    raise MonteCarloError(f"unknown uncertainty {k!r}", field=k, allowed=allowed)
            u = replace(u, **{k: float(v) for k, v in cv.items()})  # type: ignore[arg-type]
    for k, (lo, hi) in _CV_LIMITS.items():
        v = getattr(u, k)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not lo <= v <= hi:
            raise MonteCarloError(f"{k} must be a number between {lo} and {hi}, got {v!r}", field=k,
                                  allowed=f"{lo} … {hi}")
    over: dict[str, int] = {}
    for name, v, lo, hi in (("draws", draws, 1, 10_000_000), ("seed", seed, 0, 2**63 - 1),
                            ("block", block, 1, 1_000_000)):
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or not lo <= int(v) <= hi:
            raise MonteCarloError(f"{name} must be a whole number between {lo} and {hi}, got {v!r}", field=name,
                                  allowed=f"{lo} … {hi}")
        over[name] = int(v)
    return replace(u, **over)


def _sector_regions(base: RoadmapBase, region: str | None) -> NDArray[np.intp]:
    if region is None:
        return np.zeros(0, dtype=np.intp)
    if region == "all":
        return np.arange(base.n_regions, dtype=np.intp)
    codes = tuple(base.regions.codes)
    if region not in codes:
        raise MonteCarloError(f"region {region!r} is not in dataset {base.dataset.name!r}", field="region",
                              allowed="all, " + ", ".join(codes))
    return np.array([codes.index(region)], dtype=np.intp)


def _coefficients(base: RoadmapBase, rm: Roadmap, sigma: float) -> CoefficientBlock | CoefficientFull:
    """The coefficient draws: the scenario's coefficient block (Woodbury) when it has one,
    else every coefficient of ``A0`` (a new LU per draw)."""
    act = rm.activity
    X_base = base.demand_output()  # n × (C+1): L0 [Y0 | EX0]
    if act.A_cols.size:
        rows, cols = act.A_rows, act.A_cols
        A0b = np.asarray(base.A0[np.ix_(rows, cols)])
        E = np.zeros((base.n, rows.size))
        E[rows, np.arange(rows.size)] = 1.0
        L_I = np.asarray(solve(base.factor0, E))
        z = (X_base @ act.G.T).T  # T × n: L0 y(t)
        return CoefficientBlock(rows=rows, cols=cols, Ab=A0b[None] + act.D, A0b=A0b, L_I=L_I,
                                L_JI=np.ascontiguousarray(L_I[cols, :]), z=np.ascontiguousarray(z), sigma=sigma)
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    return CoefficientFull(A0=np.asarray(base.A0), y=np.ascontiguousarray((rhs @ act.G.T).T), sigma=sigma)


def _inputs(base: RoadmapBase, rm: Roadmap, u: Uncertainty, sector_regions: NDArray[np.intp]) -> McInputs:
    sc = rm.scenario
    sc_act = rm.activity
    years = base.years
    assumed = (years > base.t0) & ~base.gdp_measured
    coef = _coefficients(base, rm, lognormal_sigma(u.coefficient_cv)) if u.coefficient_cv > 0 else None
    return McInputs(f=np.asarray(sc.f), x=np.asarray(sc.x), hh=np.asarray(sc.households),
                    power_rows=np.asarray(base.power_rows), sigma_int=ramp_sigma(years, base.t_cal, u.intensity_cv),
                    sigma_pow=ramp_sigma(years, base.t_cal, u.power_cv),
                    growth_k=np.cumsum(assumed).astype(np.float64), growth_sd=float(u.growth_sd),
                    reported=base.reported, n_regions=base.n_regions, sector_regions=sector_regions,
                    coefficients=coef, XR=np.asarray(sc_act.XR) if u.regional_growth_sd > 0 else None,
                    regional_sd=float(u.regional_growth_sd))


def _plan(draws: int, block: int) -> tuple[list[int], list[list[int]]]:
    """Block sizes and the tasks (lists of block indices after the pilot block 0)."""
    n_blocks = math.ceil(draws / block)
    sizes = [block] * (n_blocks - 1) + [draws - block * (n_blocks - 1)]
    rest = list(range(1, n_blocks))
    per = max(1, math.ceil(len(rest) / TASKS))
    return sizes, [rest[i:i + per] for i in range(0, len(rest), per)]


def _init_worker(inp: McInputs, hist: Histograms | None) -> None:
    """Worker-process state: the inputs (shipped once) and BLAS pinned to one thread."""
    if THREADPOOLCTL is not None:
        THREADPOOLCTL.threadpool_limits(1)
    _WORKER["inp"] = inp
    _WORKER["hist"] = hist


def _worker_task(first: int, seeds: list[np.random.SeedSequence], sizes: list[int]) -> TaskResult:
    return run_blocks(_WORKER["inp"], _WORKER["hist"], first, seeds, sizes)


def _store(draws: int, shape: tuple[int, int], limit: int) -> Arr:
    """Room for every draw of the totals: in memory, or memory-mapped to an unlinked
    temporary file when larger than ``limit`` bytes."""
    nbytes = 8 * draws * shape[0] * shape[1]
    if nbytes <= limit:
        return np.empty((draws, *shape))
    fd, path = tempfile.mkstemp(prefix="viscarbon-mc-", suffix=".f8")
    try:
        os.ftruncate(fd, nbytes)
        mm = np.memmap(path, dtype=np.float64, mode="r+", shape=(draws, *shape))
    finally:
        os.close(fd)
        os.unlink(path)
    return cast(Arr, mm)


def _exact_percentiles(store: Arr, q: Sequence[float], chunk_bytes: int = 64 * 2**20) -> Arr:
    """``numpy.percentile(store, q, axis=0)`` column chunk by column chunk (bounded memory)."""
    draws = store.shape[0]
    flat = store.reshape(draws, -1)
    cols = flat.shape[1]
    step = max(1, chunk_bytes // (8 * draws))
    out = np.empty((len(q), cols))
    for c in range(0, cols, step):
        out[:, c:c + step] = np.percentile(np.asarray(flat[:, c:c + step]), q, axis=0)
    return out.reshape((len(q), *store.shape[1:]))


def _exact_mean(store: Arr, chunk_bytes: int = 64 * 2**20) -> Arr:
    draws = store.shape[0]
    flat = store.reshape(draws, -1)
    step = max(1, chunk_bytes // (8 * flat.shape[1]))
    total = np.zeros(flat.shape[1])
    for d in range(0, draws, step):
        total += np.asarray(flat[d:d + step]).sum(axis=0)
    out: Arr = (total / draws).reshape(store.shape[1:])
    return out


def _run_tasks(scheduler: str | None, inp: McInputs, hist: Histograms | None, tasks: list[list[int]],
               seeds: list[np.random.SeedSequence], sizes: list[int], workers: int | None,
               on_result: Callable[[TaskResult], None]) -> tuple[str, int]:
    """Run the tasks on the scheduler; ``on_result`` sees each result as it arrives."""
    if not tasks:
        return ("serial" if scheduler == "serial" else scheduler or "local"), 1
    args = [(ts[0], [seeds[b] for b in ts], [sizes[b] for b in ts]) for ts in tasks]
    if scheduler == "serial":
        for a in args:
            on_result(run_blocks(inp, hist, *a))
        return "serial", 1
    if scheduler in (None, "local"):
        n = max(1, min(workers or os.cpu_count() or 1, len(args)))
        with ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(inp, hist)) as pool:
            pending: set[Future[TaskResult]] = {pool.submit(_worker_task, *a) for a in args}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    on_result(fut.result())
        return "local", n
    if DISTRIBUTED is None:
        raise MonteCarloError("scheduler=ADDRESS needs dask.distributed: pip install 'viscarbon[cluster]'",
                              field="scheduler", allowed="local, serial, or a Dask scheduler address")
    try:
        client = DISTRIBUTED.Client(scheduler, timeout=30, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise MonteCarloError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}", field="scheduler",
                              allowed="local, serial, or a reachable address such as tcp://127.0.0.1:8786"
                              ) from exc
    try:
        n = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        inp_f, hist_f = client.scatter([inp, hist], broadcast=True)
        futs = [client.submit(run_blocks, inp_f, hist_f, *a, pure=False) for a in args]
        with client.as_current():
            for fut in DISTRIBUTED.as_completed(futs):
                on_result(fut.result())
    finally:
        client.close()
    return str(scheduler), n


def run_montecarlo(base_or_roadmapper: RoadmapBase | Roadmapper, dataset: str, scenario: Scenario, *,
                   draws: int | None = None, seed: int | None = None, region: str | None = None,
                   cv: Uncertainty | Mapping[str, float] | None = None, block: int | None = None,
                   scheduler: str | None = None, workers: int | None = None,
                   percentiles: Sequence[float] = PERCENTILES, progress: Progress | None = None,
                   bins: int = HIST_BINS, memmap_bytes: int = MEMMAP_BYTES) -> MonteCarloResult:
    """Bands of ``scenario`` on ``dataset`` from ``draws`` Monte Carlo draws (module doc).

    ``draws``/``seed``/``block`` default to the scenario's ``[uncertainty]``; ``cv`` an
    :class:`Uncertainty` or overrides of its CVs (``intensity_cv``, ``power_cv``,
    ``growth_sd``, ``coefficient_cv``, ``regional_growth_sd``); ``region`` None (totals only), a province code (its
    sectors too) or ``"all"`` (every province's sectors); ``scheduler`` None or
    ``"local"`` (worker processes, ``workers`` of them, default the cores), ``"serial"``
    (this process) or a Dask scheduler address; ``percentiles`` in percent (the five of
    :data:`PERCENTILES` are always reported); ``progress(done, total)`` after each task.
    Binding targets are held at the scenario's adjustment (not re-solved per draw).
    """
    u = _uncertainty(scenario, cv, draws, seed, block)
    if u.regional_growth_sd > 0 and u.coefficient_cv > 0:
        raise MonteCarloError("regional_growth_sd and coefficient_cv cannot both be above 0",
                              field="regional_growth_sd", allowed="0 when coefficient_cv > 0")
    qs = sorted(set(PERCENTILES) | {float(q) for q in percentiles})
    if any(not 0.0 <= q <= 100.0 for q in qs):
        raise MonteCarloError(f"percentiles must lie in 0 … 100, got {list(percentiles)!r}", field="percentiles",
                              allowed="0 … 100")
    if not 8 <= bins <= 65_536:
        raise MonteCarloError(f"bins must be between 8 and 65536, got {bins!r}", field="bins", allowed="8 … 65536")
    if isinstance(base_or_roadmapper, Roadmapper):
        base = base_or_roadmapper.base(dataset, scenario)
        rm = base_or_roadmapper.run(dataset, scenario)
    else:
        base = base_or_roadmapper
        if base.dataset.name != dataset:
            raise MonteCarloError(f"the baseline is of dataset {base.dataset.name!r}, not {dataset!r}",
                                  field="dataset", allowed=base.dataset.name)
        rm = run_roadmap(base, scenario)
    sreg = _sector_regions(base, region)
    inp = _inputs(base, rm, u, sreg)
    T, R, S = len(base.years), base.n_regions, base.n_sectors
    sizes, tasks = _plan(u.draws, u.block)
    seeds = np.random.SeedSequence(u.seed).spawn(len(sizes))
    store = _store(u.draws, (R + 1, T), memmap_bytes)
    done = [0]

    def report(k: int) -> None:
        done[0] += k
        if progress is not None:
            progress(done[0], u.draws)

    start = time.perf_counter()
    pilot = block_draws(inp, seeds[0], sizes[0])
    store[:sizes[0]] = pilot.totals
    m = int(sreg.size) * S
    hist: Histograms | None = None
    acc: HistogramAccumulator | None = None
    sums: dict[int, Arr] = {}
    if m:
        values = pilot.sectors.reshape(sizes[0], -1)
        hist = histogram_edges(values, bins=bins)
        acc = HistogramAccumulator.like(hist)
        acc.add(values)
        sums[0] = acc.total.copy()
    report(sizes[0])
    offsets = np.concatenate([[0], np.cumsum(sizes)])

    def on_result(res: TaskResult) -> None:
        o = int(offsets[res.first])
        store[o:o + res.totals.shape[0]] = res.totals
        if res.hist is not None and acc is not None:
            sums[res.first] = res.hist.total
            acc.merge_counts(res.hist)
        report(res.totals.shape[0])

    sched, n_workers = _run_tasks(scheduler, inp, hist, tasks, seeds, sizes, workers, on_result)
    seconds = time.perf_counter() - start
    if isinstance(store, np.memmap):
        store.flush()
    store.setflags(write=False)
    bands = _exact_percentiles(store, qs)
    mean = _exact_mean(store)
    det_tot = np.concatenate([rm.scenario.pba.T, rm.nation(rm.scenario.pba)[None, :]], axis=0)
    rows = inp.sector_rows
    det_sec = np.asarray(rm.scenario.co2)[:, rows].T
    if acc is not None:
        total = np.zeros_like(acc.total)
        for k in sorted(sums):
            total = total + sums[k]
        counted = acc.freeze()
        est, err = histogram_quantiles(counted, np.asarray(qs) / 100.0)
        sector_bands = est.reshape(len(qs), T, m).transpose(0, 2, 1)
        sector_error = err.reshape(len(qs), T, m).transpose(0, 2, 1)
        sector_mean = (total / counted.n).reshape(T, m).T
        width = counted.width.reshape(T, m).T
    else:
        sector_bands = sector_error = np.zeros((len(qs), 0, T))
        sector_mean = width = np.zeros((0, T))
    codes = tuple(f"{base.regions.codes[int(i) // S]}/{base.sectors.codes[int(i) % S]}" for i in rows)
    for a in (bands, mean, sector_bands, sector_error, sector_mean, width, det_tot, det_sec):
        a.setflags(write=False)
    coef = "none" if inp.coefficients is None else (
        "block" if isinstance(inp.coefficients, CoefficientBlock) else "full")
    return MonteCarloResult(
        dataset=dataset, scenario=scenario.id, years=base.years, regions=(*base.regions.codes, NATION),
        draws=u.draws, seed=u.seed, block=u.block, uncertainty=u, scheduler=sched, workers=n_workers,
        percentiles=tuple(qs), totals=store, total_bands=bands, total_mean=mean, sector_rows=rows,
        sector_codes=codes, sector_bands=sector_bands, sector_error=sector_error, sector_mean=sector_mean,
        bin_width=width, deterministic_totals=det_tot, deterministic_sectors=det_sec, coefficients=coef,
        seconds=seconds)

