"""Tidy (long) tables → CSV, Parquet, XLSX or JSON, each described by its schema and metadata.

Every table has a :class:`~viscarbon.io.writers.schema.Schema` (each column's type, unit
and description in en / zh-Hans) and a metadata block (title, dataset, year, units,
citation, the synthetic flag, notes …). What goes where:

* **csv**: plain — one header row, then the rows (UTF-8, ``\n`` line ends, no comment
  lines), so ``pandas.read_csv``, R's ``read.csv``, DuckDB's ``read_csv`` and a
  spreadsheet open it without options. Codes are text fields in the schema (a reader
  without the schema may take ``01`` for the number 1); floats are written in their
  shortest round-trip form (``repr``), an unknown value (NaN, ``None``) as an empty
  field, booleans as ``true``/``false``. The schema and the metadata go to a Frictionless
  ``<stem>.datapackage.json`` beside the file (:mod:`.datapackage`; ``sidecar=False``
  when the caller writes one package for several files);
* **xlsx**: a ``data`` sheet (spilling into ``data_2``, ``data_3`` … beyond Excel's
  1,048,576 rows), a ``metadata`` sheet of key / value rows and a ``columns`` sheet
  (name, type, unit, description); numbers keep all 17 significant digits;
* **json**: ``{"meta": {...}, "schema": {"fields": [...]}, "rows": [{...}, ...]}``
  (NaN written as ``null``; ``schema`` is the Frictionless Table Schema);
* **parquet**: written by DuckDB's ``COPY … (FORMAT parquet, KV_METADATA {...})`` with
  the column types of the schema (codes VARCHAR, numbers DOUBLE, integers BIGINT), so no
  pyarrow is needed; the key-value metadata holds the metadata block and ``schema`` (the
  Table Schema as JSON); read it back with DuckDB's ``parquet_kv_metadata``.

:func:`write_table` takes a list of records (dicts); :func:`write_columns` takes the
same data column-wise (numpy arrays), which is what the big IO exports use. The helpers
:func:`io_table_columns`, :func:`inventory_columns` and :func:`satellite_columns` turn
model objects into tidy columns keyed by codes (never labels), described by
:func:`io_block_schema`, :func:`inventory_schema` and :func:`satellite_schema`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import duckdb
import numpy as np
import xlsxwriter
from numpy.typing import NDArray
from xlsxwriter.worksheet import Worksheet

from viscarbon.errors import DataError
from viscarbon.i18n import t
from viscarbon.io.files import close_xlsx
from viscarbon.io.writers.datapackage import resource, sidecar_path, write_datapackage
from viscarbon.io.writers.schema import Field, Schema, cast_column, infer_schema, unit_label
from viscarbon.model import ApparentEmissions, InventoryTable, IOTable, SatelliteAccount

__all__ = [
    "FORMATS",
    "XLSX_MAX_ROWS",
    "apparent_columns",
    "csv_text",
    "inventory_columns",
    "inventory_schema",
    "io_block_schema",
    "io_table_columns",
    "records_csv_text",
    "satellite_columns",
    "satellite_schema",
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
    return np.asarray([None if v is None else v for v in vals], dtype=object)


def _columns_from_records(records: Sequence[Mapping[str, object]],
                          names: Sequence[str] | None = None) -> dict[str, NDArray[Any]]:
    keys: list[str] = list(names or ())
    seen: set[str] = set(keys)
    for r in records:
        for k in r:
            if k not in seen:
                seen.add(k)
                keys.append(k)
    return {k: _column_array(k, [r.get(k) for r in records]) for k in keys}


def write_table(records: Sequence[Mapping[str, object]], path: str | Path, *, fmt: Format,
                meta: Mapping[str, str], schema: Schema | None = None, lang: str | None = None,
                sidecar: bool = True) -> Path:
    """Write tidy ``records`` (one dict per row) to ``path`` in ``fmt`` with the
    metadata block ``meta`` (e.g. ``title``, ``citation``, ``synthetic``) and the column
    ``schema`` (inferred from the values when ``None``; descriptions in ``lang``). A CSV
    file gets its ``<stem>.datapackage.json`` beside it unless ``sidecar=False``.
    Returns the path."""
    _check_fmt(fmt)
    cols = _columns_from_records(records, schema.names if schema is not None else None)
    return write_columns(cols, path, fmt=fmt, meta=meta, schema=schema, lang=lang, sidecar=sidecar)


def _typed(columns: Columns, schema: Schema | None) -> tuple[dict[str, NDArray[Any]], Schema]:
    cols = {k: _column_array(k, v) for k, v in columns.items()}
    lengths = {len(v) for v in cols.values()}
    if len(lengths) > 1:
        raise DataError("columns of a table have different lengths: "
                        + ", ".join(f"{k}={len(v)}" for k, v in cols.items()))
    if schema is None:
        schema = infer_schema(cols)
    schema.check(list(cols))
    return {f.name: cast_column(f, cols[f.name]) for f in schema.fields}, schema


def write_columns(columns: Columns, path: str | Path, *, fmt: Format, meta: Mapping[str, str],
                  schema: Schema | None = None, lang: str | None = None, sidecar: bool = True) -> Path:
    """Write a tidy table given column-wise (equal-length arrays or sequences); see
    :func:`write_table`."""
    _check_fmt(fmt)
    cols, schema = _typed(columns, schema)
    meta = {str(k): str(v) for k, v in meta.items()}
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with open(out, "w", newline="", encoding="utf-8") as fh:
            _write_csv(cols, fh)
        if sidecar:
            write_datapackage(sidecar_path(out), [resource(out.name, schema, meta, lang=lang)], meta,
                              name=out.stem, lang=lang)
    elif fmt == "json":
        _write_json(cols, out, meta, schema, lang)
    elif fmt == "xlsx":
        _write_xlsx(cols, out, meta, schema, lang)
    else:
        _write_parquet(cols, out, meta, schema, lang)
    return out


def csv_text(columns: Columns, *, schema: Schema | None = None) -> str:
    """The plain CSV text of a table (what :func:`write_columns` writes for ``csv``)."""
    cols, _ = _typed(columns, schema)
    buf = io.StringIO()
    _write_csv(cols, buf)
    return buf.getvalue()


def records_csv_text(records: Sequence[Mapping[str, object]], *, schema: Schema | None = None) -> str:
    """:func:`csv_text` of records."""
    return csv_text(_columns_from_records(records, schema.names if schema is not None else None),
                    schema=schema)


def _csv_cells(col: NDArray[Any]) -> list[Any]:
    """Cells of one typed column for :mod:`csv`: floats stay floats (``csv`` writes their
    ``repr``, the shortest round-trip form), NaN and ``None`` → empty, ±inf → ``inf``/``-inf``,
    booleans → ``true``/``false``."""
    kind = col.dtype.kind
    if kind == "f":
        vals: list[Any] = col.tolist()
        finite = np.isfinite(col)
        if not finite.all():
            for i in np.flatnonzero(~finite).tolist():
                v = vals[i]
                vals[i] = None if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return vals
    if kind == "b":
        return ["true" if v else "false" for v in col.tolist()]
    vals = col.tolist()
    if kind == "O" and any(isinstance(v, bool) for v in vals):
        return [("true" if v else "false") if isinstance(v, bool) else v for v in vals]
    return vals


def _write_csv(cols: dict[str, NDArray[Any]], fh: Any) -> None:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(list(cols))
    w.writerows(zip(*(_csv_cells(c) for c in cols.values()), strict=True))


def _clean_json(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _write_json(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str], schema: Schema,
                lang: str | None) -> None:
    keys = list(cols)
    rows = [dict(zip(keys, (_clean_json(v) for v in row), strict=True))
            for row in zip(*(c.tolist() for c in cols.values()), strict=True)]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "schema": schema.descriptor(lang), "rows": rows}, fh, ensure_ascii=False,
                  allow_nan=False)


def _worksheet_class() -> Any:
    """An xlsxwriter worksheet that writes numbers with all their digits (``repr``)
    instead of xlsxwriter's 16 significant digits, so a float read back is the float
    written."""

    class FullPrecisionWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter ships no types
        def _xml_number_element(self, number: Any, attributes: Any = ()) -> None:
            attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
            text = repr(float(number)) if isinstance(number, float | np.floating) else str(number)
            self.fh.write(f"<c{attr}><v>{text}</v></c>")

    return FullPrecisionWorksheet if hasattr(Worksheet, "_xml_number_element") else Worksheet


def _write_xlsx(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str], schema: Schema,
                lang: str | None) -> None:
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "nan_inf_to_errors": True})
    ws_class = _worksheet_class()
    try:
        keys = list(cols)
        n = len(next(iter(cols.values()))) if cols else 0
        per_sheet = XLSX_MAX_ROWS - 1
        n_sheets = max(1, -(-n // per_sheet))
        data = [[None if isinstance(v, float) and math.isnan(v) else v for v in c.tolist()]
                if c.dtype.kind == "f" else c.tolist() for c in cols.values()]
        for s in range(n_sheets):
            ws = wb.add_worksheet("data" if s == 0 else f"data_{s + 1}", worksheet_class=ws_class)
            ws.write_row(0, 0, keys)
            lo, hi = s * per_sheet, min(n, (s + 1) * per_sheet)
            for r in range(lo, hi):
                ws.write_row(r - lo + 1, 0, [c[r] for c in data])
        ms = wb.add_worksheet("metadata")
        ms.write_row(0, 0, ["key", "value"])
        extra = {"data_sheets": str(n_sheets)} if n_sheets > 1 else {}
        for r, (k, v) in enumerate({**meta, **extra}.items(), start=1):
            ms.write_row(r, 0, [k, v])
        cs = wb.add_worksheet("columns")
        cs.write_row(0, 0, [t("common.column_sheet.name", lang), t("common.column_sheet.type", lang),
                            t("common.column_sheet.unit", lang), t("common.column_sheet.description", lang)])
        for r, f in enumerate(schema.fields, start=1):
            cs.write_row(r, 0, [f.name, f.type, unit_label(f.unit, lang) if f.unit else "",
                                schema.description(f, lang)])
    finally:
        close_xlsx(wb, out)


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


_SQL_TYPES: Final = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN"}


def _write_parquet(cols: dict[str, NDArray[Any]], out: Path, meta: dict[str, str], schema: Schema,
                   lang: str | None) -> None:
    con = duckdb.connect()
    try:
        con.register("_vc_table", {k: v for k, v in cols.items()})
        kv_items = {**meta, "schema": json.dumps(schema.descriptor(lang), ensure_ascii=False)}
        kv = ", ".join(f'"{k.replace(chr(34), "")}": {_sql_str(v)}' for k, v in kv_items.items())
        opts = f"FORMAT parquet, KV_METADATA {{{kv}}}"
        select = ", ".join(f'CAST("{f.name}" AS {_SQL_TYPES[f.type]}) AS "{f.name}"' for f in schema.fields)
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

    Industry cells (``F``) have ``sector`` set and ``category`` empty (``None``);
    final-demand cells (``F_Y``, households' direct emissions) have ``category`` set and
    ``sector`` empty.
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
        "sector": np.concatenate([sec[j1 % S], np.full(n2, None, dtype=object)]),
        "category": np.concatenate([np.full(n1, None, dtype=object), cat[j2 % K]]),
        "stressor": np.concatenate([st[k1], st[k2]]),
        "value": np.concatenate([sat.F[k1, j1], sat.F_Y[k2, j2]]),
        "unit": np.full(n1 + n2, sat.unit, dtype=object),
    }


_IO_KEYS: Final = {
    "Z": ("row_region", "row_sector", "col_region", "col_sector"),
    "Y": ("row_region", "row_sector", "col_region", "category"),
    "EX": ("region", "sector"),
    "IM": ("region", "sector"),
    "x": ("region", "sector"),
    "V": ("va_row", "col_region", "col_sector"),
}


def io_block_schema(block: str, unit: str) -> Schema:
    """The schema of one block of :func:`io_table_columns` (codes as text, ``value`` in
    ``unit``, ``unit`` the unit code as text); descriptions ``schema.io_<block>.*``."""
    if block not in _IO_KEYS:
        raise DataError(f"unknown IO block {block!r}", hint="use one of: " + ", ".join(_IO_KEYS))
    return Schema(f"io_{block.lower()}", (*(Field(k, "string") for k in _IO_KEYS[block]),
                                          Field("value", "number", unit), Field("unit", "string")))


def satellite_schema(unit: str) -> Schema:
    """The schema of :func:`satellite_columns` (``value`` in ``unit``)."""
    return Schema("satellite", (Field("region", "string"), Field("sector", "string"),
                                Field("category", "string"), Field("stressor", "string"),
                                Field("value", "number", unit), Field("unit", "string")))


def inventory_schema(unit: str) -> Schema:
    """The schema of :func:`inventory_columns` (``value`` in ``unit``)."""
    return Schema("inventory", (Field("region", "string"), Field("year", "integer"), Field("sector", "string"),
                                Field("fuel", "string"), Field("value", "number", unit),
                                Field("unit", "string")))
