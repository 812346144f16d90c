"""The factorised system of one year: the pure numerical core every analysis starts from.

:func:`factorise` takes a :class:`~viscarbon.datasets.ResolvedSystem` and returns
:class:`Coefficients` (``A``, the LU factor of ``I − A``, the CO2 intensities and the
linkages), computed with :mod:`viscarbon.calc` only. Both are plain, picklable data, so the
same path runs in a worker process (the roadmap's Monte Carlo ships them to workers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc import leontief as lt
from viscarbon.calc.arrays import readonly
from viscarbon.datasets import ResolvedSystem
from viscarbon.model import EEIOSystem, IOTable

__all__ = ["Coefficients", "factorise"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Coefficients:
    """The factorised system of one year and its per-sector coefficients (n = R·S).

    ``A`` technical coefficients ``Z x̂⁻¹``; ``factor`` the LU of ``I − A``; ``F`` (n,) and
    ``F_Y`` (R·K,) CO2 (Mt); ``f``/``m``/``upstream`` direct, total and upstream intensity
    (t CO2 per 10,000 yuan: ``f = F/x``, ``m = f L``, ``m − f``); ``output_multipliers``
    ``1ᵀL``; ``backward``/``forward`` normalised Rasmussen linkages (from ``L`` and Ghosh
    ``G``, over all n); ``region_status`` per region (Miller & Blair 2009, ch. 2, 6, 12).
    """

    resolved: ResolvedSystem
    A: Arr
    factor: lt.LeontiefFactor
    F: Arr
    F_Y: Arr
    f: Arr
    m: Arr
    upstream: Arr
    output_multipliers: Arr
    backward: Arr
    forward: Arr
    region_status: tuple[str, ...]

    @property
    def dataset(self) -> str:
        return self.resolved.dataset.name

    @property
    def year(self) -> int:
        return self.resolved.year

    @property
    def system(self) -> EEIOSystem:
        return self.resolved.system

    @property
    def table(self) -> IOTable:
        return self.resolved.system.table

    @property
    def x(self) -> Arr:
        return self.resolved.system.table.x

    def solve(self, y: Any) -> Arr:
        """``L y`` with the cached factor (any number of demand columns)."""
        return lt.solve(self.factor, y)

    def solve_transposed(self, f: Any) -> Arr:
        """``f L`` with the cached factor."""
        return lt.solve_transposed(self.factor, f)


def factorise(resolved: ResolvedSystem) -> Coefficients:
    """Factorise ``I − A`` of a resolved year once and derive its coefficients (solves with
    the factor, never a dense inverse; Miller & Blair 2009 §2.3)."""
    table = resolved.table
    sat = resolved.co2
    A = lt.technical_coefficients(table.Z, table.x)
    factor = lt.factorize(A)
    F = readonly(sat.F.sum(axis=0))
    F_Y = readonly(sat.F_Y.sum(axis=0))
    f = lt.direct_intensity(F, table.x)
    m = lt.multipliers(factor, f)
    om = lt.output_multipliers(factor)
    return Coefficients(
        resolved=resolved, A=A, factor=factor, F=F, F_Y=F_Y, f=f, m=m,
        upstream=lt.upstream_intensity(m, f), output_multipliers=om,
        backward=lt.normalised_linkages(om), forward=lt.forward_linkages(factor, table.x),
        region_status=tuple(sat.region_status),
    )
