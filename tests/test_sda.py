"""Structural decomposition (sda) kernel: exact sums, polar forms, Shapley by brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from viscarbon.calc.sda import (
    SDA_FACTORS,
    compose_final_demand,
    decompose_final_demand,
    decomposition_weights,
    structural_decomposition,
)
from viscarbon.errors import DataError

R, S = 3, 4
N = R * S


def _year(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    A = rng.uniform(0, 1, (N, N)) ** 2
    A *= rng.uniform(0.3, 0.6) / A.sum(axis=0)[None, :]
    f = rng.uniform(0.1, 3.0, N)
    Y = rng.uniform(0, 10, (N, R))
    return A, f, Y


def _mult(f: np.ndarray, A: np.ndarray) -> np.ndarray:
    return f @ np.linalg.inv(np.eye(N) - A)


def _M(y0: tuple[np.ndarray, ...], y1: tuple[np.ndarray, ...]) -> np.ndarray:
    (A0, f0, _), (A1, f1, _) = y0, y1
    return np.array([[_mult(f0, A0), _mult(f0, A1)], [_mult(f1, A0), _mult(f1, A1)]])


def _E(state: tuple[int, ...], years: tuple[tuple[np.ndarray, ...], ...]) -> np.ndarray:
    """E for a vertex, built from explicit factor objects (independent of the kernel)."""
    fi, Li, mi, si, li = state
    f = years[fi][1]
    A = years[Li][0]
    parts = [decompose_final_demand(years[t][2], n_regions=R, n_sectors=S) for t in (0, 1)]
    lv, mx, sc = parts[li][0], parts[mi][1], parts[si][2]
    y = compose_final_demand(lv, mx, sc)
    return f @ np.linalg.inv(np.eye(N) - A) @ y


@pytest.mark.parametrize("method", ["polar", "shapley"])
def test_effects_sum_exactly_to_the_change(method: str) -> None:
    y0, y1 = _year(1), _year(2)
    res = structural_decomposition(_M(y0, y1), y0[2], y1[2], n_regions=R, n_sectors=S,
                                   method=method)  # type: ignore[arg-type]
    change = _mult(y1[1], y1[0]) @ y1[2] - _mult(y0[1], y0[0]) @ y0[2]
    np.testing.assert_allclose(res.E1 - res.E0, change, rtol=1e-12)
    np.testing.assert_allclose(res.effects.sum(axis=0), change, rtol=1e-11, atol=1e-12 * abs(change).max())
    assert res.effects.shape == (len(SDA_FACTORS), R)


def test_polar_average_matches_the_two_written_out_polar_forms() -> None:
    years = (_year(3), _year(4))
    res = structural_decomposition(_M(*years), years[0][2], years[1][2], n_regions=R, n_sectors=S)
    k = len(SDA_FACTORS)
    first = np.zeros((k, R))
    second = np.zeros((k, R))
    for i in range(k):
        # first polar: factors before i at year 0, after i at year 1
        lo = tuple([0] * i + [0] + [1] * (k - i - 1))
        hi = tuple([0] * i + [1] + [1] * (k - i - 1))
        first[i] = _E(hi, years) - _E(lo, years)
        # second polar: before i at year 1, after at year 0
        lo2 = tuple([1] * i + [0] + [0] * (k - i - 1))
        hi2 = tuple([1] * i + [1] + [0] * (k - i - 1))
        second[i] = _E(hi2, years) - _E(lo2, years)
    np.testing.assert_allclose(res.effects, (first + second) / 2, rtol=1e-10, atol=1e-10)


def test_shapley_is_the_average_over_all_120_orderings() -> None:
    years = (_year(5), _year(6))
    res = structural_decomposition(_M(*years), years[0][2], years[1][2], n_regions=R, n_sectors=S,
                                   method="shapley")
    k = len(SDA_FACTORS)
    cache: dict[tuple[int, ...], np.ndarray] = {}

    def E(state: tuple[int, ...]) -> np.ndarray:
        if state not in cache:
            cache[state] = _E(state, years)
        return cache[state]

    acc = np.zeros((k, R))
    orders = list(itertools.permutations(range(k)))
    assert len(orders) == 120
    for order in orders:
        state = [0] * k
        for i in order:
            before = tuple(state)
            state[i] = 1
            acc[i] += E(tuple(state)) - E(before)
    np.testing.assert_allclose(res.effects, acc / math.factorial(k), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", ["polar", "shapley"])
def test_single_factor_changes(method: str) -> None:
    A, f, Y = _year(7)
    f1 = f * 0.8
    M = np.array([[_mult(f, A), _mult(f, A)], [_mult(f1, A), _mult(f1, A)]])
    res = structural_decomposition(M, Y, Y, n_regions=R, n_sectors=S, method=method)  # type: ignore[arg-type]
    np.testing.assert_allclose(res.effects[0], -0.2 * res.E0, rtol=1e-12)
    assert np.abs(res.effects[1:]).max() < 1e-12 * res.E0.max()
    M2 = np.array([[_mult(f, A)] * 2] * 2)
    res2 = structural_decomposition(M2, Y, 1.5 * Y, n_regions=R, n_sectors=S, method=method)  # type: ignore[arg-type]
    np.testing.assert_allclose(res2.effects[4], 0.5 * res2.E0, rtol=1e-12)
    assert np.abs(res2.effects[:4]).max() < 1e-12 * res2.E0.max()


def test_final_demand_factors_round_trip_and_missing_products() -> None:
    _, _, Y = _year(8)
    lv, mx, sc = decompose_final_demand(Y, n_regions=R, n_sectors=S)
    np.testing.assert_allclose(compose_final_demand(lv, mx, sc), Y, rtol=1e-13)
    np.testing.assert_allclose(mx.sum(axis=0), 1.0, rtol=1e-13)
    np.testing.assert_allclose(sc.sum(axis=0), 1.0, rtol=1e-13)
    np.testing.assert_allclose(lv, Y.sum(axis=0), rtol=1e-13)
    # product 2 absent in year 0 everywhere: corners stay exact, effects still add up
    A, f, _ = _year(9)
    Y0 = Y.copy()
    Y0[[2, 2 + S, 2 + 2 * S], :] = 0.0
    M = np.array([[_mult(f, A)] * 2] * 2)
    res = structural_decomposition(M, Y0, Y, n_regions=R, n_sectors=S)
    np.testing.assert_allclose(res.E0, _mult(f, A) @ Y0, rtol=1e-13)
    np.testing.assert_allclose(res.effects.sum(axis=0), res.E1 - res.E0, rtol=1e-11)


def test_weights_and_errors() -> None:
    for method in ("polar", "shapley"):
        W = decomposition_weights(method)  # type: ignore[arg-type]
        np.testing.assert_allclose(W.sum(axis=1), 0.0, atol=1e-15)
        col = W.sum(axis=0)
        assert col[0] == pytest.approx(-1.0) and col[-1] == pytest.approx(1.0)
        np.testing.assert_allclose(col[1:-1], 0.0, atol=1e-15)
    with pytest.raises(DataError):
        decomposition_weights("ordering")  # type: ignore[arg-type]
    with pytest.raises(DataError):
        structural_decomposition(np.zeros((2, 2, 5)), np.zeros((N, 1)), np.zeros((N, 1)),
                                 n_regions=R, n_sectors=S)
