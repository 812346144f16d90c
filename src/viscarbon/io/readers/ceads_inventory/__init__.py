"""The CEADs inventory readers (:mod:`.reader`: provincial workbooks, the national
workbook; :mod:`.apparent`: the apparent-emissions workbook) and their layouts as data
(:mod:`.layouts`, ``header_spellings.csv``)."""

from __future__ import annotations

from viscarbon.io.readers.ceads_inventory.apparent import (
    inspect_apparent_workbook,
    is_apparent_workbook,
    read_apparent_workbook,
)
from viscarbon.io.readers.ceads_inventory.layouts import LAYOUTS, InventoryLayout
from viscarbon.io.readers.ceads_inventory.reader import (
    detect_inventory_year,
    inspect_inventory_workbook,
    read_inventory_workbook,
    read_national_inventory,
)

__all__ = [
    "LAYOUTS",
    "InventoryLayout",
    "detect_inventory_year",
    "inspect_apparent_workbook",
    "inspect_inventory_workbook",
    "is_apparent_workbook",
    "read_apparent_workbook",
    "read_inventory_workbook",
    "read_national_inventory",
]
