"""Hypothetical extraction of every city at city scale: one factorisation of ``I − A``,
block updates per city, never one refactorisation per city. Pure numpy/scipy.

Definition (the ``complete`` extraction of :mod:`viscarbon.calc.extraction`; Miller &
Blair 2009 §12.2; Dietzenbacher & Lahr 2013): removing the rows and columns ``E`` of a
unit (a city's ``b`` sectors, ``b = 42``; or a city's three ownership blocks, ``b = 126``)
and its final demand leaves ``K``::

    (I − A_KK) x̄_K = y_K,     x̄_E = 0,     Δx = x − x̄,     Δe = e ⊙ Δx

with ``y`` (n,) final demand incl. exports (10,000 yuan), ``x`` (n,) the baseline output,
``e = F x̂⁻¹`` (n,) Mt CO2 per 10,000 yuan.

Block update (the inverse of a principal submatrix from the blocks of the full inverse,
Miller & Blair 2009 §A.7 / the Woodbury identity for the rank-``2b`` change that deletes
``E``): with ``L = (I − A)⁻¹`` and ``z = y`` with ``z_E = 0``,
``(I − A_KK)⁻¹ = L_KK − L_KE L_EE⁻¹ L_EK``, so::

    w = L z = L y − L_{:E} y_E,      x̄ = w − L_{:E} L_EE⁻¹ w_E      (x̄_E = 0 exactly)

``L_{:E} = L [e_E]`` is ``b`` columns of ``L``: one block solve of ``b`` right-hand
sides with the factorisation of ``I − A`` already at hand, then a ``b × b`` solve with
``L_EE``. For a balanced table (``x = L y``) this is ``Δx = L_{:E} L_EE⁻¹ x_E``.

Cost, for ``U`` units of ``b`` sectors (``n = U b``), on the dense path: one LU
``2n³/3`` flops and ``8n²`` bytes (:func:`viscarbon.calc.scale.factorize_flows`), then per
unit two triangular solves with ``b`` right-hand sides ``2n²b`` flops and
``O(n b² + b³)`` for the small system: ``2n³`` for every unit (BLAS-3 ``trsm`` on
``chunk · b`` columns at once). Memory beyond the factor: the chunk's right-hand sides
and solutions ``2 · 8 · n · chunk · b`` bytes and the results ``2 · 8 · U · U``. On the
iterative path each of the ``n`` columns is one preconditioned GMRES solve (memory of
:func:`viscarbon.calc.scale.memory_estimate`, ``method="iterative"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.calc.scale import (
    Method,
    Solver,
    factorize_flows_sparse_input,
    factorize_iterative,
    factorize_sparse,
)

__all__ = ["UnitExtraction", "extract_units", "extraction_batch", "factorize_for", "merge_extractions"]

Arr = NDArray[np.float64]
IntArr = NDArray[np.int64]


@dataclass(frozen=True)
class UnitExtraction:
    """Losses from extracting each unit of ``units`` (indices of ``b``-row blocks):
    ``output_loss[k, r]`` (10,000 yuan) and ``co2_loss[k, r]`` (Mt) lost in unit ``r``
    when unit ``units[k]`` is removed (the extracted unit's own row holds its whole
    baseline: ``x̄_E = 0``). Shapes ``(len(units), U)``."""

    units: IntArr
    output_loss: Arr
    co2_loss: Arr


def factorize_for(Z: sp.sparray | sp.spmatrix, x: ArrayLike, *, method: Method, block: int) -> Solver:
    """The factorised ``I − A``, ``A = Z x̂⁻¹`` (Miller & Blair 2009, eq. 2.4), on ``method``:
    dense LU built in place, SuperLU, or block-Jacobi GMRES (:mod:`viscarbon.calc.scale`)."""
    if method == "dense":
        return factorize_flows_sparse_input(Z, x)
    if method == "iterative":
        return factorize_iterative(Z, x, block=block)
    return factorize_sparse(Z, x)


def extract_units(solver: Solver, *, x: ArrayLike, y: ArrayLike, e: ArrayLike, block: int,
                  units: Sequence[int] | IntArr, chunk: int = 8, x_solved: ArrayLike | None = None
                  ) -> UnitExtraction:
    """Complete extraction of every unit of ``units`` by the block update of the module
    docstring on one ``solver``.

    ``x`` (n,) the baseline output (10,000 yuan; the table's), ``y`` (n,) final demand
    incl. exports, ``e`` (n,) Mt CO2 per 10,000 yuan, ``block`` the rows per unit,
    ``chunk`` units solved together (``chunk · block`` right-hand sides per solve);
    ``x_solved`` ``L y`` when already at hand (else one more solve). Miller & Blair 2009
    §12.2; Dietzenbacher & Lahr 2013.
    """
    xv = np.asarray(x, dtype=np.float64)
    yv = np.asarray(y, dtype=np.float64)
    ev = np.asarray(e, dtype=np.float64)
    n = solver.n
    b = int(block)
    if n % b or xv.shape != (n,) or yv.shape != (n,) or ev.shape != (n,):
        raise ValueError(f"extraction needs n = {n} a multiple of the block {b} and x, y, e of length n")
    U = n // b
    us = np.asarray(units, dtype=np.int64).ravel()
    if us.size and (us.min() < 0 or us.max() >= U):
        raise ValueError(f"unit index out of range 0..{U - 1}")
    xL = solver.solve(yv) if x_solved is None else np.asarray(x_solved, dtype=np.float64)
    out_x = np.zeros((us.size, U))
    out_e = np.zeros((us.size, U))
    step = max(int(chunk), 1)
    for start in range(0, us.size, step):
        group = us[start:start + step]
        rhs = np.zeros((n, group.size * b), order="F")
        for k, u in enumerate(group):
            rhs[u * b:(u + 1) * b, k * b:(k + 1) * b] = np.eye(b)
        cols = np.asarray(solver.solve(rhs)).reshape(n, group.size * b)  # L_{:E} for every unit of the group
        for k, u in enumerate(group):
            E = slice(u * b, (u + 1) * b)
            LE = cols[:, k * b:(k + 1) * b]
            w = xL - LE @ yv[E]
            t = np.linalg.solve(LE[E, :], w[E])
            x_bar = w - LE @ t
            x_bar[E] = 0.0
            loss = xv - x_bar
            out_x[start + k] = loss.reshape(U, b).sum(axis=1)
            out_e[start + k] = (ev * loss).reshape(U, b).sum(axis=1)
    return UnitExtraction(units=readonly(us.copy()), output_loss=readonly(out_x), co2_loss=readonly(out_e))


def extraction_batch(Z: sp.sparray | sp.spmatrix, x: ArrayLike, y: ArrayLike, e: ArrayLike, *,
                     method: Method, block: int, units: Sequence[int] | IntArr, chunk: int = 8
                     ) -> UnitExtraction:
    """One batch (the task a worker runs): factorise ``I − A`` once (:func:`factorize_for`),
    then :func:`extract_units` on the batch's units, chunk by chunk."""
    solver = factorize_for(Z, x, method=method, block=block)
    xL = solver.solve(np.asarray(y, dtype=np.float64))
    return extract_units(solver, x=x, y=y, e=e, block=block, units=units, chunk=chunk, x_solved=xL)


def merge_extractions(parts: Sequence[UnitExtraction]) -> UnitExtraction:
    """Concatenate batches, ordered by unit index."""
    if not parts:
        return UnitExtraction(units=readonly(np.zeros(0, dtype=np.int64)), output_loss=readonly(np.zeros((0, 0))),
                              co2_loss=readonly(np.zeros((0, 0))))
    units = np.concatenate([p.units for p in parts])
    order = np.argsort(units, kind="stable")
    return UnitExtraction(units=readonly(units[order]),
                          output_loss=readonly(np.concatenate([p.output_loss for p in parts])[order]),
                          co2_loss=readonly(np.concatenate([p.co2_loss for p in parts])[order]))

