"""Readers: one per source and vintage, each with its layouts declared as data beside it.

Every reader takes a path and keyword-only options and returns validated model objects;
every error names the file, the sheet and the cell (:mod:`viscarbon.errors`).
"""

from __future__ import annotations

from viscarbon.io.readers.ceads_city import read_ceads_city
from viscarbon.io.readers.ceads_inventory import (
    read_apparent_workbook,
    read_inventory_workbook,
    read_national_inventory,
)
from viscarbon.io.readers.ceads_mrio import read_ceads_mrio
from viscarbon.io.readers.nbs import read_nbs_io
from viscarbon.io.readers.pymrio import PymrioFolder, read_pymrio_folder

__all__ = [
    "PymrioFolder",
    "read_apparent_workbook",
    "read_ceads_city",
    "read_ceads_mrio",
    "read_inventory_workbook",
    "read_national_inventory",
    "read_nbs_io",
    "read_pymrio_folder",
]
