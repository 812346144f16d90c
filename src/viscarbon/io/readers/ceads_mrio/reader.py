"""Reader of the CEADs Chinese provincial MRIO workbooks (31 regions × 42 sectors, 万元).

``read_ceads_mrio(path, *, year=None, sheet=None) -> IOTable`` reads both families of
:mod:`viscarbon.io.readers.ceads_mrio.layouts` (2012/2015/2017, Zheng et al. 2021; 2018/2020,
Li et al. 2026). The table sheet is chosen by its name (``Table_2017_consistent``,
``Table_2018_English Version``, ``Table_2012``, ``2012``, ``2012年`` …) or, when no name
says it, by its content; the table is located by content
(:func:`viscarbon.io.readers.ceads_mrio.locate.locate_table`: title and blank rows, region
names in Chinese, English, pinyin or both, repeated or once per span or merged, on both
sides; codes ``01`` or ``1``, text or numbers; numbers stored as text; optional totals and
CO2 row), checked, and returned as a validated :class:`~viscarbon.model.IOTable` (Miller &
Blair 2009, ch. 3, the multiregional model):

* ``Z`` (n × n, n = R·S) intermediate flows, ``x`` (n,) gross output (GO column, else the
  TI row);
* ``Y`` (n × R·6) final demand by destination region and category FU101 rural
  households, FU102 urban households, FU103 government, FU201 fixed capital formation,
  FU202 inventory change, and ``Other``, which holds the row's ERR (statistical error) in
  the row's *own* region, so that ``x = Z·1 + Y·1 + EX`` holds;
* ``EX`` (n,) exports abroad; ``IM`` (n,) imports as a row (a primary input);
  ``V`` (4 × n) VA001-VA004.

Checked, each failure naming file, sheet and the worst cell (e.g. ``"row balance fails at
GD/25 (gap -1.2e+03 万元 …) (file X, sheet Y, cell BDI771)"``), with a tolerance that fits
tables rounded to 0.01 万元 (:data:`ROUNDING` = 0.005 万元 per cell summed):

* rows: ``|GO_i − (Σ_j Z_ij + Σ_c FD_ic + EX_i + ERR_i)| ≤ 1e-6·max(|GO_i|, 1) + 0.005·(k + 1)``
  with k the number of cells summed (n + 5R + 2 at most);
* columns: ``|GO_j − (Σ_i Z_ij + IM_j + Σ_k VA_kj)| ≤ 1e-3·max(|GO_j|, 1) + 0.005·(n + 6)``;
* the file's own totals TIU, TFU (= Σ FD + EX), TII, TVA and TI against their parts, each
  ``≤ 1e-6·max(|total|, |GO|, 1) + 0.005·(k + 1)``;
* text, NaN or Excel error values in number cells, negative gross output, and gross
  output of zero for a sector with flows are errors. Negative inventory changes and
  negative ERR are valid.

:func:`inspect_ceads_mrio` runs the same steps without raising and returns what was found
(:class:`MrioInspection`: the sheet, the family, every block's position, the balance
checks with their worst cell, or the error and its cell), for ``viscarbon doctor``.

Extras: ``extras["co2_row"]`` (n,) the CO2 row in Mt when the file has one;
``extras["IM_Y"]`` (R·6,) the imports row under the final-demand columns (imported goods
bought directly by final demand), laid out like the columns of ``Y``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import FD_CATEGORIES, normalise_key, sector_list_for_year
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
from viscarbon.io.readers.ceads_mrio.layouts import (
    FD_CODES,
    LAYOUTS,
    LOCATOR,
    VA_ROWS,
    MrioLayout,
    detect_sector_list,
    match_region,
    match_table_sheet,
)
from viscarbon.io.readers.ceads_mrio.locate import (
    Grid,
    TableLocation,
    apply_merged,
    code_text,
    locate_table,
)
from viscarbon.model import Axis, IOTable, Provenance

__all__ = [
    "COL_RTOL",
    "ROUNDING",
    "ROW_RTOL",
    "TOTAL_RTOL",
    "BalanceCheck",
    "MrioInspection",
    "inspect_ceads_mrio",
    "looks_like_table",
    "read_ceads_mrio",
    "va_axis",
]

Arr = NDArray[np.float64]

#: Relative tolerance of the row balance (as :class:`IOTable`'s default).
ROW_RTOL: Final = 1e-6
#: Relative tolerance of the column balance and of GO ≈ TI.
COL_RTOL: Final = 1e-3
#: Relative tolerance of the file's own subtotals (TIU, TFU, TII, TVA, TI) against their parts.
TOTAL_RTOL: Final = 1e-6
#: Absolute allowance per cell summed (万元): half of 0.01 万元, the rounding of published tables.
ROUNDING: Final = 0.005

_OTHER = len(FD_CODES)  # index of "Other" (ERR) in the canonical categories
_K = len(FD_CATEGORIES)
_AUX_NAMES: Final = ("province", "note", "readme")


def va_axis() -> Axis:
    """The value-added axis VA001-VA004 with English and Chinese labels."""
    return Axis("va_row", tuple(v.code for v in VA_ROWS), tuple(v.name_en for v in VA_ROWS),
                tuple(v.name_zh_hans for v in VA_ROWS), list_id="nbs_va4")


# --------------------------------------------------------------------------- reports
@dataclass(frozen=True)
class BalanceCheck:
    """One balance or subtotal check of a table: ``name`` (``rows``, ``columns``, ``TIU``,
    ``TFU``, ``TII``, ``TVA``, ``TI``), how many lines were ``checked`` and ``failing``, and
    the worst line (largest gap relative to its tolerance): its ``label`` (``GD/25``),
    ``cell``, signed ``gap`` and ``tolerance`` (万元)."""

    name: str
    ok: bool
    checked: int
    failing: int
    gap: float
    tolerance: float
    label: str
    cell: str

    def as_dict(self) -> dict[str, object]:
        return {"check": self.name, "ok": self.ok, "checked": self.checked, "failing": self.failing,
                "worst_gap": self.gap, "tolerance": self.tolerance, "worst": self.label,
                "cell": self.cell, "unit": "10k_yuan"}


@dataclass(frozen=True)
class MrioInspection:
    """What :func:`inspect_ceads_mrio` found in a workbook.

    ``layout`` is the family matched (or, when the file did not match, the nearest one,
    ``None`` when not even that could be told); ``family_reason`` how it was told
    (``sheet name``, ``Province and Sector sheets``, ``table year``); ``location`` every
    block (None when locating failed); ``checks`` the balance checks run; ``error`` the
    first failure (None when the table reads); ``table`` the table when it reads."""

    file: str
    sheet: str | None
    sheet_how: str
    layout: MrioLayout | None
    family_reason: str
    year: int | None
    location: TableLocation | None
    checks: tuple[BalanceCheck, ...]
    numbers_as_text: bool
    notes: tuple[str, ...]
    table: IOTable | None
    error: ViscarbonError | None

    @property
    def ok(self) -> bool:
        return self.error is None and self.table is not None


@dataclass
class _Trace:
    """What the reading steps found so far (filled in as they go; read by the inspection
    when a step fails)."""

    file: str
    sheet: str | None = None
    sheet_how: str = ""
    layout: MrioLayout | None = None
    family_reason: str = ""
    year: int | None = None
    location: TableLocation | None = None
    checks: list[BalanceCheck] = field(default_factory=list)
    numbers_as_text: bool = False
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- cell helpers
def _cell(grid: Grid, r: int, c: int) -> Any:
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return ""


@dataclass
class _Where:
    """File and sheet for messages; ``saw_empty`` records empty cells met in number blocks
    (Excel error values read as empty, so only then is the sheet scanned for them);
    ``saw_text`` numbers stored as text."""

    file: str
    sheet: str
    saw_empty: bool = False
    saw_text: bool = False

    def at(self, row0: int, col0: int) -> str:
        return f"file {self.file}, sheet {self.sheet}, cell {cell_ref(row0, col0)}"

    def rows(self, r0: int, r1: int, col0: int) -> str:
        return f"file {self.file}, sheet {self.sheet}, cells {cell_ref(r0, col0)}:{cell_ref(r1, col0)}"


# --------------------------------------------------------------------------- sheet choice
@dataclass(frozen=True)
class _Choice:
    name: str
    family: MrioLayout | None
    year: int | None
    variant: str
    how: str


def looks_like_table(grid: Grid) -> bool:
    """Whether a sheet's first rows and columns hold the sector codes 01-42 down a column."""
    S = LOCATOR.sectors
    for r in range(min(LOCATOR.header_rows, len(grid))):
        row = grid[r]
        for c in range(min(LOCATOR.row_header_cols, len(row))):
            if code_text(row[c]) == "01" and all(
                    code_text(_cell(grid, r + k, c)) == f"{k + 1:02d}" for k in range(1, S)):
                return True
    return False


