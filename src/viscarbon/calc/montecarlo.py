"""Monte Carlo kernels of a roadmap: draws of CO2 pathways around a deterministic one,
vectorized over a block of draws, and the fixed-bin histograms that give streaming
quantiles. Pure numpy, picklable inputs, no I/O (the orchestration, schedulers and bands
live in :mod:`viscarbon.roadmap.montecarlo`; equations in ``docs/roadmap.md``,
"Uncertainty").

Notation: ``T`` years, ``n = R·S`` region-sectors, ``B`` draws in a block; ``f`` (T × n)
direct CO2 intensity (Mt per 10,000 yuan at t0 prices), ``x`` (T × n) gross output
(10,000 yuan at t0 prices), ``F = f ⊙ x`` CO2 (Mt).

Every random factor is **mean-preserving** lognormal: ``ε = exp(σ u − σ²/2)``, ``u ~ N(0, 1)``,
so ``E[ε] = 1`` exactly while its median is ``exp(−σ²/2) < 1``. A draw of province-sector
CO2 is

``F_d(t, i) = f(t, i) · ε_i(t) · π_i(t) · x_d(t, i) · γ(t)``

* intensity: ``ε_i(t) = exp(σ_I(t) u_i − σ_I(t)²/2)``, one ``u_i`` per province-sector and
  draw held over the years (a random change of its annual rate), with
  ``σ_I(t) = σ_I,end · k(t)/k_end``, ``k(t) = max(t − t_cal, 0)`` and
  ``σ_I,end = sqrt(ln(1 + cv_I²))``: the CV of the intensity reaches ``cv_I`` in the end year
  and is zero in the measured (calibrated) years;
* power mix: ``π_i(t) = exp(σ_P(t) u_P − σ_P(t)²/2)`` on the power rows only, one ``u_P``
  per draw shared by every province (the speed of the national grid's decarbonization),
  ``σ_P`` built like ``σ_I`` from ``cv_P``;
* final-demand growth: ``γ(t) = exp(s_g k_g(t) u_g − (s_g k_g(t))²/2)`` with ``k_g(t)`` the
  number of assumed (not NBS-measured) growth years up to t and ``s_g`` the standard
  deviation of the annual growth rate: every demand column scales by it, so by linearity
  ``x_d(t) = L(t) y(t) γ(t) = x(t) γ(t)`` reuses the deterministic response; households'
  direct CO2 scales by ``γ(t)`` too;
* regional demand growth (optional, ``s_r > 0``): each destination region's final demand
  (and foreign exports) also scales by its own ``γ_s(t)``, built like ``γ`` from ``s_r``;
  by linearity ``x_d(t) = Σ_s X_s(t) γ_s(t) γ(t)`` with ``X_s(t) = L(t) y_s(t)`` the
  scenario's output by destination (computed once), one batched product
  ``(T × n × (R+1)) · ((R+1) × B)``; households of region s scale by ``γ_s γ``;
* input coefficients (optional, ``cv_A > 0``): ``A_d = A ⊙ ε_A`` with one mean-1 lognormal
  per coefficient, held over the years. On the block ``I × J`` that the scenario's
  coefficient levers change (:class:`CoefficientBlock`), the draw's output is the
  Sherman-Morrison-Woodbury update of the t0 factor, ``x_d = z + L_I ΔA (I_J − L_JI ΔA)⁻¹ z_J``
  with ``ΔA = A_d[I, J] − A0[I, J]``, ``z = L0 y(t)``, ``L_I = L0[:, I]`` (precomputed once),
  ``L_JI = L0[J, I]`` (or the rows form ``x_d = z + L_I (I_I − ΔA L_JI)⁻¹ ΔA z_J`` when
  ``|I| < |J|``): per draw and year ``2|I||J|k + k³/3 + n|I|`` flops, ``k = min(|I|, |J|)``. Without
  coefficient levers all of ``A0`` is drawn (:class:`CoefficientFull`): one new LU per draw
  (``2n³/3`` flops) and ``T`` solves (``2n²T``).

Independence makes ``E[F_d] = F`` exactly when coefficients are not varied (with them,
``E[L_d] ≠ L`` by Jensen's inequality: the mean output shifts by second-order terms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

__all__ = [
    "HIST_BINS",
    "BlockDraws",
    "CoefficientBlock",
    "CoefficientFull",
    "HistogramAccumulator",
    "Histograms",
    "McInputs",
    "TaskResult",
    "block_draws",
    "histogram_edges",
    "histogram_quantiles",
    "lognormal_sigma",
    "mean_one_lognormal",
    "ramp_sigma",
    "run_blocks",
]

Arr = NDArray[np.float64]
#: Bins of the streaming sector histograms between the pilot's edges (plus one underflow
#: and one overflow bin).
HIST_BINS = 256


def lognormal_sigma(cv: float) -> float:
    """The log standard deviation of a lognormal with coefficient of variation ``cv``:
    ``σ = sqrt(ln(1 + cv²))`` (mean ``exp(μ + σ²/2)``, CV ``sqrt(exp(σ²) − 1)``)."""
    if not np.isfinite(cv) or cv < 0:
        raise ValueError(f"a coefficient of variation must be a finite number ≥ 0, got {cv!r}")
    return float(np.sqrt(np.log1p(cv * cv)))


def ramp_sigma(years: NDArray[np.int64], t_cal: int, cv_end: float) -> Arr:
    """``σ(t) = σ_end · k(t)/k_end``, ``k(t) = max(t − t_cal, 0)``, ``σ_end =``
    :func:`lognormal_sigma` ``(cv_end)``: zero in the calibrated years, the lognormal of CV
    ``cv_end`` in the last year (T,)."""
    k = np.maximum(years.astype(np.float64) - float(t_cal), 0.0)
    k_end = float(k[-1]) if k.size and k[-1] > 0 else 1.0
    out: Arr = lognormal_sigma(cv_end) * k / k_end
    return out


def mean_one_lognormal(sigma: Arr, u: Arr) -> Arr:
    """``exp(σ u − σ²/2)``: lognormal factors with mean exactly 1 (broadcasting σ and u)."""
    out: Arr = np.exp(sigma * u - 0.5 * sigma * sigma)
    return out


@dataclass(frozen=True, eq=False)
class CoefficientBlock:
    """Input-coefficient draws on the block ``rows × cols`` the scenario's levers change:
    ``Ab`` (T × |I| × |J|) the scenario's coefficients there, ``A0b`` (|I| × |J|) those of
    t0, ``L_I`` (n × |I|) columns I of ``L0 = (I − A0)⁻¹``, ``L_JI`` (|J| × |I|) its rows J,
    ``z`` (T × n) ``L0 y(t)`` the output of the year's final demand with the t0 coefficients,
    ``sigma`` the log standard deviation of each coefficient's factor."""

    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    Ab: Arr
    A0b: Arr
    L_I: Arr
    L_JI: Arr
    z: Arr
    sigma: float


