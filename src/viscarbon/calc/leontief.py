"""Leontief and Ghosh kernels: pure numpy/scipy arrays in, arrays out.

Symbols follow ``docs/terminology.md`` (Miller & Blair 2009, *Input-Output Analysis*,
2nd ed., ch. 2, 6 and 12):

* ``Z`` (n × n) intermediate flows, 10,000 yuan; ``x`` (n,) gross output, 10,000 yuan.
* ``A = Z x̂⁻¹`` technical coefficients (dimensionless), ``L = (I − A)⁻¹`` the Leontief
  inverse; ``B = x̂⁻¹ Z`` allocation coefficients, ``G = (I − B)⁻¹`` the Ghosh inverse.
* ``f`` (n,) direct CO2 intensity, t CO2 per 10,000 yuan; ``m = f L`` total (embodied)
  intensity ("multiplier"); ``m − f`` its upstream part.

Solve, don't invert: :func:`factorize` LU-factorises ``I − A`` once
(``scipy.linalg.lu_factor``) and every demand vector or matrix is then a pair of
triangular solves (:func:`solve`); row-vector products such as ``m = f L`` are the
transposed system ``(I − A)ᵀ mᵀ = fᵀ`` (:func:`solve_transposed`). The dense inverse is
formed only where it *is* the product (:func:`leontief_inverse`, e.g. a province's 42 × 42
block or the textbook example).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly

__all__ = [
    "LeontiefFactor",
    "allocation_coefficients",
    "backward_linkages",
    "direct_intensity",
    "factorize",
    "forward_linkages",
    "ghosh_inverse",
    "ghosh_row_sums",
    "leontief_inverse",
    "multipliers",
    "normalised_linkages",
    "output_multipliers",
    "reciprocal",
    "solve",
    "solve_transposed",
    "technical_coefficients",
    "upstream_intensity",
]

Arr = NDArray[np.float64]

#: Mt → t: ``f = 1e6 · F / x`` gives t CO2 per 10,000 yuan when ``F`` is in Mt.
MT_TO_T = 1.0e6


def reciprocal(x: ArrayLike) -> Arr:
    """``1/x`` with ``0`` where ``x == 0`` (empty sectors have no coefficients)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def technical_coefficients(Z: ArrayLike, x: ArrayLike) -> Arr:
    """Technical coefficients ``A = Z x̂⁻¹`` (Miller & Blair 2009, eq. 2.4).

    ``A_ij = Z_ij / x_j``: the input from ``i`` per unit of output of ``j``
    (dimensionless, 10,000 yuan per 10,000 yuan). Columns of zero-output (empty) sectors
    are 0.

    Shapes: ``Z`` (n × n), ``x`` (n,) → ``A`` (n × n).
    """
    Zm = np.asarray(Z, dtype=np.float64)
    return readonly(Zm * reciprocal(np.asarray(x, dtype=np.float64))[None, :])


def allocation_coefficients(Z: ArrayLike, x: ArrayLike) -> Arr:
    """Ghosh allocation coefficients ``B = x̂⁻¹ Z`` (Miller & Blair 2009, eq. 12.8).

    ``B_ij = Z_ij / x_i``: the share of ``i``'s output sold to ``j``. Rows of zero-output
    sectors are 0. Shapes: ``Z`` (n × n), ``x`` (n,) → ``B`` (n × n).
    """
    Zm = np.asarray(Z, dtype=np.float64)
    return readonly(reciprocal(np.asarray(x, dtype=np.float64))[:, None] * Zm)


@dataclass(frozen=True, eq=False)
class LeontiefFactor:
    """The LU factorisation of ``I − A`` (``scipy.linalg.lu_factor``), reused for every
    solve. ``n`` is the order of the system. Treat as immutable: the arrays are read-only.
    """

    lu: Arr
    piv: NDArray[np.int32]
    n: int


