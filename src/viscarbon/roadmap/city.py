"""City roadmaps: pathways to 2060 for the cities of a city MRIO table, consistent with
the provincial roadmap of the same scenario (equations also in ``docs/roadmap.md``,
"City roadmaps").

Notation: cities ``c`` of the city table, their province ``p(c)`` (from the city
concordance), sectors ``s`` (the same 42), years ``t = t0 … 2060``; CO2 in Mt.

**1. Raw city pathways (the city system's own structure).** The roadmap machinery runs
on the city table with the cities as regions (Miller & Blair 2009, ch. 3 for the
multiregional model ``x = (I − A)⁻¹ y``):

* the baseline of the city dataset (:func:`viscarbon.roadmap.baseline.build_base`: final
  demand ``Y0`` growing with national real GDP, intensities ``f(t0) = F/x`` calibrated to
  the city inventory where it has years after t0), except that every city **inherits its
  province's intensity trend**: ``f_cs(t) = f_cs(t_cal) · (1 + r_{p(c)s})^(t − t_cal)``
  with ``r_ps`` the provincial roadmap's measured (clipped) rate; a city whose province
  has no roadmap keeps the rate measured on the city tables (or the fallback);
* the scenario's levers, a lever naming provinces acting on all their cities
  (``regions = ["GD"]`` → every Guangdong city of the table; no regions = every city);
  the uniform extra cut a binding target put on a province (``extra_cut``) applied to
  its cities;
* output ``x(t) = L(t) [Y0 | EX0] ĝ(t)`` (coefficient levers by Woodbury updates of the
  t0 factor, as the provincial engine), ``E^raw_cs(t) = f_cs(t) x_cs(t)`` and households'
  direct CO2 ``H^raw_c(t) = Σ_{k∈c} h_k(t) ĝ_k(t)``.

**2. Reconciliation to the province.** For a province ``p`` with a provincial roadmap and
its cities ``c ∈ p`` in the table, ``P_ps(t)`` the provincial pathway's CO2 of sector s
(and ``P^H_p(t)`` households'):

* *complete* (the table holds every city of ``province_cities(p)``): the target of the
  cities' sum is the province itself, ``B_ps(t) = P_ps(t)``;
* *partial* (k of N cities): the cities keep their **base-year covered share**
  ``σ_ps = min(1, Σ_{c∈p} E_cs(t0) / P_ps(t0))`` of every provincial sector,
  ``B_ps(t) = σ_ps P_ps(t)``, and the rest of the province (not in the city table) is
  ``Rest_ps(t) = (1 − σ_ps) P_ps(t)``; sectors where the cities' t0 CO2 exceeds the
  province's are capped (σ = 1, listed);
* then, per province, sector and year, proportionally
  ``E_cs(t) = E^raw_cs(t) · B_ps(t) / Σ_{c'∈p} E^raw_c's(t)`` (by output ``x^raw`` where
  the raw sum is 0 but B is not), households alike. Hence ``Σ_{c∈p} E_cs(t) = P_ps(t)``
  exactly for a complete province and ``Σ_{c∈p} E_cs(t) + Rest_ps(t) = P_ps(t)`` for a
  partial one, in every sector and year. A city of the table without CO2 (no city
  inventory) counts as missing: its province is partial.

The **gap** before reconciliation, ``Σ_{c∈p} PBA^raw_c(t) − Σ_s B_ps(t) − B^H_p(t)`` (Mt,
and relative to the target), is reported per province: how far the city table's own
structure and inventory disagree with the provincial roadmap. At t0 it is the
disagreement of the two inventories (0 for a partial province by construction of σ).
Cities whose province has no provincial roadmap (not in the provincial dataset, no CO2
there, or a city not in the concordance) keep their raw pathway, flagged. The secda
pathway is provincial only (no city benchmarks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.leontief import factorize, solve
from viscarbon.calc.pathway import WOODBURY_MAX_FRACTION, low_rank_factor
from viscarbon.calc.scale import MemoryEstimate
from viscarbon.classification import City, city_province, province_cities, region
from viscarbon.errors import DataError, UnknownRegion
from viscarbon.model import Axis
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.engine import _coefficient_changes, _scales, intensities
from viscarbon.roadmap.levers import ResolvedLever, resolve_lever
from viscarbon.roadmap.run import Roadmap
from viscarbon.roadmap.scenario import Lever, Scenario

__all__ = [
    "CITY_FD_COLUMNS",
    "CITY_PATHWAYS",
    "CITY_STATUSES",
    "REST",
    "CityRoadmap",
    "CitySummary",
    "ProvinceCoverage",
    "city_base",
    "city_levers",
    "city_memory_estimate",
    "city_outputs",
    "city_province",
    "city_roadmap",
]

Arr = NDArray[np.float64]
#: Pathways a city roadmap carries (the secda pathway is provincial only).
CITY_PATHWAYS: Final = ("baseline", "scenario")
#: Coverage of a city's province: every city in the table, some, no provincial roadmap,
#: a city outside the concordance (province unknown), a city without CO2 in the city
#: table (counted as missing from its province).
CITY_STATUSES: Final = ("complete", "partial", "no_roadmap", "unknown_province", "no_co2")
#: The English name of the remainder of a partly covered province (IAMC ``<Province>|Rest of province``).
REST: Final = "Rest of province"
MILESTONES: Final = (2030, 2060)


#: Final-demand columns per city assumed by :func:`city_memory_estimate` (the CEADs city
#: tables have five: rural and urban households, government, capital formation, inventories).
CITY_FD_COLUMNS: Final = 5


def city_memory_estimate(n: int, *, fd_columns: int, years: int) -> MemoryEstimate:
    """The bytes a city roadmap of a table of order ``n`` (cities × 42 sectors) with
    ``fd_columns`` final-demand columns over ``years`` projection years allocates, stated
    before anything is built (float64 = 8 B): the t0 year's ``A`` and the LU factors of
    ``I − A`` ``2·8n²`` (the baseline's dense factorisation), the response to demand
    ``L[Y0 | EX0]`` ``8n(C + 1)``, output and CO2 by region-sector and year for the
    baseline and the scenario ``4·8nT``, the raw and reconciled city pathways by sector
    ``2·8nT``. For 313 cities (n = 13,146, C = 1,565, T = 44): 2.96 GB."""
    parts = (("A and the LU factors of I − A (dense)", 2 * 8 * n * n),
             ("response to final demand L[Y0 | EX0]", 8 * n * (fd_columns + 1)),
             ("output and CO2 by year, baseline and scenario", 4 * 8 * n * years),
             ("city pathways by sector, raw and reconciled", 2 * 8 * n * years))
    return MemoryEstimate("dense", n, n * n, fd_columns + 1, parts)


def _province_list(province: str) -> tuple[str, ...]:
    return tuple(c.code for c in province_cities(province))


@dataclass(frozen=True, eq=False)
class ProvinceCoverage:
    """How the city table covers one province. ``status``: ``complete``, ``partial`` or
    ``no_roadmap``; ``cities`` in the table, ``listed`` the complete list
    (``province_cities``), ``missing`` those not in the table; ``share_t0`` the cities'
    share of the province's t0 CO2 (production-based, after the cap); ``capped`` sectors
    whose cities' t0 CO2 exceeded the province's; ``gap``/``gap_relative`` (pathway →
    (T,)) the raw cities' sum minus the reconciliation target, Mt and relative."""

    province: str
    status: str
    cities: tuple[str, ...]
    listed: tuple[str, ...]
    missing: tuple[str, ...]
    share_t0: float
    capped: tuple[str, ...]
    gap: Mapping[str, Arr]
    gap_relative: Mapping[str, Arr]

    @property
    def k(self) -> int:
        return len(self.cities)

    @property
    def total(self) -> int:
        return len(self.listed)


@dataclass(frozen=True, eq=False)
class CitySummary:
    """One city's scenario pathway in numbers (Mt CO2, production-based incl. households):
    ``total`` (T,), ``baseline`` (T,); ``peak_year`` and ``peak``; ``at`` milestone →
    value; ``reduction`` the cut in 2060 against t0 (fraction, positive = lower);
    ``share_of_province`` (T,) the city's share of its province's CO2 (None without a
    provincial roadmap)."""

    code: str
    name_en: str
    name_zh_hans: str
    province: str | None
    status: str
    total: Arr
    baseline: Arr
    peak_year: int
    peak: float
    base_value: float
    at: Mapping[int, float]
    reduction: float
    share_of_province: Arr | None


@dataclass(frozen=True, eq=False)
class CityRoadmap:
    """City pathways of one scenario (see the module doc). ``co2`` / ``raw`` (pathway →
    T × C × S) reconciled and raw CO2 by city-sector; ``households`` / ``raw_households``
    (pathway → T × C); ``remainder`` (pathway → T × P × S) and ``remainder_households``
    (T × P) the rest of each province of ``coverage`` (zeros unless partial);
    ``province_of`` and ``status`` per city; ``history_years`` and ``history`` (H × C) the
    city inventory before t0 (NaN where unknown)."""

    city_dataset: str
    province_dataset: str
    scenario: Scenario
    years: NDArray[np.int64]
    t0: int
    cities: Axis
    sectors: Axis
    province_of: tuple[str | None, ...]
    status: tuple[str, ...]
    co2: Mapping[str, Arr]
    households: Mapping[str, Arr]
    raw: Mapping[str, Arr]
    raw_households: Mapping[str, Arr]
    coverage: tuple[ProvinceCoverage, ...]
    remainder: Mapping[str, Arr]
    remainder_households: Mapping[str, Arr]
    history_years: tuple[int, ...]
    history: Arr
    province_run: Roadmap
    notes: tuple[str, ...] = ()
    _memo: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def scenario_id(self) -> str:
        return self.scenario.id

    def index(self, code: str) -> int:
        if code not in self.cities.codes:
            raise UnknownRegion(f"unknown city {code!r} in dataset {self.city_dataset!r}",
                                hint="use one of: " + ", ".join(self.cities.codes[:20])
                                + (" …" if len(self.cities) > 20 else ""))
        return self.cities.index(code)

    def total(self, name: str = "scenario") -> Arr:
        """Production-based CO2 (T × C) of a pathway: sectors plus households."""
        out: Arr = self.co2[name].sum(axis=2) + self.households[name]
        return out

    def province_total(self, province: str, name: str = "scenario") -> Arr:
        """The provincial roadmap's production-based CO2 (T,) of ``province``."""
        rm = self.province_run
        return np.asarray(rm.pba(name)[:, rm.regions.index(province)])

    def coverage_of(self, province: str) -> ProvinceCoverage:
        for cov in self.coverage:
            if cov.province == province:
                return cov
        raise UnknownRegion(f"no city of province {province!r} in dataset {self.city_dataset!r}",
                            hint="provinces with cities: " + ", ".join(c.province for c in self.coverage))

    def rest(self, province: str, name: str = "scenario") -> Arr:
        """The rest of a partly covered province (T,), sectors plus households (zeros when
        the province is covered completely)."""
        p = [c.province for c in self.coverage].index(province)
        out: Arr = self.remainder[name][:, p].sum(axis=1) + self.remainder_households[name][:, p]
        return out

    def city(self, code: str) -> CitySummary:
        """The summary of one city's scenario pathway."""
        c = self.index(code)
        key = f"summary:{code}"
        got = self._memo.get(key)
        if isinstance(got, CitySummary):
            return got
        total = self.total("scenario")[:, c]
        years = self.years
        k = int(np.argmax(total))
        prov = self.province_of[c]
        share = None
        if prov is not None and self.status[c] in ("complete", "partial"):
            ptot = self.province_total(prov)
            share = np.divide(total, ptot, out=np.full(len(years), np.nan), where=ptot > 0)
            share.setflags(write=False)
        base_value = float(total[0])
        at = {y: float(total[int(y - self.t0)]) for y in MILESTONES if self.t0 <= y <= int(years[-1])}
        end = float(total[-1])
        out = CitySummary(
            code=code, name_en=self.cities.labels_en[c] if self.cities.labels_en else code,
            name_zh_hans=self.cities.labels_zh[c] if self.cities.labels_zh else code, province=prov,
            status=self.status[c], total=total, baseline=self.total("baseline")[:, c], peak_year=int(years[k]),
            peak=float(total[k]), base_value=base_value, at=at,
            reduction=(1.0 - end / base_value) if base_value > 0 else float("nan"), share_of_province=share)
        self._memo[key] = out
        return out

    def summaries(self) -> tuple[CitySummary, ...]:
        return tuple(self.city(c) for c in self.cities.codes)


# --------------------------------------------------------------------------- the raw run
def city_levers(levers: Sequence[Lever], cities: Axis, province_of: Sequence[str | None]) -> tuple[Lever, ...]:
    """The scenario's levers on the city table: ``regions`` and ``input_regions`` naming
    provinces become the cities of those provinces (a city code given as such stays);
    None (all regions) stays None."""
    by_province: dict[str, list[str]] = {}
    for code, p in zip(cities.codes, province_of, strict=True):
        if p is not None:
            by_province.setdefault(p, []).append(code)

    def cities_of(codes: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if codes is None:
            return None
        out: list[str] = []
        for c in codes:
            out += by_province.get(c, [c] if c in cities.codes else [])
        return tuple(dict.fromkeys(out))

    return tuple(replace(lv, regions=cities_of(lv.regions), input_regions=cities_of(lv.input_regions))
                 for lv in levers)


def city_base(base: RoadmapBase, province_base: RoadmapBase, province_of: Sequence[str | None]) -> RoadmapBase:
    """``base`` (the city dataset's baseline) with every city's intensity trend replaced
    by its province's, ``f_cs(t) = f_cs(t_cal) (1 + r_{p(c)s})^(t − t_cal)`` for
    ``t > t_cal`` (module doc, step 1). Raises :class:`DataError` when the two datasets
    differ in t0 or sector codes."""
    if base.t0 != province_base.t0:
        raise DataError(f"the city table's last IO year ({base.t0}) is not the provincial dataset's "
                        f"({province_base.t0}): their roadmaps start in different years",
                        hint="use a provincial dataset whose last table year is the city table's")
    if tuple(base.sectors.codes) != tuple(province_base.sectors.codes):
        raise DataError(f"the city table's sectors ({base.sectors.list_id or 'custom'}, {base.n_sectors}) are "
                        f"not the provincial dataset's ({province_base.sectors.list_id or 'custom'}, "
                        f"{province_base.n_sectors})")
    S = base.n_sectors
    trend = np.array(base.trend)
    source = np.array(base.trend_source)
    pcodes = province_base.regions.codes
    for c, p in enumerate(province_of):
        if p is None or p not in pcodes:
            continue
        r = province_base.regions.index(p)
        trend[c * S:(c + 1) * S] = province_base.trend[r * S:(r + 1) * S]
        source[c * S:(c + 1) * S] = province_base.trend_source[r * S:(r + 1) * S]
    f_base = np.array(base.f_base)
    kc = base.t_cal - base.t0
    steps = np.arange(len(base.years)) - kc
    later = steps > 0
    f_base[later] = f_base[kc][None, :] * (1.0 + trend[None, :]) ** steps[later, None]
    for r, st in enumerate(base.region_status):
        if st == "missing":
            f_base[:, r * S:(r + 1) * S] = 0.0
    for a in (trend, source, f_base):
        a.setflags(write=False)
    return replace(base, trend=trend, trend_source=source, f_base=f_base, _memo=base._memo,
                   notes=(*base.notes, "city intensity trends inherited from the province's roadmap"))


def city_outputs(base: RoadmapBase, levers: Sequence[ResolvedLever]) -> tuple[Arr, Arr]:
    """Output ``x(t) = L(t) [Y0 | EX0] ĝ(t)`` (T × n, 10,000 yuan at t0 prices) and the
    demand scales ``ĝ`` (T × (C+1)) under the levers, without the by-destination split
    the provincial engine keeps (T × n × (R+1) would be 1.4 GB for 313 cities).

    ``x(t) = X0 ĝ(t)`` with ``X0 = L(t0)[Y0 | EX0]`` solved once; where coefficient
    levers change A on rows I / columns J, ``x(t) = z + M⁻¹U (I_k − VᵀM⁻¹U)⁻¹ Vᵀ z``,
    ``z = X0 ĝ(t)`` (Woodbury; Miller & Blair 2009, sec. 13.1 for updating L), or a new LU
    when the rank exceeds n/6; ``M⁻¹U`` from the columns I of L solved once
    (``L[:, I] D_t``) when |I| ≤ n/6; one vector per year, nothing kept across years."""
    T, n = len(base.years), base.n
    G = _scales(base, levers)
    rows, cols, D = _coefficient_changes(base, levers)
    X0 = base.demand_output()
    x = G @ X0.T
    if cols.size == 0 or not D.any():
        return x, G
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    rank = min(rows.size, cols.size)
    use_rows = 0 < rows.size < cols.size
    low_rank = rank <= WOODBURY_MAX_FRACTION * n
    L_rows = None
    E_rows = np.zeros((n, rows.size))
    E_rows[rows, np.arange(rows.size)] = 1.0
    E_cols = np.zeros((n, cols.size))
    E_cols[cols, np.arange(cols.size)] = 1.0
    if low_rank and rows.size <= WOODBURY_MAX_FRACTION * n:
        # the columns I of L, once: M⁻¹U_t = L[:, I] D_t in the column form too
        L_rows = np.asarray(solve(base.factor0, E_rows))
    last: tuple[Arr, Any] | None = None
    for t in range(T):
        Dt = D[t]
        if not Dt.any():
            continue
        if last is not None and np.array_equal(Dt, last[0]):
            solver = last[1]
        elif low_rank:
            if use_rows and L_rows is not None:
                V = np.zeros((n, rows.size))
                V[cols, :] = Dt.T
                solver = low_rank_factor(base.factor0, E_rows, V, MU=L_rows)
            else:
                U = np.zeros((n, cols.size))
                U[rows, :] = Dt
                solver = low_rank_factor(base.factor0, U, E_cols, MU=None if L_rows is None else L_rows @ Dt)
        else:
            A = np.array(base.A0)
            A[np.ix_(rows, cols)] += Dt
            solver = factorize(A)
        last = (Dt, solver)
        if low_rank:
            x[t] = solver.solve(z=x[t])
        else:
            x[t] = np.asarray(solve(solver, rhs @ G[t]))
    return x, G


def _raw(base: RoadmapBase, levers: Sequence[ResolvedLever], cut: Arr) -> tuple[Arr, Arr, Arr]:
    """Raw city CO2 (T × C × S), households (T × C) and output (T × C × S)."""
    T, R, S = len(base.years), base.n_regions, base.n_sectors
    K = len(base.fd_categories)
    x, G = city_outputs(base, levers)
    f, hh = intensities(base, levers)
    if cut.any():
        steps = np.maximum(base.years - base.t_cal, 0).astype(np.float64)
        f = f * np.repeat((1.0 - cut)[None, :] ** steps[:, None], S, axis=1)
    co2 = (f * x).reshape(T, R, S)
    households = (hh * G[:, :R * K]).reshape(T, R, K).sum(axis=2)
    return co2, households, x.reshape(T, R, S)


# --------------------------------------------------------------------------- reconciliation
def _scale_to(raw: Arr, weight: Arr, target: Arr) -> Arr:
    """``raw · target / Σ raw`` over axis 1 (the cities), by ``weight`` where Σ raw is 0
    and the target is not, equal shares where both are 0 (raw: T × k × S, target T × S)."""
    tot = raw.sum(axis=1)
    out: Arr = raw * np.divide(target, tot, out=np.zeros_like(target), where=tot > 0)[:, None, :]
    hole = (tot <= 0) & (target != 0)
    if hole.any():
        wt = weight.sum(axis=1)
        share = np.where(wt[:, None, :] > 0, weight / np.where(wt > 0, wt, 1.0)[:, None, :], 1.0 / raw.shape[1])
        out = np.where(hole[:, None, :], share * target[:, None, :], out)
    return out


def city_roadmap(base: RoadmapBase, province_run: Roadmap, scenario: Scenario, *,
                 members: Callable[[str], Sequence[str]] | Mapping[str, Sequence[str]] | None = None,
                 province_dataset: str | None = None) -> CityRoadmap:
    """City pathways of ``scenario`` on the city baseline ``base`` (its regions are
    cities), reconciled to ``province_run`` (the provincial roadmap of the same scenario;
    see the module doc for the method). ``members`` gives a province's complete city list
    (default: :func:`viscarbon.classification.province_cities`)."""
    if base.regions.list_id != "cn_city":
        raise DataError(f"dataset {base.dataset.name!r} is not a city table (its regions are "
                        f"{base.regions.list_id or 'custom'}, not cn_city)",
                        hint="pass a city MRIO dataset (viscarbon import ceads-city-mrio)")
    listed: Callable[[str], Sequence[str]]
    if isinstance(members, Mapping):
        table = {k: tuple(v) for k, v in members.items()}
        listed = lambda p: table[p] if p in table else _province_list(p)  # noqa: E731
    else:
        listed = members if members is not None else _province_list
    pbase = province_run.base
    codes = base.regions.codes
    province_of = tuple(city_province(c) for c in codes)
    cb = city_base(base, pbase, province_of)
    T, C, S = len(cb.years), cb.n_regions, cb.n_sectors
    reported_p = {code for code, st in zip(pbase.regions.codes, pbase.region_status, strict=True)
                  if st != "missing"}
    status: list[str] = []
    for p, st in zip(province_of, cb.region_status, strict=True):
        if st == "missing":
            status.append("no_co2")
        elif p is None:
            status.append("unknown_province")
        elif p not in reported_p:
            status.append("no_roadmap")
        else:
            status.append("")  # set per province below
    provinces = tuple(dict.fromkeys(p for p, s in zip(province_of, status, strict=True) if p is not None and s == ""))
    lv_city = city_levers(scenario.levers, cb.regions, province_of)
    resolved = tuple(resolve_lever(lv, cb, file=scenario.file or scenario.id) for lv in lv_city)
    extra = np.zeros(C)
    for c, p in enumerate(province_of):
        if p is not None and p in pbase.regions.codes:
            extra[c] = province_run.scenario.extra_cut[pbase.regions.index(p)]
    raw_co2: dict[str, Arr] = {}
    raw_hh: dict[str, Arr] = {}
    raw_x: dict[str, Arr] = {}
    raw_co2["baseline"], raw_hh["baseline"], raw_x["baseline"] = _raw(cb, (), np.zeros(C))
    if resolved or extra.any():
        raw_co2["scenario"], raw_hh["scenario"], raw_x["scenario"] = _raw(cb, resolved, extra)
    else:
        raw_co2["scenario"], raw_hh["scenario"], raw_x["scenario"] = (
            raw_co2["baseline"], raw_hh["baseline"], raw_x["baseline"])
    co2 = {k: np.array(v) for k, v in raw_co2.items()}
    hh = {k: np.array(v) for k, v in raw_hh.items()}
    P = len(provinces)
    rest = {k: np.zeros((T, P, S)) for k in CITY_PATHWAYS}
    rest_hh = {k: np.zeros((T, P)) for k in CITY_PATHWAYS}
    coverage: list[ProvinceCoverage] = []
    notes: list[str] = list(cb.notes)
    sec_codes = cb.sectors.codes
    for q, p in enumerate(provinces):
        idx = np.array([c for c, pc in enumerate(province_of) if pc == p and status[c] == ""], dtype=np.intp)
        have = tuple(codes[i] for i in idx)
        full = tuple(listed(p))
        missing = tuple(c for c in full if c not in have)
        complete = not missing
        st = "complete" if complete else "partial"
        for i in idx:
            status[i] = st
        r = pbase.regions.index(p)
        e0 = raw_co2["baseline"][0, idx].sum(axis=0)
        h0 = float(raw_hh["baseline"][0, idx].sum())
        P0 = province_run.sector_co2("baseline")[0, r * S:(r + 1) * S]
        H0 = float(province_run.households("baseline")[0, r])
        if complete:
            sigma = np.ones(S)
            sigma_h = 1.0
            capped: tuple[str, ...] = ()
        else:
            sigma = np.divide(e0, P0, out=np.zeros(S), where=P0 > 0)
            capped = tuple(sec_codes[s] for s in np.flatnonzero(sigma > 1.0))
            sigma = np.minimum(sigma, 1.0)
            sigma_h = min(h0 / H0, 1.0) if H0 > 0 else 0.0
            if h0 > H0 > 0:
                capped += ("HH",)
        share = float((sigma * P0).sum() + sigma_h * H0) / float(P0.sum() + H0) if P0.sum() + H0 > 0 else 0.0
        gap: dict[str, Arr] = {}
        gap_rel: dict[str, Arr] = {}
        for name in CITY_PATHWAYS:
            Pt = province_run.sector_co2(name)[:, r * S:(r + 1) * S]
            Ht = province_run.households(name)[:, r]
            target = Pt * sigma[None, :]
            target_h = Ht * sigma_h
            raw_c = raw_co2[name][:, idx]
            co2[name][:, idx] = _scale_to(raw_c, raw_x[name][:, idx], target)
            hraw = raw_hh[name][:, idx]
            hh[name][:, idx] = _scale_to(hraw[:, :, None], np.ones_like(hraw)[:, :, None], target_h[:, None])[:, :, 0]
            rest[name][:, q] = Pt - target
            rest_hh[name][:, q] = Ht - target_h
            want = target.sum(axis=1) + target_h
            g = raw_c.sum(axis=(1, 2)) + hraw.sum(axis=1) - want
            gap[name] = g
            gap_rel[name] = np.divide(g, want, out=np.full(T, np.nan), where=want > 0)
            for a in (gap[name], gap_rel[name]):
                a.setflags(write=False)
        coverage.append(ProvinceCoverage(province=p, status=st, cities=have, listed=full, missing=missing,
                                         share_t0=share, capped=capped, gap=gap, gap_relative=gap_rel))
        if capped:
            notes.append(f"{p}: the cities' {cb.t0} CO2 exceeds the province's in sector(s) "
                         + ", ".join(capped) + ": their covered share is capped at 100 %")
    for c, st in enumerate(status):
        if st == "no_roadmap":
            notes.append(f"city {codes[c]}: its province {province_of[c]} has no provincial roadmap in "
                         f"{province_dataset or pbase.dataset.name!r}: raw pathway, not reconciled")
        elif st == "unknown_province":
            notes.append(f"city {codes[c]} is not in the city concordance: province unknown, raw pathway")
        elif st == "no_co2":
            notes.append(f"city {codes[c]} has no CO2 in the city table: no pathway; counted as missing from "
                         f"its province")
    hist = cb.history
    keep = [i for i, y in enumerate(hist.years) if y < cb.t0]
    history = hist.by_region[keep] if keep else np.zeros((0, C))
    for d in (co2, hh, rest, rest_hh, raw_co2, raw_hh):
        for a in d.values():
            a.setflags(write=False)
    return CityRoadmap(
        city_dataset=base.dataset.name, province_dataset=province_dataset or pbase.dataset.name, scenario=scenario,
        years=cb.years, t0=cb.t0, cities=cb.regions, sectors=cb.sectors, province_of=province_of,
        status=tuple(status), co2=co2, households=hh, raw=raw_co2, raw_households=raw_hh,
        coverage=tuple(coverage), remainder=rest, remainder_households=rest_hh,
        history_years=tuple(hist.years[i] for i in keep), history=np.asarray(history), province_run=province_run,
        notes=tuple(dict.fromkeys(notes)))


def city_label(c: City | None, code: str) -> str:
    """``<Province>|<City>`` in English (the IAMC region of a city)."""
    if c is None:
        return code
    return f"{region(c.province).name_en}|{c.name_en}"
