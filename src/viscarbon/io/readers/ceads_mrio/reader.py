"""Reader of the CEADs Chinese provincial MRIO workbooks (31 regions × 42 sectors, 万元).

``read_ceads_mrio(path, *, year=None, sheet=None) -> IOTable`` reads both layouts of
:mod:`viscarbon.io.readers.ceads_mrio.layouts` (2012/2015/2017, Zheng et al. 2021; 2018/2020, Li et al.
2026). The table is located by its labels and codes, checked, and returned as a
validated :class:`~viscarbon.model.IOTable` (Miller & Blair 2009, ch. 3, the
multiregional model):

* ``Z`` (n × n, n = R·S) intermediate flows, ``x`` (n,) gross output (GO column);
* ``Y`` (n × R·6) final demand by destination region and category FU101 rural
  households, FU102 urban households, FU103 government, FU201 fixed capital formation,
  FU202 inventory change, and ``Other``, which holds the row's ERR (statistical error) in
  the row's *own* region, so that ``x = Z·1 + Y·1 + EX`` holds exactly;
* ``EX`` (n,) exports abroad; ``IM`` (n,) imports as a row (a primary input);
  ``V`` (4 × n) VA001-VA004.

Checked, each failure naming file, sheet and cell (e.g. ``"row balance fails at GD/25
(gap -1.2e+03 万元 …) (file X, sheet Y, cell BDI771)"``):

* rows: ``GO_i = Σ_j Z_ij + Σ_c FD_ic + EX_i + ERR_i`` (relative tolerance 1e-6);
* columns: ``TI_j = Σ_i Z_ij + IM_j + Σ_k VA_kj`` and ``GO_j ≈ TI_j`` (1e-3);
* the file's own totals TIU, TFU (= Σ FD + EX), TII, TVA and TI agree with their parts;
* text, NaN or Excel error values in number cells, negative gross output, and gross
  output of zero for a sector with flows are errors. Negative inventory changes and
  negative ERR are valid.

Extras: ``extras["co2_row"]`` (n,) the CO2 row in Mt when the file has one;
``extras["IM_Y"]`` (R·6,) the imports row under the final-demand columns (imported goods
bought directly by final demand), laid out like the columns of ``Y``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import FD_CATEGORIES, normalise_key, region, sector_list_for_year
from viscarbon.errors import BalanceError, DataError, LayoutError
from viscarbon.i18n import t
from viscarbon.io.files import (
    Workbook,
    cell_ref,
    col_letter,
    error_cells,
    number,
    open_workbook,
    sha256_file,
    years_in,
)
from viscarbon.io.readers.ceads_mrio.layouts import (
    CO2_ROW_CODES,
    FD_CODES,
    LAYOUTS,
    VA_ROWS,
    MrioLayout,
    detect_sector_list,
    match_region,
)
from viscarbon.model import Axis, IOTable, Provenance

__all__ = ["COL_RTOL", "ROW_RTOL", "TOTAL_RTOL", "read_ceads_mrio", "va_axis"]

Arr = NDArray[np.float64]

#: Relative tolerance of the row balance (as :class:`IOTable`'s default).
ROW_RTOL = 1e-6
#: Relative tolerance of the column balance and of GO ≈ TI.
COL_RTOL = 1e-3
#: Relative tolerance of the file's own subtotals (TIU, TFU, TII, TVA, TI) against their parts.
TOTAL_RTOL = 1e-6

_SECTORS = 42
_OTHER = len(FD_CODES)  # index of "Other" (ERR) in the canonical categories
_K = len(FD_CATEGORIES)


def va_axis() -> Axis:
    """The value-added axis VA001-VA004 with English and Chinese labels."""
    return Axis("va_row", tuple(v.code for v in VA_ROWS), tuple(v.name_en for v in VA_ROWS),
                tuple(v.name_zh_hans for v in VA_ROWS), list_id="nbs_va4")


# --------------------------------------------------------------------------- cell helpers
def _code(value: object) -> str:
    """A cell's code as text: ``1`` or ``1.0`` → ``"01"``, ``" VA001 "`` → ``"VA001"``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and float(value).is_integer() and 0 < value < 100:
        return f"{int(value):02d}"
    text = str(value).strip()
    if text.isdigit() and len(text) == 1:
        return "0" + text
    return text


