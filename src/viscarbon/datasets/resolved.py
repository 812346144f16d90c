"""What a dataset is, and one dataset-year as every consumer sees it."""

from __future__ import annotations

from dataclasses import dataclass

from viscarbon.harmonize import ReconciliationReport
from viscarbon.io.store import Generation
from viscarbon.model import EEIOSystem, IOTable, SatelliteAccount

__all__ = ["CO2_SOURCES", "INVENTORY_KINDS", "DatasetInfo", "ResolvedSystem"]

#: Where the CO2 of a resolved system comes from.
CO2_SOURCES = ("inventory", "co2_row", "import", "demo", "memory", "none")
#: Store dataset kinds that hold inventories only: the sectoral inventories and the
#: apparent emissions (provinces × raw coal, crude oil, natural gas, cement process).
INVENTORY_KINDS = ("ceads-inventory", "ceads-apparent")


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """A dataset: ``name``, ``kind`` (``demo``, ``ceads-mrio``, ``nbs-io``, ``pymrio``,
    ``memory`` for in-memory systems, ``ceads-inventory``, ``ceads-apparent``), its ``years`` (IO years; the
    inventory years for an inventory dataset), ``citation``, ``synthetic``, the
    ``linked_inventory`` (stored IO datasets), the ``inventory_years`` behind its inventory
    trends, ``notes``; the region codes and sector list (``io42_2012``, ``io42_2017``,
    ``inv47`` for inventories, ``apparent4`` for apparent emissions, ``custom``) and sector
    codes of its last year."""

    name: str
    kind: str
    years: tuple[int, ...]
    citation: str
    synthetic: bool
    regions: tuple[str, ...]
    sector_list: str
    sectors: tuple[str, ...]
    linked_inventory: str | None = None
    inventory_years: tuple[int, ...] = ()
    notes: str = ""

    @property
    def is_inventory(self) -> bool:
        """An inventory-only dataset (no IO table): sectoral or apparent."""
        return self.kind in INVENTORY_KINDS

    @property
    def is_apparent(self) -> bool:
        """Apparent emissions (regions × raw coal, crude oil, natural gas, cement process)."""
        return self.kind == "ceads-apparent"


@dataclass(frozen=True, eq=False)
class ResolvedSystem:
    """One dataset-year resolved for use: the table with its satellites, ``CO2`` among them
    (zeros with every region ``missing`` when the dataset has no CO2 at all).

    ``co2_source`` (:data:`CO2_SOURCES`) says where the CO2 came from; ``reconciliation``
    is the report of the harmonization (None without a linked inventory);
    ``inventory_year`` the inventory year harmonized with the table (the nearest when they
    differ); ``concordance`` its label; ``imputed`` the regions whose CO2 the imputation
    overlay estimated (status ``imputed``); ``generation`` the store generation it was read
    from. Pure data: picklable, so that worker processes can compute on it."""

    dataset: DatasetInfo
    year: int
    system: EEIOSystem
    co2_source: str
    reconciliation: ReconciliationReport | None
    inventory_year: int | None
    concordance: str
    imputed: tuple[str, ...]
    generation: Generation
    notes: tuple[str, ...] = ()

    @property
    def table(self) -> IOTable:
        return self.system.table

    @property
    def co2(self) -> SatelliteAccount:
        return self.system.satellite("CO2")

    @property
    def region_status(self) -> tuple[str, ...]:
        return tuple(self.co2.region_status)

    @property
    def synthetic(self) -> bool:
        return self.dataset.synthetic or self.system.synthetic
