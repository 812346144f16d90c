"""Kernels of the roadmap: year-by-year pathways through the IO model, low-rank updates of
the Leontief factor, the sectoral decarbonization approach (secda).

Notation (``docs/roadmap.md``): years ``t = t0 … T``; ``n = R·S`` region-sectors; ``x(t)``
gross output (10,000 yuan at t0 prices); ``f(t)`` direct CO2 intensity (Mt per 10,000 yuan
inside these kernels); ``A(t)`` technical coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.calc.leontief import LeontiefFactor, solve, solve_transposed

__all__ = [
    "WOODBURY_MAX_FRACTION",
    "LowRankFactor",
    "SecdaArrays",
    "annual_rates",
    "cumulative",
    "interpolate_anchors",
    "low_rank_factor",
    "ramp",
    "region_aggregate",
    "secda",
]

Arr = NDArray[np.float64]

#: Above this share of touched columns (k > n · fraction) a fresh LU is cheaper than the
#: Woodbury update (update: ~2n²k + k³/3 flops against n³/3 … 2n³/3 for a new factor).
WOODBURY_MAX_FRACTION = 1.0 / 6.0


def annual_rates(years: ArrayLike, from_years: ArrayLike, rates: ArrayLike) -> Arr:
    """A piecewise-constant rate per year: ``rates[k]`` from ``from_years[k]`` until the
    next entry (the last one holds to the end). Years before the first entry get 0."""
    y = np.asarray(years, dtype=np.int64)
    fy = np.asarray(from_years, dtype=np.int64)
    rv = np.asarray(rates, dtype=np.float64)
    idx = np.searchsorted(fy, y, side="right") - 1
    out = np.where(idx >= 0, rv[np.clip(idx, 0, len(rv) - 1)], 0.0)
    return readonly(out)


def cumulative(rates: ArrayLike) -> Arr:
    """Growth factors from yearly rates: ``c[0] = 1``, ``c[t] = c[t−1] · (1 + r[t])`` along
    axis 0 (the rate of the first year is ignored: it is the base year)."""
    r = np.asarray(rates, dtype=np.float64)
    f = 1.0 + r
    f[0] = 1.0
    out: Arr = np.cumprod(f, axis=0, dtype=np.float64)
    return readonly(out)


def ramp(years: ArrayLike, start: int, end: int, value: float) -> Arr:
    """A linear ramp: 0 up to ``start``, ``value`` from ``end`` on, linear in between."""
    y = np.asarray(years, dtype=np.float64)
    if end <= start:
        return readonly(np.where(y >= end, value, 0.0))
    return readonly(np.clip((y - start) / (end - start), 0.0, 1.0) * value)


def interpolate_anchors(years: ArrayLike, anchor_years: ArrayLike, values: ArrayLike) -> Arr:
    """Linear interpolation between anchors along axis 0 of ``values`` (anchors × …),
    held constant outside them."""
    y = np.asarray(years, dtype=np.float64)
    ay = np.asarray(anchor_years, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 1:
        return readonly(np.interp(y, ay, v))
    flat = v.reshape(v.shape[0], -1)
    out = np.stack([np.interp(y, ay, flat[:, j]) for j in range(flat.shape[1])], axis=1)
    return readonly(out.reshape((len(y), *v.shape[1:])))


def region_aggregate(values: ArrayLike, n_regions: int) -> Arr:
    """Sum region-major rows ``(…, R·S, …)`` over sectors: axis −2 when 2-D or more of
    shape (…, n, k), else the last axis. Returns (…, R[, k])."""
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 1:
        return readonly(v.reshape(n_regions, -1).sum(axis=1))
    shape = v.shape
    out = v.reshape((*shape[:-2], n_regions, shape[-2] // n_regions, shape[-1])).sum(axis=-2)
    return readonly(out)


@dataclass(frozen=True, eq=False)
class LowRankFactor:
    """``I − A`` after a low-rank change ``A = A0 + U Vᵀ`` (U, V: n × k), solved by the
    Sherman-Morrison-Woodbury identity on the factor of ``M = I − A0`` (Golub & Van Loan
    2013, §2.1.4):

    ``(M − U Vᵀ)⁻¹ b = z + MU · C⁻¹ (Vᵀ z)``,  ``z = M⁻¹b``,  ``MU = M⁻¹U``,  ``C = I_k − Vᵀ MU``.

    A change of k columns J is ``U = D`` (the new minus the old columns), ``V = E_J``; a
    change confined to k rows I is ``U = E_I``, ``V = Δᵀ``, and then ``MU`` (columns I of
    L) is the same every year. Cost: building ``C`` is ``n·k²`` plus a k × k LU (and k
    solves for ``MU`` when it is not given); each right-hand side costs ``n·k`` on top of
    ``z``, which callers may pass in precomputed. ``C`` is singular only if ``I − A`` is.
    """

    base: LeontiefFactor
    MU: Arr
    V: Arr
    U: Arr
    C: tuple[Arr, NDArray[np.int32]]
    _T: list[Arr] = field(default_factory=list)
    _CT: list[tuple[Arr, NDArray[np.int32]]] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return int(self.MU.shape[1])

    def solve(self, b: ArrayLike | None = None, *, z: Arr | None = None) -> Arr:
        """``(I − A)⁻¹ b`` for b (n,) or (n × m); ``z = M⁻¹b`` may be given instead of b."""
        if z is None:
            if b is None:
                raise ValueError("give b or z")
            z = np.asarray(solve(self.base, b))
        if self.rank == 0:
            return z
        corr = sla.lu_solve(self.C, self.V.T @ z, check_finite=False)
        return readonly(z + self.MU @ corr)

    def correction(self, z: Arr) -> Arr:
        """The k-row correction of :meth:`solve`: ``(I_k − VᵀM⁻¹U)⁻¹ Vᵀ z`` for ``z = M⁻¹b``,
        so that ``(I − A)⁻¹ b = z + MU @ correction(z)`` (k × m for z of n × m)."""
        if self.rank == 0:
            return np.zeros((0, *np.shape(z)[1:]))
        out: Arr = sla.lu_solve(self.C, self.V.T @ z, check_finite=False)
        return out

    def solve_transposed(self, f: ArrayLike) -> Arr:
        """``f (I − A)⁻¹`` for a row vector f (n,): with ``(I − A)ᵀ = Mᵀ − V Uᵀ``,
        ``w + M⁻ᵀV (I_k − Uᵀ M⁻ᵀ V)⁻¹ Uᵀ w``, ``w = M⁻ᵀ f`` (``M⁻ᵀV`` built on first use)."""
        w = np.asarray(solve_transposed(self.base, f))
        if self.rank == 0:
            return w
        if not self._T:
            MV = np.ascontiguousarray(solve_transposed(self.base, self.V.T).T)  # n × k
            self._T.append(MV)
            self._CT.append(sla.lu_factor(np.eye(self.rank) - self.U.T @ MV, check_finite=False))
        MV, CT = self._T[0], self._CT[0]
        corr = sla.lu_solve(CT, self.U.T @ w, check_finite=False)
        return readonly(w + MV @ corr)


def low_rank_factor(base: LeontiefFactor, U: ArrayLike, V: ArrayLike, *, MU: ArrayLike | None = None) -> LowRankFactor:
    """The Woodbury form of ``I − (A0 + U Vᵀ)`` on the factor of ``I − A0`` (see
    :class:`LowRankFactor`); ``MU = M⁻¹U`` when the caller has it (rows changed: the
    columns of L, reused every year)."""
    Um = np.asarray(U, dtype=np.float64).reshape(base.n, -1)
    Vm = np.asarray(V, dtype=np.float64).reshape(base.n, -1)
    k = Um.shape[1]
    if k == 0:
        return LowRankFactor(base=base, MU=Um, V=Vm, U=Um, C=(np.zeros((0, 0)), np.zeros(0, np.int32)))
    MUm = np.asarray(solve(base, Um)) if MU is None else np.asarray(MU, dtype=np.float64)
    C = sla.lu_factor(np.eye(k) - Vm.T @ MUm, check_finite=False)
    return LowRankFactor(base=base, MU=MUm, V=Vm, U=Um, C=C)


@dataclass(frozen=True, eq=False)
class SecdaArrays:
    """The sectoral decarbonization approach on arrays (t0 is index 0, the benchmark year
    the last index), intensities in any one unit (t CO2 per 10,000 yuan in the roadmap):

    * ``national`` (T × S) the national sector pathway ``I_s(t) = g_s(t) · I_s(t0)`` with
      ``I_s(t0) = Σ_p F_ps / Σ_p x_ps`` (the output-weighted mean of the provinces);
    * ``d`` (R × S) ``I_ps(t0) − I_s(T)``;
    * ``p`` (T × S) ``(I_s(t) − I_s(T)) / (I_s(t0) − I_s(T))`` (1 where the benchmark is
      flat);
    * ``m`` (T × R × S) ``min(1, [x_ps(t0)/x_s(t0)] / [x_ps(t)/x_s(t)])`` (1 where a
      province has no output of the sector);
    * ``target`` (T × R × S) ``d · p · m + I_s(T)``, and ``min(I_ps(t0), ·)`` where
      ``d < 0`` (never told to rise).
    """

    national: Arr
    d: Arr
    p: Arr
    m: Arr
    target: Arr


def secda(I0: ArrayLike, x0: ArrayLike, x: ArrayLike, g: ArrayLike) -> SecdaArrays:
    """Targets of the sectoral decarbonization approach (Krabbe et al. 2015, *Nature Climate
    Change* 5:1057; SBTi SDA): ``I_ps(t) = d · p(t) · m(t) + I_s(2060)`` (the convergence
    term is *added*).

    Shapes: ``I0`` (R × S) intensity at t0, ``x0`` (R × S) output at t0, ``x`` (T × R × S)
    output over the years (``x[0]`` = ``x0``), ``g`` (T × S) benchmark ratio ``I_s(t)/I_s(t0)``.
    Uncapped (m not limited to 1, d ≥ 0), ``Σ_p target_ps · x_ps = I_s(t) · Σ_p x_ps``: the
    provinces share the national budget exactly; with the cap the sum is at most that.
    """
    I0m = np.asarray(I0, dtype=np.float64)
    x0m = np.asarray(x0, dtype=np.float64)
    xm = np.asarray(x, dtype=np.float64)
    gm = np.asarray(g, dtype=np.float64)
    X0 = x0m.sum(axis=0)
    Is0 = np.divide((I0m * x0m).sum(axis=0), X0, out=np.zeros_like(X0), where=X0 > 0)
    national = gm * Is0[None, :]
    I_end = national[-1]
    d = I0m - I_end[None, :]
    denom = Is0 - I_end
    p = np.ones_like(national)
    np.divide(national - I_end[None, :], denom[None, :], out=p, where=np.abs(denom)[None, :] > 0)
    share0 = np.divide(x0m, X0[None, :], out=np.zeros_like(x0m), where=X0[None, :] > 0)
    Xt = xm.sum(axis=1)
    share = np.divide(xm, Xt[:, None, :], out=np.zeros_like(xm), where=Xt[:, None, :] > 0)
    m = np.ones_like(xm)
    np.divide(share0[None], share, out=m, where=share > 0)
    np.minimum(m, 1.0, out=m)
    target = d[None] * p[:, None, :] * m + I_end[None, None, :]
    target = np.where(d[None] < 0, np.minimum(I0m[None], target), target)
    return SecdaArrays(national=readonly(national), d=readonly(d), p=readonly(p), m=readonly(m),
                       target=readonly(target))
