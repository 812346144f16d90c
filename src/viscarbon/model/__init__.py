"""Frozen core types: axes, IO tables, satellite accounts, inventories, provenance.

Arrays are float64 and read-only; objects are validated at construction and never
modified (derived things come from functions that return new objects).
"""

from __future__ import annotations

from viscarbon.model.apparent import ApparentEmissions
from viscarbon.model.axes import Axis
from viscarbon.model.inventory import InventoryTable
from viscarbon.model.iotable import IMPORT_TREATMENTS, IOTable, io_balance_gaps
from viscarbon.model.provenance import Provenance
from viscarbon.model.satellite import REGION_STATUSES, SatelliteAccount
from viscarbon.model.system import EEIOSystem

__all__ = [
    "IMPORT_TREATMENTS",
    "REGION_STATUSES",
    "ApparentEmissions",
    "Axis",
    "EEIOSystem",
    "IOTable",
    "InventoryTable",
    "Provenance",
    "SatelliteAccount",
    "io_balance_gaps",
]
