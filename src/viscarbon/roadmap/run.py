"""One roadmap run: the baseline and the scenario pathways, the secda targets, Carbon
Removal, the checks of every target, binding targets, and where a province's cut comes
from (its own action, other provinces' action: "imported mitigation", demand and
structure).

``Roadmap`` is the result; :func:`run_roadmap` computes it from a :class:`RoadmapBase`.
By construction every account of a province is the sum of its sectors plus households'
direct CO2, and the nation's is the sum of the provinces with CO2 (``reported``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.pathway import SecdaArrays, secda
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.checks import BindingOutcome, Series, TargetCheck, bind, check_target
from viscarbon.roadmap.engine import T_PER_MT, Activity, Pathway, activity, intensities, pathway
from viscarbon.roadmap.levers import ResolvedLever, resolve_lever
from viscarbon.roadmap.scenario import Scenario
from viscarbon.roadmap.targets import Target, default_targets

__all__ = ["NATION", "PATHWAYS", "Decomposition", "Roadmap", "SecdaResult", "run_roadmap"]

Arr = NDArray[np.float64]
NATION = "CN"
PATHWAYS = ("baseline", "scenario", "secda")


@dataclass(frozen=True, eq=False)
class SecdaResult:
    """The secda pathway (intensities t CO2 per 10,000 yuan at t0 prices; CO2 Mt).

    ``arrays`` the kernel's ``national``/``d``/``p``/``m``/``target`` (see
    :func:`viscarbon.calc.pathway.secda`); ``co2`` (T × n) target CO2 ``target · x`` with the
    scenario's activity; ``households`` (T × R) households' direct CO2 on their own
    benchmark (``h(t0) · g_hh(t)`` per unit of consumption); ``pba`` (T × R) the sum; ``budget`` (T × S)
    the national sector budget ``I_s(t) · Σ_p x_ps`` (Mt) and ``headroom`` (T × S) how far
    below it the provinces' sum lies (≥ 0: m is capped at 1)."""

    arrays: SecdaArrays
    co2: Arr
    pba: Arr
    budget: Arr
    headroom: Arr
    households: Arr


@dataclass(frozen=True, eq=False)
class Decomposition:
    """The change of consumption-based CO2 from baseline to scenario (T × R, Mt, positive =
    lower in the scenario): ``own`` the province's own intensity cuts on what it makes
    for its own final demand, ``imported`` other provinces' intensity cuts on what they make
    for it (imported mitigation), ``demand`` the rest (demand, structure, households).
    ``own + imported + demand = CBA_baseline − CBA_scenario`` exactly."""

    own: Arr
    imported: Arr
    demand: Arr


