"""Readers of the CEADs CO2 emission inventories (IPCC sectoral approach, Mt CO2).

* :func:`read_inventory_workbook` reads one provincial workbook of either release
  (auto-detected from its sheet names): the 2021/22 release
  ``Emission_Inventories_for_30_Provinces_<YYYY>.xlsx`` (sheets ``<Province><YYYY>``) or
  the 2018 release ``Province sectoral CO2 emissions <YYYY>.xlsx`` (sheets ``<Province>``).
* :func:`read_national_inventory` reads the national workbook
  ``China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx`` (one sheet per year).
* :func:`detect_inventory_year` tells the year of a provincial workbook.

Layouts are declared in :mod:`viscarbon.io.readers.ceads_inventory.layouts`; every block is located by
its labels (header spellings compared through
:func:`~viscarbon.classification.normalise_key`) and its position is checked. Empty
cells are 0. Two identities are checked on every sheet, with cell references in the
errors (Shan et al. 2018, Sci Data 5:170201, the construction of the inventory):

* per row *i* (the total row and the 47 sector rows), over the 21 columns *c* (17 fuels,
  Scope 2 heat / electricity, other energy, process):
  ``Σ_c e[i, c] = e[i, total]`` (fuels + process = Scope 1 total);
* per column *c* (including the total column), over the 47 sectors *s*:
  ``Σ_s e[s, c] = e[total row, c]``;

both to a relative tolerance of 1e-9 (``|gap| ≤ 1e-9 · max(|total|, 1 Mt)``). Values
must be finite and non-negative. Spreadsheet error cells (``#DIV/0!``, ``#NUM!``), which
the workbook engine would otherwise hand over as empty cells, are reported as errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import inventory_sectors, normalise_key, regions
from viscarbon.errors import BalanceError, DataError, LayoutError, ViscarbonError
from viscarbon.i18n import t
from viscarbon.io.files import (
    Workbook,
    bad_cell_text,
    cell_ref,
    col_letter,
    error_cells,
    number,
    open_workbook,
    sha256_file,
    years_in,
)
from viscarbon.io.readers.ceads_inventory.layouts import (
    NATIONAL_2021,
    OUTPUT_COLUMNS,
    RELEASE_2018,
    RELEASE_2021,
    RELEASE_2022,
    RELEASE_2022_FROM,
    TOTAL,
    InventoryLayout,
    inventory_column_axis,
    inventory_sector_axis,
)
from viscarbon.model import Axis, InventoryTable, Provenance

__all__ = [
    "RTOL",
    "InventoryInspection",
    "SheetBlock",
    "detect_inventory_layout",
    "detect_inventory_year",
    "inspect_inventory_workbook",
    "national_region_axis",
    "parse_inventory_grid",
    "province_sheets",
    "read_inventory_workbook",
    "read_national_inventory",
]

Arr = NDArray[np.float64]

RTOL = 1e-9
"""Relative tolerance of the row and column identities (floor: 1 Mt, i.e. 1e-9 Mt absolute)."""

_SHEET_YEAR_RE = re.compile(r"^\s*(?P<name>.*?)[\s_-]*(?P<year>(?:19|20)\d\d)\s*$")


# --------------------------------------------------------------------------- helpers
def _where(file: str, sheet: str, row0: int | None = None, col0: int | None = None) -> str:
    text = f"file {file}, sheet {sheet}"
    if row0 is not None and col0 is not None:
        text += f", cell {cell_ref(row0, col0)}"
    return text


def _cell(grid: Sequence[Sequence[Any]], r: int, c: int) -> Any:
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return ""


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _label_key(text: object) -> str:
    return normalise_key(str(text).replace("&", " and "))


@cache
def _region_keys() -> dict[str, str]:
    """Normalised sheet-name key → region code (CEADs sheet prefix and English name)."""
    out: dict[str, str] = {}
    for r in regions():
        out[normalise_key(r.name_en)] = r.code
        if r.inventory_sheet_prefix:
            out[normalise_key(r.inventory_sheet_prefix)] = r.code
    return out


@cache
def _sector_keys() -> tuple[str, ...]:
    return tuple(_label_key(s.name_en) for s in inventory_sectors())


def national_region_axis() -> Axis:
    """The one-region axis of national inventories: ``Axis("region", ("CN",))``."""
    return Axis("region", ("CN",), (t("inventory.region.CN", "en"),),
                (t("inventory.region.CN", "zh-Hans"),))


# --------------------------------------------------------------------------- one sheet
@dataclass(frozen=True)
class SheetBlock:
    """One inventory sheet, located and checked.

    ``values`` (47 × 21, Mt): sectors × :data:`OUTPUT_COLUMNS` (columns the layout lacks
    are 0); ``total_row`` (21,): the file's total row; ``total``: its Scope 1 total;
    ``header_cell`` / ``total_cell``: where the first header and the total-row label were
    found; ``block``: the number cells (total row to the last sector, ``B4:W51``);
    ``row_check`` / ``col_check``: the worst relative gap of the row and column identities,
    its tolerance (relative) and its cell; ``unit_row``: whether a unit row was there.
    """

    values: Arr
    total_row: Arr
    total: float
    header_cell: str
    total_cell: str
    block: str = ""
    row_check: tuple[float, float, str] = (0.0, 0.0, "")
    col_check: tuple[float, float, str] = (0.0, 0.0, "")
    unit_row: bool = True


def parse_inventory_grid(grid: Sequence[Sequence[Any]], layout: InventoryLayout, *,
                         file: str, sheet: str,
                         error_cells: dict[tuple[int, int], str] | None = None) -> SheetBlock:
    """Locate, read and check the inventory block of one sheet (a grid of cell values
    from A1, ``''`` for empty cells).

    Raises :class:`LayoutError` when a header, the unit row, the total row or a sector
    label is missing or displaced (naming the cell found and the cell expected),
    :class:`DataError` for text, non-finite, error or negative values, and
    :class:`BalanceError` when a row or column identity fails (module docstring).
    """
    specs = layout.columns
    ncols = len(specs)
    nsec = layout.n_sectors
    errs = error_cells or {}

    # header row: the first column's label, searched in the first rows
    first_keys = specs[0].keys
    hr = hc = -1
    for r in range(min(layout.search_rows, len(grid))):
        for c, v in enumerate(grid[r]):
            if isinstance(v, str) and normalise_key(v) in first_keys:
                hr, hc = r, c
                break
        if hr >= 0:
            break
    if hr < 0:
        raise LayoutError(
            f"header {specs[0].name_en!r} not found in rows 1-{layout.search_rows}",
            where=_where(file, sheet),
            hint=f"is this a CEADs inventory sheet ({layout.vintage} layout)?")
    if layout.strict_positions and (hr, hc) != (layout.header_row, layout.first_col):
        raise LayoutError(
            f"header block displaced: {specs[0].name_en!r} found at {cell_ref(hr, hc)}, "
            f"expected at {cell_ref(layout.header_row, layout.first_col)}",
            where=_where(file, sheet, hr, hc),
            hint="a row or column was inserted or deleted; restore the CEADs layout")
    if hc < 1:
        raise LayoutError(f"no label column left of header {specs[0].name_en!r}",
                          where=_where(file, sheet, hr, hc))
    lc = hc - 1
    for k, spec in enumerate(specs):
        v = _cell(grid, hr, hc + k)
        if normalise_key(v) not in spec.keys:
            raise LayoutError(
                f"unexpected header {str(v)[:40]!r} at {cell_ref(hr, hc + k)}, expected {spec.name_en!r}",
                where=_where(file, sheet, hr, hc + k),
                hint=f"the {layout.vintage} layout has the columns "
                     + ", ".join(s.name_en for s in specs) + " in this order")

    # unit row
    if layout.unit_row is not None:
        ur = hr + (layout.unit_row - layout.header_row)
        seen = 0
        for k in range(ncols):
            v = _cell(grid, ur, hc + k)
            if _empty(v):
                continue
            if normalise_key(v) not in layout.unit_keys:
                raise LayoutError(
                    f"unit {str(v)[:20]!r} at {cell_ref(ur, hc + k)}, expected 'Mt CO2'",
                    where=_where(file, sheet, ur, hc + k),
                    hint="only inventories in Mt CO2 are read; a displaced block also shows here")
            seen += 1
        if not seen and layout.unit_required:
            raise LayoutError(f"unit row {ur + 1} holds no 'Mt CO2'",
                              where=_where(file, sheet, ur, hc),
                              hint="a row was inserted or deleted above the data")
        has_unit = bool(seen)
    else:
        has_unit = False

    # total row, by its label in the label column
    tr = -1
    for r in range(hr + 1, min(hr + 1 + layout.search_rows, len(grid))):
        if normalise_key(_cell(grid, r, lc)) in layout.total_keys:
            tr = r
            break
    expected_tr = hr + (layout.total_row - layout.header_row)
    if tr < 0:
        raise LayoutError(
            f"total row ('Total Consumption') not found in column {col_letter(lc)}",
            where=_where(file, sheet, expected_tr, lc),
            hint="the total row label may be misspelt or the block displaced")
    if layout.strict_positions and tr != expected_tr:
        raise LayoutError(
            f"total row displaced: {str(_cell(grid, tr, lc)).strip()!r} found at "
            f"{cell_ref(tr, lc)}, expected at {cell_ref(expected_tr, lc)}",
            where=_where(file, sheet, tr, lc),
            hint="a row was inserted or deleted above the total row")
    last = tr + nsec  # 0-based row of sector 47

    # no numbers between the header and the total row
    for r in range(hr + 1, tr):
        for k in range(ncols):
            v = _cell(grid, r, hc + k)
            if isinstance(v, int | float) and not isinstance(v, bool):
                raise LayoutError(
                    f"unexpected number {v!r} at {cell_ref(r, hc + k)} above the total row",
                    where=_where(file, sheet, r, hc + k),
                    hint="the data block is displaced upwards")

    # the 47 sector labels, in order, right under the total row
    keys = _sector_keys()
    secs = inventory_sectors()
    for i in range(nsec):
        v = _cell(grid, tr + 1 + i, lc)
        if _label_key(v) != keys[i]:
            raise LayoutError(
                f"row label {str(v).strip()[:50]!r} at {cell_ref(tr + 1 + i, lc)} is not inventory "
                f"sector {secs[i].index} {secs[i].name_en!r}",
                where=_where(file, sheet, tr + 1 + i, lc),
                hint="the 47 sector rows must follow the total row in the CEADs order")

    # nothing right of the last column nor under the last sector (a displaced data block)
    right = hc + ncols
    for r in range(hr, last + 1):
        v = _cell(grid, r, right)
        if not _empty(v):
            raise LayoutError(
                f"unexpected content {str(v)[:30]!r} at {cell_ref(r, right)} right of the last "
                f"column {specs[-1].name_en!r}",
                where=_where(file, sheet, r, right),
                hint="a column was inserted or the data block is displaced to the right")
    for c in range(lc, right):
        v = _cell(grid, last + 1, c)
        if not _empty(v):
            raise LayoutError(
                f"unexpected content {str(v)[:30]!r} at {cell_ref(last + 1, c)} under the last "
                f"sector row",
                where=_where(file, sheet, last + 1, c),
                hint="a row was inserted or the data block is displaced downwards")

    # numbers: rows tr..last, columns hc..hc+ncols-1
    block = np.zeros((nsec + 1, ncols), dtype=np.float64)
    for i in range(nsec + 1):
        r = tr + i
        row = grid[r] if r < len(grid) else ()
        for k in range(ncols):
            c = hc + k
            v = row[c] if c < len(row) else ""
            if type(v) is float and v == v and abs(v) != float("inf"):
                x = v
            else:
                if (r, c) in errs:
                    message, hint = bad_cell_text(errs[(r, c)])
                    raise DataError(message, where=_where(file, sheet, r, c), hint=hint)
                x = number(v, file=file, sheet=sheet, row0=r, col0=c)
            if x < 0:
                raise DataError(
                    f"negative emissions {x:.6g} Mt",
                    where=_where(file, sheet, r, c),
                    hint="CEADs inventories hold no negative values; check the cell")
            block[i, k] = x

    # identities: rows (columns → total) then columns (sectors → total row)
    kt = next(k for k, s in enumerate(specs) if s.code == TOTAL)
    parts = [k for k in range(ncols) if k != kt]
    row_sums = block[:, parts].sum(axis=1)
    gaps = row_sums - block[:, kt]
    tol = RTOL * np.maximum(np.abs(block[:, kt]), 1.0)
    worst = int(np.argmax(np.abs(gaps) / tol))
    row_check = (float(gaps[worst] / max(abs(float(block[worst, kt])), 1.0)), RTOL,
                 cell_ref(tr + worst, hc + kt))
    bad = np.flatnonzero(np.abs(gaps) > tol)
    if bad.size:
        i = int(bad[0])
        label = "the total row" if i == 0 else f"sector {secs[i - 1].index} {secs[i - 1].name_en!r}"
        raise BalanceError(
            f"fuels + process sum to {row_sums[i]:.9g} Mt but {str(_cell(grid, hr, hc + kt)).strip()!r} says "
            f"{block[i, kt]:.9g} Mt for {label} (gap {gaps[i]:.3g} Mt)",
            where=_where(file, sheet, tr + i, hc + kt),
            hint="every row must add up: 17 fuels + Scope 2 / other + Process = Scope 1 total")
    col_sums = block[1:].sum(axis=0)
    gaps = col_sums - block[0]
    tol = RTOL * np.maximum(np.abs(block[0]), 1.0)
    worst = int(np.argmax(np.abs(gaps) / tol))
    col_check = (float(gaps[worst] / max(abs(float(block[0, worst])), 1.0)), RTOL, cell_ref(tr, hc + worst))
    bad = np.flatnonzero(np.abs(gaps) > tol)
    if bad.size:
        k = int(bad[0])
        raise BalanceError(
            f"the 47 sector rows of {str(_cell(grid, hr, hc + k)).strip()!r} sum to {col_sums[k]:.9g} Mt but the total "
            f"row says {block[0, k]:.9g} Mt (gap {gaps[k]:.3g} Mt)",
            where=_where(file, sheet, tr, hc + k),
            hint="every column must add up: Σ sectors = the total row")

    values = np.zeros((nsec, len(OUTPUT_COLUMNS)), dtype=np.float64)
    total_row = np.zeros(len(OUTPUT_COLUMNS), dtype=np.float64)
    for j, code in enumerate(OUTPUT_COLUMNS):
        k_opt = layout.column_index(code)
        if k_opt is not None:
            values[:, j] = block[1:, k_opt]
            total_row[j] = block[0, k_opt]
    values.setflags(write=False)
    total_row.setflags(write=False)
    return SheetBlock(values=values, total_row=total_row, total=float(block[0, kt]),
                      header_cell=cell_ref(hr, hc), total_cell=cell_ref(tr, lc),
                      block=f"{cell_ref(tr, hc)}:{cell_ref(last, hc + ncols - 1)}",
                      row_check=row_check, col_check=col_check, unit_row=has_unit)


# --------------------------------------------------------------------------- workbook
@dataclass(frozen=True)
class _SheetPlan:
    """How the sheets of a provincial workbook map to regions and years."""

    layout: InventoryLayout
    by_region: dict[str, str]  # region code → sheet name
    sheet_years: dict[str, int]  # sheet name → year from its name (release 2021)
    others: tuple[str, ...]
    with_year: bool = True


def province_sheets(names: Iterable[str]) -> dict[str, str]:
    """Sheet name → region code of the sheets named by a province (``Beijing2012``,
    ``InnerMongolia``, ``Inner_Mongolia_2022``)."""
    keys = _region_keys()
    out: dict[str, str] = {}
    for name in names:
        m = _SHEET_YEAR_RE.match(name)
        if m and normalise_key(m.group("name")) in keys:
            out[name] = keys[normalise_key(m.group("name"))]
        elif normalise_key(name) in keys:
            out[name] = keys[normalise_key(name)]
    return out


def _classify_sheets(wb: Workbook) -> _SheetPlan:
    keys = _region_keys()
    with_year: dict[str, tuple[str, int]] = {}
    plain: dict[str, str] = {}
    year_sheets: list[str] = []
    others: list[str] = []
    for name in wb.sheet_names:
        m = _SHEET_YEAR_RE.match(name)
        if m and normalise_key(m.group("name")) in keys:
            with_year[name] = (keys[normalise_key(m.group("name"))], int(m.group("year")))
        elif normalise_key(name) in keys:
            plain[name] = keys[normalise_key(name)]
        elif m and not m.group("name").strip():
            year_sheets.append(name)
        else:
            others.append(name)
    if with_year and plain:
        raise LayoutError(
            "the workbook mixes province sheets with and without a year "
            f"({next(iter(with_year))!r}, {next(iter(plain))!r})",
            where=f"file {wb.name}",
            hint="use one CEADs workbook as downloaded")
    if not with_year and not plain:
        if year_sheets:
            raise LayoutError(
                "this is a national inventory workbook (one sheet per year), not a provincial one",
                where=f"file {wb.name}", hint="read it with read_national_inventory")
        raise LayoutError(
            "no province sheets found (sheets: " + ", ".join(wb.sheet_names) + ")",
            where=f"file {wb.name}",
            hint="expected sheets named like 'Beijing2012' (release 2021) or 'Beijing' (release 2018)")
    layout = RELEASE_2021 if with_year else RELEASE_2018
    by_region: dict[str, str] = {}
    pairs: Iterable[tuple[str, str]] = (
        ((n, code) for n, (code, _) in with_year.items()) if with_year else plain.items())
    for name, code in pairs:
        if code in by_region:
            raise LayoutError(
                f"two sheets for the same province: {by_region[code]!r} and {name!r}",
                where=f"file {wb.name}", hint="keep one sheet per province")
        by_region[code] = name
    return _SheetPlan(layout, by_region, {n: y for n, (_, y) in with_year.items()},
                      tuple(others + year_sheets), with_year=bool(with_year))


def _has_scope2_columns(grid: Sequence[Sequence[Any]], search_rows: int) -> bool | None:
    """Whether the header row of an inventory sheet (the row holding ``Raw Coal``) has the
    Scope 2 columns of the 2021/22 grid (None: no header row found)."""
    first = RELEASE_2021.columns[0].keys
    scope2 = RELEASE_2021.columns[RELEASE_2021.column_index("scope_2_heat") or 0].keys
    for r in range(min(search_rows, len(grid))):
        keys = [normalise_key(v) for v in grid[r] if isinstance(v, str)]
        if any(k in first for k in keys):
            return any(k in scope2 for k in keys)
    return None


def _layout_for(wb: Workbook, plan: _SheetPlan, year: int) -> tuple[InventoryLayout, str]:
    """The release of a provincial workbook: the 22-column grid (Scope 2 columns present)
    is release 2021 up to 2017 and the 2022 release (guessed layout) from 2018 on; the
    19-column grid is release 2018. Told by the header of the first province sheet, then
    the year; without a readable header, by the sheet names."""
    first_sheet = plan.by_region[next(c for c in (r.code for r in regions()) if c in plan.by_region)]
    scope2 = _has_scope2_columns(wb.grid(first_sheet), RELEASE_2021.search_rows)
    if scope2 is None:
        return plan.layout, "sheet names"
    if not scope2:
        return RELEASE_2018, f"no Scope 2 columns in sheet {first_sheet!r}"
    if year >= RELEASE_2022_FROM or not plan.with_year:
        return RELEASE_2022, (f"Scope 2 columns and year {year}" if plan.with_year
                              else f"Scope 2 columns in sheet {first_sheet!r} without a year in its name")
    return RELEASE_2021, f"Scope 2 columns and year {year}"


def _file_year(file_name: str) -> int | None:
    found = set(years_in(Path(file_name).stem))
    return found.pop() if len(found) == 1 else None


def _note_year(wb: Workbook) -> int | None:
    """The single year of the NOTE sheet's ``Timeseries`` line, if there is one."""
    name = next((s for s in wb.sheet_names if normalise_key(s) == "note"), None)
    if name is None:
        return None
    for row in wb.grid(name)[:30]:
        if row and normalise_key(row[0]).startswith("timeseries"):
            for v in row[1:]:
                if isinstance(v, int | float) and not isinstance(v, bool) and 1950 <= v <= 2099:
                    return int(v)
                if isinstance(v, str) and re.fullmatch(r"\s*(19|20)\d\d\s*", v):
                    return int(v)
    return None


