"""The headline figures of a province-year: its CO2 total and parts, its consumption-based
CO2, its carbon intensity of GDP and the change since the previous table year, its rank
and its share of the nation (what the dashboard's headline strip shows).

Definitions (Mt CO2, 10,000 yuan 万元 at the current prices of each table year; ``r`` the
province, ``K`` the final-demand categories, ``V`` the value-added rows):

* production-based CO2 ``P_r = Σ_{i∈r} F_i + Σ_{c∈K} F_Y[r, c]`` = industries + households'
  direct emissions (``EmissionAccounts.production_based``);
* consumption-based CO2 ``C_r = m · Y_r + Σ_c F_Y[r, c]`` (``EmissionAccounts.consumption_based``);
* GDP ``G_r = Σ_{i∈r} Σ_v V[v, i]`` (value added, 10,000 yuan);
* carbon intensity of GDP ``I_r = 10⁶ · P_r / G_r`` (t CO2 per 10,000 yuan);
* change since the previous table year ``(I_r(t) − I_r(t₀)) / I_r(t₀)`` (fraction; nominal
  GDP of each year, not deflated);
* rank: 1 = the largest ``P`` among the regions with an inventory (ties by region order);
  share of the nation ``P_r / Σ_s P_s`` over the regions with an inventory.

The previous year needs no factorisation: its intensity uses its inventory and value added
only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis.year import YearAnalysis
from viscarbon.calc.leontief import MT_TO_T
from viscarbon.datasets import ResolvedSystem

__all__ = ["Headline", "headline", "production_and_gdp"]

Arr = NDArray[np.float64]


@dataclass(frozen=True)
class Headline:
    """The headline figures of one province-year (see the module docstring for the
    definitions). ``None`` marks a figure that is unknown (no inventory for the region, no
    previous table year, a GDP of zero)."""

    dataset: str
    year: int
    region: str
    status: str
    production_mt: float | None
    industry_mt: float | None
    households_mt: float | None
    consumption_mt: float | None
    gdp_10k_yuan: float
    intensity_t_per_10k_yuan: float | None
    previous_year: int | None
    previous_intensity_t_per_10k_yuan: float | None
    intensity_change: float | None
    rank: int | None
    ranked: int
    national_mt: float | None
    share_of_nation: float | None


def production_and_gdp(resolved: ResolvedSystem) -> tuple[Arr, Arr, Arr, tuple[str, ...]]:
    """Per region (R,): industries' CO2 ``Σ_{i∈r} F_i`` (Mt), households' direct CO2
    ``Σ_c F_Y[r, c]`` (Mt), GDP ``Σ_{i∈r} Σ_v V[v, i]`` (10,000 yuan), and the region
    status; straight from the inventory and the table (no factorisation). Regions whose
    inventory is ``missing`` have NaN CO2."""
    table = resolved.table
    sat = resolved.co2
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    industry = np.asarray(sat.F, dtype=np.float64).sum(axis=0).reshape(R, S).sum(axis=1)
    households = np.asarray(sat.F_Y, dtype=np.float64).sum(axis=0).reshape(R, K).sum(axis=1)
    gdp = np.asarray(table.V, dtype=np.float64).sum(axis=0).reshape(R, S).sum(axis=1)
    status = tuple(sat.region_status)
    missing = np.array([s == "missing" for s in status])
    industry[missing] = np.nan
    households[missing] = np.nan
    return industry, households, gdp, status


def _intensity(co2_mt: float, gdp: float) -> float | None:
    """``10⁶ · CO2 / GDP``: t CO2 per 10,000 yuan; None when unknown or GDP ≤ 0."""
    if not np.isfinite(co2_mt) or not gdp > 0:
        return None
    return float(co2_mt * MT_TO_T / gdp)


def _known(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


def headline(current: YearAnalysis, region: str, *, previous: YearAnalysis | None = None) -> Headline:
    """The headline figures of ``region`` in ``current``'s year; ``previous`` the analysis
    of the previous table year of the same dataset (None: no change is given). The
    production- and consumption-based totals are those of ``current.accounts()``; the
    previous year's intensity is computed from its inventory and value added only."""
    table = current.table
    r = table.regions.index(region)
    acc = current.accounts()
    industry, households, gdp, status = production_and_gdp(current.resolved)
    pba = np.asarray([np.nan if v is None else v for v in acc.production_based], dtype=np.float64)
    known = np.isfinite(pba)
    prod = _known(pba[r])
    cons = None if status[r] == "missing" else _known(acc.consumption_based[r])
    inten = _intensity(pba[r], gdp[r])
    rank: int | None = None
    if prod is not None:
        order = [int(i) for i in np.flatnonzero(known)]
        order.sort(key=lambda i: (-pba[i], i))
        rank = order.index(r) + 1
    national = float(pba[known].sum()) if known.any() else None
    share = prod / national if (prod is not None and national) else None
    prev_year: int | None = None
    prev_inten: float | None = None
    change: float | None = None
    if previous is not None:
        prev_year = previous.year
        p_ind, p_hh, p_gdp, p_status = production_and_gdp(previous.resolved)
        pr = previous.table.regions.index(region)
        if p_status[pr] != "missing":
            prev_inten = _intensity(p_ind[pr] + p_hh[pr], p_gdp[pr])
        if inten is not None and prev_inten:
            change = (inten - prev_inten) / prev_inten
    return Headline(
        dataset=current.dataset, year=current.year, region=region, status=status[r],
        production_mt=prod, industry_mt=_known(industry[r]), households_mt=_known(households[r]),
        consumption_mt=cons, gdp_10k_yuan=float(gdp[r]), intensity_t_per_10k_yuan=inten,
        previous_year=prev_year, previous_intensity_t_per_10k_yuan=prev_inten, intensity_change=change,
        rank=rank, ranked=int(known.sum()), national_mt=national, share_of_nation=share,
    )
