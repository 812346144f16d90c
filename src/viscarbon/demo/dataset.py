"""The embedded demo dataset: synthetic, deterministic, calibrated to public totals and to the
real top-88 intra-provincial flows (see :mod:`viscarbon.demo.build`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Final, TypeVar

import numpy as np
from numpy.typing import NDArray

from viscarbon.demo.build import (
    INVENTORY_YEARS,
    MRIO_YEARS,
    build_inventory,
    build_table,
    demo_params,
)
from viscarbon.errors import NotFound
from viscarbon.harmonize import ReconciliationReport, build_co2_satellite, nearest_table_year
from viscarbon.i18n import t
from viscarbon.model import EEIOSystem, InventoryTable, IOTable

__all__ = ["DemoDataset", "demo_dataset"]

NAME: Final = "demo"
T = TypeVar("T")


def _lookup(store: Mapping[int, T], year: int, what: str) -> T:
    try:
        return store[int(year)]
    except KeyError:
        raise NotFound(f"the demo dataset has no {what} for {year}",
                       hint="years: " + ", ".join(str(y) for y in sorted(store))) from None


@dataclass(frozen=True)
class DemoDataset:
    """Synthetic MRIO tables (2012, 2015, 2017), inventories (2012-2018) and their
    harmonized CO2 systems. Say "synthetic" wherever it is shown (:meth:`banner`)."""

    tables: Mapping[int, IOTable]
    inventories: Mapping[int, InventoryTable]
    systems: Mapping[int, EEIOSystem]
    reports: Mapping[int, ReconciliationReport]
    multipliers: Mapping[int, NDArray[np.float64]] = field(default_factory=dict)
    name: str = NAME
    kind: str = NAME
    synthetic: bool = True

    def __post_init__(self) -> None:
        for name in ("tables", "inventories", "systems", "reports", "multipliers"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def years(self) -> tuple[int, ...]:
        """The MRIO years (2012, 2015, 2017)."""
        return tuple(sorted(self.tables))

    @property
    def inventory_years(self) -> tuple[int, ...]:
        """The inventory years (2012-2018)."""
        return tuple(sorted(self.inventories))

    @property
    def citation(self) -> str:
        return t("common.citation.demo", "en")

    def banner(self, lang: str | None = "en") -> str:
        """The synthetic-data warning to show with anything drawn from this dataset."""
        return t("common.synthetic_demo", lang)

    def table(self, year: int) -> IOTable:
        return _lookup(self.tables, year, "MRIO table")

    def inventory(self, year: int) -> InventoryTable:
        return _lookup(self.inventories, year, "inventory")

    def system(self, year: int) -> EEIOSystem:
        return _lookup(self.systems, year, "MRIO table")

    def reconciliation(self, year: int) -> ReconciliationReport:
        return _lookup(self.reports, year, "MRIO table")

    def arrays(self) -> list[tuple[str, NDArray[np.float64]]]:
        """Every array of the dataset in a fixed order, named ``kind/year/array``."""
        out: list[tuple[str, NDArray[np.float64]]] = []
        for y in self.years:
            tb = self.tables[y]
            out += [(f"table/{y}/{k}", getattr(tb, k)) for k in ("Z", "Y", "EX", "IM", "V", "x")]
            co2 = self.systems[y].satellite("CO2")
            out += [(f"co2/{y}/F", co2.F), (f"co2/{y}/F_Y", co2.F_Y)]
        for y in self.inventory_years:
            inv = self.inventories[y]
            out += [(f"inventory/{y}/values", inv.values), (f"inventory/{y}/totals", inv.totals)]
        return out

    def array_hashes(self) -> dict[str, str]:
        """SHA-256 of each array's little-endian float64 bytes (C order), in a fixed order."""
        return {name: hashlib.sha256(np.ascontiguousarray(a, dtype="<f8").tobytes()).hexdigest()
                for name, a in self.arrays()}

    def digest(self) -> str:
        """One SHA-256 over all array hashes (in order): the dataset's fingerprint."""
        h = hashlib.sha256()
        for name, value in self.array_hashes().items():
            h.update(f"{name}={value}\n".encode())
        return h.hexdigest()


@cache
def demo_dataset() -> DemoDataset:
    """Build (once per process) the demo dataset; identical bytes on every machine."""
    p = demo_params()
    tables: dict[int, IOTable] = {}
    mult: dict[int, NDArray[np.float64]] = {}
    for y in MRIO_YEARS:
        tables[y], it = build_table(y, p)
        mult[y] = it.multipliers
    inventories = {y: build_inventory(y, tables[nearest_table_year(y, MRIO_YEARS)].x, p)
                   for y in INVENTORY_YEARS}
    systems: dict[int, EEIOSystem] = {}
    reports: dict[int, ReconciliationReport] = {}
    for y in MRIO_YEARS:
        sat, rep = build_co2_satellite(inventories[y], tables[y], impute_missing=True)
        systems[y] = EEIOSystem(table=tables[y], satellites=(sat,), dataset=NAME,
                                notes=(t("demo.note.synthetic", "en"),))
        reports[y] = rep
    return DemoDataset(tables=tables, inventories=inventories, systems=systems, reports=reports,
                       multipliers=mult)
