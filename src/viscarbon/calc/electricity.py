"""Electricity-adjusted (scope 1 + purchased electricity) carbon accounts.

Chinese provincial targets count the CO2 of imported electricity. The emissions of the
power-and-heat sector of every region are reassigned to whoever uses its output, through
the MRIO's power-sector rows of ``Z``, ``Y`` and ``EX``, tracing power-to-power flows
(inter-provincial grid trade) first:

``c_p u_p = e_p + Σ_q c_q Z_qp``  for every power row ``p``  ⇔  ``(û_P − Z_PPᵀ) c = e``

where ``P`` are the power rows (one per region), ``e`` (|P|,) their direct CO2 (Mt),
``u_p = Σ_j Z_pj + Σ_c Y_pc + EX_p`` their deliveries (= gross output ``x_p`` when the row
balances; 10,000 yuan) and ``c`` (Mt per 10,000 yuan) the emission
factor of the power *delivered* by ``p``, including the power it bought from other grids
(the quasi-input-output grid model of Qu et al. 2017, *Applied Energy* 200:249,
after Miller & Blair 2009 §10.2). Every non-power user ``j`` then carries
``Σ_p c_p Z_pj``, every final-demand column ``c`` carries ``Σ_p c_p Y_pc`` and foreign
exports ``Σ_p c_p EX_p``; power sectors keep none of their own emissions. The total is
conserved exactly: ``Σ_j + Σ_c + exports = Σ_p e_p`` (proof in ``docs/math.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly

__all__ = ["ElectricityReallocation", "reallocate_electricity", "reallocate_power_rows"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ElectricityReallocation:
    """Arrays of the reallocation (Mt CO2 unless stated).

    * ``power_rows`` (|P|,) the row indices of the power sectors.
    * ``factor`` (|P|,) delivered-power emission factor ``c``, Mt per 10,000 yuan.
    * ``industry`` (n,) direct CO2 of non-power sectors plus the power CO2 embodied in
      their electricity purchases; 0 for power rows.
    * ``final_demand`` (R·K,) power CO2 embodied in each final-demand column's purchases.
    * ``exports`` (n,) power CO2 embodied in foreign exports of power (non-zero on power rows).
    """

    power_rows: NDArray[np.intp]
    factor: Arr
    industry: Arr
    final_demand: Arr
    exports: Arr


def reallocate_electricity(
    F: ArrayLike,
    Z: ArrayLike,
    Y: ArrayLike,
    EX: ArrayLike,
    x: ArrayLike,
    power_rows: ArrayLike,
) -> ElectricityReallocation:
    """Reassign the CO2 of the power rows to the users of their output (see module doc).

    Shapes: ``F`` (n,) Mt; ``Z`` (n × n), ``Y`` (n × C), ``EX`` (n,), ``x`` (n,) 10,000 yuan;
    ``power_rows`` integer indices (|P|,). Power rows with zero output and zero emissions
    are ignored; a power row with emissions but no output cannot pass them on and is an
    error (``ValueError``). Conservation: ``industry.sum() + final_demand.sum() +
    exports.sum() == F.sum()``.
    """
    P = np.asarray(power_rows, dtype=np.intp)
    Zm = np.asarray(Z, dtype=np.float64)
    Ym = np.asarray(Y, dtype=np.float64)
    return reallocate_power_rows(F, Zm[P, :], Ym[P, :], np.asarray(EX, dtype=np.float64)[P], x, P)


def reallocate_power_rows(
    F: ArrayLike,
    Z_P: ArrayLike,
    Y_P: ArrayLike,
    EX_P: ArrayLike,
    x: ArrayLike,
    power_rows: ArrayLike,
) -> ElectricityReallocation:
    """:func:`reallocate_electricity` from the power rows only: ``Z_P`` (|P| × n),
    ``Y_P`` (|P| × C), ``EX_P`` (|P|,) are the rows of ``Z``, ``Y``, ``EX`` at
    ``power_rows`` (the roadmap builds just these rows for every projected year)."""
    Fv = np.asarray(F, dtype=np.float64)
    ZP = np.asarray(Z_P, dtype=np.float64)
    YP = np.asarray(Y_P, dtype=np.float64)
    EXP = np.asarray(EX_P, dtype=np.float64)
    xv = np.asarray(x, dtype=np.float64)
    P = np.asarray(power_rows, dtype=np.intp)
    e = Fv[P]
    # deliveries u_p = Σ_j Z_pj + Σ_c Y_pc + EX_p (= x_p when the row balances): using the
    # row sums makes the conservation identity exact to rounding.
    xp = ZP.sum(axis=1) + YP.sum(axis=1) + EXP
    xp = np.where(xv[P] > 0, xp, 0.0)
    if np.any((xp <= 0) & (e != 0)):
        k = int(np.flatnonzero((xp <= 0) & (e != 0))[0])
        raise ValueError(f"power row {int(P[k])} has emissions but no output")
    active = xp > 0
    c = np.zeros(P.shape[0])
    if active.any():
        Pa = P[active]
        M = np.diag(xp[active]) - ZP[np.ix_(np.flatnonzero(active), Pa)].T
        c[active] = sla.solve(M, Fv[Pa], check_finite=False)
    industry = Fv.copy()
    industry[P] = 0.0
    industry += c @ ZP
    industry[P] = 0.0
    exports = np.zeros_like(Fv)
    exports[P] = c * EXP
    return ElectricityReallocation(
        power_rows=P,
        factor=readonly(c),
        industry=readonly(industry),
        final_demand=readonly(c @ YP),
        exports=readonly(exports),
    )
