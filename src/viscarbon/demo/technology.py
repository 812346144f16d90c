"""Province-specific technology of the demo: intra-provincial blocks calibrated to targets.

The national coefficients ``a^d_ij`` and the gravity trade shares ``t^{rs}_i`` give every
province the same intermediate structure (Chenery–Moses, Miller & Blair 2009, §3.3:
``A_(r,i),(s,j) = t^{rs}_i a^d_ij``). The real tables do not: each province has its own
dominant flows. Here the intra-provincial block of every using region ``s`` is set so
that its money flows hit targets ``Z*_s`` (the 88 largest real flows of 2012 and 2015,
``data/intra_targets_2012_2015.csv``; for 2017 derived from 2015, :func:`targets_2017`):

* target cell ``(i, j)``: ``A_(s,i),(s,j) = Z*_sij / x_sj`` (``x`` the output of the
  previous fitting round, 10,000 yuan), so that ``Z = A x̂`` reproduces the target when
  the output settles (a fixed point reached in :data:`FIT_ROUNDS` rounds);
* other intra cells: ``min(t^{ss}_i a^d_ij, φ · min Z*_s / x_sj)`` with
  ``φ =`` :data:`NONTARGET_SHARE`, so that no other cell enters the region's top 88;
  what is cut is bought from the other provinces instead (in their gravity shares), so
  the technology ``Σ_r A_(r,i),(s,j)`` of those cells is unchanged;
* column room: the domestic intermediate inputs of a column stay within
  ``λ (1 − m_j − va_j)`` (``λ =`` :data:`COLUMN_LIMIT`; ``m_j`` imported inputs,
  ``va_j`` VA001-VA003 per unit of output), so VA004 stays positive; the non-target
  inputs are scaled down first, the targets only if they alone do not fit.

Outputs follow through an output lever (:func:`output_levers`): where a column's target
inputs ``Σ_i Z*_sij`` would need more than :data:`OUTPUT_SHARE` of its room, the
region's supply capacity for product ``j`` in the gravity model is raised by the
shortfall, ``μ_sj ← μ_sj max(1, Σ_i Z*_sij / (ω (1 − m_j − va_j) x_sj))``.

Determinism: the only inputs that come from LAPACK/BLAS are the outputs ``x`` of the
fitting rounds, and they are rounded to 16 significant bits (:func:`round_bits`) before
use; everything here is element-wise IEEE arithmetic and reductions over non-contiguous
axes (a fixed order of element-wise additions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import DataError

__all__ = [
    "COLUMN_LIMIT",
    "FIT_ROUNDS",
    "NONTARGET_SHARE",
    "OUTPUT_SHARE",
    "ChangeRule",
    "output_levers",
    "parse_change_rules",
    "province_technology",
    "round_bits",
    "targets_2017",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

#: fitting rounds after the national start (each one LU factorisation of I − A)
FIT_ROUNDS: Final = 3
#: other intra-provincial cells are kept below this share of the region's smallest target
NONTARGET_SHARE: Final = 0.7
#: domestic intermediate inputs of a column at most this share of 1 − m_j − va_j
COLUMN_LIMIT: Final = 0.95
#: outputs are raised until the target inputs of a column need at most this share of it
OUTPUT_SHARE: Final = 0.6
#: non-target inputs of an over-full column are scaled down to no less than this share
REST_FLOOR: Final = 0.2

#: (kind, regions or None for all, sector index or None, factor); see targets_2017
ChangeRule = tuple[str, frozenset[str] | None, int | None, float]


def round_bits(x: F64, bits: int = 16) -> F64:
    """``x`` rounded to ``bits`` significant bits: ``m 2^e → ⌊m 2^bits⌉ 2^(e − bits)``.

    ``frexp``/``ldexp`` are exact, so the result depends on the last bits of ``x`` only
    when ``x`` lies within its rounding noise of a grid point (relative spacing 2^-16).
    """
    m, e = np.frexp(x)
    out: F64 = np.ldexp(np.rint(m * float(2**bits)), e - bits)
    return out


def province_technology(shares: F64, ad: F64, targets: I64, x: F64, room: F64) -> F64:
    """The MRIO coefficients with calibrated intra-provincial blocks (see the module docstring).

    Parameters: ``shares`` ``t[r, s, i]`` (R × R × S), ``ad`` national domestic
    coefficients ``a^d_ij`` (S × S, per unit), ``targets`` ``Z*[s, i, j]`` (R × S × S,
    10,000 yuan, 0 where the cell has no target), ``x`` outputs ``x[s, j]`` (R × S,
    10,000 yuan, > 0), ``room`` ``1 − m_j − va_j`` (S,). Returns ``A`` (n × n, n = R·S,
    per unit, rows ``(r, i)``, columns ``(s, j)``).
    """
    R, _, S = shares.shape
    # B[s, r, i, j] = t[r, s, i] a^d_ij: inputs of product i from r into (s, j)
    B = shares.transpose(1, 0, 2)[:, :, :, None] * ad[None, None, :, :]
    own = np.arange(R)
    intra = B[own, own].copy()  # (s, i, j)
    B[own, own] = 0.0
    mask = targets > 0
    big = np.iinfo(np.int64).max
    tmin = np.where(mask, targets, big).min(axis=(1, 2)).astype(np.float64)  # (s,)
    xs = x[:, None, :]  # (s, 1, j)
    nontarget = np.minimum(intra, NONTARGET_SHARE * tmin[:, None, None] / xs)
    excess = np.where(mask, 0.0, intra - nontarget)
    osum = B.sum(axis=1)  # (s, i, j), summed over suppliers r ≠ s
    grow = np.where(osum > 0, (osum + excess) / np.where(osum > 0, osum, 1.0), 1.0)
    B *= grow[:, None, :, :]
    new = np.where(mask, targets / xs, nontarget)
    tcol = np.where(mask, new, 0.0).sum(axis=1)  # (s, j)
    rest = np.where(mask, 0.0, new).sum(axis=1) + B.sum(axis=(1, 2))
    lim = COLUMN_LIMIT * room[None, :]
    over = tcol + rest > lim
    k_rest = np.where(over, np.clip((lim - tcol) / np.where(rest > 0, rest, 1.0), REST_FLOOR, 1.0),
                      1.0)
    left = lim - rest * k_rest
    k_tgt = np.where(tcol > left, left / np.where(tcol > 0, tcol, 1.0), 1.0)
    new = new * np.where(mask, k_tgt[:, None, :], k_rest[:, None, :])
    B *= k_rest[:, None, None, :]
    B[own, own] = new
    out: F64 = B.transpose(1, 2, 0, 3).reshape(R * S, R * S)  # rows (r, i), columns (s, j)
    return np.ascontiguousarray(out)


def output_levers(mu: F64, targets: I64, x: F64, room: F64) -> F64:
    """Raise the supply capacity ``μ`` (R × S) where the target inputs do not fit:
    ``μ_sj max(1, Σ_i Z*_sij / (ω (1 − m_j − va_j) x_sj))``, ``ω =`` :data:`OUTPUT_SHARE`."""
    need = targets.sum(axis=1).astype(np.float64)  # (s, j): exact integer sums
    ratio = need / (OUTPUT_SHARE * room[None, :] * x)
    out: F64 = mu * np.maximum(ratio, 1.0)
    return out


def targets_2017(base: I64, growth: F64, sectors: Sequence[str], regions: Sequence[str],
                 rules: Sequence[ChangeRule]) -> I64:
    """The 2017 targets of each region from its 2015 ones (assumptions, not data).

    ``Z*_2017,sij = c_s k_si Z*_2015,sij k_sj``, rounded to whole 10,000 yuan: a
    biproportional change of the 2015 block (row ``i`` and column ``j`` scaled by the
    sector factor ``k``, as in the RAS method of Miller & Blair 2009, §7.4), ``k`` the
    product of the matching ``sector`` rules (default 1), and
    ``c_s = τ_s Σ_ij Z*_2015,sij / Σ_ij k_si Z*_2015,sij k_sj`` so that the region's total
    changes by ``τ_s`` (its ``total`` rule, else its GRP growth ``growth[s]`` = GRP 2017 /
    GRP 2015). Shapes: ``base`` (R × S × S), ``growth`` (R,). Sums are exact
    (``math.fsum``), everything else element-wise.
    """
    R, S, _ = base.shape
    k = np.ones((R, S))
    tau = growth.astype(np.float64).copy()
    for kind, where, sector, factor in rules:
        rows = [r for r, c in enumerate(regions) if where is None or c in where]
        if kind == "total":
            tau[rows] = factor
        elif sector is not None:
            k[rows, sector] *= factor
    out = np.zeros_like(base)
    for s in range(R):
        mask = base[s] > 0
        raw = k[s][:, None] * base[s] * k[s][None, :]
        scale = tau[s] * math.fsum(base[s][mask].tolist()) / math.fsum(raw[mask].tolist())
        out[s] = np.where(mask, np.maximum(np.rint(raw * scale), 1.0), 0.0).astype(np.int64)
    return out


def parse_change_rules(rows: Sequence[Mapping[str, str]], sectors: Sequence[str],
                       regions: Sequence[str]) -> tuple[ChangeRule, ...]:
    """The rules of ``data/changes_2015_2017.csv`` (kind, regions, sector, factor)."""
    out: list[ChangeRule] = []
    for row in rows:
        kind = row["kind"].strip()
        codes = row["regions"].split()
        where = None if codes == ["*"] else frozenset(codes)
        if where is not None and not where <= set(regions):
            raise DataError(f"demo/data/changes_2015_2017.csv: unknown region in {dict(row)}")
        sector = sectors.index(row["sector"].strip()) if row["sector"].strip() else None
        if kind not in ("total", "sector") or (kind == "sector") != (sector is not None):
            raise DataError(f"demo/data/changes_2015_2017.csv: bad rule {dict(row)}",
                            hint="kind total (no sector) or sector (with a sector code)")
        out.append((kind, where, sector, float(row["factor"])))
    return tuple(out)
