"""Structural decomposition analysis (``sda``) of emissions ``f L y`` between two years.

(Not the sectoral decarbonization approach of the roadmap, which is ``secda``.)

For each destination ``d`` (a province's own final demand, or foreign exports) the
industry emissions driven by its final demand are ``E_d = f L y_d`` with, in year t,

* ``f_t`` (n,) direct intensity (Mt CO2 per 10,000 yuan),
* ``L_t = (I − A_t)⁻¹`` (n × n) the production structure,
* ``y_{d,t}`` (n,) over source region r and product j (index ``r·S + j``) written as::

      y_d[r, j] = level_d · mix_d[j] · sourcing_d[r, j]
      level_d        = Σ_{r,j} y_d[r, j]                 (scalar, 10,000 yuan)
      mix_d[j]       = Σ_r y_d[r, j] / level_d           (S,), Σ_j mix = 1
      sourcing_d[r,j]= y_d[r, j] / Σ_r' y_d[r', j]       (R × S), Σ_r sourcing[·, j] = 1

  (a product with no final demand in a year takes the other year's sourcing shares,
  or zeros if it has none in either; its mix is 0 so the corner values stay exact).

The change ``ΔE_d = E_d(1) − E_d(0)`` is split over the five factors
(intensity, production structure, product mix, regional sourcing, level) in that
order. Every decomposition evaluates ``E`` at vertices of the cube {0, 1}⁵ (each
factor from year 0 or 1): 32 vertices = 4 multipliers ``m_ab = f_a L_b`` times
8 final-demand vectors, so each vertex is one dot product.

* ``polar`` (default): the average of the two polar decompositions (Dietzenbacher &
  Los 1998; Miller & Blair 2009 §13.1): factor k's effect with the factors before it at
  year 0 and after it at year 1, and the mirror image.
* ``shapley``: the average over all 5! = 120 orderings (the Shapley value of the
  cooperative game over factors; Miller & Blair 2009 §13.1.3, de Boer 2008): with
  ``S`` the set of factors at year 1, ``effect_k = Σ_{S ∌ k} |S|!(4 − |S|)!/5! ·
  (E(S ∪ {k}) − E(S))``.

Both sum exactly to ``ΔE_d`` (up to rounding) by telescoping.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.errors import DataError

__all__ = [
    "SDA_FACTORS",
    "SDA_METHODS",
    "SDAArrays",
    "compose_final_demand",
    "decompose_final_demand",
    "decomposition_weights",
    "structural_decomposition",
]

Arr = NDArray[np.float64]
SDA_FACTORS: Final = ("intensity", "structure", "product_mix", "sourcing", "level")
SDA_METHODS: Final = ("polar", "shapley")
N_FACTORS: Final = len(SDA_FACTORS)
Method = Literal["polar", "shapley"]


def decompose_final_demand(Y: ArrayLike, *, n_regions: int, n_sectors: int) -> tuple[Arr, Arr, Arr]:
    """Split final-demand columns into level, product mix and regional sourcing.

    ``Y`` (n × D), n = R·S region-major, one column per destination. Returns
    ``level`` (D,) in the unit of ``Y``, ``mix`` (S × D) and ``sourcing`` (R × S × D)
    with ``Y[r·S + j, d] = level[d] · mix[j, d] · sourcing[r, j, d]`` (exactly, up to
    rounding). Products with no final demand get sourcing 0; a destination with zero
    level gets mix 0. See the module docstring.
    """
    Yarr = np.asarray(Y, dtype=np.float64)
    R, S = n_regions, n_sectors
    if Yarr.ndim != 2 or Yarr.shape[0] != R * S:
        raise DataError(f"final demand has shape {Yarr.shape}, expected ({R * S}, D)")
    D = Yarr.shape[1]
    Y3 = Yarr.reshape(R, S, D)
    product = Y3.sum(axis=0)  # S × D
    level = product.sum(axis=0)  # D
    with np.errstate(divide="ignore", invalid="ignore"):
        mix = np.where(level[None, :] != 0, product / np.where(level == 0, 1.0, level)[None, :], 0.0)
        sourcing = np.where(product[None, :, :] != 0,
                            Y3 / np.where(product == 0, 1.0, product)[None, :, :], 0.0)
    return level, mix, sourcing


def compose_final_demand(level: ArrayLike, mix: ArrayLike, sourcing: ArrayLike) -> Arr:
    """``Y[r·S + j, d] = level[d] · mix[j, d] · sourcing[r, j, d]`` (n × D)."""
    lv = np.asarray(level, dtype=np.float64)
    mx = np.asarray(mix, dtype=np.float64)
    sc = np.asarray(sourcing, dtype=np.float64)
    R, S, D = sc.shape
    out: Arr = (sc * (mx * lv[None, :])[None, :, :]).reshape(R * S, D)
    return out


def decomposition_weights(method: Method = "polar", *, n_factors: int = N_FACTORS) -> Arr:
    """Weights ``W`` (k × 2^k) with ``effects = W @ vertex_values``.

    Vertex ``v`` (bit ``i`` of ``v`` set = factor ``i`` at year 1) holds ``E`` with that
    mix of years. ``polar``: the mean of the two polar forms; ``shapley``: the mean over
    all k! orderings (built by enumerating them, so it is the definition, not a formula).
    Each row sums to 0 and ``W.sum(0)`` is ``−1`` at vertex 0, ``+1`` at the last vertex:
    the effects add up to ``E(1…1) − E(0…0)``.
    """
    k = n_factors
    W = np.zeros((k, 1 << k))
    if method == "polar":
        orders: list[tuple[int, ...]] = [tuple(range(k)), tuple(range(k - 1, -1, -1))]
    elif method == "shapley":
        orders = list(permutations(range(k)))  # k! orderings
    else:
        raise DataError(f"unknown sda method {method!r}", hint="use one of: " + ", ".join(SDA_METHODS))
    # an ordering switches the factors from year 0 to year 1 one after the other,
    # starting from the all-0 vertex; factor i's effect is E(S ∪ {i}) − E(S).
    # Ordering k−1 … 0 gives the first polar form (factors before i at year 0, after
    # it at year 1: Δf·L₁·y₁ + f₀·ΔL·y₁ + …); ordering 0 … k−1 its mirror image.
    for order in orders:
        state = 0
        for i in order:
            nxt = state | (1 << i)
            W[i, nxt] += 1.0
            W[i, state] -= 1.0
            state = nxt
    W /= len(orders)
    return W


@dataclass(frozen=True)
class SDAArrays:
    """Effects (5 × D) in the unit of ``E``, with ``E0``, ``E1`` (D,) and the 32 vertex values.

    ``effects.sum(0) == E1 − E0`` up to rounding; rows follow :data:`SDA_FACTORS`.
    """

    effects: Arr
    E0: Arr
    E1: Arr
    vertices: Arr
    method: str


def structural_decomposition(
    multipliers: ArrayLike,
    Y0: ArrayLike,
    Y1: ArrayLike,
    *,
    n_regions: int,
    n_sectors: int,
    method: Method = "polar",
) -> SDAArrays:
    """Five-factor structural decomposition of ``ΔE_d = f₁L₁y_{d,1} − f₀L₀y_{d,0}``.

    ``multipliers`` (2 × 2 × n): ``multipliers[a, b] = f_a L_b`` (total intensities
    with intensity from year ``a`` and structure from year ``b``; the caller computes
    them with each year's cached LU: ``(I − A_b)ᵀ mᵀ = f_aᵀ``). ``Y0``, ``Y1`` (n × D)
    final demand of each destination in the two years (10,000 yuan). Returns
    :class:`SDAArrays` (effects in the unit of ``f · y``, e.g. Mt CO2).
    Reference: Miller & Blair 2009 §13.1; Dietzenbacher & Los 1998.
    """
    M = np.asarray(multipliers, dtype=np.float64)
    n = n_regions * n_sectors
    if M.shape != (2, 2, n):
        raise DataError(f"sda multipliers have shape {M.shape}, expected (2, 2, {n})")
    Y0a, Y1a = np.asarray(Y0, dtype=np.float64), np.asarray(Y1, dtype=np.float64)
    if Y0a.ndim == 1:
        Y0a = Y0a[:, None]
    if Y1a.ndim == 1:
        Y1a = Y1a[:, None]
    if Y0a.shape != Y1a.shape or Y0a.shape[0] != n:
        raise DataError(f"sda final demand shapes differ or do not match n = {n}: {Y0a.shape} vs {Y1a.shape}")
    lv0, mx0, sc0 = decompose_final_demand(Y0a, n_regions=n_regions, n_sectors=n_sectors)
    lv1, mx1, sc1 = decompose_final_demand(Y1a, n_regions=n_regions, n_sectors=n_sectors)
    # products absent in one year borrow the other year's sourcing (see module docstring)
    has0 = sc0.sum(axis=0) != 0  # S × D
    has1 = sc1.sum(axis=0) != 0
    sc0 = np.where((~has0 & has1)[None], sc1, sc0)
    sc1 = np.where((~has1 & has0)[None], sc0, sc1)
    levels, mixes, sourcings = (lv0, lv1), (mx0, mx1), (sc0, sc1)
    D = Y0a.shape[1]
    V = np.empty((1 << N_FACTORS, D))
    # bit 0 intensity, 1 structure, 2 product mix, 3 sourcing, 4 level
    ys = {}
    for c in range(8):
        mix_t, src_t, lvl_t = (c >> 0) & 1, (c >> 1) & 1, (c >> 2) & 1
        ys[c] = compose_final_demand(levels[lvl_t], mixes[mix_t], sourcings[src_t])
    # the corners are the original data exactly
    ys[0] = Y0a
    ys[7] = Y1a
    for v in range(1 << N_FACTORS):
        a, b, c = v & 1, (v >> 1) & 1, v >> 2
        V[v] = M[a, b] @ ys[c]
    W = decomposition_weights(method)
    effects = W @ V
    return SDAArrays(
        effects=readonly(effects),
        E0=readonly(V[0].copy()),
        E1=readonly(V[-1].copy()),
        vertices=readonly(V),
        method=method,
    )
