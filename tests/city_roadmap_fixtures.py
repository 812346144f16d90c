"""A provincial table and a city table cut from one generated "world" of cities, so that
the cities of some provinces partition them exactly (for the city roadmap tests).

The world: 12 cities × 42 sectors, two IO years (2012, 2017), a balanced MRIO per year
(coefficients dense inside a city, sparse between cities; ``x = (I − A)⁻¹ y``,
``Z = A x̂``) and CO2 per city-sector (Mt) with households' direct CO2 in the two
household columns. :func:`restrict` aggregates cities into regions and cuts the cities
left out: flows to them become foreign exports (``EX``), flows from them imports
(``IM``), so both balances still hold exactly.

* provincial dataset ``prov``: BJ, TJ, HE, LN, SX (every world city but Hohhot, NM);
* city dataset ``city``: Beijing, Tianjin, the five HE cities, Shenyang (LN; Dalian left
  out: LN is covered partly) and Hohhot (NM: not in ``prov``, no provincial roadmap).

:data:`MEMBERS` is the complete city list the tests declare for HE and LN (the shipped
concordance may list more cities of HE).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import Workspace
from viscarbon.classification import city
from viscarbon.model import Axis, EEIOSystem, IOTable, Provenance, SatelliteAccount

Arr = NDArray[np.float64]
S = 42
WORLD = ("110000", "120000", "130100", "130200", "130300", "130400", "130600", "210100", "210200",
         "140100", "140200", "150100")
CITY_TABLE = ("110000", "120000", "130100", "130200", "130300", "130400", "130600", "210100", "150100")
PROVINCES = ("BJ", "TJ", "HE", "LN", "SX")
MEMBERS: dict[str, tuple[str, ...]] = {
    "BJ": ("110000",), "TJ": ("120000",), "HE": ("130100", "130200", "130300", "130400", "130600"),
    "LN": ("210100", "210200"), "SX": ("140100", "140200"), "NM": ("150100",),
}
VA_ROWS = ("VA001", "VA002", "VA003", "VA004")


def _world(year: int, seed: int) -> dict[str, Arr]:
    rng = np.random.default_rng(seed)
    C = len(WORLD)
    n = C * S
    K = len(Axis.fd_categories())
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.04)
    for c in range(C):
        blk = slice(c * S, (c + 1) * S)
        A[blk, blk] = rng.random((S, S))
    A *= (0.25 + 0.4 * rng.random(n)) / A.sum(axis=0)
    Y = rng.random((n, C * K)) * 40.0 + 1.0
    EX = rng.random(n) * 60.0 + 1.0
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1) + EX)
    Z = A * x[None, :]
    IM = 0.1 * x
    va = x - Z.sum(axis=0) - IM
    V = rng.dirichlet(np.ones(4), size=n).T * va[None, :]
    scale = 1.0 if year == 2017 else 1.3  # intensities fall between the IO years
    inten = rng.lognormal(0.0, 1.0, n) * 2e-6 * scale * (1.0 + 0.5 * rng.random(C).repeat(S))
    F = inten * x
    F_Y = np.zeros(C * K)
    F_Y[0::K] = rng.random(C) * 0.3  # FU101 rural, FU102 urban households
    F_Y[1::K] = rng.random(C) * 0.5
    return {"Z": Z, "Y": Y, "EX": EX, "IM": IM, "V": V, "x": x, "F": F, "F_Y": F_Y}


def restrict(w: Mapping[str, Arr], groups: Sequence[tuple[str, ...]], codes: Sequence[str], year: int,
             *, cities: bool) -> EEIOSystem:
    """Aggregate the world's cities into ``groups`` (one region each, named ``codes``),
    cutting the others (flows to them → EX, from them → IM)."""
    K = len(Axis.fd_categories())
    pos = {c: i for i, c in enumerate(WORLD)}
    R = len(groups)
    n = R * S
    P = np.zeros((len(WORLD) * S, n))  # world row → region row
    Pc = np.zeros((len(WORLD) * K, R * K))
    for r, g in enumerate(groups):
        for c in g:
            i = pos[c]
            P[i * S:(i + 1) * S, r * S:(r + 1) * S] = np.eye(S)
            Pc[i * K:(i + 1) * K, r * K:(r + 1) * K] = np.eye(K)
    keep = P.sum(axis=1) > 0
    Z = P.T @ w["Z"] @ P
    Y = P.T @ w["Y"] @ Pc
    x = P.T @ w["x"]
    EX = P.T @ (w["EX"] + w["Z"][:, ~keep].sum(axis=1) + w["Y"] @ (1.0 - Pc.sum(axis=1)))
    IM = P.T @ (w["IM"] + w["Z"][~keep, :].sum(axis=0))
    V = w["V"] @ P
    F = (P.T @ w["F"])[None, :]
    F_Y = (Pc.T @ w["F_Y"])[None, :]
    if cities:
        regions = Axis("region", tuple(codes), tuple(city(c).name_en for c in codes),
                       tuple(city(c).name_zh_hans for c in codes), list_id="cn_city")
    else:
        regions = Axis.regions(tuple(codes))
    prov = (Provenance("test", "city roadmap world", "generated", file_name=f"world_{year}.mat",
                       sha256=f"{year:064x}"),)
    table = IOTable(year=year, regions=regions, sectors=Axis.sectors("io42_2012"), Z=Z, Y=Y,
                    fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V, va_rows=Axis("va_row", VA_ROWS), x=x,
                    provenance=prov, notes=("generated test table",))
    sat = SatelliteAccount(name="CO2", stressors=Axis("stressor", ("CO2",)), F=F, F_Y=F_Y, unit="Mt", year=year,
                           region_status=tuple("reported" for _ in range(R)))
    return EEIOSystem(table=table, satellites=(sat,), dataset="city" if cities else "prov")


def systems() -> dict[str, dict[int, EEIOSystem]]:
    """``{"prov": {2012, 2017}, "city": {2012, 2017}}`` (see the module doc)."""
    out: dict[str, dict[int, EEIOSystem]] = {"prov": {}, "city": {}}
    for year, seed in ((2012, 3), (2017, 4)):
        w = _world(year, seed)
        groups = [tuple(c for c in WORLD if city(c).province == p) for p in PROVINCES]
        out["prov"][year] = restrict(w, groups, PROVINCES, year, cities=False)
        out["city"][year] = restrict(w, [(c,) for c in CITY_TABLE], CITY_TABLE, year, cities=True)
    return out


def workspace() -> Workspace:
    return Workspace(systems=systems(), include_demo=False)
