"""Benchmark: our accounts vs pymrio ``calc_all`` on the full demo MRIO year (1302 × 1302).

BLAS is pinned to one thread (environment variables set before numpy is imported).
For each side: the median wall time of ``--repeat`` runs (≥ 5) and the extra peak memory
(tracemalloc peak above the baseline, numpy allocations included).

* (a) pymrio: ``IOSystem.calc_all()`` with the CO2 extension (21 stressors; exports as
  the final demand of a pseudo-region RoW, as in tests/test_pymrio_crosscheck.py):
  A, L (dense inverse), x, S, M, D_cba, D_pba, D_imp, D_exp and their regional sums.
* (b) ours, from the same arrays: A, the LU of I − A (no inverse), f, M = f L for the 21
  stressors, D_cba by consumer region × product, D_pba, D_exp by producing region-sector,
  D_cba_reg, D_pba_reg, D_imp_reg, D_exp_reg — plus what pymrio does not give: the
  31 × 31 transfer matrix, footprints by sector of origin, embodied in exports and the
  imports estimate. (pymrio's D_imp split by *product* is the one item not recomputed:
  it needs every column of L; our transfer matrix splits imports by origin region.)

Then the dashboard: with the year's factorisation cached, the time for everything one
province-year view needs (accounts, trade, electricity, region indicators, sector
indicators and both networks with betweenness), and — if ``bench/structural.py``
exists — its ``run()`` lines (SPA and sda times). The last line prints the ratios.

Run: ``.venv/bin/python bench/engine.py [--repeat 5] [--year 2017]``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402


def _measure(fn: Callable[[], Any], setup: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median seconds, extra peak MB) of ``fn(setup())`` over ``repeat`` runs; memory from
    one extra traced run."""
    times = []
    for _ in range(repeat):
        arg = setup()
        gc.collect()
        t0 = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t0)
        del arg
    arg = setup()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    keep = fn(arg)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del keep, arg
    return statistics.median(times), (peak - base) / 1e6


