"""A CEADs CO2 inventory of one year: regions × 47 sectors × fuel columns, Mt CO2."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import BalanceError, DataError
from viscarbon.model._arrays import frozen
from viscarbon.model.axes import Axis
from viscarbon.model.provenance import Provenance

__all__ = ["InventoryTable"]

Arr = NDArray[np.float64]


@dataclass(frozen=True)
class InventoryTable:
    """``values[r, s, c]``: CO2 (Mt) of region ``r``, inventory sector ``s`` (47 rows; 46
    Urban and 47 Rural are household direct emissions), column ``c`` (the 17 fuels, the
    Scope 2 / other-energy columns, then Process); ``totals[r]`` is the Scope 1 total of
    the file's total row. Regions absent from the file (Tibet) are absent here.

    Identities checked: Σ_c values = the file's row total (fuels + process = total) is
    checked by the readers with cell references; here Σ_s Σ_c values[r] = totals[r].
    """

    year: int
    regions: Axis
    sectors: Axis
    columns: Axis
    values: Arr
    totals: Arr
    unit: str = "Mt"
    provenance: tuple[Provenance, ...] = ()
    rtol: float = 1e-9

    def __post_init__(self) -> None:
        R, S, C = len(self.regions), len(self.sectors), len(self.columns)
        values = frozen(self.values, name="inventory values", shape=(R, S, C))
        totals = frozen(self.totals, name="inventory totals", shape=(R,))
        if (values < 0).any():
            r, s, c = (int(v) for v in np.argwhere(values < 0)[0])
            raise DataError(
                f"negative emissions {values[r, s, c]:.6g} Mt at {self.regions.codes[r]}, "
                f"sector {self.sectors.codes[s]}, column {self.columns.codes[c]} ({self.year})"
            )
        sums = values.sum(axis=(1, 2))
        gap = np.abs(sums - totals) > self.rtol * np.maximum(np.abs(totals), 1.0) + 1e-9
        if gap.any():
            r = int(np.flatnonzero(gap)[0])
            raise BalanceError(
                f"inventory sectors sum to {sums[r]:.9g} Mt but the total row says {totals[r]:.9g} Mt "
                f"for {self.regions.codes[r]} ({self.year})"
            )
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "totals", totals)

    def by_sector(self) -> Arr:
        """CO2 per region and inventory sector (R × 47), Mt: the sum over columns."""
        out: Arr = self.values.sum(axis=2)
        return out

    @property
    def synthetic(self) -> bool:
        return any(p.synthetic for p in self.provenance)
