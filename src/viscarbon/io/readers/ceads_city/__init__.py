"""CEADs city-level MRIO tables (MATLAB ``.mat``, v5 and v7.3): see :mod:`.reader`."""

from __future__ import annotations

from viscarbon.io.readers.ceads_city.inventory import read_city_inventory_workbook
from viscarbon.io.readers.ceads_city.reader import (
    CityInspection,
    city_axis,
    inspect_ceads_city,
    read_ceads_city,
)

__all__ = ["CityInspection", "city_axis", "inspect_ceads_city", "read_ceads_city", "read_city_inventory_workbook"]
