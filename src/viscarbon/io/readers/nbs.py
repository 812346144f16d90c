"""Reader of the NBS national 42-sector input-output tables (CSV, 10,000 yuan).

``read_nbs_io(path, *, year=None) -> IOTable`` reads the tables of ``shared/data/nbs``
(National Bureau of Statistics of China, as tabulated in the R package ionet) into a
single-region :class:`~viscarbon.model.IOTable` with the region axis ``CN``. Two
vintages, told apart by the header (Miller & Blair 2009, §2.2 and §4.4 on imports):

* **2015, competitive imports** (2012-style sectors ``io42_2012``; columns 01-42, TIU,
  FU101, FU102, THC, FU103, TC, FU201, FU202, GCF, EX, TFU, IM, ERR, GO). Imports are a
  column of negative final demand: ``GO_i = TIU_i + TFU_i − IM_i + ERR_i`` and
  ``TI_j = TII_j + TVA_j``. Modelled with ``imports_treatment="competitive"``: final-demand
  categories FU101, FU102, FU103, FU201, FU202, Other (= ERR) and ``IMP`` (= −IM), so that
  ``x = Z·1 + Y·1 + EX`` exactly; the IM row of the table is zero. ``Z`` mixes domestic and
  imported inputs.
* **2017, 2018, 2020, non-competitive imports** (2017-style sectors ``io42_2017``; an
  ``Origin`` column: 42 ``Domestic`` rows, 42 ``Imports`` rows, then the ``TOT`` rows TII,
  VA001-VA004, TVA, TI; columns 01-42, TIU, TC, FU201, FU202, EX, TFU, GO). ``Z`` (42 × 42)
  is the domestic block, ``Y`` the domestic final use (TC final consumption, FU201,
  FU202), ``IM_j = Σ_i Z^imp_ij`` the imported intermediate inputs of sector j, so that
  ``GO_i = Σ_j Z_ij + Σ_c Y_ic + EX_i`` and ``TI_j = Σ_i Z_ij + IM_j + TVA_j``
  (``imports_treatment="noncompetitive_block"``). The import block is kept in
  ``extras``: ``Z_imports`` (42 × 42), ``Y_imports`` (42 × 3), ``EX_imports`` (42,,
  re-exports) and ``M_total`` (42,, total imports by product, the import rows' GO).

Every subtotal (TIU, THC, TC, GCF, TFU, TII, TVA, TI) is checked against its parts and
``GO = TI``; failures name the file, line and column.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import FD_CATEGORIES, normalise_key
from viscarbon.errors import BalanceError, DataError, LayoutError
from viscarbon.i18n import t
from viscarbon.io.files import sha256_file, years_in
from viscarbon.io.readers.ceads_mrio.layouts import VA_ROWS, detect_sector_list
from viscarbon.io.readers.ceads_mrio.reader import va_axis
from viscarbon.model import Axis, IOTable, Provenance

__all__ = ["NBS_EXTRA_CATEGORIES", "china_axis", "read_nbs_io"]

Arr = NDArray[np.float64]

#: Final-demand categories of the NBS tables that are not CEADs categories:
#: ``TC`` (final consumption, not split into households and government in the 2017-2020
#: tables) and ``IMP`` (competitive imports as negative final demand, 2015).
NBS_EXTRA_CATEGORIES: Final[dict[str, tuple[str, str]]] = {
    "TC": ("Final consumption expenditure", "最终消费支出"),
    "IMP": ("Imports (competitive, negative final demand)", "进口（竞争型，负的最终使用）"),
}

_SECTOR_CODES: Final = tuple(f"{i:02d}" for i in range(1, 43))
_RTOL: Final = 1e-6
_ROW_RTOL: Final = 1e-6
_COL_RTOL: Final = 1e-6


def _fd_axis(codes: tuple[str, ...]) -> Axis:
    known = {c.code: (c.name_en, c.name_zh_hans) for c in FD_CATEGORIES} | NBS_EXTRA_CATEGORIES
    return Axis("fd_category", codes, tuple(known[c][0] for c in codes),
                tuple(known[c][1] for c in codes), list_id="nbs_fd")


def china_axis() -> Axis:
    """The single-region axis of national tables: ``CN``."""
    return Axis("region", ("CN",), ("China",), ("中国",), list_id="cn")


@dataclass(frozen=True)
class _Csv:
    """The parsed file: header, rows, and where things are for messages."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def col(self, name: str) -> int:
        key = normalise_key(name)
        for j, h in enumerate(self.header):
            if normalise_key(h) == key:
                return j
        raise LayoutError(f"no column {name!r}", where=f"file {self.file}, line 1",
                          hint="header: " + ", ".join(self.header[:12]) + " …")

    def has(self, name: str) -> bool:
        key = normalise_key(name)
        return any(normalise_key(h) == key for h in self.header)

    def where(self, i: int, j: int) -> str:
        name = self.header[j] if j < len(self.header) else f"#{j + 1}"
        return f"file {self.file}, line {i + 2}, column {name}"

    def value(self, i: int, j: int) -> float:
        text = self.rows[i][j].strip() if j < len(self.rows[i]) else ""
        if text == "":
            return 0.0
        try:
            v = float(text.replace(",", ""))
        except ValueError:
            raise DataError(f"text {text[:40]!r} where a number is required", where=self.where(i, j),
                            hint="fix or clear the cell") from None
        if not math.isfinite(v):
            raise DataError(f"non-finite value {text!r}", where=self.where(i, j))
        return v

    def block(self, rows: list[int], cols: list[int]) -> Arr:
        return np.array([[self.value(i, j) for j in cols] for i in rows], dtype=np.float64)

    def vector(self, rows: list[int], col: str) -> Arr:
        out: Arr = self.block(rows, [self.col(col)])[:, 0]
        return out

    def row_vector(self, row: int, cols: list[int]) -> Arr:
        out: Arr = self.block([row], cols)[0]
        return out