def _resolve_year(wb: Workbook, plan: _SheetPlan, year: int | None) -> tuple[int, str]:
    """The workbook's year and how it was found (for the provenance notes)."""
    sheet_years = sorted(set(plan.sheet_years.values()))
    if len(sheet_years) > 1:
        a = next(n for n, y in plan.sheet_years.items() if y == sheet_years[0])
        b = next(n for n, y in plan.sheet_years.items() if y == sheet_years[-1])
        raise DataError(
            f"province sheets are for different years: {a!r} and {b!r}",
            where=f"file {wb.name}", hint="one workbook holds one year")
    sheet_year = sheet_years[0] if sheet_years else None
    example = next(iter(plan.sheet_years), "")
    file_year = _file_year(wb.name)
    if year is not None:
        if sheet_year is not None and sheet_year != year:
            raise DataError(
                f"year={year} was asked for but the sheets are for {sheet_year}",
                where=f"file {wb.name}, sheet {example}",
                hint=f"import the {year} workbook, or rename this file to carry {sheet_year}")
        return year, "given (year=)"
    if sheet_year is not None:
        if file_year is not None and file_year != sheet_year:
            raise DataError(
                f"wrong year in the file name: the file name says {file_year} but the sheet "
                f"names say {sheet_year}",
                where=f"file {wb.name}, sheet {example}",
                hint=f"rename the file to carry the year of its sheets, {sheet_year}")
        return sheet_year, "sheet names" + (" and file name" if file_year else "")
    note_year = _note_year(wb)
    if note_year is not None:
        if file_year is not None and file_year != note_year:
            raise DataError(
                f"wrong year in the file name: the file name says {file_year} but the NOTE "
                f"sheet says {note_year}",
                where=f"file {wb.name}, sheet NOTE",
                hint=f"rename the file to carry the year its notes name, {note_year}")
        return note_year, "NOTE sheet"
    if file_year is not None:
        return file_year, "file name"
    raise DataError("cannot tell the inventory year from the file name or the sheets",
                    where=f"file {wb.name}", hint="put the year in the file name (e.g. Emission_Inventories_for_30_Provinces_2017.xlsx)")


