"""Reader of the CEADs city CO2 inventories (290 cities, 1997-2019, Mt CO2).

**The layout is a documented guess** (no city inventory file was available to verify
it; ``../shared/reference`` documents the provincial releases only): one workbook per
year, the year in the file name (``City_CO2_Inventories_2017.xlsx``) or given as
``year``; one sheet per city, named by the city (Chinese or English name, or its
six-digit code, optionally followed by the year: ``Beijing2017``, ``北京``); every sheet
laid out like the provincial release-2021 sheets (47 IPCC sectors × 17 fuels, Scope 2
heat and electricity, other energy, process and the Scope 1 total, with a total row),
located by labels (:data:`CITY_GUESSED`: positions not enforced, unit row optional).
Sheets whose names say ``note``, ``readme``, ``sum`` or ``说明`` are skipped.

Each sheet is checked with the provincial identities (rows: fuels + process = Scope 1
total; columns: Σ sectors = total row; relative 1e-9; Shan et al. 2018, Sci Data
5:170201). The result is an :class:`~viscarbon.model.InventoryTable` whose regions are
the cities (axis ``cn_city``; codes from the city concordance, else the file's code or
``C`` + position, as in :func:`~.reader.city_axis`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Final

import numpy as np

from viscarbon._version import __version__
from viscarbon.errors import DataError, LayoutError
from viscarbon.i18n import t
from viscarbon.io.files import error_cells, open_workbook, sha256_file, years_in
from viscarbon.io.readers.ceads_city.reader import city_axis
from viscarbon.io.readers.ceads_inventory.layouts import (
    RELEASE_2021,
    inventory_column_axis,
    inventory_sector_axis,
)
from viscarbon.io.readers.ceads_inventory.reader import parse_inventory_grid
from viscarbon.model import InventoryTable, Provenance

__all__ = ["CITY_GUESSED", "read_city_inventory_workbook"]

#: The guessed city layout: the provincial release-2021 columns, positions not enforced.
CITY_GUESSED: Final = replace(RELEASE_2021, name="city_guessed",
                              vintage="city inventories 1997-2019 (layout guessed)",
                              product="city CO2 inventory", file_pattern=r"city|cities|城市",
                              strict_positions=False, unit_required=False)

_SKIP: Final = re.compile(r"note|readme|sum|说明", re.IGNORECASE)
_TRAILING_YEAR: Final = re.compile(r"^(.*?)[ _-]*((?:19|20)\d\d)$")


def read_city_inventory_workbook(path: str | Path, *, year: int | None = None) -> InventoryTable:
    """Read one city inventory workbook (the guessed layout of the module docstring)."""
    p = Path(path)
    wb = open_workbook(p)
    if year is None:
        ys = years_in(p.stem)
        if len(ys) != 1:
            raise DataError("the inventory's year is not in the file name", where=f"file {p.name}",
                            hint="name the file with its year, e.g. City_CO2_Inventories_2017.xlsx")
        year = ys[0]
    sheets = [s for s in wb.sheet_names if not _SKIP.search(s)]
    if not sheets:
        raise LayoutError("no city sheets (every sheet is a note or a sum)", where=f"file {p.name}",
                          hint="one sheet per city, named by the city")
    labels = []
    for s in sheets:
        m = _TRAILING_YEAR.match(s.strip())
        if m and not m.group(1).isdigit():
            if int(m.group(2)) != year:
                raise DataError(f"sheet {s!r} is for {m.group(2)}, the file for {year}", where=f"file {p.name}",
                                hint="one year per workbook")
            labels.append(m.group(1).strip())
        else:
            labels.append(s.strip())
    regions, unknown = city_axis(tuple(labels))
    errs = error_cells(p)
    blocks = [parse_inventory_grid(wb.grid(s), CITY_GUESSED, file=wb.name, sheet=s, error_cells=errs.get(s))
              for s in sheets]
    notes = [f"layout {CITY_GUESSED.name} (guessed: not verified against a CEADs city file)",
             "sheets: " + ", ".join(f"{c}={s}" for c, s in zip(regions.codes, sheets, strict=True))]
    if unknown:
        notes.append("cities not in the concordance (file names kept): " + ", ".join(unknown))
    prov = Provenance(source="CEADs", product=CITY_GUESSED.product, vintage=CITY_GUESSED.vintage,
                      file_name=p.name, sha256=sha256_file(p), importer_version=__version__,
                      notes="; ".join(notes), citation=t("common.citation.city_inventory", "en"))
    return InventoryTable(year=year, regions=regions, sectors=inventory_sector_axis(),
                          columns=inventory_column_axis(), values=np.stack([b.values for b in blocks]),
                          totals=np.array([b.total for b in blocks], dtype=np.float64), unit="Mt",
                          provenance=(prov,))
