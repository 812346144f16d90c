"""An environmentally extended IO system: a table plus its satellite accounts."""

from __future__ import annotations

from dataclasses import dataclass

from viscarbon.errors import DataError, NotFound
from viscarbon.model.iotable import IOTable
from viscarbon.model.satellite import SatelliteAccount

__all__ = ["EEIOSystem"]


@dataclass(frozen=True)
class EEIOSystem:
    """``table`` plus ``satellites`` (each with ``F`` of n columns and ``F_Y`` of R·K columns)."""

    table: IOTable
    satellites: tuple[SatelliteAccount, ...] = ()
    dataset: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = self.table.n
        nY = self.table.Y.shape[1]
        for s in self.satellites:
            if s.F.shape[1] != n or s.F_Y.shape[1] != nY:
                raise DataError(
                    f"satellite {s.name!r} has {s.F.shape[1]} industry and {s.F_Y.shape[1]} final-demand "
                    f"columns; the table has {n} and {nY}"
                )
            if len(s.region_status) != self.table.n_regions:
                raise DataError(f"satellite {s.name!r} has {len(s.region_status)} region statuses "
                                f"for {self.table.n_regions} regions")
        object.__setattr__(self, "satellites", tuple(self.satellites))

    @property
    def year(self) -> int:
        return self.table.year

    def satellite(self, name: str = "CO2") -> SatelliteAccount:
        for s in self.satellites:
            if s.name == name:
                return s
        raise NotFound(f"no satellite account {name!r}",
                       hint="available: " + (", ".join(s.name for s in self.satellites) or "none"))

    @property
    def synthetic(self) -> bool:
        return self.table.synthetic
