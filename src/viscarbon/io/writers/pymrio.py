"""Write pymrio folders (what ``pymrio.load_all`` reads) without pandas.

The folder layout and the CEADs conventions (the 31 provinces as regions, foreign exports
as the final demand of a pseudo-region ``RoW``, imports and value added in
``factor_inputs``, CO2 with households' direct emissions in ``F_Y``) are described in
:mod:`viscarbon.io.readers.pymrio`, which reads such folders back bit for bit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import DataError
from viscarbon.io.readers.pymrio import (
    EXPORTS_CATEGORY,
    FACTOR_INPUTS,
    IMPORTS_ROW,
    MARKER_VERSION,
    ROW_REGION,
)
from viscarbon.model import Axis, EEIOSystem, IOTable

__all__ = ["write_pymrio_folder"]

Arr = NDArray[np.float64]

def _fmt_row(values: Arr) -> str:
    return "\t".join(map(repr, values.tolist()))


def _write_frame(path: Path, *, row_levels: Sequence[str], rows: Sequence[tuple[str, ...]],
                 col_levels: Sequence[str], cols: Sequence[tuple[str, ...]], values: Arr) -> None:
    """Write a table the way pandas' ``to_csv(sep="\\t")`` writes a frame with these labels."""
    a, h = len(row_levels), len(col_levels)
    ncols = len(cols)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        if h == 1:
            fh.write("\t".join([*row_levels, *(c[0] for c in cols)]) + "\n")
        else:
            for lvl in range(h):
                fh.write("\t".join([col_levels[lvl], *([""] * (a - 1)), *(c[lvl] for c in cols)]) + "\n")
            fh.write("\t".join([*row_levels, *([""] * ncols)]) + "\n")
        for r, row in zip(rows, values, strict=True):
            fh.write("\t".join(r) + "\t" + _fmt_row(row) + "\n")


def _write_params(folder: Path, files: dict[str, tuple[str, int, int]], systemtype: str,
                  name: str | None = None) -> None:
    data: dict[str, Any] = {
        "files": {k: {"name": v[0], "nr_index_col": str(v[1]), "nr_header": str(v[2])}
                  for k, v in files.items()},
        "systemtype": systemtype,
    }
    if name is not None:
        data["name"] = name
    (folder / "file_parameters.json").write_text(json.dumps(data, indent=4), encoding="utf-8")


def _label(code: str) -> str:
    return f"S{code}" if code.isdigit() else code


def _folder_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "extension"


