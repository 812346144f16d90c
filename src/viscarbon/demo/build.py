"""Build the synthetic demo MRIO tables and CO2 inventories, deterministically.

Method (also in ``docs/data-sources.md``, "Synthetic demo dataset"):

1. **Technical structure.** The national domestic coefficients ``a^d_ij`` (42 × 42), the
   import and value-added coefficients and the final-demand structure per yuan of GDP,
   derived once from the NBS 2015 table (``data/national_structure_2015.csv``).
2. **Trade.** Region ``s`` buys product ``i`` from region ``r`` in the share
   ``t^{rs}_i = c_ri g_rs^{k_i} h_i^{[r=s]} / Σ_r' c_r'i g_r's^{k_i} h_i^{[r'=s]}``: a gravity
   model on the distances ``d_rs`` between provincial capitals, ``g_rs = 400/(400 + d_rs)``,
   with supply capacity ``c_ri = GRP_r × output_factor_ri × μ_ri`` (regional
   specialisation, ``data/region_sector_tilts.csv``; ``μ`` the output levers of step 4),
   a distance exponent ``k_i`` and home bias ``h_i`` per product (``data/sector_trade.csv``).
   The starting coefficients are ``A_(r,i),(s,j) = t^{rs}_i a^d_ij`` (Miller & Blair 2009,
   §3.3, the multiregional "Chenery–Moses" model).
3. **Final demand.** Region ``s`` demands ``f_ik × GRP_s`` of product ``i`` in category ``k``
   (urban/rural split by urbanisation, investment by ``investment_factor``), sourced by
   the same trade shares; foreign exports ``EX_(s,i)`` by ``export_factor`` and
   specialisation. One multiplier ``d_s`` per region scales its final demand and exports
   so that its value added equals its GRP: ``v̂ L Y(d) = GRP`` is linear in ``d`` and is
   solved once per fitting round (31 × 31) in floating point; ``d`` is then rounded to 1e-6.
4. **Province-specific technology** (:mod:`viscarbon.demo.technology`). Each region's
   intra-provincial block is calibrated to its target flows ``Z*_s``: the 88 largest real
   intra-provincial flows of 2012 and 2015 (``data/intra_targets_2012_2015.csv``, derived
   from the VisCEADs top-88 edges, Zheng et al. 2021), and for 2017 the 2015 targets
   changed by the assumptions of ``data/changes_2015_2017.csv``. Round 0 solves the
   national-technology table; each of the ``FIT_ROUNDS`` rounds sets the target
   coefficients to ``Z*_sij / x_sj`` at the previous round's outputs (other intra cells
   kept below the region's smallest target, columns within their value-added room) and
   solves again; after round 1 the output levers ``μ`` raise the supply capacity of
   columns whose target inputs do not fit their room.
5. **Exact integer table.** Gross output is the least fixed point of the integer map
   ``x ← y + ⌊A x⌋`` (``A`` in units of 1e-7, money in hundredths of 10,000 yuan, int64;
   the Leontief solution ``x = (I − A)⁻¹ y`` of Miller & Blair 2009, eq. 2.11, reached
   by the power series of §2.4 without rounding drift). ``Z_ij = ⌊A_ij x_j⌋``, imports
   ``IM_j = ⌊m_j x_j⌋``, value added ``VA001-VA003`` by the national ratios and
   ``VA004`` the column remainder, final demand the row remainder ``x − Z·1`` split over
   the categories in proportion to the intended demand (the rounding remainder goes to
   the row's own ``Other`` (ERR) column). Sums of integers are exact, so every row and
   column balances exactly; the float64 arrays are the integers divided once by 100.
6. **CO2.** The CO2 of IO sector ``j`` of region ``r`` is taken proportional to
   ``intensity_j × intensity_factor_rj × x_rj`` (national 2015 intensities of
   ``national_sector_profile_2015.csv``), households add the national household share,
   and the whole is scaled to the region's CEADs total of the year. It is then split
   over the 47 inventory rows (inverse of the default concordance, national row shares)
   and over fuels by the national fuel mix of each inventory row
   (``data/inventory_profile_2015.csv``), in integer kilograms, so each region's sum is
   exactly its CEADs total. Tibet, like the real files, has no inventory.

Determinism: the floating-point steps whose last bit could depend on the CPU (the
haversine distances, the LU solves and the 31 × 31 calibration through LAPACK/BLAS) are
rounded to a coarse grid (whole kilometres; multipliers to 1e-6; fitted outputs to 16
significant bits) before anything else is built from them; everything after is
element-wise IEEE arithmetic (correctly rounded everywhere), reductions in a fixed order
and exact int64 sums.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Final

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from viscarbon.classification import FD_CATEGORIES, concordance, region_codes, sector_codes
from viscarbon.demo.technology import (
    FIT_ROUNDS,
    output_levers,
    parse_change_rules,
    province_technology,
    round_bits,
    targets_2017,
)
from viscarbon.errors import DataError
from viscarbon.i18n import t
from viscarbon.io.readers.ceads_inventory.layouts import (
    inventory_column_axis,
    inventory_sector_axis,
)
from viscarbon.io.readers.ceads_mrio.reader import va_axis
from viscarbon.model import Axis, InventoryTable, IOTable, Provenance

__all__ = [
    "COEF_SCALE",
    "INVENTORY_YEARS",
    "KG_PER_MT",
    "MONEY_SCALE",
    "MRIO_YEARS",
    "TARGETS_PER_REGION",
    "DemoParams",
    "IntTable",
    "build_inventory",
    "build_table",
    "demo_params",
    "provenance",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

MRIO_YEARS: Final = (2012, 2015, 2017)
INVENTORY_YEARS: Final = (2012, 2013, 2014, 2015, 2016, 2017, 2018)
#: money is built in hundredths of 10,000 yuan (100 yuan)
MONEY_SCALE: Final = 100
#: coefficients are built in units of 1e-7
COEF_SCALE: Final = 10_000_000
KG_PER_MT: Final = 1_000_000_000
#: gravity distance scale, km
D0_KM: Final = 400
#: national urbanisation rate 2015 (NBS), the reference for the urban/rural splits
NATIONAL_URBAN_SHARE: Final = 0.561
EARTH_RADIUS_KM: Final = 6371.0
FD_CODES: Final = tuple(c.code for c in FD_CATEGORIES)  # FU101 … FU202, Other
#: target flows per region-year (VisCEADs' top 5 % of the 42 × 42 intra-provincial block)
TARGETS_PER_REGION: Final = 88


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines))


def _fixed(text: str, scale: int) -> int:
    """Exact ``round(text × scale)`` of a decimal string (no binary rounding on the way)."""
    return int((Decimal(text.strip()) * scale).to_integral_value())


def _kg(text: str) -> int:
    return _fixed(text, KG_PER_MT)


@dataclass(frozen=True)
class DemoParams:
    """Everything the demo is built from (read from the packaged CSV files)."""

    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    ad: I64  # (S, S) domestic coefficients, 1e-7
    im: I64  # (S,) import coefficient per column, 1e-7
    va: I64  # (3, S) VA001-VA003 per unit of output, 1e-7
    fd: F64  # (S, 5) domestic final demand FU101..FU202 per yuan of GDP
    ex: F64  # (S,) exports per yuan of GDP
    dist_km: F64  # (R, R) whole kilometres
    dist_exp: tuple[int, ...]  # (S,)
    home_bias: F64  # (S,)
    out_tilt: F64  # (R, S)
    int_tilt: F64  # (R, S)
    urban_share: F64  # (R,)
    export_factor: F64  # (R,)
    investment_factor: F64  # (R,)
    grp: dict[int, F64]  # year → (R,) 100 million yuan
    co2_kg: dict[int, dict[str, int]]  # year → region → kg (CEADs totals)
    intensity: F64  # (S,) t per 10,000 yuan, national 2015
    inv_co2: F64  # (47,) national Mt per inventory row, 2015
    inv_mix: F64  # (47, 21) fuel mix per inventory row (rows sum to 1, or 0)
    targets: dict[int, I64]  # MRIO year → (R, S, S) intra-provincial target flows, 10,000 yuan


def _haversine_km(lat: F64, lon: F64) -> F64:
    """Great-circle distances (R × R), rounded to whole km (so the last bit of sin/cos,
    which may differ between CPUs, never reaches the tables)."""
    p = np.radians(lat)
    lam = np.radians(lon)
    dphi = p[:, None] - p[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(p)[:, None] * np.cos(p)[None, :] * np.sin(dlam / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    out: F64 = np.rint(d)
    return out


def _sector_set(spec: str, codes: tuple[str, ...]) -> list[int]:
    if "-" in spec:
        lo, hi = (int(p) for p in spec.split("-"))
        return [codes.index(f"{i:02d}") for i in range(lo, hi + 1)]
    return [codes.index(spec)]


@cache
def demo_params() -> DemoParams:
    """Read and check the packaged parameter files (cached)."""
    regions, sectors = region_codes(), sector_codes("io42_2012")
    R, S = len(regions), len(sectors)
    struct = {r["code"]: r for r in _rows("national_structure_2015.csv")}
    if tuple(struct) != sectors:
        raise DataError("demo/data/national_structure_2015.csv does not list sectors 01-42 in order")
    ad = np.array([[_fixed(struct[i][f"a_{j}"], COEF_SCALE) for j in sectors] for i in sectors],
                  dtype=np.int64)
    im = np.array([_fixed(struct[j]["im"], COEF_SCALE) for j in sectors], dtype=np.int64)
    va = np.array([[_fixed(struct[j][f"va00{k}"], COEF_SCALE) for j in sectors] for k in (1, 2, 3)],
                  dtype=np.int64)
    fd = np.array([[float(struct[i][c.lower()]) for c in FD_CODES[:5]] for i in sectors])
    ex = np.array([float(struct[i]["ex"]) for i in sectors])

    prof = {r["code"]: r for r in _rows("region_profile.csv")}
    if tuple(prof) != regions:
        raise DataError("demo/data/region_profile.csv does not list the 31 regions in NBS order")
    lat = np.array([float(prof[r]["lat"]) for r in regions])
    lon = np.array([float(prof[r]["lon"]) for r in regions])

    trade = {r["code"]: r for r in _rows("sector_trade.csv")}
    out_tilt = np.ones((R, S))
    int_tilt = np.ones((R, S))
    for row in _rows("region_sector_tilts.csv"):
        r = regions.index(row["region"])
        for j in _sector_set(row["sector"], sectors):
            out_tilt[r, j] *= float(row["output_factor"])
            int_tilt[r, j] *= float(row["intensity_factor"])

    grp: dict[int, F64] = {}
    co2: dict[int, dict[str, int]] = {}
    facts = _rows("province_facts.csv")
    for year in sorted({int(f["year"]) for f in facts}):
        by = {f["code"]: f for f in facts if int(f["year"]) == year}
        grp[year] = np.array([float(by[r]["grp_100m_yuan"]) for r in regions])
        co2[year] = {r: _kg(by[r]["co2_scope1_mt"]) for r in regions if by[r]["co2_scope1_mt"]}

    nat = {r["code"]: r for r in _rows("national_sector_profile_2015.csv")}
    intensity = np.array([float(nat[j]["co2_intensity_t_per_10k_yuan"]) for j in sectors])
    inv_rows = _rows("inventory_profile_2015.csv")
    cols = inventory_column_axis().codes
    inv_co2 = np.array([float(r["co2_mt"]) for r in inv_rows])
    mix = np.array([[float(r[c]) for c in cols] for r in inv_rows])
    sums = mix.sum(axis=1, keepdims=True)
    inv_mix = np.where(sums > 0, mix / np.where(sums > 0, sums, 1.0), 0.0)
    targets = _read_targets(regions, sectors)
    rules = parse_change_rules(_rows("changes_2015_2017.csv"), sectors, regions)
    targets[2017] = targets_2017(targets[2015], grp[2017] / grp[2015], sectors, regions, rules)
    return DemoParams(
        regions=regions, sectors=sectors, ad=ad, im=im, va=va, fd=fd, ex=ex,
        dist_km=_haversine_km(lat, lon),
        dist_exp=tuple(int(trade[j]["distance_exponent"]) for j in sectors),
        home_bias=np.array([float(trade[j]["home_bias"]) for j in sectors]),
        out_tilt=out_tilt, int_tilt=int_tilt,
        urban_share=np.array([float(prof[r]["urban_share"]) for r in regions]),
        export_factor=np.array([float(prof[r]["export_factor"]) for r in regions]),
        investment_factor=np.array([float(prof[r]["investment_factor"]) for r in regions]),
        grp=grp, co2_kg=co2, intensity=intensity, inv_co2=inv_co2, inv_mix=inv_mix,
        targets=targets,
    )


def _read_targets(regions: tuple[str, ...], sectors: tuple[str, ...]) -> dict[int, I64]:
    """``data/intra_targets_2012_2015.csv`` as year → ``Z*[s, i, j]`` (R × S × S, 10,000
    yuan, 0 where no target), checked: 88 distinct positive cells per region-year."""
    R, S = len(regions), len(sectors)
    out: dict[int, I64] = {}
    for row in _rows("intra_targets_2012_2015.csv"):
        Z = out.setdefault(int(row["year"]), np.zeros((R, S, S), dtype=np.int64))
        r, i, j = regions.index(row["region"]), sectors.index(row["from"]), sectors.index(row["to"])
        value = int(row["value_10k_yuan"])
        if Z[r, i, j] or value <= 0:
            raise DataError(f"demo/data/intra_targets_2012_2015.csv: bad or repeated cell {row}")
        Z[r, i, j] = value
    for year, Z in out.items():
        counts = (Z > 0).sum(axis=(1, 2))
        if (counts != TARGETS_PER_REGION).any():
            bad = regions[int(np.flatnonzero(counts != TARGETS_PER_REGION)[0])]
            raise DataError(f"demo/data/intra_targets_2012_2015.csv: {bad} {year} has "
                            f"{counts[regions.index(bad)]} cells, not {TARGETS_PER_REGION}")
    if sorted(out) != [2012, 2015]:
        raise DataError("demo/data/intra_targets_2012_2015.csv must hold the years 2012 and 2015")
    return out


def provenance(product: str, year: int) -> Provenance:
    return Provenance(source="viscarbon demo", product=product, vintage=str(year),
                      synthetic=True, citation=t("common.citation.demo", "en"), notes="synthetic demo")


# --------------------------------------------------------------------------- trade
def trade_shares(p: DemoParams, grp: F64, *, mu: F64 | None = None) -> F64:
    """``t[r, s, i]``: share of region ``r`` in region ``s``'s use of product ``i`` (R × R × S).

    ``t^{rs}_i = c_ri g_rs^{k_i} h_i^{[r=s]} / Σ_r' (…)`` with ``g_rs = D0/(D0 + d_rs)``,
    supply capacity ``c_ri = GRP_r × output_factor_ri × μ_ri`` (``μ`` the output levers
    of the technology fit, default 1; gravity model, Miller & Blair 2009, §3.3 on
    interregional trade coefficients).
    Integer exponents by repeated multiplication: element-wise, hence reproducible.
    """
    R, S = len(p.regions), len(p.sectors)
    g = D0_KM / (D0_KM + p.dist_km)  # (R, R), 1 on the diagonal
    powers = {1: g, 2: g * g, 3: g * g * g}
    cap = grp[:, None] * p.out_tilt  # (R, S)
    if mu is not None:
        cap = cap * mu
    w = np.empty((R, R, S))
    eye = np.eye(R, dtype=bool)
    for i in range(S):
        gi = powers[p.dist_exp[i]]
        gi = np.where(eye, gi * p.home_bias[i], gi)
        w[:, :, i] = cap[:, i][:, None] * gi
    out: F64 = w / w.sum(axis=0, keepdims=True)
    return out


# --------------------------------------------------------------------------- table
@dataclass(frozen=True)
class IntTable:
    """The exact integer table (money in hundredths of 10,000 yuan)."""

    Z: I64
    Y: I64
    EX: I64
    IM: I64
    V: I64
    x: I64
    multipliers: F64  # d_s, the calibration multipliers used (rounded to 1e-6)


def _final_demand(p: DemoParams, grp: F64, shares: F64) -> tuple[F64, F64]:
    """Intended final demand for unit multipliers: ``Yu`` (n × R·6) and ``EXu`` (n,), 10k yuan.

    Region ``s`` demands ``f_ik GRP_s`` of product ``i`` in category ``k`` (urban/rural
    by urbanisation, investment by ``investment_factor``, normalised so that the
    national totals keep the NBS structure), sourced from ``r`` with ``t^{rs}_i``.
    """
    R, S, K = len(p.regions), len(p.sectors), len(FD_CODES)
    g = grp * 10_000.0  # 10,000 yuan
    G = g.sum()
    rho = p.fd[:, 1].sum() / p.fd[:, 0].sum()  # urban / rural household consumption
    b = rho * (1 - NATIONAL_URBAN_SHARE) / NATIONAL_URBAN_SHARE
    u = p.urban_share * b / (p.urban_share * b + 1 - p.urban_share)  # urban consumption share
    u_nat = rho / (1 + rho)
    inv_w = g * p.investment_factor
    D = np.zeros((R, S, K))  # region s, product i, category k
    D[:, :, 0] = g[:, None] * p.fd[None, :, 0] * ((1 - u) / (1 - u_nat))[:, None]
    D[:, :, 1] = g[:, None] * p.fd[None, :, 1] * (u / u_nat)[:, None]
    D[:, :, 2] = g[:, None] * p.fd[None, :, 2]
    D[:, :, 3] = (inv_w / inv_w.sum())[:, None] * G * p.fd[None, :, 3]
    D[:, :, 4] = g[:, None] * p.fd[None, :, 4]
    # Y[(r,i), (s,k)] = t[r,s,i] D[s,i,k]
    Yu = shares.transpose(0, 2, 1)[:, :, :, None] * D[None, :, :, :].transpose(0, 2, 1, 3)
    # exports: by size, export factor and specialisation, national structure kept
    e = g[:, None] * p.export_factor[:, None] * p.out_tilt  # (R, S)
    EXu = (e / e.sum(axis=0, keepdims=True)) * (G * p.ex)[None, :]
    return Yu.reshape(R * S, R * K), EXu.reshape(R * S)


def _calibrate(A: F64, v: F64, Yu: F64, EXu: F64, target: F64, R: int, K: int
               ) -> tuple[F64, F64]:
    """Multipliers ``d`` (R,) with value added ``= target``: solve ``M d = target`` with
    ``M[r, s] = Σ_{j∈r} v_j [(I − A)⁻¹ y^(s)]_j`` (Miller & Blair 2009, eq. 2.11); rounded
    to 1e-6 so that the last bits of LAPACK never reach the table. Also returns the
    outputs ``x = (I − A)⁻¹ Y(d)`` (n,, 10,000 yuan) for the technology fit (floating
    point: rounded by :func:`~viscarbon.demo.technology.round_bits` before any use)."""
    n = A.shape[0]
    S = n // R
    cols = np.zeros((n, R))
    Yr = Yu.reshape(n, R, K).sum(axis=2)
    cols += Yr
    for s in range(R):
        cols[s * S:(s + 1) * S, s] += EXu[s * S:(s + 1) * S]
    IA = -A
    IA[np.diag_indices(n)] += 1.0  # I − A without a separate n × n identity
    lu = sla.lu_factor(IA, overwrite_a=True, check_finite=False)
    X = sla.lu_solve(lu, cols, check_finite=False)
    M = (v[:, None] * X).reshape(R, S, R).sum(axis=1)
    d = np.linalg.solve(M, target)
    if not (d > 0).all():
        bad = int(np.flatnonzero(d <= 0)[0])
        raise DataError(f"demo calibration failed: multiplier {d[bad]:.3g} for region index {bad}",
                        hint="check demo/data parameters")
    out: F64 = np.rint(d * 1e6) / 1e6
    x: F64 = X @ out
    return out, x


def _coefficients(p: DemoParams, shares: F64, targets: I64, x: F64 | None, room: F64) -> I64:
    """``A`` in units of 1e-7 (n × n, int64): ``t^{rs}_i a^d_ij`` (national technology)
    when ``x`` is None, else with the intra-provincial blocks calibrated to ``targets``
    at outputs ``x``, ``room = 1 − m_j − va_j`` (:func:`~viscarbon.demo.technology.province_technology`)."""
    R, S = len(p.regions), len(p.sectors)
    n = R * S
    if x is None:
        # A_(r,i),(s,j) = t[r,s,i] a^d_ij, in units of 1e-7
        A4 = shares.transpose(0, 2, 1)[:, :, :, None] * p.ad.astype(np.float64)[None, :, None, :]
        return np.rint(A4).astype(np.int64).reshape(n, n)
    A = province_technology(shares, p.ad / COEF_SCALE, targets, x.reshape(R, S), room)
    return np.rint(A * COEF_SCALE).astype(np.int64)


def build_int_table(year: int, p: DemoParams | None = None) -> IntTable:
    """The exact integer demo table of ``year`` (see the module docstring)."""
    p = p or demo_params()
    R, S, K = len(p.regions), len(p.sectors), len(FD_CODES)
    n = R * S
    grp = p.grp[year]
    targets = p.targets[year]
    room = 1.0 - (p.im + p.va.sum(axis=0)) / COEF_SCALE
    im_col = np.tile(p.im, R)  # (n,)
    va_col = np.tile(p.va, (1, R))  # (3, n)
    # technology fit: round 0 national, then FIT_ROUNDS rounds of province technology
    mu = np.ones((R, S))
    x_fit: F64 | None = None
    for rnd in range(FIT_ROUNDS + 1):
        shares = trade_shares(p, grp, mu=mu)
        A_int = _coefficients(p, shares, targets, x_fit, room)
        v = 1.0 - (A_int.sum(axis=0) + im_col) / COEF_SCALE  # value added per unit of output
        Yu, EXu = _final_demand(p, grp, shares)
        d, x_float = _calibrate(A_int / COEF_SCALE, v, Yu, EXu, grp * 10_000.0, R, K)
        if rnd == FIT_ROUNDS:
            break
        x_fit = round_bits(np.maximum(x_float, 1.0))
        if rnd == 1:  # the output levers are set once, from the first fitted outputs
            mu = output_levers(mu, targets, x_fit.reshape(R, S), room)

    # intended final demand with the multipliers, hundredths of 10,000 yuan
    dcol = np.repeat(d, K)  # (R·K,)
    Yi = Yu * dcol[None, :] * MONEY_SCALE
    EXi = EXu * np.repeat(d, S) * MONEY_SCALE
    y_tot = Yi.sum(axis=1) + EXi
    y_int = np.floor(np.maximum(y_tot, 0.0)).astype(np.int64)

    # least fixed point of x = y + floor(A x): monotone from x = y, exact in int64
    x = y_int.copy()
    for _ in range(10_000):
        nxt = y_int + (A_int @ x) // COEF_SCALE
        if np.array_equal(nxt, x):
            break
        x = nxt
    else:  # pragma: no cover - the iteration converges in ~100 steps
        raise DataError("demo table: the integer Leontief iteration did not converge")
    if x.max() >= 2**62 // COEF_SCALE:
        raise DataError("demo table: gross output too large for exact int64 arithmetic")

    Z = (A_int * x[None, :]) // COEF_SCALE
    resid = x - Z.sum(axis=1)  # ≥ y_int ≥ 0 at the fixed point
    # split the residual over the final-demand columns and exports in proportion to intent
    W = np.concatenate([Yi, EXi[:, None]], axis=1)
    tot = W.sum(axis=1)
    safe = np.where(tot > 0, tot, 1.0)
    parts = np.floor(resid[:, None] * (W / safe[:, None])).astype(np.int64)
    parts[tot <= 0] = 0
    Y = parts[:, :-1].copy()
    EX = parts[:, -1].copy()
    rem = resid - parts.sum(axis=1)
    own_other = np.repeat(np.arange(R), S) * K + (K - 1)
    Y[np.arange(n), own_other] += rem

    IM = (x * im_col) // COEF_SCALE
    va_total = x - Z.sum(axis=0) - IM
    V = np.empty((4, n), dtype=np.int64)
    V[:3] = (x[None, :] * va_col) // COEF_SCALE
    V[3] = va_total - V[:3].sum(axis=0)
    return IntTable(Z=Z, Y=Y, EX=EX, IM=IM, V=V, x=x, multipliers=d)


def build_table(year: int, p: DemoParams | None = None) -> tuple[IOTable, IntTable]:
    """The demo :class:`IOTable` of ``year`` and the integer table it was made from."""
    it = build_int_table(year, p)
    m = float(MONEY_SCALE)
    table = IOTable(
        year=year,
        regions=Axis.regions(),
        sectors=Axis.sectors("io42_2012"),
        Z=it.Z / m, Y=it.Y / m, fd_categories=Axis.fd_categories(),
        EX=it.EX / m, IM=it.IM / m, V=it.V / m, va_rows=va_axis(), x=it.x / m,
        provenance=(provenance("synthetic MRIO", year),),
        notes=(t("demo.note.synthetic", "en"),),
    )
    return table, it


# --------------------------------------------------------------------------- inventory
def _inventory_weights(p: DemoParams, x: F64, regions: tuple[str, ...]) -> F64:
    """Relative CO2 by region, inventory row and column (R' × 47 × 21), before scaling."""
    S = len(p.sectors)
    conc = concordance("io42_2012")
    rows = sorted(conc.rows, key=lambda r: r.inv_index)
    # which inventory rows feed each IO sector, and their national weights
    feeders: dict[int, list[int]] = {}
    for s, row in enumerate(rows):
        if row.rule != "household":
            for code in row.targets:
                feeders.setdefault(p.sectors.index(code), []).append(s)
    hh_share = (p.inv_co2[45] + p.inv_co2[46]) / p.inv_co2.sum()
    a = (p.inv_co2[45] / p.inv_co2[46]) * (1 - NATIONAL_URBAN_SHARE) / NATIONAL_URBAN_SHARE
    out = np.zeros((len(regions), len(rows), p.inv_mix.shape[1]))
    for k, code in enumerate(regions):
        r = p.regions.index(code)
        E = p.intensity * p.int_tilt[r] * x[r * S:(r + 1) * S]  # by IO sector
        inv = np.zeros(len(rows))
        for j, srcs in feeders.items():
            w = p.inv_co2[srcs]
            tot = w.sum()
            if tot > 0:
                inv[srcs] += E[j] * w / tot
        hh = hh_share / (1 - hh_share) * E.sum()
        u = p.urban_share[r]
        fu = u * a / (u * a + 1 - u)
        inv[45] = hh * fu
        inv[46] = hh * (1 - fu)
        out[k] = inv[:, None] * p.inv_mix
    return out


def build_inventory(year: int, x: F64, p: DemoParams | None = None) -> InventoryTable:
    """The demo inventory of ``year`` (30 regions, no Tibet; 47 rows × 21 columns, Mt).

    ``x`` is the gross output (n,) of the table whose structure the year uses (the
    nearest MRIO year). Region totals are the CEADs totals of ``province_facts.csv``;
    years between calibration years (2013, 2014, 2016) are interpolated linearly in
    integer kilograms: ``T_y = T_a + ⌊(T_b − T_a)(y − a)/(b − a)⌋``.
    """
    p = p or demo_params()
    known = sorted(y for y in p.co2_kg if p.co2_kg[y])
    if year in known:
        totals = p.co2_kg[year]
    else:
        lo = max((y for y in known if y < year), default=None)
        hi = min((y for y in known if y > year), default=None)
        if lo is None or hi is None:
            raise DataError(f"no demo CO2 totals for {year}", hint=f"years {known[0]}-{known[-1]}")
        totals = {c: p.co2_kg[lo][c] + (p.co2_kg[hi][c] - p.co2_kg[lo][c]) * (year - lo) // (hi - lo)
                  for c in p.co2_kg[lo]}
    regions = tuple(c for c in p.regions if c in totals)
    W = _inventory_weights(p, x, regions)
    vals = np.zeros(W.shape, dtype=np.int64)
    for k, code in enumerate(regions):
        T = totals[code]
        w = W[k] / W[k].sum()
        cell = np.floor(w * float(T)).astype(np.int64)
        flat = int(np.argmax(cell))
        cell.flat[flat] += T - int(cell.sum())
        vals[k] = cell
    tot = np.array([totals[c] for c in regions], dtype=np.int64)
    return InventoryTable(
        year=year,
        regions=Axis.regions(regions),
        sectors=inventory_sector_axis(),
        columns=inventory_column_axis(),
        values=vals / float(KG_PER_MT),
        totals=tot / float(KG_PER_MT),
        provenance=(provenance("synthetic CO2 inventory", year),),
    )
