"""``viscarbon doctor``: inspect files without importing them.

:func:`inspect_file` tells which reader and layout a file matches and runs that reader's
every step (nothing is written anywhere): where each block was found, the balance and
identity checks with their worst cell, or, for a file that does not match, the nearest
layout and the first cell that differs (the reader's error, with its cell). Covered:

* CEADs MRIO workbooks (both families; :func:`~.ceads_mrio.reader.inspect_ceads_mrio`):
  the header rows (title, blank, region names with their script and repetition, labels,
  codes), the row headers, codes, numbers stored as text, merged ranges, the blocks Z,
  final demand (by region and category), EX, TIU, TFU, ERR, GO (or TI), IM, TII, VA,
  TVA, TI, CO2, compared with the documented header rows, and the balance checks;
* CEADs sectoral inventories (provincial releases 2018, 2021, 2022 and the national
  workbook) and the apparent-emissions workbook: sheets, header and total rows, the data
  block, the identities;
* NBS national tables (CSV) and pymrio folders: reader and layout;
* CEADs city MRIO ``.mat`` files (MATLAB v5 and v7.3;
  :func:`~.ceads_city.reader.inspect_ceads_city`): the MAT version, the variable each
  block came from with its shape, the cities matched to the concordance, the worst row
  and column balance gaps.

The report (:class:`FileReport`) is a frozen object; its texts are catalog messages
(:class:`Message`, namespace ``doctor``) rendered in English or Chinese by
:meth:`FileReport.lines` and :meth:`FileReport.as_dict`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from viscarbon.classification import normalise_key
from viscarbon.errors import LayoutError, ViscarbonError
from viscarbon.i18n import has_key, t
from viscarbon.io.files import cell_ref, col_letter, open_workbook
from viscarbon.io.readers.ceads_city import inspect_ceads_city
from viscarbon.io.readers.ceads_inventory.apparent import (
    inspect_apparent_workbook,
    is_apparent_workbook,
    year_sheets,
)
from viscarbon.io.readers.ceads_inventory.reader import inspect_inventory_workbook, province_sheets
from viscarbon.io.readers.ceads_mrio.layouts import FD_CODES, LAYOUTS, match_table_sheet
from viscarbon.io.readers.ceads_mrio.reader import inspect_ceads_mrio, looks_like_table
from viscarbon.io.readers.nbs import read_nbs_io
from viscarbon.io.readers.pymrio import read_pymrio_folder

__all__ = ["Block", "Check", "FileReport", "Message", "inspect_file", "inspect_files"]

_UNIT_10K: Final = "10k_yuan"


@dataclass(frozen=True)
class Message:
    """A catalog message (``doctor.<key>``) with its parameters; :meth:`text` renders it.
    Parameters that are themselves messages are rendered first."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        params = {k: _render(v, lang) for k, v in self.params.items()}
        key = f"doctor.{self.key}"
        if not has_key(key):
            return self.key + (" " + ", ".join(f"{k}={v}" for k, v in params.items()) if params else "")
        return t(key, lang, **params)

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"key": self.key, "params": {k: _render(v, lang) for k, v in self.params.items()},
                "text": self.text(lang)}


def _render(v: Any, lang: str) -> Any:
    """A message parameter as text: a message rendered, a tuple of messages joined."""
    if isinstance(v, Message):
        return v.text(lang)
    if isinstance(v, tuple) and v and all(isinstance(x, Message) for x in v):
        return ", ".join(x.text(lang) for x in v)
    return v


def _m(key: str, **params: Any) -> Message:
    return Message(key, params)


def _tok(group: str, token: str) -> Message:
    """A token (``every``, ``zh``, ``sheet name`` …) as a message of ``group``; free text
    without a catalog entry (a reader's own explanation) is kept as it is."""
    key = f"{group}.{re.sub(r'[^0-9a-z+]+', '_', token.lower()).strip('_')}"
    return Message(key) if has_key(f"doctor.{key}") else Message("raw", {"text": token})


@dataclass(frozen=True)
class Block:
    """Where a block was found: ``name`` (Z, FD, EX …), ``sheet``, ``cells`` (A1 range)."""

    name: str
    sheet: str
    cells: str
    detail: Message | None = None

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"block": self.name, "label": Message(f"block.{self.name}").text(lang), "sheet": self.sheet,
                "cells": self.cells, "detail": self.detail.text(lang) if self.detail else None}