def _choose_sheet(wb: Workbook, *, year: int | None, sheet: str | None, trace: _Trace) -> _Choice:
    """The table sheet: ``sheet`` if given; else the sheet whose name says it is one
    (optionally of ``year``); else the one sheet whose content is a table."""
    if sheet is not None:
        if sheet not in wb.sheet_names:
            raise LayoutError(f"sheet {sheet!r} not found", where=f"file {wb.name}",
                              hint="sheets present: " + ", ".join(wb.sheet_names))
        m = match_table_sheet(sheet)
        return _Choice(sheet, m[0] if m else None, m[1] if m else None, m[2] if m else "", "given")
    found: list[_Choice] = []
    for name in wb.sheet_names:
        m = match_table_sheet(name)
        if m:
            found.append(_Choice(name, m[0], m[1], m[2], "sheet name"))
    if year is not None and found:
        matching = [f for f in found if f.year == year]
        if not matching:
            raise DataError(f"no table sheet for year {year}", where=f"file {wb.name}",
                            hint="table sheets present: " + ", ".join(f.name for f in found))
        found = matching
    if not found:
        for name in wb.sheet_names:
            key = normalise_key(name)
            if key in _AUX_NAMES or key.startswith("sector"):
                continue
            try:
                if looks_like_table(wb.grid(name)):
                    found.append(_Choice(name, None, None, "", "content"))
            except LayoutError:
                continue
    if not found:
        raise LayoutError(
            "no CEADs MRIO table sheet found", where=f"file {wb.name}",
            hint="expected a sheet named like Table_2017_consistent, Table_2018_English Version, "
                 "Table_2012, 2012 or 2012年, or one holding the sector codes 01-42 down its first "
                 "columns; sheets present: " + ", ".join(wb.sheet_names) + " (rename the table sheet)")
    if len(found) > 1:
        raise LayoutError(
            "several MRIO table sheets: " + ", ".join(f.name for f in found), where=f"file {wb.name}",
            hint="keep one table sheet in the workbook, or name the sheets by their year (Table_2017, 2017)")
    trace.sheet, trace.sheet_how = found[0].name, found[0].how
    return found[0]


