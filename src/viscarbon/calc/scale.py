"""The Leontief system at city scale: a memory estimate made up front, a dense and a
sparse factorisation behind one solver interface, and the accounts that need only a few
right-hand sides. Pure numpy/scipy.

Symbols (``docs/terminology.md``; Miller & Blair 2009 ch. 2, 3 and 10): ``Z`` (n × n)
intermediate flows and ``x`` (n,) gross output, 10,000 yuan; ``A = Z x̂⁻¹``;
``L = (I − A)⁻¹``; ``F`` (n,) CO2 by region-sector, Mt; ``f = F x̂⁻¹`` Mt per 10,000 yuan;
``m = f L``; ``Y_r`` (n × R) final demand by destination region, ``EX`` (n,) exports.

Neither path forms ``L`` (a 13,146-sector dense inverse is 1.38 GB and 3× the flops of
an LU): both factorise ``I − A`` once and solve.

* Dense (:func:`factorize_flows`): ``I − A`` is built straight from ``Z`` in one
  Fortran-ordered n × n array and LAPACK ``getrf`` factorises it in place, so only Z and
  one n × n factor are held (never Z, A and the factors at once). ``2n³/3`` flops.
* Sparse (:func:`factorize_sparse`): ``I − A`` in CSC, SuperLU (``scipy.sparse.linalg.splu``,
  COLAMD column ordering); memory and time follow the fill-in of the factors.

:func:`memory_estimate` states, before anything is allocated, the bytes each path needs
(parts named); :func:`choose_method` picks the path by size, density and memory, and
refuses (:class:`~viscarbon.errors.MemoryLimitError`, naming the memory needed and
available) when neither fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, Protocol

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.calc.leontief import LeontiefFactor, reciprocal
from viscarbon.errors import MemoryLimitError

__all__ = [
    "DENSE_UP_TO",
    "FILL_FACTOR",
    "GMRES_RESTART",
    "GMRES_RTOL",
    "SPARSE_DENSITY",
    "DenseSolver",
    "IterativeSolver",
    "MemoryEstimate",
    "Method",
    "ScaleAccounts",
    "Solver",
    "SparseSolver",
    "check_memory",
    "choose_method",
    "factorize_flows",
    "factorize_flows_sparse_input",
    "factorize_iterative",
    "factorize_sparse",
    "memory_estimate",
    "scale_accounts",
]

Arr = NDArray[np.float64]
Method = Literal["dense", "sparse", "iterative"]

#: Systems up to this order always take the dense path when it fits (the LU is seconds).
DENSE_UP_TO: Final = 3000
#: Above :data:`DENSE_UP_TO`, a density ``nnz / n²`` at or below this takes the iterative path.
SPARSE_DENSITY: Final = 0.10
#: GMRES: relative residual ``‖b − (I − A) x‖ / ‖b‖`` reached by every solve, and the restart length.
GMRES_RTOL: Final = 1e-14
GMRES_RESTART: Final = 30
#: Fill-in of the sparse LU, ``(nnz(L) + nnz(U)) / nnz(I − A)``, assumed by the estimate made
#: before factorising (capped at a full n × n factor). Measured on generated MRIO structures
#: (dense 42 × 42 city blocks, 1 % scattered inter-city cells): 20 at 1,260 sectors, 35 at
#: 2,520, 48 at 4,200, i.e. nearly full; the real fill-in is reported after (``SparseSolver.fill``).
FILL_FACTOR: Final = 50.0
_F64: Final = 8
_IDX: Final = 4  # SuperLU and CSC index arrays are int32 at these sizes
_GB: Final = 1e9  # decimal gigabytes, as the issue and the docs state them


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a ``method`` allocates for a system of order ``n`` with ``nnz`` non-zero
    flows and ``rhs`` right-hand sides: ``parts`` (name, bytes); :attr:`total` their sum.
    The inputs (``Z``, ``x``, ``F``) are not counted: they are already in memory."""

    method: Method
    n: int
    nnz: int
    rhs: int
    parts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(b for _, b in self.parts)

    def text(self) -> str:
        """``"dense path: 2.61 GB (I − A and its LU factors 2.57 GB, …)"``."""
        inner = ", ".join(f"{name} {b / _GB:.2f} GB" for name, b in self.parts)
        return f"{self.method} path: {self.total / _GB:.2f} GB ({inner})"