@dataclass(frozen=True)
class Check:
    """One balance or identity check: the worst line's gap, tolerance and cell.

    ``relative``: gap and tolerance are relative (inventories); else in ``unit``."""

    name: str
    ok: bool
    checked: int
    failing: int
    gap: float
    tolerance: float
    cell: str
    label: str = ""
    unit: str = _UNIT_10K
    relative: bool = False

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"check": self.name, "label": Message(f"check.{self.name}").text(lang), "ok": self.ok,
                "checked": self.checked, "failing": self.failing, "worst_gap": self.gap,
                "tolerance": self.tolerance, "cell": self.cell, "worst": self.label,
                "unit": "relative" if self.relative else self.unit}


@dataclass(frozen=True)
class FileReport:
    """What :func:`inspect_file` found in one file.

    ``reader`` is the import kind that reads it (``ceads-mrio``, ``ceads-inventory``,
    ``ceads-apparent``, ``nbs-io``, ``pymrio``) or None; ``layout`` the layout matched
    (None when the file does not match) and ``nearest`` the layout tried (or the nearest
    one) with ``how`` it was chosen; ``error`` the first failure (English, one line),
    ``error_sheet`` / ``error_cell`` where it is."""

    path: str
    file: str
    ok: bool
    reader: str | None
    layout: str | None
    nearest: str | None
    how: str
    vintage: str = ""
    sheet: str | None = None
    years: tuple[int, ...] = ()
    features: tuple[Message, ...] = ()
    blocks: tuple[Block, ...] = ()
    checks: tuple[Check, ...] = ()
    tolerance: Message | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None
    error_sheet: str | None = None
    error_cell: str | None = None

    def block(self, name: str) -> Block | None:
        return next((b for b in self.blocks if b.name == name), None)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """A JSON-ready dict (texts in ``lang``, codes and positions as they are)."""
        return {
            "file": self.file, "path": self.path, "ok": self.ok, "reader": self.reader, "layout": self.layout,
            "nearest_layout": self.nearest, "how": self.how, "vintage": self.vintage, "sheet": self.sheet,
            "years": list(self.years), "features": [f.as_dict(lang) for f in self.features],
            "blocks": [b.as_dict(lang) for b in self.blocks], "checks": [c.as_dict(lang) for c in self.checks],
            "tolerance": self.tolerance.text(lang) if self.tolerance else None, "notes": list(self.notes),
            "error": self.error, "error_sheet": self.error_sheet, "error_cell": self.error_cell,
        }

    def lines(self, lang: str = "en") -> list[str]:
        """The report as text lines (what ``viscarbon doctor`` prints)."""
        out: list[str] = []
        years = ", ".join(map(str, self.years)) if len(self.years) < 4 else f"{self.years[0]}-{self.years[-1]}"
        if self.ok:
            out.append(_m("head_ok", file=self.file, reader=self.reader, layout=self.layout,
                          how=_tok("how", self.how)).text(lang))
        elif self.reader:
            out.append(_m("head_fail", file=self.file, reader=self.reader, nearest=self.nearest or "—",
                          how=_tok("how", self.how)).text(lang))
        else:
            out.append(_m("head_unknown", file=self.file).text(lang))
        if self.vintage or self.sheet or self.years:
            out.append("  " + _m("identity", vintage=self.vintage or "—", sheet=self.sheet or "—",
                                 years=years or "—").text(lang))
        if self.features:
            out.append("  " + _m("section.features").text(lang))
            out += ["    " + f.text(lang) for f in self.features]
        if self.blocks:
            out.append("  " + _m("section.blocks").text(lang))
            width = max(len(Message(f"block.{b.name}").text(lang)) for b in self.blocks)
            for b in self.blocks:
                label = Message(f"block.{b.name}").text(lang)
                sheet = f"{b.sheet}!" if b.sheet and b.sheet != self.sheet else ""
                detail = f"  ({b.detail.text(lang)})" if b.detail else ""
                out.append(f"    {label:<{width}}  {sheet}{b.cells}{detail}")
        if self.checks:
            out.append("  " + _m("section.checks").text(lang)
                       + (f" ({self.tolerance.text(lang)})" if self.tolerance else ""))
            for c in self.checks:
                unit = "" if c.relative else " 万元"
                status = _m("status_ok" if c.ok else "status_fail", n=c.failing).text(lang)
                out.append("    " + _m("check_line", check=Message(f"check.{c.name}"), status=status,
                                        checked=c.checked, gap=f"{c.gap:.3g}{unit}", cell=c.cell,
                                        label=c.label or "—", tol=f"{c.tolerance:.3g}{unit}").text(lang))
        if self.error:
            where = f"{self.error_sheet}!{self.error_cell}" if self.error_sheet and self.error_cell else (
                self.error_cell or self.error_sheet or "—")
            out.append("  " + _m("first_difference", where=where).text(lang))
            out.append("    " + self.error)
        return out