def _table_year(path: Path, sheet: str, sheet_year: int | None, year: int | None) -> int:
    """The table's year; the year asked, the sheet name and the file name must agree.

    A file name may carry one year (``MRIO_2017.xlsx``) or a range (``MRIO_2012-2017``):
    the table year must lie within the years it names.
    """
    if sheet_year is not None and year is not None and sheet_year != year:
        raise DataError(f"sheet {sheet!r} holds the {sheet_year} table but year={year} was asked",
                        where=f"file {path.name}", hint=f"rename the file so that its name carries the year {sheet_year} (e.g. MRIO_{sheet_year}.xlsx)")
    table_year = sheet_year if sheet_year is not None else year
    name_years = years_in(path.stem)
    if table_year is None:
        if len(set(name_years)) == 1:
            return name_years[0]
        raise LayoutError(f"cannot tell the year of sheet {sheet!r}", where=f"file {path.name}",
                          hint="put the year in the file name (e.g. MRIO_2017.xlsx) or in the sheet name (Table_2017)")
    if name_years and not (min(name_years) <= table_year <= max(name_years)):
        named = "-".join(str(y) for y in sorted(set(name_years)))
        raise DataError(
            f"the file name says {named} but sheet {sheet!r} holds the {table_year} table",
            where=f"file {path.name}", hint="rename the file or check that it is the right download")
    return table_year


def _family(wb: Workbook, choice: _Choice, year: int | None) -> tuple[MrioLayout, str]:
    """The layout family: from the sheet name, else the Province and Sector sheets of the
    2018-2020 tables, else the table year."""
    if choice.family is not None:
        return choice.family, "sheet name"
    keys = [normalise_key(s) for s in wb.sheet_names]
    b = LAYOUTS["2018-2020"]
    if (b.province_sheet and normalise_key(b.province_sheet) in keys and b.sector_sheet_prefix
            and any(k.startswith(normalise_key(b.sector_sheet_prefix)) for k in keys)):
        return b, "Province and Sector sheets"
    if year is not None:
        for lay in LAYOUTS.values():
            if lay.years[0] <= year <= lay.years[1]:
                return lay, "table year"
        return (b if year > LAYOUTS["2018-2020"].years[0] else LAYOUTS["2012-2017"]), "table year"
    return LAYOUTS["2012-2017"], "default"


