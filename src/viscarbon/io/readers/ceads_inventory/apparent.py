"""Reader of the CEADs apparent CO2 emissions workbook (provinces × raw coal, crude oil,
natural gas and cement process, one sheet per year, Mt CO2).

The layout is **guessed** (issue 9 and CEADs' public descriptions; no file has been seen):
:data:`~viscarbon.io.readers.ceads_inventory.layouts.APPARENT_2022`. On every year sheet
(named ``1997`` … ``2022``, or ``2022年``) the reader looks, within the first rows, for
the header row holding ``Raw Coal``; the next columns must be ``Crude Oil``, ``Natural
Gas``, ``Cement Process`` and optionally ``Total`` (spellings from
``header_spellings.csv``: spaces, underscores, case, Chinese); the column left of
``Raw Coal`` holds the row labels. Below it: an optional unit row (``Mt CO2``), one row
per province (English, pinyin or Chinese name), optionally a total row (``Total``,
``Sum``); rows of text after the data end the table. Checked, each failure naming file,
sheet and cell, to a relative 1e-9 (floor 1 Mt; Shan et al. 2016, the apparent approach):

* per province: ``Σ_c e[r, c] = total[r]`` (when the total column is there);
* per column: ``Σ_r e[r, c] = total row[c]`` (when the total row is there);
* values finite and non-negative (``allow_negative`` in the layout), no province twice.

:func:`read_apparent_workbook` returns one :class:`~viscarbon.model.ApparentEmissions`
per year; :func:`inspect_apparent_workbook` the same steps without raising (for
``viscarbon doctor``); :func:`is_apparent_workbook` tells such a workbook from the
sectoral ones by its header row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import normalise_key, region
from viscarbon.errors import BalanceError, DataError, LayoutError, ViscarbonError
from viscarbon.i18n import t
from viscarbon.io.files import (
    Workbook,
    bad_cell_text,
    cell_ref,
    error_cells,
    number,
    open_workbook,
    sha256_file,
    years_in,
)
from viscarbon.io.readers.ceads_inventory.layouts import (
    APPARENT_2022,
    TOTAL,
    ApparentLayout,
    apparent_category_axis,
)
from viscarbon.io.readers.ceads_mrio.layouts import match_region
from viscarbon.model import ApparentEmissions, Axis, Provenance

__all__ = [
    "RTOL",
    "ApparentInspection",
    "ApparentSheet",
    "inspect_apparent_workbook",
    "is_apparent_workbook",
    "parse_apparent_grid",
    "read_apparent_workbook",
    "year_sheets",
]

Arr = NDArray[np.float64]

RTOL: Final = 1e-9
_YEAR_SHEET: Final = re.compile(r"\s*(?P<year>(?:19|20)\d\d)\s*年?\s*")


def _where(file: str, sheet: str, r: int | None = None, c: int | None = None) -> str:
    return f"file {file}, sheet {sheet}" + (f", cell {cell_ref(r, c)}" if r is not None and c is not None else "")


def _cell(grid: Sequence[Sequence[Any]], r: int, c: int) -> Any:
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return ""


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _is_number(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return True
    try:
        float(str(v).replace(",", ""))
        return not _empty(v)
    except ValueError:
        return False


def year_sheets(names: Iterable[str]) -> dict[int, str]:
    """Year → sheet name of the sheets named by a year (``2012``, ``2012年``)."""
    out: dict[int, str] = {}
    for n in names:
        m = _YEAR_SHEET.fullmatch(n)
        if m:
            out.setdefault(int(m.group("year")), n)
    return out


def _find_header(grid: Sequence[Sequence[Any]], lay: ApparentLayout) -> tuple[int, int] | None:
    first = lay.columns[0].keys
    for r in range(min(lay.search_rows, len(grid))):
        for c, v in enumerate(grid[r]):
            if isinstance(v, str) and normalise_key(v) in first:
                return r, c
    return None


def is_apparent_workbook(wb: Workbook, lay: ApparentLayout = APPARENT_2022) -> bool:
    """Whether ``wb`` looks like the apparent-emissions workbook: a year sheet whose header
    row has ``Raw Coal`` followed by ``Crude Oil`` (the sectoral inventories follow it with
    ``Cleaned Coal``)."""
    sheets = year_sheets(wb.sheet_names)
    if not sheets:
        return False
    grid = wb.grid(sheets[min(sheets)])
    found = _find_header(grid, lay)
    return found is not None and normalise_key(_cell(grid, found[0], found[1] + 1)) in lay.columns[1].keys


@dataclass(frozen=True)
class ApparentSheet:
    """One year sheet, located and checked: ``regions`` (NBS order), ``values`` (R × 4,
    Mt), ``totals`` (R,), where the header, the data and the total row are, and the worst
    relative gaps of the two identities (``(gap, tolerance, cell)``)."""

    regions: tuple[str, ...]
    values: Arr
    totals: Arr
    header_cell: str
    block: str
    total_column: bool
    total_row_cell: str | None
    unit_row: bool
    row_check: tuple[float, float, str] = (0.0, 0.0, "")
    col_check: tuple[float, float, str] | None = None
    empty_regions: tuple[str, ...] = ()


def parse_apparent_grid(grid: Sequence[Sequence[Any]], lay: ApparentLayout = APPARENT_2022, *,
                        file: str, sheet: str,
                        error_cells: dict[tuple[int, int], str] | None = None) -> ApparentSheet:
    """Locate, read and check one year sheet (module docstring)."""
    errs = error_cells or {}
    found = _find_header(grid, lay)
    if found is None:
        raise LayoutError(f"header {lay.columns[0].name_en!r} not found in rows 1-{lay.search_rows}",
                          where=_where(file, sheet),
                          hint="is this a CEADs apparent-emissions sheet (Raw Coal, Crude Oil, Natural "
                               "Gas, Cement Process)?")
    hr, hc = found
    if hc < 1:
        raise LayoutError(f"no label column left of header {lay.columns[0].name_en!r}",
                          where=_where(file, sheet, hr, hc))
    lc = hc - 1
    cats = lay.categories
    for k, spec in enumerate(cats):
        v = _cell(grid, hr, hc + k)
        if normalise_key(v) not in spec.keys:
            raise LayoutError(
                f"unexpected header {str(v)[:40]!r} at {cell_ref(hr, hc + k)}, expected {spec.name_en!r}",
                where=_where(file, sheet, hr, hc + k),
                hint="the apparent-emissions layout has the columns "
                     + ", ".join(s.name_en for s in cats) + " in this order (then Total)")
    tcol = hc + len(cats)
    total_spec = next(c for c in lay.columns if c.code == TOTAL)
    has_total = normalise_key(_cell(grid, hr, tcol)) in total_spec.keys
    if not has_total and not lay.total_optional:
        raise LayoutError(f"expected the total column {total_spec.name_en!r}", where=_where(file, sheet, hr, tcol))
    if not has_total and not _empty(_cell(grid, hr, tcol)):
        raise LayoutError(f"unexpected header {str(_cell(grid, hr, tcol))[:40]!r} at {cell_ref(hr, tcol)}, "
                          f"expected {total_spec.name_en!r} or nothing", where=_where(file, sheet, hr, tcol))
    ncols = len(cats) + (1 if has_total else 0)

    rows: list[tuple[int, str]] = []
    total_row: int | None = None
    unit_row = False
    r = hr + 1
    while r < len(grid):
        label = _cell(grid, r, lc)
        cells = [_cell(grid, r, hc + k) for k in range(ncols)]
        numeric = any(_is_number(v) for v in cells)
        if _empty(label) and not numeric:
            if not rows and not unit_row and any(normalise_key(v) in lay.unit_keys for v in cells):
                unit_row = True
            elif not rows and any(not _empty(v) for v in cells) and all(
                    _empty(v) or normalise_key(v) in lay.unit_keys for v in cells):
                raise LayoutError(f"unit {str(next(v for v in cells if not _empty(v)))[:20]!r}, expected "
                                  "'Mt CO2'", where=_where(file, sheet, r, hc),
                                  hint="only apparent emissions in Mt CO2 are read")
            r += 1
            continue
        code = match_region(label)
        if code is not None:
            rows.append((r, code))
        elif normalise_key(label) in lay.total_row_keys and numeric:
            total_row = r
            break
        elif numeric:
            raise LayoutError(f"row label {str(label).strip()[:40]!r} at {cell_ref(r, lc)} is not a province "
                              "(nor the total row)", where=_where(file, sheet, r, lc),
                              hint="rows hold one province each (English, pinyin or Chinese name), then "
                                   "optionally a total row")
        elif rows:
            break  # text after the data (notes): the table has ended
        r += 1
    if not rows:
        raise LayoutError("no province rows under the header", where=_where(file, sheet, hr + 1, lc),
                          hint="each row below the header names a province in the label column")

    seen: dict[str, int] = {}
    for rr, code in rows:
        if code in seen:
            raise LayoutError(f"province {code} appears twice (rows {seen[code] + 1} and {rr + 1})",
                              where=_where(file, sheet, rr, lc))
        seen[code] = rr

    def read_row(rr: int) -> Arr:
        out = np.zeros(ncols)
        for k in range(ncols):
            c = hc + k
            v = _cell(grid, rr, c)
            if (rr, c) in errs:
                message, hint = bad_cell_text(errs[(rr, c)])
                raise DataError(message, where=_where(file, sheet, rr, c), hint=hint)
            x = number(v, file=file, sheet=sheet, row0=rr, col0=c)
            if x < 0 and not lay.allow_negative:
                raise DataError(f"negative emissions {x:.6g} Mt", where=_where(file, sheet, rr, c),
                                hint="apparent emissions are not negative; check the cell")
            out[k] = x
        return out

    block = np.vstack([read_row(rr) for rr, _ in rows])
    empty_regions = tuple(code for (rr, code) in rows
                          if all(_empty(_cell(grid, rr, hc + k)) for k in range(ncols)))
    cat_vals = block[:, :len(cats)]
    sums = cat_vals.sum(axis=1)
    totals = block[:, len(cats)] if has_total else sums
    gaps = sums - totals
    tol = RTOL * np.maximum(np.abs(totals), 1.0)
    worst = int(np.argmax(np.abs(gaps) / tol))
    row_check = (float(gaps[worst] / max(abs(float(totals[worst])), 1.0)), RTOL,
                 cell_ref(rows[worst][0], tcol if has_total else hc))
    bad = np.flatnonzero(np.abs(gaps) > tol)
    if bad.size:
        i = int(bad[0])
        raise BalanceError(
            f"raw coal + crude oil + natural gas + cement process sum to {sums[i]:.9g} Mt but the total "
            f"says {totals[i]:.9g} Mt for {rows[i][1]} (gap {gaps[i]:.3g} Mt)",
            where=_where(file, sheet, rows[i][0], tcol), hint="every province row must add up to its total")
    col_check: tuple[float, float, str] | None = None
    if total_row is not None:
        recorded = read_row(total_row)
        col_sums = block.sum(axis=0)
        gaps_c = col_sums - recorded
        tol_c = RTOL * np.maximum(np.abs(recorded), 1.0)
        wc = int(np.argmax(np.abs(gaps_c) / tol_c))
        col_check = (float(gaps_c[wc] / max(abs(float(recorded[wc])), 1.0)), RTOL,
                     cell_ref(total_row, hc + wc))
        badc = np.flatnonzero(np.abs(gaps_c) > tol_c)
        if badc.size:
            k = int(badc[0])
            name = (cats[k].name_en if k < len(cats) else total_spec.name_en)
            raise BalanceError(
                f"the provinces' {name!r} sum to {col_sums[k]:.9g} Mt but the total row says "
                f"{recorded[k]:.9g} Mt (gap {gaps_c[k]:.3g} Mt)",
                where=_where(file, sheet, total_row, hc + k), hint="the total row must be the sum of the provinces")

    keep = [i for i, (_, code) in enumerate(rows) if code not in empty_regions]
    order = sorted(keep, key=lambda i: region(rows[i][1]).nbs_order)
    values = np.ascontiguousarray(cat_vals[order])
    tots = np.ascontiguousarray(totals[order])
    last = rows[-1][0]
    return ApparentSheet(
        regions=tuple(rows[i][1] for i in order), values=values, totals=tots,
        header_cell=cell_ref(hr, hc), block=f"{cell_ref(rows[0][0], hc)}:{cell_ref(last, hc + ncols - 1)}",
        total_column=has_total, total_row_cell=cell_ref(total_row, lc) if total_row is not None else None,
        unit_row=unit_row, row_check=row_check, col_check=col_check, empty_regions=empty_regions)


# --------------------------------------------------------------------------- workbook
@dataclass
class _Trace:
    file: str
    years: tuple[int, ...] = ()
    sheets: list[tuple[str, int, ApparentSheet]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ApparentInspection:
    """What :func:`inspect_apparent_workbook` found (the layout is always
    :data:`~viscarbon.io.readers.ceads_inventory.layouts.APPARENT_2022`)."""

    file: str
    layout: ApparentLayout
    years: tuple[int, ...]
    sheets: tuple[tuple[str, int, ApparentSheet], ...]
    notes: tuple[str, ...]
    tables: tuple[ApparentEmissions, ...]
    error: ViscarbonError | None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.tables)


def _read(p: Path, years: Iterable[int] | None, lay: ApparentLayout, trace: _Trace) -> dict[int, ApparentEmissions]:
    wb = open_workbook(p)
    sheets = year_sheets(wb.sheet_names)
    if not sheets:
        raise LayoutError("no year sheets found (sheets: " + ", ".join(wb.sheet_names) + ")",
                          where=f"file {wb.name}",
                          hint="expected the CEADs apparent-emissions workbook with sheets named '1997' … '2022'")
    wanted = sorted(sheets) if years is None else sorted({int(y) for y in years})
    trace.years = tuple(wanted)
    absent = [y for y in wanted if y not in sheets]
    if absent:
        raise LayoutError(f"sheet {str(absent[0])!r} not found", where=f"file {wb.name}",
                          hint=f"years present: {min(sheets)}-{max(sheets)}")
    name_years = years_in(p.stem)
    if name_years and not all(min(name_years) <= y <= max(name_years) for y in wanted):
        y = next(y for y in wanted if not min(name_years) <= y <= max(name_years))
        raise DataError(f"the file name says {'-'.join(map(str, sorted(set(name_years))))} but the "
                        f"workbook has a sheet for {y}", where=f"file {wb.name}, sheet {sheets[y]}",
                        hint="rename the file or check that it is the right download")
    errs = error_cells(p)
    digest = sha256_file(p)
    others = [n for n in wb.sheet_names if n not in sheets.values()]
    out: dict[int, ApparentEmissions] = {}
    cats = apparent_category_axis()
    for y in wanted:
        sheet = sheets[y]
        got = parse_apparent_grid(wb.grid(sheet), lay, file=wb.name, sheet=sheet, error_cells=errs.get(sheet))
        trace.sheets.append((sheet, y, got))
        notes = [f"layout {lay.name}", f"sheet {sheet}"]
        if not got.total_column:
            notes.append("no total column: totals are the sums of the categories")
        if got.total_row_cell is None:
            notes.append("no total row")
        if got.empty_regions:
            notes.append("empty rows (absent): " + ", ".join(got.empty_regions))
        prov = Provenance(source="CEADs", product=lay.product, vintage=lay.vintage, file_name=p.name,
                          sha256=digest, sheet=sheet, importer_version=__version__, notes="; ".join(notes),
                          citation=t("common.citation.inventory", "en"))
        out[y] = ApparentEmissions(year=y, regions=Axis.regions(got.regions), categories=cats,
                                   values=got.values, totals=got.totals, unit="Mt", provenance=(prov,),
                                   rtol=RTOL)
    trace.notes = [f"layout {lay.name}", f"{len(out)} year sheets"] + (
        ["other sheets: " + ", ".join(others)] if others else [])
    return out


def read_apparent_workbook(path: str | Path, *, years: Iterable[int] | None = None,
                           layout: ApparentLayout = APPARENT_2022) -> dict[int, ApparentEmissions]:
    """Read the CEADs apparent-emissions workbook: one :class:`ApparentEmissions` per year
    sheet (or per year of ``years``; a year without a sheet is a :class:`LayoutError`).
    Raises :class:`LayoutError`, :class:`DataError` or :class:`BalanceError` naming file,
    sheet and cell (module docstring)."""
    p = Path(path)
    return _read(p, years, layout, _Trace(p.name))


def inspect_apparent_workbook(path: str | Path, *,
                              layout: ApparentLayout = APPARENT_2022) -> ApparentInspection:
    """Every step of :func:`read_apparent_workbook` without raising."""
    p = Path(path)
    trace = _Trace(p.name)
    tables: tuple[ApparentEmissions, ...] = ()
    error: ViscarbonError | None = None
    try:
        tables = tuple(_read(p, None, layout, trace).values())
    except ViscarbonError as exc:
        error = exc
    return ApparentInspection(file=p.name, layout=layout, years=trace.years, sheets=tuple(trace.sheets),
                              notes=tuple(trace.notes), tables=tables, error=error)
