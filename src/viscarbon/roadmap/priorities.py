"""How much, where, how jointly: what a roadmap run says a province should do.

* :func:`sector_reductions` the cut each sector needs by the milestones (2025, 2030,
  2035, 2050, 2060): the pathway's CO2 minus the secda target, Mt;
* :func:`lever_ranking` levers ranked by CO2 avoided (direct plus upstream, through the
  multipliers) per unit of change in one year (first-order effects of the engine's
  equations, exact for small changes);
* :func:`partners` the upstream and downstream partners of each key emitter, inside the
  province and in others, from the year's Leontief system (structural paths of the t0
  table from :meth:`viscarbon.analysis.YearAnalysis.spa` beside them);
* :func:`joint_chains` the supply chains two provinces share (CO2 emitted in one for the
  other's production and final demand);
* :func:`wedges` each lever's contribution to the cut versus the baseline, levers added
  in the scenario's order (and the binding adjustment last).

Every figure is in Mt CO2 of the evaluation year unless stated.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.leontief import LeontiefFactor, factorize, solve, solve_transposed
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.engine import T_PER_MT, Activity, activity, intensities, pathway
from viscarbon.roadmap.levers import resolve_lever
from viscarbon.roadmap.run import NATION, Roadmap
from viscarbon.roadmap.scenario import Scenario

__all__ = [
    "MILESTONES",
    "JointChains",
    "KeyEmitter",
    "LeverEffect",
    "Partner",
    "SectorReductions",
    "Wedges",
    "joint_chains",
    "lever_ranking",
    "partners",
    "sector_reductions",
    "wedges",
]

Arr = NDArray[np.float64]
MILESTONES = (2025, 2030, 2035, 2050, 2060)


def _year_index(rm: Roadmap, year: int) -> int:
    years = rm.years
    if not years[0] <= year <= years[-1]:
        raise ValueError(f"year {year} is outside the roadmap's years {years[0]}-{years[-1]}")
    return int(year - years[0])


def _region_slice(base: RoadmapBase, region: str) -> slice:
    r = base.regions.index(region)
    S = base.n_sectors
    return slice(r * S, (r + 1) * S)


@dataclass(frozen=True, eq=False)
class SectorReductions:
    """Per sector of ``region`` (rows: the sectors, then households' direct CO2) and
    milestone (columns): ``t0`` the CO2 of t0; ``baseline``/``scenario``/``target`` the
    CO2 of the pathways and of the secda target (Mt); ``needed`` = scenario − target (> 0:
    the sector must cut that much more than the scenario does); ``versus_t0`` = target −
    CO2 at t0 (the change from today the target implies). ``region`` may be CN (sums of
    the provinces with CO2)."""

    region: str
    years: tuple[int, ...]
    sectors: tuple[str, ...]
    t0: Arr
    baseline: Arr
    scenario: Arr
    target: Arr

    @property
    def needed(self) -> Arr:
        out: Arr = self.scenario - self.target
        return out

    @property
    def versus_t0(self) -> Arr:
        out: Arr = self.target - self.t0[:, None]
        return out


def _by_sector(rm: Roadmap, values: Arr, households: Arr, region: str) -> Arr:
    """(T × S+1) sector CO2 plus households of a region or the nation."""
    base = rm.base
    T, R, S = len(rm.years), base.n_regions, base.n_sectors
    if region == NATION:
        rep = base.reported
        sec = values.reshape(T, R, S)[:, rep].sum(axis=1)
        hh = households[:, rep].sum(axis=1)
    else:
        r = base.regions.index(region)
        sec = values.reshape(T, R, S)[:, r]
        hh = households[:, r]
    return np.concatenate([sec, hh[:, None]], axis=1)


def sector_reductions(rm: Roadmap, region: str, *, years: Sequence[int] = MILESTONES) -> SectorReductions:
    """The cut each sector (and households) of ``region`` needs by ``years``."""
    ks = [_year_index(rm, y) for y in years]
    bl = _by_sector(rm, rm.baseline.co2, rm.baseline.households, region)
    sc = _by_sector(rm, rm.scenario.co2, rm.scenario.households, region)
    tg = _by_sector(rm, rm.secda.co2, rm.secda.households, region)
    return SectorReductions(region=region, years=tuple(years), sectors=(*rm.base.sectors.codes, "HH"),
                            t0=sc[0].copy(), baseline=bl[ks].T.copy(), scenario=sc[ks].T.copy(),
                            target=tg[ks].T.copy())


def _A_at(rm: Roadmap, k: int) -> Arr:
    """The technical coefficients of year index ``k`` of the scenario."""
    act = rm.activity
    A = np.array(rm.base.A0)
    if act.A_cols.size:
        A[np.ix_(act.A_rows, act.A_cols)] += act.D[k]
    return A


#: The factors of the years asked for, per roadmap (a run is immutable; the entry goes
#: with it): the lever ranking, the partners, the joint chains and the assistant's
#: answers of one year share one LU.
_FACTORS: weakref.WeakKeyDictionary[Roadmap, dict[int, LeontiefFactor]] = weakref.WeakKeyDictionary()
_FACTORS_LOCK = threading.Lock()


def _factor_at(rm: Roadmap, k: int) -> LeontiefFactor:
    """The Leontief factor of year index ``k`` of the scenario: t0's where the coefficients
    are unchanged, else a new LU of ``I − A(t)``, computed once per roadmap and year."""
    act = rm.activity
    if act.A_cols.size == 0 or not act.D[k].any():
        return rm.base.factor0
    with _FACTORS_LOCK:
        fac = _FACTORS.get(rm, {}).get(k)
    if fac is None:
        fac = factorize(_A_at(rm, k))
        with _FACTORS_LOCK:
            fac = _FACTORS.setdefault(rm, {}).setdefault(k, fac)
    return fac


@dataclass(frozen=True)
class LeverEffect:
    """One candidate lever for ``region``: ``kind`` (intensity, final_demand, coefficient,
    electrification), the sector it acts on (``sector``; ``input_sector`` for a
    coefficient; ``category`` for final demand), ``unit`` of the change (``pct`` one per
    cent in the evaluation year, ``pp`` one percentage point of electrification);
    ``avoided`` CO2 avoided (Mt) per unit, split into ``inside`` (emitted in the province)
    and ``outside`` (in other provinces), ``direct`` in the acting sector and ``upstream``
    in its supply chains."""

    kind: str
    region: str
    sector: str
    unit: str
    avoided: float
    inside: float
    outside: float
    direct: float
    upstream: float
    input_sector: str = ""
    category: str = ""


def lever_ranking(rm: Roadmap, region: str, *, year: int = 2030, top: int = 15) -> tuple[LeverEffect, ...]:
    """Levers for ``region`` ranked by CO2 avoided per unit of change in ``year``.

    First-order effects of the engine (exact derivatives, linear in a small change; Mt):
    intensity −1 % of sector s: ``0.01 · F_s``; final demand −1 % of category k:
    ``0.01 · (f · X_k + F_Y,k)`` (all the CO2 its output needs, anywhere); coefficient
    −1 % of input i into s: ``0.01 · m_i · a_is · x_s`` with ``m = f L(t)``;
    electrification +1 pp of s: ``0.01 · (comb_s F_s + x_s (Σ_fuel m_k a_ks − e · m_p ·
    Σ_fuel a_ks))`` (less combustion and fuel, more power; ``e`` the assumed power per
    fuel replaced)."""
    if region == NATION:
        raise ValueError("lever ranking is per province")
    base = rm.base
    k = _year_index(rm, year)
    sc = rm.scenario
    R, S = base.n_regions, base.n_sectors
    K = len(base.fd_categories)
    r = base.regions.index(region)
    sl = _region_slice(base, region)
    f, x = sc.f[k], sc.x[k]
    F = f * x
    fac = _factor_at(rm, k)
    m = np.asarray(solve_transposed(fac, f))  # Mt per 10,000 yuan, total
    A = _A_at(rm, k)
    inside_mask = np.zeros(base.n, dtype=bool)
    inside_mask[sl] = True
    out: list[LeverEffect] = []
    codes = base.sectors.codes
    for s in range(S):
        i = sl.start + s
        if F[i] > 0:
            out.append(LeverEffect("intensity", region, codes[s], "pct", 0.01 * F[i], 0.01 * F[i], 0.0,
                                   0.01 * F[i], 0.0))
    act = rm.activity
    X0 = act.demand_output(k)
    G = act.G[k]
    hh = base.hh_unit[k] * G[:R * K]
    for j, cat in enumerate(base.fd_categories.codes):
        col = r * K + j
        xs = X0[:, col] * G[col]
        emb = f * xs
        ins, outs = float(emb[inside_mask].sum() + hh[col]), float(emb[~inside_mask].sum())
        total = ins + outs
        if total > 0:
            own = float(f[sl] @ xs[sl])
            out.append(LeverEffect("final_demand", region, "", "pct", 0.01 * total, 0.01 * ins, 0.01 * outs,
                                   0.01 * (own + hh[col]), 0.01 * (total - own - hh[col]), category=cat))
    # coefficients: the largest embodied inputs m_i a_ij x_j into each sector j of the region
    cols = np.arange(sl.start, sl.stop)
    emb_in = m[:, None] * A[:, cols] * x[None, cols]  # n × S
    emb_in[cols, np.arange(S)] = 0.0  # a sector's purchases from itself: not a lever between partners
    flat = np.argsort(emb_in, axis=None)[::-1][: 4 * top]
    for idx in flat:
        i, jj = np.unravel_index(idx, emb_in.shape)
        v = float(emb_in[i, jj])
        if v <= 0:
            break
        # direct: CO2 of supplier i itself; upstream: its suppliers
        direct = float(F[i] / x[i] * A[i, cols[jj]] * x[cols[jj]]) if x[i] > 0 else 0.0
        ins = v if inside_mask[i] else 0.0
        out.append(LeverEffect("coefficient", region, codes[jj], "pct", 0.01 * v, 0.01 * ins, 0.01 * (v - ins),
                               0.01 * direct, 0.01 * (v - direct), input_sector=f"{base.regions.codes[i // S]}:{codes[i % S]}"))
    e = base.assumptions.electricity_per_fuel
    p = int(base.power_rows[r])
    fuel = base.fuel_rows[r]
    comb = base.combustion_share
    for s in range(S):
        j = sl.start + s
        if F[j] <= 0 or j == p or j in fuel:
            continue
        fuel_a = A[fuel, j]
        saved = comb[j] * F[j] + x[j] * float(m[fuel] @ fuel_a) - x[j] * e * m[p] * float(fuel_a.sum())
        if saved > 0:
            out.append(LeverEffect("electrification", region, codes[s], "pp", 0.01 * saved, 0.01 * saved, 0.0,
                                   0.01 * comb[j] * F[j], 0.01 * (saved - comb[j] * F[j])))
    out.sort(key=lambda le: le.avoided, reverse=True)
    return tuple(out[:top])


@dataclass(frozen=True)
class Partner:
    """A partner of a key emitter: ``region``/``sector``, the CO2 (Mt) linking them and
    whether the partner is in the emitter's province (``inside``)."""

    region: str
    sector: str
    mt: float
    inside: bool


@dataclass(frozen=True)
class KeyEmitter:
    """A key emitter (``sector`` of the province, its CO2 ``co2`` in the year, Mt) with
    ``upstream`` partners (suppliers whose CO2 its purchases cause: ``f_i (L a_s x_s)_i``)
    and ``downstream`` partners (buyers whose purchases cause its CO2: ``f_s (ℓ_s A)_j x_j``
    with ``ℓ_s`` row s of L); ``joint`` the CO2 of emitter and first partner together along
    their link (the emitter's CO2 caused by the buyer plus the buyer's own), Mt."""

    region: str
    sector: str
    co2: float
    upstream: tuple[Partner, ...]
    downstream: tuple[Partner, ...]


def partners(rm: Roadmap, region: str, *, year: int = 2030, emitters: int = 5, top: int = 5) -> tuple[KeyEmitter, ...]:
    """The ``emitters`` largest emitting sectors of ``region`` in ``year`` and, for each,
    its ``top`` upstream and downstream partners anywhere (see :class:`KeyEmitter`)."""
    if region == NATION:
        raise ValueError("partners are per province")
    base = rm.base
    k = _year_index(rm, year)
    sc = rm.scenario
    f, x = sc.f[k], sc.x[k]
    F = f * x
    sl = _region_slice(base, region)
    S = base.n_sectors
    fac = _factor_at(rm, k)
    A = _A_at(rm, k)
    order = np.argsort(F[sl])[::-1][:emitters]
    out: list[KeyEmitter] = []
    codes, regions = base.sectors.codes, base.regions.codes
    for s in order:
        j = sl.start + int(s)
        if F[j] <= 0:
            break
        up = f * np.asarray(solve(fac, A[:, j] * x[j]))  # CO2 in i caused by j's purchases
        up[j] = 0.0
        row = np.zeros(base.n)
        row[j] = 1.0
        ell = np.asarray(solve_transposed(fac, row))  # row j of L
        down = f[j] * (ell @ A) * x  # j's CO2 caused by each buyer's purchases
        down[j] = 0.0

        def best(v: Arr) -> tuple[Partner, ...]:
            idx = np.argsort(v)[::-1][:top]
            return tuple(Partner(regions[i // S], codes[i % S], float(v[i]), sl.start <= i < sl.stop)
                         for i in idx if v[i] > 0)

        out.append(KeyEmitter(region, codes[int(s)], float(F[j]), best(up), best(down)))
    return tuple(out)


@dataclass(frozen=True)
class JointChains:
    """Supply chains of two provinces in one year (Mt): ``chains`` (emitting region,
    emitting sector, producing region, producing sector, Mt) the CO2 emitted in one
    province's sector for the production of the other's sector (``f_i (L A_:,J x̂_J)_i``);
    ``final_demand`` (emitting region, sector, consuming region, Mt) for the other's final
    demand; ``total_ab``/``total_ba`` the whole CO2 emitted in a for b's final demand and
    the reverse (the transfer matrix)."""

    a: str
    b: str
    year: int
    chains: tuple[tuple[str, str, str, str, float], ...]
    final_demand: tuple[tuple[str, str, str, float], ...]
    total_ab: float
    total_ba: float


def joint_chains(rm: Roadmap, a: str, b: str, *, year: int = 2030, top: int = 10) -> JointChains:
    """The chains linking provinces ``a`` and ``b`` (see :class:`JointChains`)."""
    if a == b:
        raise ValueError("joint chains need two different provinces")
    base = rm.base
    k = _year_index(rm, year)
    sc = rm.scenario
    f, x = sc.f[k], sc.x[k]
    fac = _factor_at(rm, k)
    A = _A_at(rm, k)
    codes = base.sectors.codes
    chains: list[tuple[str, str, str, str, float]] = []
    fd: list[tuple[str, str, str, float]] = []
    XR = rm.activity.XR[k]
    for src, dst in ((a, b), (b, a)):
        ss, ds = _region_slice(base, src), _region_slice(base, dst)
        cols = np.arange(ds.start, ds.stop)
        U = np.asarray(solve(fac, A[:, cols] * x[None, cols]))  # n × S: output of i for j's inputs
        emb = f[ss, None] * U[ss]  # S × S: CO2 in src sector i for dst sector j's production
        for idx in np.argsort(emb, axis=None)[::-1][:top]:
            i, j = np.unravel_index(idx, emb.shape)
            if emb[i, j] > 0:
                chains.append((src, codes[i], dst, codes[j], float(emb[i, j])))
        d = base.regions.index(dst)
        by_sector = f[ss] * XR[ss, d]
        for i in np.argsort(by_sector)[::-1][:top]:
            if by_sector[i] > 0:
                fd.append((src, codes[i], dst, float(by_sector[i])))
    chains.sort(key=lambda c: c[4], reverse=True)
    fd.sort(key=lambda c: c[3], reverse=True)
    ra, rb = base.regions.index(a), base.regions.index(b)
    T = sc.transfer[k]
    return JointChains(a=a, b=b, year=year, chains=tuple(chains[:top]), final_demand=tuple(fd[:top]),
                       total_ab=float(T[ra, rb]), total_ba=float(T[rb, ra]))


@dataclass(frozen=True, eq=False)
class Wedges:
    """Each lever's contribution to the cut versus the baseline (T × levers, Mt, positive
    = less CO2) for ``region`` (or CN), levers added one at a time in the scenario's
    order: ``values[:, k] = E(levers 1..k−1) − E(levers 1..k)``; the binding adjustment,
    if any, is the last wedge. ``sum over wedges = baseline − scenario`` exactly."""

    region: str
    years: NDArray[np.int64]
    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    values: Arr


def wedges(rm: Roadmap, region: str) -> Wedges:
    """The wedges of ``rm``'s scenario (see :class:`Wedges`); one engine run per lever
    (the activity is recomputed only for levers that change it)."""
    base = rm.base
    sc: Scenario = rm.scenario_def
    levers = [resolve_lever(lv, base, file=sc.file or sc.id) for lv in sc.levers]
    changes_act = ("final_demand", "coefficient", "electrification")

    def total(pba: Arr) -> Arr:
        if region == NATION:
            out: Arr = pba[:, base.reported].sum(axis=1)
            return out
        return pba[:, base.regions.index(region)]

    prev = total(rm.baseline.pba)
    acts: dict[tuple[int, ...], Activity] = {(): activity(base, ())}
    values: list[Arr] = []
    labels: list[str] = []
    kinds: list[str] = []
    for k in range(len(levers)):
        sub = levers[: k + 1]
        key = tuple(i for i, lv in enumerate(sub) if lv.lever.kind in changes_act)
        if key not in acts:
            acts[key] = rm.activity if k == len(levers) - 1 else activity(base, [sub[i] for i in key])
        f, hh = intensities(base, sub)
        cur = total(pathway(base, acts[key], f, hh, scenario="wedge").pba)
        values.append(prev - cur)
        lv = sub[-1].lever
        labels.append(lv.label or lv.kind)
        kinds.append(lv.kind)
        prev = cur
    if rm.scenario.extra_cut.any():
        cur = total(rm.scenario.pba)
        values.append(prev - cur)
        labels.append("binding targets")
        kinds.append("binding")
    arr = np.stack(values, axis=1) if values else np.zeros((len(rm.years), 0))
    arr.setflags(write=False)
    return Wedges(region=region, years=rm.years, labels=tuple(labels), kinds=tuple(kinds), values=arr)


def intensity_t(rm: Roadmap, name: str) -> Arr:
    """Direct intensity (T × n) of a pathway in t CO2 per 10,000 yuan."""
    if name == "secda":
        out: Arr = rm.secda.arrays.target.reshape(len(rm.years), -1)
        return out
    return rm.pathway(name).f * T_PER_MT

