"""Benchmark: a city roadmap on a generated city table cut from a generated world of the
concordance's cities, against the provincial roadmap it is reconciled to.

``python bench/city_roadmap.py [--cities N] [--drop K] [--scenario efficient-industry]``

The world: the first N cities of the city concordance (all of them by default), 42
sectors each, two IO years (2012, 2017), coefficients dense inside a city and sparse
between cities (``--density``), output drawn first and final demand the residual (no
solve in the generator), CO2 per city-sector. The provincial table aggregates the world
by province; the city table keeps every city but every K-th (``--drop``; cut cities'
flows become exports and imports), so some provinces are covered completely and some
partly. Phases, timed separately in one process (BLAS threads as set by the caller,
e.g. OPENBLAS_NUM_THREADS=1): the provincial run (``Roadmapper.run``), the city baseline
(``Roadmapper.base`` of the city dataset: its LU of I − A and ``L [Y0 | EX0]``), the
floor (one dense LU of the city table's I − A in the same run) and the city roadmap
(``city_roadmap``: the raw runs and the reconciliation). Prints sizes, times, the peak
resident memory (``VmHWM``), the largest reconciliation error of the complete provinces
and the raw gaps.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from viscarbon.analysis import Workspace
from viscarbon.classification import cities
from viscarbon.model import Axis, EEIOSystem, IOTable, Provenance, SatelliteAccount
from viscarbon.roadmap import Roadmapper
from viscarbon.roadmap.city import city_roadmap

S = 42
VA_ROWS = ("VA001", "VA002", "VA003", "VA004")


def peak_gb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024**2
    return float("nan")


def world(codes: tuple[str, ...], year: int, seed: int, density: float) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    C = len(codes)
    n = C * S
    K = len(Axis.fd_categories())
    x = rng.uniform(1e4, 1e6, n)
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    for c in range(C):
        blk = slice(c * S, (c + 1) * S)
        A[blk, blk] = rng.random((S, S))
    A *= (0.25 + 0.4 * rng.random(n)) / A.sum(axis=0)
    Z = A * x[None, :]
    del A
    over = Z.sum(axis=1) / x
    Z *= np.minimum(1.0, 0.8 / over)[:, None]  # rows keep ≥ 20 % of output for final use
    rest = x - Z.sum(axis=1)
    w = rng.random((n, C * K + 1))
    w /= w.sum(axis=1, keepdims=True)
    Y = rest[:, None] * w[:, :-1]
    EX = x - Z.sum(axis=1) - Y.sum(axis=1)
    IM = 0.1 * x
    V = rng.dirichlet(np.ones(4), size=n).T * (x - Z.sum(axis=0) - IM)[None, :]
    F = rng.lognormal(0.0, 1.0, n) * 2e-6 * (1.0 if year == 2017 else 1.25) * x
    F_Y = np.zeros(C * K)
    F_Y[0::K] = rng.random(C) * 0.3
    F_Y[1::K] = rng.random(C) * 0.5
    return {"Z": Z, "Y": Y, "EX": EX, "IM": IM, "V": V, "x": x, "F": F, "F_Y": F_Y}


def restrict(w: dict[str, np.ndarray], world_codes: tuple[str, ...], groups: list[tuple[str, ...]],
             codes: tuple[str, ...], year: int, *, city_axis: bool) -> EEIOSystem:
    """Aggregate world cities into regions by sparse projections ``P`` (world row → region
    row): ``Z = Pᵀ Z_w P``; flows to cut cities → EX, from them → IM."""
    K = len(Axis.fd_categories())
    pos = {c: i for i, c in enumerate(world_codes)}
    R, Nw = len(groups), len(world_codes)
    ri, rj, ci, cj = [], [], [], []
    for r, g in enumerate(groups):
        for c in g:
            ri += range(pos[c] * S, (pos[c] + 1) * S)
            rj += range(r * S, (r + 1) * S)
            ci += range(pos[c] * K, (pos[c] + 1) * K)
            cj += range(r * K, (r + 1) * K)
    P = sp.csr_matrix((np.ones(len(ri)), (ri, rj)), shape=(Nw * S, R * S))
    Pc = sp.csr_matrix((np.ones(len(ci)), (ci, cj)), shape=(Nw * K, R * K))
    keep = np.asarray(P.sum(axis=1)).ravel() > 0
    ykeep = np.asarray(Pc.sum(axis=1)).ravel() > 0
    Z = np.asarray((P.T @ (P.T @ w["Z"]).T).T)
    Y = np.asarray(P.T @ (Pc.T @ w["Y"].T).T)
    EX = P.T @ (w["EX"] + w["Z"][:, ~keep].sum(axis=1) + w["Y"][:, ~ykeep].sum(axis=1))
    IM = P.T @ (w["IM"] + w["Z"][~keep, :].sum(axis=0))
    x = P.T @ w["x"]
    V = np.asarray((P.T @ w["V"].T).T)
    F = P.T @ w["F"]
    F_Y = Pc.T @ w["F_Y"]
    if city_axis:
        by = {c.code: c for c in cities()}
        regions = Axis("region", codes, tuple(by[c].name_en for c in codes), tuple(by[c].name_zh_hans for c in codes),
                       list_id="cn_city")
    else:
        regions = Axis.regions(codes)
    prov = (Provenance("bench", "generated world", "generated", file_name=f"world_{year}", sha256="0" * 64),)
    table = IOTable(year=year, regions=regions, sectors=Axis.sectors("io42_2012"), Z=Z, Y=Y,
                    fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V, va_rows=Axis("va_row", VA_ROWS), x=x,
                    provenance=prov)
    sat = SatelliteAccount(name="CO2", stressors=Axis("stressor", ("CO2",)), F=F[None, :], F_Y=F_Y[None, :],
                           unit="Mt", year=year, region_status=tuple("reported" for _ in range(R)))
    return EEIOSystem(table=table, satellites=(sat,))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=0, help="cities of the world (0: every city of the concordance)")
    ap.add_argument("--drop", type=int, default=7, help="leave every K-th city out of the city table")
    ap.add_argument("--density", type=float, default=0.01)
    ap.add_argument("--scenario", default="efficient-industry")
    args = ap.parse_args()
    allc = cities()
    wc = tuple(c.code for c in (allc[:args.cities] if args.cities else allc))
    prov_of = {c.code: c.province for c in allc}
    provinces = tuple(dict.fromkeys(prov_of[c] for c in wc))
    table_cities = tuple(c for i, c in enumerate(wc) if args.drop <= 0 or i % args.drop != args.drop - 1)
    t = time.perf_counter()
    systems: dict[str, dict[int, EEIOSystem]] = {"prov": {}, "city": {}}
    for year, seed in ((2012, 1), (2017, 2)):
        w = world(wc, year, seed, args.density)
        systems["prov"][year] = restrict(w, wc, [tuple(c for c in wc if prov_of[c] == p) for p in provinces],
                                         provinces, year, city_axis=False)
        systems["city"][year] = restrict(w, wc, [(c,) for c in table_cities], table_cities, year, city_axis=True)
        del w
    gen = time.perf_counter() - t
    n = len(table_cities) * S
    print(f"world: {len(wc)} cities, {len(provinces)} provinces; city table {len(table_cities)} cities = {n:,} sectors;"
          f" generated in {gen:.1f} s")
    rmr = Roadmapper(Workspace(systems=systems, include_demo=False))
    sc = rmr.scenario(args.scenario)
    t = time.perf_counter()
    prov = rmr.run("prov", sc)
    t_prov = time.perf_counter() - t
    t = time.perf_counter()
    base = rmr.base("city", sc)
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    cr = city_roadmap(base, prov, sc)
    t_city = time.perf_counter() - t
    A = np.array(base.A0)
    A *= -1.0
    A[np.diag_indices_from(A)] += 1.0
    t = time.perf_counter()
    sla.lu_factor(A, overwrite_a=True, check_finite=False)
    t_floor = time.perf_counter() - t
    del A
    worst = 0.0
    for cov in cr.coverage:
        if cov.status != "complete":
            continue
        idx = [cr.index(c) for c in cov.cities]
        r = prov.regions.index(cov.province)
        want = prov.sector_co2("scenario")[:, r * S:(r + 1) * S]
        got = cr.co2["scenario"][:, idx].sum(axis=1)
        worst = max(worst, float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-30))))
    complete = [c.province for c in cr.coverage if c.status == "complete"]
    partial = [c for c in cr.coverage if c.status == "partial"]
    gaps = np.array([c.gap_relative["scenario"][-1] for c in cr.coverage])
    print(f"scenario {sc.id}: provincial run {t_prov:.2f} s; city baseline {t_base:.2f} s; "
          f"city roadmap {t_city:.2f} s; floor (one dense LU of the city table) {t_floor:.2f} s")
    print(f"peak resident memory {peak_gb():.2f} GB")
    print(f"covered completely: {len(complete)} provinces; partly: {len(partial)} "
          f"(e.g. {', '.join(f'{c.province} {c.k}/{c.total}' for c in partial[:5])})")
    print(f"largest relative error of a complete province's sector-year: {worst:.1e}")
    print(f"raw gap in 2060 relative to the target: median {np.median(gaps):+.3%}, "
          f"range {gaps.min():+.3%} … {gaps.max():+.3%}")


if __name__ == "__main__":
    main()
