"""Satellite (environmental) accounts attached to an IO table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import DataError
from viscarbon.model._arrays import frozen
from viscarbon.model.axes import Axis
from viscarbon.model.provenance import Provenance

__all__ = ["REGION_STATUSES", "SatelliteAccount"]

REGION_STATUSES: Final = ("reported", "missing", "imputed")
Arr = NDArray[np.float64]


@dataclass(frozen=True)
class SatelliteAccount:
    """A stressor account: ``F`` (k × n) by industry, ``F_Y`` (k × R·K) by final demand.

    For CO2 the stressors are the inventory fuels plus Process and the unit is Mt CO2;
    ``F.sum(0)`` is CO2 by region-sector, ``F_Y`` holds households' direct emissions
    (urban in FU102, rural in FU101). ``region_status`` says, per region, whether the
    figures are ``reported``, ``missing`` (no inventory, e.g. Tibet: zeros in ``F`` that
    mean *unknown*, never shown as zero) or ``imputed`` (an estimate, flagged wherever used).
    """

    name: str
    stressors: Axis
    F: Arr
    F_Y: Arr
    unit: str
    year: int
    region_status: tuple[str, ...]
    provenance: tuple[Provenance, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        k = len(self.stressors)
        F = frozen(self.F, name=f"{self.name}.F")
        if F.ndim != 2 or F.shape[0] != k:
            raise DataError(f"{self.name}.F has shape {F.shape}, expected ({k}, n)")
        F_Y = frozen(self.F_Y, name=f"{self.name}.F_Y")
        if F_Y.ndim != 2 or F_Y.shape[0] != k:
            raise DataError(f"{self.name}.F_Y has shape {F_Y.shape}, expected ({k}, R·K)")
        for s in self.region_status:
            if s not in REGION_STATUSES:
                raise DataError(f"unknown region status {s!r}", hint="reported, missing or imputed")
        object.__setattr__(self, "F", F)
        object.__setattr__(self, "F_Y", F_Y)
        object.__setattr__(self, "region_status", tuple(self.region_status))

    @property
    def total(self) -> Arr:
        """Total stressor per region-sector (n,), e.g. Mt CO2."""
        out: Arr = self.F.sum(axis=0)
        return out

    @property
    def total_Y(self) -> Arr:
        """Total direct final-demand stressor per final-demand column (R·K,)."""
        out: Arr = self.F_Y.sum(axis=0)
        return out

    def missing_regions(self, regions: Axis) -> tuple[str, ...]:
        return tuple(c for c, s in zip(regions.codes, self.region_status, strict=True) if s == "missing")

    def imputed_regions(self, regions: Axis) -> tuple[str, ...]:
        return tuple(c for c, s in zip(regions.codes, self.region_status, strict=True) if s == "imputed")
