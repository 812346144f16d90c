"""Structural path analysis kernel: power-series identity, coverage, pruning, ordering."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from viscarbon.calc.spa import sorted_children, structural_paths
from viscarbon.errors import DataError


def _system(n: int, seed: int, scale: float = 0.5) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    A = rng.uniform(0, 1, (n, n)) ** 2
    A *= scale / A.sum(axis=0)[None, :]
    f = rng.uniform(0.1, 2.0, n)
    y = rng.uniform(1, 10, n)
    m = f @ np.linalg.inv(np.eye(n) - A)
    return A, f, m, y


def _all_paths(A: np.ndarray, f: np.ndarray, y: np.ndarray, depth: int) -> dict[tuple[int, ...], float]:
    """Brute force: every path i_0 … i_k, k ≤ depth, with its value (independent of the kernel)."""
    n = A.shape[0]
    out = {}
    for k in range(depth + 1):
        for path in itertools.product(range(n), repeat=k + 1):
            v = y[path[0]] * f[path[-1]]
            for a, b in itertools.pairwise(path):
                v *= A[b, a]
            out[path] = v
    return out


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 5])
def test_sum_of_paths_is_the_truncated_power_series(depth: int) -> None:
    A, f, m, y = _system(4, 1)
    res = structural_paths(A, f, m, y, max_depth=depth, threshold=0.0, top=None)
    series = sum(np.linalg.matrix_power(A, k) for k in range(depth + 1))
    assert res.found == pytest.approx(float(f @ series @ y), rel=1e-13)
    assert res.n_paths == sum(4 ** (k + 1) for k in range(depth + 1))
    assert res.total == pytest.approx(float(m @ y), rel=1e-13)


def test_coverage_rises_monotonically_to_one() -> None:
    A, f, m, y = _system(3, 2, scale=0.3)
    coverage = [structural_paths(A, f, m, y, max_depth=d, threshold=0.0, top=1).found / (m @ y)
                for d in range(0, 11)]
    assert all(b > a for a, b in itertools.pairwise(coverage))
    assert coverage[0] == pytest.approx(float(f @ y / (m @ y)), rel=1e-13)
    # the remainder after depth d is exactly f A^{d+1} L y / (m y)
    L = np.linalg.inv(np.eye(3) - A)
    for d, cov in enumerate(coverage):
        rest = float(f @ np.linalg.matrix_power(A, d + 1) @ L @ y / (m @ y))
        assert 1 - cov == pytest.approx(rest, rel=1e-6, abs=1e-14)
    assert 1 - coverage[-1] < 1e-4
    assert coverage[-1] <= 1.0 + 1e-12


def test_top_paths_match_brute_force_and_are_ordered() -> None:
    A, f, m, y = _system(4, 3)
    brute = _all_paths(A, f, y, 4)
    best = sorted(brute.items(), key=lambda kv: -abs(kv[1]))[:10]
    res = structural_paths(A, f, m, y, max_depth=4, threshold=0.0, top=10)
    assert res.truncated
    assert np.all(np.diff(np.abs(res.values)) <= 0)
    np.testing.assert_allclose(res.values, [v for _, v in best], rtol=1e-12)
    for p in range(10):
        k = int(res.depths[p])
        path = tuple(int(i) for i in res.nodes[p, : k + 1])
        assert np.all(res.nodes[p, k + 1:] == -1)
        assert brute[path] == pytest.approx(float(res.values[p]), rel=1e-12)


def test_pruning_keeps_every_path_above_the_threshold() -> None:
    A, f, m, y = _system(5, 4)
    brute = _all_paths(A, f, y, 4)
    total = float(m @ y)
    tau = 1e-3 * total
    want = {p: v for p, v in brute.items() if abs(v) >= tau}
    res = structural_paths(A, f, m, y, max_depth=4, threshold=tau, top=None)
    assert res.n_paths == len(want)
    assert res.found == pytest.approx(sum(want.values()), rel=1e-12)
    got = {tuple(int(i) for i in res.nodes[p, : res.depths[p] + 1]) for p in range(res.n_paths)}
    assert got == set(want)
    # and the pruned tree visited fewer nodes than the full one
    assert res.n_nodes < len(brute)


def test_textbook_two_sector_paths() -> None:
    """Miller & Blair §2.3 table with f = (1, 0): emissions only in sector 1."""
    A = np.array([[0.15, 0.25], [0.20, 0.05]])
    y = np.array([350.0, 1700.0])
    f = np.array([1.0, 0.0])
    m = f @ np.linalg.inv(np.eye(2) - A)
    res = structural_paths(A, f, m, y, max_depth=2, threshold=0.0, top=None)
    by_path = {tuple(int(i) for i in res.nodes[p, : res.depths[p] + 1]): float(res.values[p])
               for p in range(res.n_paths)}
    assert by_path[(1, 0)] == pytest.approx(0.25 * 1700)  # sector 2's demand, bought from 1
    assert by_path[(0,)] == pytest.approx(350.0)
    assert by_path[(1, 0, 0)] == pytest.approx(0.15 * 0.25 * 1700)
    # total = x₁ = 1000 (sector 1's output is all its emissions with f₁ = 1)
    assert res.total == pytest.approx(1000.0, rel=1e-12)


def test_children_table_is_reusable_and_negative_demand_is_ranked_by_size() -> None:
    A, f, m, y = _system(6, 5)
    ch = sorted_children(A, m)
    y2 = y.copy()
    y2[2] = -40.0
    a = structural_paths(A, f, m, y2, max_depth=3, threshold=1e-3, children=ch, top=None)
    b = structural_paths(A, f, m, y2, max_depth=3, threshold=1e-3, top=None)
    np.testing.assert_array_equal(a.values, b.values)
    assert np.all(np.diff(np.abs(a.values)) <= 0)
    assert (a.values < 0).any()


def test_guards() -> None:
    A, f, m, y = _system(4, 6)
    with pytest.raises(DataError, match="tree nodes"):
        structural_paths(A, f, m, y, max_depth=8, threshold=0.0, max_nodes=1000)
    with pytest.raises(DataError):
        structural_paths(A, f, m, y, threshold=-1.0)
    with pytest.raises(DataError):
        structural_paths(A, f, m[:-1], y)
