"""Benchmark: all accounts of a full-size generated city year (313 cities × 42 sectors =
13,146 sectors), time and peak memory, against the floor and against pymrio.

Each phase runs in its own process (so each peak is its own: ``VmHWM`` of
``/proc/self/status``, the process's peak resident memory, inputs and the imported
modules — numpy, scipy, pandas, pymrio, viscarbon — included) on the same generated
year, saved once as ``.npz``:

* ``ours``: :func:`viscarbon.analysis.scale.flows_accounts` with ``method="auto"`` (the
  path the engine picks: iterative GMRES with a block-Jacobi preconditioner for a table
  this sparse), all accounts of :class:`viscarbon.calc.scale.ScaleAccounts`
  (x = L y, f, m = f L, 1ᵀL, production- and consumption-based CO2 per city, the
  313 × 314 city-to-city transfer matrix);
* ``dense``: the same accounts forced onto the dense path (LU of I − A built in place);
* ``floor``: one dense LU factorisation of I − A plus the same solves (L [Y_r | EX], two
  transposed), nothing else;
* ``read``: the year written as a MATLAB v7.3 file (dense Z, FD with five categories
  per city, VA, IM, EX, X, the city list; 313 names, the 56 of the concordance and
  ``City 057`` … for the rest) and read back by :func:`viscarbon.io.readers.read_ceads_city`
  (memory check, load, locate, the validated table); writing is not timed;
* ``import``: the same file imported into a new store (``viscarbon import ceads-city-mrio``:
  read, validate, write atomically; no inventory, so no CO2 is harmonized);
* ``view``: with the iterative solver set up, the two solves one city view needs
  (m = f L and L y_city);
* ``pymrio``: ``IOSystem.calc_all()`` on the same system (exports as the final demand of
  a pseudo-region RoW, as in tests/pymrio_bridge.py), run only when the memory it needs
  (estimated as 9 dense N × N float64 matrices: Z, A, I − A, the identity, the inverse,
  LAPACK's copy and pandas' copies; measured 8.2 at N = 4,242) fits in 80 % of the memory
  available; otherwise the estimate is reported and the phase skipped.

The generated year (a guess at the structure of the real tables, which are not public
here): dense 42 × 42 blocks within each city, inter-city flows scattered at
``--inter-density`` (default 1 % of all cells), column sums of A in [0.2, 0.7), final
demand 60 % in its own city. BLAS threads: ``--threads`` (default 1, because the machine
is shared; the issue asks for both cores when the machine is free).

Run: ``.venv/bin/python bench/city.py [--cities 313] [--inter-density 0.01] [--threads 1]
[--skip-pymrio] [--only PHASE …]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pymrio
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from city_fixtures import write_mat_v73
from viscarbon.analysis.city_engine import flows_extraction, plan_extraction
from viscarbon.analysis.scale import flows_accounts, plan_system
from viscarbon.calc.scale import factorize_flows_sparse_input, factorize_iterative, memory_estimate
from viscarbon.classification import cities
from viscarbon.errors import MemoryLimitError
from viscarbon.ingest import import_files
from viscarbon.io.files import available_memory
from viscarbon.io.readers import read_ceads_city

S = 42


def _peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def generate(path: Path, cities: int, inter: float, seed: int = 2017, *, block: int = S) -> dict[str, Any]:
    """``cities`` × ``block`` rows: dense ``block`` × ``block`` diagonal blocks (a city's 42
    sectors, or its 3 ownership types × 42 sectors for ``block = 126``), inter-city cells
    scattered at ``inter``; final demand by destination city (``cities`` columns)."""
    rng = np.random.default_rng(seed)
    n = cities * block
    blk = np.arange(block)
    rr, cc = np.meshgrid(blk, blk, indexing="ij")
    off = (np.arange(cities) * block)[:, None]
    rows = [(off + rr.ravel()[None, :]).ravel()]
    cols = [(off + cc.ravel()[None, :]).ravel()]
    k = int(inter * n * n)
    rows.append(rng.integers(0, n, k))
    cols.append(rng.integers(0, n, k))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    del rows, cols
    A = sp.csc_array((rng.random(r.size), (r, c)), shape=(n, n))
    del r, c
    A.sum_duplicates()
    A = sp.csc_array(A @ sp.diags_array((0.2 + 0.5 * rng.random(n)) / A.sum(axis=0)))
    x = 1e5 * (1.0 + rng.random(n))
    Z = sp.csc_array(A @ sp.diags_array(x))
    del A
    rowsum = Z @ np.ones(n)
    scale = np.minimum(1.0, 0.8 * x / rowsum)  # keep final demand ≥ 20 % of output
    Z = sp.csc_array(sp.diags_array(scale) @ Z)
    y = x - Z @ np.ones(n)
    own = 0.6 * y
    Yr = np.repeat((0.3 * y / cities)[:, None], cities, axis=1)
    Yr[np.arange(n), np.arange(n) // block] += own
    EX = y - Yr.sum(axis=1)
    F = rng.lognormal(-1.0, 1.5, n) * x * 1e-7
    np.savez(path, data=Z.data, indices=Z.indices, indptr=Z.indptr, x=x, Yr=Yr, EX=EX, F=F)
    return {"n": n, "nnz": int(Z.nnz), "density": Z.nnz / n / n}


def _load(path: Path) -> Any:

    d = np.load(path)
    n = d["x"].size
    Z = sp.csc_array((d["data"], d["indices"], d["indptr"]), shape=(n, n))
    return Z, d["x"], d["Yr"], d["EX"], d["F"]


def write_mat(path: Path) -> None:
    """The generated year as a MATLAB v7.3 file (``tests/city_fixtures.py`` writes it)."""


    Z, x, Yr, EX, _ = _load(path)
    n, R = Z.shape[0], Yr.shape[1]
    shares = np.array([0.1, 0.3, 0.15, 0.35, 0.1])
    FD = (Yr[:, :, None] * shares[None, None, :]).reshape(n, 5 * R)
    IM = 0.05 * x
    va = x - np.asarray(Z.sum(axis=0)).ravel() - IM
    VA = np.vstack([0.5 * va, 0.1 * va, 0.15 * va, 0.25 * va])
    known = [c.name_zh_hans for c in cities()][:R]
    names = known + [f"City {k + 1:03d}" for k in range(len(known), R)]
    write_mat_v73(path.with_name("city_mrio_2017.mat"), {"Z": Z.toarray(), "FD": FD, "VA": VA, "IM": IM,
                                                         "EX": EX, "X": x, "city_list": names})


def _cluster_extraction(Z: Any, x: Any, y: Any, F: Any, block: int, chunk: int, units: Any,
                        workers: int, method: Any = "auto") -> tuple[Any, dict[str, Any]]:
    """:func:`flows_extraction` on a new LocalCluster of ``workers`` single-threaded
    processes (made here so that the workers' own peak memory can be read)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        t0 = time.perf_counter()
        run = flows_extraction(Z, x=x, y=y, F=F, block=block, chunk=chunk, units=units,
                               scheduler=cluster.scheduler_address, method=method)
        secs = time.perf_counter() - t0
        peaks = client.run(_peak_mb)
    return run, {"seconds": secs, "workers": run.workers, "method": run.plan.estimate.method,
                 "worker_peak_mb": sorted(float(v) for v in peaks.values()),
                 "estimate_per_worker_gb": run.plan.estimate.total / 1e9}


def phase(name: str, path: Path, opts: dict[str, Any] | None = None) -> dict[str, Any]:
    opts = opts or {}
    Z, x, Yr, EX, F = _load(path)
    n, R = Z.shape[0], Yr.shape[1]
    out: dict[str, Any] = {"phase": name, "n": n, "load_peak_mb": _peak_mb()}
    t0 = time.perf_counter()
    if name in ("ours", "dense"):
        run = flows_accounts(Z, x=x, F=F, Y_regions=Yr, EX=EX, method="auto" if name == "ours" else "dense")
        a = run.accounts
        out.update(method=run.plan.method, estimate_gb=run.plan.total / 1e9,
                   iterations_mean=float(np.mean(run.iterations)) if run.iterations else None,
                   iterations_max=max(run.iterations) if run.iterations else None,
                   x_rel=float(np.max(np.abs(a.x - x) / x)),
                   cba_pba_rel=float(abs(a.consumption.sum() / a.production.sum() - 1)))
        np.savez(path.with_name(f"{name}_result.npz"), m=a.m, T=a.transfer)
    elif name == "extract":
        run = flows_extraction(Z, x=x, y=Yr.sum(axis=1) + EX, F=F, block=S, chunk=opts["chunk"])
        out.update(method=run.plan.estimate.method, estimate_gb=run.plan.estimate.total / 1e9, cities=R)
        np.savez(path.with_name("extract_result.npz"), dx=run.result.output_loss, de=run.result.co2_loss)
    elif name == "extract-iterative":
        units = np.arange(opts["big_units"])
        run = flows_extraction(Z, x=x, y=Yr.sum(axis=1) + EX, F=F, block=S, chunk=1, units=units,
                               method="iterative")
        secs = time.perf_counter() - t0
        out.update(method=run.plan.estimate.method, cities_done=int(units.size), cities=R,
                   extrapolated_all_cities_s=secs * R / units.size)
        ref = path.with_name("extract_result.npz")
        if ref.exists():
            de = np.load(ref)["de"][units]
            out["vs_dense_rel"] = float(np.max(np.abs(run.result.co2_loss - de)) / np.abs(de).max())
    elif name == "extract-cluster":
        run, info = _cluster_extraction(Z, x, Yr.sum(axis=1) + EX, F, S, opts["chunk"], None, 2)
        out.update(info, cities=R)
        t0 = time.perf_counter() - info["seconds"]
        np.savez(path.with_name("extract_cluster_result.npz"), dx=run.result.output_loss, de=run.result.co2_loss)
    elif name == "big-accounts":
        run = flows_accounts(Z, x=x, F=F, Y_regions=Yr, EX=EX, method="iterative")
        a = run.accounts
        out.update(method=run.plan.method, estimate_gb=run.plan.total / 1e9, nnz=int(Z.nnz),
                   iterations_mean=float(np.mean(run.iterations)), iterations_max=max(run.iterations),
                   solves=len(run.iterations), x_rel=float(np.max(np.abs(a.x - x) / x)),
                   cba_pba_rel=float(abs(a.consumption.sum() / a.production.sum() - 1)))
    elif name == "big-extract":
        block = n // R
        units = np.arange(opts["big_units"])
        run, info = _cluster_extraction(Z, x, Yr.sum(axis=1) + EX, F, block, opts["big_chunk"], units, 2,
                                        method="iterative")
        secs = info["seconds"]
        out.update(info, block=block, cities_done=int(units.size), cities=R,
                   extrapolated_all_cities_s=secs * R / units.size,
                   own_loss_rel=float(np.max(np.abs(run.result.output_loss[np.arange(units.size), units]
                                                    - x.reshape(R, block).sum(axis=1)[units])
                                             / x.reshape(R, block).sum(axis=1)[units])))
        t0 = time.perf_counter() - secs
    elif name == "big-guard":
        block = n // R
        avail = available_memory()
        dense = memory_estimate(n, method="dense", nnz=int(Z.nnz), rhs=R + 1)
        out.update(dense_accounts=dense.text(), available_gb=avail / 1e9)
        try:
            plan_system(n, int(Z.nnz), rhs=R + 1, method="dense", available=avail)
            out["dense_accounts_guard"] = "fits"
        except MemoryLimitError as exc:
            out["dense_accounts_guard"] = str(exc)
        try:
            plan_extraction(n, int(Z.nnz), block=block, chunk=opts["big_chunk"], scheduler="local", workers=2,
                            available=avail, method="dense")
            out["dense_extraction_guard"] = "fits"
        except MemoryLimitError as exc:
            out["dense_extraction_guard"] = str(exc)
    elif name == "floor":
        s = factorize_flows_sparse_input(Z, x)
        t_lu = time.perf_counter() - t0
        rhs = np.column_stack([Yr, EX])
        s.solve(rhs)
        f = F / x
        s.solve_transposed(f)
        s.solve_transposed(np.ones(n))
        out["lu_s"] = t_lu
    elif name == "read":

        tab = read_ceads_city(path.with_name("city_mrio_2017.mat"))
        out.update(file_gb=path.with_name("city_mrio_2017.mat").stat().st_size / 1e9, regions=tab.n_regions)
    elif name == "import":

        res = import_files(path.with_name("store.duckdb"), "ceads-city-mrio", [path.with_name("city_mrio_2017.mat")])
        out.update(dataset=res.name, store_gb=path.with_name("store.duckdb").stat().st_size / 1e9)
    elif name == "view":
        it = factorize_iterative(Z, x, block=S)
        t_setup = time.perf_counter() - t0
        t1 = time.perf_counter()
        it.solve_transposed(F / x)
        it.solve(Yr[:, 0])
        out.update(setup_s=t_setup, view_s=time.perf_counter() - t1)
        t0 = time.perf_counter() - t_setup  # report the view alone below
    elif name == "pymrio":
        N = n + S  # the RoW pseudo-region
        need = 9 * 8 * N * N + 8 * N * (R + 1) * 4
        avail = available_memory()
        out.update(estimate_gb=need / 1e9, available_gb=avail / 1e9)
        if need > 0.8 * avail:
            out.update(skipped=True, seconds=None, peak_mb=None)
            return out

        regions = [f"C{k:03d}" for k in range(R)] + ["RoW"]
        sectors = [f"S{k:02d}" for k in range(S)]
        idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
        cols = pd.MultiIndex.from_product([regions, ["FD"]], names=["region", "category"])
        Zd = np.zeros((N, N))
        Zd[:n, :n] = Z.toarray()
        Y = np.zeros((N, R + 1))
        Y[:n, :R] = Yr
        Y[:n, R] = EX
        xx = np.zeros(N)
        xx[:n] = x
        FF = np.zeros((1, N))
        FF[0, :n] = F
        del Z
        io = pymrio.IOSystem(Z=pd.DataFrame(Zd, index=idx, columns=idx), Y=pd.DataFrame(Y, index=idx, columns=cols),
                             x=pd.DataFrame(xx, index=idx, columns=["indout"]))
        del Zd
        io.co2 = pymrio.Extension(name="co2", F=pd.DataFrame(FF, index=["CO2"], columns=idx),
                                  F_Y=pd.DataFrame(np.zeros((1, R + 1)), index=["CO2"], columns=cols))
        t0 = time.perf_counter()
        io.calc_all()
        out["M_first"] = float(io.co2.M.to_numpy()[0, 0])
        np.save(path.with_name("pymrio_M.npy"), io.co2.M.to_numpy()[0, :n])
    if name != "view":
        out["seconds"] = time.perf_counter() - t0
    out["peak_mb"] = _peak_mb()
    return out


PHASES = ["floor", "ours", "dense", "view", "read", "import", "pymrio", "extract", "extract-iterative",
          "extract-cluster"]
BIG_PHASES = ["big-guard", "big-accounts", "big-extract"]


def _run_phase(name: str, data: Path, env: dict[str, str], opts: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--phase", name, "--data", str(data), "--opts", json.dumps(opts)],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"phase": name, "error": proc.stderr.strip().splitlines()[-1] if proc.stderr else
                f"exit {proc.returncode}"}
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def _generate(data: Path, env: dict[str, str], cities: int, inter: float, block: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    info = subprocess.run([sys.executable, __file__, "--phase", "generate", "--data", str(data), "--cities", str(cities),
                           "--inter-density", str(inter), "--block", str(block)],
                          env=env, check=True, capture_output=True, text=True)
    gen: dict[str, Any] = json.loads(info.stdout.strip().splitlines()[-1])
    print(f"generated: n = {gen['n']:,} sectors ({cities} × {block}), nnz(Z) = {gen['nnz']:,} "
          f"(density {gen['density']:.2%}), {time.perf_counter() - t0:.1f} s", flush=True)
    return gen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=313)
    ap.add_argument("--inter-density", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--skip-pymrio", action="store_true")
    ap.add_argument("--only", nargs="*", help="run only these phases (" + " ".join(PHASES + BIG_PHASES) + ")")
    ap.add_argument("--chunk", type=int, default=8, help="cities per block solve in the extraction phases")
    ap.add_argument("--big-cities", type=int, default=339, help="cities of the large system (× 3 ownership × 42)")
    ap.add_argument("--big-inter-density", type=float, default=0.005)
    ap.add_argument("--big-units", type=int, default=8,
                    help="cities extracted in big-extract and extract-iterative (a stated subset)")
    ap.add_argument("--big-chunk", type=int, default=1, help="cities per solve in big-extract")
    ap.add_argument("--phase")
    ap.add_argument("--data")
    ap.add_argument("--block", type=int, default=S)
    ap.add_argument("--opts", default="{}")
    args = ap.parse_args()
    if args.phase == "generate":
        print(json.dumps(generate(Path(args.data), args.cities, args.inter_density, block=args.block)), flush=True)
        return
    if args.phase == "write":
        write_mat(Path(args.data))
        return
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.data), json.loads(args.opts))), flush=True)
        return
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(args.threads)
    opts = {"chunk": args.chunk, "big_units": args.big_units, "big_chunk": args.big_chunk}
    print(f"BLAS threads {args.threads}; load average {os.getloadavg()[0]:.2f}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="viscarbon-city-bench-") as tmp:
        data = Path(tmp) / "year.npz"
        phases = [p for p in PHASES if not (args.skip_pymrio and p == "pymrio")]
        big = list(BIG_PHASES)
        if args.only:
            phases = [p for p in phases if p in args.only]
            big = [p for p in big if p in args.only]
        results: dict[str, dict[str, Any]] = {}
        if phases:
            _generate(data, env, args.cities, args.inter_density, S)
        for name in phases:
            if name == "read":
                t1 = time.perf_counter()
                subprocess.run([sys.executable, __file__, "--phase", "write", "--data", str(data)], env=env, check=True)
                print(f"wrote the v7.3 file in {time.perf_counter() - t1:.1f} s (not timed below)", flush=True)
            results[name] = _run_phase(name, data, env, opts)
            print(json.dumps(results[name]), flush=True)
        if big:
            big_data = Path(tmp) / "big.npz"
            _generate(big_data, env, args.big_cities, args.big_inter_density, 3 * S)
            for name in big:
                results[name] = _run_phase(name, big_data, env, opts)
                print(json.dumps(results[name]), flush=True)
        _summary(Path(tmp), results)


def _summary(tmp: Path, results: dict[str, dict[str, Any]]) -> None:
    line: dict[str, float] = {}
    if (tmp / "ours_result.npz").exists() and (tmp / "dense_result.npz").exists():
        ours = np.load(tmp / "ours_result.npz")
        dense = np.load(tmp / "dense_result.npz")
        line["ours_vs_dense_m_rel"] = float(np.max(np.abs(ours["m"] - dense["m"]) / np.abs(dense["m"])))
        line["ours_vs_dense_T_rel"] = float(np.max(np.abs(ours["T"] - dense["T"])) / np.abs(dense["T"]).max())
        pm = tmp / "pymrio_M.npy"
        if pm.exists():
            line["ours_vs_pymrio_M_rel"] = float(np.max(np.abs(ours["m"] - np.load(pm)) / np.abs(np.load(pm))))
    if (tmp / "extract_result.npz").exists() and (tmp / "extract_cluster_result.npz").exists():
        a = np.load(tmp / "extract_result.npz")
        b = np.load(tmp / "extract_cluster_result.npz")
        line["extract_local_vs_cluster_rel"] = float(np.max(np.abs(a["de"] - b["de"])) / np.abs(a["de"]).max())
    if line:
        print(json.dumps(line), flush=True)
    fl = results.get("floor", {}).get("seconds")
    for name in ("ours", "dense", "pymrio", "extract", "extract-cluster"):
        r = results.get(name, {})
        s = r.get("seconds")
        if fl and s:
            peak = r.get("peak_mb") or 0.0
            workers = r.get("worker_peak_mb")
            print(f"{name}: {s:.1f} s = {s / fl:.2f} × the floor ({fl:.1f} s), peak {peak / 1000:.2f} GB"
                  + (f" (workers {', '.join(f'{w / 1000:.2f}' for w in workers)} GB)" if workers else ""),
                  flush=True)


if __name__ == "__main__":
    main()
