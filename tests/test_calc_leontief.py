"""Leontief and Ghosh kernels: the Miller & Blair textbook example, x = L y, Ghosh
identities, multipliers by transposed solves vs dense products, linkages."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine_fixtures import random_system
from viscarbon.calc import leontief as lt

# Miller & Blair 2009, section 2.3 (../shared/reference/textbook_examples.md)
Z_MB = np.array([[150.0, 500.0], [200.0, 100.0]])
f_MB = np.array([350.0, 1700.0])
x_MB = np.array([1000.0, 2000.0])


def test_textbook_two_sector_example() -> None:
    A = lt.technical_coefficients(Z_MB, x_MB)
    assert_allclose(A, [[0.15, 0.25], [0.20, 0.05]], rtol=1e-15)
    L = lt.leontief_inverse(A)
    assert_allclose(L, [[1.254125, 0.330033], [0.264026, 1.122112]], atol=5e-7)
    fac = lt.factorize(A)
    assert_allclose(lt.solve(fac, f_MB), x_MB, rtol=1e-13)
    # output multipliers = column sums of L (M&B Table 6.1: 1.5182, 1.4521)
    assert_allclose(lt.output_multipliers(fac), L.sum(axis=0), rtol=1e-13)
    assert_allclose(lt.output_multipliers(fac), [1.518152, 1.452145], atol=5e-7)


def test_results_are_read_only() -> None:
    fac = lt.factorize(lt.technical_coefficients(Z_MB, x_MB))
    y = lt.solve(fac, f_MB)
    with pytest.raises(ValueError):
        y[0] = 1.0
    with pytest.raises(ValueError):
        fac.lu[0, 0] = 1.0


def test_x_equals_L_y_on_a_random_mrio() -> None:
    t = random_system(5, 6, seed=3).table
    fac = lt.factorize(lt.technical_coefficients(t.Z, t.x))
    assert_allclose(lt.solve(fac, t.y_total()), t.x, rtol=1e-11)
    # many right-hand sides at once: the columns of L Y add up to x minus L EX
    X = lt.solve(fac, np.column_stack([t.Y, t.EX]))
    assert_allclose(X.sum(axis=1), t.x, rtol=1e-11)


def test_transposed_solve_equals_dense_products() -> None:
    t = random_system(3, 4, seed=11).table
    A = lt.technical_coefficients(t.Z, t.x)
    fac = lt.factorize(A)
    L = np.linalg.inv(np.eye(t.n) - A)
    f = np.random.default_rng(0).random((3, t.n))
    assert_allclose(lt.multipliers(fac, f), f @ L, rtol=1e-11)
    assert_allclose(lt.multipliers(fac, f[0]), f[0] @ L, rtol=1e-11)
    m = lt.multipliers(fac, f[0])
    assert_allclose(lt.upstream_intensity(m, f[0]), f[0] @ (L - np.eye(t.n)), rtol=1e-10, atol=1e-14)


def test_direct_intensity_units_and_empty_sectors() -> None:
    F = np.array([2.0, 0.0, 1.5])  # Mt
    x = np.array([1e6, 0.0, 3e5])  # 10,000 yuan
    f = lt.direct_intensity(F, x)  # t per 10,000 yuan
    assert_allclose(f, [2.0, 0.0, 5.0])
    Z = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 4.0]])
    A = lt.technical_coefficients(Z, x)
    assert np.all(A[:, 1] == 0) and np.isfinite(A).all()


def test_ghosh_identities() -> None:
    # x' = v' G with v the primary inputs (value added and imports): M&B eq. 12.11
    t = random_system(3, 4, seed=5).table
    G = lt.ghosh_inverse(t.Z, t.x)
    v = t.x - t.Z.sum(axis=0)
    assert_allclose(v @ G, t.x, rtol=1e-11)
    fac = lt.factorize(lt.technical_coefficients(t.Z, t.x))
    assert_allclose(lt.ghosh_row_sums(fac, t.x), G.sum(axis=1), rtol=1e-11)
    # G = x̂⁻¹ L x̂
    L = lt.leontief_inverse(lt.technical_coefficients(t.Z, t.x))
    assert_allclose(G, (L * t.x[None, :]) / t.x[:, None], rtol=1e-10)


def test_rasmussen_linkages_normalised() -> None:
    t = random_system(4, 5, seed=9).table
    A = lt.technical_coefficients(t.Z, t.x)
    fac = lt.factorize(A)
    bl = lt.backward_linkages(fac)
    fl = lt.forward_linkages(fac, t.x)
    assert_allclose(bl.mean(), 1.0, rtol=1e-13)
    assert_allclose(fl.mean(), 1.0, rtol=1e-13)
    L = np.linalg.inv(np.eye(t.n) - A)
    n = t.n
    assert_allclose(bl, (L.sum(axis=0) / n) / (L.sum() / n**2), rtol=1e-11)
    G = lt.ghosh_inverse(t.Z, t.x)
    assert_allclose(fl, (G.sum(axis=1) / n) / (G.sum() / n**2), rtol=1e-11)
    # textbook: sector 1 has the larger backward linkage (1.518 vs 1.452)
    bl_mb = lt.backward_linkages(lt.factorize(lt.technical_coefficients(Z_MB, x_MB)))
    assert_allclose(bl_mb, np.array([1.518152, 1.452145]) * 2 / (1.518152 + 1.452145), atol=1e-6)