@dataclass(frozen=True, eq=False)
class CoefficientFull:
    """Draws of every input coefficient (no coefficient lever: ``A(t) = A0``): ``A0``
    (n × n) and ``y`` (T × n) each year's final demand ``[Y0 | EX0] ĝ(t)``; ``sigma`` as in
    :class:`CoefficientBlock`. A draw costs one LU and T solves."""

    A0: Arr
    y: Arr
    sigma: float


@dataclass(frozen=True, eq=False)
class McInputs:
    """What every block needs, computed once and shipped once to every worker.

    ``f``/``x`` (T × n) the deterministic pathway's intensity and output, ``hh`` (T × R)
    households' direct CO2 (Mt), ``power_rows`` (R,), ``sigma_int``/``sigma_pow`` (T,) the
    log standard deviations of intensity and power factors by year, ``growth_k`` (T,) the
    number of assumed growth years up to t, ``growth_sd`` ``s_g``, ``reported`` (R,) the
    regions summed into the nation, ``sector_regions`` the regions whose sectors get bands,
    ``coefficients`` the optional coefficient draws; ``XR`` (T × n × (R+1)) the output for
    each destination region's final demand (last: foreign exports) and ``regional_sd``
    ``s_r`` when each destination's demand growth is also drawn."""

    f: Arr
    x: Arr
    hh: Arr
    power_rows: NDArray[np.intp]
    sigma_int: Arr
    sigma_pow: Arr
    growth_k: Arr
    growth_sd: float
    reported: NDArray[np.bool_]
    n_regions: int
    sector_regions: NDArray[np.intp]
    coefficients: CoefficientBlock | CoefficientFull | None = None
    XR: Arr | None = None
    regional_sd: float = 0.0

    @property
    def n_sectors(self) -> int:
        return int(self.f.shape[1] // self.n_regions)

    @property
    def sector_rows(self) -> NDArray[np.intp]:
        """Region-sector rows with sector bands (region-major)."""
        S = self.n_sectors
        out: NDArray[np.intp] = (self.sector_regions[:, None] * S + np.arange(S)[None, :]).ravel().astype(np.intp)
        return out


@dataclass(frozen=True, eq=False)
class BlockDraws:
    """One block of B draws: ``totals`` (B × (R+1) × T) production-based CO2 by region and
    (last) the nation; ``sectors`` (B × T × m) CO2 of the ``m`` rows of
    :attr:`McInputs.sector_rows` (Mt)."""

    totals: Arr
    sectors: Arr


def _coefficient_output(c: CoefficientBlock | CoefficientFull, rng: np.random.Generator, size: int) -> Arr:
    """Output ``x_d`` (B × T × n) of ``size`` coefficient draws (module doc), before γ."""
    if isinstance(c, CoefficientFull):
        n = c.A0.shape[0]
        T = c.y.shape[0]
        out = np.empty((size, T, n))
        nz = c.A0 != 0
        k = int(nz.sum())
        for b in range(size):
            eps = mean_one_lognormal(np.asarray(c.sigma), rng.standard_normal(k))
            M = np.eye(n)
            M[nz] -= c.A0[nz] * eps
            lu = sla.lu_factor(M, overwrite_a=True, check_finite=False)
            out[b] = sla.lu_solve(lu, c.y.T, check_finite=False).T
        return out
    nI, nJ = c.A0b.shape
    T, n = c.z.shape
    eps = mean_one_lognormal(np.asarray(c.sigma), rng.standard_normal((size, nI, nJ)))
    out = np.empty((size, T, n))
    zJ = c.z[:, c.cols]  # T × |J|
    for t in range(T):
        dA = c.Ab[t][None] * eps - c.A0b[None]  # B × |I| × |J|
        if nI < nJ:  # rows form: a |I| × |I| system, (I − ΔA L_JI) w = ΔA z_J
            Cm = np.eye(nI)[None] - dA @ c.L_JI  # batched BLAS products
            rhs = dA @ zJ[t]
            v = np.linalg.solve(Cm, rhs[..., None])[..., 0]  # B × |I|
        else:  # columns form: a |J| × |J| system, (I − L_JI ΔA) w = z_J, v = ΔA w
            Cm = np.eye(nJ)[None] - c.L_JI[None] @ dA
            w = np.linalg.solve(Cm, np.broadcast_to(zJ[t], (size, nJ))[..., None])[..., 0]
            v = (dA @ w[..., None])[..., 0]  # B × |I|
        out[:, t, :] = c.z[t][None, :] + v @ c.L_I.T
    return out


def block_draws(inp: McInputs, seed: np.random.SeedSequence, size: int) -> BlockDraws:
    """``size`` draws from the block's own seed (module doc). The random numbers are taken
    in a fixed order: ``u`` (size × n) intensities, ``u_P`` (size,), ``u_g`` (size,), then
    the coefficients; so a block's numbers depend only on its seed and size.

    Memory: about ``8 · B · (T · (6S + 2R + 2 + m) + n)`` bytes (one region at a time:
    the factors and their temporaries; the totals and their national sum; the sector
    values; the normals), plus ``8 · B · T · n`` when coefficients are drawn.
    """
    rng = np.random.default_rng(seed)
    T, n = inp.f.shape
    R = inp.n_regions
    S = n // R
    u = rng.standard_normal((size, n))
    u_p = rng.standard_normal(size)
    u_g = rng.standard_normal(size)
    x_d = _coefficient_output(inp.coefficients, rng, size) if inp.coefficients is not None else None
    sg = inp.growth_sd * inp.growth_k  # T
    gamma = mean_one_lognormal(sg[None, :], u_g[:, None])  # B × T
    hh_scale = np.broadcast_to(gamma[:, :, None], (size, T, R))
    if inp.XR is not None and inp.regional_sd > 0:
        if x_d is not None:
            raise ValueError("regional demand draws do not combine with coefficient draws")
        u_r = rng.standard_normal((size, R + 1))
        sr = inp.regional_sd * inp.growth_k
        g_r = mean_one_lognormal(sr[None, :, None], u_r[:, None, :])  # B × T × (R+1)
        # x_d(t) = Σ_s XR(t)[:, s] γ_s(t): the deterministic response per destination, reused
        x_d = np.matmul(inp.XR[None], g_r[..., None])[..., 0]  # B × T × n
        hh_scale = gamma[:, :, None] * g_r[:, :, :R]
    pi = mean_one_lognormal(inp.sigma_pow[None, :], u_p[:, None])  # B × T
    totals = np.empty((size, R + 1, T))
    sel = {int(r): k for k, r in enumerate(inp.sector_regions)}
    sectors = np.empty((size, T, len(sel) * S))
    power_of = {int(p) // S: int(p) % S for p in inp.power_rows}
    for r in range(R):
        sl = slice(r * S, (r + 1) * S)
        eps = mean_one_lognormal(inp.sigma_int[None, :, None], u[:, None, sl])  # B × T × S
        if r in power_of:
            eps[:, :, power_of[r]] *= pi
        x_r = inp.x[None, :, sl] if x_d is None else x_d[:, :, sl]
        F_r = inp.f[None, :, sl] * x_r * eps * gamma[:, :, None]
        totals[:, r, :] = F_r.sum(axis=2) + inp.hh[None, :, r] * hh_scale[:, :, r]
        if r in sel:
            k = sel[r]
            sectors[:, :, k * S:(k + 1) * S] = F_r
    totals[:, R, :] = totals[:, :R, :][:, inp.reported, :].sum(axis=1)
    return BlockDraws(totals=totals, sectors=sectors)


@dataclass(frozen=True, eq=False)
class Histograms:
    """Fixed-bin histograms per cell (a province-sector-year): ``lo``/``width`` (cells,)
    the pilot's edges, ``counts`` (cells × (bins + 2)) with bin 0 below ``lo`` and the last
    above ``lo + bins · width``, ``vmin``/``vmax`` (cells,) the exact extremes seen,
    ``total`` (cells,) the sum of the values (for the mean), ``n`` the draws counted."""

    lo: Arr
    width: Arr
    counts: NDArray[np.int32]
    vmin: Arr
    vmax: Arr
    total: Arr
    n: int

    @property
    def bins(self) -> int:
        return int(self.counts.shape[1] - 2)

    def add(self, values: Arr) -> Histograms:
        """A new histogram with ``values`` (B × cells) counted in (integers: the order in
        which blocks are added does not change the counts)."""
        acc = HistogramAccumulator.like(self, keep=True)
        acc.add(values)
        return acc.freeze()

    def merge(self, other: Histograms) -> Histograms:
        """The histogram of both sets of draws (same edges); totals added in this order."""
        return Histograms(lo=self.lo, width=self.width, counts=self.counts + other.counts,
                          vmin=np.minimum(self.vmin, other.vmin), vmax=np.maximum(self.vmax, other.vmax),
                          total=self.total + other.total, n=self.n + other.n)


class HistogramAccumulator:
    """A worker's own, mutable :class:`Histograms` (counts as int64, updated in place, so a
    block costs a few passes over its values and one ``bincount``); :meth:`freeze` gives
    the immutable result."""

    def __init__(self, lo: Arr, width: Arr, counts: NDArray[np.int64], vmin: Arr, vmax: Arr, total: Arr, n: int):
        self.lo, self.width, self.counts = lo, width, counts
        self.vmin, self.vmax, self.total, self.n = vmin, vmax, total, n
        nb2 = counts.shape[1]
        self._offset = (np.arange(counts.shape[0], dtype=np.float64) * nb2 + 1.0)[None, :]
        self._pending: list[NDArray[np.int32]] = []
        self._pending_size = 0

    @classmethod
    def like(cls, h: Histograms, *, keep: bool = False) -> HistogramAccumulator:
        """An accumulator with ``h``'s edges: empty, or (``keep``) starting from its counts."""
        if keep:
            return cls(h.lo, h.width, h.counts.astype(np.int64), h.vmin.copy(), h.vmax.copy(), h.total.copy(), h.n)
        return cls(h.lo, h.width, np.zeros(h.counts.shape, dtype=np.int64), np.full_like(h.vmin, np.inf),
                   np.full_like(h.vmax, -np.inf), np.zeros_like(h.total), 0)

    def add(self, values: Arr) -> None:
        """Count ``values`` (B × cells): bin ``⌊(v − lo)/width⌋`` clipped to the under- and
        overflow bins. The flat bin indices (int32) wait until there are about as many as
        counters, then one ``bincount`` counts them all (its cost is the counters' size)."""
        B = values.shape[0]
        nb = self.counts.shape[1] - 2
        idx = np.subtract(values, self.lo[None, :])
        idx /= self.width[None, :]
        np.floor(idx, out=idx)
        np.maximum(idx, -1.0, out=idx)
        np.minimum(idx, float(nb), out=idx)
        idx += self._offset
        flat = idx.astype(np.int32 if self.counts.size < 2**31 else np.int64).ravel()
        self._pending.append(flat)  # type: ignore[arg-type]
        self._pending_size += flat.size
        if self._pending_size >= self.counts.size:
            self._flush()
        np.minimum(self.vmin, values.min(axis=0), out=self.vmin)
        np.maximum(self.vmax, values.max(axis=0), out=self.vmax)
        self.total += values.sum(axis=0)
        self.n += B

    def _flush(self) -> None:
        if not self._pending:
            return
        flat = self._pending[0] if len(self._pending) == 1 else np.concatenate(self._pending)
        self.counts += np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)
        self._pending = []
        self._pending_size = 0

    def merge_counts(self, other: Histograms) -> None:
        """Add another histogram's counts, extremes and draws (not its total: callers add
        totals in block order)."""
        self._flush()
        self.counts += other.counts
        np.minimum(self.vmin, other.vmin, out=self.vmin)
        np.maximum(self.vmax, other.vmax, out=self.vmax)
        self.n += other.n

    def freeze(self) -> Histograms:
        self._flush()
        return Histograms(lo=self.lo, width=self.width, counts=self.counts.astype(np.int32), vmin=self.vmin.copy(),
                          vmax=self.vmax.copy(), total=self.total.copy(), n=self.n)


def histogram_edges(pilot: Arr, *, bins: int = HIST_BINS, pad: float = 0.25) -> Histograms:
    """Empty histograms with edges from a pilot block (B × cells): ``lo = min − pad·range``,
    ``width = (1 + 2 pad) · range / bins`` (range = max − min of the pilot; a cell with no
    spread gets a width of ``1e-9 · max(|min|, 1e-6)`` Mt)."""
    mn, mx = pilot.min(axis=0), pilot.max(axis=0)
    rng = mx - mn
    floor = 1e-9 * np.maximum(np.abs(mn), 1e-6)
    span = np.maximum(rng * (1.0 + 2.0 * pad), floor * bins)
    cells = pilot.shape[1]
    return Histograms(lo=mn - pad * rng, width=span / bins, counts=np.zeros((cells, bins + 2), dtype=np.int32),
                      vmin=np.full(cells, np.inf), vmax=np.full(cells, -np.inf), total=np.zeros(cells), n=0)


@dataclass(frozen=True, eq=False)
class TaskResult:
    """The blocks of one task: ``first`` the index of its first block, ``totals`` their
    draws stacked in block order, ``hist`` their sector histograms (None without sector
    bands)."""

    first: int
    totals: Arr
    hist: Histograms | None


def run_blocks(inp: McInputs, hist: Histograms | None, first: int, seeds: list[np.random.SeedSequence],
               sizes: list[int]) -> TaskResult:
    """Blocks ``first, first + 1, …`` with their seeds and sizes, in order: the draws of
    the totals stacked, the sector values counted into an empty copy of ``hist``'s edges
    (a worker's task; see :func:`block_draws`)."""
    parts = []
    acc = None if hist is None else HistogramAccumulator.like(hist)
    for seed, size in zip(seeds, sizes, strict=True):
        d = block_draws(inp, seed, size)
        parts.append(d.totals)
        if acc is not None:
            acc.add(d.sectors.reshape(size, -1))
    h = None if acc is None else acc.freeze()
    return TaskResult(first=first, totals=np.concatenate(parts, axis=0), hist=h)


def histogram_quantiles(h: Histograms, q: Arr) -> tuple[Arr, Arr]:
    """Quantiles ``q`` (fractions, (Q,)) of every cell and their error bounds (Q × cells).

    ``numpy.percentile``'s default interpolates between the order statistics ``j = ⌊h⌋`` and
    ``j + 1`` with ``h = q (N − 1)``, so the exact quantile lies between the left edge of
    the bin holding statistic ``j`` and the right edge of the bin holding ``j + 1``
    (underflow bin: ``[vmin, lo]``; overflow: ``[hi, vmax]``). The estimate is the middle
    of that interval and the bound its half-length: ``width/2`` when both statistics share
    a bin, which is the usual case for ``N`` ≫ bins.
    """
    if h.n < 1:
        raise ValueError("no draws counted")
    nb = h.bins
    cum = np.cumsum(h.counts, axis=1)  # cells × (nb+2)
    inner = h.lo[:, None] + h.width[:, None] * np.arange(nb + 1)[None, :]
    left = np.clip(np.concatenate([h.vmin[:, None], inner], axis=1), h.vmin[:, None], h.vmax[:, None])
    right = np.clip(np.concatenate([inner, h.vmax[:, None]], axis=1), h.vmin[:, None], h.vmax[:, None])
    est = np.empty((len(q), cum.shape[0]))
    err = np.empty_like(est)
    cells = np.arange(cum.shape[0])
    for k, qq in enumerate(np.asarray(q, dtype=np.float64)):
        pos = qq * (h.n - 1)
        j = int(np.floor(pos))
        j2 = min(j + 1, h.n - 1) if pos > j else j
        b1 = (cum > j).argmax(axis=1)
        b2 = (cum > j2).argmax(axis=1)
        lo_v = left[cells, b1]
        hi_v = right[cells, b2]
        est[k] = 0.5 * (lo_v + hi_v)
        err[k] = 0.5 * (hi_v - lo_v)
    return est, err
