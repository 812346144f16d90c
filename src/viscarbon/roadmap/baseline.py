"""The baseline of a roadmap: the last MRIO year of a dataset (t0) with its inventory
history, calibrated to the inventory years after t0 and projected to 2060 on the measured
and assumed trends.

Prices: every money figure of a roadmap is in **10,000 yuan at t0 prices** (the MRIO
tables are in current prices; the GDP deflator puts an earlier table into t0 prices where
the intensity trend is measured). Intensities: t CO2 per 10,000 yuan at t0 prices.

* Activity: final demand ``y(t) = y(t0) · Π(1 + g(τ))`` with ``g`` national real GDP
  growth (NBS through ``gdp.csv``'s last year, then the assumed path), so ``x(t) = L y(t)``.
* Calibration: for the inventory years ``t0 < t ≤ t_cal`` the direct intensity is set so
  that CO2 by province and sector equals the inventory: ``f(t) = F_inv(t) / x(t)``
  (households likewise).
* Projection: ``f(t) = f(t_cal) · (1 + r_ps)^(t − t_cal)`` with ``r_ps`` the measured
  annual change of the province-sector's intensity between the first and last IO years
  (clipped; the fallback where it cannot be measured; all assumptions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import Workspace
from viscarbon.analysis.sectors import align_sectors
from viscarbon.calc.leontief import LeontiefFactor, solve
from viscarbon.calc.pathway import cumulative
from viscarbon.datasets import DatasetInfo, SeriesYear
from viscarbon.errors import DataError
from viscarbon.model import Axis
from viscarbon.roadmap.assumptions import Assumptions, GdpTable, default_assumptions, gdp_table

__all__ = ["END_YEAR", "TREND_SOURCES", "History", "RoadmapBase", "build_base"]

Arr = NDArray[np.float64]
MT_PER_T = 1e-6
END_YEAR = 2060
#: How each province-sector's baseline trend was obtained (codes of ``RoadmapBase.trend_source``).
TREND_SOURCES = ("measured", "clipped", "fallback")


@dataclass(frozen=True, eq=False)
class History:
    """Inventory years up to t0: CO2 (Mt) by region (industries plus households), by
    region and sector of the t0 list (NaN where the lists cannot be bridged), households'
    direct CO2 by region. NaN for regions without an inventory."""

    years: tuple[int, ...]
    by_region: Arr
    by_sector: Arr
    households: Arr


@dataclass(frozen=True, eq=False)
class RoadmapBase:
    """Everything a pathway starts from (n = R·S, C = R·K final-demand columns, T years).

    ``A0`` and ``factor0`` the t0 coefficients and their LU; ``Y0`` (n × C) and ``EX0``
    (n,) final demand and foreign exports at t0 (10,000 yuan); ``x0`` (n,) ``L y0``;
    ``va_coef`` (n,) value added per unit of output; ``F_by_stressor`` the t0 satellite's
    stressor rows (k × n, Mt) for the combustion share; ``f_base`` (T × n) the baseline
    direct intensity, Mt per 10,000 yuan; ``hh_unit`` (T × C) households' direct CO2 per
    unit of the column's demand scale (Mt); ``growth`` (T,) the baseline demand scale
    (1 at t0) and ``gdp_rate`` (T,) its yearly rates, ``gdp_measured`` (T,) whether the
    rate is an NBS figure; ``trend`` (n,) the projected intensity change per year and
    ``trend_source`` (n,) indices into :data:`TREND_SOURCES`; ``power_rows`` (R,) and
    ``fuel_rows`` (R × k) row indices; ``groups`` (S,) benchmark group of each sector and
    ``g`` (T × S) the benchmark ratio; ``co2_2005`` the national CO2 of 2005 (Mt) when
    the inventory has it.
    """

    dataset: DatasetInfo
    t0: int
    years: NDArray[np.int64]
    regions: Axis
    sectors: Axis
    fd_categories: Axis
    region_status: tuple[str, ...]
    A0: Arr
    factor0: LeontiefFactor
    Y0: Arr
    EX0: Arr
    x0: Arr
    va_coef: Arr
    f0: Arr
    combustion_share: Arr
    f_base: Arr
    hh_unit: Arr
    growth: Arr
    gdp_rate: Arr
    gdp_measured: NDArray[np.bool_]
    calibrated: tuple[int, ...]
    trend: Arr
    trend_source: NDArray[np.int8]
    power_rows: NDArray[np.intp]
    fuel_rows: NDArray[np.intp]
    groups: tuple[str, ...]
    g: Arr
    history: History
    co2_2005: float | None
    assumptions: Assumptions
    gdp: GdpTable
    notes: tuple[str, ...] = ()
    _memo: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    @property
    def n(self) -> int:
        return len(self.regions) * len(self.sectors)

    @property
    def t_cal(self) -> int:
        """The last year fixed by the inventory (t0 without calibration years)."""
        return self.calibrated[-1] if self.calibrated else self.t0

    def index(self, year: int) -> int:
        return int(year - self.t0)

    def demand_output(self) -> Arr:
        """``L(t0) [Y0 | EX0]`` (n × (C+1)): output by demand column, computed once."""
        X = self._memo.get("X_base")
        if X is None:
            rhs = np.concatenate([self.Y0, self.EX0[:, None]], axis=1)
            X = np.asarray(solve(self.factor0, rhs))
            X.setflags(write=False)
            self._memo["X_base"] = X
        return X  # type: ignore[return-value]

    @property
    def reported(self) -> NDArray[np.bool_]:
        """Regions whose CO2 is known (not ``missing``)."""
        return np.array([s != "missing" for s in self.region_status])


def _trend(ws: Workspace, info: DatasetInfo, t0: int, F0: Arr, x0: Arr, sectors: Axis, regions: Axis,
           a: Assumptions, gdp: GdpTable) -> tuple[Arr, NDArray[np.int8], tuple[str, ...]]:
    """The baseline intensity trend per province-sector (see the module doc)."""
    n = F0.shape[0]
    rate = np.full(n, a.trend_fallback)
    source = np.full(n, 2, dtype=np.int8)
    notes: list[str] = []
    earlier = [y for y in info.years if y < t0]
    if not earlier:
        notes.append(f"one IO year only: every intensity trend is the assumed fallback {a.trend_fallback:+.1%} per year")
        return rate, source, tuple(notes)
    y1 = earlier[0]
    defl = gdp.deflator(y1, t0)
    ya = ws.year(info.name, y1)
    t1 = ya.table
    if defl is None or tuple(t1.regions.codes) != tuple(regions.codes):
        notes.append(f"the trend between {y1} and {t0} cannot be measured (no GDP deflator or other regions): "
                     f"fallback {a.trend_fallback:+.1%} per year")
        return rate, source, tuple(notes)
    F1 = ya.resolved.co2.F.sum(axis=0)
    S1 = len(t1.sectors)
    R = len(regions)
    I0 = np.divide(F0, x0, out=np.zeros(n), where=x0 > 0)
    I1 = np.zeros(n)
    for r in range(R):
        f1, _ = align_sectors(F1[r * S1:(r + 1) * S1], t1.sectors, sectors, additive=True)
        xr, _ = align_sectors(t1.x[r * S1:(r + 1) * S1] / defl, t1.sectors, sectors, additive=True)
        sl = slice(r * len(sectors), (r + 1) * len(sectors))
        I1[sl] = np.divide(f1, xr, out=np.full(len(sectors), np.nan), where=np.nan_to_num(xr) > 0)
    status1 = ya.resolved.region_status
    ok = (I0 > 0) & (np.nan_to_num(I1) > 0)
    for r, st in enumerate(status1):
        if st == "missing":
            ok[r * len(sectors):(r + 1) * len(sectors)] = False
    measured = np.where(ok, (I0 / np.where(ok, I1, 1.0)) ** (1.0 / (t0 - y1)) - 1.0, np.nan)
    clipped = np.clip(measured, a.trend_min, a.trend_max)
    rate = np.where(ok, clipped, a.trend_fallback)
    source = np.where(ok, np.where(np.isclose(clipped, measured), 0, 1), 2).astype(np.int8)
    notes.append(f"intensity trends measured between {y1} and {t0} (output deflated by the national GDP deflator, "
                 f"{defl:.3f}), clipped to [{a.trend_min:+.0%}, {a.trend_max:+.0%}] per year")
    return rate, source, tuple(notes)


def _history(ws: Workspace, dataset: str, hist: Sequence[SeriesYear], regions: Axis,
             sectors: Axis) -> tuple[History, float | None]:
    """The inventory years up to t0 by region and by t0 sector (bridged between sector
    lists), and the national CO2 of 2005 when the inventory has it."""
    R, S, H = len(regions), len(sectors), len(hist)
    by_sector = np.full((H, R, S), np.nan)
    hh = np.full((H, R), np.nan)
    totals = np.full((H, R), np.nan)
    co2_2005 = None
    for i, s in enumerate(hist):
        ts = ws.year(dataset, s.table_year).table
        if s.inventory_year == 2005:
            co2_2005 = float(np.asarray(s.F).sum() + np.asarray(s.F_Y).sum())
        if tuple(ts.regions.codes) != tuple(regions.codes):
            continue
        S1, K1 = len(ts.sectors), len(ts.fd_categories)
        for r in range(R):
            if s.region_status[r] == "missing":
                continue
            F_r = np.asarray(s.F[r * S1:(r + 1) * S1])
            by_sector[i, r], _ = align_sectors(F_r, ts.sectors, sectors, additive=True)
            hh[i, r] = float(np.asarray(s.F_Y[r * K1:(r + 1) * K1]).sum())
            totals[i, r] = float(F_r.sum()) + hh[i, r]
    return History(years=tuple(s.inventory_year for s in hist), by_region=totals, by_sector=by_sector,
                   households=hh), co2_2005


def build_base(ws: Workspace, dataset: str, *, assumptions: Assumptions | None = None,
               end_year: int = END_YEAR) -> RoadmapBase:
    """The baseline of ``dataset`` (see the module doc). Raises :class:`DataError` for an
    inventory-only dataset or one without CO2."""
    a = assumptions or default_assumptions()
    gdp = gdp_table()
    info = ws.dataset(dataset)
    if info.is_inventory:
        raise DataError(f"dataset {dataset!r} holds inventories only; a roadmap needs an IO dataset",
                        hint="link it to an MRIO dataset: viscarbon link")
    t0 = info.years[-1]
    if t0 >= end_year:
        raise DataError(f"the last IO year of {dataset!r} ({t0}) is not before {end_year}")
    ya = ws.year(dataset, t0)
    res = ya.resolved
    if res.co2_source == "none":
        raise DataError(f"dataset {dataset!r} has no CO2 for {t0}: a roadmap needs an inventory",
                        hint="import a CEADs inventory and link it: viscarbon link")
    c = ya.coefficients
    table = res.table
    regions, sectors, fd = table.regions, table.sectors, table.fd_categories
    R, S, K = len(regions), len(sectors), len(fd)
    n = R * S
    years = np.arange(t0, end_year + 1, dtype=np.int64)
    T = len(years)
    Y0 = np.asarray(table.Y, dtype=np.float64)
    EX0 = np.asarray(table.EX, dtype=np.float64)
    x0 = np.asarray(c.solve(Y0.sum(axis=1) + EX0))
    va_coef = np.divide(table.V.sum(axis=0), table.x, out=np.zeros(n), where=table.x > 0)
    F0 = np.asarray(c.F)
    f0 = np.divide(F0, x0, out=np.zeros(n), where=x0 > 0)
    sat = res.co2
    stress = np.asarray(sat.F)
    proc = [i for i, code in enumerate(sat.stressors.codes) if code.lower() == "process"]
    process = stress[proc].sum(axis=0) if proc else np.zeros(n)
    comb = np.clip(np.divide(F0 - process, F0, out=np.ones(n), where=F0 > 0), 0.0, 1.0)

    rates = a.growth_rates(years.astype(np.float64), gdp)
    growth = cumulative(rates)
    measured = np.array([int(y) in gdp.growth for y in years]) & (years > t0)
    series = ws.series(dataset)
    cal = [s for s in series if t0 < s.inventory_year <= end_year and s.table_year == t0]
    calibrated = tuple(s.inventory_year for s in cal)
    t_cal = calibrated[-1] if calibrated else t0
    trend, trend_source, notes = _trend(ws, info, t0, F0, x0, sectors, regions, a, gdp)

    f_base = np.empty((T, n))
    f_base[0] = f0
    hh_unit = np.empty((T, R * K))
    hh_unit[0] = np.asarray(c.F_Y)
    for s in cal:
        k = s.inventory_year - t0
        x_t = x0 * growth[k]
        f_base[k] = np.divide(s.F, x_t, out=np.zeros(n), where=x_t > 0)
        hh_unit[k] = np.asarray(s.F_Y) / growth[k]
    kc = t_cal - t0
    steps = np.arange(T) - kc
    later = steps > 0
    f_base[later] = f_base[kc][None, :] * (1.0 + trend[None, :]) ** steps[later, None]
    hh_unit[later] = hh_unit[kc][None, :] * (1.0 + a.households_rate) ** steps[later, None]
    missing = [r for r, st in enumerate(res.region_status) if st == "missing"]
    for r in missing:
        f_base[:, r * S:(r + 1) * S] = 0.0
        hh_unit[:, r * K:(r + 1) * K] = 0.0

    power_code = ya.power_sector()
    p = sectors.index(power_code)
    power_rows = np.array([r * S + p for r in range(R)], dtype=np.intp)
    groups = a.group_of(sectors)
    fuel_idx = [k for k, grp in enumerate(groups) if grp == "fossil_supply"]
    fuel_rows = np.array([[r * S + k for k in fuel_idx] for r in range(R)], dtype=np.intp).reshape(R, len(fuel_idx))
    g = a.benchmark_ratio(sectors, years.astype(np.float64), t0)

    history, co2_2005 = _history(ws, dataset, [s for s in series if s.inventory_year <= t0], regions, sectors)
    if not calibrated:
        notes += (f"no inventory year after {t0}: the projection starts at the IO year",)
    else:
        notes += (f"calibrated to the inventory in {', '.join(map(str, calibrated))}",)
    if missing:
        notes += ("no inventory for " + ", ".join(regions.codes[r] for r in missing)
                  + ": their CO2 is unknown and left out of every total",)
    for arr in (f_base, hh_unit, x0, va_coef, f0, comb, trend, Y0, EX0):
        arr.setflags(write=False)
    return RoadmapBase(
        dataset=info, t0=t0, years=years, regions=regions, sectors=sectors, fd_categories=fd,
        region_status=tuple(res.region_status), A0=c.A, factor0=c.factor, Y0=Y0, EX0=EX0, x0=x0,
        va_coef=va_coef, f0=f0, combustion_share=comb, f_base=f_base, hh_unit=hh_unit, growth=growth,
        gdp_rate=rates, gdp_measured=measured, calibrated=calibrated, trend=trend, trend_source=trend_source,
        power_rows=power_rows, fuel_rows=fuel_rows, groups=groups, g=g, history=history, co2_2005=co2_2005,
        assumptions=a, gdp=gdp, notes=notes,
    )
