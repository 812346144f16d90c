"""Structural path analysis (SPA): the largest supply-chain paths behind a final demand.

Symbols (``docs/terminology.md``): ``A`` (n × n) technical coefficients
(10,000 yuan per 10,000 yuan), ``f`` (n,) direct emission intensity, ``m = f L`` (n,) total
(direct + upstream) intensity, ``y`` (n,) the target's final demand (10,000 yuan).

The power-series expansion of the Leontief inverse ``L = I + A + A² + …`` splits the
emissions ``f L y`` into paths (Miller & Blair 2009, §6.8; Lenzen 2003; Peters &
Hertwich 2006)::

    value(i_k ← … ← i_1 ← i_0) = f_{i_k} · A_{i_k i_{k-1}} · … · A_{i_1 i_0} · y_{i_0}

``i_0`` is the sector whose final demand is served, ``i_k`` the sector that emits, ``k``
the depth (number of ``A`` factors). The search walks the tree level by level; the
subtree below node ``(…, i_k)`` with output weight ``w = A_{i_k i_{k-1}} … y_{i_0}``
holds exactly ``m_{i_k} · w`` of emissions (all paths through that node, any depth), so
a child is pruned when ``m_j · A_{j i_k} · w < threshold``: nothing below it can reach the
threshold, and the pruned mass is known. Children are expanded for a whole level at
once: each column of ``m_j A_ji`` is sorted once, so the children above the threshold
of node ``(i, w)`` are a prefix found by a vectorised binary search.

The bound needs ``A ≥ 0`` and ``f ≥ 0`` (so ``m ≥ f ≥ 0``), as in CEADs tables; a
negative coefficient (rare) is not followed, so its paths are left out of ``found``.

Units: path values are in the unit of ``f · y``; with ``f`` in Mt CO2 per 10,000 yuan
and ``y`` in 10,000 yuan they are Mt CO2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.errors import DataError

__all__ = ["SPAArrays", "SortedChildren", "assemble_paths", "sorted_children", "structural_paths"]

Arr = NDArray[np.float64]
IntArr = NDArray[np.int64]


@dataclass(frozen=True)
class SortedChildren:
    """Columns of ``C_ji = m_j · A_ji`` sorted in decreasing order, one row per parent.

    ``keys[i, k]`` is the ``k``-th largest ``m_j A_ji`` over ``j`` (negated, so each row is
    ascending for binary search), ``index[i, k]`` the matching ``j``; ``count[i]`` the
    number of positive entries of column ``i``. Built once per (A, m) and reused for every
    target (it depends on neither ``y`` nor the threshold).
    """

    neg_keys: Arr
    index: IntArr
    count: IntArr
    AT: Arr


def sorted_children(A: ArrayLike, m: ArrayLike) -> SortedChildren:
    """Sort each column of ``m_j · A_ji`` (shape n × n) once for fast child expansion.

    ``A`` (n × n), ``m`` (n,) total intensities (non-negative). Cost: one
    ``argsort`` of n² numbers (≈ 0.1 s for n = 1302).
    """
    A_arr = np.asarray(A, dtype=np.float64)
    m_arr = np.asarray(m, dtype=np.float64)
    n = A_arr.shape[0]
    if A_arr.shape != (n, n) or m_arr.shape != (n,):
        raise DataError(f"SPA needs A (n × n) and m (n,); got {A_arr.shape} and {m_arr.shape}")
    AT = np.ascontiguousarray(A_arr.T)
    C = AT * m_arr[None, :]  # C[i, j] = m_j A_ji: row i = children of parent i
    order = np.argsort(-C, axis=1, kind="stable")
    neg = -np.take_along_axis(C, order, axis=1)
    count = (neg < 0).sum(axis=1).astype(np.int64)
    return SortedChildren(
        neg_keys=readonly(np.ascontiguousarray(neg)),
        index=readonly(order.astype(np.int64)),
        count=readonly(count),
        AT=readonly(AT),
    )


@dataclass(frozen=True)
class SPAArrays:
    """All paths found (|value| ≥ threshold, depth ≤ max_depth), largest |value| first.

    ``values`` (P,) path values; ``depths`` (P,); ``nodes`` (P × (max_depth+1)) the
    sectors ``i_0, i_1, …, i_k`` of each path padded with −1 (``i_0`` = the final-demand
    sector, ``i_k`` = the emitting sector); ``total`` = ``m · y`` (the target's emissions);
    ``found`` = sum of all paths above the threshold (``≤ total``), ``n_nodes`` the
    number of tree nodes visited, ``truncated`` whether ``top`` cut the list.
    """

    values: Arr
    depths: IntArr
    nodes: IntArr
    total: float
    found: float
    n_nodes: int
    n_paths: int
    truncated: bool


def _count_above(neg_keys: Arr, count: IntArr, parents: IntArr, limit: Arr) -> IntArr:
    """Number of children ``k`` of each parent with ``−neg_keys[parent, k] ≥ limit``.

    Vectorised binary search over the sorted rows (side="right" on the negated keys).
    """
    lo = np.zeros(parents.size, dtype=np.int64)
    hi = count[parents].copy()
    key = -limit
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        mid_c = np.minimum(mid, neg_keys.shape[1] - 1)
        go = neg_keys[parents, mid_c] <= key
        lo = np.where(active & go, mid + 1, lo)
        hi = np.where(active & ~go, mid, hi)


def structural_paths(
    A: ArrayLike,
    f: ArrayLike,
    m: ArrayLike,
    y: ArrayLike,
    *,
    max_depth: int = 6,
    threshold: float = 0.0,
    top: int | None = 100,
    children: SortedChildren | None = None,
    max_nodes: int = 5_000_000,
) -> SPAArrays:
    """Enumerate the supply-chain paths of ``f L y`` above ``threshold`` (Miller & Blair §6.8).

    Parameters: ``A`` (n × n), ``f`` (n,) direct intensity, ``m`` (n,) total intensity
    ``m = f L`` (used to bound subtrees; must be ``≥ f`` elementwise for a productive
    ``A`` with ``f ≥ 0``), ``y`` (n,) the target's final demand. ``max_depth`` the largest
    ``k``; ``threshold`` an absolute value in the unit of ``f · y`` (0 enumerates every
    path: ``n^k`` of them, small systems only). ``top`` keeps the largest paths (``None``
    keeps all). ``children`` reuses :func:`sorted_children` across targets.

    Returns :class:`SPAArrays`. With threshold 0 the paths of depth ≤ d sum to
    ``f (I + A + … + A^d) y``. Raises :class:`~viscarbon.errors.DataError` when the tree
    would exceed ``max_nodes`` nodes (raise the threshold or lower the depth).
    """
    f_arr = np.asarray(f, dtype=np.float64)
    m_arr = np.asarray(m, dtype=np.float64)
    y_arr = np.asarray(y, dtype=np.float64)
    n = f_arr.shape[0]
    if m_arr.shape != (n,) or y_arr.shape != (n,):
        raise DataError(f"SPA needs f, m and y of length {n}; got {m_arr.shape} and {y_arr.shape}")
    if max_depth < 0:
        raise DataError(f"SPA depth must be ≥ 0, got {max_depth}")
    if threshold < 0 or not np.isfinite(threshold):
        raise DataError(f"SPA threshold must be a finite number ≥ 0, got {threshold}")
    ch = children if children is not None else sorted_children(A, m_arr)
    if ch.AT.shape != (n, n):
        raise DataError(f"SPA children table is for n = {ch.AT.shape[0]}, the target has n = {n}")
    total = float(m_arr @ y_arr)

    # level 0: the final-demand sectors themselves (y may be negative: inventories)
    roots = np.flatnonzero((y_arr != 0) & (np.abs(m_arr * y_arr) >= threshold)).astype(np.int64)
    if threshold == 0:
        roots = np.flatnonzero(y_arr != 0).astype(np.int64)
    level_sector = [roots]
    level_weight = [y_arr[roots]]
    level_parent = [np.full(roots.size, -1, dtype=np.int64)]
    n_nodes = int(roots.size)
    for _ in range(max_depth):
        sec, w = level_sector[-1], level_weight[-1]
        if sec.size == 0:
            break
        aw = np.abs(w)
        if threshold > 0:
            with np.errstate(divide="ignore"):
                limit = np.where(aw > 0, threshold / aw, np.inf)
            cnt = _count_above(ch.neg_keys, ch.count, sec, limit)
        else:
            cnt = ch.count[sec]
        n_new = int(cnt.sum())
        n_nodes += n_new
        if n_nodes > max_nodes:
            raise DataError(
                f"structural path analysis would visit more than {max_nodes:,} tree nodes "
                f"(depth {len(level_sector)}, threshold {threshold:.3g})",
                hint="raise the threshold or lower the depth",
            )
        parent = np.repeat(np.arange(sec.size, dtype=np.int64), cnt)
        start = np.cumsum(cnt) - cnt
        offset = np.arange(n_new, dtype=np.int64) - np.repeat(start, cnt)
        psec = sec[parent]
        child = ch.index[psec, offset]
        level_sector.append(child)
        level_weight.append(ch.AT[psec, child] * w[parent])
        level_parent.append(parent)

    # path values per level, keep those above the threshold
    values_l, depth_l, pos_l = [], [], []
    for k, (sec, w) in enumerate(zip(level_sector, level_weight, strict=True)):
        v = f_arr[sec] * w
        keep = np.flatnonzero(np.abs(v) >= threshold) if threshold > 0 else np.arange(v.size)
        values_l.append(v[keep])
        depth_l.append(np.full(keep.size, k, dtype=np.int64))
        pos_l.append(keep)
    return assemble_paths(values_l, depth_l, pos_l, level_sector, level_parent, max_depth=max_depth, top=top,
                          total=total, n_nodes=n_nodes)


def assemble_paths(values_l: list[Arr], depth_l: list[NDArray[np.int64]], pos_l: list[NDArray[np.int64]],
                   level_sector: list[NDArray[np.int64]], level_parent: list[NDArray[np.int64]], *,
                   max_depth: int, top: int | None, total: float, n_nodes: int) -> SPAArrays:
    """The paths found level by level as :class:`SPAArrays`: ``values_l[k]`` the values of
    the kept paths of depth ``k`` at their positions ``pos_l[k]`` in level ``k``'s node
    arrays (``level_sector``, ``level_parent``: each node's sector and parent position);
    best first (by |value|, then shallower, then position: deterministic), the ``top``
    kept, each path's sectors from final demand down (``nodes``, −1 padded)."""
    values = np.concatenate(values_l) if values_l else np.zeros(0)
    depths = np.concatenate(depth_l) if depth_l else np.zeros(0, dtype=np.int64)
    pos = np.concatenate(pos_l) if pos_l else np.zeros(0, dtype=np.int64)
    found = float(values.sum())
    n_paths = int(values.size)
    if top is not None and top < values.size:
        cut = np.argpartition(-np.abs(values), top - 1)[:top]
        values, depths, pos = values[cut], depths[cut], pos[cut]
    order = np.lexsort((pos, depths, -np.abs(values)))
    values, depths, pos = values[order], depths[order], pos[order]
    nodes = np.full((values.size, max_depth + 1), -1, dtype=np.int64)
    cur = np.zeros(values.size, dtype=np.int64)
    for level in range(len(level_sector) - 1, -1, -1):
        starts = depths == level
        cur[starts] = pos[starts]
        on = depths >= level
        nodes[on, level] = level_sector[level][cur[on]]
        cur[on] = level_parent[level][cur[on]]
    return SPAArrays(values=readonly(values), depths=readonly(depths), nodes=readonly(nodes), total=total,
                     found=found, n_nodes=n_nodes, n_paths=n_paths,
                     truncated=top is not None and n_paths > values.size)