def factorize(A: ArrayLike) -> LeontiefFactor:
    """Factorise ``I − A = P L_u U`` once (partial pivoting, O(n³/3) flops).

    Shapes: ``A`` (n × n). The factor solves ``(I − A) X = Y`` and ``(I − A)ᵀ X = Y`` for any
    right-hand side with two triangular solves (O(n²) per column). Reference: Miller &
    Blair 2009, §2.3 (the Leontief inverse); Golub & Van Loan 2013, §3.4 (LU).
    """
    Am = np.asarray(A, dtype=np.float64)
    n = Am.shape[0]
    if Am.shape != (n, n):
        raise ValueError(f"A must be square, got shape {Am.shape}")
    # I − A built once in Fortran order so LAPACK factorises it in place (no extra copy)
    M = np.empty((n, n), order="F")
    np.negative(Am, out=M)
    M[np.diag_indices(n)] += 1.0
    lu, piv = sla.lu_factor(M, overwrite_a=True, check_finite=False)
    lu.setflags(write=False)
    piv.setflags(write=False)
    return LeontiefFactor(lu=lu, piv=piv, n=n)


def solve(factor: LeontiefFactor, y: ArrayLike) -> Arr:
    """``x = L y = (I − A)⁻¹ y`` by the LU factor (Miller & Blair 2009, eq. 2.11).

    ``y`` is a demand vector (n,) or matrix (n × k) in 10,000 yuan; the result has the same
    shape and unit (gross output required to deliver ``y``).
    """
    out = sla.lu_solve((factor.lu, factor.piv), np.asarray(y, dtype=np.float64), check_finite=False)
    return readonly(out)


def solve_transposed(factor: LeontiefFactor, f: ArrayLike) -> Arr:
    """Row-vector products ``m = f L`` via ``(I − A)ᵀ mᵀ = fᵀ`` (``lu_solve`` ``trans=1``).

    ``f`` is (n,) or (k × n) (k row vectors); returns the same shape. With ``f`` a direct
    intensity this is the total (embodied) intensity ``m = f L`` (Miller & Blair 2009,
    §6.3, eq. 6.4 "total impact multipliers").
    """
    fm = np.asarray(f, dtype=np.float64)
    if fm.ndim == 1:
        return readonly(sla.lu_solve((factor.lu, factor.piv), fm, trans=1, check_finite=False))
    out = sla.lu_solve((factor.lu, factor.piv), fm.T, trans=1, check_finite=False)
    return readonly(np.ascontiguousarray(out.T))


def leontief_inverse(A: ArrayLike) -> Arr:
    """The dense Leontief inverse ``L = (I − A)⁻¹`` (Miller & Blair 2009, eq. 2.10).

    Use only where ``L`` itself is the product (a 42 × 42 province block, the carbon
    network, the textbook example); for demand vectors use :func:`solve`.
    Shapes: ``A`` (n × n) → ``L`` (n × n), dimensionless.
    """
    factor = factorize(A)
    return solve(factor, np.eye(factor.n))


def direct_intensity(F: ArrayLike, x: ArrayLike, *, scale: float = MT_TO_T) -> Arr:
    """Direct emission intensity ``f = scale · F x̂⁻¹`` (Miller & Blair 2009, eq. 10.2).

    With ``F`` in Mt CO2 and ``x`` in 10,000 yuan the default ``scale = 1e6`` gives
    t CO2 per 10,000 yuan. ``F`` is (n,) or (k × n) → same shape; zero-output sectors get 0.
    (pymrio calls this ``S``.)
    """
    Fm = np.asarray(F, dtype=np.float64)
    return readonly(scale * Fm * reciprocal(np.asarray(x, dtype=np.float64)))


def multipliers(factor: LeontiefFactor, f: ArrayLike) -> Arr:
    """Total intensity (multiplier) ``m = f L`` (Miller & Blair 2009, §6.3).

    ``m_j`` is the CO2 emitted along the whole supply chain per unit of final demand of
    ``j`` (same unit as ``f``, e.g. t CO2 per 10,000 yuan). (pymrio: ``M``.)
    Shapes: ``f`` (n,) or (k × n) → same.
    """
    return solve_transposed(factor, f)