def _read_csv(path: Path) -> _Csv:
    if not path.exists():
        raise LayoutError("file not found", where=f"file {path}", hint="check the path")
    if path.is_dir():
        raise LayoutError("a folder, not a CSV file", where=f"file {path}", hint="give the table's .csv file")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise LayoutError(f"not a readable UTF-8 CSV file: {exc}", where=f"file {path.name}") from exc
    if not lines:
        raise LayoutError("empty file", where=f"file {path.name}")
    return _Csv(path.name, tuple(lines[0]), tuple(tuple(r) for r in lines[1:]))


def _year(path: Path, year: int | None) -> int:
    found = sorted(set(years_in(path.stem)))
    if year is not None:
        if found and year not in found:
            raise DataError(f"year={year} was asked but the file name says {'/'.join(map(str, found))}",
                            where=f"file {path.name}")
        return year
    if len(found) != 1:
        raise LayoutError("cannot tell the year from the file name", where=f"file {path.name}",
                          hint="rename the file so that its name carries the year, like china_2017_42.csv")
    return found[0]


def _find_rows(c: _Csv, codes: tuple[str, ...], *, origin: str | None) -> list[int]:
    code_j = c.col("Code")
    origin_j = c.col("Origin") if origin is not None else None
    out = []
    for code in codes:
        hits = [i for i, r in enumerate(c.rows)
                if len(r) > code_j and r[code_j].strip() == code
                and (origin_j is None or (len(r) > origin_j
                                          and normalise_key(r[origin_j]) == normalise_key(origin)))]
        if len(hits) != 1:
            what = f"{origin} row {code}" if origin else f"row {code}"
            raise LayoutError(f"{'no' if not hits else 'more than one'} {what}", where=f"file {c.file}",
                              hint="expected rows 01-42, TII, VA001-VA004, TVA, TI")
        out.append(hits[0])
    return out


