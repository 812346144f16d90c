"""Hypothetical extraction: how much output and CO2 an economy loses without a set of sectors.

Symbols (``docs/terminology.md``): ``A`` (n × n) technical coefficients, ``y`` (n,) total
final demand including exports (10,000 yuan), ``x = L y`` gross output, ``e`` (n,)
emission coefficient per unit of output (e.g. Mt CO2 per 10,000 yuan, ``F·1 / x``).
Partition the rows/columns into the extracted set ``E`` and the rest ``K``.

* ``complete`` (Miller & Blair 2009 §12.2; Dietzenbacher & Lahr 2013): the sectors of
  ``E`` disappear: delete their rows and columns of ``A`` and their final demand::

      (I − A_KK) x̄_K = y_K,     x̄_E = 0

* ``backward`` (Dietzenbacher & van der Linden 1997): ``E`` buys no intermediate inputs
  from ``K`` (``A_KE = 0``), everything else unchanged::

      (I − A_KK) x̄_K = y_K,     (I − A_EE) x̄_E = y_E + A_EK x̄_K

* ``forward``: ``E`` sells no intermediate inputs to ``K`` (``A_EK = 0``)::

      (I − A_EE) x̄_E = y_E,     (I − A_KK) x̄_K = y_K + A_KE x̄_E

The loss of output is ``Δx = x − x̄`` (n,), of CO2 ``Δe = e ⊙ Δx``. Each variant solves
the reduced system ``(I − A_KK)`` with one LU factorisation (and the small ``(I − A_EE)``
block); nothing is inverted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import scipy.linalg as sla
from numpy.typing import ArrayLike, NDArray

from viscarbon.calc.arrays import readonly
from viscarbon.errors import DataError

__all__ = ["EXTRACTION_MODES", "ExtractionArrays", "hypothetical_extraction"]

Arr = NDArray[np.float64]
EXTRACTION_MODES: Final = ("complete", "backward", "forward")
Mode = Literal["complete", "backward", "forward"]


@dataclass(frozen=True)
class ExtractionArrays:
    """``x`` baseline output, ``x_bar`` output after extraction, ``output_loss = x − x_bar``,
    ``emission_loss = e ⊙ output_loss`` (all n,), and the extracted indices."""

    x: Arr
    x_bar: Arr
    output_loss: Arr
    emission_loss: Arr
    extracted: NDArray[np.int64]
    mode: str


def _solve(M: Arr, b: Arr) -> Arr:
    if M.shape[0] == 0:
        return np.zeros(0)
    out: Arr = sla.lu_solve(sla.lu_factor(M, check_finite=False), b, check_finite=False)
    return out


def hypothetical_extraction(
    A: ArrayLike,
    y: ArrayLike,
    e: ArrayLike,
    extracted: ArrayLike,
    *,
    mode: Mode = "complete",
    x: ArrayLike | None = None,
) -> ExtractionArrays:
    """Output and emissions lost when the sectors ``extracted`` are removed (see module doc).

    ``A`` (n × n), ``y`` (n,) final demand incl. exports, ``e`` (n,) emissions per unit
    output, ``extracted`` indices (or a boolean mask of length n) of ``E``. ``x`` the
    baseline output (default: solved from ``(I − A) x = y``; pass the table's ``x`` to
    reuse it, it satisfies ``x = L y`` for a balanced table). Reference: Miller & Blair
    2009 §12.2; Dietzenbacher & Lahr 2013, Economic Systems Research 25(3).
    """
    A_arr = np.asarray(A, dtype=np.float64)
    y_arr = np.asarray(y, dtype=np.float64)
    e_arr = np.asarray(e, dtype=np.float64)
    n = y_arr.shape[0]
    if A_arr.shape != (n, n) or e_arr.shape != (n,):
        raise DataError(f"extraction needs A (n × n), y (n,), e (n,); got {A_arr.shape}, {y_arr.shape}, {e_arr.shape}")
    if mode not in EXTRACTION_MODES:
        raise DataError(f"unknown extraction mode {mode!r}", hint="use one of: " + ", ".join(EXTRACTION_MODES))
    ex = np.asarray(extracted)
    mask = np.zeros(n, dtype=bool)
    if ex.dtype == bool:
        if ex.shape != (n,):
            raise DataError(f"extraction mask has shape {ex.shape}, expected ({n},)")
        mask[:] = ex
    else:
        idx = ex.astype(np.int64).ravel()
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise DataError(f"extracted index out of range 0..{n - 1}")
        mask[idx] = True
    E = np.flatnonzero(mask)
    K = np.flatnonzero(~mask)
    I_n = np.eye(n)
    x0 = np.asarray(x, dtype=np.float64) if x is not None else _solve(I_n - A_arr, y_arr)
    x_bar = np.zeros(n)
    M_KK = np.eye(K.size) - A_arr[np.ix_(K, K)]
    if mode == "complete":
        x_bar[K] = _solve(M_KK, y_arr[K])
    elif mode == "backward":
        x_bar[K] = _solve(M_KK, y_arr[K])
        M_EE = np.eye(E.size) - A_arr[np.ix_(E, E)]
        x_bar[E] = _solve(M_EE, y_arr[E] + A_arr[np.ix_(E, K)] @ x_bar[K])
    else:
        M_EE = np.eye(E.size) - A_arr[np.ix_(E, E)]
        x_bar[E] = _solve(M_EE, y_arr[E])
        x_bar[K] = _solve(M_KK, y_arr[K] + A_arr[np.ix_(K, E)] @ x_bar[E])
    loss = x0 - x_bar
    return ExtractionArrays(
        x=readonly(np.array(x0, dtype=np.float64)),
        x_bar=readonly(x_bar),
        output_loss=readonly(loss),
        emission_loss=readonly(e_arr * loss),
        extracted=E,
        mode=mode,
    )