# --------------------------------------------------------------------------- numbers
def _row_floats(cells: list[Any], w: _Where, r: int, c0: int) -> Arr:
    try:
        out: Arr = np.array(cells, dtype=np.float64)
        if out.shape != (len(cells),):
            raise ValueError("ragged")
        if any(type(cells[j]) is bool for j in np.flatnonzero(out == 1.0)):
            raise TypeError("boolean cell")
        if not w.saw_text and any(type(v) is str for v in cells):
            w.saw_text = True
        return out
    except (ValueError, TypeError):
        pass
    out = np.zeros(len(cells))
    for j, v in enumerate(cells):
        if type(v) is float:
            out[j] = v
        elif v == "" or v is None:
            w.saw_empty = True
        else:
            if isinstance(v, str):
                w.saw_text = True
            out[j] = number(v, file=w.file, sheet=w.sheet, row0=r, col0=c0 + j)
    return out


def _numbers(grid: Grid, rows: list[int] | range, c0: int, c1: int, w: _Where) -> Arr:
    """The cells ``rows × [c0, c1)`` as a float64 array; empty cells are 0.

    Fast path: numpy converts the whole block at once (numeric text included). When that
    fails (empty cells, text), each row is converted on its own, empty cells as 0 and any
    other cell through :func:`viscarbon.io.files.number`, which names the first bad cell.
    """
    width = c1 - c0
    block = [(grid[r][c0:c1] if r < len(grid) else []) for r in rows]
    for i, cells in enumerate(block):
        if len(cells) < width:
            block[i] = [*cells, *([""] * (width - len(cells)))]
    try:
        arr = np.array(block, dtype=np.float64)
        if arr.shape != (len(block), width):
            raise ValueError("ragged")
        # numpy reads a boolean cell TRUE as 1.0; number() below names it as an error
        if any(type(block[i][j]) is bool for i, j in np.argwhere(arr == 1.0)):
            raise TypeError("boolean cell")
        if block and any(type(v) is str for v in block[0]):
            w.saw_text = True
    except (ValueError, TypeError):
        arr = np.zeros((len(block), width))
        for i, (r, cells) in enumerate(zip(rows, block, strict=True)):
            arr[i] = _row_floats(cells, w, r, c0)
    if not np.isfinite(arr).all():
        i, j = (int(v) for v in np.argwhere(~np.isfinite(arr))[0])
        r = list(rows)[i]
        raise DataError(f"non-finite value {grid[r][c0 + j]!r} where a number is required",
                        where=w.at(r, c0 + j), hint="fix or clear the cell")
    return arr


def _column(grid: Grid, rows: range, col: int, w: _Where) -> Arr:
    out: Arr = _numbers(grid, rows, col, col + 1, w)[:, 0]
    return out


def _row(grid: Grid, row: int, c0: int, c1: int, w: _Where) -> Arr:
    out: Arr = _numbers(grid, [row], c0, c1, w)[0]
    return out


# --------------------------------------------------------------------------- aux sheets (2b)
def _aux_regions(wb: Workbook, lay: MrioLayout) -> tuple[str, ...] | None:
    """The regions of the Province sheet (2018-2020 tables), None without one."""
    if lay.province_sheet is None:
        return None
    name = next((s for s in wb.sheet_names if normalise_key(s) == normalise_key(lay.province_sheet)), None)
    if name is None:
        return None
    grid = wb.grid(name)
    w = _Where(wb.name, name)
    for r, row in enumerate(grid[:20]):
        for c, v in enumerate(row):
            if normalise_key(v) == "province":
                out = []
                for rr in range(r + 1, len(grid)):
                    v2 = _cell(grid, rr, c)
                    if v2 in ("", None):
                        continue
                    code = match_region(v2)
                    if code is None:
                        raise LayoutError(f"{str(v2)[:40]!r} is not a province", where=w.at(rr, c))
                    out.append(code)
                return tuple(out)
    raise LayoutError("no column headed 'Province'", where=f"file {wb.name}, sheet {name}")