def _check(c: _Csv, name: str, recorded: Arr, parts: Arr, *, rows: list[int] | None, col: str | None,
           row: int | None, cols: list[int] | None, scale: Arr, rtol: float = _RTOL) -> None:
    """``recorded ≈ parts`` elementwise, or a :class:`BalanceError` naming the first cell."""
    gap = recorded - parts
    bad = np.flatnonzero(np.abs(gap) > rtol * np.maximum(np.maximum(np.abs(recorded), scale), 1.0))
    if bad.size:
        k = int(bad[0])
        if rows is not None and col is not None:
            where = c.where(rows[k], c.col(col))
            sec = _SECTOR_CODES[k]
        else:
            assert row is not None and cols is not None
            where = c.where(row, cols[k])
            sec = c.header[cols[k]]
        raise BalanceError(f"{name} fails at CN/{sec}: {recorded[k]:.9g} vs {parts[k]:.9g} "
                           f"(gap {gap[k]:.3g} 万元)", where=where)


def read_nbs_io(path: str | Path, *, year: int | None = None) -> IOTable:
    """Read an NBS national 42-sector IO table (CSV, 万元) into a single-region IOTable.

    ``year`` defaults to the year in the file name (``china_2017_42.csv``) and must agree
    with it. Shapes: ``Z`` 42 × 42, ``Y`` 42 × 7 (2015: FU101, FU102, FU103, FU201, FU202,
    Other, IMP) or 42 × 3 (2017-2020: TC, FU201, FU202), ``V`` 4 × 42. See the module
    docstring for the two import treatments and the identities checked.
    """
    p = Path(path)
    table_year = _year(p, year)
    c = _read_csv(p)
    noncompetitive = c.has("Origin")
    origin_dom = "Domestic" if noncompetitive else None
    secs = _find_rows(c, _SECTOR_CODES, origin=origin_dom)
    tot = "TOT" if noncompetitive else None
    tii_r, *va_r, tva_r, ti_r = _find_rows(
        c, ("TII", *(v.code for v in VA_ROWS), "TVA", "TI"), origin=tot)
    zcols = [c.col(s) for s in _SECTOR_CODES]
    desc_j = c.col("Description")
    list_id, how = detect_sector_list([c.rows[i][desc_j] for i in secs],
                                      default="io42_2017" if noncompetitive else "io42_2012")

    Z = c.block(secs, zcols)
    x = c.vector(secs, "GO")
    EX = c.vector(secs, "EX")
    V = c.block(va_r, zcols)
    tii_rec = c.row_vector(tii_r, zcols)
    tva_rec = c.row_vector(tva_r, zcols)
    ti_rec = c.row_vector(ti_r, zcols)
    scale = np.abs(x)
    if (x < 0).any():
        k = int(np.flatnonzero(x < 0)[0])
        raise DataError(f"negative gross output at CN/{_SECTOR_CODES[k]} ({x[k]:.6g} 万元)",
                        where=c.where(secs[k], c.col("GO")))
    notes = [f"sector list {list_id}: {how}"]
    extras: dict[str, Arr] = {}

    _check(c, "TIU = Σ intermediate use", c.vector(secs, "TIU"), Z.sum(axis=1), rows=secs, col="TIU",
           row=None, cols=None, scale=scale)
    _check(c, "TVA = Σ value added", tva_rec, V.sum(axis=0), rows=None, col=None, row=tva_r,
           cols=zcols, scale=scale)
    _check(c, "TI = TII + TVA", ti_rec, tii_rec + tva_rec, rows=None, col=None, row=ti_r, cols=zcols,
           scale=scale)
    _check(c, "GO = TI", ti_rec, x, rows=None, col=None, row=ti_r, cols=zcols, scale=scale)

    if not noncompetitive:
        fd = {k: c.vector(secs, k) for k in ("FU101", "FU102", "FU103", "FU201", "FU202")}
        IMc, ERR = c.vector(secs, "IM"), c.vector(secs, "ERR")
        for name, parts_of in (("THC", ("FU101", "FU102")), ("TC", ("FU101", "FU102", "FU103")),
                               ("GCF", ("FU201", "FU202"))):
            if c.has(name):
                _check(c, f"{name} = " + " + ".join(parts_of), c.vector(secs, name),
                       sum((fd[k] for k in parts_of), np.zeros(42)), rows=secs, col=name, row=None,
                       cols=None, scale=scale)
        tfu = sum(fd.values(), np.zeros(42)) + EX
        if c.has("TFU"):
            _check(c, "TFU = consumption + capital formation + exports", c.vector(secs, "TFU"), tfu,
                   rows=secs, col="TFU", row=None, cols=None, scale=scale)
        _check(c, "row balance GO = TIU + TFU − IM + ERR", x, Z.sum(axis=1) + tfu - IMc + ERR,
               rows=secs, col="GO", row=None, cols=None, scale=scale, rtol=_ROW_RTOL)
        _check(c, "TII = Σ intermediate input", tii_rec, Z.sum(axis=0), rows=None, col=None,
               row=tii_r, cols=zcols, scale=scale)
        cats: tuple[str, ...] = ("FU101", "FU102", "FU103", "FU201", "FU202", "Other", "IMP")
        Y = np.column_stack([*(fd[k] for k in cats[:5]), ERR, -IMc])
        IM = np.zeros(42)
        treatment = "competitive"
        notes.append("competitive imports: IM enters final demand as the negative category IMP; "
                     "Z holds domestic and imported inputs; the IM row is zero")
        notes.append("ERR kept as final-demand category 'Other'")
    else:
        imps = _find_rows(c, _SECTOR_CODES, origin="Imports")
        fd = {k: c.vector(secs, k) for k in ("TC", "FU201", "FU202")}
        tfu = sum(fd.values(), np.zeros(42)) + EX
        if c.has("TFU"):
            _check(c, "TFU = TC + FU201 + FU202 + EX", c.vector(secs, "TFU"), tfu, rows=secs,
                   col="TFU", row=None, cols=None, scale=scale)
        _check(c, "row balance GO = TIU + TFU", x, Z.sum(axis=1) + tfu, rows=secs, col="GO",
               row=None, cols=None, scale=scale, rtol=_ROW_RTOL)
        Zm = c.block(imps, zcols)
        Ym = np.column_stack([c.vector(imps, k) for k in ("TC", "FU201", "FU202")])
        EXm = c.vector(imps, "EX")
        Mtot = c.vector(imps, "GO")
        _check(c, "import rows: total imports = TIU + TFU", Mtot,
               Zm.sum(axis=1) + Ym.sum(axis=1) + EXm, rows=imps, col="GO", row=None, cols=None,
               scale=np.maximum(np.abs(Mtot), 1.0))
        _check(c, "TII = Σ domestic + imported intermediate input", tii_rec,
               Z.sum(axis=0) + Zm.sum(axis=0), rows=None, col=None, row=tii_r, cols=zcols, scale=scale)
        cats = ("TC", "FU201", "FU202")
        Y = np.column_stack([fd[k] for k in cats])
        IM = Zm.sum(axis=0)
        treatment = "noncompetitive_block"
        extras = {"Z_imports": Zm, "Y_imports": Ym, "EX_imports": EXm, "M_total": Mtot}
        notes.append("non-competitive imports: Z is the domestic block; IM = column sums of the "
                     "imported intermediate block; the import block is in extras Z_imports, "
                     "Y_imports, EX_imports, M_total")
        notes.append("final consumption TC is not split into households and government")

    prov = Provenance(source="NBS", product="national IO table", vintage=f"{table_year} (42 sectors)",
                      file_name=p.name, sha256=sha256_file(p), sheet="",
                      importer_version=f"viscarbon {__version__}", notes="; ".join(notes),
                      citation=t("common.citation.nbs_io", "en"))
    return IOTable(
        year=table_year, regions=china_axis(), sectors=Axis.sectors(list_id), Z=Z, Y=Y,
        fd_categories=_fd_axis(cats), EX=EX, IM=IM, V=V, va_rows=va_axis(), x=x, unit="10k_yuan",
        provenance=(prov,), imports_treatment=treatment, extras=extras, row_rtol=_ROW_RTOL,
        col_rtol=_COL_RTOL, notes=tuple(notes))