def memory_estimate(n: int, *, method: Method, nnz: int | None = None, rhs: int = 1,
                    fill_factor: float = FILL_FACTOR, block: int = 42) -> MemoryEstimate:
    """The memory a path needs, in bytes (float64 = 8 B, int32 indices = 4 B):

    * dense: ``I − A`` and its LU factors in place ``8n²``; right-hand sides, solutions and footprints
      ``3·8·n·rhs``; vectors ``8·8n`` (x, 1/x, f, m, y, pivots …);
    * sparse, with ``z = nnz(Z)``: ``A`` in CSC ``12z + 4(n+1)``; ``I − A`` ``12(z+n) + 4(n+1)``;
      LU factors ``12·min(φ·(z+n), n²)`` with ``φ`` the fill factor (:data:`FILL_FACTOR`, assumed);
      SuperLU's working copy of ``I − A`` ``12(z+n)``; right-hand sides ``3·8·n·rhs``; vectors ``8·8n``;
    * iterative: ``A`` and ``Aᵀ`` in CSC ``2(12z + 4(n+1))``; the block-diagonal
      preconditioner ``8·n·b`` (b = ``block`` sectors per region); GMRES's Krylov basis
      ``8·n·(restart + 4)``; right-hand sides and vectors as above.
    """
    k = max(int(rhs), 1)
    rhs_b = 3 * _F64 * n * k
    parts: tuple[tuple[str, int], ...]
    vec_b = 8 * _F64 * n
    if method == "dense":
        parts = (("I − A and its LU factors (in place)", _F64 * n * n), ("right-hand sides, solutions, footprints", rhs_b),
                 ("vectors", vec_b))
        return MemoryEstimate("dense", n, n * n if nnz is None else int(nnz), k, parts)
    z = n * n if nnz is None else int(nnz)
    csc = (_F64 + _IDX) * (z + n) + _IDX * (n + 1)
    if method == "iterative":
        parts = (("A (CSC) and its transpose", 2 * ((_F64 + _IDX) * z + _IDX * (n + 1))),
                 ("block-diagonal preconditioner (42 × 42 blocks)", _F64 * n * block),
                 (f"GMRES workspace (restart {GMRES_RESTART})", _F64 * n * (GMRES_RESTART + 4)),
                 ("right-hand sides, solutions, footprints", rhs_b), ("vectors", vec_b))
        return MemoryEstimate("iterative", n, z, k, parts)
    parts = (("A (CSC)", (_F64 + _IDX) * z + _IDX * (n + 1)), ("I − A (CSC)", csc),
             ("SuperLU copy of I − A", csc), (f"LU factors (fill ×{fill_factor:g}, assumed)",
                                              int((_F64 + _IDX) * min(fill_factor * (z + n), n * n))),
             ("right-hand sides, solutions, footprints", rhs_b), ("vectors", vec_b))
    return MemoryEstimate("sparse", n, z, k, parts)


def check_memory(estimate: MemoryEstimate, available: int) -> None:
    """Refuse (:class:`MemoryLimitError`) when ``estimate.total > available`` bytes."""
    if estimate.total > available:
        raise MemoryLimitError(
            f"a system of {estimate.n:,} sectors needs {estimate.total / _GB:.2f} GB on the "
            f"{estimate.text()}, but {available / _GB:.2f} GB of memory is available",
            hint="free memory or use a larger machine (a sparse table takes the iterative path, "
                 "which needs far less); nothing was computed or written")


def choose_method(n: int, nnz: int, available: int, *, rhs: int = 1,
                  method: Method | Literal["auto"] = "auto") -> MemoryEstimate:
    """The path for a system of order ``n`` with ``nnz`` non-zero flows, checked against
    ``available`` bytes before anything is allocated.

    ``auto``: dense for ``n ≤`` :data:`DENSE_UP_TO`; above it iterative when the density
    ``nnz/n² ≤`` :data:`SPARSE_DENSITY`, else dense; the iterative path when the dense one
    does not fit. The sparse LU is taken only when asked for (``method="sparse"``): on
    MRIO structures (dense city blocks, scattered inter-city links) its fill-in is
    nearly complete (measured: nnz(L+U) ≈ 0.9 n² at 2,520 and 4,200 sectors) and it is
    slower than the dense LU. Raises :class:`MemoryLimitError` naming the memory needed
    (the smallest estimate in ``auto``) and available.
    """
    if method != "auto":
        est = memory_estimate(n, method=method, nnz=nnz, rhs=rhs)
        check_memory(est, available)
        return est
    density = nnz / float(n * n) if n else 0.0
    first: Method = "dense" if n <= DENSE_UP_TO or density > SPARSE_DENSITY else "iterative"
    second: Method = "iterative" if first == "dense" else "dense"
    ests = [memory_estimate(n, method=m, nnz=nnz, rhs=rhs) for m in (first, second)]
    for est in ests:
        if est.total <= available:
            return est
    check_memory(min(ests, key=lambda e: e.total), available)
    raise AssertionError("unreachable: check_memory raised")  # pragma: no cover