def _aux_sector_labels(wb: Workbook, lay: MrioLayout) -> tuple[object, ...] | None:
    """The sector labels of the Sector sheet (2018-2020 tables), None without one."""
    if lay.sector_sheet_prefix is None:
        return None
    prefix = normalise_key(lay.sector_sheet_prefix)
    name = next((s for s in wb.sheet_names if normalise_key(s).startswith(prefix)), None)
    if name is None:
        return None
    grid = wb.grid(name)
    for r, row in enumerate(grid[:20]):
        heads = {normalise_key(v): c for c, v in enumerate(row)}
        if "sector" in heads and "no" in heads:
            labels: dict[str, object] = {}
            for rr in range(r + 1, len(grid)):
                code = code_text(_cell(grid, rr, heads["no"]))
                if code:
                    labels[code] = _cell(grid, rr, heads["sector"])
            want = [f"{i:02d}" for i in range(1, LOCATOR.sectors + 1)]
            if sorted(labels) != want:
                raise LayoutError(f"sheet {name!r} does not list sectors 01-42",
                                  where=f"file {wb.name}, sheet {name}")
            return tuple(labels[c] for c in want)
    raise LayoutError("no header row with columns 'No.' and 'Sector'",
                      where=f"file {wb.name}, sheet {name}")


# --------------------------------------------------------------------------- checks
def _check(name: str, gap: Arr, tol: Arr, label: Any, cell: Any) -> BalanceCheck:
    """The result of one check: the worst line is the largest ``|gap| / tolerance``."""
    ratio = np.abs(gap) / tol
    bad = int(np.count_nonzero(ratio > 1.0))
    i = int(np.argmax(ratio)) if ratio.size else 0
    return BalanceCheck(name=name, ok=bad == 0, checked=int(gap.size), failing=bad,
                        gap=float(gap[i]) if gap.size else 0.0,
                        tolerance=float(tol[i]) if tol.size else 0.0,
                        label=label(i) if gap.size else "", cell=cell(i) if gap.size else "")


