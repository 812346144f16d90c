"""Layouts of the CEADs CO2 inventory workbooks, declared as data.

A layout says which labels to look for and where they are expected; the reader
(:mod:`viscarbon.io.readers.ceads_inventory.reader`) locates every block by its labels, matched through
:func:`viscarbon.classification.normalise_key` (case and separators ignored), then
checks that what it found sits where the layout says. Nothing here reads a file.

Two provincial vintages and the national workbook are known (see docs/data-sources.md
and ``shared/reference/CEADS_FORMATS.md``):

* ``RELEASE_2021`` (verified on the 1997-2017 files): ``Emission_Inventories_for_30_
  Provinces_<YYYY>.xlsx``, one sheet ``<Province><YYYY>`` per province, 23 columns A-W:
  labels in A, 17 fuels in B-R, ``Scope 2 Heat``, ``Scope 2 Electricity``,
  ``Other Energy``, ``Process``, ``Scope 1 Total`` in S-W; header row 1, unit row 2
  (``Mt CO2``), empty row 3, total row 4, the 47 sectors in rows 5-51.
* ``RELEASE_2018`` (from code, not seen): ``Province sectoral CO2 emissions <YYYY>.xlsx``,
  sheets named by province, labels in A, 17 fuels, ``Process``, ``Total`` from B, the
  total row ``Total Consumption`` at the 0-based row 3. Scope 2 / Other Energy columns do
  not exist and are read as zero. Positions are not verified, so only the relative
  arrangement (contiguous columns, sectors right under the total row) is enforced.
* ``NATIONAL_2021`` (verified): ``China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions)
  .xlsx``, sheets ``NOTE``, ``sum``, ``Sum-Sec-Scope 1`` and one sheet per year (``2012``)
  with the grid of ``RELEASE_2021``.

Every inventory read here becomes an :class:`~viscarbon.model.InventoryTable` with the
same 21 columns (:data:`OUTPUT_COLUMNS`, the columns B-V of ``fuels.csv``) and the 47
sectors of ``sectors_inv47.csv`` (codes ``"1"``-``"47"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from viscarbon.classification import fuels, inventory_sectors, normalise_key
from viscarbon.i18n import t
from viscarbon.model import Axis

__all__ = [
    "LAYOUTS",
    "NATIONAL_2021",
    "OUTPUT_COLUMNS",
    "RELEASE_2018",
    "RELEASE_2021",
    "TOTAL",
    "ColumnSpec",
    "InventoryLayout",
    "column_code",
    "inventory_column_axis",
    "inventory_sector_axis",
    "sector_code",
]

TOTAL: Final = "total"
"""Pseudo column code of the file's total column (``Scope 1 Total`` / ``Total``)."""

SheetKind = Literal["province_year", "province", "year"]


def column_code(name_en: str) -> str:
    """Stable ASCII code of an inventory column: ``"Scope 2 Heat"`` → ``"scope_2_heat"``."""
    return re.sub(r"[^0-9a-z]+", "_", name_en.lower()).strip("_")


def sector_code(index: int) -> str:
    """Code of inventory sector ``index`` (1-47): its number, ``7`` → ``"7"`` (the row
    numbers of ``sectors_inv47.csv`` and the concordance's ``inv_index``)."""
    return str(index)


@cache
def _output_columns() -> tuple[tuple[str, str], ...]:
    return tuple((column_code(f.name_en), f.name_en) for f in fuels() if f.kind != "total")


OUTPUT_COLUMNS: Final[tuple[str, ...]] = tuple(code for code, _ in _output_columns())
"""The 21 columns of every InventoryTable: 17 fuels, ``scope_2_heat``,
``scope_2_electricity``, ``other_energy``, ``process`` (columns B-V of ``fuels.csv``)."""


@cache
def inventory_column_axis() -> Axis:
    """The 21 inventory columns as an :class:`Axis` (dimension ``stressor``, list ``ceads_fuel``).

    English labels are the CEADs header texts; Chinese labels come from the ``inventory``
    catalog (``inventory.fuel.<code>``).
    """
    cols = _output_columns()
    return Axis(
        "stressor",
        tuple(c for c, _ in cols),
        tuple(n for _, n in cols),
        tuple(t(f"inventory.fuel.{c}", "zh-Hans") for c, _ in cols),
        list_id="ceads_fuel",
    )