class Solver(Protocol):
    """A factorised ``I − A``: ``solve`` gives ``L Y`` (n,) or (n × k); ``solve_transposed``
    gives ``g L`` for a row vector ``g`` (n,)."""

    @property
    def n(self) -> int: ...

    def solve(self, y: ArrayLike) -> Arr: ...

    def solve_transposed(self, g: ArrayLike) -> Arr: ...


@dataclass(frozen=True, eq=False)
class DenseSolver:
    """The dense LU of ``I − A`` (:class:`~viscarbon.calc.leontief.LeontiefFactor`)."""

    factor: LeontiefFactor
    n: int

    def solve(self, y: ArrayLike) -> Arr:
        """``L y`` by two triangular solves (``getrs``)."""
        out = sla.lu_solve((self.factor.lu, self.factor.piv), np.asarray(y, dtype=np.float64), check_finite=False)
        return readonly(out)

    def solve_transposed(self, g: ArrayLike) -> Arr:
        """``g L`` via ``(I − A)ᵀ hᵀ = gᵀ``."""
        out = sla.lu_solve((self.factor.lu, self.factor.piv), np.asarray(g, dtype=np.float64), trans=1,
                           check_finite=False)
        return readonly(out)


def factorize_flows(Z: ArrayLike, x: ArrayLike) -> DenseSolver:
    """Dense LU of ``I − A`` with ``A = Z x̂⁻¹`` built in place (Miller & Blair 2009, eq. 2.4
    and §2.3): ``M = −Z x̂⁻¹ + I`` is written once into a Fortran-ordered n × n array that
    LAPACK overwrites with ``P L_u U`` (``2n³/3`` flops); ``A`` is never held beside it.
    Zero-output sectors get zero coefficients. Shapes: ``Z`` (n × n), ``x`` (n,)."""
    Zm = np.asarray(Z, dtype=np.float64)
    n = Zm.shape[0]
    if Zm.shape != (n, n):
        raise ValueError(f"Z must be square, got shape {Zm.shape}")
    r = reciprocal(np.asarray(x, dtype=np.float64))
    M = np.empty((n, n), order="F")
    np.multiply(Zm, -r[None, :], out=M)
    M[np.diag_indices(n)] += 1.0
    lu, piv = sla.lu_factor(M, overwrite_a=True, check_finite=False)
    lu.setflags(write=False)
    piv.setflags(write=False)
    return DenseSolver(LeontiefFactor(lu=lu, piv=piv, n=n), n)


def factorize_flows_sparse_input(Z: sp.sparray | sp.spmatrix, x: ArrayLike) -> DenseSolver:
    """:func:`factorize_flows` for flows given sparse (n × n): ``M = I − Z x̂⁻¹`` is
    scattered into one Fortran-ordered n × n array (no dense ``Z`` beside it), then
    factorised in place."""
    n = Z.shape[0]
    r = reciprocal(np.asarray(x, dtype=np.float64))
    coo = sp.coo_array(Z)
    M = np.zeros((n, n), order="F")
    np.add.at(M, (coo.row, coo.col), -coo.data * r[coo.col])
    M[np.diag_indices(n)] += 1.0
    lu, piv = sla.lu_factor(M, overwrite_a=True, check_finite=False)
    lu.setflags(write=False)
    piv.setflags(write=False)
    return DenseSolver(LeontiefFactor(lu=lu, piv=piv, n=n), n)