@dataclass(frozen=True, eq=False)
class Roadmap:
    """A roadmap run of one scenario on one dataset (all provinces and the nation).

    ``baseline``/``scenario`` pathways; ``secda``; ``removal`` (pathway → T × R, Mt of
    Carbon Removal bringing net CO2 to zero in the neutrality year); ``checks`` every
    applicable target on every pathway; ``binding`` what binding targets did;
    ``decomposition``; ``levers`` as resolved; ``activity`` of the scenario; ``notes``.
    """

    base: RoadmapBase
    scenario_def: Scenario
    baseline: Pathway
    scenario: Pathway
    secda: SecdaResult
    removal: dict[str, Arr]
    checks: tuple[TargetCheck, ...]
    binding: tuple[BindingOutcome, ...]
    decomposition: Decomposition
    levers: tuple[ResolvedLever, ...]
    activity: Activity
    targets: tuple[Target, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def years(self) -> NDArray[np.int64]:
        return self.base.years

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(self.base.regions.codes)

    def pathway(self, name: str) -> Pathway:
        if name == "baseline":
            return self.baseline
        if name == "scenario":
            return self.scenario
        raise KeyError(name)

    def pba(self, name: str) -> Arr:
        """Production-based CO2 (T × R) of ``baseline``, ``scenario`` or ``secda``."""
        return self.secda.pba if name == "secda" else self.pathway(name).pba

    def sector_co2(self, name: str) -> Arr:
        """CO2 by province-sector (T × n) of a pathway."""
        return self.secda.co2 if name == "secda" else self.pathway(name).co2

    def households(self, name: str = "scenario") -> Arr:
        """Households' direct CO2 (T × R) of a pathway."""
        return self.secda.households if name == "secda" else self.pathway(name).households

    def nation(self, values: Arr) -> Arr:
        """National total over the regions with CO2 of a (T × R) account."""
        out: Arr = values[:, self.base.reported].sum(axis=1)
        return out


def _removal(base: RoadmapBase, pba: Arr, targets: Sequence[Target]) -> Arr:
    """Carbon Removal (T × R): ``E(t) · clip((t − start)/(Y − start), 0, 1)`` with Y the
    region's neutrality year (none: no removal), so net CO2 = 0 from Y on."""
    years = base.years.astype(np.float64)
    start = base.assumptions.removal_start
    out = np.zeros_like(pba)
    for r, code in enumerate(base.regions.codes):
        ys = [t.year for t in targets if t.kind == "neutrality" and t.applies_to(code)]
        if not ys:
            continue
        Y = min(ys)
        share = np.clip((years - start) / max(Y - start, 1), 0.0, 1.0)
        out[:, r] = np.maximum(pba[:, r], 0.0) * share
    out.setflags(write=False)
    return out


def _gdp_history(base: RoadmapBase, va0: float, national: bool) -> tuple[Arr, str]:
    """GDP (10,000 yuan at t0 prices) in the history years: the nation's from the NBS real
    index; a province's is not shipped (NaN and the reason)."""
    hy = base.history.years
    if not national:
        return np.full(len(hy), np.nan), "no_provincial_gdp_index"
    out = np.full(len(hy), np.nan)
    for i, y in enumerate(hy):
        idx = base.gdp.real_index(y, base.t0)
        if idx is not None:
            out[i] = va0 * idx
    return out, "no_gdp_index"


def _series(base: RoadmapBase, region: str, co2: Arr, gdp: Arr, *, history: bool = True) -> Series:
    """History (before t0) plus the pathway, for ``region`` (province code or CN)."""
    hy = np.array([y for y in base.history.years if y < base.t0], dtype=np.int64)
    keep = np.array([y < base.t0 for y in base.history.years], dtype=bool)
    national = region == NATION
    if national:
        rep = base.reported
        h_co2 = np.nansum(base.history.by_region[:, rep], axis=1) if rep.any() else np.zeros(len(keep))
    else:
        h_co2 = base.history.by_region[:, base.regions.index(region)]
    h_gdp, note = _gdp_history(base, float(gdp[0]), national)
    if not history:
        hy, keep = hy[:0], keep & False
    years = np.concatenate([hy, base.years])
    return Series(region=region, years=years, co2=np.concatenate([h_co2[keep], co2]),
                  gdp=np.concatenate([h_gdp[keep], gdp]), t0=base.t0, gdp_note=note)


def _sector_series(base: RoadmapBase, region: str, sector: str, co2: Arr) -> Series:
    r, s = base.regions.index(region), base.sectors.index(sector)
    hy = [i for i, y in enumerate(base.history.years) if y < base.t0]
    h = base.history.by_sector[hy, r, s] if hy else np.zeros(0)
    years = np.concatenate([np.array([base.history.years[i] for i in hy], dtype=np.int64), base.years])
    vals = np.concatenate([h, co2[:, r * base.n_sectors + s]])
    return Series(region=f"{region}/{sector}", years=years, co2=vals, gdp=np.full(len(years), np.nan), t0=base.t0,
                  gdp_note="sector_target_no_gdp")


def applicable(targets: Sequence[Target], base: RoadmapBase) -> list[tuple[Target, str]]:
    """(target, region) pairs: each province target for every province it names with CO2,
    the national ones for CN."""
    out: list[tuple[Target, str]] = []
    for t in targets:
        if t.region == NATION:
            out.append((t, NATION))
            continue
        for r, code in enumerate(base.regions.codes):
            if base.region_status[r] != "missing" and t.applies_to(code):
                out.append((t, code))
    return out


def _pathway_series(base: RoadmapBase, t: Target, region: str, co2_sector: Arr, pba: Arr, va: Arr) -> Series:
    if t.sector is not None:
        return _sector_series(base, region, t.sector, co2_sector)
    if region == NATION:
        rep = base.reported
        return _series(base, region, pba[:, rep].sum(axis=1), va[:, rep].sum(axis=1))
    r = base.regions.index(region)
    return _series(base, region, pba[:, r], va[:, r])


def _binding(base: RoadmapBase, act: Activity, f: Arr, hh: Arr, targets: Sequence[Target],
             scenario: Scenario) -> tuple[Arr, tuple[BindingOutcome, ...]]:
    """The extra cut per region that meets the scenario's binding targets."""
    R, S = base.n_regions, base.n_sectors
    cut = np.zeros(R)
    chosen = [(t, reg) for t, reg in applicable(targets, base) if scenario.binding.selects(t)]
    if not chosen:
        return cut, ()
    K = len(base.fd_categories)
    T = len(base.years)
    co2 = f * act.x
    households = (hh * act.G[:, :R * K]).reshape(T, R, K).sum(axis=2)
    steps = np.maximum(base.years - base.t_cal, 0).astype(np.float64)
    by_region = co2.reshape(T, R, S)
    outcomes: list[BindingOutcome] = []

    def province_pba(r: int, c: float) -> Arr:
        out: Arr = by_region[:, r, :].sum(axis=1) * (1.0 - c) ** steps + households[:, r]
        return out

    for r, code in enumerate(base.regions.codes):
        mine = [(t, reg) for t, reg in chosen if reg == code]
        if not mine:
            continue

        def series_for(region: str, c: float, _r: int = r) -> Series:
            return _series(base, region, province_pba(_r, c), act.va[:, _r])

        sector_targets = [(t, reg) for t, reg in mine if t.sector is not None]
        whole = [(t, reg) for t, reg in mine if t.sector is None]
        c_r, out = bind(whole, series_for=series_for)
        for t, reg in sector_targets:
            s = base.sectors.index(t.sector or "")

            def sector_series(region: str, c: float, _r: int = r, _s: int = s, _t: Target = t,
                              _code: str = code) -> Series:
                vals = by_region[:, _r, _s] * (1.0 - c) ** steps
                full = np.zeros((T, base.n))
                full[:, _r * S + _s] = vals
                return _sector_series(base, _code, _t.sector or "", full)

            c_r, o2 = bind([(t, reg)], series_for=sector_series, start=c_r)
            out += o2
        cut[r] = c_r
        outcomes += out
    national = [(t, reg) for t, reg in chosen if reg == NATION]
    if national:
        rep = base.reported

        def nation_series(region: str, c: float) -> Series:
            total = np.zeros(T)
            for r in np.flatnonzero(rep):
                cc = 1.0 - (1.0 - cut[r]) * (1.0 - c)
                total += province_pba(int(r), cc)
            return _series(base, NATION, total, act.va[:, rep].sum(axis=1))

        c_n, out = bind(national, series_for=nation_series)
        if c_n > 0:
            cut[rep] = 1.0 - (1.0 - cut[rep]) * (1.0 - c_n)
        outcomes += out
    return cut, tuple(outcomes)


def _secda(base: RoadmapBase, path: Pathway, act: Activity) -> SecdaResult:
    T, R, S = len(base.years), base.n_regions, base.n_sectors
    I0 = (base.f0 * T_PER_MT).reshape(R, S)
    x = path.x.reshape(T, R, S)
    rep = base.reported
    # the benchmark is the output-weighted mean of the provinces with CO2
    I0r, xr = I0[rep], x[:, rep]
    arrays = secda(I0r, xr[0], xr, base.g)
    target = np.zeros((T, R, S))
    target[:, rep] = arrays.target
    m = np.ones((T, R, S))
    m[:, rep] = arrays.m
    d = np.zeros((R, S))
    d[rep] = arrays.d
    full = SecdaArrays(national=arrays.national, d=d, p=arrays.p, m=m, target=target)
    co2 = (target * x).reshape(T, R * S) / T_PER_MT
    # households follow their own benchmark per unit of consumption: h(t0) · g_hh(t) · ĝ(t)
    K = len(base.fd_categories)
    g_hh = base.assumptions.households_ratio(base.years.astype(np.float64), base.t0)
    hh = (base.hh_unit[0][None, :] * g_hh[:, None] * act.G[:, :R * K]).reshape(T, R, K).sum(axis=2)
    hh.setflags(write=False)
    pba = co2.reshape(T, R, S).sum(axis=2) + hh
    budget = arrays.national * xr.sum(axis=1) / T_PER_MT
    headroom = budget - co2.reshape(T, R, S)[:, rep].sum(axis=1)
    for a in (co2, pba, budget, headroom):
        a.setflags(write=False)
    return SecdaResult(arrays=full, co2=co2, pba=pba, budget=budget, headroom=headroom, households=hh)


def decompose(bl: Pathway, sc: Pathway, act: Activity, n_regions: int) -> Decomposition:
    """:class:`Decomposition` of ``CBA_bl − CBA_sc`` with the scenario's activity."""
    R = n_regions
    T, n = sc.f.shape
    S = n // R
    dF = (bl.f - sc.f)[:, :, None] * act.XR[:, :, :R]  # T × n × R
    by = dF.reshape(T, R, S, R).sum(axis=2)  # producing region × destination
    own = np.einsum("trr->tr", by)
    imported = by.sum(axis=1) - own
    total = bl.cba - sc.cba
    demand = total - own - imported
    for a in (own, imported, demand):
        a.setflags(write=False)
    return Decomposition(own=own, imported=imported, demand=demand)


def run_roadmap(base: RoadmapBase, scenario: Scenario, *, targets: Sequence[Target] | None = None,
                baseline: tuple[Pathway, Activity] | None = None,
                scenario_activity: Activity | None = None) -> Roadmap:
    """Run ``scenario`` on ``base``: the baseline pathway (no levers), the scenario's
    (levers, then binding targets if any), secda, removal, checks and decomposition.
    ``baseline`` and ``scenario_activity`` reuse earlier results (the dashboard's sliders
    change intensities only, so the activity is reused)."""
    tg = tuple(targets if targets is not None else default_targets()) + scenario.targets
    if baseline is None:
        act_bl = activity(base, ())
        f_bl, hh_bl = intensities(base, ())
        bl = pathway(base, act_bl, f_bl, hh_bl, scenario="baseline")
    else:
        bl, act_bl = baseline
    levers = tuple(resolve_lever(lv, base, file=scenario.file or scenario.id) for lv in scenario.levers)
    notes = tuple(n for lv in levers for n in lv.notes)
    if not levers and not scenario.binding.active:
        sc, act = bl, act_bl
        binding: tuple[BindingOutcome, ...] = ()
        if scenario.id != "baseline":
            sc = Pathway(**{**{k: getattr(bl, k) for k in bl.__dataclass_fields__}, "scenario": scenario.id})
    else:
        needs_activity = any(lv.lever.kind in ("final_demand", "coefficient", "electrification") for lv in levers)
        act = scenario_activity or (activity(base, levers) if needs_activity else act_bl)
        f, hh = intensities(base, levers)
        cut, binding = _binding(base, act, f, hh, tg, scenario)
        sc = pathway(base, act, f, hh, scenario=scenario.id, extra_cut=cut)
    sd = _secda(base, sc, act)
    removal = {"baseline": _removal(base, bl.pba, tg), "scenario": _removal(base, sc.pba, tg),
               "secda": _removal(base, sd.pba, tg)}
    checks: list[TargetCheck] = []
    for t, region in applicable(tg, base):
        for name in PATHWAYS:
            pba = sd.pba if name == "secda" else (bl.pba if name == "baseline" else sc.pba)
            co2 = sd.co2 if name == "secda" else (bl.co2 if name == "baseline" else sc.co2)
            s = _pathway_series(base, t, region, co2, pba, sc.va if name != "baseline" else bl.va)
            checks.append(check_target(t, s, pathway=name))
    return Roadmap(base=base, scenario_def=scenario, baseline=bl, scenario=sc, secda=sd, removal=removal,
                   checks=tuple(checks), binding=binding, decomposition=decompose(bl, sc, act, base.n_regions),
                   levers=levers, activity=act, targets=tg, notes=base.notes + notes)