def _cell(grid: list[list[Any]], r: int, c: int) -> Any:
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return ""


@dataclass
class _Where:
    """File and sheet for messages; ``saw_empty`` records empty cells met in number blocks
    (Excel error values read as empty, so only then is the sheet scanned for them)."""

    file: str
    sheet: str
    saw_empty: bool = False

    def at(self, row0: int, col0: int) -> str:
        return f"file {self.file}, sheet {self.sheet}, cell {cell_ref(row0, col0)}"

    def rows(self, r0: int, r1: int, col0: int) -> str:
        return f"file {self.file}, sheet {self.sheet}, cells {cell_ref(r0, col0)}:{cell_ref(r1, col0)}"


@dataclass(frozen=True)
class _Located:
    """Positions (0-based) of the blocks of one table sheet."""

    first_row: int
    regions: tuple[str, ...]
    row_labels: tuple[object, ...]  # the first region's 42 sector labels
    z_col: int
    tiu_col: int
    fd_col0: int
    fd_cols: tuple[tuple[int, int], ...]  # per file FD column: (region index, category index)
    ex_col: int
    tfu_col: int | None
    err_col: int | None
    go_col: int
    im_row: int
    va_rows: tuple[int, ...]
    tii_row: int | None
    tva_row: int | None
    ti_row: int | None
    co2_row: int | None

    @property
    def n(self) -> int:
        return len(self.regions) * _SECTORS

    @property
    def data_rows(self) -> range:
        return range(self.first_row, self.first_row + self.n)


# --------------------------------------------------------------------------- sheet choice
def _choose_sheet(wb: Workbook, *, year: int | None, sheet: str | None
                  ) -> tuple[MrioLayout, str, int | None, str]:
    """(layout, sheet name, year in the sheet name or None, variant such as "new")."""
    order = (LAYOUTS["2018-2020"], LAYOUTS["2012-2017"])
    if sheet is not None:
        if sheet not in wb.sheet_names:
            raise LayoutError(f"sheet {sheet!r} not found", where=f"file {wb.name}",
                              hint="sheets present: " + ", ".join(wb.sheet_names))
        for lay in order:
            m = lay.match_sheet(sheet)
            if m:
                return lay, sheet, int(m.group("year")), (m.groupdict().get("variant") or "")
        has_province = any(normalise_key(s) == "province" for s in wb.sheet_names)
        return (LAYOUTS["2018-2020"] if has_province else LAYOUTS["2012-2017"]), sheet, None, ""
    found: list[tuple[MrioLayout, str, int, str]] = []
    for name in wb.sheet_names:
        for lay in order:
            m = lay.match_sheet(name)
            if m:
                found.append((lay, name, int(m.group("year")), m.groupdict().get("variant") or ""))
                break
    if not found:
        raise LayoutError(
            "no CEADs MRIO table sheet found", where=f"file {wb.name}",
            hint="expected a sheet named like Table_2017_consistent or Table_2018_English Version; "
                 "sheets present: " + ", ".join(wb.sheet_names) + " (or pass sheet=...)")
    if year is not None:
        matching = [f for f in found if f[2] == year]
        if not matching:
            raise DataError(
                f"no table sheet for year {year}", where=f"file {wb.name}",
                hint="table sheets present: " + ", ".join(f[1] for f in found))
        found = matching
    if len(found) > 1:
        raise LayoutError(
            "several MRIO table sheets: " + ", ".join(f[1] for f in found), where=f"file {wb.name}",
            hint="pass sheet=... (or year=...) to choose one")
    return found[0]