def detect_inventory_layout(path: str | Path) -> InventoryLayout:
    """The layout (release) of a provincial inventory workbook, from its sheet names, its
    header row and its year."""
    wb = open_workbook(path)
    plan = _classify_sheets(wb)
    return _layout_for(wb, plan, _resolve_year(wb, plan, None)[0])[0]


def detect_inventory_year(path: str | Path) -> int:
    """The year of a provincial inventory workbook: from the sheet names (release 2021),
    the NOTE sheet, or the file name; a file name that disagrees with the sheets is a
    :class:`DataError` (``wrong year in the file name``)."""
    wb = open_workbook(path)
    return _resolve_year(wb, _classify_sheets(wb), None)[0]


def _provenance(path: Path, layout: InventoryLayout, sheet: str, notes: str, *,
                digest: str | None = None) -> Provenance:
    return Provenance(
        source="CEADs",
        product=layout.product,
        vintage=layout.vintage,
        file_name=path.name,
        sha256=digest or sha256_file(path),
        sheet=sheet,
        importer_version=__version__,
        notes=notes,
        citation=t("common.citation.inventory", "en"),
    )


@dataclass
class _Trace:
    """What the reading steps found so far (read by the inspections when a step fails)."""

    file: str
    layout: InventoryLayout | None = None
    layout_how: str = ""
    years: tuple[int, ...] = ()
    sheets: list[tuple[str, str, SheetBlock]] = field(default_factory=list)  # (sheet, region/year, block)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InventoryInspection:
    """What :func:`inspect_inventory_workbook` found: ``kind`` ``provincial`` or
    ``national``, the ``layout`` matched (or nearest, None when not even that), how it was
    told, the years, every sheet read (``(sheet, region or year, SheetBlock)``), the reader
    notes, the tables when they read and the first ``error`` otherwise."""

    file: str
    kind: str
    layout: InventoryLayout | None
    layout_how: str
    years: tuple[int, ...]
    sheets: tuple[tuple[str, str, SheetBlock], ...]
    notes: tuple[str, ...]
    tables: tuple[InventoryTable, ...]
    error: ViscarbonError | None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.tables)