def _check_table(*, Z: Arr, FD: Arr, EX: Arr, ERR: Arr, x: Arr, IM: Arr, V: Arr,
                 totals: dict[str, Arr | None], regions: tuple[str, ...], sector_codes: tuple[str, ...],
                 loc: TableLocation, x_from: tuple[str, int], w: _Where, trace: _Trace) -> None:
    """Balances and subtotals with cell references and the rounding allowance (module
    docstring); every check is recorded in ``trace`` before the first failure raises."""
    S = len(sector_codes)
    n = loc.n

    def lab(i: int) -> str:
        return f"{regions[i // S]}/{sector_codes[i % S]}"

    rows = list(loc.data_rows)
    kind, where_x = x_from  # ("col", GO column) or ("row", TI row)

    def x_cell(i: int) -> str:
        return cell_ref(rows[i], where_x) if kind == "col" else cell_ref(where_x, loc.z_col + i)

    neg = np.flatnonzero(x < 0)
    if neg.size:
        i = int(neg[0])
        raise DataError(f"negative gross output at {lab(i)} ({x[i]:.6g} 万元)",
                        where=f"file {w.file}, sheet {w.sheet}, cell {x_cell(i)}",
                        hint="gross output must be positive")
    for i0 in np.flatnonzero(x == 0):
        i = int(i0)
        if np.any(Z[i, :] != 0) or np.any(Z[:, i] != 0):
            raise BalanceError(f"zero gross output at {lab(i)} while it has intermediate flows",
                               where=f"file {w.file}, sheet {w.sheet}, cell {x_cell(i)}",
                               hint="a sector with flows must have a positive gross output")
    scale = np.maximum(np.abs(x), 1.0)
    tiu = Z.sum(axis=1)
    fd_sum = FD.sum(axis=1)
    k_row = n + FD.shape[1] + 1 + (1 if loc.err_col is not None else 0)
    row_gap = x - (tiu + fd_sum + EX + ERR)
    row_tol = ROW_RTOL * scale + ROUNDING * (k_row + 1)
    what_x = "gross output" if kind == "col" else "total input (no GO column)"
    rows_check = _check("rows", row_gap, row_tol, lab, x_cell)
    trace.checks.append(rows_check)
    tii = Z.sum(axis=0)
    tva = V.sum(axis=0)
    col_gap = x - (tii + IM + tva)
    col_tol = COL_RTOL * scale + ROUNDING * (n + 1 + V.shape[0] + 1)
    at_row = loc.ti_row if loc.ti_row is not None else loc.va_rows[-1]
    cols_check = _check("columns", col_gap, col_tol, lab, lambda j: cell_ref(at_row, loc.z_col + j))
    trace.checks.append(cols_check)

    subtotal_checks: list[tuple[BalanceCheck, str, Arr, Arr]] = []

    def subtotal(code: str, name: str, recorded: Arr | None, parts: Arr, k: int, *, by_row: bool,
                 fixed: int | None) -> None:
        if recorded is None or fixed is None:
            return
        gap = recorded - parts
        tol = TOTAL_RTOL * np.maximum(np.abs(recorded), scale) + ROUNDING * (k + 1)
        chk = _check(code, gap, tol, lab, (lambda i: cell_ref(rows[i], fixed)) if by_row
                     else (lambda i: cell_ref(fixed, loc.z_col + i)))
        trace.checks.append(chk)
        subtotal_checks.append((chk, name, recorded, parts))

    subtotal("TIU", "total intermediate use (TIU)", totals["TIU"], tiu, n, by_row=True, fixed=loc.tiu_col)
    subtotal("TFU", "total final use (TFU)", totals["TFU"], fd_sum + EX, FD.shape[1] + 1, by_row=True,
             fixed=loc.tfu_col)
    subtotal("TII", "total intermediate input (TII)", totals["TII"], tii, n, by_row=False, fixed=loc.tii_row)
    subtotal("TVA", "total value added (TVA)", totals["TVA"], tva, V.shape[0], by_row=False,
             fixed=loc.tva_row)
    if kind == "col":
        # with the column balance, this also gives GO ≈ TI
        subtotal("TI", "total input (TI)", totals["TI"], tii + IM + tva, n + 1 + V.shape[0], by_row=False,
                 fixed=loc.ti_row)

    def rule(rtol: float, k: int) -> str:
        return f"tolerance {rtol:g} × output + {ROUNDING:g} 万元 × {k + 1} cells"

    if not rows_check.ok:
        i = int(np.argmax(np.abs(row_gap) / row_tol))
        raise BalanceError(
            f"row balance fails at {lab(i)} (gap {row_gap[i]:.3g} 万元: {what_x} {x[i]:.6g} vs "
            f"intermediate use + final demand + exports + error; {rule(ROW_RTOL, k_row)} = "
            f"{row_tol[i]:.3g} 万元); {rows_check.failing} row(s) fail, the worst here",
            where=f"file {w.file}, sheet {w.sheet}, cell {x_cell(i)}")
    if not cols_check.ok:
        j = int(np.argmax(np.abs(col_gap) / col_tol))
        raise BalanceError(
            f"column balance fails at {lab(j)} (gap {col_gap[j]:.3g} 万元: {what_x} {x[j]:.6g} "
            f"vs intermediate input + imports + value added; {rule(COL_RTOL, n + 1 + V.shape[0])} = "
            f"{col_tol[j]:.3g} 万元); {cols_check.failing} column(s) fail, the worst here",
            where=w.at(at_row, loc.z_col + j))
    for chk, name, recorded, parts in subtotal_checks:
        if not chk.ok:
            i = next(k for k in range(len(rows)) if lab(k) == chk.label)
            raise BalanceError(f"{name} of {chk.label} is {recorded[i]:.9g} but its parts sum to "
                               f"{parts[i]:.9g} (gap {chk.gap:.3g} 万元 > tolerance {chk.tolerance:.3g} 万元); "
                               f"{chk.failing} cell(s) fail, the worst here",
                               where=f"file {w.file}, sheet {w.sheet}, cell {chk.cell}")


