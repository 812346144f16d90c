"""Read pymrio folders (what ``pymrio.IOSystem.save_all`` writes and
``pymrio.load_all`` reads) without pandas: plain text parsed with :mod:`csv` + numpy.

A pymrio folder holds ``file_parameters.json`` (file name, number of index columns
and header rows per table), ``Z.txt``, ``Y.txt``, optionally ``x.txt``, ``unit.txt``,
``metadata.json`` and one sub-folder per extension (``F.txt``, ``F_Y.txt``,
``unit.txt``, its own ``file_parameters.json``). Tables are tab-separated with
multi-level row and column labels (region × sector, region × category, stressor ×
compartment) in the layout pandas' ``to_csv`` produces (pymrio ≥ 0.4, checked on 0.7).

**Exporting a CEADs-style system** (:func:`write_pymrio_folder`): the 31 provinces
are the regions; each province's final demand keeps its categories FU101-FU202 and
``Other`` (ERR); foreign exports become the final demand (category ``Exports``) of a
pseudo-region ``RoW`` whose sectors have zero output, so ``Z`` stays square and
``x = Z·1 + Y·1`` holds for pymrio. Imports and value added go into the
``factor_inputs`` extension (rows ``IM``, ``VA001`` …). Each satellite (CO2) becomes an
extension with households' direct emissions in ``F_Y``. pymrio then computes, for a
province r (Miller & Blair 2009, §10.3; pymrio's ``D_cba_reg``)::

    D_cba_reg[:, r] = S · L · Y_r + F_Y_r,    S = F x̂⁻¹,  L = (I − A)⁻¹

with ``Y_r`` the sum of r's final-demand columns (n,) and ``F_Y_r`` its households'
direct emissions: the consumption-based CO2 of r; the column of ``RoW`` is the CO2
embodied in foreign exports. Sector codes that are pure digits are written with an
``S`` prefix (``S01``) because pandas would turn ``01`` into the integer 1 in the row
labels but not in the column labels; a ``viscarbon`` block in ``metadata.json``
records the mapping, the year, units, labels and region statuses so that
:func:`read_pymrio_folder` rebuilds the same arrays bit for bit (numbers are written
with Python's shortest round-trip ``repr``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.classification import normalise_key
from viscarbon.errors import DataError, LayoutError
from viscarbon.io.files import sha256_file, years_in
from viscarbon.model import Axis, EEIOSystem, IOTable, Provenance, SatelliteAccount

__all__ = [
    "EXPORTS_CATEGORY",
    "FACTOR_INPUTS",
    "IMPORTS_ROW",
    "MARKER_VERSION",
    "ROW_REGION",
    "PymrioFolder",
    "pymrio_folder_files",
    "read_pymrio_folder",
]

ROW_REGION: Final = "RoW"
EXPORTS_CATEGORY: Final = "Exports"
IMPORTS_ROW: Final = "IM"
FACTOR_INPUTS: Final = "factor_inputs"
MARKER_VERSION: Final = 1
Arr = NDArray[np.float64]


@dataclass(frozen=True)
class PymrioFolder:
    """What was read from a pymrio folder: the system, its name and metadata."""

    system: EEIOSystem
    name: str
    metadata: dict[str, Any] = field(default_factory=dict)
    files: tuple[Provenance, ...] = ()

    @property
    def year(self) -> int:
        return self.system.year


@dataclass(frozen=True)
class _Frame:
    """A parsed pymrio table: row labels (tuples), column labels (tuples), values."""

    rows: list[tuple[str, ...]]
    cols: list[tuple[str, ...]]
    values: Arr
    file: str


# --------------------------------------------------------------------------- parsing
def _read_text(path: Path) -> str:
    """A UTF-8 text file, or a :class:`LayoutError` naming it (damaged or binary files)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LayoutError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=f"file {path}",
                          hint="the file may be damaged; save the pymrio system again") from None


