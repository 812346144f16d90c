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
* ``RELEASE_2022`` (guessed from issue 9: "a 2022 provincial workbook whose headers use
  underscores such as ``Scope_1_Total``, ``Natural_Gas``, ``Other_Gas``"): the grid of
  ``RELEASE_2021`` for years from 2018 on, positions not enforced (only the relative
  arrangement), the unit row optional.
* ``NATIONAL_2021`` (verified): ``China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions)
  .xlsx``, sheets ``NOTE``, ``sum``, ``Sum-Sec-Scope 1`` and one sheet per year (``2012``)
  with the grid of ``RELEASE_2021``.
* ``APPARENT_2022`` (guessed from issue 9: "apparent emissions 1997-2022 with one sheet per
  year and the columns raw coal, crude oil, natural gas and cement process"): one sheet per
  year, a header row with a label column then ``Raw Coal``, ``Crude Oil``, ``Natural
  Gas``, ``Cement Process`` and optionally ``Total``, an optional unit row, one row per
  province (named in English, pinyin or Chinese), optionally a total row.

Every header spelling (English with spaces, underscores or none, Chinese) is data:
``header_spellings.csv`` beside this module, one row per spelling and the column (or row)
it names, read through :func:`header_keys` by every inventory reader.

Every inventory read here becomes an :class:`~viscarbon.model.InventoryTable` with the
same 21 columns (:data:`OUTPUT_COLUMNS`, the columns B-V of ``fuels.csv``) and the 47
sectors of ``sectors_inv47.csv`` (codes ``"1"``-``"47"``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, Literal

from viscarbon.classification import fuels, inventory_sectors, normalise_key
from viscarbon.i18n import t
from viscarbon.model import Axis

__all__ = [
    "APPARENT_2022",
    "APPARENT_CATEGORIES",
    "LAYOUTS",
    "NATIONAL_2021",
    "OUTPUT_COLUMNS",
    "RELEASE_2018",
    "RELEASE_2021",
    "RELEASE_2022",
    "TOTAL",
    "ApparentLayout",
    "ColumnSpec",
    "InventoryLayout",
    "apparent_category_axis",
    "column_code",
    "header_keys",
    "header_spellings",
    "inventory_column_axis",
    "inventory_sector_axis",
    "sector_code",
]

TOTAL: Final = "total"
"""Pseudo column code of the file's total column (``Scope 1 Total`` / ``Total``)."""

SheetKind = Literal["province_year", "province", "year"]


@cache
def header_spellings() -> tuple[tuple[str, str, str], ...]:
    """``(key, spelling, where seen)`` of every header spelling in ``header_spellings.csv``."""
    text = resources.files(__package__).joinpath("header_spellings.csv").read_text(encoding="utf-8")
    return tuple((r["key"].strip(), r["spelling"].strip(), r["where seen"].strip())
                 for r in csv.DictReader(io.StringIO(text)) if r.get("key"))


@cache
def header_keys(key: str) -> tuple[str, ...]:
    """The normalised spellings of column (or row label) ``key`` (``raw_coal``, ``total``,
    ``total_row``, ``unit``, ``cement_process`` …), the canonical one first."""
    out = tuple(dict.fromkeys(normalise_key(sp) for k, sp, _ in header_spellings() if k == key))
    if not out:
        raise KeyError(f"no header spellings for {key!r} in header_spellings.csv")
    return out


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
    unit_required: bool = True

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



def _spec(name_en: str, code: str | None = None, *, spellings: str | None = None) -> ColumnSpec:
    """A column named ``name_en`` filling output column ``code`` (default: its code),
    matched by the spellings of ``spellings`` (default: the code) in header_spellings.csv."""
    out = code or column_code(name_en)
    return ColumnSpec(out, name_en, header_keys(spellings or out))


def _fuel_specs() -> tuple[ColumnSpec, ...]:
    return tuple(_spec(f.name_en) for f in fuels() if f.kind == "fuel")


_TOTAL_ROW_KEYS: Final = header_keys("total_row")
_UNIT_KEYS: Final = header_keys("unit")

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
        _spec("Scope 1 Total", TOTAL),
    ),
    total_keys=_TOTAL_ROW_KEYS,
    unit_keys=_UNIT_KEYS,
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
        _spec("Total", TOTAL),
    ),
    total_keys=_TOTAL_ROW_KEYS,
    unit_row=None,
    strict_positions=False,
)

RELEASE_2022: Final = InventoryLayout(
    name="release_2022",
    vintage="release 2022 (layout guessed)",
    product="provincial CO2 inventory",
    file_pattern=r"emission|inventor|co2",
    sheet_kind="province_year",
    columns=RELEASE_2021.columns,
    total_keys=_TOTAL_ROW_KEYS,
    unit_keys=_UNIT_KEYS,
    strict_positions=False,
    unit_required=False,
)

NATIONAL_2021: Final = InventoryLayout(
    name="national_2021",
    vintage="release 2021",
    product="national CO2 inventory",
    file_pattern=r"china[ _-]*co2[ _-]*inventory",
    sheet_kind="year",
    columns=RELEASE_2021.columns,
    total_keys=_TOTAL_ROW_KEYS,
    unit_keys=_UNIT_KEYS,
)

LAYOUTS: Final[tuple[InventoryLayout, ...]] = (RELEASE_2021, RELEASE_2018, RELEASE_2022, NATIONAL_2021)

#: First year of the 2022 release (the 2021/22 release is verified for 1997-2017).
RELEASE_2022_FROM: Final = 2018


# --------------------------------------------------------------------------- apparent
#: The categories of the apparent-emissions workbook, in file order.
APPARENT_CATEGORIES: Final[tuple[str, ...]] = ("raw_coal", "crude_oil", "natural_gas", "cement_process")


@dataclass(frozen=True, slots=True)
class ApparentLayout:
    """The CEADs apparent-emissions workbook (guessed layout, see the module docstring).

    ``columns`` the category columns in order, then the optional total column
    (:data:`TOTAL`); ``region_keys`` the accepted headers of the label column (optional);
    ``total_row_keys`` the labels of the optional total row (Σ provinces);
    ``search_rows`` where the header row is looked for; ``allow_negative`` whether a
    negative cell is accepted (apparent consumption net of stock changes could be)."""

    name: str
    vintage: str
    product: str
    columns: tuple[ColumnSpec, ...]
    total_row_keys: tuple[str, ...]
    unit_keys: tuple[str, ...]
    search_rows: int = 12
    allow_negative: bool = False
    total_optional: bool = True

    @property
    def categories(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.code != TOTAL)


APPARENT_2022: Final = ApparentLayout(
    name="apparent_2022",
    vintage="apparent emissions 1997-2022 (layout guessed)",
    product="provincial apparent CO2 emissions",
    columns=(
        _spec("Raw Coal", "raw_coal"),
        _spec("Crude Oil", "crude_oil"),
        _spec("Natural Gas", "natural_gas"),
        _spec("Cement Process", "cement_process"),
        _spec("Total", TOTAL),
    ),
    total_row_keys=header_keys("apparent_total_row"),
    unit_keys=_UNIT_KEYS,
)


@cache
def apparent_category_axis() -> Axis:
    """The four apparent-emission categories as an :class:`Axis` (dimension
    ``apparent_category``); labels from the ``inventory`` catalog
    (``inventory.apparent.<code>``)."""
    codes = APPARENT_CATEGORIES
    return Axis("apparent_category", codes, tuple(t(f"inventory.apparent.{c}", "en") for c in codes),
                tuple(t(f"inventory.apparent.{c}", "zh-Hans") for c in codes), list_id="ceads_apparent4")
