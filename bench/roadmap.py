"""Benchmark: roadmap pathways and the Monte Carlo on the demo dataset (31 × 42, t0 2017,
years 2017-2060). BLAS is pinned to one thread (threadpoolctl when installed, and the
environment variables set before numpy is imported).

* (a) the full 31-province pathway of one coefficient scenario (``efficient-industry``:
  materials into construction, so ``A(t)`` changes every year from 2021) by the engine
  (``roadmap.engine.simulate``: activity by Woodbury updates of the t0 factor, intensities,
  every account of every year) against the floor measured in the same run: one
  ``scipy.linalg.lu_factor`` of ``I − A(t)`` for every year in which the coefficients
  change (plus t0) and its ``lu_solve`` with the ``C + 1`` demand columns. Goal: ratio ≤ 2.
* (b) 1,000 Monte Carlo draws for one province (intensities, final demand, power mix;
  totals of every province and the nation, sector bands of the province) in local worker
  processes (one per core) and on a 2-worker ``distributed.LocalCluster`` (its start-up
  reported apart). Goal: < 10 s each. Then the time of one draw that also varies the input
  coefficients: the scenario's block (Woodbury per year) and, for a scenario without
  coefficient levers, all of ``A0`` (a new LU per draw).

* (c) with ``--scale N``: N draws with the sector bands of every province (totals
  memory-mapped above 256 MB, sectors streamed into histograms).

Run: ``.venv/bin/python bench/roadmap.py [--repeat 3] [--draws 1000] [--region GD] [--scale 100000]``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import scipy.linalg as sla  # noqa: E402

try:
    import threadpoolctl

    threadpoolctl.threadpool_limits(1)
except ImportError:  # pragma: no cover - the env vars above pin BLAS
    pass

from distributed import LocalCluster  # noqa: E402

from viscarbon.analysis import Workspace  # noqa: E402
from viscarbon.roadmap import Roadmapper  # noqa: E402
from viscarbon.roadmap.engine import simulate  # noqa: E402
from viscarbon.roadmap.montecarlo import run_montecarlo  # noqa: E402


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def pathway_vs_floor(rmp: Roadmapper, scenario_id: str, repeat: int) -> None:
    sc = rmp.scenario(scenario_id)
    base = rmp.base("demo", sc)
    _, act, _ = simulate(base, sc)
    engine = _median(lambda: simulate(base, sc), repeat)
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    rows, cols = act.A_rows, act.A_cols
    distinct = [0] + [t for t in range(1, len(base.years))
                      if act.D.shape[1] and not np.array_equal(act.D[t], act.D[t - 1])]

    def floor() -> None:
        for t in distinct:
            A = np.array(base.A0)
            if rows.size:
                A[np.ix_(rows, cols)] += act.D[t]
            lu = sla.lu_factor(np.eye(base.n) - A, overwrite_a=True, check_finite=False)
            sla.lu_solve(lu, rhs, check_finite=False)

    fl = _median(floor, repeat)
    print(f"(a) {scenario_id}: full 31-province pathway {base.years[0]}-{base.years[-1]} by the engine "
          f"{engine:.3f} s (Woodbury updates {act.woodbury}, new LUs {act.factorizations}); floor "
          f"{len(distinct)} × (lu_factor + lu_solve with {rhs.shape[1]} columns) {fl:.3f} s; "
          f"ratio {engine / fl:.2f} (goal ≤ 2)")


def montecarlo(rmp: Roadmapper, scenario_id: str, draws: int, region: str) -> None:
    sc = rmp.scenario(scenario_id)
    rmp.run("demo", sc)  # the deterministic run is cached: the draws are what is timed
    t0 = time.perf_counter()
    loc = run_montecarlo(rmp, "demo", sc, draws=draws, seed=1, region=region, scheduler="local")
    wall = time.perf_counter() - t0
    print(f"(b) {draws} draws, {region} sectors + all totals, local processes ({loc.workers} workers): "
          f"draws {loc.seconds:.2f} s, call {wall:.2f} s (goal < 10 s)")
    reg = run_montecarlo(rmp, "demo", sc, draws=draws, seed=1, region=region, scheduler="local",
                         cv={"regional_growth_sd": 0.01})
    print(f"    with each province's demand growth drawn too (regional_growth_sd 0.01, XR · γ): draws "
          f"{reg.seconds:.2f} s on {reg.workers} workers")
    ser = run_montecarlo(rmp, "demo", sc, draws=draws, seed=1, region=region, scheduler="serial")
    print(f"    same in this process (serial): {ser.seconds:.2f} s; identical to the processes' numbers: "
          f"{np.array_equal(np.asarray(ser.totals), np.asarray(loc.totals))}")
    t0 = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        dk = run_montecarlo(rmp, "demo", sc, draws=draws, seed=1, region=region,
                            scheduler=cluster.scheduler_address)
        wall = time.perf_counter() - t1
    print(f"    2-worker LocalCluster: draws {dk.seconds:.2f} s, call {wall:.2f} s (cluster start-up {start:.2f} s "
          f"apart); bit for bit equal to local: {np.array_equal(np.asarray(dk.totals), np.asarray(loc.totals))}")
    nat = len(loc.regions) - 1
    qs = list(loc.percentiles)
    print(f"    nation {loc.years[-1]}: p5 {loc.total_bands[qs.index(5.0), nat, -1]:.1f}, p50 "
          f"{loc.total_bands[qs.index(50.0), nat, -1]:.1f}, p95 {loc.total_bands[qs.index(95.0), nat, -1]:.1f} Mt "
          f"(deterministic {loc.deterministic_totals[nat, -1]:.1f}, mean {loc.total_mean[nat, -1]:.1f}); "
          f"sector bands: largest error bound {loc.sector_error.max():.4f} Mt, largest bin {loc.bin_width.max():.4f} Mt")


def coefficient_draws(rmp: Roadmapper, scenario_id: str, draws: int) -> None:
    for sid, n in ((scenario_id, draws), ("clean-power", max(2, draws // 10)), ("baseline", max(2, draws // 10))):
        sc = rmp.scenario(sid)
        rmp.run("demo", sc)
        res = run_montecarlo(rmp, "demo", sc, draws=n, seed=1, block=max(1, n // 2), scheduler="serial",
                             cv={"coefficient_cv": 0.1})
        plain = run_montecarlo(rmp, "demo", sc, draws=n, seed=1, block=max(1, n // 2), scheduler="serial")
        act = rmp.run("demo", sc).activity
        print(f"    one draw with input coefficients ({sid}: {res.coefficients}, |I| = {act.A_rows.size}, "
              f"|J| = {act.A_cols.size}) {1e3 * res.seconds / n:.1f} ms "
              f"against {1e3 * plain.seconds / n:.2f} ms without (serial, {n} draws)")


def at_scale(rmp: Roadmapper, scenario_id: str, draws: int) -> None:
    """Every province's sectors at scale: totals memory-mapped, sectors streamed."""
    sc = rmp.scenario(scenario_id)
    res = run_montecarlo(rmp, "demo", sc, draws=draws, seed=1, region="all", scheduler="local")
    print(f"(c) {draws} draws, every province's sectors ({len(res.sector_codes)} rows × {len(res.years)} years): "
          f"{res.seconds:.1f} s on {res.workers} workers; totals memory-mapped: {isinstance(res.totals, np.memmap)}; "
          f"sector bands: largest error bound {res.sector_error.max():.4f} Mt, median bound "
          f"{float(np.median(res.sector_error)):.2e} Mt")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--region", default="GD")
    ap.add_argument("--scenario", default="efficient-industry")
    ap.add_argument("--scale", type=int, default=0, help="also run this many draws with every province's sectors")
    args = ap.parse_args()
    t0 = time.perf_counter()
    rmp = Roadmapper(Workspace())
    rmp.base("demo")
    print(f"demo baseline built in {time.perf_counter() - t0:.2f} s; cores {os.cpu_count()}")
    pathway_vs_floor(rmp, args.scenario, args.repeat)
    montecarlo(rmp, args.scenario, args.draws, args.region)
    coefficient_draws(rmp, args.scenario, 40)
    if args.scale:
        at_scale(rmp, args.scenario, args.scale)


if __name__ == "__main__":
    main()