def _sep(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".csv" and "\t" not in first_line:
        return ","
    return "\t"


def _read_frame(path: Path, *, n_index: int, n_header: int) -> _Frame:
    if not path.exists():
        raise LayoutError("file listed in file_parameters.json is missing", where=f"file {path}",
                          hint="copy the whole pymrio folder again")
    text = _read_text(path)
    lines = text.splitlines()
    if not lines:
        raise LayoutError("empty table file", where=f"file {path}")
    sep = _sep(path, lines[0])
    grid = list(csv.reader(lines, delimiter=sep))
    if len(grid) < n_header:
        raise LayoutError(f"expected {n_header} header rows", where=f"file {path}")
    header = grid[:n_header]
    body = grid[n_header:]
    ncols = len(header[0]) - n_index
    if ncols < 1 or any(len(h) != len(header[0]) for h in header):
        raise LayoutError("header rows of different lengths or without columns", where=f"file {path}",
                          hint="the file may be truncated; save the pymrio system again")
    if n_header > 1 and body and all(c == "" for c in body[0][n_index:]):
        body = body[1:]  # the row of index names that pandas writes under a multi-level header
    cols = [tuple(h[n_index + j] for h in header) for j in range(ncols)]
    rows: list[tuple[str, ...]] = []
    cells: list[list[str]] = []
    for k, line in enumerate(body):
        if not line:
            continue
        if len(line) != n_index + ncols:
            raise LayoutError(f"row has {len(line)} cells, expected {n_index + ncols}",
                              where=f"file {path.name}, line {k + n_header + 1}",
                              hint="the file may be truncated; save the pymrio system again")
        rows.append(tuple(line[:n_index]))
        cells.append(line[n_index:])
    try:
        values = np.array(cells, dtype=np.float64).reshape(len(rows), ncols)
    except ValueError:
        for k, line in enumerate(cells):
            for j, c in enumerate(line):
                try:
                    float(c)
                except ValueError:
                    raise DataError(f"text {c[:40]!r} where a number is required",
                                    where=f"file {path.name}, row {rows[k]}, column {cols[j]}",
                                    hint="fix the cell") from None
        raise
    if not np.isfinite(values).all():
        k, j = (int(v) for v in np.argwhere(~np.isfinite(values))[0])
        raise DataError(f"non-finite value {values[k, j]!r}",
                        where=f"file {path.name}, row {rows[k]}, column {cols[j]}",
                        hint="empty cells and NaN are not accepted; write zeros")
    return _Frame(rows, cols, values, path.name)


def _params(folder: Path) -> dict[str, Any]:
    p = folder / "file_parameters.json"
    if not p.exists():
        raise LayoutError("file_parameters.json not found", where=f"folder {folder}",
                          hint="point at a folder written by pymrio's save_all")
    try:
        data: dict[str, Any] = json.loads(_read_text(p))
    except json.JSONDecodeError as exc:
        raise LayoutError(f"file_parameters.json is not valid JSON: {exc}", where=f"folder {folder}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise LayoutError("file_parameters.json has no 'files' entry", where=f"folder {folder}")
    return data


def _frame(folder: Path, params: dict[str, Any], key: str) -> _Frame | None:
    spec = params["files"].get(key)
    if spec is None:
        return None
    try:
        name = str(spec["name"])
        n_index, n_header = int(spec["nr_index_col"]), int(spec["nr_header"])
    except (TypeError, KeyError, ValueError):
        raise LayoutError(f"file_parameters.json: entry {key!r} lacks name, nr_index_col or nr_header",
                          where=f"folder {folder}", hint="save the pymrio system again") from None
    if n_index < 0 or n_header < 1:
        raise LayoutError(f"file_parameters.json: entry {key!r} has {n_index} index columns and "
                          f"{n_header} header rows", where=f"folder {folder}")
    if Path(name).suffix.lower() not in (".txt", ".tsv", ".csv"):
        raise LayoutError(f"table {key} is stored as {name!r}", where=f"folder {folder}",
                          hint="save the pymrio system as text tables (pymrio's save_all writes them by default; parquet folders are not read)")
    return _read_frame(folder / name, n_index=n_index, n_header=n_header)


def _units(folder: Path, params: dict[str, Any]) -> list[str]:
    f = params["files"].get("unit")
    if not isinstance(f, dict) or "name" not in f:
        return []
    path = folder / str(f["name"])
    if not path.is_file():
        return []
    lines = _read_text(path).splitlines()
    grid = list(csv.reader(lines, delimiter=_sep(path, lines[0] if lines else "")))
    return [row[-1] for row in grid[1:] if row]


def _ordered_unique(values: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def _year_from(meta: dict[str, Any]) -> int | None:
    for key in ("version", "name", "description"):
        found = years_in(str(meta.get(key, "")))
        if found:
            return found[0]
    return None


# --------------------------------------------------------------------------- reading
def pymrio_folder_files(folder: str | Path) -> list[Path]:
    """The table and JSON files of a pymrio folder (recursively), in a stable order."""
    root = Path(folder)
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and p.suffix.lower() in (".txt", ".tsv", ".csv", ".json"))


def read_pymrio_folder(path: str | Path, *, year: int | None = None) -> PymrioFolder:
    """Read a folder written by ``pymrio.IOSystem.save_all`` (txt tables) or by
    :func:`write_pymrio_folder`.

    Returns a :class:`PymrioFolder` whose ``system`` is an :class:`EEIOSystem`:
    ``Z`` (n × n), ``Y`` (n × R·K, region-major), gross output ``x`` from ``x.txt`` or
    ``x = Z·1 + Y·1`` (Miller & Blair 2009, eq. 2.1), value added from the
    ``factor_inputs`` extension when it closes the column balance, otherwise one row
    ``VA = x − 1ᵀZ`` (said in the table's notes); every other extension becomes a
    :class:`SatelliteAccount` (``F`` k × n, ``F_Y`` k × R·K, zeros when absent).
    The year comes from ``year``, the viscarbon block of ``metadata.json``, or a
    four-digit year in the metadata's version/name/description, in that order.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise LayoutError("not a folder", where=f"path {folder}",
                          hint="give the folder pymrio's save_all wrote")
    params = _params(folder)
    meta: dict[str, Any] = {}
    meta_file = folder / "metadata.json"
    if meta_file.exists():
        try:
            meta = json.loads(_read_text(meta_file))
        except json.JSONDecodeError as exc:
            raise LayoutError(f"metadata.json is not valid JSON: {exc}", where=f"folder {folder}") from exc
        if not isinstance(meta, dict):
            raise LayoutError("metadata.json does not hold an object", where=f"folder {folder}")
    vc: dict[str, Any] = meta.get("viscarbon", {}) if isinstance(meta.get("viscarbon"), dict) else {}
    Zf = _frame(folder, params, "Z")
    Yf = _frame(folder, params, "Y")
    if Zf is None or Yf is None:
        raise LayoutError("the folder has no Z or no Y table", where=f"folder {folder}",
                          hint="export the full system with save_all (Z and Y are required)")
    if Zf.values.shape[0] != Zf.values.shape[1] or Zf.rows != Zf.cols:
        raise LayoutError("Z is not square with the same row and column labels", where=f"file {Zf.file}")
    if any(len(c) != 2 for c in Zf.cols) or any(len(c) != 2 for c in Yf.cols):
        raise LayoutError("Z and Y need two column levels (region, sector / category)",
                          where=f"folder {folder}")
    regions = _ordered_unique([c[0] for c in Zf.cols])
    sectors = _ordered_unique([c[1] for c in Zf.cols if c[0] == regions[0]])
    S = len(sectors)
    expect = [(r, s) for r in regions for s in sectors]
    if Zf.cols != expect:
        raise LayoutError("Z columns are not region × sector in region-major order", where=f"file {Zf.file}")
    if Yf.rows != Zf.rows:
        raise LayoutError("Y rows differ from Z rows", where=f"file {Yf.file}")
    y_regions = _ordered_unique([c[0] for c in Yf.cols])
    unknown = [r for r in y_regions if r not in regions]
    if unknown:
        raise LayoutError(f"Y has final-demand regions not in Z: {', '.join(unknown[:5])}",
                          where=f"file {Yf.file}")
    cats = _ordered_unique([c[1] for c in Yf.cols])
    K = len(cats)
    n = len(regions) * S
    Yfull = np.zeros((n, len(regions) * K))
    col_pos: dict[tuple[str, ...], int] = {(r, c): ri * K + ci for ri, r in enumerate(regions) for ci, c in enumerate(cats)}
    for j, c in enumerate(Yf.cols):
        Yfull[:, col_pos[c]] = Yf.values[:, j]
    Z = Zf.values
    xf = _frame(folder, params, "x")
    x = xf.values[:, 0] if xf is not None else Z.sum(axis=1) + Yfull.sum(axis=1)
    if xf is not None and xf.rows != Zf.rows:
        raise LayoutError("x rows differ from Z rows", where=f"file {xf.file}")

    # extensions
    ext_dirs = sorted(p for p in folder.iterdir() if p.is_dir() and (p / "file_parameters.json").exists())
    exts: list[tuple[str, str, _Frame, _Frame | None, list[str]]] = []
    for d in ext_dirs:
        ep = _params(d)
        F = _frame(d, ep, "F")
        if F is None:
            continue
        if F.cols != Zf.cols:
            raise LayoutError("extension F columns differ from Z columns", where=f"file {d.name}/{F.file}")
        FY = _frame(d, ep, "F_Y")
        if FY is not None and FY.cols != Yf.cols:
            raise LayoutError("extension F_Y columns differ from Y columns", where=f"file {d.name}/{FY.file}")
        exts.append((d.name, str(ep.get("name", d.name)), F, FY, _units(d, ep)))

    def full_FY(FY: _Frame | None, k: int) -> Arr:
        out = np.zeros((k, len(regions) * K))
        if FY is not None:
            for j, c in enumerate(FY.cols):
                out[:, col_pos[c]] = FY.values[:, j]
        return out

    def stressor_codes(F: _Frame) -> tuple[str, ...]:
        return tuple("|".join(r) if len(r) > 1 else r[0] for r in F.rows)

    units = _units(folder, params)
    unit = units[0] if units and len(set(units)) == 1 else ("mixed" if units else "")
    notes: list[str] = []
    fi = next((e for e in exts if normalise_key(e[0]) == "factorinputs"
               or normalise_key(e[1]) == "factorinputs"), None)
    IM = np.zeros(n)
    V: Arr
    va_codes: tuple[str, ...]
    if fi is not None:
        codes = stressor_codes(fi[2])
        vals = fi[2].values
        if vc and IMPORTS_ROW in codes:
            k = codes.index(IMPORTS_ROW)
            IM = vals[k].copy()
            keep = [i for i in range(len(codes)) if i != k]
            V, va_codes = vals[keep], tuple(codes[i] for i in keep)
        else:
            V, va_codes = vals, codes
        gap = x - Z.sum(axis=0) - IM - V.sum(axis=0)
        if np.any(np.abs(gap) > 1e-3 * np.maximum(np.abs(x), 1.0)):
            notes.append(f"value added derived as x - 1'Z: the factor inputs do not close the column "
                         f"balance (largest gap {float(np.abs(gap).max()):.6g})")
            V, va_codes, IM = (x - Z.sum(axis=0))[None, :], ("VA",), np.zeros(n)
    else:
        notes.append("value added derived as x - 1'Z: the folder has no factor_inputs extension")
        V, va_codes = (x - Z.sum(axis=0))[None, :], ("VA",)

    EX = np.zeros(n)
    keep_rows = np.arange(n)
    keep_cols = np.arange(len(regions) * K)
    out_regions, out_cats = regions, cats
    if vc:
        row_region = str(vc.get("row_region", ROW_REGION))
        exp_cat = str(vc.get("exports_category", EXPORTS_CATEGORY))
        if row_region in regions:
            rr = regions.index(row_region)
            sl = slice(rr * S, (rr + 1) * S)
            if np.any(Z[sl, :] != 0) or np.any(Z[:, sl] != 0) or np.any(x[sl] != 0):
                raise LayoutError(f"pseudo-region {row_region} has flows or output", where=f"file {Zf.file}",
                                  hint="it must only hold the exports as final demand")
            out_regions = [r for r in regions if r != row_region]
            keep_rows = np.array([i for i in range(n) if not (rr * S <= i < (rr + 1) * S)])
            if exp_cat in cats:
                EX = Yfull[:, rr * K + cats.index(exp_cat)].copy()
            out_cats = [c for c in cats if c != exp_cat]
            keep_cols = np.array([ri * K + ci for ri, r in enumerate(regions) if r != row_region
                                  for ci, c in enumerate(cats) if c != exp_cat], dtype=np.intp)
            dropped = np.setdiff1d(np.arange(len(regions) * K), keep_cols)
            other = [c for c in dropped if not (c // K == rr and cats[c % K] == exp_cat)]
            if np.any(Yfull[:, other] != 0):
                raise LayoutError("final demand outside the kept categories is not zero",
                                  where=f"file {Yf.file}", hint=f"only {row_region}/{exp_cat} may hold exports")
        unit = str(vc.get("unit", unit))
        notes = list(vc.get("notes", []))

    ix = np.ix_(keep_rows, keep_rows)
    the_year = year if year is not None else (int(vc["year"]) if "year" in vc else _year_from(meta))
    if the_year is None:
        raise DataError("the pymrio folder does not say which year it holds", where=f"folder {folder}",
                        hint="pass the year (--year YYYY)")

    def axis(role: str, dimension: str, codes: Sequence[str]) -> Axis:
        spec = vc.get("axes", {}).get(role)
        if spec and len(spec.get("codes", [])) == len(codes):
            return Axis(dimension, tuple(spec["codes"]), tuple(spec.get("labels_en", ())),
                        tuple(spec.get("labels_zh", ())), list_id=str(spec.get("list_id", "")))
        return Axis(dimension, tuple(codes))

    files = tuple(
        Provenance("pymrio", "IO system", str(meta.get("version", "")),
                   file_name=p.relative_to(folder).as_posix(), sha256=sha256_file(p),
                   notes=str(meta.get("name", "")))
        for p in pymrio_folder_files(folder)
    )
    if vc.get("synthetic"):
        files = tuple(Provenance(p.source, p.product, p.vintage, p.file_name, p.sha256,
                                 notes=p.notes, synthetic=True) for p in files)
    table = IOTable(
        year=int(the_year), regions=axis("regions", "region", out_regions),
        sectors=axis("sectors", "sector", sectors), Z=Z[ix], Y=Yfull[np.ix_(keep_rows, keep_cols)],
        fd_categories=axis("fd_categories", "fd_category", out_cats), EX=EX[keep_rows], IM=IM[keep_rows],
        V=V[:, keep_rows], va_rows=axis("va_rows", "va_row", va_codes), x=x[keep_rows], unit=unit or "",
        provenance=files, notes=tuple(notes),
    )
    sats = []
    sat_meta = vc.get("satellites", {})
    for folder_name, ext_name, F, FY, ext_units in exts:
        if fi is not None and folder_name == fi[0]:
            continue
        codes = stressor_codes(F)
        sm = sat_meta.get(ext_name, {})
        sat_unit = str(sm.get("unit", "")) or (ext_units[0] if ext_units and len(set(ext_units)) == 1
                                                else ("mixed" if ext_units else ""))
        status = tuple(sm.get("region_status", ("reported",) * len(out_regions)))
        FYv = full_FY(FY, len(codes))
        sats.append(SatelliteAccount(
            name=ext_name, stressors=Axis("stressor", codes), F=F.values[:, keep_rows],
            F_Y=FYv[:, keep_cols], unit=sat_unit, year=int(the_year), region_status=status,
            provenance=files, notes=tuple(sm.get("notes", ()))))
    name = str(meta.get("name", folder.name))
    return PymrioFolder(system=EEIOSystem(table=table, satellites=tuple(sats), dataset=name),
                        name=name, metadata=meta, files=files)
