"""The scenario engine: year by year to 2060 through the IO model.

For every year ``t`` (``docs/roadmap.md`` writes the equations out):

* demand columns ``[Y0 | EX0]`` scaled column by column, ``ĝ(t)`` (baseline growth times
  the final-demand levers), so ``x(t) = L(t) [Y0 | EX0] ĝ(t)`` and, per destination
  region ``s``, ``X_s(t) = L(t) [Y0 | EX0]_s ĝ_s(t)`` (10,000 yuan at t0 prices);
* ``L(t) = (I − A(t))⁻¹`` with ``A(t) = A0`` unless coefficient or electrification levers
  act, then the t0 factor updated by Woodbury (few columns changed) or a new LU;
* direct intensity ``f(t)`` = baseline × intensity, power and electrification levers,
  CO2 ``F(t) = f(t) ⊙ x(t)`` (Mt); households ``F_Y(t) = h(t) ⊙ ĝ(t)``;
* production-based ``PBA_r = Σ_{i∈r} F_i + Σ_{c∈r} F_Y,c``; the transfer matrix
  ``T_rs = Σ_{i∈r} f_i X_s,i`` (last column: foreign exports); consumption-based
  ``CBA_s = Σ_r T_rs + Σ_{c∈s} F_Y,c``; electricity-adjusted (power CO2 passed to its
  users, :func:`viscarbon.calc.electricity.reallocate_power_rows`); value added
  ``VA_r = Σ_{i∈r} v_i(t) x_i`` with ``v(t) = v0 − Σ_k ΔA_kj`` (GDP at t0 prices).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.electricity import reallocate_power_rows
from viscarbon.calc.leontief import factorize, solve
from viscarbon.calc.pathway import WOODBURY_MAX_FRACTION, low_rank_factor, region_aggregate
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.levers import ResolvedLever, resolve_lever
from viscarbon.roadmap.scenario import Scenario

__all__ = ["Activity", "Pathway", "activity", "intensities", "pathway", "simulate"]

Arr = NDArray[np.float64]
T_PER_MT = 1e6


@dataclass(frozen=True, eq=False)
class Activity:
    """What does not depend on CO2 intensities: per year the gross output ``x`` (T × n),
    output by destination region ``XR`` (T × n × (R+1), last: foreign exports), the demand
    column scales ``G`` (T × (C+1)), value added ``va`` (T × R) and the power rows of ``Z``,
    ``Y``, ``EX`` (for the electricity-adjusted account); ``A_rows``/``A_cols``/``D`` the
    block of A the levers change and its change per year (T × |I| × |J|);
    ``factorizations``/``woodbury`` how many new LUs and Woodbury updates it took.

    The response to the unscaled demand ``L(t) [Y0 | EX0]`` (n × (C+1)) is kept in low-rank
    form: ``X0[X0_of_year[t]] + MU[t] @ corr[t]`` where a Woodbury update acts
    (``MU[t]`` = M⁻¹U, n × k; ``corr[t]`` = (I_k − VᵀM⁻¹U)⁻¹ Vᵀ X0, k × (C+1)), else
    ``X0[X0_of_year[t]]`` alone (``MU[t]`` None): see :meth:`demand_output`."""

    x: Arr
    XR: Arr
    G: Arr
    va: Arr
    Z_P: Arr
    Y_P: Arr
    EX_P: Arr
    A_rows: NDArray[np.intp]
    A_cols: NDArray[np.intp]
    D: Arr
    factorizations: int
    woodbury: int
    X0: tuple[Arr, ...]
    X0_of_year: NDArray[np.intp]
    MU: tuple[Arr | None, ...]
    corr: tuple[Arr | None, ...]

    def demand_output(self, t: int) -> Arr:
        """``L(t) [Y0 | EX0]`` (n × (C+1), 10,000 yuan at t0 prices per unit of demand
        scale) of year index ``t``."""
        X = self.X0[int(self.X0_of_year[t])]
        MU, corr = self.MU[t], self.corr[t]
        if MU is None or corr is None:
            return X
        out: Arr = X + MU @ corr
        return out


@dataclass(frozen=True, eq=False)
class Pathway:
    """One pathway to 2060 (T years from t0; n = R·S; Mt CO2 unless stated).

    ``x`` (T × n) output, 10,000 yuan at t0 prices; ``f`` (T × n) direct intensity, Mt per
    10,000 yuan (``intensity`` gives t per 10,000 yuan); ``co2`` (T × n) by province-sector;
    ``households`` (T × R) households' direct CO2; ``pba``/``cba``/``electricity`` (T × R)
    production-based, consumption-based and electricity-adjusted CO2; ``transfer``
    (T × R × (R+1)) CO2 emitted in r for final demand in s (last column: foreign exports);
    ``va`` (T × R) value added (GDP) at t0 prices; ``extra_cut`` (R,) the uniform extra
    annual intensity cut a binding target imposed (0 without).
    """

    scenario: str
    years: NDArray[np.int64]
    x: Arr
    f: Arr
    co2: Arr
    households: Arr
    pba: Arr
    cba: Arr
    electricity: Arr
    transfer: Arr
    va: Arr
    extra_cut: Arr

    @property
    def intensity(self) -> Arr:
        """Direct intensity, t CO2 per 10,000 yuan (t0 prices)."""
        return self.f * T_PER_MT

    def nation(self, values: Arr, reported: NDArray[np.bool_]) -> Arr:
        """The national total of a (T × R) account over the regions with CO2."""
        out: Arr = values[:, reported].sum(axis=1)
        return out


def _scales(base: RoadmapBase, levers: Sequence[ResolvedLever]) -> Arr:
    C = base.Y0.shape[1]
    G = np.repeat(base.growth[:, None], C + 1, axis=1)
    for lv in levers:
        if lv.lever.kind == "final_demand":
            G[:, lv.demand_cols] *= lv.level[:, None]
    return G


def _coefficient_changes(base: RoadmapBase, levers: Sequence[ResolvedLever]
                         ) -> tuple[NDArray[np.intp], NDArray[np.intp], Arr]:
    """The rows I and columns J of A the levers change and the change per year on that
    block, ``D`` (T × |I| × |J|): ``A(t)[I, J] = A0[I, J] + D[t]``."""
    coef = [lv for lv in levers if lv.lever.changes_coefficients]
    T = len(base.years)
    empty = np.zeros(0, dtype=np.intp)
    if not coef:
        return empty, empty, np.zeros((T, 0, 0))
    cols = np.unique(np.concatenate([lv.coef_cols for lv in coef]))
    row_parts = []
    for lv in coef:
        if lv.lever.kind == "coefficient":
            row_parts.append(lv.coef_rows)
        else:
            row_parts += [base.fuel_rows[np.unique(lv.coef_cols // base.n_sectors)].ravel(), lv.power_of_col]
    rows = np.unique(np.concatenate(row_parts))
    cpos = {int(j): k for k, j in enumerate(cols)}
    rpos = {int(i): k for k, i in enumerate(rows)}
    A0b = np.asarray(base.A0[np.ix_(rows, cols)])
    Ab = np.repeat(A0b[None], T, axis=0)
    e = base.assumptions.electricity_per_fuel
    S = base.n_sectors
    for lv in coef:
        kc = np.array([cpos[int(j)] for j in lv.coef_cols], dtype=np.intp)
        if lv.lever.kind == "coefficient":
            kr = np.array([rpos[int(i)] for i in lv.coef_rows], dtype=np.intp)
            Ab[:, kr, kc] *= lv.level[:, None]
            continue
        # electrification: fuel inputs fall by φ, power purchases rise by φ · fuel · e
        for idx, (c, j) in enumerate(zip(kc, lv.coef_cols, strict=True)):
            fr = np.array([rpos[int(i)] for i in base.fuel_rows[int(j) // S]], dtype=np.intp)
            fuel_in = Ab[:, fr, c].sum(axis=1)
            Ab[:, fr, c] *= (1.0 - lv.level)[:, None]
            Ab[:, rpos[int(lv.power_of_col[idx])], c] += lv.level * fuel_in * e
    return rows, cols, Ab - A0b[None]


def activity(base: RoadmapBase, levers: Sequence[ResolvedLever]) -> Activity:
    """Output by year and destination for the levers' demand and coefficients (see the
    module doc). One solve of the t0 factor with C+1 right-hand sides; for every year in
    which A differs, a Woodbury update of rank min(|I|, |J|) on it (rows I or columns J
    changed; the columns of L at I are computed once), or a new LU when that rank exceeds
    n/6.

    Aggregation by destination uses the low-rank form: with ``X(t) = X0 + MU_t corr_t``,
    ``XR(t)[:, s] = Σ_{c∈s} X0[:, c] g_c(t) + MU_t Σ_{c∈s} corr_t[:, c] g_c(t)``, the
    first term for every year at once (one contraction over T), the second k columns wide."""
    T, n, R = len(base.years), base.n, base.n_regions
    K = len(base.fd_categories)
    C = R * K
    G = _scales(base, levers)
    rows, cols, D = _coefficient_changes(base, levers)
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    X_base = base.demand_output()
    X0s: list[Arr] = [X_base]
    of_year = np.zeros(T, dtype=np.intp)
    MUs: list[Arr | None] = [None] * T
    corrs: list[Arr | None] = [None] * T
    factorizations = woodbury = 0
    rank = min(rows.size, cols.size)
    use_rows = 0 < rows.size < cols.size
    low_rank = rank <= WOODBURY_MAX_FRACTION * n
    L_rows: Arr | None = None
    E_rows = np.zeros((n, rows.size))
    E_rows[rows, np.arange(rows.size)] = 1.0
    E_cols = np.zeros((n, cols.size))
    E_cols[cols, np.arange(cols.size)] = 1.0
    if use_rows and low_rank:
        L_rows = np.asarray(solve(base.factor0, E_rows))  # columns I of L: the same every year
    last: tuple[Arr, int, Arr | None, Arr | None] | None = None
    for t in range(T):
        Dt = D[t]
        if last is not None and np.array_equal(Dt, last[0]):
            _, of_year[t], MUs[t], corrs[t] = last
            continue
        if cols.size == 0 or not Dt.any():
            of_year[t] = 0
        elif low_rank:
            if L_rows is not None:  # rows changed: U = E_I, Vᵀ = ΔA[I, :]
                V = np.zeros((n, rows.size))
                V[cols, :] = Dt.T
                lr = low_rank_factor(base.factor0, E_rows, V, MU=L_rows)
            else:  # columns changed: U = ΔA[:, J], V = E_J
                U = np.zeros((n, cols.size))
                U[rows, :] = Dt
                lr = low_rank_factor(base.factor0, U, E_cols)
            MUs[t], corrs[t] = lr.MU, lr.correction(X_base)
            woodbury += 1
        else:
            A = np.array(base.A0)
            A[np.ix_(rows, cols)] += Dt
            X0s.append(np.asarray(solve(factorize(A), rhs)))
            of_year[t] = len(X0s) - 1
            factorizations += 1
        last = (Dt, int(of_year[t]), MUs[t], corrs[t])
    XR = np.empty((T, n, R + 1))
    Gd = G[:, :C].reshape(T, R, K)
    for u, X in enumerate(X0s):
        ts = np.flatnonzero(of_year == u)
        if ts.size:
            XR[ts, :, :R] = np.einsum("nrk,trk->tnr", X[:, :C].reshape(n, R, K), Gd[ts], optimize=True)
            XR[ts, :, R] = G[ts, C][:, None] * X[None, :, C]
    for t in range(T):
        MU, corr = MUs[t], corrs[t]
        if MU is not None and corr is not None:
            k = corr.shape[0]
            XR[t, :, :R] += MU @ (corr[:, :C].reshape(k, R, K) * Gd[t][None]).sum(axis=2)
            XR[t, :, R] += MU @ (corr[:, C] * G[t, C])
    x = XR.sum(axis=2)
    P = base.power_rows
    v = np.repeat(np.asarray(base.va_coef, dtype=np.float64)[None, :], T, axis=0)
    A_P = np.repeat(np.asarray(base.A0[P, :], dtype=np.float64)[None], T, axis=0)
    if cols.size:
        v[:, cols] -= D.sum(axis=1)
        for q, p in enumerate(P):
            hit = np.flatnonzero(rows == p)
            if hit.size:
                A_P[:, q, cols] += D[:, int(hit[0]), :]
    va = (v * x).reshape(T, R, -1).sum(axis=2)
    Z_P = A_P * x[:, None, :]
    Y_P = np.asarray(base.Y0[P, :])[None] * G[:, None, :C]
    EX_P = np.asarray(base.EX0[P])[None, :] * G[:, C][:, None]
    return Activity(x=x, XR=XR, G=G, va=va, Z_P=Z_P, Y_P=Y_P, EX_P=EX_P, A_rows=rows, A_cols=cols, D=D,
                    factorizations=factorizations, woodbury=woodbury, X0=tuple(X0s), X0_of_year=of_year,
                    MU=tuple(MUs), corr=tuple(corrs))


def intensities(base: RoadmapBase, levers: Sequence[ResolvedLever]) -> tuple[Arr, Arr]:
    """Direct intensity ``f`` (T × n, Mt per 10,000 yuan) and households' direct CO2 per
    unit of demand scale (T × C) under the levers."""
    f = np.array(base.f_base)
    hh = np.array(base.hh_unit)
    for lv in levers:
        kind = lv.lever.kind
        if kind == "intensity":
            f[:, lv.rows] *= lv.level[:, None]
            if lv.hh_cols.size:
                hh[:, lv.hh_cols] *= lv.level[:, None]
        elif kind == "power":
            f[:, lv.rows] *= (1.0 - lv.level)[:, None]
        elif kind == "electrification":
            f[:, lv.rows] *= 1.0 - lv.level[:, None] * base.combustion_share[lv.rows][None, :]
    return f, hh


def pathway(base: RoadmapBase, act: Activity, f: Arr, hh_unit: Arr, *, scenario: str,
            extra_cut: Arr | None = None) -> Pathway:
    """The accounts of one pathway from its activity and intensities (module doc)."""
    T, n, R = len(base.years), base.n, base.n_regions
    K = len(base.fd_categories)
    C = R * K
    cut = np.zeros(R) if extra_cut is None else np.asarray(extra_cut)
    if cut.any():
        steps = np.maximum(base.years - base.t_cal, 0).astype(np.float64)
        S = base.n_sectors
        f = f * np.repeat((1.0 - cut)[None, :] ** steps[:, None], S, axis=1)
    co2 = f * act.x
    hh_cols = hh_unit * act.G[:, :C]
    households = hh_cols.reshape(T, R, K).sum(axis=2)
    production = co2.reshape(T, R, -1).sum(axis=2)
    pba = production + households
    transfer = (f[:, :, None] * act.XR).reshape(T, R, n // R, R + 1).sum(axis=2)
    cba = transfer[:, :, :R].sum(axis=1) + households
    electricity = np.empty((T, R))
    for t in range(T):
        ea = reallocate_power_rows(co2[t], act.Z_P[t], act.Y_P[t], act.EX_P[t], act.x[t], base.power_rows)
        fd = np.asarray(ea.final_demand).reshape(R, K).sum(axis=1)
        electricity[t] = region_aggregate(np.asarray(ea.industry), R) + fd + households[t]
    for a in (f, co2, households, pba, cba, electricity, transfer):
        a.setflags(write=False)
    return Pathway(scenario=scenario, years=base.years, x=act.x, f=f, co2=co2, households=households, pba=pba,
                   cba=cba, electricity=electricity, transfer=transfer, va=act.va, extra_cut=cut)


def simulate(base: RoadmapBase, scenario: Scenario) -> tuple[Pathway, Activity, tuple[ResolvedLever, ...]]:
    """The scenario's pathway (no binding targets: see :mod:`viscarbon.roadmap.run`)."""
    levers = tuple(resolve_lever(lv, base, file=scenario.file or scenario.id) for lv in scenario.levers)
    act = activity(base, levers)
    f, hh = intensities(base, levers)
    return pathway(base, act, f, hh, scenario=scenario.id), act, levers