@dataclass(frozen=True, eq=False)
class SparseSolver:
    """SuperLU factors of a sparse ``I − A``; ``factor_nnz`` = nnz(L) + nnz(U) (fill-in
    ``factor_nnz / nnz(I − A)``)."""

    lu: spla.SuperLU
    n: int
    matrix_nnz: int
    factor_nnz: int

    def solve(self, y: ArrayLike) -> Arr:
        """``L y`` by the sparse triangular solves."""
        return readonly(np.asarray(self.lu.solve(np.asarray(y, dtype=np.float64)), dtype=np.float64))

    def solve_transposed(self, g: ArrayLike) -> Arr:
        """``g L`` via ``(I − A)ᵀ hᵀ = gᵀ`` (SuperLU ``trans='T'``)."""
        return readonly(np.asarray(self.lu.solve(np.asarray(g, dtype=np.float64), trans="T"), dtype=np.float64))

    @property
    def fill(self) -> float:
        return self.factor_nnz / max(self.matrix_nnz, 1)


def factorize_sparse(Z: sp.sparray | sp.spmatrix, x: ArrayLike) -> SparseSolver:
    """Sparse LU of ``I − A``, ``A = Z x̂⁻¹`` (Miller & Blair 2009, eq. 2.4), by SuperLU
    with COLAMD ordering (Demmel et al. 1999; scipy ``splu``). ``Z`` any scipy sparse
    (n × n), ``x`` (n,); zero-output sectors get zero coefficients."""
    n = Z.shape[0]
    r = reciprocal(np.asarray(x, dtype=np.float64))
    A = sp.csc_array(Z, dtype=np.float64) @ sp.diags_array(r, format="csc")
    M = (sp.eye_array(n, format="csc") - A).tocsc()
    del A
    M.sort_indices()
    lu = spla.splu(M, permc_spec="COLAMD")
    return SparseSolver(lu=lu, n=n, matrix_nnz=int(M.nnz), factor_nnz=int(lu.L.nnz + lu.U.nnz))


@dataclass(frozen=True, eq=False)
class IterativeSolver:
    """GMRES (Saad & Schultz 1986; scipy ``gmres``) on ``(I − A) x = y`` and
    ``(I − A)ᵀ h = g``, preconditioned by the inverses of the diagonal blocks
    ``(I − A_rr)⁻¹`` (one ``b × b`` block per region: the within-region feedback, which
    dominates an MRIO; block Jacobi). Each solve reaches the relative residual
    :data:`GMRES_RTOL` or raises ``ArithmeticError``; ``iterations`` counts the
    iterations of every solve so far (a list, appended to)."""

    A: sp.csc_array
    AT: sp.csc_array
    Pinv: Arr  # (R, b, b) block inverses of I − A_rr
    n: int
    iterations: list[int]

    def _precond(self, transposed: bool) -> spla.LinearOperator:
        R, b, _ = self.Pinv.shape
        P = np.swapaxes(self.Pinv, 1, 2) if transposed else self.Pinv

        P = np.ascontiguousarray(P)

        def apply(v: Arr) -> Arr:
            out: Arr = np.matmul(P, np.asarray(v).reshape(R, b, 1)).reshape(-1)
            return out

        return spla.LinearOperator((self.n, self.n), matvec=apply, dtype=np.float64)

    def _op(self, transposed: bool) -> spla.LinearOperator:
        A = self.AT if transposed else self.A

        def apply(v: Arr) -> Arr:
            vv = np.asarray(v).ravel()
            out: Arr = vv - A @ vv
            return out

        return spla.LinearOperator((self.n, self.n), matvec=apply, dtype=np.float64)

    def _solve(self, b: Arr, transposed: bool) -> Arr:
        op, pre = self._op(transposed), self._precond(transposed)
        cols = b.reshape(self.n, -1)
        out = np.empty_like(cols)
        for k in range(cols.shape[1]):
            rhs = np.ascontiguousarray(cols[:, k])
            if not np.any(rhs):
                out[:, k] = 0.0
                continue
            count = [0]

            def tick(_: object, count: list[int] = count) -> None:
                count[0] += 1

            sol, info = spla.gmres(op, rhs, x0=pre.matvec(rhs), M=pre, rtol=GMRES_RTOL, atol=0.0,
                                   restart=GMRES_RESTART, maxiter=50, callback=tick, callback_type="pr_norm")
            if info != 0:
                raise ArithmeticError(f"GMRES did not reach the relative residual {GMRES_RTOL:g} "
                                      f"(column {k}, info {info})")
            self.iterations.append(count[0])
            out[:, k] = sol
        return out.reshape(b.shape)

    def solve(self, y: ArrayLike) -> Arr:
        """``L y`` by preconditioned GMRES, column by column."""
        return readonly(self._solve(np.asarray(y, dtype=np.float64), transposed=False))

    def solve_transposed(self, g: ArrayLike) -> Arr:
        """``g L`` by GMRES on the transposed system."""
        return readonly(self._solve(np.asarray(g, dtype=np.float64), transposed=True))


