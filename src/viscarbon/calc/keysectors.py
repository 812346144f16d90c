"""Key sectors: the quadrant classification of normalised Rasmussen linkages.

The normalised backward linkage of sector j (Rasmussen 1956; Miller & Blair 2009
§12.1) is ``BL_j = n · (1ᵀL)_j / (1ᵀL1)`` (column sums of the Leontief inverse ``L``);
the normalised forward linkage of sector i is ``FL_i = n · (G1)_i / (1ᵀG1)`` (row sums of
the Ghosh inverse ``G = (I − B)⁻¹``, ``B = x̂⁻¹Z``; Miller & Blair 2009 §12.1.2). Both are
dimensionless with mean 1 over the n sectors. With threshold ``τ = 1``::

    key                BL ≥ τ and FL ≥ τ
    backward-oriented  BL ≥ τ and FL < τ   (strong buyer)
    forward-oriented   BL < τ and FL ≥ τ   (strong supplier)
    weak               BL < τ and FL < τ

The linkage vectors themselves come from :mod:`viscarbon.calc.leontief` (one LU of
``I − A`` per year, never an inverse).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viscarbon.errors import DataError

__all__ = ["QUADRANTS", "classify_key_sectors", "quadrant_counts"]

QUADRANTS: Final = ("key", "backward", "forward", "weak")


def classify_key_sectors(backward: ArrayLike, forward: ArrayLike, *,
                         threshold: float = 1.0) -> NDArray[np.int64]:
    """Quadrant of each sector as an index into :data:`QUADRANTS` (n,).

    ``backward``, ``forward`` (n,) normalised linkages (dimensionless, mean 1);
    ``threshold`` τ (default 1: above the average sector). Miller & Blair 2009 §12.1.
    """
    bl = np.asarray(backward, dtype=np.float64)
    fl = np.asarray(forward, dtype=np.float64)
    if bl.shape != fl.shape or bl.ndim != 1:
        raise DataError(f"linkages must be two vectors of one length; got {bl.shape} and {fl.shape}")
    if not (np.isfinite(bl).all() and np.isfinite(fl).all()):
        raise DataError("linkages hold a non-finite value (NaN or inf)")
    strong_b = bl >= threshold
    strong_f = fl >= threshold
    out = np.where(strong_b & strong_f, 0, np.where(strong_b, 1, np.where(strong_f, 2, 3)))
    return out.astype(np.int64)


def quadrant_counts(quadrants: ArrayLike) -> dict[str, int]:
    """Number of sectors in each quadrant, keyed by :data:`QUADRANTS` code."""
    q = np.asarray(quadrants, dtype=np.int64)
    return {code: int((q == k).sum()) for k, code in enumerate(QUADRANTS)}
