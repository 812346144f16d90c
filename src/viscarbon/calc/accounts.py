"""Carbon accounts of an (MR)IO system: production-based, consumption-based, the
inter-regional transfer matrix, embodied in exports, footprints by sector of origin and
the imports estimate. Pure arrays; the definitions are written out in ``docs/math.md``.

Notation (``docs/terminology.md``; Miller & Blair 2009 ch. 3 and 10): ``n = R·S``
region-sectors, region-major; ``K`` final-demand categories per region; ``Y`` (n × R·K)
final demand, region-major by category; ``EX`` (n,) foreign exports = the final demand
of the rest of the world; ``F`` (n,) CO2 by industry, Mt; ``F_Y`` (R·K,) households'
direct CO2 in their final-demand columns, Mt; ``x`` (n,) gross output, 10,000 yuan.
Every emission account is in Mt CO2. Intensities inside this module are in Mt per
10,000 yuan (``F/x``) so that products are Mt; :mod:`viscarbon.calc.leontief` gives the
t-per-10,000-yuan versions for display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.calc.leontief import (
    LeontiefFactor,
    direct_intensity,
    factorize,
    solve,
    solve_transposed,
    technical_coefficients,
)

__all__ = [
    "CarbonAccounts",
    "ImportBlock",
    "carbon_accounts",
    "import_block_estimate",
    "import_intensity",
    "regional_multipliers",
]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CarbonAccounts:
    """The arrays of one year's carbon accounts (all Mt CO2 unless stated).

    * ``f`` (n,) direct intensity, Mt per 10,000 yuan; ``m`` (n,) total intensity ``f L``.
    * ``production_industry`` (R,) ``Σ_{i∈r} F_i``; ``households_by_category`` (R × K)
      households' direct CO2 ``F_Y`` per region and category.
    * ``footprint_origin`` (n × (R+1)) ``D = f̂ L [Y_reg | EX]``: CO2 emitted by
      region-sector ``i`` for the final demand of region ``s`` (last column: foreign
      exports). Footprints by sector of origin.
    * ``transfer`` (R × (R+1)) ``T[r, s] = Σ_{i∈r} D[i, s]``: CO2 emitted in ``r`` for
      final demand in ``s`` (last column: for foreign exports).
    * ``by_category`` (R × K) ``m Y``: consumption-based CO2 of region ``s`` and category
      ``c`` (industries only; households' direct CO2 is ``F_Y`` beside it).
    * ``exports_embodied`` (R,) ``Σ_{i∈r} m_i EX_i``: CO2 (emitted anywhere in the
      system) embodied in region ``r``'s foreign exports.
    * ``imports_embodied`` (R,) estimate of CO2 emitted abroad embodied in region ``s``'s
      final demand (domestic-technology assumption: :func:`import_intensity` from the
      imports row, or :func:`import_block_estimate` from an import block by product), and
      ``imports_embodied_exports`` (scalar) the part passed on into foreign exports
      (``imports_embodied_exports_by_region`` (R,): by exporting region). All NaN (not
      applicable) for a competitive-imports table, whose imports are already a negative
      final-demand category inside the consumption-based total.
    * ``imports_method``: ``"row"`` (:func:`import_intensity`), ``"block"``
      (:func:`import_block_estimate`) or ``"not_applicable"`` (competitive imports).
    """

    f: Arr
    m: Arr
    production_industry: Arr
    households_by_category: Arr
    footprint_origin: Arr
    transfer: Arr
    by_category: Arr
    exports_embodied: Arr
    imports_embodied: Arr
    imports_embodied_exports: float
    import_intensity: Arr
    imports_embodied_exports_by_region: Arr | None = None
    imports_method: str = "row"

    @property
    def n_regions(self) -> int:
        return int(self.transfer.shape[0])

    @property
    def households(self) -> Arr:
        """Households' direct CO2 per region ``Σ_c F_Y[r, c]`` (R,)."""
        return readonly(self.households_by_category.sum(axis=1))

    @property
    def production_based(self) -> Arr:
        """``PBA_r = Σ_{i∈r} F_i + Σ_c F_Y[r, c]`` (R,)."""
        return readonly(self.production_industry + self.households)

    @property
    def consumption_industry(self) -> Arr:
        """``Σ_r T[r, s]`` = ``f L Y_s`` (R,): industrial CO2 anywhere for ``s``'s final demand."""
        R = self.n_regions
        return readonly(self.transfer[:, :R].sum(axis=0))

    @property
    def consumption_based(self) -> Arr:
        """``CBA_s = f L Y_s + Σ_c F_Y[s, c]`` (R,), foreign exports excluded."""
        return readonly(self.consumption_industry + self.households)

    @property
    def emitted_for_exports(self) -> Arr:
        """``T[r, EX]`` (R,): CO2 emitted in ``r`` for the system's foreign exports."""
        return readonly(np.array(self.transfer[:, -1]))

    @property
    def net_transfer(self) -> Arr:
        """Net inter-regional transfer into ``r``: ``Σ_q T[q, r] − Σ_s T[r, s]`` (R,),
        positive when others emit more for ``r``'s final demand than ``r`` emits for
        theirs (a net importer of embodied CO2; foreign exports excluded).
        ``CBA − PBA = net_transfer − T[r, EX]``."""
        R = self.n_regions
        T = self.transfer[:, :R]
        return readonly(T.sum(axis=0) - T.sum(axis=1))


def regional_multipliers(factor: LeontiefFactor, f: ArrayLike, *, n_regions: int) -> Arr:
    """Multipliers by region of emission ``M_r = (f ⊙ 1_r) L`` (R × n).

    ``M_r[j]``: CO2 emitted in region ``r`` per unit of final demand for ``j`` (unit of
    ``f``). ``Σ_r M_r = m``. One transposed LU solve with ``R`` right-hand sides
    (Miller & Blair 2009, §6.3 and §3.3 on interregional multipliers).
    """
    fv = np.asarray(f, dtype=np.float64)
    n = fv.shape[0]
    S = n // n_regions
    masked = np.zeros((n_regions, n))
    for r in range(n_regions):
        masked[r, r * S : (r + 1) * S] = fv[r * S : (r + 1) * S]
    return solve_transposed(factor, masked)


def import_intensity(m: ArrayLike, Z: ArrayLike, IM: ArrayLike, x: ArrayLike) -> Arr:
    """Direct intensity of foreign imports under the domestic-technology assumption (n,).

    The imports row ``IM_j`` (a primary input of column ``j``, no emissions data) is
    assumed to carry the average total intensity of ``j``'s domestic intermediate inputs,

    ``μ_j = Σ_i m_i Z_ij / Σ_i Z_ij``,  so  ``d_j = μ_j IM_j / x_j``

    is CO2 emitted abroad per unit of ``j``'s output (unit of ``m``). It is an estimate
    (cf. the domestic technology assumption of Miller & Blair 2009, §10.3 and
    Tukker et al. 2013), never part of the default consumption-based total.
    Shapes: ``m``, ``IM``, ``x`` (n,), ``Z`` (n × n).
    """
    Zm = np.asarray(Z, dtype=np.float64)
    mv = np.asarray(m, dtype=np.float64)
    inputs = Zm.sum(axis=0)
    mu = np.zeros_like(inputs)
    np.divide(mv @ Zm, inputs, out=mu, where=inputs > 0)
    emitted = mu * np.asarray(IM, dtype=np.float64)
    d = np.zeros_like(emitted)
    xv = np.asarray(x, dtype=np.float64)
    np.divide(emitted, xv, out=d, where=xv != 0)
    return readonly(d)


@dataclass(frozen=True, eq=False)
class ImportBlock:
    """The imports of a non-competitive table by product (NBS 2017-2020): ``Z`` (n × n)
    imported intermediate inputs (row: product, column: using sector), ``Y`` (n × R·K)
    imports going straight to final use, ``EX`` (n,) re-exports; 10,000 yuan."""

    Z: Arr
    Y: Arr
    EX: Arr


def import_block_estimate(f: ArrayLike, Z: ArrayLike, x: ArrayLike, block: ImportBlock) -> tuple[Arr, Arr]:
    """Total intensity of imported products under the domestic-technology assumption,
    with the import block (n,) each, unit of ``f`` per 10,000 yuan:

    * ``m̃ = f (I − A_d − A_m)⁻¹``: CO2 emitted to make one unit of each product with the
      domestic technology *including* its imported inputs, themselves made the same way
      (``A_d = Z x̂⁻¹``, ``A_m = Z_imp x̂⁻¹``; the total-technology multiplier of the
      competitive-imports model, Su & Ang 2013, *Energy Economics* 39:29, Miller & Blair
      2009 §10.3);
    * ``d̃_j = Σ_i m̃_i Z_imp,ij / x_j``: CO2 emitted abroad for the imported inputs of one
      unit of ``j``'s output.

    Returns ``(m̃, d̃)``. Then ``(d̃ L) y + m̃ Y_imp`` is the CO2 emitted abroad for a
    final demand ``y`` and the imports going straight to it, and over every use
    ``Σ (d̃ L)(Y1 + EX) + m̃ (Y_imp 1 + EX_imp) = m̃ M_total`` because ``L (Y1 + EX) = x``.
    """
    Zd = np.asarray(Z, dtype=np.float64)
    xv = np.asarray(x, dtype=np.float64)
    fv = np.asarray(f, dtype=np.float64)
    total = factorize(technical_coefficients(Zd + np.asarray(block.Z, dtype=np.float64), xv))
    m_tilde = solve_transposed(total, fv)
    d = np.zeros_like(xv)
    np.divide(m_tilde @ np.asarray(block.Z, dtype=np.float64), xv, out=d, where=xv != 0)
    return readonly(m_tilde), readonly(d)


def carbon_accounts(
    factor: LeontiefFactor,
    *,
    F: ArrayLike,
    F_Y: ArrayLike,
    x: ArrayLike,
    Z: ArrayLike,
    Y: ArrayLike,
    EX: ArrayLike,
    IM: ArrayLike,
    n_regions: int,
    n_categories: int,
    competitive: bool = False,
    import_block: ImportBlock | None = None,
) -> CarbonAccounts:
    """All carbon accounts from one factorisation of ``I − A`` (Mt CO2).

    * ``f = F x̂⁻¹`` (Mt per 10,000 yuan), ``m = f L`` (one transposed solve).
    * ``D = f̂ L [Y_reg | EX]`` with ``Y_reg`` (n × R) final demand summed over categories
      per destination region (one solve with ``R + 1`` right-hand sides).
    * ``T[r, s] = Σ_{i∈r} D[i, s]``; consumption by category ``m Y``.
    * embodied in region ``r``'s exports ``Σ_{i∈r} m_i EX_i``.
    * imports estimate ``(d L) Y_s`` with ``d`` from :func:`import_intensity` (the
      imports row), or with an ``import_block`` ``(d̃ L) Y_s + m̃ Y_imp,s``
      (:func:`import_block_estimate`); NaN (not applicable) when ``competitive``.

    Identity (Miller & Blair 2009, §10.3; Peters 2008): because ``L y = x`` with
    ``y = Y 1 + EX``, ``Σ_s CBA_s + Σ_r EEE_r = Σ_r PBA_r`` exactly.
    """
    R, K = n_regions, n_categories
    Fv = np.asarray(F, dtype=np.float64)
    xv = np.asarray(x, dtype=np.float64)
    Ym = np.asarray(Y, dtype=np.float64)
    EXv = np.asarray(EX, dtype=np.float64)
    n = xv.shape[0]
    S = n // R
    f = direct_intensity(Fv, xv, scale=1.0)
    m = solve_transposed(factor, f)
    Y_reg = Ym.reshape(n, R, K).sum(axis=2)
    X_reg = solve(factor, np.column_stack([Y_reg, EXv]))
    D = readonly(f[:, None] * X_reg)
    T = readonly(D.reshape(R, S, R + 1).sum(axis=1))
    by_cat = readonly((m @ Ym).reshape(R, K))
    eee = readonly((m * EXv).reshape(R, S).sum(axis=1))
    if competitive:
        d = readonly(np.full(n, np.nan))
        imp = readonly(np.full(R, np.nan))
        imp_ex_r = readonly(np.full(R, np.nan))
        method = "not_applicable"
    elif import_block is not None:
        m_tilde, d = import_block_estimate(f, Z, xv, import_block)
        md = solve_transposed(factor, d)
        Y_imp_reg = np.asarray(import_block.Y, dtype=np.float64).reshape(n, R, K).sum(axis=2)
        imp = readonly(md @ Y_reg + m_tilde @ Y_imp_reg)
        imp_ex_r = readonly((md * EXv + m_tilde * np.asarray(import_block.EX, dtype=np.float64))
                            .reshape(R, S).sum(axis=1))
        method = "block"
    else:
        d = import_intensity(m, Z, IM, xv)
        md = solve_transposed(factor, d)
        imp = readonly((md @ Y_reg).copy())
        imp_ex_r = readonly((md * EXv).reshape(R, S).sum(axis=1))
        method = "row"
    imp_ex = float(imp_ex_r.sum())
    return CarbonAccounts(
        f=f,
        m=m,
        production_industry=readonly(Fv.reshape(R, S).sum(axis=1)),
        households_by_category=readonly(np.array(F_Y, dtype=np.float64).reshape(R, K)),
        footprint_origin=D,
        transfer=T,
        by_category=by_cat,
        exports_embodied=eee,
        imports_embodied=imp,
        imports_embodied_exports=imp_ex,
        import_intensity=d,
        imports_embodied_exports_by_region=imp_ex_r,
        imports_method=method,
    )
