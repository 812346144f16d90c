"""The export use case: a dataset (stored or the embedded demo) as tidy tables or pymrio
folders, with the same CO2 every other consumer sees (:meth:`viscarbon.datasets.Catalog.
resolve`: the stored harmonized CO2, and the imputation overlay with ``impute_missing``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from viscarbon._version import __version__
from viscarbon.datasets import Catalog
from viscarbon.errors import DataError, NotFound
from viscarbon.i18n import t
from viscarbon.ingest.sources import Progress
from viscarbon.io.store import resolve_store_path
from viscarbon.io.writers import write_columns, write_pymrio_folder
from viscarbon.io.writers.datapackage import PACKAGE_FILE, resource, write_datapackage
from viscarbon.io.writers.schema import Schema
from viscarbon.io.writers.tables import (
    apparent_columns,
    inventory_columns,
    inventory_schema,
    io_block_schema,
    io_table_columns,
    satellite_columns,
    satellite_schema,
)

__all__ = ["EXPORT_FORMATS", "ExportResult", "export_dataset"]

EXPORT_FORMATS: Final = ("csv", "parquet", "xlsx", "json", "pymrio")
_UNIT_TEXT: Final = {"10k_yuan": "10,000 yuan (万元)", "Mt": "Mt CO2"}


@dataclass(frozen=True)
class ExportResult:
    """Files written by :func:`export_dataset` (the README first; for CSV the
    ``datapackage.json`` second)."""

    name: str
    fmt: str
    out_dir: Path
    files: tuple[Path, ...]
    synthetic: bool


def _meta(*, name: str, kind: str, citation: str, synthetic: bool, unit: str, year: int | None,
          block: str, notes: Sequence[str] = ()) -> dict[str, str]:
    meta = {
        "dataset": name, "kind": kind, "block": block, "unit": unit, "citation": citation,
        "synthetic": "true" if synthetic else "false",
        "cells": "only non-zero cells are listed; missing cells are zero",
        "generated_by": f"viscarbon {__version__}",
    }
    if year is not None:
        meta["year"] = str(year)
    if synthetic:
        meta["warning"] = t("common.synthetic_demo", "en")
    if notes:
        meta["notes"] = " | ".join(notes)
    return meta


def export_dataset(store_path: str | Path | None, name: str, out_dir: str | Path, *, fmt: str,
                   year: int | None = None, progress: Progress | None = None,
                   impute_missing: bool = False, lang: str | None = None) -> ExportResult:
    """Export dataset ``name`` (``demo`` for the embedded demo) to ``out_dir``.

    ``fmt`` ``csv`` / ``parquet`` / ``xlsx`` / ``json``: tidy long tables with codes and
    units (IO: one file per block and year, the CO2 account among them; inventories:
    region, year, sector, fuel, value, unit); ``pymrio``: one pymrio folder per year. CSV
    files are plain (a header row, then the rows) and one Frictionless
    ``datapackage.json`` in ``out_dir`` lists every one of them with its column schema
    (types, units, descriptions in ``lang``) and metadata; the other formats carry both
    inside the file (:mod:`viscarbon.io.writers.tables`). A ``README.md`` with the
    citation, units and (for the demo) the synthetic flag is always written.
    ``impute_missing``: the CO2 of regions without inventory is imputed (flagged in the
    metadata), as in every other output with that option.
    """
    if fmt not in EXPORT_FORMATS:
        raise DataError(f"unknown export format {fmt!r}", hint="use one of: " + ", ".join(EXPORT_FORMATS))
    out = Path(out_dir)
    catalog = Catalog(resolve_store_path(store_path), impute_missing=impute_missing)
    state = catalog.state()
    info = state.info(name)
    kind, citation, synthetic = info.kind, info.citation or t("common.citation.demo", "en"), info.synthetic
    if year is not None and year not in info.years:
        raise NotFound(f"dataset {name!r} has no year {year}", hint="years: " + ", ".join(map(str, info.years)))
    years = (year,) if year is not None else tuple(info.years)
    has_io = not info.is_inventory
    if fmt == "pymrio" and not has_io:
        raise DataError(f"dataset {name!r} is an inventory; a pymrio export needs an IO table",
                        hint="export it as csv, parquet, xlsx or json")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    readme_rows: list[tuple[str, str]] = []
    resources: list[dict[str, object]] = []

    def table(cols: dict[str, object], path: Path, schema: Schema, meta: dict[str, str]) -> None:
        write_columns(cols, path, fmt=fmt, meta=meta, schema=schema, lang=lang,  # type: ignore[arg-type]
                      sidecar=False)
        written.append(path)
        if fmt == "csv":
            resources.append(resource(path.name, schema, meta, lang=lang))

    with_inventory = fmt != "pymrio" and kind in ("ceads-inventory", "demo")
    steps = len(years) + (1 if with_inventory else 0)
    done = 0
    if has_io:
        for y in years:
            resolved = catalog.resolve(name, y, state=state)
            system = resolved.system
            tab = system.table
            notes = [f"CO2 of {', '.join(resolved.imputed)} is imputed"] if resolved.imputed else []
            if fmt == "pymrio":
                folder = write_pymrio_folder(system, out / f"{name}_{y}_pymrio", name=name)
                written.append(folder)
                readme_rows.append((folder.name, f"pymrio folder (pymrio.load_all), year {y}"))
            else:
                for block, cols in io_table_columns(tab).items():
                    p = out / f"{name}_{y}_{block}.{fmt}"
                    table(cols, p, io_block_schema(block, tab.unit),  # type: ignore[arg-type]
                          _meta(name=name, kind=kind, citation=citation, synthetic=synthetic, unit=tab.unit,
                                year=y, block=block))
                    readme_rows.append((p.name, f"IO block {block}, year {y}, unit {_UNIT_TEXT.get(tab.unit, tab.unit)}"))
                for sat in system.satellites:
                    p = out / f"{name}_{y}_{sat.name}.{fmt}"
                    table(satellite_columns(sat, tab), p, satellite_schema(sat.unit),  # type: ignore[arg-type]
                          _meta(name=name, kind=kind, citation=citation, synthetic=synthetic, unit=sat.unit,
                                year=y, block=sat.name, notes=notes if sat.name == "CO2" else ()))
                    readme_rows.append((p.name, f"satellite {sat.name}, year {y}, unit {_UNIT_TEXT.get(sat.unit, sat.unit)}"))
            done += 1
            if progress:
                progress(str(y), done, steps)
    if kind == "ceads-apparent":
        apps = [a for a in catalog.apparent_tables(name, state=state) if a.year in years]
        p = out / f"{name}_apparent.{fmt}"
        write_columns(apparent_columns(apps), p, fmt=fmt,  # type: ignore[arg-type]
                      meta=_meta(name=name, kind=kind, citation=citation, synthetic=synthetic,
                                 unit="Mt", year=year, block="apparent"))
        written.append(p)
        readme_rows.append((p.name, "apparent emissions: region, year, category (raw_coal, crude_oil, "
                                    "natural_gas, cement_process, total), value, unit (Mt CO2)"))
        if progress:
            progress("apparent", 1, 1)
    if with_inventory:
        invs = [i for i in catalog.inventory_tables(name, state=state) if i.year in years]
        if invs:
            p = out / f"{name}_inventory.{fmt}"
            table(inventory_columns(invs), p, inventory_schema(invs[0].unit),  # type: ignore[arg-type]
                  _meta(name=name, kind=kind, citation=citation, synthetic=synthetic, unit=invs[0].unit,
                        year=year, block="inventory"))
            readme_rows.append((p.name, "inventory: region, year, sector, fuel, value, unit (Mt CO2)"))
        done += 1
        if progress:
            progress("inventory", done, steps)
    package: tuple[Path, ...] = ()
    if resources:
        pmeta = _meta(name=name, kind=kind, citation=citation, synthetic=synthetic, unit="", year=year,
                      block="")
        pmeta = {k: v for k, v in pmeta.items() if k not in ("unit", "block")}
        pmeta["title"] = f"viscarbon export: {name}"
        pmeta["years"] = ", ".join(str(y) for y in years)
        package = (write_datapackage(out / PACKAGE_FILE, resources, pmeta, name=name, lang=lang),)
        readme_rows.insert(0, (PACKAGE_FILE, "Frictionless Data Package: every CSV file with its columns "
                                             "(type, unit, description) and metadata"))
    readme = _write_readme(out, name=name, kind=kind, years=years, citation=citation, synthetic=synthetic,
                           fmt=fmt, rows=readme_rows)
    return ExportResult(name=name, fmt=fmt, out_dir=out, files=(readme, *package, *written), synthetic=synthetic)


def _write_readme(out: Path, *, name: str, kind: str, years: Sequence[int], citation: str, synthetic: bool,
                  fmt: str, rows: Sequence[tuple[str, str]]) -> Path:
    lines = [f"# viscarbon export: {name}", ""]
    if synthetic:
        lines += [f"**SYNTHETIC DATA.** {t('common.synthetic_demo', 'en')}",
                  f"**合成数据。** {t('common.synthetic_demo', 'zh-Hans')}", ""]
    lines += [
        f"- dataset: `{name}` (kind `{kind}`)",
        f"- years: {', '.join(str(y) for y in years)}",
        f"- format: {fmt}",
        f"- synthetic: {'true' if synthetic else 'false'}",
        f"- generated by: viscarbon {__version__}",
        "",
        "## Citation",
        "",
        citation,
        "",
        "## Files",
        "",
        *(f"- `{f}`: {d}" for f, d in rows),
        "",
        "## Conventions",
        "",
        "Codes, not labels: regions are two-letter province codes (BJ … XJ), sectors the two-digit",
        "codes of the NBS 42-sector list, final-demand categories FU101-FU202 and Other (ERR).",
        "IO values are in 10,000 yuan (万元), current prices; CO2 in Mt. Only non-zero cells are",
        "listed (missing cells are zero). CSV files are plain (one header row, then the rows; UTF-8;",
        "floats in their shortest round-trip form; an empty field is an unknown or not-applicable",
        "value): their metadata and column definitions (type, unit, description; codes such as `01`",
        "are text) are in `datapackage.json` (Frictionless Data Package). The other formats carry",
        "them inside the file (xlsx: `metadata` and `columns` sheets; json: `meta` and `schema`;",
        "parquet: key-value metadata, `schema` holding the column definitions as JSON).",
        "",
    ]
    p = out / "README.md"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p