def _read_provincial(p: Path, year: int | None, allow_missing: bool, trace: _Trace) -> InventoryTable:
    wb = open_workbook(p)
    plan = _classify_sheets(wb)
    trace.layout, trace.layout_how = plan.layout, "sheet names"
    the_year, year_source = _resolve_year(wb, plan, year)
    trace.years = (the_year,)
    layout, how = _layout_for(wb, plan, the_year)
    trace.layout, trace.layout_how = layout, how

    expected = [r for r in regions() if r.inventory_sheet_prefix]
    missing = [r for r in expected if r.code not in plan.by_region]
    if missing and not allow_missing:
        r = missing[0]
        want = f"{r.inventory_sheet_prefix}{the_year}" if plan.with_year else str(r.inventory_sheet_prefix)
        raise LayoutError(
            f"province sheet {want!r} ({r.code}) is missing"
            + (f", and {len(missing) - 1} more" if len(missing) > 1 else ""),
            where=f"file {wb.name}",
            hint="download the complete workbook again from ceads.net")

    errs = error_cells(p)
    codes = [r.code for r in regions() if r.code in plan.by_region]
    blocks = []
    for c in codes:
        sheet = plan.by_region[c]
        b = parse_inventory_grid(wb.grid(sheet), layout, file=wb.name, sheet=sheet,
                                 error_cells=errs.get(sheet))
        trace.sheets.append((sheet, c, b))
        blocks.append(b)
    notes = [
        f"layout {layout.name} ({how})",
        f"year {the_year} from {year_source}",
        "sheets: " + ", ".join(f"{c}={plan.by_region[c]}" for c in codes),
    ]
    if plan.others:
        notes.append("other sheets: " + ", ".join(plan.others))
    if missing:
        notes.append("missing provinces: " + ", ".join(r.code for r in missing))
    if layout.unit_row is not None and not all(b.unit_row for b in blocks):
        notes.append("no unit row on sheets " + ", ".join(
            plan.by_region[c] for c, b in zip(codes, blocks, strict=True) if not b.unit_row)
            + " (Mt CO2 assumed)")
    trace.notes = notes
    return InventoryTable(
        year=the_year,
        regions=Axis.regions(tuple(codes)),
        sectors=inventory_sector_axis(),
        columns=inventory_column_axis(),
        values=np.stack([b.values for b in blocks]) if blocks else np.zeros((0, 47, 21)),
        totals=np.array([b.total for b in blocks], dtype=np.float64),
        unit="Mt",
        provenance=(_provenance(p, layout, "", "; ".join(notes)),),
    )