def write_pymrio_folder(system: EEIOSystem | IOTable, out_dir: str | Path, *, name: str = "",
                        description: str = "") -> Path:
    """Write ``system`` as a folder that ``pymrio.load_all`` reads (layout in the module
    docstring). Returns ``out_dir``. Numbers are written exactly (shortest ``repr``)."""
    if isinstance(system, IOTable):
        system = EEIOSystem(table=system)
    t = system.table
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    R, S, K = t.n_regions, t.n_sectors, len(t.fd_categories)
    if ROW_REGION in t.regions.codes or EXPORTS_CATEGORY in t.fd_categories.codes:
        raise DataError(f"the table already has a region {ROW_REGION!r} or a category {EXPORTS_CATEGORY!r}",
                        hint="rename it before exporting to pymrio")
    n, n2, K2 = t.n, (R + 1) * S, K + 1
    regions = [*t.regions.codes, ROW_REGION]
    sec_labels = [_label(c) for c in t.sectors.codes]
    cats = [*t.fd_categories.codes, EXPORTS_CATEGORY]
    rs = [(r, s) for r in regions for s in sec_labels]
    rc = [(r, c) for r in regions for c in cats]
    Z = np.zeros((n2, n2))
    Z[:n, :n] = t.Z
    Y = np.zeros((n2, (R + 1) * K2))
    for r in range(R):
        Y[:n, r * K2 : r * K2 + K] = t.Y[:, r * K : (r + 1) * K]
    Y[:n, R * K2 + K] = t.EX
    x = np.zeros(n2)
    x[:n] = t.x

    def widen_F(F: Arr) -> Arr:
        out_F = np.zeros((F.shape[0], n2))
        out_F[:, :n] = F
        return out_F

    def widen_FY(FY: Arr) -> Arr:
        out_FY = np.zeros((FY.shape[0], (R + 1) * K2))
        for r in range(R):
            out_FY[:, r * K2 : r * K2 + K] = FY[:, r * K : (r + 1) * K]
        return out_FY

    _write_frame(out / "Z.txt", row_levels=("region", "sector"), rows=rs, col_levels=("region", "sector"),
                 cols=rs, values=Z)
    _write_frame(out / "Y.txt", row_levels=("region", "sector"), rows=rs, col_levels=("region", "category"),
                 cols=rc, values=Y)
    _write_frame(out / "x.txt", row_levels=("region", "sector"), rows=rs, col_levels=("indout",),
                 cols=[("indout",)], values=x[:, None])
    with open(out / "unit.txt", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("region\tsector\tunit\n")
        for reg, sec in rs:
            fh.write(f"{reg}\t{sec}\t{t.unit}\n")
    _write_params(out, {"Z": ("Z.txt", 2, 2), "Y": ("Y.txt", 2, 2), "x": ("x.txt", 2, 1),
                        "unit": ("unit.txt", 2, 1)}, "IOSystem")

    # factor inputs: imports row + value added
    fi_dir = out / FACTOR_INPUTS
    fi_dir.mkdir(exist_ok=True)
    fi_rows = [IMPORTS_ROW, *t.va_rows.codes]
    _write_frame(fi_dir / "F.txt", row_levels=("inputtype",), rows=[(c,) for c in fi_rows],
                 col_levels=("region", "sector"), cols=rs, values=widen_F(np.vstack([t.IM[None, :], t.V])))
    (fi_dir / "unit.txt").write_text("inputtype\tunit\n" + "".join(f"{c}\t{t.unit}\n" for c in fi_rows),
                                     encoding="utf-8")
    _write_params(fi_dir, {"F": ("F.txt", 1, 2), "unit": ("unit.txt", 1, 1)}, "Extension", "Factor Inputs")

    sat_meta: dict[str, Any] = {}
    for sat in system.satellites:
        d = out / _folder_name(sat.name)
        if d.name == FACTOR_INPUTS:
            raise DataError(f"satellite name {sat.name!r} clashes with factor_inputs", hint="rename it")
        d.mkdir(exist_ok=True)
        srows = [(c,) for c in sat.stressors.codes]
        _write_frame(d / "F.txt", row_levels=("stressor",), rows=srows, col_levels=("region", "sector"),
                     cols=rs, values=widen_F(sat.F))
        _write_frame(d / "F_Y.txt", row_levels=("stressor",), rows=srows, col_levels=("region", "category"),
                     cols=rc, values=widen_FY(sat.F_Y))
        (d / "unit.txt").write_text("stressor\tunit\n" + "".join(f"{c}\t{sat.unit}\n" for c in sat.stressors.codes),
                                    encoding="utf-8")
        _write_params(d, {"F": ("F.txt", 1, 2), "F_Y": ("F_Y.txt", 1, 2), "unit": ("unit.txt", 1, 1)},
                      "Extension", sat.name)
        sat_meta[sat.name] = {"unit": sat.unit, "region_status": list(sat.region_status),
                              "notes": list(sat.notes)}

    def axis_spec(a: Axis) -> dict[str, Any]:
        return {"codes": list(a.codes), "labels_en": list(a.labels_en), "labels_zh": list(a.labels_zh),
                "list_id": a.list_id}

    meta: dict[str, Any] = {
        "description": description or f"viscarbon export of {system.dataset or 'a table'} ({t.year})",
        "name": name or system.dataset or "viscarbon",
        "system": "ixi",
        "version": str(t.year),
        "history": [f"FILEIO - written by viscarbon (year {t.year}, unit {t.unit})"],
        "viscarbon": {
            "format": MARKER_VERSION, "year": t.year, "unit": t.unit, "row_region": ROW_REGION,
            "exports_category": EXPORTS_CATEGORY, "imports_row": IMPORTS_ROW,
            "synthetic": t.synthetic, "notes": list(t.notes),
            "axes": {"regions": axis_spec(t.regions), "sectors": axis_spec(t.sectors),
                     "fd_categories": axis_spec(t.fd_categories), "va_rows": axis_spec(t.va_rows)},
            "satellites": sat_meta,
            "citation": "; ".join(sorted({p.citation for p in t.provenance if p.citation})),
        },
    }
    (out / "metadata.json").write_text(json.dumps(meta, indent=4, ensure_ascii=False), encoding="utf-8")
    return out