def factorize_iterative(Z: sp.sparray | sp.spmatrix, x: ArrayLike, *, block: int) -> IterativeSolver:
    """Set up :class:`IterativeSolver` for ``A = Z x̂⁻¹`` (Miller & Blair 2009, eq. 2.4):
    ``A`` and ``Aᵀ`` in CSC and the block-Jacobi preconditioner, the explicit inverses of
    the ``n / block`` diagonal blocks ``I − A_rr`` (``block`` × ``block`` each: their
    inverse *is* the product here, applied as one batched matrix product)."""
    n = Z.shape[0]
    if n % block:
        raise ValueError(f"n = {n} is not a multiple of the block size {block}")
    r = reciprocal(np.asarray(x, dtype=np.float64))
    A = sp.csc_array(sp.csc_array(Z, dtype=np.float64) @ sp.diags_array(r, format="csc"))
    R = n // block
    D = np.empty((R, block, block))
    for k in range(R):
        sl = slice(k * block, (k + 1) * block)
        D[k] = np.eye(block) - A[sl, sl].toarray()
    Pinv = np.linalg.inv(D)
    return IterativeSolver(A=A, AT=sp.csc_array(A.T), Pinv=Pinv, n=n, iterations=[])


@dataclass(frozen=True, eq=False)
class ScaleAccounts:
    """The accounts of one year (Mt CO2 unless stated):

    * ``x`` (n,) ``L y`` with ``y = Y_r 1 + EX`` (10,000 yuan; equals the table's output);
    * ``f`` and ``m = f L`` (n,), Mt per 10,000 yuan; ``output_multipliers`` ``1ᵀL`` (n,);
    * ``production`` (R,) ``Σ_{i∈r} F_i``; ``consumption`` (R+1,) ``m Y_r`` and, last,
      ``m EX`` (embodied in exports), so ``Σ consumption = Σ production = Σ F``;
    * ``transfer`` (R × (R+1)) ``T[r, s] = Σ_{i∈r} f_i (L Y_s)_i`` (last column: exports).
    """

    x: Arr
    f: Arr
    m: Arr
    output_multipliers: Arr
    production: Arr
    consumption: Arr
    transfer: Arr


def scale_accounts(solver: Solver, *, F: ArrayLike, x: ArrayLike, Y_regions: ArrayLike, EX: ArrayLike,
                   n_regions: int) -> ScaleAccounts:
    """The accounts of :class:`ScaleAccounts` with ``R + 3`` solves: ``m = f L`` and
    ``1ᵀL`` (two transposed), ``L [Y_r | EX]`` (R + 1 columns, one block solve).

    ``f = F x̂⁻¹`` (Miller & Blair 2009, eq. 10.2); consumption-based ``m Y_s``
    (eq. 10.6); the transfer matrix ``T = Σ_{i∈r} f̂ L Y`` (ch. 10, the MRIO footprint);
    ``x = L y`` (eq. 2.11). Shapes: ``F``, ``x``, ``EX`` (n,), ``Y_regions`` (n × R).
    """
    Fv = np.asarray(F, dtype=np.float64)
    xv = np.asarray(x, dtype=np.float64)
    Yr = np.asarray(Y_regions, dtype=np.float64)
    ex = np.asarray(EX, dtype=np.float64)
    n, R = solver.n, int(n_regions)
    S = n // R
    f = Fv * reciprocal(xv)
    m = solver.solve_transposed(f)
    om = solver.solve_transposed(np.ones(n))
    rhs = np.empty((n, R + 1), order="F")
    rhs[:, :R] = Yr
    rhs[:, R] = ex
    X = solver.solve(rhs)  # L [Y_r | EX]: output by destination of the final demand
    xs = np.asarray(X.sum(axis=1))
    D = f[:, None] * X
    transfer = D.reshape(R, S, R + 1).sum(axis=1)
    consumption = np.append(m @ Yr, m @ ex)
    production = Fv.reshape(R, S).sum(axis=1)
    return ScaleAccounts(x=readonly(xs), f=readonly(f), m=m, output_multipliers=om,
                         production=readonly(production), consumption=readonly(consumption),
                         transfer=readonly(np.ascontiguousarray(transfer)))