def read_inventory_workbook(path: str | Path, *, year: int | None = None,
                            allow_missing: bool = False) -> InventoryTable:
    """Read one CEADs provincial inventory workbook (release 2021, 2018 or 2022).

    Returns an :class:`InventoryTable` of the provinces present (NBS order; Tibet never
    has a sheet): ``values[r, s, c]`` Mt CO2 for 47 sectors × 21 columns
    (:data:`~viscarbon.io.readers.ceads_inventory.layouts.OUTPUT_COLUMNS`; release 2018 has no Scope 2 /
    Other Energy columns, read as 0), ``totals[r]`` the Scope 1 total of the total row.

    ``year`` overrides the year in the file name (it must agree with the sheet names).
    A province that CEADs publishes but the workbook lacks is a :class:`LayoutError`
    naming the missing sheet, unless ``allow_missing=True`` (then it is absent and the
    provenance notes say so).
    """
    p = Path(path)
    return _read_provincial(p, year, allow_missing, _Trace(p.name))


# --------------------------------------------------------------------------- national
def _check_against_sum_sheets(wb: Workbook, year_sheet: str, year: int, block: SheetBlock) -> list[str]:
    """Cross-check one year against the summary sheets ``sum`` (total row per year) and
    ``Sum-Sec-Scope 1`` (Scope 1 total per sector and year), when present."""
    checked: list[str] = []
    file = wb.name
    sum_name = next((s for s in wb.sheet_names if normalise_key(s) == "sum"), None)
    if sum_name is not None:
        grid = wb.grid(sum_name)
        hdr = grid[0] if grid else []
        col_of = {normalise_key(v): j for j, v in enumerate(hdr) if not _empty(v)}
        for r, row in enumerate(grid[1:], start=1):
            if row and isinstance(row[0], int | float) and int(row[0]) == year:
                for j, code in enumerate((*OUTPUT_COLUMNS, TOTAL)):
                    spec_i = NATIONAL_2021.column_index(code)
                    assert spec_i is not None
                    key = NATIONAL_2021.columns[spec_i].keys[0]
                    if key not in col_of:
                        continue
                    c = col_of[key]
                    v = number(_cell(grid, r, c), file=file, sheet=sum_name, row0=r, col0=c)
                    mine = block.total if code == TOTAL else float(block.total_row[j])
                    if abs(v - mine) > RTOL * max(abs(mine), 1.0):
                        raise BalanceError(
                            f"sheet {sum_name!r} says {v:.9g} Mt for {year} but sheet "
                            f"{year_sheet!r} totals {mine:.9g} Mt",
                            where=_where(file, sum_name, r, c),
                            hint="the summary and the year sheet disagree; the workbook may be edited")
                checked.append(sum_name)
                break
    sec_name = next((s for s in wb.sheet_names if normalise_key(s) == "sumsecscope1"), None)
    if sec_name is not None:
        grid = wb.grid(sec_name)
        hdr = grid[0] if grid else []
        col = next((j for j, v in enumerate(hdr)
                    if isinstance(v, int | float) and not isinstance(v, bool) and int(v) == year), None)
        tr = next((r for r, row in enumerate(grid[:15])
                   if row and normalise_key(row[0]) in NATIONAL_2021.total_keys), None)
        if col is not None and tr is not None:
            mine_col = np.concatenate([[block.total], block.values.sum(axis=1)])
            for i, mine in enumerate(mine_col):
                r = tr + i
                v = number(_cell(grid, r, col), file=file, sheet=sec_name, row0=r, col0=col)
                if abs(v - mine) > RTOL * max(abs(float(mine)), 1.0):
                    raise BalanceError(
                        f"sheet {sec_name!r} says {v:.9g} Mt but sheet {year_sheet!r} gives "
                        f"{mine:.9g} Mt for {'the total' if i == 0 else f'sector {i}'}",
                        where=_where(file, sec_name, r, col),
                        hint="the summary and the year sheet disagree; the workbook may be edited")
            checked.append(sec_name)
    return checked