def upstream_intensity(m: ArrayLike, f: ArrayLike) -> Arr:
    """Upstream (indirect) part of the multiplier ``m − f`` (Miller & Blair 2009, §6.3:
    total minus direct effects). Same shape and unit as ``m``."""
    return readonly(np.asarray(m, dtype=np.float64) - np.asarray(f, dtype=np.float64))


def output_multipliers(factor: LeontiefFactor) -> Arr:
    """Simple output multipliers ``o = 1ᵀ L`` (column sums of ``L``; Miller & Blair 2009,
    eq. 6.1): gross output of the whole system per unit of final demand of ``j``
    (dimensionless, (n,))."""
    return solve_transposed(factor, np.ones(factor.n))


def ghosh_row_sums(factor: LeontiefFactor, x: ArrayLike) -> Arr:
    """Row sums of the Ghosh inverse ``g = G 1`` without forming ``G`` (n,).

    Because ``B = x̂⁻¹ A x̂``, ``G = (I − B)⁻¹ = x̂⁻¹ L x̂`` (Miller & Blair 2009, eq. 12.12),
    so ``G 1 = x̂⁻¹ L x``: one solve with the Leontief factor already at hand. For a
    zero-output sector ``B``'s row is 0 and ``G``'s row is the unit vector, so ``g_i = 1``.
    Dimensionless: output of the system enabled per unit of primary input into ``i``.
    """
    xv = np.asarray(x, dtype=np.float64)
    Lx = solve(factor, xv)
    g = np.ones_like(xv)
    np.divide(Lx, xv, out=g, where=xv != 0)
    return readonly(g)


def ghosh_inverse(Z: ArrayLike, x: ArrayLike) -> Arr:
    """The dense Ghosh inverse ``G = (I − B)⁻¹``, ``B = x̂⁻¹ Z`` (Miller & Blair 2009,
    eq. 12.11), for small blocks only; the supply-side model is ``x' = v' G``.
    Shapes: ``Z`` (n × n), ``x`` (n,) → ``G`` (n × n), dimensionless."""
    return leontief_inverse(allocation_coefficients(Z, x))


def normalised_linkages(sums: ArrayLike) -> Arr:
    """Rasmussen normalisation ``n · s_j / Σ_k s_k`` of linkage sums ``s`` (n,)
    (Miller & Blair 2009, §12.1.2): the mean over the ``n`` sectors becomes 1; all zeros
    when ``Σ s = 0``. With ``s = 1ᵀL`` (:func:`output_multipliers`) this is the backward
    linkage, with ``s = G1`` (:func:`ghosh_row_sums`) the forward linkage; pass sums already
    at hand instead of solving again. Dimensionless, (n,)."""
    s = np.asarray(sums, dtype=np.float64)
    n = s.shape[0]
    total = float(s.sum())
    if total == 0.0:
        return readonly(np.zeros_like(s))
    return readonly(s * (n / total))


def backward_linkages(factor: LeontiefFactor) -> Arr:
    """Normalised Rasmussen backward linkages (Miller & Blair 2009, §12.1.2, eq. 12.3):

    ``BL_j = (Σ_i L_ij / n) / (Σ_ij L_ij / n²) = n · (1ᵀL)_j / (1ᵀL1)``.

    ``BL_j > 1``: sector ``j`` pulls more than the average sector on its suppliers.
    Dimensionless, (n,).
    """
    return normalised_linkages(output_multipliers(factor))


def forward_linkages(factor: LeontiefFactor, x: ArrayLike) -> Arr:
    """Normalised forward linkages from the Ghosh inverse (Miller & Blair 2009, §12.1.2,
    eq. 12.5): ``FL_i = n · (G1)_i / (1ᵀG1)``; ``FL_i > 1``: sector ``i``'s output is
    used more widely than the average sector's. Dimensionless, (n,)."""
    return normalised_linkages(ghosh_row_sums(factor, x))
