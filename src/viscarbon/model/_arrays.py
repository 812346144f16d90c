"""Helpers to make read-only float64 arrays and check them."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viscarbon.errors import DataError


def frozen(a: ArrayLike, *, name: str, shape: tuple[int, ...] | None = None,
           allow_nan: bool = False) -> NDArray[np.float64]:
    """A read-only float64 copy of ``a``; checks its shape and that it is finite."""
    arr = np.array(a, dtype=np.float64, copy=True)
    if shape is not None and arr.shape != shape:
        raise DataError(f"{name} has shape {arr.shape}, expected {shape}")
    if not allow_nan and not np.isfinite(arr).all():
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise DataError(f"{name} holds a non-finite value (NaN or inf) at index {idx}")
    arr.setflags(write=False)
    return arr