# --------------------------------------------------------------------------- helpers
_CELL_RE: Final = re.compile(r"cells? ([A-Z]{1,3}\d+)")
_SHEET_RE: Final = re.compile(r"sheet ([^,()]+?)(?:,|\)|$)")


def _error_parts(exc: ViscarbonError | None) -> tuple[str | None, str | None, str | None]:
    if exc is None:
        return None, None, None
    where = exc.where or ""
    cell = _CELL_RE.search(where)
    sheet = _SHEET_RE.search(where)
    return str(exc), sheet.group(1).strip() if sheet else None, cell.group(1) if cell else None


def _rng(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}"


# --------------------------------------------------------------------------- MRIO
def _mrio_report(path: Path) -> FileReport:
    ins = inspect_ceads_mrio(path)
    loc = ins.location
    features: list[Message] = []
    blocks: list[Block] = []
    if ins.sheet:
        features.append(_m("sheet", sheet=ins.sheet, how=_tok("how", ins.sheet_how or "sheet name")))
    if loc is not None:
        for h in loc.header:
            if h.what == "region":
                features.append(_m("row.region", row=h.row + 1, script=_tok("script", h.script or "mixed"),
                                   repeat=_tok("repeat", h.repeat or "every")))
            elif h.what == "code":
                features.append(_m("row.code", row=h.row + 1, cell=cell_ref(h.row, loc.z_col)))
            else:
                features.append(_m(f"row.{h.what}", row=h.row + 1))
        cols = ", ".join(col_letter(c) for c in loc.region_cols)
        features.append(_m("row_side", cols=cols,
                           scripts=tuple(_tok("script", sc or "mixed") for sc in loc.region_col_scripts),
                           mode=_tok("rowmode", loc.row_regions),
                           label=col_letter(loc.label_col) if loc.label_col is not None else "—",
                           code=col_letter(loc.code_col), first=loc.first_row + 1,
                           style=_tok("style", loc.code_style)))
        if loc.merged_ranges:
            features.append(_m("merged", n=loc.merged_ranges))
        if ins.numbers_as_text:
            features.append(_m("numbers_as_text"))
        if loc.co2_row is None:
            features.append(_m("co2_none"))
        else:
            features.append(_m("co2_blank" if loc.blank_before_co2 else "co2_adjacent", row=loc.co2_row + 1))
        present = [k for k, v in (("TIU", loc.tiu_col), ("TFU", loc.tfu_col), ("ERR", loc.err_col),
                                  ("GO", loc.go_col), ("TII", loc.tii_row), ("TVA", loc.tva_row),
                                  ("TI", loc.ti_row)) if v is not None]
        absent = [k for k in ("TIU", "TFU", "ERR", "GO", "TII", "TVA", "TI") if k not in present]
        features.append(_m("totals", present=", ".join(present) or "—", absent=", ".join(absent) or "—"))
        lay = ins.layout
        if lay is not None:
            doc = tuple(_m("what_row", row=r + 1, what=_tok("what", w)) for r, w in lay.documented_header())
            found = tuple(_m("what_row", row=h.row + 1, what=_tok("what", h.what)) for h in loc.header)
            features.append(_m("documented", layout=lay.id, rows=doc,
                               z=cell_ref(lay.header_rows, lay.code_col + 1)))
            features.append(_m("found", rows=found, z=cell_ref(loc.first_row, loc.z_col)))
        n, R, last = loc.n, len(loc.regions), loc.last_row
        z0, f0 = loc.z_col, loc.fd_col0
        s = loc.sheet
        blocks.append(Block("Z", s, _rng(loc.first_row, z0, last, z0 + n - 1),
                            _m("detail.z", regions=R, sectors=loc.sectors)))
        if loc.tiu_col is not None:
            blocks.append(Block("TIU", s, _rng(loc.first_row, loc.tiu_col, last, loc.tiu_col)))
        blocks.append(Block("FD", s, _rng(loc.first_row, f0, last, f0 + len(loc.fd_cols) - 1),
                            _m("detail.fd", regions=R, categories=", ".join(FD_CODES),
                               first=loc.regions[loc.fd_cols[0][0]])))
        for name, col in (("EX", loc.ex_col), ("TFU", loc.tfu_col), ("ERR", loc.err_col), ("GO", loc.go_col)):
            if col is not None:
                blocks.append(Block(name, s, _rng(loc.first_row, col, last, col)))
        if loc.go_col is None and loc.ti_row is not None:
            blocks.append(Block("GO", s, _rng(loc.ti_row, z0, loc.ti_row, z0 + n - 1), _m("detail.go_ti")))
        blocks.append(Block("IM", s, _rng(loc.im_row, z0, loc.im_row, f0 + len(loc.fd_cols) - 1)))
        if loc.tii_row is not None:
            blocks.append(Block("TII", s, _rng(loc.tii_row, z0, loc.tii_row, z0 + n - 1)))
        va = loc.va_rows
        contiguous = list(va) == list(range(va[0], va[0] + len(va)))
        blocks.append(Block("VA", s, _rng(va[0], z0, va[-1], z0 + n - 1) if contiguous else
                            "; ".join(_rng(r, z0, r, z0 + n - 1) for r in va)))
        for name, row in (("TVA", loc.tva_row), ("TI", loc.ti_row), ("CO2", loc.co2_row)):
            if row is not None:
                blocks.append(Block(name, s, _rng(row, z0, row, z0 + n - 1)))
    checks = tuple(Check(c.name, c.ok, c.checked, c.failing, c.gap, c.tolerance, c.cell, c.label)
                   for c in ins.checks)
    err, esheet, ecell = _error_parts(ins.error)
    nearest = ins.layout.id if ins.layout is not None else _nearest_mrio(path)
    table = ins.table
    return FileReport(
        path=str(path), file=path.name, ok=ins.ok, reader="ceads-mrio", layout=nearest if ins.ok else None,
        nearest=nearest, how=ins.family_reason or "default",
        vintage=(ins.layout or LAYOUTS[nearest]).vintage if nearest else "",
        sheet=ins.sheet, years=(ins.year,) if ins.year else (), features=tuple(features), blocks=tuple(blocks),
        checks=checks, tolerance=_m("tolerance.mrio") if checks else None,
        notes=tuple(table.notes) if table is not None else tuple(ins.notes),
        error=err, error_sheet=esheet or ins.sheet, error_cell=ecell)


