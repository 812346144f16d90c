"""Key-sector quadrants on the Miller & Blair two-sector example and on random systems."""

from __future__ import annotations

import numpy as np
import pytest

from viscarbon.calc.keysectors import QUADRANTS, classify_key_sectors, quadrant_counts
from viscarbon.calc.leontief import backward_linkages, factorize, forward_linkages
from viscarbon.errors import DataError

# Miller & Blair (2009) §2.3: Z, x (textbook_examples.md)
Z_MB = np.array([[150.0, 500.0], [200.0, 100.0]])
X_MB = np.array([1000.0, 2000.0])


def test_textbook_linkages_and_quadrants() -> None:
    A = Z_MB / X_MB[None, :]
    fac = factorize(A)
    bl = backward_linkages(fac)
    fl = forward_linkages(fac, X_MB)
    # L column sums 1.518152, 1.452145 → BL = 2·cs/Σcs = 46/45, 44/45
    np.testing.assert_allclose(bl, [46 / 45, 44 / 45], rtol=1e-12)
    # G = x̂⁻¹ L x̂, row sums 1.914191, 1.254125 → FL = 29/24, 19/24
    np.testing.assert_allclose(fl, [29 / 24, 19 / 24], rtol=1e-12)
    q = classify_key_sectors(bl, fl)
    assert [QUADRANTS[i] for i in q] == ["key", "weak"]


def test_quadrants_all_four_and_threshold_is_inclusive() -> None:
    bl = np.array([1.2, 1.2, 0.8, 0.8, 1.0])
    fl = np.array([1.1, 0.9, 1.3, 0.7, 1.0])
    q = classify_key_sectors(bl, fl)
    assert [QUADRANTS[i] for i in q] == ["key", "backward", "forward", "weak", "key"]
    assert quadrant_counts(q) == {"key": 2, "backward": 1, "forward": 1, "weak": 1}
    q2 = classify_key_sectors(bl, fl, threshold=1.15)
    assert [QUADRANTS[i] for i in q2] == ["backward", "backward", "forward", "weak", "weak"]


def test_linkages_have_mean_one_on_a_random_system() -> None:
    rng = np.random.default_rng(7)
    n = 12
    Z = rng.uniform(0, 10, (n, n))
    x = Z.sum(axis=1) + rng.uniform(20, 40, n)
    fac = factorize(Z / x[None, :])
    bl, fl = backward_linkages(fac), forward_linkages(fac, x)
    assert bl.mean() == pytest.approx(1.0, rel=1e-12)
    assert fl.mean() == pytest.approx(1.0, rel=1e-12)
    counts = quadrant_counts(classify_key_sectors(bl, fl))
    assert sum(counts.values()) == n


def test_bad_input_raises() -> None:
    with pytest.raises(DataError):
        classify_key_sectors([1.0, 2.0], [1.0])
    with pytest.raises(DataError):
        classify_key_sectors([1.0, np.nan], [1.0, 1.0])