def _read_national(p: Path, years: Iterable[int] | None, trace: _Trace) -> dict[int, InventoryTable]:
    wb = open_workbook(p)
    year_sheets: dict[int, str] = {}
    for name in wb.sheet_names:
        if re.fullmatch(r"\s*(19|20)\d\d\s*", name):
            year_sheets[int(name)] = name
    if not year_sheets:
        raise LayoutError(
            "no year sheets found (sheets: " + ", ".join(wb.sheet_names) + ")",
            where=f"file {wb.name}",
            hint="expected the national workbook with sheets named '1997' … '2019'; "
                 "provincial workbooks are read with read_inventory_workbook")
    trace.layout, trace.layout_how = NATIONAL_2021, "one sheet per year"
    wanted = sorted(year_sheets) if years is None else sorted({int(y) for y in years})
    trace.years = tuple(wanted)
    absent = [y for y in wanted if y not in year_sheets]
    if absent:
        raise LayoutError(
            f"sheet {str(absent[0])!r} not found",
            where=f"file {wb.name}",
            hint=f"years present: {min(year_sheets)}-{max(year_sheets)}")
    errs = error_cells(p)
    digest = sha256_file(p)
    out: dict[int, InventoryTable] = {}
    region_axis = national_region_axis()
    for y in wanted:
        sheet = year_sheets[y]
        block = parse_inventory_grid(wb.grid(sheet), NATIONAL_2021, file=wb.name, sheet=sheet,
                                     error_cells=errs.get(sheet))
        trace.sheets.append((sheet, str(y), block))
        checked = _check_against_sum_sheets(wb, sheet, y, block)
        notes = f"layout {NATIONAL_2021.name}; sheet {sheet}"
        if checked:
            notes += "; cross-checked against sheets " + ", ".join(repr(s) for s in checked)
        prov = _provenance(p, NATIONAL_2021, sheet, notes, digest=digest)
        out[y] = InventoryTable(
            year=y,
            regions=region_axis,
            sectors=inventory_sector_axis(),
            columns=inventory_column_axis(),
            values=block.values[np.newaxis],
            totals=np.array([block.total]),
            unit="Mt",
            provenance=(prov,),
        )
    trace.notes = [f"layout {NATIONAL_2021.name}", f"{len(out)} year sheets"]
    return out


