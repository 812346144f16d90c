"""The one helper every kernel uses to hand back read-only arrays (DESIGN: core arrays
are read-only): results are computed into fresh arrays and frozen in place, no copy."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

__all__ = ["readonly"]

_A = TypeVar("_A", bound=np.ndarray[Any, Any])


def readonly(a: _A) -> _A:
    """Mark ``a`` read-only in place and return it. Only for arrays the caller owns (freshly
    computed, or a view of them): freezing a view does not freeze its base."""
    a.setflags(write=False)
    return a
