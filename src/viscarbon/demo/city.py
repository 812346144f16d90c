"""The demo's city table (``demo-city``): a deterministic, **synthetic** city-level MRIO
derived from the provincial demo, so that the City tab works without any import.

Coverage (:data:`COMPLETE`, :data:`PARTIAL`): every prefecture-level city of the packaged
concordance (:func:`viscarbon.classification.province_cities`) for Guangdong, Jiangsu,
Zhejiang and the four municipalities (Beijing, Tianjin, Shanghai, Chongqing: one city
each), and only the first :data:`PARTIAL_CITIES` cities (concordance order) of Sichuan.
Every other province is outside the table.

Disaggregation (one year; province ``p`` of the demo, its cities ``c ∈ p``):

* city shares ``s_ci ≥ 0`` of province ``p``'s sector ``i`` with ``Σ_{c∈p} s_ci = 1`` over
  *all* the province's cities: a size weight ``w_c = 1 / rank^0.9`` (the capital rank 1,
  then :data:`LARGE_CITIES`, then the other cities in a fixed pseudo-random order) tilted
  per sector by a log-normal factor (seed :data:`SEED`);
* output ``x_ci = s_ci x_pi``; flows ``Z_ci,dj = s_ci Z_pi,qj s_dj`` for two cities in
  the table; final demand ``Y_ci,dk = s_ci Y_pi,qk u_d`` with the destination city's
  share of its province's output ``u_d = Σ_j s_dj x_qj / Σ_j x_qj``; value added
  ``V_k,ci = s_ci V_k,pi``;
* whatever province ``p``'s rows send to regions outside the table (other provinces, the
  uncovered cities of Sichuan) joins the city's exports ``EX = x − Z 1 − Y 1`` and what
  its columns buy from outside joins its imports ``IM = x − 1ᵀZ − 1ᵀV``, so the table
  balances (Miller & Blair 2009, eq. 2.1 and 3.1) and ``x = L (Y 1 + EX)`` holds;
* CO2 ``F_ci = F_pi s_ci g_c / Σ_{c'∈p} s_c'i g_c'`` with a city intensity factor
  ``g_c`` (log-normal, seed :data:`SEED`), so the sums over a completely covered province
  equal the province's CO2 exactly; households' direct CO2 ``F_Y,dk = u_d F_Y,qk``.

Sums over the cities of a completely covered province equal the province's demo output,
value added and CO2 (tested). Units as the demo: 10,000 yuan and Mt CO2.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.classification import City, province_cities
from viscarbon.demo.dataset import demo_dataset
from viscarbon.errors import NotFound
from viscarbon.model import Axis, EEIOSystem, IOTable, Provenance, SatelliteAccount

__all__ = ["COMPLETE", "DEMO_CITY", "LARGE_CITIES", "PARTIAL", "PARTIAL_CITIES", "SEED", "CityCoverage", "demo_city_coverage",
           "demo_city_system", "demo_city_years"]

Arr = NDArray[np.float64]

#: The dataset name of the demo's city table.
DEMO_CITY: Final = "demo-city"
#: Provinces whose every prefecture-level city is in the table.
COMPLETE: Final[tuple[str, ...]] = ("BJ", "TJ", "SH", "JS", "ZJ", "GD", "CQ")
#: The province covered partly, and how many of its cities (the first in concordance order).
PARTIAL: Final = "SC"
PARTIAL_CITIES: Final = 8
SEED: Final = 20_240_612
#: The size ranking after the capital: these well-known large cities first (in this order;
#: a hand-picked ordering for plausibility, not data), then the others in a fixed
#: pseudo-random order. 深圳 佛山 东莞 | 苏州 无锡 南通 常州 徐州 | 宁波 温州 绍兴 嘉兴 | 绵阳 宜宾.
LARGE_CITIES: Final[tuple[str, ...]] = ("440300", "440600", "441900", "320500", "320200", "320600", "320400",
                                        "320300", "330200", "330300", "330600", "330400", "510700", "511500")


@dataclass(frozen=True)
class CityCoverage:
    """The cities of the demo's city table: ``cities`` (table order: the provinces in NBS
    order, their cities in concordance order), ``complete`` and ``partial`` provinces."""

    cities: tuple[City, ...]
    complete: tuple[str, ...]
    partial: tuple[str, ...]


def _province_order() -> tuple[str, ...]:
    demo = demo_dataset()
    codes = demo.table(demo.years[-1]).regions.codes
    return tuple(c for c in codes if c in (*COMPLETE, PARTIAL))


@cache
def demo_city_coverage() -> CityCoverage:
    """Which cities the demo's city table holds (:data:`COMPLETE`, :data:`PARTIAL`)."""
    out: list[City] = []
    for p in _province_order():
        cs = province_cities(p)
        out.extend(cs[:PARTIAL_CITIES] if p == PARTIAL else cs)
    return CityCoverage(cities=tuple(out), complete=COMPLETE, partial=(PARTIAL,))


def demo_city_years() -> tuple[int, ...]:
    """The demo's table years (the city table has the same)."""
    return tuple(demo_dataset().years)