# --------------------------------------------------------------------------- reader
def _read(path: str | Path, year: int | None, sheet: str | None, trace: _Trace) -> IOTable:

    p = Path(path)
    wb = open_workbook(p)
    choice = _choose_sheet(wb, year=year, sheet=sheet, trace=trace)
    if choice.family is not None:
        trace.layout, trace.family_reason = choice.family, "sheet name"
    table_year = _table_year(p, choice.name, choice.year, year)
    trace.year = table_year
    lay, reason = _family(wb, choice, table_year)
    trace.layout, trace.family_reason = lay, reason
    grid = wb.grid(choice.name)
    merged = apply_merged(grid, wb.merged(choice.name))
    w = _Where(p.name, choice.name)
    loc = locate_table(grid, file=p.name, sheet=choice.name, merged=merged)
    trace.location = loc
    R, n = len(loc.regions), loc.n
    notes: list[str] = [f"layout {lay.id} ({reason}), sheet {choice.name!r} (found by {choice.how})"]

    aux_regions = _aux_regions(wb, lay)
    if aux_regions is not None and aux_regions != loc.regions:
        raise LayoutError("the Province sheet lists " + ", ".join(aux_regions[:5])
                          + ("…" if len(aux_regions) > 5 else "") + f" ({len(aux_regions)} regions) "
                          f"but the table rows hold {', '.join(loc.regions[:5])}"
                          + ("…" if R > 5 else "") + f" ({R})", where=f"file {p.name}")
    aux_labels = _aux_sector_labels(wb, lay)
    if lay.province_sheet and aux_regions is None:
        notes.append("no Province sheet: regions from the table sheet")
    if lay.sector_sheet_prefix and aux_labels is None:
        notes.append("no Sector sheet: sector labels from the table sheet")

    rows = loc.data_rows
    fd_n = len(loc.fd_cols)
    fd_end = loc.fd_col0 + fd_n
    # one pass over the wide block: Z (and TIU) up to the end of final demand
    wide = _numbers(grid, rows, loc.z_col, fd_end, w)
    Z = wide[:, :n]
    tiu_rec = wide[:, loc.tiu_col - loc.z_col] if loc.tiu_col is not None else None
    fd_file = wide[:, loc.fd_col0 - loc.z_col: fd_end - loc.z_col]
    EX = _column(grid, rows, loc.ex_col, w)
    ERR = _column(grid, rows, loc.err_col, w) if loc.err_col is not None else np.zeros(n)
    tfu_rec = _column(grid, rows, loc.tfu_col, w) if loc.tfu_col is not None else None
    im_wide = _row(grid, loc.im_row, loc.z_col, fd_end, w)
    IM = im_wide[:n]
    V = np.vstack([_row(grid, r, loc.z_col, loc.z_col + n, w) for r in loc.va_rows])
    ti_rec = _row(grid, loc.ti_row, loc.z_col, loc.z_col + n, w) if loc.ti_row is not None else None
    if loc.go_col is not None:
        x = _column(grid, rows, loc.go_col, w)
        x_from: tuple[str, int] = ("col", loc.go_col)
    else:
        assert ti_rec is not None and loc.ti_row is not None
        x = ti_rec.copy()
        x_from = ("row", loc.ti_row)
        notes.append(f"no GO column: gross output from the TI row {loc.ti_row + 1}")
    totals: dict[str, Arr | None] = {
        "TIU": tiu_rec, "TFU": tfu_rec,
        "TII": _row(grid, loc.tii_row, loc.z_col, loc.z_col + n, w) if loc.tii_row is not None else None,
        "TVA": _row(grid, loc.tva_row, loc.z_col, loc.z_col + n, w) if loc.tva_row is not None else None,
        "TI": ti_rec,
    }
    co2 = _row(grid, loc.co2_row, loc.z_col, loc.z_col + n, w) if loc.co2_row is not None else None
    trace.numbers_as_text = w.saw_text
    if w.saw_empty:  # an empty cell may be an Excel error value (#N/A ...) or a formula
        bad = error_cells(p, sheets=(choice.name,)).get(choice.name, {})  # without a stored value
        for (r0, c0), value in sorted(bad.items()):
            if r0 >= loc.first_row and c0 >= loc.z_col:
                message, hint = bad_cell_text(value)
                raise DataError(message, where=w.at(r0, c0), hint=hint)

    # final demand into the canonical n × R·6 layout; ERR into "Other" of the own region
    S = loc.sectors
    Y = np.zeros((n, R * _K))
    IM_Y = np.zeros(R * _K)
    for f, (ri, ki) in enumerate(loc.fd_cols):
        Y[:, ri * _K + ki] = fd_file[:, f]
        IM_Y[ri * _K + ki] = im_wide[loc.fd_col0 - loc.z_col + f]
    for ri in range(R):
        Y[ri * S:(ri + 1) * S, ri * _K + _OTHER] = ERR[ri * S:(ri + 1) * S]

    default_list = sector_list_for_year(table_year, new_list=choice.variant.lower() == "new")
    list_id, how = detect_sector_list(aux_labels if aux_labels is not None else loc.row_labels,
                                      default=default_list)
    notes.append(f"sector list {list_id}: {how}")
    sectors = Axis.sectors(list_id)

    _check_table(Z=Z, FD=fd_file, EX=EX, ERR=ERR, x=x, IM=IM, V=V, totals=totals,
                 regions=loc.regions, sector_codes=sectors.codes, loc=loc, x_from=x_from, w=w, trace=trace)
    # the table keeps the tolerance the file needed (rounded tables close within the
    # rounding allowance, not within 1e-6): IOTable checks with these again
    scale = np.maximum(np.abs(x), 1.0)
    need_row = float(np.max(np.abs(x - (Z.sum(1) + Y.sum(1) + EX)) / scale)) if n else 0.0
    need_col = float(np.max(np.abs(x - (Z.sum(0) + IM + V.sum(0))) / scale)) if n else 0.0
    row_rtol = ROW_RTOL if need_row <= ROW_RTOL else need_row * (1 + 1e-9) + 1e-15
    col_rtol = COL_RTOL if need_col <= COL_RTOL else need_col * (1 + 1e-9) + 1e-15
    if row_rtol > ROW_RTOL or col_rtol > COL_RTOL:
        notes.append(f"balances close within the rounding allowance ({ROUNDING:g} 万元 per cell): "
                     f"table tolerance row {row_rtol:.3g}, column {col_rtol:.3g}")

    extras: dict[str, Arr] = {"IM_Y": IM_Y}
    if co2 is not None and loc.co2_row is not None:
        extras["co2_row"] = co2
        notes.append(f"CO2 row (Mt) from row {loc.co2_row + 1} in extras['co2_row']")
    notes.append("ERR (statistical error) kept as final-demand category 'Other' of the row's own region")
    notes.append("imports bought by final demand (IM row under the final-demand columns) in extras['IM_Y']")
    trace.notes = list(notes)

    prov = Provenance(
        source="CEADs", product="provincial MRIO", vintage=lay.vintage, file_name=p.name,
        sha256=sha256_file(p), sheet=choice.name, importer_version=f"viscarbon {__version__}",
        notes="; ".join(notes), citation=t(lay.citation_key, "en"))
    return IOTable(
        year=table_year, regions=Axis.regions(loc.regions), sectors=sectors, Z=Z, Y=Y,
        fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V, va_rows=va_axis(), x=x,
        unit="10k_yuan", provenance=(prov,), imports_treatment="noncompetitive_row",
        extras=extras, row_rtol=row_rtol, col_rtol=col_rtol, notes=tuple(notes))


