"""File helpers shared by the readers: hashing, workbook access, cell references."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viscarbon.errors import DataError, LayoutError

__all__ = ["Workbook", "cell_ref", "col_letter", "number", "open_workbook", "sha256_file"]


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
            except Exception as exc:  # calamine raises its own types
                raise LayoutError(f"cannot read sheet {sheet!r}: {exc}", where=f"file {self.name}",
                                  hint="the file may be truncated or damaged; download it again") from exc
        return self._cache[sheet]


def open_workbook(path: str | Path) -> Workbook:
    """Open an .xlsx/.xls workbook, or raise :class:`LayoutError` saying why it cannot be read."""
    from python_calamine import CalamineWorkbook

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
    from viscarbon.classification import normalise_key

    out: dict[str, int] = {}
    for j, v in enumerate(cells):
        k = normalise_key(v)
        if k and k not in out:
            out[k] = j
    return out