def read_national_inventory(path: str | Path, *,
                            years: Iterable[int] | None = None) -> dict[int, InventoryTable]:
    """Read the CEADs national inventory workbook: one :class:`InventoryTable` per year
    (region axis ``CN`` only), each sheet read and checked like a provincial sheet, and
    cross-checked against the summary sheets ``sum`` and ``Sum-Sec-Scope 1`` when present.

    ``years`` selects years; a year without a sheet is a :class:`LayoutError`.
    The national total is not the sum of the provinces (apparent-consumption gap:
    2012, 9,080.5 Mt vs 9,742.7 Mt for the 30 provinces).
    """
    p = Path(path)
    return _read_national(p, years, _Trace(p.name))


def inspect_inventory_workbook(path: str | Path) -> InventoryInspection:
    """Read a provincial or national sectoral inventory workbook without raising: the
    layout matched, every sheet's blocks and identity checks, or the first error. The kind
    follows from the sheet names (province sheets: provincial; year sheets: national)."""
    p = Path(path)
    trace = _Trace(p.name)
    kind = "provincial"
    tables: tuple[InventoryTable, ...] = ()
    error: ViscarbonError | None = None
    try:
        wb = open_workbook(p)
        names = wb.sheet_names
        keys = _region_keys()
        provincial = any(normalise_key(n) in keys or (
            (m := _SHEET_YEAR_RE.match(n)) is not None and normalise_key(m.group("name")) in keys)
            for n in names)
        if not provincial and any(re.fullmatch(r"\s*(19|20)\d\d\s*", n) for n in names):
            kind = "national"
            tables = tuple(_read_national(p, None, trace).values())
        else:
            tables = (_read_provincial(p, None, False, trace),)
    except ViscarbonError as exc:
        error = exc
    return InventoryInspection(file=p.name, kind=kind, layout=trace.layout, layout_how=trace.layout_how,
                               years=trace.years, sheets=tuple(trace.sheets), notes=tuple(trace.notes),
                               tables=tables, error=error)
