"""CEADs apparent CO2 emissions of one year: regions × categories (raw coal, crude oil,
natural gas, cement process), Mt CO2."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import BalanceError
from viscarbon.model._arrays import frozen
from viscarbon.model.axes import Axis
from viscarbon.model.provenance import Provenance

__all__ = ["ApparentEmissions"]

Arr = NDArray[np.float64]


@dataclass(frozen=True)
class ApparentEmissions:
    """``values[r, c]``: CO2 (Mt) of region ``r`` from category ``c`` of the apparent
    approach (emissions of the primary fuels consumed, computed from apparent consumption
    = production + imports − exports ± stock changes, plus the cement process; Shan et al.
    2016, Applied Energy 184:742); ``totals[r]`` is the workbook's own total of the region
    (or the sum of the categories where the workbook has no total column). Regions absent
    from the file (Tibet) are absent here.

    Identity checked: ``Σ_c values[r, c] = totals[r]`` to ``rtol`` (relative, floor 1 Mt).
    """

    year: int
    regions: Axis
    categories: Axis
    values: Arr
    totals: Arr
    unit: str = "Mt"
    provenance: tuple[Provenance, ...] = ()
    rtol: float = 1e-9

    def __post_init__(self) -> None:
        R, C = len(self.regions), len(self.categories)
        values = frozen(self.values, name="apparent emissions", shape=(R, C))
        totals = frozen(self.totals, name="apparent totals", shape=(R,))
        sums = values.sum(axis=1)
        gap = np.abs(sums - totals) > self.rtol * np.maximum(np.abs(totals), 1.0)
        if gap.any():
            r = int(np.flatnonzero(gap)[0])
            raise BalanceError(f"apparent categories sum to {sums[r]:.9g} Mt but the total says "
                               f"{totals[r]:.9g} Mt for {self.regions.codes[r]} ({self.year})")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "totals", totals)

    @property
    def synthetic(self) -> bool:
        return any(p.synthetic for p in self.provenance)
