"""Finding a CEADs MRIO table in a sheet by what its cells hold.

:func:`locate_table` takes the grid of a table sheet (rows of cell values from A1) and
returns a :class:`TableLocation`: where the row-side sector codes, regions and labels
are, which rows above the data hold the column regions, labels and codes (and which are
title or blank rows), the Z block, the final-demand columns by region and category, the
further columns (TIU, EX, TFU, ERR, GO) and rows (IM, TII, VA001-VA004, TVA, TI, CO2).
What it searches for is declared in :mod:`viscarbon.io.readers.ceads_mrio.layouts`; the
steps are:

1. the **row-side code column**: the first column (of the first
   :attr:`~.layouts.LocatorLimits.row_header_cols`) holding the sector codes 01-42 down 42
   consecutive rows, within the first :attr:`~.layouts.LocatorLimits.header_rows` rows;
   the row of its ``01`` is the first data row. Codes may be ``01`` or ``1``, text or
   numbers;
2. the **code row**: the row above the first data row holding 01-42 in consecutive
   columns right of the code column; where its ``01`` stands, Z begins;
3. the **row regions**: the columns left of Z (other than the code column) naming a
   province on the first data row (one or two: English, Chinese, pinyin or both in one
   cell); a region is named on the first row of its block of 42 and either repeated on
   every row of the block, or not (empty cells, merged cells);
4. the **column regions**: every row above the first data row whose cells over Z name
   provinces (most of them), forward-filled over empty cells, so that a region written
   once per 42-column span (or in merged cells, which python-calamine hands over in the
   top-left cell only) heads all its columns; one or two such rows; they must agree with
   the row regions column by column;
5. right of Z: an optional TIU column, the final-demand block (codes FU101 … FU202,
   regions forward-filled like step 4), then EX, then TFU, ERR and GO in any order, found
   by their codes (or labels when the code cell is empty); columns with an empty code
   cell between the blocks are skipped;
6. below Z: the rows by their codes in the code column (or their labels), blank rows
   skipped: IM and VA001-VA004 are required, TII, TVA, TI and a CO2 row optional.

Anything that does not match raises :class:`~viscarbon.errors.LayoutError` naming the
sheet, the cell and what was expected there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from viscarbon.classification import region
from viscarbon.errors import LayoutError
from viscarbon.io.files import cell_ref, col_letter
from viscarbon.io.readers.ceads_mrio.layouts import (
    FD_CODES,
    LOCATOR,
    LocatorLimits,
    column_code,
    match_region,
    region_script,
    row_code,
)

__all__ = ["Grid", "HeaderRow", "TableLocation", "apply_merged", "code_text", "locate_table"]

Grid = list[list[Any]]

_FD_INDEX: Final = {c: i for i, c in enumerate(FD_CODES)}
_REQUIRED_ROWS: Final = ("IM", "VA001", "VA002", "VA003", "VA004")


def code_text(value: object) -> str:
    """A cell's code as text: ``1``, ``1.0``, ``"1"`` → ``"01"``; ``" VA001 "`` → ``"VA001"``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and 0 < value < 100:
            return f"{int(value):02d}"
        return str(value)
    text = str(value).strip()
    if text.isdigit() and len(text) <= 2:
        return f"{int(text):02d}" if int(text) > 0 else text
    if text.endswith(".0") and text[:-2].isdigit() and len(text) <= 4:
        return f"{int(text[:-2]):02d}"
    return text


def _cell(grid: Grid, r: int, c: int) -> Any:
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return ""


def _empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _want(s: int) -> str:
    return f"{s + 1:02d}"


