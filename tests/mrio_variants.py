"""Layout variants of the two CEADs MRIO families, written by code, independently of the
package's writer (:mod:`viscarbon.io.writers.ceads_mrio`).

A :class:`Variant` says how a table is laid out: title rows; the column regions in one
or two header rows in English, Chinese, pinyin or both in one cell, repeated in every
column, written once per region span, or in real merged cells (xlsxwriter
``merge_range``); the row regions in one or two columns, on every row, only on the first
row of each block, or merged down the block; sector codes as text ``01``, text ``1`` or
numbers; numbers stored as text; a CO2 row after a blank row, right under TI, or none;
the total columns and rows (TIU, TFU, TII, TVA, TI) present or absent, the GO and ERR
columns present or absent; values rounded to 0.01 万元 (totals then rounded from the
unrounded sums, so the balances close only within the rounding allowance); the sheet
name; the Province and Sector sheets of the 2018-2020 tables present or absent.

:func:`write_variant` writes one and returns a :class:`Written`: the path, the arrays as
written (what a reader must give back, numbers parsed from the text the workbook holds)
and the expected block positions (what ``viscarbon doctor`` must report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from viscarbon.classification import FD_CATEGORIES, region, sectors
from viscarbon.io.files import cell_ref
from viscarbon.model import IOTable

__all__ = ["BROKEN", "VARIANTS", "Variant", "Written", "write_variant", "written_value"]

FD = ("FU101", "FU102", "FU103", "FU201", "FU202")
_FD_LABELS = {c.code: c.name_en for c in FD_CATEGORIES}
_PINYIN = {"NM": "Neimenggu", "XZ": "Xizang", "SN": "Shaanxi"}


@dataclass(frozen=True)
class Variant:
    """One layout variant (see the module docstring); ``regions`` and ``year`` pick the
    table, ``full`` marks the full-size 31-region variants."""

    name: str
    family: str  # "2012-2017" | "2018-2020"
    sheet: str  # with {year}
    year: int
    title: int = 0  # title rows above the header (2: a title and a blank row)
    col_regions: tuple[str, ...] = ("en", "zh")  # header rows of region names: en | zh | pinyin | both
    col_repeat: str = "every"  # every | once | merged
    row_regions: tuple[str, ...] = ("en",)  # row-side region columns
    row_repeat: str = "every"  # every | first | merged
    label_row: bool = True
    codes: str = "text"  # text ("01") | text1 ("1") | number (1)
    numbers_as_text: bool = False
    co2: str = "blank"  # blank | adjacent | none
    totals: bool = True  # TIU, TFU, TII, TVA, TI
    go: bool = True
    err: bool = True
    rounded: bool = False
    aux: bool = True  # Province / Sector sheets (2018-2020 family only)
    regions: tuple[str, ...] = ("BJ", "TJ", "NM")
    full: bool = False
    file_name: str = ""
    broken: str = ""  # "span": the second region's column name left out; "balance": a Z cell + 50

    @property
    def list_id(self) -> str:
        return "io42_2012" if self.family == "2012-2017" else "io42_2017"

    @property
    def sheet_name(self) -> str:
        return self.sheet.format(year=self.year)

    def features(self) -> str:
        """A one-line description (for the closing note and test ids)."""
        parts = [f"sheet {self.sheet_name!r}", f"title {self.title}",
                 "col regions " + "+".join(self.col_regions) + f" {self.col_repeat}",
                 "row regions " + "+".join(self.row_regions) + f" {self.row_repeat}",
                 f"codes {self.codes}"]
        if not self.label_row:
            parts.append("no label row")
        if self.numbers_as_text:
            parts.append("numbers as text")
        parts.append(f"CO2 {self.co2}")
        if not self.totals:
            parts.append("no TIU/TFU/TII/TVA/TI")
        if not self.go:
            parts.append("no GO (TI gives output)")
        if not self.err:
            parts.append("no ERR")
        if self.rounded:
            parts.append("rounded to 0.01")
        if self.family == "2018-2020" and not self.aux:
            parts.append("no Province/Sector sheets")
        return ", ".join(parts)


def _name(code: str, lang: str) -> str:
    r = region(code)
    if lang == "en":
        return r.name_en
    if lang == "zh":
        return r.name_zh_hans
    if lang == "pinyin":
        return _PINYIN.get(code, r.name_en)
    if lang == "both":
        return f"{r.name_zh_hans} {r.name_en}"
    if lang == "zhfull":
        return r.name_zh_hans + ("市" if code in ("BJ", "TJ", "SH", "CQ") else "")
    raise ValueError(lang)


def written_value(v: float) -> float:
    """The number a workbook cell holds after xlsxwriter wrote ``v`` (16 significant digits)."""
    return float(f"{v:.16G}")


_written = np.vectorize(written_value, otypes=[np.float64])


@dataclass
class Written:
    """A variant workbook: ``path``, the ``arrays`` as written (Z, FD n × 5R by destination
    region and category, EX, ERR, x, IM, V, co2) and the expected ``blocks`` (block → cells)."""

    variant: Variant
    path: Path
    arrays: dict[str, np.ndarray]
    blocks: dict[str, str]
    merged: int = 0
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)


def _arrays(table: IOTable, v: Variant) -> dict[str, np.ndarray]:
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    n = table.n
    Y3 = table.Y.reshape(n, R, K)
    a = {"Z": table.Z.copy(), "FD": Y3[:, :, :5].reshape(n, R * 5).copy(), "EX": table.EX.copy(),
         "ERR": Y3[:, :, K - 1].sum(axis=1), "IM": table.IM.copy(), "V": table.V.copy(),
         "IM_FD": np.asarray(table.extras["IM_Y"]).reshape(R, K)[:, :5].reshape(-1).copy(),
         "co2": np.asarray(table.extras.get("co2_row", np.zeros(n)), dtype=np.float64).copy()}
    if not v.err:  # without an ERR column the statistical error goes into inventory changes
        a["FD"][np.arange(n), (np.arange(n) // S) * 5 + 4] += a["ERR"]
        a["ERR"] = np.zeros(n)
    exact = {k: x.copy() for k, x in a.items()}
    x = exact["Z"].sum(1) + exact["FD"].sum(1) + exact["EX"] + exact["ERR"]
    if v.rounded:
        a = {k: np.round(x_, 2) for k, x_ in a.items()}
    a["x"] = np.round(x, 2) if v.rounded else x
    # totals as a file holds them: of the unrounded values, then rounded
    tot = {"TIU": exact["Z"].sum(1), "TFU": exact["FD"].sum(1) + exact["EX"],
           "TII": exact["Z"].sum(0), "TVA": exact["V"].sum(0),
           "TI": exact["Z"].sum(0) + exact["IM"] + exact["V"].sum(0)}
    for k, t in tot.items():
        a[k] = np.round(t, 2) if v.rounded else t
    if not v.go:  # the TI row gives the output: make it the output
        a["TI"] = a["x"].copy()
    return a


def _num(v: float, as_text: bool) -> Any:
    return repr(float(v)) if as_text else float(v)


def write_variant(table: IOTable, v: Variant, folder: Path) -> Written:
    """Write ``table`` in variant ``v`` to ``folder`` (see the module docstring)."""
    import xlsxwriter

    R, S = table.n_regions, table.n_sectors
    n = R * S
    regs = table.regions.codes
    secs = sectors(v.list_id)
    a = _arrays(table, v)
    if v.broken == "balance":
        a["Z"][S + 7, 0] += 50.0  # the second region's sector 08, first column
    nr = len(v.row_regions)
    label_col, code_col, z0 = nr, nr + 1, nr + 2
    tiu = z0 + n if v.totals else None
    fd0 = z0 + n + (1 if v.totals else 0)
    ex = fd0 + 5 * R
    c = ex + 1
    tfu = c if v.totals else None
    c += 1 if v.totals else 0
    errc = c if v.err else None
    c += 1 if v.err else 0
    goc = c if v.go else None
    head_rows = len(v.col_regions) + (1 if v.label_row else 0) + 1
    first = v.title + head_rows
    code_row = first - 1

    def code(s: int) -> Any:
        return {"text": f"{s + 1:02d}", "text1": str(s + 1), "number": float(s + 1)}[v.codes]

    path = folder / (v.file_name or f"mrio_{v.name}_{v.year}.xlsx")
    vertical = v.row_repeat == "merged"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": not vertical, "strings_to_numbers": False,
                                         "strings_to_formulas": False})
    ws = wb.add_worksheet(v.sheet_name)
    merged = 0
    T = v.numbers_as_text

    def put(r: int, col: int, val: Any) -> None:
        if val is None or (isinstance(val, str) and val == ""):
            return
        if isinstance(val, str):
            ws.write_string(r, col, val)
        else:
            ws.write_number(r, col, float(val))

    # title rows
    if v.title:
        put(0, 0, f"Chinese provincial multi-regional input-output table {v.year} (unit: 10,000 yuan)")
    r = v.title
    # region header rows
    for lang in v.col_regions:
        spans = [(z0 + k * S, S, regs[k]) for k in range(R)] + [(fd0 + k * 5, 5, regs[k]) for k in range(R)]
        for k_span, (c0, w, code_) in enumerate(spans):
            if v.broken == "span" and k_span == 1:
                continue
            name = _name(code_, lang)
            if v.col_repeat == "every":
                for j in range(w):
                    put(r, c0 + j, name)
            elif v.col_repeat == "once":
                put(r, c0, name)
            else:
                ws.merge_range(r, c0, r, c0 + w - 1, name)
                merged += 1
        r += 1
    if v.label_row:
        row: dict[int, Any] = {label_col: "Item"}
        for j in range(n):
            row[z0 + j] = secs[j % S].name_en
        if tiu is not None:
            row[tiu] = "Total intermediate use"
        for f in range(5 * R):
            row[fd0 + f] = _FD_LABELS[FD[f % 5]]
        row[ex] = "Exports"
        if tfu is not None:
            row[tfu] = "Total final use"
        if errc is not None:
            row[errc] = "Other"
        if goc is not None:
            row[goc] = "Gross output"
        for col, val in row.items():
            put(r, col, val)
        r += 1
    # code row
    row = {label_col: "Sector", code_col: "Code"}
    for j in range(n):
        row[z0 + j] = code(j % S)
    if tiu is not None:
        row[tiu] = "TIU"
    for f in range(5 * R):
        row[fd0 + f] = FD[f % 5]
    row[ex] = "EX"
    if tfu is not None:
        row[tfu] = "TFU"
    if errc is not None:
        row[errc] = "ERR"
    if goc is not None:
        row[goc] = "GO"
    for col, val in row.items():
        put(r, col, val)
    assert r == code_row
    # data rows
    Zl, FDl = a["Z"].tolist(), a["FD"].tolist()
    for i in range(n):
        rr = first + i
        blk, s = divmod(i, S)
        for k, lang in enumerate(v.row_regions):
            if s == 0 and vertical:
                ws.merge_range(rr, k, rr + S - 1, k, _name(regs[blk], lang))
                merged += 1
            elif s == 0 or v.row_repeat == "every":
                put(rr, k, _name(regs[blk], lang))
        put(rr, label_col, secs[s].name_en)
        put(rr, code_col, code(s))
        zi = Zl[i]
        if T:
            for j, val in enumerate(zi):
                ws.write_string(rr, z0 + j, repr(val))
            for f, val in enumerate(FDl[i]):
                ws.write_string(rr, fd0 + f, repr(val))
        else:
            wn = ws.write_number
            for j, val in enumerate(zi):
                wn(rr, z0 + j, val)
            for f, val in enumerate(FDl[i]):
                wn(rr, fd0 + f, val)
        if tiu is not None:
            put(rr, tiu, _num(a["TIU"][i], T))
        put(rr, ex, _num(a["EX"][i], T))
        if tfu is not None:
            put(rr, tfu, _num(a["TFU"][i], T))
        if errc is not None:
            put(rr, errc, _num(a["ERR"][i], T))
        if goc is not None:
            put(rr, goc, _num(a["x"][i], T))
    # rows below
    rr = first + n
    rows_at: dict[str, int] = {}

    def line(label: str, code_: str, values: Sequence[float], c0: int = z0) -> None:
        nonlocal rr
        put(rr, label_col, label)
        put(rr, code_col, code_)
        for j, val in enumerate(values):
            put(rr, c0 + j, _num(val, T))
        rows_at[code_] = rr
        rr += 1

    line("Imports", "IM", a["IM"].tolist())
    if tiu is not None:
        put(rows_at["IM"], tiu, _num(float(a["IM"].sum()), T))
    for f, val in enumerate(a["IM_FD"].tolist()):
        put(rows_at["IM"], fd0 + f, _num(val, T))
    if v.totals:
        line("Total intermediate input", "TII", a["TII"].tolist())
    for k, code_ in enumerate(("VA001", "VA002", "VA003", "VA004")):
        line(("Compensation of employees", "Net taxes on production", "Depreciation of fixed assets",
              "Operating surplus")[k], code_, a["V"][k].tolist())
    if v.totals:
        line("Total value added", "TVA", a["TVA"].tolist())
    if v.totals or not v.go:
        line("Total input", "TI", a["TI"].tolist())
    if v.co2 != "none":
        if v.co2 == "blank":
            rr += 1
        line("CO2 emissions (Mt)", "CO2", a["co2"].tolist())
    # aux sheets
    if v.family == "2018-2020" and v.aux:
        ws2 = wb.add_worksheet("Province")
        ws2.write_row(0, 0, ["No.", "Province"])
        for k, code_ in enumerate(regs):
            ws2.write_row(k + 1, 0, [k + 1, region(code_).name_en])
        ws3 = wb.add_worksheet("Sector")
        ws3.write_row(0, 0, ["No.", "Sector"])
        for k, s_ in enumerate(secs):
            ws3.write_row(k + 1, 0, [s_.code, s_.name_en])
    wb.close()

    # what the file holds (numbers as written) and where the blocks are
    conv = (lambda x: np.asarray(x, dtype=np.float64)) if T else _written
    arrays = {k: conv(val) for k, val in a.items()}
    last = first + n - 1
    blocks = {
        "Z": f"{cell_ref(first, z0)}:{cell_ref(last, z0 + n - 1)}",
        "FD": f"{cell_ref(first, fd0)}:{cell_ref(last, fd0 + 5 * R - 1)}",
        "EX": f"{cell_ref(first, ex)}:{cell_ref(last, ex)}",
        "IM": f"{cell_ref(rows_at['IM'], z0)}:{cell_ref(rows_at['IM'], fd0 + 5 * R - 1)}",
        "VA": f"{cell_ref(rows_at['VA001'], z0)}:{cell_ref(rows_at['VA004'], z0 + n - 1)}",
    }
    blocks["GO"] = (f"{cell_ref(first, goc)}:{cell_ref(last, goc)}" if goc is not None
                    else f"{cell_ref(rows_at['TI'], z0)}:{cell_ref(rows_at['TI'], z0 + n - 1)}")
    if "CO2" in rows_at:
        blocks["CO2"] = f"{cell_ref(rows_at['CO2'], z0)}:{cell_ref(rows_at['CO2'], z0 + n - 1)}"
    if tiu is not None:
        blocks["TIU"] = f"{cell_ref(first, tiu)}:{cell_ref(last, tiu)}"
    cells = {"first": (first, z0), "code_row": (code_row, z0), "go": (first, goc if goc is not None else -1),
             **{k: (row_, z0) for k, row_ in rows_at.items()}}
    return Written(variant=v, path=path, arrays=arrays, blocks=blocks, merged=merged, cells=cells)


# --------------------------------------------------------------------------- the matrix
_A = Variant(name="a-documented", family="2012-2017", sheet="Table_{year}", year=2012)
_B = Variant(name="b-documented", family="2018-2020", sheet="Table_{year}_English Version", year=2018,
             title=2, col_regions=("en",), regions=("BJ", "NM", "GD", "XJ"))

VARIANTS: tuple[Variant, ...] = (
    # 2012-2017 family (Zheng et al. 2021)
    _A,
    replace(_A, name="a-issue", title=1, col_regions=("zh",), col_repeat="merged", row_repeat="first"),
    replace(_A, name="a-title2-once-numcodes", sheet="{year}", title=2, col_repeat="once",
            row_regions=("zh",), row_repeat="first", codes="number"),
    replace(_A, name="a-pinyin-text1", sheet="{year}年", col_regions=("pinyin",), row_regions=("pinyin",),
            codes="text1", year=2015),
    replace(_A, name="a-both-merged-text", col_regions=("both",), col_repeat="merged",
            row_regions=("both",), row_repeat="first", numbers_as_text=True),
    replace(_A, name="a-no-totals", sheet="{year}", year=2015, totals=False, co2="adjacent"),
    replace(_A, name="a-no-go-no-err", go=False, err=False, co2="none", col_repeat="once"),
    replace(_A, name="a-rounded-merged-rows", sheet="Table_{year}", year=2015, rounded=True,
            col_regions=("en",), col_repeat="merged", row_repeat="merged"),
    replace(_A, name="a-two-row-cols", row_regions=("en", "zh"), col_regions=("zh",), col_repeat="once",
            codes="number", numbers_as_text=True, year=2017, sheet="Table_{year}_consistent"),
    replace(_A, name="a-no-labels-zh-first", label_row=False, col_regions=("zh", "en"), title=1,
            co2="adjacent"),
    replace(_A, name="a-rounded-text-no-totals", sheet="{year}年", year=2017, rounded=True,
            numbers_as_text=True, totals=False, codes="text1", col_repeat="once", row_repeat="first"),
    replace(_A, name="a-everything", title=2, col_regions=("both",), col_repeat="merged",
            row_regions=("zh",), row_repeat="merged", codes="number", rounded=True,
            sheet="Table_{year}_consistent", year=2017),
    # 2018-2020 family (Li et al. 2026)
    _B,
    replace(_B, name="b-issue", title=1, col_regions=("zh",), col_repeat="merged", row_repeat="first"),
    replace(_B, name="b-yearsheet-aux", sheet="{year}", col_repeat="once", codes="number"),
    replace(_B, name="b-noaux-pinyin", sheet="{year}年", year=2020, aux=False, col_regions=("pinyin",),
            row_regions=("pinyin",), row_repeat="first"),
    replace(_B, name="b-both-text", col_regions=("both",), col_repeat="merged", numbers_as_text=True),
    replace(_B, name="b-no-totals", totals=False, co2="adjacent", year=2020),
    replace(_B, name="b-no-go-no-err", go=False, err=False, co2="none"),
    replace(_B, name="b-rounded", rounded=True, year=2020, sheet="Table_{year}"),
    replace(_B, name="b-two-rows-two-cols", col_regions=("en", "zh"), row_regions=("en", "zh"),
            col_repeat="once"),
    replace(_B, name="b-no-title-no-labels", title=0, label_row=False, codes="text1"),
    replace(_B, name="b-rounded-text-text1", rounded=True, numbers_as_text=True, codes="text1",
            col_repeat="once", row_repeat="first", sheet="{year}", aux=True),
    replace(_B, name="b-merged-everywhere", col_repeat="merged", row_repeat="merged", col_regions=("zh",),
            row_regions=("zh",), sheet="Table_{year}", year=2020, aux=False),
    # full size (31 regions × 42 sectors)
    replace(_A, name="a-full-issue", title=1, col_regions=("zh",), col_repeat="merged", row_repeat="first",
            full=True, year=2017, sheet="Table_{year}_consistent"),
    replace(_B, name="b-full-text-rounded", sheet="{year}", year=2020, col_regions=("both",),
            col_repeat="once", row_repeat="first", numbers_as_text=True, rounded=True, codes="number",
            full=True),
)

#: Two deliberately broken variants: (variant, how it is broken, the expected error).
BROKEN: tuple[tuple[Variant, str, str], ...] = (
    (replace(_A, name="a-broken-span", col_regions=("zh",), col_repeat="once", title=1, broken="span"),
     "region name of the second span left out",
     r"column AT belongs to BJ but the rows put TJ there \(Z must be square, same region order\) "
     r"\(file mrio_a-broken-span_2012\.xlsx, sheet Table_2012, cell AT2\)"),
    (replace(_B, name="b-broken-balance", rounded=True, broken="balance"),
     "one Z cell raised by 50 万元 (beyond the rounding allowance)",
     r"row balance fails at NM/08 \(gap -50 万元: .*\); 1 row\(s\) fail, the worst here "
     r"\(file mrio_b-broken-balance_2018\.xlsx, sheet Table_2018_English Version, cell .*\)"),
)