@cache
def _shares(province: str, S: int) -> tuple[Arr, Arr]:
    """(s, g): the sector shares ``s`` (C × S, columns summing to 1) of all the cities of
    ``province`` and their intensity factors ``g`` (C,); deterministic."""
    cs = province_cities(province)
    C = len(cs)
    rng = np.random.default_rng([SEED, sum(map(ord, province))])
    order = rng.permutation(C)
    ranks = np.empty(C)
    capital = [k for k, c in enumerate(cs) if c.is_capital]
    codes = [c.code for c in cs]
    large = [codes.index(c) for c in LARGE_CITIES if c in codes]
    rest = [k for k in order if k not in capital and k not in large]
    for r, k in enumerate([*capital, *large, *rest]):
        ranks[k] = r + 1
    w = 1.0 / ranks ** 0.9
    tilt = np.exp(0.35 * rng.standard_normal((C, S)))
    s = w[:, None] * tilt
    s /= s.sum(axis=0, keepdims=True)
    g = np.exp(0.3 * rng.standard_normal(C))
    return s, g


@cache
def demo_city_system(year: int) -> EEIOSystem:
    """The demo's city table of ``year`` with its CO2 satellite (``CO2``, one stressor,
    Mt); regions are the cities (axis ``cn_city``). Built once per year and process."""
    demo = demo_dataset()
    if year not in demo.years:
        raise NotFound(f"dataset {DEMO_CITY!r} has no year {year}",
                       hint="available: " + ", ".join(map(str, demo.years)))
    system = demo.system(year)
    table = system.table
    sat = system.satellite("CO2")
    S, K = table.n_sectors, len(table.fd_categories)
    cov = demo_city_coverage()
    # per table city: its province index, its share row s (S,), g, and u
    rows: list[int] = []  # provincial row index of each city row
    share = np.empty(len(cov.cities) * S)
    u = np.empty(len(cov.cities))
    fco2 = np.empty(len(cov.cities) * S)
    prov_of: list[int] = []
    F = np.asarray(sat.F, dtype=np.float64).sum(axis=0)
    x = np.asarray(table.x, dtype=np.float64)
    for k, c in enumerate(cov.cities):
        p = table.regions.index(c.province)
        all_c = province_cities(c.province)
        j = [a.code for a in all_c].index(c.code)
        s, g = _shares(c.province, S)
        sl = slice(p * S, (p + 1) * S)
        share[k * S:(k + 1) * S] = s[j]
        weights = s * g[:, None]
        fco2[k * S:(k + 1) * S] = F[sl] * weights[j] / weights.sum(axis=0)
        xp = x[sl]
        u[k] = float((s[j] * xp).sum() / xp.sum()) if xp.sum() > 0 else 1.0 / len(all_c)
        rows.extend(range(p * S, (p + 1) * S))
        prov_of.append(p)
    idx = np.asarray(rows)
    Z = table.Z[np.ix_(idx, idx)] * share[:, None] * share[None, :]
    # final demand: destination city d takes u_d of its province's final demand
    C = len(cov.cities)
    ycols = np.asarray([prov_of[d] * K + k for d in range(C) for k in range(K)])
    Y = table.Y[np.ix_(idx, ycols)] * share[:, None] * np.repeat(u, K)[None, :]
    xc = x[idx] * share
    V = np.asarray(table.V, dtype=np.float64)[:, idx] * share[None, :]
    EX = np.maximum(xc - Z.sum(axis=1) - Y.sum(axis=1), 0.0)
    IM = np.maximum(xc - Z.sum(axis=0) - V.sum(axis=0), 0.0)
    regions = Axis("region", tuple(c.code for c in cov.cities), tuple(c.name_en for c in cov.cities),
                   tuple(c.name_zh_hans for c in cov.cities), list_id="cn_city")
    prov = Provenance(source="viscarbon", product="demo city MRIO (synthetic)", vintage=str(year),
                      file_name="", sha256="", importer_version="", synthetic=True,
                      notes="disaggregated from the provincial demo; see viscarbon.demo.city")
    city_table = IOTable(year=year, regions=regions, sectors=table.sectors, Z=Z, Y=Y,
                         fd_categories=table.fd_categories, EX=EX, IM=IM, V=V, va_rows=table.va_rows, x=xc,
                         unit=table.unit, provenance=(prov,), imports_treatment=table.imports_treatment,
                         notes=("synthetic: the demo's city table",))
    FY_prov = np.asarray(sat.F_Y, dtype=np.float64).sum(axis=0)
    FY = FY_prov[ycols] * np.repeat(u, K)
    status = tuple(sat.region_status[p] for p in prov_of)
    co2 = SatelliteAccount(name="CO2", stressors=Axis("stressor", ("CO2",)), F=fco2[None, :], F_Y=FY[None, :],
                           unit=sat.unit, year=year, region_status=status, provenance=(prov,),
                           notes=("synthetic",))
    return EEIOSystem(table=city_table, satellites=(co2,), dataset=DEMO_CITY,
                      notes=("synthetic: the demo's city table",))
