"""File helpers shared by the readers: hashing, workbook access, cell references."""

from __future__ import annotations

import hashlib
import math
import os
import re
import zipfile
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook
from xlsxwriter.exceptions import FileCreateError

from viscarbon.classification import normalise_key
from viscarbon.errors import DataError, LayoutError

__all__ = [
    "NO_STORED_VALUE",
    "Workbook",
    "available_memory",
    "bad_cell_text",
    "cell_ref",
    "close_xlsx",
    "col_letter",
    "error_cells",
    "header_index",
    "number",
    "open_workbook",
    "sha256_file",
    "years_in",
]


def sha256_file(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def col_letter(col0: int) -> str:
    """Excel column letters of a 0-based column index (0 → A, 1301+3 → AXE ...)."""
    if col0 < 0:
        raise ValueError(col0)
    out = ""
    n = col0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row0: int, col0: int) -> str:
    """Excel reference of a 0-based (row, column): ``cell_ref(0, 0) == "A1"``."""
    return f"{col_letter(col0)}{row0 + 1}"


def number(value: Any, *, file: str, sheet: str, row0: int, col0: int,
           empty_as_zero: bool = True) -> float:
    """A cell's value as a finite float, or a :class:`DataError` naming file, sheet and cell.

    Empty cells are 0 when ``empty_as_zero``; text that is not a number, NaN and inf fail.
    """
    if value is None or value == "":
        if empty_as_zero:
            return 0.0
        raise DataError("empty cell where a number is required",
                        where=f"file {file}, sheet {sheet}, cell {cell_ref(row0, col0)}")
    if isinstance(value, bool):
        raise DataError(f"boolean {value!r} where a number is required",
                        where=f"file {file}, sheet {sheet}, cell {cell_ref(row0, col0)}")
    if isinstance(value, int | float):
        v = float(value)
    else:
        text = str(value).strip().replace(",", "")
        try:
            v = float(text)
        except ValueError:
            raise DataError(f"text {str(value)[:40]!r} where a number is required",
                            where=f"file {file}, sheet {sheet}, cell {cell_ref(row0, col0)}",
                            hint="fix or clear the cell") from None
    if not math.isfinite(v):
        raise DataError(f"non-finite value {value!r}",
                        where=f"file {file}, sheet {sheet}, cell {cell_ref(row0, col0)}")
    return v


@dataclass
class Workbook:
    """A workbook opened with python-calamine (fast, Rust); grids are read lazily and cached."""

    path: Path
    sheet_names: tuple[str, ...]
    _wb: Any = field(repr=False)
    _cache: dict[str, list[list[Any]]] = field(default_factory=dict, repr=False)
    _merged: dict[str, tuple[tuple[int, int, int, int], ...]] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def grid(self, sheet: str) -> list[list[Any]]:
        """All cells of ``sheet`` as rows of Python values ('' for empty), from A1."""
        if sheet not in self._cache:
            if sheet not in self.sheet_names:
                raise LayoutError(f"sheet {sheet!r} not found", where=f"file {self.name}",
                                  hint="sheets present: " + ", ".join(self.sheet_names))
            try:
                ws = self._wb.get_sheet_by_name(sheet)
                # skip_empty_area=False keeps A1 as the origin so cell references are true
                self._cache[sheet] = ws.to_python(skip_empty_area=False)
                ranges = getattr(ws, "merged_cell_ranges", None) or ()
                self._merged[sheet] = tuple((int(a[0]), int(a[1]), int(b[0]), int(b[1]))
                                            for a, b in ranges)
            except Exception as exc:  # calamine raises its own types
                raise LayoutError(f"cannot read sheet {sheet!r}: {exc}", where=f"file {self.name}",
                                  hint="the file may be truncated or damaged; download it again") from exc
        return self._cache[sheet]

    def merged(self, sheet: str) -> tuple[tuple[int, int, int, int], ...]:
        """The merged cell ranges of ``sheet`` as 0-based ``(first row, first column, last
        row, last column)``, inclusive (python-calamine hands the value over in the
        top-left cell only and the others as empty)."""
        self.grid(sheet)
        return self._merged.get(sheet, ())


def open_workbook(path: str | Path) -> Workbook:
    """Open an .xlsx/.xls workbook, or raise :class:`LayoutError` saying why it cannot be read."""
    p = Path(path)
    if not p.exists():
        raise LayoutError("file not found", where=f"file {p}", hint="check the path")
    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as exc:
        raise LayoutError(f"not a readable workbook: {exc}", where=f"file {p.name}",
                          hint="the file may be truncated or damaged; download it again") from exc
    return Workbook(path=p, sheet_names=tuple(wb.sheet_names), _wb=wb)


def header_index(cells: Sequence[Any]) -> dict[str, int]:
    """Map normalised header text → 0-based column for one header row."""
    out: dict[str, int] = {}
    for j, v in enumerate(cells):
        k = normalise_key(v)
        if k and k not in out:
            out[k] = j
    return out