def _table_year(path: Path, sheet: str, sheet_year: int | None, year: int | None) -> int:
    """The table's year; the year asked, the sheet name and the file name must agree.

    A file name may carry one year (``MRIO_2017.xlsx``) or a range (``MRIO_2012-2017``):
    the table year must lie within the years it names.
    """
    if sheet_year is not None and year is not None and sheet_year != year:
        raise DataError(f"sheet {sheet!r} holds the {sheet_year} table but year={year} was asked",
                        where=f"file {path.name}", hint=f"pass year={sheet_year} or choose another sheet")
    table_year = sheet_year if sheet_year is not None else year
    name_years = years_in(path.stem)
    if table_year is None:
        if len(set(name_years)) == 1:
            return name_years[0]
        raise LayoutError(f"cannot tell the year of sheet {sheet!r}", where=f"file {path.name}",
                          hint="pass year=...")
    if name_years and not (min(name_years) <= table_year <= max(name_years)):
        named = "-".join(str(y) for y in sorted(set(name_years)))
        raise DataError(
            f"the file name says {named} but sheet {sheet!r} holds the {table_year} table",
            where=f"file {path.name}", hint="rename the file or check that it is the right download")
    return table_year


# --------------------------------------------------------------------------- locating
def _locate(grid: list[list[Any]], lay: MrioLayout, w: _Where) -> _Located:
    rc, lc, cc = lay.region_col, lay.label_col, lay.code_col
    # first data row: code 01 with a province in the region column
    first = None
    for r in range(min(len(grid), 200)):
        if _code(_cell(grid, r, cc)) == "01" and match_region(_cell(grid, r, rc)):
            first = r
            break
    if first is None:
        raise LayoutError(
            "cannot find the first data row (a province name in column "
            f"{col_letter(rc)} and sector code 01 in column {col_letter(cc)})",
            where=f"file {w.file}, sheet {w.sheet}", hint="is this a CEADs MRIO table sheet?")
    if first + lay.region_row < 0:
        raise LayoutError(f"the first data row {first + 1} leaves no room for the "
                          f"{-lay.region_row} header rows above it", where=w.at(first, cc))

    # rows: region blocks of 42 sector rows, codes 01..42
    regions: list[str] = []
    r = first
    while r < len(grid) and _code(_cell(grid, r, cc)) == "01":
        code = match_region(_cell(grid, r, rc))
        if code is None:
            raise LayoutError(f"row {r + 1} starts a sector block but "
                              f"{str(_cell(grid, r, rc))[:40]!r} names no province", where=w.at(r, rc))
        for s in range(_SECTORS):
            rr = r + s
            got = _code(_cell(grid, rr, cc))
            want = f"{s + 1:02d}"
            if got != want:
                raise LayoutError(
                    f"expected sector code {want} of {code} but found {str(got)[:20]!r} "
                    f"(a block shifted, or not 42 sectors per region?)", where=w.at(rr, cc))
            reg = _cell(grid, rr, rc)
            if reg not in ("", None) and match_region(reg) != code:
                raise LayoutError(f"region {str(reg)[:40]!r} inside the block of {code}",
                                  where=w.at(rr, rc))
        if code in regions:
            raise LayoutError(f"region {code} appears twice in the rows", where=w.at(r, rc))
        regions.append(code)
        r += _SECTORS
    _check_region_order(regions, w.at(first, rc))
    n = len(regions) * _SECTORS
    row_labels = tuple(_cell(grid, first + s, lc) for s in range(_SECTORS))

    # columns: code row above the first data row
    cr, rr_ = first + lay.code_row, first + lay.region_row
    code_row = grid[cr]
    z_col = next((j for j in range(cc + 1, len(code_row)) if _code(code_row[j]) == "01"), None)
    if z_col is None:
        raise LayoutError(f"the code row {cr + 1} above the first data row holds no sector code 01",
                          where=f"file {w.file}, sheet {w.sheet}, row {cr + 1}",
                          hint="the header rows may be shifted against the data")
    current = ""
    for j in range(n):
        c = z_col + j
        got = _code(_cell(grid, cr, c))
        want = f"{j % _SECTORS + 1:02d}"
        if got != want:
            raise LayoutError(f"expected column code {want} of {regions[j // _SECTORS]} but found "
                              f"{str(got)[:20]!r} (Z must be {n} × {n})", where=w.at(cr, c))
        head = _cell(grid, rr_, c)
        if head not in ("", None):
            current = match_region(head) or ""
            if not current:
                raise LayoutError(f"column header {str(head)[:40]!r} names no province",
                                  where=w.at(rr_, c))
        if current != regions[j // _SECTORS]:
            raise LayoutError(
                f"column {col_letter(c)} belongs to {current or 'no region'} but the rows put "
                f"{regions[j // _SECTORS]} there (Z must be square, same region order)",
                where=w.at(rr_, c))
    tiu_col = z_col + n
    if normalise_key(_cell(grid, cr, tiu_col)) != "tiu":
        raise LayoutError(f"expected the total column TIU right after the Z block, found "
                          f"{str(_cell(grid, cr, tiu_col))[:20]!r}", where=w.at(cr, tiu_col))

    # final-demand block up to EX
    fd: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    c = tiu_col + 1
    current = ""
    fd_keys = {normalise_key(k): i for i, k in enumerate(FD_CODES)}
    while True:
        key = normalise_key(_cell(grid, cr, c))
        if key == "ex":
            break
        if c >= len(code_row):
            raise LayoutError("no column with code EX after the final-demand block",
                              where=f"file {w.file}, sheet {w.sheet}, row {cr + 1}")
        if key not in fd_keys:
            raise LayoutError(f"unexpected code {str(_cell(grid, cr, c))[:20]!r} in the final-demand "
                              "block", where=w.at(cr, c), hint="expected FU101, FU102, FU103, FU201, FU202")
        head = _cell(grid, rr_, c)
        if head not in ("", None):
            current = match_region(head) or ""
            if current not in regions:
                raise LayoutError(f"final-demand header {str(head)[:40]!r} is not a region of the table",
                                  where=w.at(rr_, c))
        if not current:
            raise LayoutError("final-demand column without a region", where=w.at(rr_, c))
        item = (regions.index(current), fd_keys[key])
        if item in seen:
            raise LayoutError(f"final-demand column {FD_CODES[item[1]]} of {current} appears twice",
                              where=w.at(cr, c))
        seen.add(item)
        fd.append(item)
        c += 1
    if len(fd) != len(regions) * len(FD_CODES):
        missing = [f"{g}/{k}" for ri, g in enumerate(regions) for ki, k in enumerate(FD_CODES)
                   if (ri, ki) not in seen]
        raise LayoutError("final-demand block incomplete: missing " + ", ".join(missing[:5]),
                          where=f"file {w.file}, sheet {w.sheet}, row {cr + 1}")
    ex_col = c
    right: dict[str, int] = {}
    for j in range(ex_col + 1, len(code_row)):
        k = normalise_key(code_row[j])
        if k and k not in right:
            right[k] = j
    if "go" not in right:
        raise LayoutError("no column with code GO (gross output) after EX",
                          where=f"file {w.file}, sheet {w.sheet}, row {cr + 1}")

    # row-side blocks below Z, by their codes
    found: dict[str, int] = {}
    co2_keys = {normalise_key(k) for k in CO2_ROW_CODES}
    for r in range(first + n, len(grid)):
        k = normalise_key(_cell(grid, r, cc))
        if not k and "co2" in normalise_key(_cell(grid, r, lc)):
            k = "co2"
        if k in co2_keys:
            k = "co2"
        if not k:
            continue
        if k in found:
            raise LayoutError(f"row code {_cell(grid, r, cc)!r} appears twice (rows {found[k] + 1} "
                              f"and {r + 1})", where=w.at(r, cc))
        found[k] = r
    for need in ("im", *(normalise_key(v.code) for v in VA_ROWS)):
        if need not in found:
            raise LayoutError(f"no row with code {need.upper()} below the Z block",
                              where=w.rows(first + n, max(len(grid) - 1, first + n), cc))
    return _Located(
        first_row=first, regions=tuple(regions), row_labels=row_labels, z_col=z_col,
        tiu_col=tiu_col, fd_col0=tiu_col + 1, fd_cols=tuple(fd), ex_col=ex_col,
        tfu_col=right.get("tfu"), err_col=right.get("err"), go_col=right["go"],
        im_row=found["im"], va_rows=tuple(found[normalise_key(v.code)] for v in VA_ROWS),
        tii_row=found.get("tii"), tva_row=found.get("tva"), ti_row=found.get("ti"),
        co2_row=found.get("co2"))


def _check_region_order(regions: list[str], where: str) -> None:
    order = [region(c).nbs_order for c in regions]
    for a, b, ca, cb in zip(order, order[1:], regions, regions[1:], strict=False):
        if b <= a:
            raise LayoutError(f"regions are not in NBS order: {cb} follows {ca}", where=where,
                              hint="CEADs tables list the 31 provinces in NBS order (BJ, TJ, HE …)")


# --------------------------------------------------------------------------- numbers
def _numbers(grid: list[list[Any]], rows: list[int] | range, c0: int, c1: int, w: _Where) -> Arr:
    """The cells ``rows × [c0, c1)`` as a float64 array; empty cells are 0.

    Fast path: numpy converts the whole block at once. When that fails (empty cells,
    text), empty cells are replaced by 0 and every other cell goes through
    :func:`viscarbon.io.files.number`, which names the first bad cell.
    """
    width = c1 - c0
    block = [(grid[r][c0:c1] if r < len(grid) else []) for r in rows]
    try:
        arr = np.array(block, dtype=np.float64)
        if arr.shape != (len(block), width):
            raise ValueError("ragged")
        # numpy reads a boolean cell TRUE as 1.0; number() below names it as an error
        if any(type(block[i][j]) is bool for i, j in np.argwhere(arr == 1.0)):
            raise TypeError("boolean cell")
    except (ValueError, TypeError):
        arr = np.zeros((len(block), width))
        for i, (r, cells) in enumerate(zip(rows, block, strict=True)):
            for j, v in enumerate(cells):
                if v == "" or v is None:
                    w.saw_empty = True
                    continue
                arr[i, j] = number(v, file=w.file, sheet=w.sheet, row0=r, col0=c0 + j)
    if not np.isfinite(arr).all():
        i, j = (int(v) for v in np.argwhere(~np.isfinite(arr))[0])
        r = list(rows)[i]
        raise DataError(f"non-finite value {grid[r][c0 + j]!r} where a number is required",
                        where=w.at(r, c0 + j), hint="fix or clear the cell")
    return arr


def _column(grid: list[list[Any]], rows: range, col: int, w: _Where) -> Arr:
    out: Arr = _numbers(grid, rows, col, col + 1, w)[:, 0]
    return out


def _row(grid: list[list[Any]], row: int, c0: int, c1: int, w: _Where) -> Arr:
    out: Arr = _numbers(grid, [row], c0, c1, w)[0]
    return out


# --------------------------------------------------------------------------- aux sheets (2b)
def _aux_regions(wb: Workbook, lay: MrioLayout) -> tuple[str, ...] | None:
    if lay.province_sheet is None:
        return None
    name = next((s for s in wb.sheet_names if normalise_key(s) == normalise_key(lay.province_sheet)), None)
    if name is None:
        raise LayoutError(f"sheet {lay.province_sheet!r} not found (the {lay.id} layout lists the "
                          "regions there)", where=f"file {wb.name}",
                          hint="sheets present: " + ", ".join(wb.sheet_names))
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
    if lay.sector_sheet_prefix is None:
        return None
    prefix = normalise_key(lay.sector_sheet_prefix)
    name = next((s for s in wb.sheet_names if normalise_key(s).startswith(prefix)), None)
    if name is None:
        raise LayoutError(f"no sheet whose name starts with {lay.sector_sheet_prefix!r} (the "
                          f"{lay.id} layout lists the sectors there)", where=f"file {wb.name}",
                          hint="sheets present: " + ", ".join(wb.sheet_names))
    grid = wb.grid(name)
    for r, row in enumerate(grid[:20]):
        heads = {normalise_key(v): c for c, v in enumerate(row)}
        if "sector" in heads and "no" in heads:
            labels: dict[str, object] = {}
            for rr in range(r + 1, len(grid)):
                code = _code(_cell(grid, rr, heads["no"]))
                if code:
                    labels[code] = _cell(grid, rr, heads["sector"])
            want = [f"{i:02d}" for i in range(1, _SECTORS + 1)]
            if sorted(labels) != want:
                raise LayoutError(f"sheet {name!r} does not list sectors 01-42",
                                  where=f"file {wb.name}, sheet {name}")
            return tuple(labels[c] for c in want)
    raise LayoutError("no header row with columns 'No.' and 'Sector'",
                      where=f"file {wb.name}, sheet {name}")


# --------------------------------------------------------------------------- checks
def _check_table(*, Z: Arr, FD: Arr, EX: Arr, ERR: Arr, x: Arr, IM: Arr, V: Arr,
                 totals: dict[str, Arr | None], regions: tuple[str, ...], sector_codes: tuple[str, ...],
                 loc: _Located, w: _Where) -> None:
    """Balances and subtotals with cell references (see the module docstring)."""
    S = len(sector_codes)

    def lab(i: int) -> str:
        return f"{regions[i // S]}/{sector_codes[i % S]}"

    rows = list(loc.data_rows)
    neg = np.flatnonzero(x < 0)
    if neg.size:
        i = int(neg[0])
        raise DataError(f"negative gross output at {lab(i)} ({x[i]:.6g} 万元)",
                        where=w.at(rows[i], loc.go_col), hint="gross output must be positive")
    for i0 in np.flatnonzero(x == 0):
        i = int(i0)
        if np.any(Z[i, :] != 0) or np.any(Z[:, i] != 0):
            raise BalanceError(f"zero gross output at {lab(i)} while it has intermediate flows",
                               where=w.at(rows[i], loc.go_col),
                               hint="a sector with flows must have a positive gross output")
    scale = np.maximum(np.abs(x), 1.0)
    tiu = Z.sum(axis=1)
    row_gap = x - (tiu + FD.sum(axis=1) + EX + ERR)
    bad = np.flatnonzero(np.abs(row_gap) > ROW_RTOL * scale)
    if bad.size:
        i = int(bad[0])
        raise BalanceError(
            f"row balance fails at {lab(i)} (gap {row_gap[i]:.3g} 万元: gross output {x[i]:.6g} vs "
            f"intermediate use + final demand + exports + error); {bad.size} row(s) fail",
            where=w.at(rows[i], loc.go_col))
    tii = Z.sum(axis=0)
    tva = V.sum(axis=0)
    col_gap = x - (tii + IM + tva)
    bad = np.flatnonzero(np.abs(col_gap) > COL_RTOL * scale)
    if bad.size:
        j = int(bad[0])
        at_row = loc.ti_row if loc.ti_row is not None else loc.va_rows[-1]
        raise BalanceError(
            f"column balance fails at {lab(j)} (gap {col_gap[j]:.3g} 万元: gross output {x[j]:.6g} "
            f"vs intermediate input + imports + value added); {bad.size} column(s) fail",
            where=w.at(at_row, loc.z_col + j))

    def subtotal(name: str, recorded: Arr | None, parts: Arr, *, by_row: bool, fixed: int) -> None:
        if recorded is None:
            return
        gap = recorded - parts
        tol = TOTAL_RTOL * np.maximum(np.maximum(np.abs(recorded), scale), 1.0)
        badt = np.flatnonzero(np.abs(gap) > tol)
        if badt.size:
            i = int(badt[0])
            cell = w.at(rows[i], fixed) if by_row else w.at(fixed, loc.z_col + i)
            raise BalanceError(f"{name} of {lab(i)} is {recorded[i]:.9g} but its parts sum to "
                               f"{parts[i]:.9g} (gap {gap[i]:.3g} 万元)", where=cell)

    subtotal("total intermediate use (TIU)", totals["TIU"], tiu, by_row=True, fixed=loc.tiu_col)
    if loc.tfu_col is not None:
        subtotal("total final use (TFU)", totals["TFU"], FD.sum(axis=1) + EX, by_row=True,
                 fixed=loc.tfu_col)
    if loc.tii_row is not None:
        subtotal("total intermediate input (TII)", totals["TII"], tii, by_row=False, fixed=loc.tii_row)
    if loc.tva_row is not None:
        subtotal("total value added (TVA)", totals["TVA"], tva, by_row=False, fixed=loc.tva_row)
    if loc.ti_row is not None and totals["TI"] is not None:
        # with the column balance above, this also gives GO ≈ TI
        subtotal("total input (TI)", totals["TI"], tii + IM + tva, by_row=False, fixed=loc.ti_row)


# --------------------------------------------------------------------------- reader
def read_ceads_mrio(path: str | Path, *, year: int | None = None, sheet: str | None = None) -> IOTable:
    """Read a CEADs provincial MRIO workbook into a validated :class:`IOTable` (万元).

    ``year`` selects (and checks) the table year; ``sheet`` names the table sheet when
    the workbook has a non-standard name. The layout (2012-2017 or 2018-2020) follows from
    the sheet name; the sector list (``io42_2012`` or ``io42_2017``) from the sector
    labels. Shapes: ``Z`` n × n, ``Y`` n × R·6, ``V`` 4 × n with n = 42·R (1302 for the
    31 provinces). Identities: ``x = Z·1 + Y·1 + EX`` (exact up to 1e-6) and
    ``x ≈ 1ᵀZ + IM + 1ᵀV`` (1e-3); see the module docstring (Miller & Blair 2009, §3.3).

    Raises :class:`LayoutError` (missing sheet, shifted block, bad header, truncated file),
    :class:`DataError` (text/NaN/error in a number cell, negative output, wrong year) and
    :class:`BalanceError` (a balance or subtotal fails), each naming file, sheet and cell.
    """
    p = Path(path)
    wb = open_workbook(p)
    lay, sheet_name, sheet_year, variant = _choose_sheet(wb, year=year, sheet=sheet)
    table_year = _table_year(p, sheet_name, sheet_year, year)
    grid = wb.grid(sheet_name)
    w = _Where(p.name, sheet_name)
    loc = _locate(grid, lay, w)
    R, n = len(loc.regions), loc.n
    notes: list[str] = [f"layout {lay.id}, sheet {sheet_name!r}"]

    aux_regions = _aux_regions(wb, lay)
    if aux_regions is not None and aux_regions != loc.regions:
        raise LayoutError("the Province sheet lists " + ", ".join(aux_regions[:5])
                          + ("…" if len(aux_regions) > 5 else "") + f" ({len(aux_regions)} regions) "
                          f"but the table rows hold {', '.join(loc.regions[:5])}"
                          + ("…" if R > 5 else "") + f" ({R})", where=f"file {p.name}")
    aux_labels = _aux_sector_labels(wb, lay)

    rows = loc.data_rows
    fd_n = len(loc.fd_cols)
    # one pass over the wide block: Z, TIU, final demand (contiguous columns)
    wide = _numbers(grid, rows, loc.z_col, loc.ex_col, w)
    Z = wide[:, :n]
    tiu_rec = wide[:, n]
    fd_file = wide[:, n + 1: n + 1 + fd_n]
    EX = _column(grid, rows, loc.ex_col, w)
    x = _column(grid, rows, loc.go_col, w)
    ERR = _column(grid, rows, loc.err_col, w) if loc.err_col is not None else np.zeros(n)
    tfu_rec = _column(grid, rows, loc.tfu_col, w) if loc.tfu_col is not None else None
    im_wide = _row(grid, loc.im_row, loc.z_col, loc.ex_col, w)
    IM = im_wide[:n]
    V = np.vstack([_row(grid, r, loc.z_col, loc.z_col + n, w) for r in loc.va_rows])
    totals: dict[str, Arr | None] = {
        "TIU": tiu_rec, "TFU": tfu_rec,
        "TII": _row(grid, loc.tii_row, loc.z_col, loc.z_col + n, w) if loc.tii_row is not None else None,
        "TVA": _row(grid, loc.tva_row, loc.z_col, loc.z_col + n, w) if loc.tva_row is not None else None,
        "TI": _row(grid, loc.ti_row, loc.z_col, loc.z_col + n, w) if loc.ti_row is not None else None,
    }

    co2 = _row(grid, loc.co2_row, loc.z_col, loc.z_col + n, w) if loc.co2_row is not None else None
    if w.saw_empty:  # an empty cell may be an Excel error value (#N/A ...): look for those
        bad = error_cells(p, sheets=(sheet_name,)).get(sheet_name, {})
        for (r0, c0), value in sorted(bad.items()):
            if r0 >= loc.first_row and c0 >= loc.z_col:
                raise DataError(f"Excel error value {value!r} where a number is required",
                                where=w.at(r0, c0), hint="fix the cell (an error value is not zero)")

    # final demand into the canonical n × R·6 layout; ERR into "Other" of the own region
    Y = np.zeros((n, R * _K))
    IM_Y = np.zeros(R * _K)
    for f, (ri, ki) in enumerate(loc.fd_cols):
        Y[:, ri * _K + ki] = fd_file[:, f]
        IM_Y[ri * _K + ki] = im_wide[n + 1 + f]
    for ri in range(R):
        Y[ri * _SECTORS:(ri + 1) * _SECTORS, ri * _K + _OTHER] = ERR[ri * _SECTORS:(ri + 1) * _SECTORS]

    default_list = sector_list_for_year(table_year, new_list=variant.lower() == "new")
    list_id, how = detect_sector_list(aux_labels if aux_labels is not None else loc.row_labels,
                                      default=default_list)
    notes.append(f"sector list {list_id}: {how}")
    sectors = Axis.sectors(list_id)

    _check_table(Z=Z, FD=fd_file, EX=EX, ERR=ERR, x=x, IM=IM, V=V, totals=totals,
                 regions=loc.regions, sector_codes=sectors.codes, loc=loc, w=w)

    extras: dict[str, Arr] = {"IM_Y": IM_Y}
    if co2 is not None and loc.co2_row is not None:
        extras["co2_row"] = co2
        notes.append(f"CO2 row (Mt) from row {loc.co2_row + 1} in extras['co2_row']")
    notes.append("ERR (statistical error) kept as final-demand category 'Other' of the row's own region")
    notes.append("imports bought by final demand (IM row under the final-demand columns) in extras['IM_Y']")

    prov = Provenance(
        source="CEADs", product="provincial MRIO", vintage=lay.vintage, file_name=p.name,
        sha256=sha256_file(p), sheet=sheet_name, importer_version=f"viscarbon {__version__}",
        notes="; ".join(notes), citation=t(lay.citation_key, "en"))
    return IOTable(
        year=table_year, regions=Axis.regions(loc.regions), sectors=sectors, Z=Z, Y=Y,
        fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V, va_rows=va_axis(), x=x,
        unit="10k_yuan", provenance=(prov,), imports_treatment="noncompetitive_row",
        extras=extras, row_rtol=ROW_RTOL, col_rtol=COL_RTOL, notes=tuple(notes))
