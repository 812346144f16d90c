"""Tidy (long) tables → CSV, Parquet, XLSX or JSON, each with a metadata block.

Every file carries its metadata (units, source / citation, the synthetic flag ...):

* **csv**: leading ``# key: value`` comment lines, then a header row and the rows;
* **xlsx**: a ``data`` sheet (spilling into ``data_2``, ``data_3`` … beyond Excel's
  1,048,576 rows) and a ``metadata`` sheet of key / value rows (xlsxwriter);
* **json**: ``{"meta": {...}, "rows": [{...}, ...]}`` (NaN written as ``null``);
* **parquet**: written by DuckDB's ``COPY … (FORMAT parquet, KV_METADATA {...})``,
  so no pyarrow is needed; read the metadata back with ``parquet_kv_metadata``.

:func:`write_table` takes a list of records (dicts); :func:`write_columns` takes the
same data column-wise (numpy arrays), which is what the big IO exports use. The helpers
:func:`io_table_columns`, :func:`inventory_columns` and :func:`satellite_columns` turn
model objects into tidy columns keyed by codes (never labels).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import DataError
from viscarbon.io.files import close_xlsx
from viscarbon.model import ApparentEmissions, InventoryTable, IOTable, SatelliteAccount

__all__ = [
    "FORMATS",
    "XLSX_MAX_ROWS",
    "apparent_columns",
    "inventory_columns",
    "io_table_columns",
    "satellite_columns",
    "write_columns",
    "write_table",
]

Format = Literal["csv", "parquet", "xlsx", "json"]
FORMATS: Final = ("csv", "parquet", "xlsx", "json")
XLSX_MAX_ROWS: Final = 1_048_576
Columns = Mapping[str, Sequence[Any] | NDArray[Any]]


def _check_fmt(fmt: str) -> None:
    if fmt not in FORMATS:
        raise DataError(f"unknown table format {fmt!r}", hint="use one of: " + ", ".join(FORMATS))


def _column_array(name: str, values: Sequence[Any] | NDArray[Any]) -> NDArray[Any]:
    """A typed numpy column: float64, int64, bool, or object (text, None as missing)."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "fiub":
            return values
        return np.asarray(values, dtype=object)
    vals = list(values)
    present = [v for v in vals if v is not None]
    if present and all(isinstance(v, bool | np.bool_) for v in present) and len(present) == len(vals):
        return np.asarray(vals, dtype=bool)
    if present and all(isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)
                       for v in present) and len(present) == len(vals):
        return np.asarray(vals, dtype=np.int64)
    if present and all(isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
                       for v in present):
        return np.asarray([np.nan if v is None else float(v) for v in vals], dtype=np.float64)
    return np.asarray([None if v is None else str(v) for v in vals], dtype=object)


def _columns_from_records(records: Sequence[Mapping[str, object]]) -> dict[str, NDArray[Any]]:
    keys: list[str] = []
    seen: set[str] = set()
    for r in records:
        for k in r:
            if k not in seen:
                seen.add(k)
                keys.append(k)
    return {k: _column_array(k, [r.get(k) for r in records]) for k in keys}


def write_table(records: list[dict[str, object]], path: str | Path, *, fmt: Format,
                meta: Mapping[str, str]) -> Path:
    """Write tidy ``records`` (one dict per row, same keys) to ``path`` in ``fmt`` with the
    metadata block ``meta`` (e.g. ``unit``, ``citation``, ``synthetic``). Returns the path."""
    _check_fmt(fmt)
    return write_columns(_columns_from_records(records), path, fmt=fmt, meta=meta)


def write_columns(columns: Columns, path: str | Path, *, fmt: Format, meta: Mapping[str, str]) -> Path:
    """Write a tidy table given column-wise (equal-length arrays or sequences)."""
    _check_fmt(fmt)
    cols = {k: _column_array(k, v) for k, v in columns.items()}
    lengths = {len(v) for v in cols.values()}
    if len(lengths) > 1:
        raise DataError("columns of a table have different lengths: "
                        + ", ".join(f"{k}={len(v)}" for k, v in cols.items()))
    meta = {str(k): str(v) for k, v in meta.items()}
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _write_csv(cols, out, meta)
    elif fmt == "json":
        _write_json(cols, out, meta)
    elif fmt == "xlsx":
        _write_xlsx(cols, out, meta)
    else:
        _write_parquet(cols, out, meta)
    return out