def _nearest_mrio(path: Path) -> str:
    try:
        names = [normalise_key(s) for s in open_workbook(path).sheet_names]
    except ViscarbonError:
        return "2012-2017"
    return "2018-2020" if "province" in names or any("englishversion" in n for n in names) else "2012-2017"


# --------------------------------------------------------------------------- inventories
def _worst(name: str, items: Iterable[tuple[str, tuple[float, float, str]]], *, ok: bool) -> Check:
    rows = [(sheet, chk) for sheet, chk in items if chk[2]]
    if not rows:
        return Check(name, ok, 0, 0, 0.0, 0.0, "", relative=True)
    sheet, (gap, tol, cell) = max(rows, key=lambda x: abs(x[1][0]))
    return Check(name, ok and abs(gap) <= tol, len(rows), int(not ok), gap, tol, f"{sheet}!{cell}",
                 relative=True)


def _inventory_report(path: Path) -> FileReport:
    ins = inspect_inventory_workbook(path)
    blocks: list[Block] = []
    features: list[Message] = []
    if ins.sheets:
        first_sheet, _, b0 = ins.sheets[0]
        same = [s for s, _, b in ins.sheets if (b.header_cell, b.total_cell, b.block) ==
                (b0.header_cell, b0.total_cell, b0.block)]
        features.append(_m("inv.sheets", n=len(ins.sheets), kind=_tok("invkind", ins.kind)))
        if len(same) == len(ins.sheets) and len(ins.sheets) > 1:
            features.append(_m("inv.same_positions", n=len(ins.sheets)))
        for sheet, _, b in ins.sheets:
            if sheet != first_sheet and sheet in same:
                continue
            blocks.append(Block("inv_header", sheet, b.header_cell))
            blocks.append(Block("inv_total", sheet, b.total_cell))
            blocks.append(Block("inv_data", sheet, b.block))
        if not all(b.unit_row for _, _, b in ins.sheets):
            features.append(_m("inv.no_unit", sheets=", ".join(s for s, _, b in ins.sheets if not b.unit_row)))
    err, esheet, ecell = _error_parts(ins.error)
    checks = (_worst("inv_rows", ((s, b.row_check) for s, _, b in ins.sheets), ok=ins.error is None),
              _worst("inv_cols", ((s, b.col_check) for s, _, b in ins.sheets), ok=ins.error is None)) \
        if ins.sheets else ()
    lay = ins.layout
    return FileReport(
        path=str(path), file=path.name, ok=ins.ok, reader="ceads-inventory",
        layout=lay.name if lay and ins.ok else None, nearest=lay.name if lay else "release_2021",
        how=ins.layout_how or "sheet names", vintage=lay.vintage if lay else "", years=ins.years,
        features=tuple(features), blocks=tuple(blocks), checks=checks,
        tolerance=_m("tolerance.inventory") if checks else None, notes=ins.notes, error=err,
        error_sheet=esheet, error_cell=ecell)


