"""Plain records of what the store holds besides model objects."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from viscarbon.model import Provenance, SatelliteAccount

__all__ = [
    "SATELLITE_SOURCES",
    "DatasetRecord",
    "StoredConcordance",
    "StoredReconciliation",
    "StoredSatellite",
    "StoredScenario",
    "StoredSeries",
]

#: Where a stored satellite comes from (``satellites.source``).
SATELLITE_SOURCES = ("inventory", "co2_row", "import")


@dataclass(frozen=True)
class DatasetRecord:
    """One stored dataset: what it is, which years, where it came from.

    ``files`` are the provenance records of every imported file (one per file and
    year), ``linked_inventory`` the inventory dataset an IO dataset is harmonized with.
    """

    name: str
    kind: str
    years: tuple[int, ...]
    citation: str
    synthetic: bool
    linked_inventory: str | None
    files: tuple[Provenance, ...]
    created: str
    notes: str
    importer_version: str

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (codes and plain values only)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "years": list(self.years),
            "citation": self.citation,
            "synthetic": self.synthetic,
            "linked_inventory": self.linked_inventory,
            "files": [
                {"file_name": p.file_name, "sha256": p.sha256, "sheet": p.sheet,
                 "vintage": p.vintage, "source": p.source, "product": p.product}
                for p in self.files
            ],
            "created": self.created,
            "notes": self.notes,
            "importer_version": self.importer_version,
        }

    @property
    def sha256s(self) -> frozenset[str]:
        return frozenset(p.sha256 for p in self.files if p.sha256)


@dataclass(frozen=True)
class StoredSatellite:
    """A satellite as stored with a table year: the account and where it came from
    (``source`` of :data:`SATELLITE_SOURCES`; for ``inventory``, the concordance label and
    the inventory year that were used)."""

    account: SatelliteAccount
    source: str
    concordance: str = ""
    inventory_year: int | None = None


@dataclass(frozen=True)
class StoredReconciliation:
    """The reconciliation of a table year with its inventory: ``records`` (one per region,
    Mt CO2), ``notes`` (English text) and ``report`` (the whole report as JSON, notes as
    catalog keys; empty for stores written before schema 2)."""

    inventory_year: int | None
    records: tuple[dict[str, object], ...]
    notes: tuple[str, ...]
    report: str = ""


@dataclass(frozen=True, eq=False)
class StoredSeries:
    """One inventory year mapped onto the nearest table year: ``F`` (n,) CO2 by
    region-sector and ``F_Y`` (R·K,) households' direct CO2 by final-demand column, Mt."""

    inventory_year: int
    table_year: int
    concordance: str
    region_status: tuple[str, ...]
    notes: tuple[str, ...]
    F: NDArray[np.float64]
    F_Y: NDArray[np.float64]


@dataclass(frozen=True)
class StoredConcordance:
    """A user concordance stored with a dataset: its label, sector list and rows as JSON."""

    label: str
    list_id: str
    rows: str


@dataclass(frozen=True)
class StoredScenario:
    """A scenario file saved in the store: its ``name``, the ``toml`` text as read,
    ``saved_at`` (ISO time, UTC) and the ``fingerprint`` of what it computes."""

    name: str
    toml: str
    saved_at: str
    fingerprint: str