def _py(col: NDArray[Any]) -> list[Any]:
    return col.tolist()


def _write_csv(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str]) -> None:
    with open(out, "w", newline="", encoding="utf-8") as fh:
        for k, v in meta.items():
            fh.write(f"# {k}: {' '.join(v.splitlines())}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(list(cols))
        w.writerows(zip(*(_py(c) for c in cols.values()), strict=True))


def _clean_json(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _write_json(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str]) -> None:
    keys = list(cols)
    rows = [dict(zip(keys, (_clean_json(v) for v in row), strict=True))
            for row in zip(*(_py(c) for c in cols.values()), strict=True)]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "rows": rows}, fh, ensure_ascii=False, allow_nan=False)


def _write_xlsx(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "nan_inf_to_errors": True})
    try:
        keys = list(cols)
        n = len(next(iter(cols.values()))) if cols else 0
        per_sheet = XLSX_MAX_ROWS - 1
        n_sheets = max(1, -(-n // per_sheet))
        data = [_py(c) for c in cols.values()]
        for s in range(n_sheets):
            ws = wb.add_worksheet("data" if s == 0 else f"data_{s + 1}")
            ws.write_row(0, 0, keys)
            lo, hi = s * per_sheet, min(n, (s + 1) * per_sheet)
            for r in range(lo, hi):
                ws.write_row(r - lo + 1, 0, [c[r] for c in data])
        ms = wb.add_worksheet("metadata")
        ms.write_row(0, 0, ["key", "value"])
        extra = {"data_sheets": str(n_sheets)} if n_sheets > 1 else {}
        for r, (k, v) in enumerate({**meta, **extra}.items(), start=1):
            ms.write_row(r, 0, [k, v])
    finally:
        close_xlsx(wb, out)


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _write_parquet(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str]) -> None:
    import duckdb

    con = duckdb.connect()
    try:
        con.register("_vc_table", {k: v for k, v in cols.items()})
        kv = ", ".join(f'"{k.replace(chr(34), "")}": {_sql_str(v)}' for k, v in meta.items())
        opts = "FORMAT parquet" + (f", KV_METADATA {{{kv}}}" if kv else "")
        select = ", ".join(f'"{k}"' for k in cols)
        con.execute(f"COPY (SELECT {select} FROM _vc_table) TO {_sql_str(str(out))} ({opts})")
    finally:
        con.close()


# --------------------------------------------------------------------------- model → tidy columns
def _nz(a: NDArray[np.float64]) -> tuple[NDArray[np.intp], ...]:
    return tuple(np.nonzero(a != 0))


def io_table_columns(table: IOTable) -> dict[str, dict[str, NDArray[Any]]]:
    """Tidy columns of every block of an IO table, keyed by block (non-zero cells only).

    * ``Z``: row_region, row_sector, col_region, col_sector, value, unit
    * ``Y``: row_region, row_sector, col_region, category, value, unit
    * ``EX``, ``IM``, ``x``: region, sector, value, unit
    * ``V``: va_row, col_region, col_sector, value, unit

    Units are the table's (``10k_yuan`` = 万元 for CEADs and NBS tables).
    """
    S = table.n_sectors
    K = len(table.fd_categories)
    reg = np.asarray(table.regions.codes, dtype=object)
    sec = np.asarray(table.sectors.codes, dtype=object)
    cat = np.asarray(table.fd_categories.codes, dtype=object)
    va = np.asarray(table.va_rows.codes, dtype=object)
    unit = table.unit
    out: dict[str, dict[str, NDArray[Any]]] = {}
    i, j = _nz(table.Z)
    out["Z"] = {"row_region": reg[i // S], "row_sector": sec[i % S], "col_region": reg[j // S],
                "col_sector": sec[j % S], "value": table.Z[i, j], "unit": np.full(i.size, unit, dtype=object)}
    i, j = _nz(table.Y)
    out["Y"] = {"row_region": reg[i // S], "row_sector": sec[i % S], "col_region": reg[j // K],
                "category": cat[j % K], "value": table.Y[i, j], "unit": np.full(i.size, unit, dtype=object)}
    for block in ("EX", "IM", "x"):
        vec = getattr(table, block)
        (i,) = _nz(vec)
        out[block] = {"region": reg[i // S], "sector": sec[i % S], "value": vec[i],
                      "unit": np.full(i.size, unit, dtype=object)}
    i, j = _nz(table.V)
    out["V"] = {"va_row": va[i], "col_region": reg[j // S], "col_sector": sec[j % S],
                "value": table.V[i, j], "unit": np.full(i.size, unit, dtype=object)}
    return out


def inventory_columns(inventories: Sequence[InventoryTable]) -> dict[str, NDArray[Any]]:
    """One tidy table for inventory years: region, year, sector, fuel, value, unit
    (non-zero cells; ``sector`` is the inventory row code, ``fuel`` the column code)."""
    parts: list[dict[str, NDArray[Any]]] = []
    for inv in inventories:
        r, s, c = np.nonzero(inv.values != 0)
        parts.append({
            "region": np.asarray(inv.regions.codes, dtype=object)[r],
            "year": np.full(r.size, inv.year, dtype=np.int64),
            "sector": np.asarray(inv.sectors.codes, dtype=object)[s],
            "fuel": np.asarray(inv.columns.codes, dtype=object)[c],
            "value": inv.values[r, s, c],
            "unit": np.full(r.size, inv.unit, dtype=object),
        })
    keys = ("region", "year", "sector", "fuel", "value", "unit")
    if not parts:
        return {k: np.asarray([], dtype=object) for k in keys}
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def apparent_columns(apparent: Sequence[ApparentEmissions]) -> dict[str, NDArray[Any]]:
    """One tidy table for apparent-emission years: region, year, category, value, unit
    (non-zero cells; ``category`` raw_coal, crude_oil, natural_gas, cement_process, and
    ``total`` for the workbook's own total of the region)."""
    parts: list[dict[str, NDArray[Any]]] = []
    for app in apparent:
        vals = np.column_stack([app.values, app.totals])
        cats = np.asarray((*app.categories.codes, "total"), dtype=object)
        r, c = np.nonzero(vals != 0)
        parts.append({
            "region": np.asarray(app.regions.codes, dtype=object)[r],
            "year": np.full(r.size, app.year, dtype=np.int64),
            "category": cats[c], "value": vals[r, c],
            "unit": np.full(r.size, app.unit, dtype=object),
        })
    keys = ("region", "year", "category", "value", "unit")
    if not parts:
        return {k: np.asarray([], dtype=object) for k in keys}
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def satellite_columns(sat: SatelliteAccount, table: IOTable) -> dict[str, NDArray[Any]]:
    """Tidy satellite: region, sector (or final-demand ``category``), stressor, value, unit.

    Industry cells (``F``) have ``sector`` set and ``category`` empty; final-demand cells
    (``F_Y``, households' direct emissions) have ``category`` set and ``sector`` empty.
    """
    S, K = table.n_sectors, len(table.fd_categories)
    reg = np.asarray(table.regions.codes, dtype=object)
    sec = np.asarray(table.sectors.codes, dtype=object)
    cat = np.asarray(table.fd_categories.codes, dtype=object)
    st = np.asarray(sat.stressors.codes, dtype=object)
    k1, j1 = _nz(sat.F)
    k2, j2 = _nz(sat.F_Y)
    n1, n2 = k1.size, k2.size
    return {
        "region": np.concatenate([reg[j1 // S], reg[j2 // K]]),
        "sector": np.concatenate([sec[j1 % S], np.full(n2, "", dtype=object)]),
        "category": np.concatenate([np.full(n1, "", dtype=object), cat[j2 % K]]),
        "stressor": np.concatenate([st[k1], st[k2]]),
        "value": np.concatenate([sat.F[k1, j1], sat.F_Y[k2, j2]]),
        "unit": np.full(n1 + n2, sat.unit, dtype=object),
    }
