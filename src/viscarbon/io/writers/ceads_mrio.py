"""Writer of :class:`~viscarbon.model.IOTable` objects in the CEADs MRIO workbook layouts.

``write_ceads_mrio(table, path, *, layout, co2_row=None)`` writes exactly what
:func:`viscarbon.io.readers.ceads_mrio.reader.read_ceads_mrio` reads (the layouts of
:mod:`viscarbon.io.readers.ceads_mrio.layouts`), so that ``read(write(t))`` gives back ``t``'s arrays.
Used by tests, the benchmark and exports. :func:`mrio_sheets` gives the same content as
rows of Python values (sheet name → rows), which tests alter to build bad inputs and
write with :func:`write_sheets`.

Per data row i (region-sector, 万元) the file holds ``Z[i, :]``, ``TIU_i = Σ_j Z_ij``, the
final demand of every destination region in FU101 … FU202, ``EX_i``,
``TFU_i = Σ FD + EX_i``, ``ERR_i`` (the ``Other`` columns of ``Y``) and ``GO_i = x_i``. Below
Z: ``IM`` (also under TIU and the final-demand columns, from ``extras["IM_Y"]``), ``TII =
1ᵀZ``, VA001-VA004, ``TVA = 1ᵀV``, ``TI = TII + IM + TVA`` and, when given, a CO2 row (Mt)
after one blank row (Miller & Blair 2009, table 3.3, the MRIO accounts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from numpy.typing import ArrayLike, NDArray

from viscarbon.classification import FD_CATEGORIES, region, sectors
from viscarbon.errors import DataError
from viscarbon.io.files import close_xlsx
from viscarbon.io.readers.ceads_mrio.layouts import FD_CODES, VA_ROWS, MrioLayout
from viscarbon.io.readers.ceads_mrio.layouts import layout as layout_spec
from viscarbon.model import IOTable

__all__ = ["mrio_sheets", "table_sheet_name", "write_ceads_mrio", "write_sheets"]

Arr = NDArray[np.float64]
Row = list[Any]

_FD_LABELS = {c.code: c.name_en for c in FD_CATEGORIES}


def table_sheet_name(table: IOTable, lay: MrioLayout) -> str:
    """``Table_2017_consistent`` (2017, 2012-style sectors), ``Table_2017_new`` (2017,
    2017-style), ``Table_2012``, or ``Table_<YYYY>_English Version`` (2018-2020 layout)."""
    if lay.id == "2018-2020":
        return lay.sheet_template.format(year=table.year)
    variant = ""
    if table.year == 2017:
        variant = "_new" if table.sectors.list_id == "io42_2017" else "_consistent"
    return lay.sheet_template.format(year=table.year, variant=variant)


def _check_writable(table: IOTable) -> None:
    want = tuple(c.code for c in FD_CATEGORIES)
    if table.fd_categories.codes != want:
        raise DataError("the CEADs MRIO layout needs the final-demand categories "
                        + ", ".join(want) + f"; this table has {', '.join(table.fd_categories.codes)}",
                        hint="only tables with the CEADs categories can be written in this layout")
    if table.va_rows.codes != tuple(v.code for v in VA_ROWS):
        raise DataError("the CEADs MRIO layout needs value-added rows VA001-VA004; this table has "
                        + ", ".join(table.va_rows.codes))
    if table.imports_treatment != "noncompetitive_row":
        raise DataError(f"the CEADs MRIO layout holds imports as a row; this table's imports are "
                        f"{table.imports_treatment}")
    if table.sectors.list_id not in ("io42_2012", "io42_2017") or len(table.sectors) != 42:
        raise DataError("the CEADs MRIO layout needs one of the 42-sector lists io42_2012, io42_2017")
    for code in table.regions.codes:
        region(code)  # UnknownRegion for a custom region axis
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    other = table.Y.reshape(table.n, R, K)[:, :, K - 1]
    for r in range(R):
        off = np.delete(np.arange(table.n), np.arange(r * S, (r + 1) * S))
        if np.any(other[off, r] != 0):
            i = int(off[np.flatnonzero(other[off, r] != 0)[0]])
            raise DataError(f"final demand 'Other' of {table.regions.codes[r]} holds a value of row "
                            f"{table.label(i)}; the CEADs layout keeps ERR in the row's own region only")


def mrio_sheets(table: IOTable, *, layout: str, co2_row: ArrayLike | None = None
                ) -> dict[str, Iterator[Row]]:
    """The workbook content, sheet name → rows of cell values ('' for empty), in order.

    Rows are generated lazily (the table sheet of a 31-region table has 1318 rows of 1465
    cells); ``co2_row`` (n,) in Mt, defaulting to ``table.extras["co2_row"]`` when present.
    """
    lay = layout_spec(layout)
    _check_writable(table)
    n = table.n
    co2: Arr | None = None
    if co2_row is not None:
        co2 = np.asarray(co2_row, dtype=np.float64)
    elif "co2_row" in table.extras:
        co2 = np.asarray(table.extras["co2_row"], dtype=np.float64)
    if co2 is not None and co2.shape != (n,):
        raise DataError(f"co2_row has shape {co2.shape}, expected ({n},)")
    out: dict[str, Iterator[Row]] = {table_sheet_name(table, lay): _table_rows(table, lay, co2)}
    if lay.province_sheet:
        out[lay.province_sheet] = iter(
            [["No.", "Province"]]
            + [[i + 1, region(c).name_en] for i, c in enumerate(table.regions.codes)])
    if lay.sector_sheet_prefix:
        secs = sectors(table.sectors.list_id)
        out[lay.sector_sheet_prefix] = iter(
            [["No.", "Sector"]] + [[s.code, s.name_en] for s in secs])
    return out


def _table_rows(table: IOTable, lay: MrioLayout, co2: Arr | None) -> Iterator[Row]:
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    n = table.n
    regs = [region(c) for c in table.regions.codes]
    secs = sectors(table.sectors.list_id)
    nfd = len(FD_CODES)
    Z, Y, EX, IM, V, x = table.Z, table.Y, table.EX, table.IM, table.V, table.x
    Y3 = Y.reshape(n, R, K)
    FD = Y3[:, :, :nfd].reshape(n, R * nfd)  # file order: destination region, then FU101..FU202
    ERR = Y3[:, :, K - 1].sum(axis=1)
    TFU = FD.sum(axis=1) + EX
    IM_Y = np.asarray(table.extras.get("IM_Y", np.zeros(R * K)), dtype=np.float64)
    if IM_Y.shape != (R * K,):
        raise DataError(f"extras['IM_Y'] has shape {IM_Y.shape}, expected ({R * K},)")
    im_fd = IM_Y.reshape(R, K)[:, :nfd].reshape(-1)
    tail = ["", "", "", ""]  # EX, TFU, ERR, GO
    width_fd = R * nfd

    # header rows
    for _ in range(lay.title_rows):
        yield ([f"Chinese provincial multi-regional input-output table {table.year} "
                "(unit: 10,000 yuan)"] if _ == 0 else [])
    heads: dict[int, Row] = {
        lay.region_row: ["", "", "Region"]
        + [regs[j // S].name_en for j in range(n)] + [""]
        + [regs[f // nfd].name_en for f in range(width_fd)] + tail,
        lay.label_row: ["", "", "Item"]
        + [secs[j % S].name_en for j in range(n)] + ["Total intermediate use"]
        + [_FD_LABELS[FD_CODES[f % nfd]] for f in range(width_fd)]
        + ["Exports", "Total final use", "Other (statistical error)", "Gross output"],
        lay.code_row: ["Region", "Sector", "Code"]
        + [secs[j % S].code for j in range(n)] + ["TIU"]
        + [FD_CODES[f % nfd] for f in range(width_fd)] + ["EX", "TFU", "ERR", "GO"],
    }
    if lay.region_zh_row is not None:
        heads[lay.region_zh_row] = (["", "", "地区"] + [regs[j // S].name_zh_hans for j in range(n)]
                                    + [""] + [regs[f // nfd].name_zh_hans for f in range(width_fd)] + tail)
    for off in range(lay.region_row, 0):
        yield heads.get(off, [])

    # data rows
    Zl, FDl = Z.tolist(), FD.tolist()
    for i in range(n):
        yield ([regs[i // S].name_en, secs[i % S].name_en, secs[i % S].code] + Zl[i]
               + [float(Z[i].sum())] + FDl[i]
               + [float(EX[i]), float(TFU[i]), float(ERR[i]), float(x[i])])

    # row-side blocks
    tii = Z.sum(axis=0)
    tva = V.sum(axis=0)
    yield ["", "Imports", "IM", *IM.tolist(), float(IM.sum()), *im_fd.tolist()]
    yield ["", "Total intermediate input", "TII", *tii.tolist(), float(tii.sum())]
    for k, va in enumerate(VA_ROWS):
        yield ["", va.name_en, va.code, *V[k].tolist()]
    yield ["", "Total value added", "TVA", *tva.tolist()]
    yield ["", "Total input", "TI", *(tii + IM + tva).tolist()]
    if co2 is not None:
        if lay.blank_row_before_co2:
            yield []
        yield ["", "CO2 emissions (Mt)", "CO2", *co2.tolist()]


def write_sheets(path: str | Path, sheets: Mapping[str, Iterable[Sequence[Any]]]) -> Path:
    """Write rows of values to an .xlsx workbook (xlsxwriter, constant-memory mode).

    Floats and ints become number cells, other non-empty values text cells (written as
    text even when they look like numbers, e.g. codes ``"01"``); ``""`` and ``None`` stay
    empty. Non-finite floats become Excel error cells (``#NUM!``).
    """
    p = Path(path)
    wb = xlsxwriter.Workbook(str(p), {"constant_memory": True, "nan_inf_to_errors": True,
                                      "strings_to_numbers": False, "strings_to_formulas": False})
    try:
        for name, rows in sheets.items():
            ws = wb.add_worksheet(name)
            write_number = ws.write_number
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    tv = type(v)
                    if tv is float or tv is int:  # the bulk: skip the generic checks
                        write_number(r, c, v)
                    elif v is None or (tv is str and v == ""):
                        continue
                    elif tv is bool:
                        ws.write_boolean(r, c, v)
                    elif isinstance(v, int | float):
                        write_number(r, c, float(v))
                    else:
                        ws.write_string(r, c, str(v))
    finally:
        close_xlsx(wb, p)
    return p


def write_ceads_mrio(table: IOTable, path: str | Path, *, layout: str,
                     co2_row: ArrayLike | None = None) -> Path:
    """Write ``table`` as a CEADs MRIO workbook in ``layout`` ``"2012-2017"`` or ``"2018-2020"``.

    The table must use the CEADs final-demand categories (FU101 … FU202, ``Other`` holding
    each row's ERR in its own region), VA001-VA004, imports as a row and one of the two
    42-sector lists. ``co2_row`` (n,) Mt is appended as the CO2 row (default:
    ``table.extras["co2_row"]`` when present). Returns the path written.
    """
    return write_sheets(path, mrio_sheets(table, layout=layout, co2_row=co2_row))
