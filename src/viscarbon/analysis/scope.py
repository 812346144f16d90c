"""What the structural analyses share: the scope they run on (the full R·S MRIO or one
province's own S × S block, labelled as such: the block ``A_rr`` with the block's own
final deliveries ``y_r = x_r − Z_rr·1``, i.e. everything the province's sectors deliver
outside its own intermediate use) and the metadata helpers of their results.

Each structural analysis (:mod:`.keysectors`, :mod:`.extraction`, :mod:`.spa`,
:mod:`.sda`) has its result class and a function over an :class:`~viscarbon.model.EEIOSystem`
in its own module; :class:`~viscarbon.analysis.year.YearAnalysis` runs them on the year's
cached factor. Results are frozen, carry codes (labels are looked up at render time in
``en`` or ``zh-Hans``), units, the dataset's citation and the synthetic flag, and export
through :func:`viscarbon.io.writers.write_table`. Definitions: ``docs/math.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.leontief import (
    LeontiefFactor,
    factorize,
    solve,
    solve_transposed,
    technical_coefficients,
)
from viscarbon.errors import DataError
from viscarbon.i18n import t
from viscarbon.io.writers import write_table
from viscarbon.io.writers.schema import NOTE_SEPARATOR, Schema, unit_label
from viscarbon.model import Axis, EEIOSystem

__all__ = [
    "EXPORTS_CODE",
    "NATIONAL_CODE",
    "TOTAL_CODE",
    "Format",
    "Scope",
    "citation_of",
    "imports_mixed",
    "make_scope",
    "meta_tail",
    "node_code",
    "readonly_copy",
    "scope_note",
    "status_notes",
    "units_text",
    "write_records",
]

Arr = NDArray[np.float64]
Format = Literal["csv", "parquet", "xlsx", "json"]
#: pseudo-destination of foreign exports in sda, and the national row
EXPORTS_CODE: Final = "EX"
NATIONAL_CODE: Final = "CN"
TOTAL_CODE: Final = "TOTAL"


def readonly_copy(a: Any) -> Arr:
    """A read-only float64 array: ``a`` itself when it already is one, else a copy."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.flags.writeable or arr is not a:
        arr = np.array(arr, dtype=np.float64)
        arr.setflags(write=False)
    return arr


def citation_of(system: EEIOSystem) -> str:
    cites = [p.citation for p in system.table.provenance if p.citation]
    return "; ".join(dict.fromkeys(cites))


def imports_mixed(years: Sequence[tuple[int, str]]) -> tuple[str, str] | None:
    """``(competitive years, non-competitive years)`` as text when tables compared with
    each other mix a competitive-imports table (imports inside final demand as the negative
    category IMP: NBS 2015) with non-competitive ones; ``None`` when they do not mix.
    ``years``: ``(year, IOTable.imports_treatment)`` pairs."""
    comp = sorted({y for y, tr in years if tr == "competitive"})
    non = sorted({y for y, tr in years if tr != "competitive"})
    if not comp or not non:
        return None
    return ", ".join(map(str, comp)), ", ".join(map(str, non))


def units_text(columns: Mapping[str, str] | Schema, lang: str | None) -> str:
    """``"col: unit label; …"`` with the unit labels of the ``common`` catalog (the
    columns with a unit of a schema, or column → unit code)."""
    units = columns.units() if isinstance(columns, Schema) else columns
    return "; ".join(f"{col}: {unit_label(u, lang)}" for col, u in units.items())


def meta_tail(citation: str, synthetic: bool, notes: Sequence[str], lang: str | None) -> dict[str, str]:
    """Citation, synthetic flag and notes (joined by `` | ``) of a metadata block."""
    out = {"citation": citation, "synthetic": "true" if synthetic else "false"}
    texts = ([t("common.synthetic_demo", lang)] if synthetic else []) + list(notes)
    if texts:
        out["notes"] = NOTE_SEPARATOR.join(texts)
    return out


def write_records(records: list[dict[str, object]], meta: Mapping[str, str], path: str | Path,
                  fmt: Format, *, schema: Schema, lang: str | None = None) -> Path:
    """Write a structural result's records with its metadata block and column ``schema``
    (a CSV file gets its ``<stem>.datapackage.json`` beside it)."""
    return write_table(records, path, fmt=fmt, meta=dict(meta), schema=schema, lang=lang)


def node_code(regions: Axis, sectors: Axis, i: int) -> tuple[str, str]:
    S = len(sectors)
    return regions.codes[i // S], sectors.codes[i % S]


@dataclass(frozen=True, eq=False)
class Scope:
    """Arrays of the system an analysis runs on (full MRIO or one province's block)."""

    A: Arr
    x: Arr  # baseline output solved from the factor (x = L y), 10,000 yuan
    y: Arr  # total final demand incl. exports (block: x_r − Z_rr 1), 10,000 yuan
    e: Arr  # CO2 per unit output, Mt per 10,000 yuan
    m: Arr  # total intensity e L, Mt per 10,000 yuan
    co2: Arr  # industry CO2, Mt (n,)
    factor: LeontiefFactor
    regions: Axis
    sectors: Axis
    isolated: bool


def make_scope(system: EEIOSystem, *, region: str | None, isolated: bool,
           A: Arr | None = None, factor: LeontiefFactor | None = None) -> Scope:
    table = system.table
    co2 = system.satellite("CO2").total
    if isolated:
        if region is None:
            raise DataError("an isolated (single-province) analysis needs a region",
                            hint="pass --region, e.g. --region GD")
        sl = table.region_slice(region)
        Z = np.asarray(table.Z[sl, sl])
        x_tab = np.asarray(table.x[sl])
        A_s = technical_coefficients(Z, x_tab)
        fac = factorize(A_s)
        y = x_tab - Z.sum(axis=1)
        regions = Axis.regions((region,)) if table.regions.list_id == "cn31" else Axis(
            "region", (region,), (table.regions.labels_en[table.regions.index(region)],),
            (table.regions.labels_zh[table.regions.index(region)],))
        co2_s = np.asarray(co2[sl])
        x_tab_s = x_tab
    else:
        if region is not None:
            table.regions.index(region)  # validate early (UnknownCode names the allowed values)
        A_s = A if A is not None else technical_coefficients(table.Z, table.x)
        fac = factor if factor is not None else factorize(A_s)
        y = table.y_total()
        regions = table.regions
        co2_s = np.asarray(co2)
        x_tab_s = np.asarray(table.x)
    e = np.zeros_like(x_tab_s)
    np.divide(co2_s, x_tab_s, out=e, where=x_tab_s != 0)
    x = solve(fac, y)
    m = solve_transposed(fac, e)
    return Scope(A=readonly_copy(A_s), x=readonly_copy(x), y=readonly_copy(y), e=readonly_copy(e), m=readonly_copy(m), co2=readonly_copy(co2_s), factor=fac,
                  regions=regions, sectors=table.sectors, isolated=isolated)


def scope_note(isolated: bool, region: str | None, lang: str | None) -> str:
    if isolated:
        return t("structural.note.isolated", lang, region=region or "")
    return t("structural.note.mrio", lang)


def status_notes(system: EEIOSystem, lang: str | None) -> list[str]:
    sat = system.satellite("CO2")
    notes = []
    missing = sat.missing_regions(system.table.regions)
    if missing:
        notes.append(t("structural.note.missing", lang, regions=", ".join(missing)))
    imputed = sat.imputed_regions(system.table.regions)
    if imputed:
        notes.append(t("structural.note.imputed", lang, regions=", ".join(imputed)))
    return notes