def pymrio_setup(table: Any, sat: Any) -> Any:
    """The same system as a ``pymrio.IOSystem`` (untimed setup), built by the helper the
    cross-check test uses (``tests/pymrio_bridge.py``)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from pymrio_bridge import pymrio_system

    return pymrio_system(table, sat)


def pymrio_run(io: Any) -> Any:
    io.calc_all()
    return io


def ours_run(arrays: tuple[Any, ...]) -> dict[str, Any]:
    from viscarbon.calc.accounts import import_intensity
    from viscarbon.calc.leontief import (
        direct_intensity,
        factorize,
        solve,
        solve_transposed,
        technical_coefficients,
    )

    Z, Y, EX, IM, x, F, F_Y, R, K = arrays
    n = x.shape[0]
    S = n // R
    A = technical_coefficients(Z, x)
    fac = factorize(A)
    f = direct_intensity(F, x, scale=1.0)  # k × n, Mt per 10,000 yuan
    M = solve_transposed(fac, f)  # k × n
    Y_reg = Y.reshape(n, R, K).sum(axis=2)
    X = solve(fac, np.column_stack([Y_reg, EX]))  # n × (R+1): output for each final demand
    # D_cba by consumer region × product: Σ_origin M[k, (q, p)] Y[(q, p), s]
    D_cba = np.einsum("kqp,qps->ksp", M.reshape(-1, R, S), np.column_stack([Y_reg, EX]).reshape(R, S, R + 1))
    x_tot = X.sum(axis=1)
    D_pba = f * x_tot
    own = np.zeros((n, R + 1), dtype=bool)
    for r in range(R):
        own[r * S:(r + 1) * S, r] = True
    X_trade = np.where(own, 0.0, X)
    D_exp = f * X_trade.sum(axis=1)
    hh = F_Y.reshape(-1, R, K).sum(axis=2)
    D_cba_reg = D_cba.sum(axis=2)
    D_cba_reg[:, :R] += hh
    D_pba_reg = D_pba.reshape(-1, R, S).sum(axis=2) + hh
    D_imp_reg = f @ X_trade  # k × (R+1)
    D_exp_reg = D_exp.reshape(-1, R, S).sum(axis=2)
    # our extras from the same solves: transfer matrix, footprints by origin, exports, imports estimate
    f_tot = f.sum(axis=0)
    m_tot = M.sum(axis=0)
    origin = f_tot[:, None] * X
    transfer = origin.reshape(R, S, R + 1).sum(axis=1)
    eee = (m_tot * EX).reshape(R, S).sum(axis=1)
    d = import_intensity(m_tot, Z, IM, x)
    imports = solve_transposed(fac, d) @ Y_reg
    acc = {"transfer": transfer, "origin": origin, "eee": eee, "imports": imports}
    return {"A": A, "fac": fac, "M": M, "D_cba": D_cba, "D_pba": D_pba, "D_exp": D_exp,
            "D_cba_reg": D_cba_reg, "D_pba_reg": D_pba_reg, "D_imp_reg": D_imp_reg, "D_exp_reg": D_exp_reg,
            "accounts": acc}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--year", type=int, default=2017)
    args = ap.parse_args(argv)
    repeat = max(5, args.repeat)
    try:
        from threadpoolctl import threadpool_info

        blas = ", ".join(f"{i['internal_api']}:{i['num_threads']}" for i in threadpool_info())
    except ImportError:
        blas = "env vars = 1"
    from viscarbon.demo import demo_dataset

    t0 = time.perf_counter()
    system = demo_dataset().system(args.year)
    table, sat = system.table, system.satellite("CO2")
    print(f"demo {args.year}: n = {table.n}, stressors = {len(sat.stressors)}, built in "
          f"{time.perf_counter() - t0:.2f} s; BLAS threads: {blas}", flush=True)
    arrays = (np.asarray(table.Z), np.asarray(table.Y), np.asarray(table.EX), np.asarray(table.IM),
              np.asarray(table.x), np.asarray(sat.F), np.asarray(sat.F_Y), table.n_regions, len(table.fd_categories))

    # correctness first: both sides agree on the regional accounts
    io = pymrio_run(pymrio_setup(table, sat))
    mine = ours_run(arrays)
    for name in ("D_cba_reg", "D_pba_reg", "D_imp_reg", "D_exp_reg"):
        ref = getattr(io.co2, name).to_numpy()
        got = mine[name][:, :ref.shape[1]] if name != "D_pba_reg" else np.column_stack(
            [mine[name], np.zeros((mine[name].shape[0], 1))])
        if name == "D_exp_reg":
            got = np.column_stack([mine[name], np.zeros((got.shape[0], 1))])
        err = float(np.abs(got - ref).max() / np.abs(ref).max())
        print(f"check {name}: max relative difference {err:.2e}", flush=True)
    err_m = float(np.abs(mine["M"] - io.co2.M.to_numpy()[:, :table.n]).max() / np.abs(io.co2.M.to_numpy()).max())
    print(f"check M: max relative difference {err_m:.2e}", flush=True)
    del io, mine

    t_py, m_py = _measure(pymrio_run, lambda: pymrio_setup(table, sat), repeat)
    print(f"(a) pymrio calc_all: median {t_py * 1e3:.1f} ms, extra peak memory {m_py:.1f} MB", flush=True)
    t_us, m_us = _measure(ours_run, lambda: arrays, repeat)
    print(f"(b) viscarbon accounts: median {t_us * 1e3:.1f} ms, extra peak memory {m_us:.1f} MB", flush=True)

    # the dashboard: one province-year once the year's factorisation is cached
    from viscarbon.analysis import Workspace

    def view(e: Workspace, region: str) -> None:
        e.year("demo", args.year).accounts()
        e.year("demo", args.year).trade()
        e.year("demo", args.year).electricity_adjusted()
        e.year("demo", args.year).region_indicators()
        for mode in ("money", "carbon"):
            e.year("demo", args.year).network(region, mode=mode, top_percent=5.0, keep_top_emitters=3)

    firsts, others = [], []
    for _ in range(repeat):
        e = Workspace(None)
        _ = e.year("demo", args.year).coefficients  # the factorisation, cached
        t1 = time.perf_counter()
        view(e, "GD")
        firsts.append(time.perf_counter() - t1)
        for region in ("JS", "SD", "XZ"):
            t1 = time.perf_counter()
            view(e, region)
            others.append(time.perf_counter() - t1)
    t_first, t_other = statistics.median(firsts), statistics.median(others)
    print(f"dashboard province-year (factorisation cached): first view of the year {t_first * 1e3:.1f} ms "
          f"(incl. year-level accounts, trade, electricity), another province {t_other * 1e3:.1f} ms "
          f"(target < 50 ms)", flush=True)

    structural = Path(__file__).resolve().parent / "structural.py"
    if structural.exists():
        sys.path.insert(0, str(structural.parent))
        try:
            import structural as st_bench

            st_bench.run()
        except Exception as exc:  # report, do not hide the main figures
            print(f"bench/structural.py failed: {type(exc).__name__}: {exc}", flush=True)

    print(f"ratios ours/pymrio: time {t_us / t_py:.3f} (target ≤ 0.25), extra memory {m_us / m_py:.3f} "
          f"(target ≤ 0.5); pymrio {t_py * 1e3:.0f} ms / {m_py:.0f} MB, ours {t_us * 1e3:.0f} ms / {m_us:.0f} MB",
          flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
