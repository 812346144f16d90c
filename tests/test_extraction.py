"""Hypothetical extraction kernel: identities and an independent dense implementation."""

from __future__ import annotations

import numpy as np
import pytest

from viscarbon.calc.extraction import EXTRACTION_MODES, hypothetical_extraction
from viscarbon.errors import DataError

Z_MB = np.array([[150.0, 500.0], [200.0, 100.0]])
X_MB = np.array([1000.0, 2000.0])
Y_MB = np.array([350.0, 1700.0])
A_MB = Z_MB / X_MB[None, :]


def _system(n: int = 9, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    A = rng.uniform(0, 1, (n, n)) ** 2
    A *= 0.6 / A.sum(axis=0)[None, :]
    y = rng.uniform(5, 50, n)
    e = rng.uniform(0, 2, n)
    return A, y, e


def _dense_reference(A: np.ndarray, y: np.ndarray, E: list[int], mode: str) -> np.ndarray:
    """x̄ from the modified full matrix and an explicit inverse (small n only)."""
    n = A.shape[0]
    K = [i for i in range(n) if i not in E]
    Ab = A.copy()
    yb = y.copy()
    if mode == "complete":
        Ab[E, :] = 0.0
        Ab[:, E] = 0.0
        yb[E] = 0.0
    elif mode == "backward":
        Ab[np.ix_(K, E)] = 0.0
    else:
        Ab[np.ix_(E, K)] = 0.0
    return np.linalg.inv(np.eye(n) - Ab) @ yb


@pytest.mark.parametrize("mode", EXTRACTION_MODES)
def test_extracting_nothing_changes_nothing(mode: str) -> None:
    A, y, e = _system()
    res = hypothetical_extraction(A, y, e, [], mode=mode)  # type: ignore[arg-type]
    np.testing.assert_allclose(res.x_bar, res.x, rtol=1e-13)
    assert np.abs(res.output_loss).max() < 1e-12 * res.x.max()
    assert np.abs(res.emission_loss).max() < 1e-12 * (e * res.x).max()


@pytest.mark.parametrize("mode", EXTRACTION_MODES)
@pytest.mark.parametrize("E", [[0], [2, 5], [1, 2, 3, 4, 5, 6, 7]])
def test_matches_dense_reference(mode: str, E: list[int]) -> None:
    A, y, e = _system()
    res = hypothetical_extraction(A, y, e, E, mode=mode)  # type: ignore[arg-type]
    np.testing.assert_allclose(res.x_bar, _dense_reference(A, y, E, mode), rtol=1e-12)
    np.testing.assert_allclose(res.emission_loss, e * (res.x - res.x_bar), rtol=1e-12, atol=1e-12)
    # a boolean mask gives the same answer
    mask = np.zeros(A.shape[0], dtype=bool)
    mask[E] = True
    res2 = hypothetical_extraction(A, y, e, mask, mode=mode)  # type: ignore[arg-type]
    np.testing.assert_array_equal(res2.x_bar, res.x_bar)


def test_sector_without_links_loses_only_its_own_output() -> None:
    """Textbook identity: no links → loss = its own final-demand-driven output y_j / (1 − a_jj)."""
    A, y, e = _system()
    j = 4
    A[j, :] = 0.0
    A[:, j] = 0.0
    A[j, j] = 0.2  # own use does not link it to anyone
    res = hypothetical_extraction(A, y, e, [j])
    expected = y[j] / (1 - 0.2)
    assert res.output_loss[j] == pytest.approx(expected, rel=1e-13)
    others = np.delete(res.output_loss, j)
    assert np.abs(others).max() < 1e-12 * res.x.max()
    assert res.emission_loss.sum() == pytest.approx(e[j] * expected, rel=1e-12)
    # and the partial extractions remove nothing
    for mode in ("backward", "forward"):
        part = hypothetical_extraction(A, y, e, [j], mode=mode)  # type: ignore[arg-type]
        assert np.abs(part.output_loss).max() < 1e-12 * res.x.max()


def test_textbook_two_sector_numbers() -> None:
    e = np.array([0.5, 0.1])
    res = hypothetical_extraction(A_MB, Y_MB, e, [0])
    # x̄₂ = 1700 / (1 − 0.05); loss = 1000 + 2000 − 1789.47…
    assert res.x_bar[1] == pytest.approx(1700 / 0.95, rel=1e-13)
    assert res.output_loss.sum() == pytest.approx(3000 - 1700 / 0.95, rel=1e-12)
    assert res.output_loss[0] == pytest.approx(1000.0, rel=1e-12)  # its own output disappears
    assert res.emission_loss.sum() == pytest.approx(0.5 * 1000 + 0.1 * (2000 - 1700 / 0.95), rel=1e-12)
    back = hypothetical_extraction(A_MB, Y_MB, e, [0], mode="backward")
    # sector 1 buys nothing from sector 2: x̄₂ = 1700/0.95, x̄₁ = (350 + 0.25 x̄₂)/0.85
    x2 = 1700 / 0.95
    np.testing.assert_allclose(back.x_bar, [(350 + 0.25 * x2) / 0.85, x2], rtol=1e-13)
    fwd = hypothetical_extraction(A_MB, Y_MB, e, [0], mode="forward")
    # sector 1 sells nothing to sector 2: x̄₁ = 350/0.85, x̄₂ = (1700 + 0.2 x̄₁)/0.95
    x1 = 350 / 0.85
    np.testing.assert_allclose(fwd.x_bar, [x1, (1700 + 0.2 * x1) / 0.95], rtol=1e-13)


def test_complete_loss_is_at_least_the_extracted_output() -> None:
    A, y, e = _system(n=15, seed=11)
    for E in ([3], [0, 1, 2], list(range(5, 15))):
        res = hypothetical_extraction(A, y, e, E)
        assert np.all(res.x_bar[E] == 0)
        np.testing.assert_allclose(res.output_loss[E], res.x[E], rtol=1e-13)
        assert res.output_loss.sum() >= res.x[E].sum()
        assert np.all(res.output_loss >= -1e-9)


def test_bad_arguments() -> None:
    A, y, e = _system()
    with pytest.raises(DataError, match="mode"):
        hypothetical_extraction(A, y, e, [0], mode="sideways")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="out of range"):
        hypothetical_extraction(A, y, e, [99])
    with pytest.raises(DataError):
        hypothetical_extraction(A, y[:-1], e, [0])