@cache
def inventory_sector_axis() -> Axis:
    """The 47 inventory sectors as an :class:`Axis` (dimension ``inventory_sector``, codes
    ``"1"``-``"47"``, list ``inv47``).

    46 ``Urban`` and 47 ``Rural`` are household direct emissions. Chinese labels come from
    the ``inventory`` catalog (``inventory.sector.<code>``).
    """
    secs = inventory_sectors()
    codes = tuple(sector_code(s.index) for s in secs)
    return Axis(
        "inventory_sector",
        codes,
        tuple(s.name_en for s in secs),
        tuple(t(f"inventory.sector.{c}", "zh-Hans") for c in codes),
        list_id="inv47",
    )


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One data column of a layout, in file order.

    ``code`` is the output column it fills (one of :data:`OUTPUT_COLUMNS`) or
    :data:`TOTAL`; ``keys`` are the accepted normalised header spellings (the first is
    the canonical one, shown in error messages through ``name_en``).
    """

    code: str
    name_en: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InventoryLayout:
    """Where the blocks of one inventory vintage are, found by labels and then checked.

    Row and column numbers are 0-based. ``strict_positions`` (verified layouts) makes any
    displacement of the header, unit or total row, or of the first data column, a
    :class:`~viscarbon.errors.LayoutError`; otherwise only the relative arrangement is
    enforced (columns contiguous and in order, the 47 sectors right under the total row).
    """

    name: str
    vintage: str
    product: str
    file_pattern: str  # regex matched (search, case-insensitive) against the file name
    sheet_kind: SheetKind
    columns: tuple[ColumnSpec, ...]
    total_keys: tuple[str, ...]
    label_col: int = 0
    header_row: int = 0
    unit_row: int | None = 1
    unit_keys: tuple[str, ...] = ("mtco2",)
    total_row: int = 3
    strict_positions: bool = True
    search_rows: int = 12

    @property
    def first_col(self) -> int:
        """Expected 0-based column of the first data column (the one after the labels)."""
        return self.label_col + 1

    @property
    def n_sectors(self) -> int:
        return len(inventory_sectors())

    def column_index(self, code: str) -> int | None:
        """Position of output column ``code`` within :attr:`columns` (``None`` if absent)."""
        for k, c in enumerate(self.columns):
            if c.code == code:
                return k
        return None



def _spec(name_en: str, code: str | None = None, *aliases: str) -> ColumnSpec:
    return ColumnSpec(code or column_code(name_en), name_en, (normalise_key(name_en), *aliases))


def _fuel_specs() -> tuple[ColumnSpec, ...]:
    return tuple(_spec(f.name_en) for f in fuels() if f.kind == "fuel")


_TOTAL_ROW_KEYS: Final = ("totalconsumption", "totalemissions", "total", "totalemission")

RELEASE_2021: Final = InventoryLayout(
    name="release_2021",
    vintage="release 2021",
    product="provincial CO2 inventory",
    file_pattern=r"emission[ _-]*inventories[ _-]*for[ _-]*30[ _-]*provinces",
    sheet_kind="province_year",
    columns=(
        *_fuel_specs(),
        _spec("Scope 2 Heat"),
        _spec("Scope 2 Electricity"),
        _spec("Other Energy"),
        _spec("Process"),
        _spec("Scope 1 Total", TOTAL, "total"),
    ),
    total_keys=_TOTAL_ROW_KEYS,
)

RELEASE_2018: Final = InventoryLayout(
    name="release_2018",
    vintage="release 2018",
    product="provincial CO2 inventory",
    file_pattern=r"province[ _-]*sectoral[ _-]*co2[ _-]*emissions",
    sheet_kind="province",
    columns=(
        *_fuel_specs(),
        _spec("Process"),
        _spec("Total", TOTAL, "scope1total", "totalemissions"),
    ),
    total_keys=_TOTAL_ROW_KEYS,
    unit_row=None,
    strict_positions=False,
)

NATIONAL_2021: Final = InventoryLayout(
    name="national_2021",
    vintage="release 2021",
    product="national CO2 inventory",
    file_pattern=r"china[ _-]*co2[ _-]*inventory",
    sheet_kind="year",
    columns=RELEASE_2021.columns,
    total_keys=_TOTAL_ROW_KEYS,
)

LAYOUTS: Final[tuple[InventoryLayout, ...]] = (RELEASE_2021, RELEASE_2018, NATIONAL_2021)
