"""IAMC long tables → plain CSV or XLSX that ``pyam.IamDataFrame(path)`` reads.

* **csv**: one header row ``model,scenario,region,variable,unit,year,value`` then the rows
  (UTF-8, ``\\n`` line ends, floats in their shortest round-trip form), so
  ``pandas.read_csv(path)`` and ``pyam.IamDataFrame(path)`` open it without options;
* **xlsx**: a ``data`` sheet with the same columns and a ``meta`` sheet in pyam's layout:
  one row per (model, scenario), the columns ``model``, ``scenario`` and then one column per
  meta indicator (dataset, units, t0 prices, and every assumption, its column name prefixed
  ``assumption|`` so it reads as one).

The writer computes nothing: the roadmap layer (:mod:`viscarbon.roadmap.iamc`) builds the
columns.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import xlsxwriter
from numpy.typing import NDArray

from viscarbon.errors import DataError
from viscarbon.io.files import close_xlsx

__all__ = ["IAMC_COLUMNS", "XLSX_MAX_ROWS", "write_iamc", "write_iamc_meta_csv"]

IAMC_COLUMNS: Final = ("model", "scenario", "region", "variable", "unit", "year", "value")
XLSX_MAX_ROWS: Final = 1_048_576

IamcFormat = Literal["csv", "xlsx"]


def _cell(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        f = float(v)
        return "" if f != f else repr(f)
    return v


def _meta_keys(meta: Sequence[Mapping[str, object]]) -> list[str]:
    keys: list[str] = ["model", "scenario"]
    for m in meta:
        keys += [k for k in m if k not in keys]
    return keys


def write_iamc_meta_csv(meta: Sequence[Mapping[str, object]], path: str | Path) -> Path:
    """The meta rows of an IAMC table as a plain CSV (one row per model and scenario)."""
    out = Path(path)
    keys = _meta_keys(meta)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(keys)
        for m in meta:
            w.writerow([_cell(m.get(k, "")) for k in keys])
    return out


def write_iamc(columns: Mapping[str, NDArray[Any] | Sequence[Any]], path: str | Path, *, fmt: IamcFormat,
               meta: Sequence[Mapping[str, object]] = ()) -> Path:
    """Write the IAMC long table ``columns`` (exactly :data:`IAMC_COLUMNS`) to ``path``;
    ``meta`` rows (each with ``model`` and ``scenario``) go to the ``meta`` sheet of an
    XLSX file (a CSV has no room for them: the caller writes them beside it)."""
    if tuple(columns) != IAMC_COLUMNS:
        raise DataError("an IAMC table needs the columns " + ", ".join(IAMC_COLUMNS),
                        hint="got " + ", ".join(columns))
    n = {len(v) for v in columns.values()}
    if len(n) > 1:
        raise DataError("the columns of an IAMC table have different lengths")
    rows = n.pop() if n else 0
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    cols = [list(v.tolist()) if isinstance(v, np.ndarray) else list(v) for v in columns.values()]
    if fmt == "csv":
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(IAMC_COLUMNS)
            for r in range(rows):
                w.writerow([_cell(c[r]) for c in cols])
        return out
    if fmt != "xlsx":
        raise DataError(f"unknown IAMC format {fmt!r}", hint="use csv or xlsx")
    if rows + 1 > XLSX_MAX_ROWS:
        raise DataError(f"{rows} rows do not fit one XLSX sheet ({XLSX_MAX_ROWS - 1} at most)",
                        hint="write CSV, or fewer regions")
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "nan_inf_to_errors": True})
    try:
        ws = wb.add_worksheet("data")
        ws.write_row(0, 0, IAMC_COLUMNS)
        for r in range(rows):
            ws.write_row(r + 1, 0, [c[r] for c in cols])
        ms = wb.add_worksheet("meta")
        keys = _meta_keys(meta)
        ms.write_row(0, 0, keys)
        for r, m in enumerate(meta, start=1):
            ms.write_row(r, 0, [m.get(k, "") for k in keys])
    finally:
        close_xlsx(wb, out)
    return out