def read_ceads_mrio(path: str | Path, *, year: int | None = None, sheet: str | None = None) -> IOTable:
    """Read a CEADs provincial MRIO workbook into a validated :class:`IOTable` (万元).

    ``year`` selects (and checks) the table year; ``sheet`` names the table sheet when
    the workbook has several or a name that says nothing. The family (2012-2017 or
    2018-2020) follows from the sheet name, the Province and Sector sheets, or the year;
    the table is located by content; the sector list (``io42_2012`` or ``io42_2017``)
    follows from the sector labels. Shapes: ``Z`` n × n, ``Y`` n × R·6, ``V`` 4 × n with
    n = 42·R (1302 for the 31 provinces). Identities: ``x = Z·1 + Y·1 + EX`` and
    ``x ≈ 1ᵀZ + IM + 1ᵀV`` within the tolerances of the module docstring (Miller & Blair
    2009, §3.3).

    Raises :class:`LayoutError` (missing sheet, shifted block, bad header, truncated file),
    :class:`DataError` (text/NaN/error in a number cell, negative output, wrong year) and
    :class:`BalanceError` (a balance or subtotal fails), each naming file, sheet and cell.
    """
    return _read(path, year, sheet, _Trace(Path(path).name))


def inspect_ceads_mrio(path: str | Path, *, year: int | None = None,
                       sheet: str | None = None) -> MrioInspection:
    """Run every step of :func:`read_ceads_mrio` without raising: what was found, where,
    the balance checks, and the first failure (``error``) if any. Nothing is imported."""
    trace = _Trace(Path(path).name)
    table: IOTable | None = None
    error: ViscarbonError | None = None
    try:
        table = _read(path, year, sheet, trace)
    except ViscarbonError as exc:
        error = exc
    return MrioInspection(
        file=trace.file, sheet=trace.sheet, sheet_how=trace.sheet_how, layout=trace.layout,
        family_reason=trace.family_reason, year=trace.year, location=trace.location,
        checks=tuple(trace.checks), numbers_as_text=trace.numbers_as_text, notes=tuple(trace.notes),
        table=table, error=error)
