"""Key sectors and structural paths at city scale, without forming ``L``. Pure numpy/scipy.

Linkages (Rasmussen 1956; Miller & Blair 2009 §12.1.2, the definitions of
:mod:`viscarbon.calc.leontief` and :mod:`viscarbon.calc.keysectors`):

* backward ``BL = n · 1ᵀL / (1ᵀL1)``: ``1ᵀL`` is one transposed solve ``(I − A)ᵀ hᵀ = 1``;
* forward ``FL = n · G1 / (1ᵀG1)`` with the Ghosh inverse ``G = (I − B)⁻¹``,
  ``B = x̂⁻¹ Z``; since ``B = x̂⁻¹ A x̂``, ``G1 = x̂⁻¹ L x`` (Miller & Blair 2009, eq. 12.12):
  one solve of the output-coefficient system. Zero-output sectors: ``(G1)_i = 1``.

Structural paths (Miller & Blair 2009 §6.8; Lenzen 2003; the tree search of
:mod:`viscarbon.calc.spa`): ``value(i_k ← … ← i_0) = f_{i_k} A_{i_k i_{k−1}} … A_{i_1 i_0} y_{i_0}``;
a node of output weight ``w`` at sector ``i`` bounds its whole subtree by ``m_i w``
(``m = f L``, one transposed solve), so a child ``j`` is pruned when
``m_j A_ji w < τ``. Here ``A`` is held sparse (CSC): each column's non-zero children are
sorted once by ``m_j A_ji`` (``O(nnz log nnz)`` time, ``24 · nnz`` bytes), instead of
the dense ``n × n`` tables of :func:`viscarbon.calc.spa.sorted_children`
(3 × 1.38 GB at 13,146 sectors).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.calc.leontief import normalised_linkages
from viscarbon.calc.scale import Solver
from viscarbon.calc.spa import SPAArrays, assemble_paths
from viscarbon.errors import DataError

__all__ = ["ScaleLinkages", "SparseChildren", "scale_linkages", "sparse_children", "sparse_structural_paths"]

Arr = NDArray[np.float64]
IntArr = NDArray[np.int64]


@dataclass(frozen=True)
class ScaleLinkages:
    """``column_sums = 1ᵀL`` and ``ghosh_row_sums = G1`` (n,), and their Rasmussen
    normalisations ``backward``, ``forward`` (dimensionless, mean 1)."""

    column_sums: Arr
    ghosh_row_sums: Arr
    backward: Arr
    forward: Arr


def scale_linkages(solver: Solver, x: ArrayLike) -> ScaleLinkages:
    """Backward and forward linkages with two solves on ``solver`` (module docstring;
    Miller & Blair 2009 §12.1.2, eqs. 12.3 and 12.5). ``x`` (n,) gross output, 10,000 yuan."""
    xv = np.asarray(x, dtype=np.float64)
    om = np.asarray(solver.solve_transposed(np.ones(solver.n)))
    Lx = np.asarray(solver.solve(xv))
    g = np.ones_like(xv)
    np.divide(Lx, xv, out=g, where=xv != 0)
    return ScaleLinkages(column_sums=readonly(om.copy()), ghosh_row_sums=readonly(g),
                         backward=normalised_linkages(om), forward=normalised_linkages(g))


@dataclass(frozen=True)
class SparseChildren:
    """The positive children of every parent, sorted: for parent ``i`` the entries
    ``indptr[i]:indptr[i+1]`` hold the sectors ``index`` and ``A_ji`` (``coef``) in
    decreasing order of ``m_j A_ji``; ``neg_keys = −m_j A_ji`` (ascending)."""

    indptr: IntArr
    index: IntArr
    coef: Arr
    neg_keys: Arr

    @property
    def n(self) -> int:
        return int(self.indptr.size - 1)


def sparse_children(A: sp.sparray | sp.spmatrix, m: ArrayLike) -> SparseChildren:
    """Sort each column of ``m_j A_ji`` (``A`` sparse n × n, ``m`` (n,) ≥ 0) once; entries
    with ``m_j A_ji ≤ 0`` are dropped (a negative coefficient is not followed, as in
    :func:`viscarbon.calc.spa.sorted_children`)."""
    Ac = sp.csc_array(A, dtype=np.float64)
    Ac.sum_duplicates()
    mv = np.asarray(m, dtype=np.float64)
    n = Ac.shape[0]
    if Ac.shape != (n, n) or mv.shape != (n,):
        raise DataError(f"SPA needs A (n × n) and m (n,); got {Ac.shape} and {mv.shape}")
    col = np.repeat(np.arange(n, dtype=np.int64), np.diff(Ac.indptr))
    rows = Ac.indices.astype(np.int64)
    key = mv[rows] * Ac.data
    keep = key > 0
    col, rows, key, coef = col[keep], rows[keep], key[keep], Ac.data[keep]
    order = np.lexsort((-key, col))
    counts = np.bincount(col, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return SparseChildren(indptr=readonly(indptr), index=readonly(rows[order]), coef=readonly(coef[order]),
                          neg_keys=readonly(-key[order]))


def _count_above(ch: SparseChildren, parents: IntArr, limit: Arr) -> IntArr:
    """Children ``k`` of each parent with ``m_j A_ji ≥ limit`` (binary search per parent)."""
    lo = np.zeros(parents.size, dtype=np.int64)
    hi = ch.indptr[parents + 1] - ch.indptr[parents]
    base = ch.indptr[parents]
    key = -limit
    last = max(ch.neg_keys.size - 1, 0)
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        pos = np.minimum(base + mid, last)
        go = ch.neg_keys[pos] <= key if ch.neg_keys.size else np.zeros(parents.size, dtype=bool)
        lo = np.where(active & go, mid + 1, lo)
        hi = np.where(active & ~go, mid, hi)


def sparse_structural_paths(children: SparseChildren, f: ArrayLike, m: ArrayLike, y: ArrayLike, *,
                            max_depth: int = 6, threshold: float, top: int | None = 100,
                            max_nodes: int = 5_000_000) -> SPAArrays:
    """The paths of ``f L y`` above ``threshold`` (``> 0``, in the unit of ``f · y``, Mt),
    depth ``≤ max_depth``, the largest ``top`` first, as :func:`viscarbon.calc.spa.structural_paths`
    returns them (:class:`~viscarbon.calc.spa.SPAArrays`) but on :class:`SparseChildren`.
    ``f`` direct, ``m = f L`` total intensity, ``y`` the target's final demand (n,).
    Miller & Blair 2009 §6.8. Raises :class:`~viscarbon.errors.DataError` beyond ``max_nodes``."""
    f_arr = np.asarray(f, dtype=np.float64)
    m_arr = np.asarray(m, dtype=np.float64)
    y_arr = np.asarray(y, dtype=np.float64)
    n = children.n
    if f_arr.shape != (n,) or m_arr.shape != (n,) or y_arr.shape != (n,):
        raise DataError(f"SPA needs f, m and y of length {n}; got {f_arr.shape}, {m_arr.shape}, {y_arr.shape}")
    if max_depth < 0:
        raise DataError(f"SPA depth must be ≥ 0, got {max_depth}")
    if not (threshold > 0 and np.isfinite(threshold)):
        raise DataError(f"SPA threshold at scale must be a finite number > 0, got {threshold}")
    total = float(m_arr @ y_arr)
    roots = np.flatnonzero((y_arr != 0) & (np.abs(m_arr * y_arr) >= threshold)).astype(np.int64)
    level_sector = [roots]
    level_weight = [y_arr[roots]]
    level_parent = [np.full(roots.size, -1, dtype=np.int64)]
    n_nodes = int(roots.size)
    for _ in range(max_depth):
        sec, w = level_sector[-1], level_weight[-1]
        if sec.size == 0:
            break
        aw = np.abs(w)
        with np.errstate(divide="ignore"):
            limit = np.where(aw > 0, threshold / aw, np.inf)
        cnt = _count_above(children, sec, limit)
        n_new = int(cnt.sum())
        n_nodes += n_new
        if n_nodes > max_nodes:
            raise DataError(
                f"structural path analysis would visit more than {max_nodes:,} tree nodes "
                f"(depth {len(level_sector)}, threshold {threshold:.3g})",
                hint="raise --threshold or lower --depth",
            )
        parent = np.repeat(np.arange(sec.size, dtype=np.int64), cnt)
        start = np.cumsum(cnt) - cnt
        offset = np.arange(n_new, dtype=np.int64) - np.repeat(start, cnt)
        pos = children.indptr[sec[parent]] + offset
        level_sector.append(children.index[pos])
        level_weight.append(children.coef[pos] * w[parent])
        level_parent.append(parent)
    values_l, depth_l, pos_l = [], [], []
    for k, (sec, w) in enumerate(zip(level_sector, level_weight, strict=True)):
        v = f_arr[sec] * w
        keep = np.flatnonzero(np.abs(v) >= threshold)
        values_l.append(v[keep])
        depth_l.append(np.full(keep.size, k, dtype=np.int64))
        pos_l.append(keep)
    return assemble_paths(values_l, depth_l, pos_l, level_sector, level_parent, max_depth=max_depth, top=top,
                          total=total, n_nodes=n_nodes)
