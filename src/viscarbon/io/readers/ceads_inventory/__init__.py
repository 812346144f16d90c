"""The CEADs inventory readers (:mod:`.reader`: provincial workbooks, the national
workbook) and their layouts as data (:mod:`.layouts`)."""

from __future__ import annotations

from viscarbon.io.readers.ceads_inventory.layouts import LAYOUTS, InventoryLayout
from viscarbon.io.readers.ceads_inventory.reader import (
    detect_inventory_year,
    read_inventory_workbook,
    read_national_inventory,
)

__all__ = [
    "LAYOUTS",
    "InventoryLayout",
    "detect_inventory_year",
    "read_inventory_workbook",
    "read_national_inventory",
]