def _code_style(values: Sequence[object]) -> str:
    """How sector codes are written: ``text 01``, ``text 1`` or ``number``."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number"
    texts = [str(v).strip() for v in values if isinstance(v, str)]
    return "text 1" if texts and texts[0] in ("1", "1.0") else "text 01"


def apply_merged(grid: Grid, ranges: Sequence[tuple[int, int, int, int]]
                 ) -> tuple[tuple[int, int, int, int], ...]:
    """Fill each merged range whose top-left cell holds text with that text (in place);
    returns the ranges filled. Numbers are never spread."""
    filled = []
    for r0, c0, r1, c1 in ranges:
        v = _cell(grid, r0, c0)
        if not isinstance(v, str) or not v.strip():
            continue
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if _empty(row[c]):
                    row[c] = v
        filled.append((r0, c0, r1, c1))
    return tuple(filled)


@dataclass(frozen=True)
class HeaderRow:
    """A row above the first data row: ``what`` is ``code``, ``region``, ``label``,
    ``title`` (text outside the column headers), ``blank`` or ``other``; for region rows
    ``script`` (``zh``, ``en``, ``zh+en``, ``mixed``) and ``repeat`` (``every`` column,
    ``once`` per region span, ``merged`` cells)."""

    row: int
    what: str
    script: str = ""
    repeat: str = ""


@dataclass(frozen=True)
class TableLocation:
    """Positions (0-based) of the blocks of one table sheet, found by content."""

    sheet: str
    first_row: int
    code_col: int
    code_style: str
    region_cols: tuple[int, ...]
    region_col_scripts: tuple[str, ...]
    row_regions: str  # "every", "first" (only on each block's first row), "merged"
    label_col: int | None
    code_row: int
    header: tuple[HeaderRow, ...]
    regions: tuple[str, ...]
    row_labels: tuple[object, ...]  # the first region's 42 sector labels
    z_col: int
    tiu_col: int | None
    fd_cols: tuple[tuple[int, int], ...]  # per file FD column: (region index, category index)
    fd_col0: int
    ex_col: int
    tfu_col: int | None
    err_col: int | None
    go_col: int | None
    im_row: int
    va_rows: tuple[int, ...]
    tii_row: int | None
    tva_row: int | None
    ti_row: int | None
    co2_row: int | None
    blank_before_co2: bool | None
    merged_ranges: int = 0
    sectors: int = 42

    @property
    def n(self) -> int:
        return len(self.regions) * self.sectors

    @property
    def data_rows(self) -> range:
        return range(self.first_row, self.first_row + self.n)

    @property
    def last_row(self) -> int:
        """0-based row of the last data row."""
        return self.first_row + self.n - 1

    def rows_of(self, what: str) -> tuple[int, ...]:
        """The header rows of one kind (``region``, ``label``, ``title`` …)."""
        return tuple(h.row for h in self.header if h.what == what)


class _Where:
    def __init__(self, file: str, sheet: str):
        self.file = file
        self.sheet = sheet

    def at(self, r: int, c: int) -> str:
        return f"file {self.file}, sheet {self.sheet}, cell {cell_ref(r, c)}"

    def sheet_only(self) -> str:
        return f"file {self.file}, sheet {self.sheet}"


# --------------------------------------------------------------------------- step 1
def _run_down(grid: Grid, r: int, c: int, S: int) -> int:
    """How many consecutive sector codes 01, 02 … stand down column c from row r."""
    k = 0
    while k < S and code_text(_cell(grid, r + k, c)) == _want(k):
        k += 1
    return k


def _run_right(row: Sequence[object], c: int, S: int) -> int:
    k = 0
    while k < S and c + k < len(row) and code_text(row[c + k]) == _want(k):
        k += 1
    return k


def _is_one(v: object) -> bool:
    return code_text(v) == "01"


def _find_row_codes(grid: Grid, lim: LocatorLimits, w: _Where) -> tuple[int, int]:
    S = lim.sectors
    best: tuple[int, int, int] | None = None  # (run, row, col)
    for r in range(min(lim.header_rows, len(grid))):
        row = grid[r]
        for c in range(min(lim.row_header_cols, len(row))):
            if not _is_one(row[c]):
                continue
            k = _run_down(grid, r, c, S)
            if k == S:
                return r, c
            if best is None or k > best[0]:
                best = (k, r, c)
    cols = f"A-{col_letter(lim.row_header_cols - 1)}"
    if best is not None and best[0] >= 2:
        k, r, c = best
        got = _cell(grid, r + k, c)
        raise LayoutError(
            f"the sector codes down column {col_letter(c)} stop at {_want(k - 1)}: expected {_want(k)} "
            f"but found {str(got)[:20]!r}", where=w.at(r + k, c),
            hint=f"the row headers must list the {S} sector codes of each region in order")
    raise LayoutError(
        f"cannot find the first data row: no column among {cols} holds the sector codes "
        f"01-{S:02d} down consecutive rows within rows 1-{lim.header_rows}",
        where=w.sheet_only(), hint="is this a CEADs MRIO table sheet?")


# --------------------------------------------------------------------------- step 2
def _find_code_row(grid: Grid, first: int, cc: int, lim: LocatorLimits, w: _Where) -> tuple[int, int]:
    S = lim.sectors
    best: tuple[int, int, int] | None = None
    for r in range(first - 1, -1, -1):
        row = grid[r]
        for c in range(cc + 1, len(row)):
            if _is_one(row[c]):
                k = _run_right(row, c, S)
                if k == S:
                    return r, c
                if best is None or k > best[0]:
                    best = (k, r, c)
    if best is not None and best[0] >= 2:
        k, r, c = best
        raise LayoutError(
            f"the column codes in row {r + 1} stop at {_want(k - 1)}: expected {_want(k)} but found "
            f"{str(_cell(grid, r, c + k))[:20]!r}", where=w.at(r, c + k),
            hint=f"the column headers must list the {S} sector codes of each region in order")
    raise LayoutError(
        f"no row above the first data row (row {first + 1}) holds the column codes 01-{S:02d} right "
        f"of column {col_letter(cc)}", where=w.sheet_only() + f", rows 1-{first}",
        hint="the code row of the column headers is missing or shifted against the data")


# --------------------------------------------------------------------------- step 3
def _row_regions(grid: Grid, first: int, cc: int, z_col: int, S: int, w: _Where
                 ) -> tuple[list[str], tuple[int, ...], int | None, str]:
    cand = [c for c in range(z_col) if c != cc]
    region_cols = tuple(c for c in cand if match_region(_cell(grid, first, c)))
    if not region_cols:
        named = next((c for c in cand if not _empty(_cell(grid, first, c))), None)
        if named is not None:
            raise LayoutError(f"row {first + 1} starts a sector block but "
                              f"{str(_cell(grid, first, named))[:40]!r} names no province",
                              where=w.at(first, named))
        raise LayoutError(
            f"no province named on the first data row (row {first + 1}, columns "
            f"A-{col_letter(z_col - 1)})", where=w.at(first, 0),
            hint="the first row of each region's block must name the region")
    label_col = next((c for c in cand if c not in region_cols and isinstance(_cell(grid, first, c), str)
                      and not _empty(_cell(grid, first, c))), None)
    regions: list[str] = []
    filled = empty = 0
    r = first
    while r < len(grid) and _is_one(_cell(grid, r, cc)):
        codes = {match_region(_cell(grid, r, c)) for c in region_cols if not _empty(_cell(grid, r, c))}
        if not codes:
            raise LayoutError(f"row {r + 1} starts a sector block but no region is named in column "
                              f"{col_letter(region_cols[0])}", where=w.at(r, region_cols[0]),
                              hint="name the region on the first row of its block")
        if None in codes or len(codes) > 1:
            bad = next(c for c in region_cols if not _empty(_cell(grid, r, c))
                       and (match_region(_cell(grid, r, c)) is None or len(codes) > 1))
            raise LayoutError(f"row {r + 1} starts a sector block but "
                              f"{str(_cell(grid, r, bad))[:40]!r} names no province"
                              + (" or the region columns disagree" if None not in codes else ""),
                              where=w.at(r, bad))
        code = next(iter(codes))
        assert code is not None
        for s in range(S):
            rr = r + s
            got = code_text(_cell(grid, rr, cc))
            if got != _want(s):
                raise LayoutError(
                    f"expected sector code {_want(s)} of {code} but found {str(got)[:20]!r} "
                    f"(a block shifted, or not {S} sectors per region?)", where=w.at(rr, cc))
            if s == 0:
                continue
            for c in region_cols:
                reg = _cell(grid, rr, c)
                if _empty(reg):
                    empty += 1
                    continue
                filled += 1
                if match_region(reg) != code:
                    raise LayoutError(f"region {str(reg)[:40]!r} inside the block of {code}",
                                      where=w.at(rr, c))
        if code in regions:
            raise LayoutError(f"region {code} appears twice in the rows", where=w.at(r, region_cols[0]))
        regions.append(code)
        r += S
    order = [region(c).nbs_order for c in regions]
    for k in range(1, len(regions)):
        if order[k] <= order[k - 1]:
            raise LayoutError(f"regions are not in NBS order: {regions[k]} follows {regions[k - 1]}",
                              where=w.at(first, region_cols[0]),
                              hint="CEADs tables list the 31 provinces in NBS order (BJ, TJ, HE …)")
    mode = "every" if empty == 0 else "first" if filled == 0 else "mixed"
    return regions, region_cols, label_col, mode


# --------------------------------------------------------------------------- step 4
def _region_row_kind(grid: Grid, r: int, c0: int, c1: int) -> tuple[str, int, int]:
    """("region" | "label" | "title" | "blank", names, others) over columns [c0, c1) of row r."""
    row = grid[r] if r < len(grid) else []
    names = others = 0
    for c in range(c0, min(c1, len(row))):
        v = row[c]
        if _empty(v):
            continue
        if match_region(v):
            names += 1
        else:
            others += 1
    if names and names >= others:
        return "region", names, others
    if others:
        return ("label" if others >= min(c1 - c0, 42) // 2 else "title"), names, others
    return "blank", 0, 0


def _ffill_check(grid: Grid, r: int, cols: range, expected: Sequence[str], w: _Where,
                 *, what: str) -> str:
    """Forward-fill the region names of row r over ``cols`` and compare with ``expected``
    (one region code per column); returns how they are repeated (every/once)."""
    current = ""
    names = 0
    for k, c in enumerate(cols):
        head = _cell(grid, r, c)
        if not _empty(head):
            current = match_region(head) or ""
            names += 1
            if not current:
                raise LayoutError(f"{what} header {str(head)[:40]!r} names no province", where=w.at(r, c))
        if current != expected[k]:
            raise LayoutError(
                f"column {col_letter(c)} belongs to {current or 'no region'} but the rows put "
                f"{expected[k]} there (Z must be square, same region order)", where=w.at(r, c),
                hint="each region's name must head the first of its columns (repeated, once per "
                     "span or in merged cells)")
    return "every" if names == len(cols) else "once"


def _row_script(grid: Grid, r: int, cols: range) -> str:
    scripts = {region_script(_cell(grid, r, c)) for c in cols if not _empty(_cell(grid, r, c))}
    scripts.discard("")
    return scripts.pop() if len(scripts) == 1 else "mixed"


# --------------------------------------------------------------------------- the locator
def locate_table(grid: Grid, *, file: str, sheet: str,
                 merged: Sequence[tuple[int, int, int, int]] = (),
                 limits: LocatorLimits = LOCATOR) -> TableLocation:
    """Locate every block of a CEADs MRIO table sheet by content (module docstring).

    ``merged``: the merged ranges :func:`apply_merged` filled (to report headers and row
    regions written in merged cells as such).
    Raises :class:`LayoutError` naming the cell where the table departs from what is
    expected there.
    """
    w = _Where(file, sheet)
    S = limits.sectors
    first, cc = _find_row_codes(grid, limits, w)
    code_row, z_col = _find_code_row(grid, first, cc, limits, w)
    regions, region_cols, label_col, row_mode = _row_regions(grid, first, cc, z_col, S, w)
    R = len(regions)
    n = R * S
    for c in range(z_col):  # the columns left of Z hold row headers, never numbers
        v = _cell(grid, first, c)
        if c != cc and isinstance(v, int | float) and not isinstance(v, bool):
            raise LayoutError(
                f"number {v!r} left of the Z block, which the column codes start in column "
                f"{col_letter(z_col)}", where=w.at(first, c),
                hint="the column headers are shifted against the data (a column inserted or "
                     "deleted in the header rows)")
    code_cells = grid[code_row]
    for j in range(n):
        c = z_col + j
        got = code_text(_cell(grid, code_row, c))
        if got != _want(j % S):
            raise LayoutError(f"expected column code {_want(j % S)} of {regions[j // S]} but found "
                              f"{str(got)[:20]!r} (Z must be {n} × {n})", where=w.at(code_row, c))
    style = _code_style([_cell(grid, first + s, cc) for s in range(S)])

    # rows above the data: region rows, label rows, titles, blanks
    z_span = range(z_col, z_col + n)
    header: list[HeaderRow] = []
    region_rows: list[int] = []
    for r in range(first):
        if r == code_row:
            header.append(HeaderRow(r, "code"))
            continue
        kind, _, _ = _region_row_kind(grid, r, z_col, z_col + n)
        if kind == "blank" and any(not _empty(v) for v in (grid[r] if r < len(grid) else [])):
            kind = "title"
        if kind == "region":
            region_rows.append(r)
        header.append(HeaderRow(r, kind))
    if not region_rows:
        raise LayoutError(f"no row above the column codes (row {code_row + 1}) names the regions of "
                          "the columns", where=w.at(0, z_col) if first else w.sheet_only(),
                          hint="the column headers need a row of region names over the Z block")
    expected = [regions[j // S] for j in range(n)]
    repeat: dict[int, str] = {}
    for r in region_rows:
        repeat[r] = _ffill_check(grid, r, z_span, expected, w, what="column")
    for r in region_rows:
        if any(r0 <= r <= r1 and c0 >= z_col and c1 > c0 and c0 < z_col + n for r0, c0, r1, c1 in merged):
            repeat[r] = "merged"
    if any(c0 in region_cols and r1 > r0 and first <= r0 < first + n for r0, c0, r1, _ in merged):
        row_mode = "merged"
    header = [HeaderRow(h.row, h.what, _row_script(grid, h.row, z_span), repeat[h.row])
              if h.what == "region" else h for h in header]

    # right of Z: TIU?, blanks, FD block, blanks, EX, then TFU / ERR / GO
    labels_row = next((h.row for h in header if h.what == "label"), None)

    def col_kind(c: int) -> str | None:
        return column_code(_cell(grid, code_row, c),
                           _cell(grid, labels_row, c) if labels_row is not None else "")

    width = max(len(code_cells), max((len(grid[r]) for r in region_rows), default=0))
    c = z_col + n
    tiu_col: int | None = None
    while c < width and col_kind(c) in ("", "TIU"):
        if col_kind(c) == "TIU":
            if tiu_col is not None:
                raise LayoutError("two TIU columns after the Z block", where=w.at(code_row, c))
            tiu_col = c
        c += 1
    if c >= width:
        raise LayoutError("no final-demand columns (FU101 … FU202) after the Z block",
                          where=w.at(code_row, z_col + n))
    if col_kind(c) not in _FD_INDEX:
        got = _cell(grid, code_row, c)
        raise LayoutError(f"unexpected code {str(got)[:20]!r} after the Z block", where=w.at(code_row, c),
                          hint="expected TIU or the first final-demand column FU101")
    fd_col0 = c
    fd: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    current = {r: "" for r in region_rows}
    while c < width and col_kind(c) in _FD_INDEX:
        k = _FD_INDEX[str(col_kind(c))]
        reg = ""
        for r in region_rows:
            head = _cell(grid, r, c)
            if not _empty(head):
                code = match_region(head)
                if code not in regions:
                    raise LayoutError(f"final-demand header {str(head)[:40]!r} is not a region of the table",
                                      where=w.at(r, c))
                current[r] = code
        names = {current[r] for r in region_rows if current[r]}
        if len(names) > 1:
            raise LayoutError("the region header rows disagree over the final-demand column "
                              f"{col_letter(c)}: " + ", ".join(sorted(names)), where=w.at(region_rows[0], c))
        reg = names.pop() if names else ""
        if not reg:
            raise LayoutError("final-demand column without a region", where=w.at(region_rows[0], c),
                              hint="name the destination region over its first final-demand column")
        item = (regions.index(reg), k)
        if item in seen:
            raise LayoutError(f"final-demand column {FD_CODES[k]} of {reg} appears twice",
                              where=w.at(code_row, c))
        seen.add(item)
        fd.append(item)
        c += 1
    if len(fd) != R * len(FD_CODES):
        missing = [f"{g}/{k}" for ri, g in enumerate(regions) for ki, k in enumerate(FD_CODES)
                   if (ri, ki) not in seen]
        raise LayoutError("final-demand block incomplete: missing " + ", ".join(missing[:5])
                          + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""),
                          where=w.at(code_row, c))
    while c < width and col_kind(c) == "":
        c += 1
    if c >= width or col_kind(c) != "EX":
        got = _cell(grid, code_row, c) if c < width else ""
        raise LayoutError(f"unexpected code {str(got)[:20]!r} in the final-demand block" if c < width
                          else "no column with code EX after the final-demand block",
                          where=w.at(code_row, c),
                          hint="expected FU101, FU102, FU103, FU201, FU202, then EX")
    ex_col = c
    right: dict[str, int] = {}
    for j in range(ex_col + 1, width):
        k2 = col_kind(j)
        if k2 in ("TFU", "ERR", "GO") and k2 not in right:
            right[k2] = j

    # below Z, by codes (or labels)
    found: dict[str, int] = {}
    last_nonblank = first + n - 1
    blank_before_co2: bool | None = None
    for r in range(first + n, len(grid)):
        if all(_empty(v) for v in grid[r]):
            continue
        code = row_code(_cell(grid, r, cc), _cell(grid, r, label_col) if label_col is not None else "")
        if not code:
            last_nonblank = r
            continue
        if code in found:
            raise LayoutError(f"row code {_cell(grid, r, cc)!r} appears twice (rows {found[code] + 1} "
                              f"and {r + 1})", where=w.at(r, cc))
        if code == "CO2":
            blank_before_co2 = r > last_nonblank + 1
        found[code] = r
        last_nonblank = r
    for need in _REQUIRED_ROWS:
        if need not in found:
            raise LayoutError(f"no row with code {need} below the Z block",
                              where=f"file {file}, sheet {sheet}, cells {cell_ref(first + n, cc)}:"
                                    f"{cell_ref(max(len(grid) - 1, first + n), cc)}")
    if "GO" not in right and "TI" not in found:
        raise LayoutError("no gross output: neither a column with code GO after EX nor a row TI "
                          "below the Z block", where=w.at(code_row, ex_col),
                          hint="the table needs its GO column (or its TI row)")
    return TableLocation(
        sheet=sheet, first_row=first, code_col=cc, code_style=style, region_cols=region_cols,
        region_col_scripts=tuple(region_script(_cell(grid, first, c)) for c in region_cols),
        row_regions=row_mode, label_col=label_col, code_row=code_row, header=tuple(header),
        regions=tuple(regions), row_labels=tuple(_cell(grid, first + s, label_col) if label_col is not None
                                                 else "" for s in range(S)),
        z_col=z_col, tiu_col=tiu_col, fd_cols=tuple(fd), fd_col0=fd_col0, ex_col=ex_col,
        tfu_col=right.get("TFU"), err_col=right.get("ERR"), go_col=right.get("GO"),
        im_row=found["IM"], va_rows=tuple(found[f"VA00{k}"] for k in range(1, 5)),
        tii_row=found.get("TII"), tva_row=found.get("TVA"), ti_row=found.get("TI"),
        co2_row=found.get("CO2"), blank_before_co2=blank_before_co2, merged_ranges=len(merged), sectors=S)