def _apparent_report(path: Path) -> FileReport:
    ins = inspect_apparent_workbook(path)
    blocks: list[Block] = []
    features: list[Message] = [_m("app.sheets", n=len(ins.sheets))] if ins.sheets else []
    if ins.sheets:
        s0, _, a0 = ins.sheets[0]
        for sheet, _, a in ins.sheets:
            if sheet != s0 and (a.header_cell, a.block, a.total_row_cell) == (a0.header_cell, a0.block,
                                                                               a0.total_row_cell):
                continue
            blocks.append(Block("app_header", sheet, a.header_cell))
            blocks.append(Block("app_data", sheet, a.block, _m("detail.app", regions=len(a.regions))))
            if a.total_row_cell:
                blocks.append(Block("app_total_row", sheet, a.total_row_cell))
        features.append(_m("app.total_column" if a0.total_column else "app.no_total_column"))
        features.append(_m("app.total_row" if a0.total_row_cell else "app.no_total_row"))
        features.append(_m("app.unit" if a0.unit_row else "app.no_unit"))
    err, esheet, ecell = _error_parts(ins.error)
    checks: tuple[Check, ...] = ()
    if ins.sheets:
        checks = (_worst("app_rows", ((s, a.row_check) for s, _, a in ins.sheets), ok=ins.error is None),
                  _worst("app_cols", ((s, a.col_check) for s, _, a in ins.sheets if a.col_check),
                         ok=ins.error is None))
    return FileReport(
        path=str(path), file=path.name, ok=ins.ok, reader="ceads-apparent",
        layout=ins.layout.name if ins.ok else None, nearest=ins.layout.name, how="year sheets",
        vintage=ins.layout.vintage, years=ins.years, features=tuple(features), blocks=tuple(blocks),
        checks=checks, tolerance=_m("tolerance.inventory") if checks else None, notes=ins.notes,
        error=err, error_sheet=esheet, error_cell=ecell)


# --------------------------------------------------------------------------- NBS, pymrio
def _nbs_report(path: Path) -> FileReport:
    try:
        tab = read_nbs_io(path)
    except ViscarbonError as exc:
        err, _, _ = _error_parts(exc)
        return FileReport(path=str(path), file=path.name, ok=False, reader="nbs-io", layout=None,
                          nearest="nbs-42", how="file type", error=err,
                          error_cell=(m.group(1) if (m := re.search(r"(line \d+[^,)]*)", exc.where or "")) else None))
    layout = "nbs-42-competitive" if tab.imports_treatment == "competitive" else "nbs-42-noncompetitive"
    return FileReport(path=str(path), file=path.name, ok=True, reader="nbs-io", layout=layout, nearest=layout,
                      how="file type", vintage=tab.provenance[0].vintage, years=(tab.year,),
                      features=(_m("nbs", sectors=tab.n_sectors, list_id=tab.sectors.list_id or "",
                                   imports=tab.imports_treatment),),
                      notes=tuple(tab.notes))