def _unescape_xml(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _col0(letters: str) -> int:
    """0-based column of Excel column letters (``A`` → 0); inverse of :func:`col_letter`."""
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return col - 1


#: the marker :func:`error_cells` gives a formula cell that stores no value
NO_STORED_VALUE = "#FORMULA"


def bad_cell_text(value: str) -> tuple[str, str]:
    """(message, hint) for a cell of :func:`error_cells` found where a number is required."""
    if value == NO_STORED_VALUE:
        return ("formula without a stored value where a number is required",
                "open and save the workbook in Excel or LibreOffice, so that it stores the formulas' values")
    return (f"spreadsheet error value {value} where a number is required",
            "the source formula failed (NaN, division by zero, a broken reference); fix the cell")


def error_cells(path: str | Path, *,
                sheets: Collection[str] | None = None) -> dict[str, dict[tuple[int, int], str]]:
    """Spreadsheet error cells (``t="e"``: ``#DIV/0!``, ``#N/A``, ``#REF!`` …) per sheet name,
    keyed by 0-based ``(row, column)``; ``"#ERROR"`` where the cell stores no value text, and
    :data:`NO_STORED_VALUE` for a formula cell without a stored value (a workbook written by
    a program that does not compute formulas, never opened in a spreadsheet).

    python-calamine hands both over as empty strings, which a reader where empty means 0
    would take for zeros; this scans the sheet XML of the .xlsx/.xlsm package.
    ``sheets`` limits the scan to those sheet names (a large MRIO sheet is read only when
    asked for); sheets without error cells are left out. Returns ``{}`` for files that are
    not .xlsx packages and for damaged packages (calamine reports those when the sheet is
    read).
    """
    p = Path(path)
    if not zipfile.is_zipfile(p):
        return {}
    wanted = None if sheets is None else set(sheets)
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(p) as zf:
            wb_xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            targets: dict[str, str] = {}
            for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
                rid = re.search(r'\bId="([^"]+)"', m.group(1))
                tgt = re.search(r'\bTarget="([^"]+)"', m.group(1))
                if rid and tgt:
                    target = tgt.group(1).lstrip("/")
                    targets[rid.group(1)] = target if target.startswith("xl/") else "xl/" + target
            for m in re.finditer(r"<sheet\b([^>]*)/?>", wb_xml):
                attrs = m.group(1)
                name = re.search(r'\bname="([^"]*)"', attrs)
                rid = re.search(r'\br:id="([^"]+)"', attrs) or re.search(r'\bid="([^"]+)"', attrs)
                if not (name and rid) or rid.group(1) not in targets:
                    continue
                sheet = _unescape_xml(name.group(1))
                if wanted is not None and sheet not in wanted:
                    continue
                data = zf.read(targets[rid.group(1)])
                if b't="e"' not in data and b"<f" not in data:
                    continue
                found: dict[tuple[int, int], str] = {}
                for c in re.finditer(rb'<c\b([^>]*?\bt="e"[^>]*?)(?:/>|>(.*?)</c>)', data, re.S):
                    ref = re.search(rb'\br="([A-Z]+)(\d+)"', c.group(1))
                    if not ref:
                        continue
                    v = re.search(rb"<v>([^<]*)</v>", c.group(2) or b"")
                    found[(int(ref.group(2)) - 1, _col0(ref.group(1).decode()))] = (
                        v.group(1).decode("utf-8", "replace") if v else "#ERROR")
                if b"<f" in data:
                    for c in re.finditer(rb"<c\b([^>]*)>((?:(?!</c>).)*?<f\b(?:(?!</c>).)*)</c>", data, re.S):
                        if re.search(rb"<v>[^<]+</v>", c.group(2)):
                            continue  # the formula's value is stored
                        ref = re.search(rb'\br="([A-Z]+)(\d+)"', c.group(1))
                        if ref:
                            found.setdefault((int(ref.group(2)) - 1, _col0(ref.group(1).decode())), NO_STORED_VALUE)
                if found:
                    out[sheet] = found
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError,
            RuntimeError):  # a damaged package: calamine reports it when the sheet is read
        return {}
    return out


def close_xlsx(wb: Any, path: str | Path) -> None:
    """Close an xlsxwriter workbook (which writes the file) and turn its file-creation
    error (a missing folder, no permission) into a :class:`DataError` naming the path."""
    try:
        wb.close()
    except FileCreateError as exc:
        raise DataError(f"cannot create the workbook: {exc.__cause__ or exc}", where=f"file {path}",
                        hint="check that the folder exists and is writable") from exc


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def years_in(text: str) -> list[int]:
    """The four-digit years (1950-2099) standing alone in ``text`` (a file stem, a sheet
    name, metadata), in order of appearance: ``years_in("MRIO_2012-2017_v2") == [2012, 2017]``."""
    return [int(y) for y in _YEAR_IN_TEXT.findall(text)]


def available_memory() -> int:
    """Bytes of memory available to a new computation without swapping: ``MemAvailable``
    of ``/proc/meminfo`` (Linux), else free physical pages × page size."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
