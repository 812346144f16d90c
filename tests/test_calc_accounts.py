"""Carbon accounts and electricity reallocation: identities and hand-computed cases."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from engine_fixtures import random_system
from viscarbon.calc.accounts import carbon_accounts, import_intensity, regional_multipliers
from viscarbon.calc.electricity import reallocate_electricity
from viscarbon.calc.leontief import factorize, technical_coefficients


def _accounts(seed: int = 1, R: int = 4, S: int = 5):  # type: ignore[no-untyped-def]
    sysm = random_system(R, S, seed=seed)
    t = sysm.table
    sat = sysm.satellite("CO2")
    fac = factorize(technical_coefficients(t.Z, t.x))
    a = carbon_accounts(fac, F=sat.total, F_Y=sat.total_Y, x=t.x, Z=t.Z, Y=t.Y, EX=t.EX, IM=t.IM,
                        n_regions=R, n_categories=len(t.fd_categories))
    return t, sat, fac, a


def test_sum_cba_plus_exports_equals_sum_pba() -> None:
    _t, sat, _, a = _accounts()
    total = sat.F.sum() + sat.F_Y.sum()
    assert total > 0
    assert_allclose(a.production_based.sum(), total, rtol=1e-13)
    assert_allclose(a.consumption_based.sum() + a.exports_embodied.sum(), a.production_based.sum(), rtol=1e-11)
    # emitted for exports (by origin) and embodied in exports (by exporter) have the same total
    assert_allclose(a.emitted_for_exports.sum(), a.exports_embodied.sum(), rtol=1e-11)


def test_transfer_matrix_rows_and_columns() -> None:
    t, _sat, _, a = _accounts(seed=4)
    R = t.n_regions
    # every region's industrial CO2 goes to some final demand (a region's or exports)
    assert_allclose(a.transfer.sum(axis=1), a.production_industry, rtol=1e-11)
    # columns: f L Y_s, the same as m Y by category
    assert_allclose(a.transfer[:, :R].sum(axis=0), a.by_category.sum(axis=1), rtol=1e-11)
    # CBA − PBA = net transfer − emitted for exports
    assert_allclose(a.consumption_based - a.production_based, a.net_transfer - a.emitted_for_exports,
                    rtol=1e-9, atol=1e-15)
    assert abs(a.net_transfer.sum()) < 1e-12 * a.production_based.sum()
    # footprint by sector of origin sums to the transfer matrix
    assert_allclose(a.footprint_origin.reshape(R, t.n_sectors, R + 1).sum(axis=1), a.transfer, rtol=1e-12)


def test_against_a_dense_inverse() -> None:
    t, sat, _, a = _accounts(seed=6, R=3, S=4)
    L = np.linalg.inv(np.eye(t.n) - technical_coefficients(t.Z, t.x))
    f = sat.total / t.x
    R, K, S = t.n_regions, len(t.fd_categories), t.n_sectors
    for s in range(R):
        Ys = t.Y[:, s * K:(s + 1) * K].sum(axis=1)
        emitted = f * (L @ Ys)
        for r in range(R):
            assert_allclose(a.transfer[r, s], emitted[r * S:(r + 1) * S].sum(), rtol=1e-11)
    assert_allclose(a.m, f @ L, rtol=1e-11)


def test_regional_multipliers_add_up() -> None:
    t, _sat, fac, a = _accounts(seed=8)
    M = regional_multipliers(fac, a.f, n_regions=t.n_regions)
    assert_allclose(M.sum(axis=0), a.m, rtol=1e-12)
    # T[r, s] = M_r · Y_s
    Y_reg = t.Y_by_region()
    assert_allclose(M @ Y_reg, a.transfer[:, :t.n_regions], rtol=1e-11)


def test_imports_estimate_identity() -> None:
    t, _sat, _fac, a = _accounts(seed=2)
    # what the imports carry: μ_j IM_j; all of it ends in some final demand or exports
    d = import_intensity(a.m, t.Z, t.IM, t.x)
    emitted_abroad = (d * t.x).sum()
    assert emitted_abroad > 0
    assert_allclose(a.imports_embodied.sum() + a.imports_embodied_exports, emitted_abroad, rtol=1e-11)
    # the estimate is kept out of the consumption-based total
    assert_allclose(a.consumption_based.sum() + a.exports_embodied.sum(), a.production_based.sum(), rtol=1e-11)
    mu = (a.m @ t.Z) / t.Z.sum(axis=0)
    assert_allclose(d, mu * t.IM / t.x, rtol=1e-12)


def test_electricity_reallocation_by_hand() -> None:
    # two regions, two sectors (power = sector 0). Region A's power sells to B's power.
    #        A0    A1    B0    B1   | Y_A  Y_B | EX |  x
    Z = np.array([
        [0.0, 30.0, 20.0, 0.0],   # A power: 30 to A1, 20 to B power
        [5.0, 10.0, 0.0, 5.0],
        [0.0, 0.0, 0.0, 40.0],    # B power: 40 to B1
        [5.0, 0.0, 10.0, 10.0],
    ])
    Y = np.array([[40.0, 10.0], [60.0, 20.0], [30.0, 10.0], [70.0, 5.0]])
    EX = np.array([0.0, 0.0, 0.0, 0.0])
    x = Z.sum(axis=1) + Y.sum(axis=1) + EX
    F = np.array([10.0, 2.0, 4.0, 1.0])
    re = reallocate_electricity(F, Z, Y, EX, x, [0, 2])
    # A power delivers 100 with 10 Mt: c_A = 0.1; B power: (4 + 0.1·20) / 80 = 0.075
    assert_allclose(re.factor, [0.1, 0.075], rtol=1e-13)
    assert_allclose(re.industry, [0.0, 2.0 + 0.1 * 30.0, 0.0, 1.0 + 0.075 * 40.0], rtol=1e-13)
    assert_allclose(re.final_demand, [0.1 * 40 + 0.075 * 30, 0.1 * 10 + 0.075 * 10], rtol=1e-13)
    assert_allclose(re.industry.sum() + re.final_demand.sum() + re.exports.sum(), F.sum(), rtol=1e-13)


def test_electricity_conservation_on_a_random_mrio() -> None:
    sysm = random_system(5, 6, seed=12)
    t = sysm.table
    F = sysm.satellite("CO2").total
    rows = np.arange(t.n_regions) * t.n_sectors + 2
    re = reallocate_electricity(F, t.Z, t.Y, t.EX, t.x, rows)
    assert_allclose(re.industry.sum() + re.final_demand.sum() + re.exports.sum(), F.sum(), rtol=1e-12)
    assert np.all(re.industry[rows] == 0)
    assert np.all(re.industry >= 0) and np.all(re.factor > 0)