def _pymrio_report(path: Path) -> FileReport:
    try:
        folder = read_pymrio_folder(path)
    except ViscarbonError as exc:
        return FileReport(path=str(path), file=path.name, ok=False, reader="pymrio", layout=None,
                          nearest="pymrio-save_all", how="folder", error=str(exc))
    tab = folder.system.table
    return FileReport(path=str(path), file=path.name, ok=True, reader="pymrio", layout="pymrio-save_all",
                      nearest="pymrio-save_all", how="folder", years=(tab.year,),
                      features=(_m("pymrio", regions=tab.n_regions, sectors=tab.n_sectors,
                                   satellites=len(folder.system.satellites)),), notes=tuple(tab.notes))


def _city_report(path: Path) -> FileReport:
    got = inspect_ceads_city(path)
    layout = f"ceads-city-mat-v{got.version}" if got.version else None
    blocks = tuple(Block(name, "", f"{var} {got.variables.get(var, ())}") for name, var in got.found.items())
    features = ((_m("city_mat", version=got.version, cities=got.n_cities, matched=got.matched_cities,
                    variables=", ".join(f"{k} {v}" for k, v in got.variables.items())),)
                if got.version else ())
    checks = []
    for name, (where, _gap, rel) in (("rows", got.worst_row), ("columns", got.worst_col)):
        if where:
            tol = 1e-6 if name == "rows" else 1e-3
            checks.append(Check(name, ok=rel <= tol, checked=got.n_cities * 42, failing=int(rel > tol), gap=rel,
                                tolerance=tol, cell=where, label=where, relative=True))
    return FileReport(path=str(path), file=path.name, ok=got.ok, reader="ceads-city-mrio", layout=layout if got.ok
                      else None, nearest=layout or "ceads-city-mat", how="file type",
                      years=(got.year,) if got.year is not None else (), features=features, blocks=blocks,
                      checks=tuple(checks), error=got.error or None)


# --------------------------------------------------------------------------- dispatch
def _workbook_kind(path: Path) -> str:
    """``mrio``, ``inventory`` or ``apparent`` from the sheet names and header rows."""
    wb = open_workbook(path)
    names = wb.sheet_names
    if len(province_sheets(names)) >= 2:
        return "inventory"
    years = year_sheets(names)
    if len(years) >= 2:
        if is_apparent_workbook(wb):
            return "apparent"
        return "mrio" if looks_like_table(wb.grid(years[min(years)])) else "inventory"
    if len(years) == 1 and is_apparent_workbook(wb):
        return "apparent"
    if any(match_table_sheet(n) for n in names) or "province" in [normalise_key(n) for n in names]:
        return "mrio"
    return "mrio"


def inspect_file(path: str | Path) -> FileReport:
    """Inspect one file (a workbook, an NBS CSV or a pymrio folder) without importing it."""
    p = Path(path).expanduser()
    if not p.exists():
        return FileReport(path=str(p), file=p.name, ok=False, reader=None, layout=None, nearest=None,
                          how="", error=str(LayoutError("file not found", where=f"file {p}", hint="check the path")))
    if p.is_dir():
        return _pymrio_report(p)
    if p.suffix.lower() in (".csv", ".txt"):
        return _nbs_report(p)
    if p.suffix.lower() == ".mat":
        return _city_report(p)
    try:
        kind = _workbook_kind(p)
    except ViscarbonError as exc:
        err, esheet, ecell = _error_parts(exc)
        return FileReport(path=str(p), file=p.name, ok=False, reader=None, layout=None, nearest=None, how="",
                          error=err, error_sheet=esheet, error_cell=ecell)
    if kind == "inventory":
        return _inventory_report(p)
    if kind == "apparent":
        return _apparent_report(p)
    return _mrio_report(p)


def inspect_files(paths: Sequence[str | Path]) -> tuple[FileReport, ...]:
    """:func:`inspect_file` of each path, in order."""
    return tuple(inspect_file(p) for p in paths)
