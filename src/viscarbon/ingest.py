"""The import use case: read (io) → validate → harmonize → store (io), all or nothing.

:func:`import_files` reads every file first with the reader of its kind (each reader
validates: layout, numbers, balances, year), harmonizes CEADs MRIO years with the
linked inventory (:func:`viscarbon.harmonize.build_co2_satellite`), and only then writes
the store in one atomic transaction (:meth:`viscarbon.io.store.Store.transaction`). A
bad file fails the whole command with the reader's error and the store unchanged;
re-importing files already stored (same SHA-256) changes nothing and says so.

Inventories: provincial workbooks (one per year) or the CEADs national workbook (one
sheet per year, region ``CN``; default name ``ceads-inventory-national-<first>-<last>``),
never both in one command. IO datasets are linked to the inventory dataset that covers
their regions: CEADs MRIO tables to a provincial inventory, NBS national tables to the
national one (``inventory=`` or the only such dataset in the store); :func:`link_dataset`
links (or re-links) a stored IO dataset afterwards.

Also here: :func:`remove_dataset`, :func:`rename_dataset`, :func:`link_dataset` (the
other writes) and
:func:`export_dataset` (tidy tables or a pymrio folder, for stored datasets and the
embedded demo).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from viscarbon.errors import DataError, LayoutError, NotFound, StoreError
from viscarbon.io.files import sha256_file
from viscarbon.io.store import DatasetRecord, Store
from viscarbon.model import EEIOSystem, InventoryTable, IOTable

if TYPE_CHECKING:
    from viscarbon.harmonize import ReconciliationReport

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_KINDS",
    "ExportResult",
    "ImportResult",
    "LinkResult",
    "Progress",
    "dataset_listing",
    "default_name",
    "export_dataset",
    "import_files",
    "inventory_regions",
    "link_dataset",
    "remove_dataset",
    "rename_dataset",
]

IMPORT_KINDS: Final = ("ceads-inventory", "ceads-mrio", "nbs-io", "pymrio")
#: IO dataset kinds whose CO2 comes from a linked inventory dataset (harmonized).
LINKABLE_KINDS: Final = ("ceads-mrio", "nbs-io")
#: Dataset notes marker of an inventory imported from the CEADs national workbook.
NATIONAL_VINTAGE: Final = "vintage: national"
EXPORT_FORMATS: Final = ("csv", "parquet", "xlsx", "json", "pymrio")
DEMO_NAME: Final = "demo"
_NAME_RE: Final = re.compile(r"^[\w][\w.\-]{0,63}$")
_CITATION_KEYS: Final = {
    "ceads-inventory": "common.citation.inventory",
    "nbs-io": "common.citation.nbs_io",
    "pymrio": "common.citation.pymrio",
}

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: ``step`` is a file name or ``"write"``."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    ``changed`` is False when the same files (by SHA-256) were already stored as
    ``existing``. For MRIO and NBS datasets, ``link`` says how the inventory was chosen
    (``option``, ``auto``, ``absent`` = no inventory dataset covering the table's regions
    in the store, ``ambiguous`` = several, none chosen: see ``candidates``);
    ``link_regions`` are the table's regions the choice was made for (``("CN",)`` for NBS
    tables); ``national`` is True for an inventory dataset imported from the national
    workbook; ``inventory_years`` maps each table year to
    the inventory year harmonized with it (the nearest when not equal) and
    ``reconciliation`` holds the per-region reports (Mt CO2).
    """

    name: str
    kind: str
    years: tuple[int, ...]
    changed: bool
    store_path: Path
    files: tuple[str, ...]
    existing: str | None = None
    linked_inventory: str | None = None
    link: str = "none"
    candidates: tuple[str, ...] = ()
    inventory_years: dict[int, int] = field(default_factory=dict)
    reconciliation: dict[int, ReconciliationReport] = field(default_factory=dict)
    seconds: float = 0.0
    link_regions: tuple[str, ...] = ()
    national: bool = False


@dataclass(frozen=True)
class LinkResult:
    """What :func:`link_dataset` did: ``name`` is now harmonized with ``inventory``
    (``previous`` was linked before, or None); ``changed`` is False when it already was;
    ``inventory_years`` maps each table year to the inventory year used (the nearest when
    not equal); ``reconciliation`` the per-year reports (Mt CO2)."""

    name: str
    inventory: str
    previous: str | None
    changed: bool
    inventory_years: dict[int, int] = field(default_factory=dict)
    reconciliation: dict[int, ReconciliationReport] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportResult:
    """Files written by :func:`export_dataset` (the README first)."""

    name: str
    fmt: str
    out_dir: Path
    files: tuple[Path, ...]
    synthetic: bool


# --------------------------------------------------------------------------- helpers
def default_name(kind: str, years: Sequence[int]) -> str:
    """``<kind>-<first year>-<last year>`` (``<kind>-<year>`` for one year)."""
    ys = sorted(set(years))
    return f"{kind}-{ys[0]}" if len(ys) == 1 else f"{kind}-{ys[0]}-{ys[-1]}"


def _check_name(name: str) -> None:
    if name == DEMO_NAME:
        raise StoreError("the name 'demo' is reserved for the embedded demo dataset",
                         hint="choose another --name")
    if not _NAME_RE.match(name):
        raise StoreError(f"invalid dataset name {name!r}",
                         hint="use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")


def _citation(kind: str, tables: Sequence[IOTable] = ()) -> str:
    from viscarbon.i18n import t

    cites = sorted({p.citation for tab in tables for p in tab.provenance if p.citation})
    if cites:
        return " | ".join(cites)
    if kind == "ceads-mrio":
        years = [tab.year for tab in tables]
        keys = {("common.citation.mrio_2018_2020" if y >= 2018 else "common.citation.mrio_2012_2017") for y in years}
        return " | ".join(t(k, "en") for k in sorted(keys)) or t("common.citation.mrio_2012_2017", "en")
    return t(_CITATION_KEYS.get(kind, "common.citation.pymrio"), "en")


def _sources(kind: str, paths: Sequence[Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p).expanduser()
        if not p.exists():
            raise LayoutError("file not found", where=f"file {p}", hint="check the path")
        if kind == "pymrio":
            if not p.is_dir():
                raise LayoutError("a pymrio import takes a folder", where=f"path {p}",
                                  hint="give the folder that pymrio's save_all wrote")
        elif p.is_dir():
            raise LayoutError(f"a {kind} import takes files, not a folder", where=f"path {p}",
                              hint="list the files, e.g. folder/*.xlsx")
        out.append(p)
    if not out:
        raise LayoutError(f"no files given for the {kind} import", hint="list one or more files")
    return out


def _digests(kind: str, paths: Sequence[Path]) -> frozenset[str]:
    if kind == "pymrio":
        from viscarbon.io.readers.pymrio import pymrio_folder_files

        return frozenset(sha256_file(f) for p in paths for f in pymrio_folder_files(p))
    return frozenset(sha256_file(p) for p in paths)


def _unique_years(items: Sequence[tuple[int, Path]]) -> tuple[int, ...]:
    seen: dict[int, Path] = {}
    for year, p in items:
        if year in seen:
            raise DataError(f"two files hold the year {year}: {seen[year].name} and {p.name}",
                            hint="import one file per year")
        seen[year] = p
    return tuple(sorted(seen))


def inventory_regions(store: Store, name: str) -> tuple[str, ...]:
    """The region codes of inventory dataset ``name`` (from its first year; every year of
    an inventory dataset comes from the same release)."""
    rec = store.dataset(name)
    if rec.kind != "ceads-inventory":
        raise DataError(f"dataset {name!r} is a {rec.kind} dataset, not an inventory",
                        where=f"store {store.path}",
                        hint="link an inventory dataset (kind ceads-inventory); see `viscarbon datasets`")
    return tuple(store.load_inventory(name, rec.years[0]).regions.codes)


def _check_covers(store: Store, inventory: str, regions: Sequence[str], *, what: str) -> None:
    inv_regions = inventory_regions(store, inventory)
    if not set(inv_regions) & set(regions):
        national = inv_regions == ("CN",)
        raise DataError(
            f"inventory dataset {inventory!r} covers region(s) {_regions_text(inv_regions)}, "
            f"{what} covers {_regions_text(regions)}: no region in common",
            where=f"store {store.path}",
            hint=("a national inventory (CN) goes with NBS national tables; link a provincial "
                  "inventory to MRIO tables" if national else
                  "link NBS national tables (CN) to the national inventory: import it with "
                  "`viscarbon import ceads-inventory China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx`"))


def _regions_text(regions: Sequence[str]) -> str:
    regions = list(regions)
    return ", ".join(regions) if len(regions) <= 6 else ", ".join(regions[:5]) + f" … ({len(regions)} regions)"


def _link_inventory(store: Store, inventory: str | None, regions: Sequence[str], *,
                    what: str = "the table") -> tuple[DatasetRecord | None, str, tuple[str, ...]]:
    """Choose the inventory dataset for tables of ``regions``: ``inventory`` (checked to
    cover them), else the only inventory dataset that covers any of them."""
    invs = [r for r in store.datasets() if r.kind == "ceads-inventory"]
    if inventory is not None:
        for r in invs:
            if r.name == inventory:
                _check_covers(store, r.name, regions, what=what)
                return r, "option", ()
        raise NotFound(f"no inventory dataset named {inventory!r}", where=f"store {store.path}",
                       hint="inventory datasets: " + (", ".join(r.name for r in invs) or "none")
                       + "; import one with `viscarbon import ceads-inventory`")
    wanted = set(regions)
    covering = [r for r in invs if wanted & set(inventory_regions(store, r.name))]
    if len(covering) == 1:
        return covering[0], "auto", ()
    if not covering:
        return None, "absent", ()
    return None, "ambiguous", tuple(r.name for r in covering)


def _harmonize(store: Store, inv_rec: DatasetRecord, tables: Sequence[IOTable]
               ) -> tuple[dict[int, int], dict[int, ReconciliationReport]]:
    """Harmonize each table with the nearest year of ``inv_rec``: (inventory years, reports)."""
    from viscarbon.harmonize import build_co2_satellite

    inv_years: dict[int, int] = {}
    reports: dict[int, ReconciliationReport] = {}
    for tab in tables:
        iy = _nearest(tab.year, inv_rec.years)
        inv_years[tab.year] = iy
        _, report = build_co2_satellite(store.load_inventory(inv_rec.name, iy), tab)
        reports[tab.year] = report
    return inv_years, reports


def _read_inventories(sources: Sequence[Path], progress: Progress | None = None
                      ) -> tuple[list[InventoryTable], list[Path], bool]:
    """Read provincial workbooks (one year each) or national workbooks (every year);
    returns (inventories, the file of each, national?). Mixing the two is an error."""
    from viscarbon.io.files import open_workbook
    from viscarbon.io.readers.ceads_inventory.reader import (
        read_inventory_workbook,
        read_national_inventory,
    )

    invs: list[InventoryTable] = []
    files: list[Path] = []
    kinds: dict[bool, Path] = {}
    for k, p in enumerate(sources):
        try:
            got = [read_inventory_workbook(p)]
            national = False
        except LayoutError:
            sheets = open_workbook(p).sheet_names
            if not any(re.fullmatch(r"\s*(19|20)\d\d\s*", n) for n in sheets):
                raise
            got = list(read_national_inventory(p).values())
            national = True
        kinds.setdefault(national, p)
        if len(kinds) > 1:
            raise DataError(
                f"{kinds[True].name} is the national inventory workbook (region CN) and "
                f"{kinds[False].name} a provincial one: they cannot form one dataset",
                where=f"file {p}",
                hint="import the national workbook and the provincial workbooks with two "
                     "`viscarbon import ceads-inventory` commands")
        invs.extend(got)
        files.extend([p] * len(got))
        if progress:
            progress(p.name, k + 1, len(sources))
    return invs, files, bool(kinds.get(True))


def _nearest(year: int, years: Sequence[int]) -> int:
    from viscarbon.harmonize import nearest_table_year

    return nearest_table_year(year, years)


# --------------------------------------------------------------------------- import
def import_files(store_path: str | Path | None, kind: str, paths: Sequence[str | Path], *,
                 name: str | None = None, inventory: str | None = None,
                 progress: Progress | None = None, year: int | None = None,
                 lock_timeout: float = 5.0) -> ImportResult:
    """Import ``paths`` of ``kind`` into the store at ``store_path`` as one dataset.

    ``kind``: ``ceads-inventory`` (yearly provincial workbooks, or the national workbook
    with every year → one dataset), ``ceads-mrio`` (yearly workbooks → one dataset) and
    ``nbs-io`` (national tables), both linked to an inventory dataset covering their
    regions (``inventory``, or the only such dataset stored), or ``pymrio`` (one folder;
    ``year`` when the folder does not say). ``name`` defaults to :func:`default_name`
    (``ceads-inventory-national-<first>-<last>`` for the national workbook).
    Raises the reader's error (the store unchanged) for any bad file.
    """
    t0 = time.perf_counter()
    if kind not in IMPORT_KINDS:
        raise DataError(f"unknown import kind {kind!r}", hint="use one of: " + ", ".join(IMPORT_KINDS))
    if name is not None:
        _check_name(name)
    store = Store.open(store_path)
    sources = _sources(kind, [Path(p) for p in paths])
    total = len(sources)

    # 1. same files already stored? then nothing changes
    digests = _digests(kind, sources)
    for rec in store.datasets():
        if rec.kind == kind and rec.sha256s and rec.sha256s == digests:
            return ImportResult(name=rec.name, kind=kind, years=rec.years, changed=False,
                                store_path=store.path, files=tuple(p.name for p in sources),
                                existing=rec.name, linked_inventory=rec.linked_inventory,
                                seconds=time.perf_counter() - t0)

    # 2. read and validate everything before writing anything
    tables: list[IOTable] = []
    inventories: list[InventoryTable] = []
    systems: list[EEIOSystem] = []
    citation_override = ""
    inv_files: list[Path] = []
    national = False
    if kind == "ceads-inventory":
        inventories, inv_files, national = _read_inventories(sources, progress)
    for k, p in enumerate(sources if kind != "ceads-inventory" else ()):
        if kind == "ceads-mrio":
            from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio

            tables.append(read_ceads_mrio(p))
        elif kind == "nbs-io":
            from viscarbon.io.readers.nbs import read_nbs_io

            tables.append(read_nbs_io(p))
        else:
            from viscarbon.io.readers.pymrio import read_pymrio_folder

            folder = read_pymrio_folder(p, year=year)
            systems.append(folder.system)
            tables.append(folder.system.table)
            citation_override = str(folder.metadata.get("viscarbon", {}).get("citation", "") or "")
        if progress:
            progress(p.name, k + 1, total)
    pairs = [(i.year, p) for i, p in zip(inventories, inv_files, strict=True)] + \
            [(tb.year, p) for tb, p in zip(tables, sources, strict=False)]
    years = _unique_years(pairs)
    the_name = name or default_name(f"{kind}-national" if national else kind, years)
    _check_name(the_name)
    if any(r.name == the_name for r in store.datasets()):
        raise StoreError(f"a dataset named {the_name!r} already exists", where=f"store {store.path}",
                         hint="choose another --name, or remove it first with `viscarbon datasets remove`")

    # 3. harmonize MRIO years with the linked inventory
    link_rec: DatasetRecord | None = None
    link = "none"
    candidates: tuple[str, ...] = ()
    inv_years: dict[int, int] = {}
    reports: dict[int, ReconciliationReport] = {}
    link_regions: tuple[str, ...] = ()
    if kind in LINKABLE_KINDS:
        link_regions = tuple(dict.fromkeys(c for tab in tables for c in tab.regions.codes))
        link_rec, link, candidates = _link_inventory(store, inventory, link_regions)
        if link_rec is not None:
            inv_years, reports = _harmonize(store, link_rec, tables)
    elif inventory is not None:
        raise DataError(f"--inventory applies to ceads-mrio and nbs-io imports, not {kind}",
                        hint="drop the option")

    # 4. write, atomically
    synthetic = any(p.synthetic for tb in tables for p in tb.provenance) or \
        any(p.synthetic for inv in inventories for p in inv.provenance)
    citation = citation_override or _citation(kind, tables)
    if progress:
        progress("write", 0, 1)
    with store.transaction(timeout=lock_timeout) as tx:
        ds = tx.add_dataset(the_name, kind=kind, years=years, citation=citation, synthetic=synthetic,
                            linked_inventory=link_rec.name if link_rec else None,
                            notes=_import_notes(kind, link, inv_years, national=national))
        for inv in inventories:
            tx.put_inventory(ds, inv)
        for tab in tables:
            tx.put_table(ds, tab)
        for system in systems:
            for sat in system.satellites:
                tx.put_satellite(ds, _satellite_for_table_year(sat, system.year))
        for ty, report in reports.items():
            tx.put_reconciliation(ds, ty, inventory_year=inv_years[ty], records=report.as_records("en"),
                                  notes=report.notes_text("en"))
    if progress:
        progress("write", 1, 1)
    return ImportResult(name=the_name, kind=kind, years=years, changed=True, store_path=store.path,
                        files=tuple(p.name for p in sources), linked_inventory=link_rec.name if link_rec else None,
                        link=link, candidates=candidates, inventory_years=inv_years, reconciliation=reports,
                        seconds=time.perf_counter() - t0, link_regions=link_regions, national=national)


def _satellite_for_table_year(sat: Any, year: int) -> Any:
    if sat.year == year:
        return sat
    from dataclasses import replace

    return replace(sat, year=year)


def _import_notes(kind: str, link: str, inv_years: dict[int, int], *, national: bool = False) -> str:
    parts = []
    if national:
        parts.append(NATIONAL_VINTAGE + " (CEADs national inventory workbook, region CN)")
    if kind in LINKABLE_KINDS:
        parts.append(f"inventory link: {link}")
        diff = {ty: iy for ty, iy in inv_years.items() if ty != iy}
        if diff:
            parts.append("nearest inventory years: " + ", ".join(f"{ty}<-{iy}" for ty, iy in sorted(diff.items())))
    return "; ".join(parts)


# --------------------------------------------------------------------------- other writes
def remove_dataset(store_path: str | Path | None, name: str) -> None:
    """Remove dataset ``name`` (and unlink MRIO/NBS datasets that used it as inventory)."""
    if name == DEMO_NAME:
        raise StoreError("the demo dataset is embedded in viscarbon and cannot be removed")
    store = Store.open(store_path)
    store.dataset(name)  # NotFound with the list of names, before taking the lock
    with store.transaction() as tx:
        tx.remove_dataset(name)


def rename_dataset(store_path: str | Path | None, old: str, new: str) -> None:
    """Rename dataset ``old`` to ``new`` (links from MRIO datasets follow)."""
    if old == DEMO_NAME:
        raise StoreError("the demo dataset is embedded in viscarbon and cannot be renamed")
    _check_name(new)
    store = Store.open(store_path)
    store.dataset(old)
    with store.transaction() as tx:
        tx.rename_dataset(old, new)


def link_dataset(store_path: str | Path | None, name: str, inventory: str, *,
                 lock_timeout: float = 5.0) -> LinkResult:
    """Link the stored IO dataset ``name`` (CEADs MRIO or NBS) to inventory dataset
    ``inventory`` and store the new reconciliation, in one atomic write.

    Checks before writing: both exist, ``name`` is an MRIO/NBS dataset, ``inventory`` is
    an inventory dataset covering at least one of the table's regions (a provincial
    inventory for MRIO tables, the national one, region CN, for NBS tables), and every
    year harmonizes (:func:`viscarbon.harmonize.build_co2_satellite`, the nearest
    inventory year). Any failure leaves the store unchanged.
    """
    if name == DEMO_NAME:
        raise StoreError("the demo dataset is embedded in viscarbon and carries its own inventory")
    store = Store.open(store_path)
    rec = store.dataset(name)
    if rec.kind not in LINKABLE_KINDS:
        raise DataError(f"dataset {name!r} is a {rec.kind} dataset; only MRIO and NBS IO datasets "
                        "are linked to an inventory", where=f"store {store.path}",
                        hint="give an IO dataset (kind " + " or ".join(LINKABLE_KINDS) + ") first, "
                             "then the inventory dataset")
    inv_rec = store.dataset(inventory)
    tables = [store.load_table(name, y) for y in rec.years]
    regions = tuple(dict.fromkeys(c for tab in tables for c in tab.regions.codes))
    _check_covers(store, inv_rec.name, regions, what=f"dataset {name!r}")
    inv_years, reports = _harmonize(store, inv_rec, tables)
    if rec.linked_inventory == inv_rec.name:
        return LinkResult(name=name, inventory=inv_rec.name, previous=rec.linked_inventory, changed=False,
                          inventory_years=inv_years, reconciliation=reports)
    notes = _import_notes(rec.kind, "datasets link", inv_years)
    keep = [part for part in rec.notes.split("; ")
            if part and not part.startswith(("inventory link:", "nearest inventory years:"))]
    with store.transaction(timeout=lock_timeout) as tx:
        ds = tx.set_linked_inventory(name, inv_rec.name, notes="; ".join([*keep, notes]) if notes else "; ".join(keep))
        for ty, report in reports.items():
            tx.put_reconciliation(ds, ty, inventory_year=inv_years[ty], records=report.as_records("en"),
                                  notes=report.notes_text("en"))
    return LinkResult(name=name, inventory=inv_rec.name, previous=rec.linked_inventory, changed=True,
                      inventory_years=inv_years, reconciliation=reports)


# --------------------------------------------------------------------------- listing
def dataset_listing(store_path: str | Path | None) -> list[dict[str, object]]:
    """The embedded demo first (marked synthetic), then every stored dataset (as dicts)."""
    from viscarbon.i18n import t

    demo = {
        "name": DEMO_NAME, "kind": "demo", "years": list(_demo_years()),
        "citation": t("common.citation.demo", "en"), "synthetic": True, "linked_inventory": None,
        "files": [], "created": "", "notes": t("common.synthetic_demo", "en"), "importer_version": "",
    }
    return [demo, *(r.as_dict() for r in Store.open(store_path).datasets())]


def _demo_years() -> tuple[int, ...]:
    from viscarbon.demo import demo_dataset

    return tuple(demo_dataset().years)


# --------------------------------------------------------------------------- export
def _meta(*, name: str, kind: str, citation: str, synthetic: bool, unit: str, year: int | None,
          block: str) -> dict[str, str]:
    from viscarbon import __version__
    from viscarbon.i18n import t

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
    return meta


_UNIT_TEXT: Final = {"10k_yuan": "10,000 yuan (万元)", "Mt": "Mt CO2"}


def _system(store: Store, rec: DatasetRecord, year: int) -> EEIOSystem:
    """The table of a stored dataset with its CO2 account (stored pymrio extensions, or
    harmonized from the linked inventory for CEADs MRIO datasets)."""
    system = store.load_system(rec.name, year)
    if rec.kind in LINKABLE_KINDS and rec.linked_inventory and not system.satellites:
        from viscarbon.harmonize import build_co2_satellite

        inv_rec = store.dataset(rec.linked_inventory)
        inv = store.load_inventory(inv_rec.name, _nearest(year, inv_rec.years))
        sat, _ = build_co2_satellite(inv, system.table)
        system = EEIOSystem(table=system.table, satellites=(sat,), dataset=rec.name)
    return system


def export_dataset(store_path: str | Path | None, name: str, out_dir: str | Path, *, fmt: str,
                   year: int | None = None, progress: Progress | None = None) -> ExportResult:
    """Export dataset ``name`` (``demo`` for the embedded demo) to ``out_dir``.

    ``fmt`` ``csv`` / ``parquet`` / ``xlsx`` / ``json``: tidy long tables with codes and
    units (IO: one file per block and year; inventories: region, year, sector, fuel,
    value, unit); ``pymrio``: one pymrio folder per year. A ``README.md`` with the
    citation, units and (for the demo) the synthetic flag is always written.
    """
    from viscarbon.io.writers.tables import (
        inventory_columns,
        io_table_columns,
        satellite_columns,
        write_columns,
    )

    if fmt not in EXPORT_FORMATS:
        raise DataError(f"unknown export format {fmt!r}", hint="use one of: " + ", ".join(EXPORT_FORMATS))
    out = Path(out_dir)
    if name == DEMO_NAME:
        from viscarbon.demo import demo_dataset
        from viscarbon.i18n import t

        demo = demo_dataset()
        kind, years_all, citation, synthetic = "demo", tuple(demo.years), str(demo.citation), True
        if not citation:
            citation = t("common.citation.demo", "en")

        def get_system(y: int) -> EEIOSystem:
            return demo.system(y)

        def get_inventory(y: int) -> InventoryTable | None:
            return demo.inventory(y)
    else:
        store = Store.open(store_path)
        rec = store.dataset(name)
        kind, years_all, citation, synthetic = rec.kind, rec.years, rec.citation, rec.synthetic

        def get_system(y: int) -> EEIOSystem:
            return _system(store, rec, y)

        def get_inventory(y: int) -> InventoryTable | None:
            return store.load_inventory(name, y) if kind == "ceads-inventory" else None
    if year is not None and year not in years_all:
        raise NotFound(f"dataset {name!r} has no year {year}", hint="years: " + ", ".join(map(str, years_all)))
    years = (year,) if year is not None else tuple(years_all)
    has_io = kind != "ceads-inventory"
    if fmt == "pymrio" and not has_io:
        raise DataError(f"dataset {name!r} is an inventory; a pymrio export needs an IO table",
                        hint="export it as csv, parquet, xlsx or json")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    readme_rows: list[tuple[str, str]] = []
    steps = len(years) + (1 if kind in ("ceads-inventory", "demo") and fmt != "pymrio" else 0)
    done = 0
    ext = fmt
    if has_io:
        for y in years:
            system = get_system(y)
            tab = system.table
            if fmt == "pymrio":
                from viscarbon.io.writers.pymrio import write_pymrio_folder

                folder = write_pymrio_folder(system, out / f"{name}_{y}_pymrio", name=name)
                written.append(folder)
                readme_rows.append((folder.name, f"pymrio folder (pymrio.load_all), year {y}"))
            else:
                for block, cols in io_table_columns(tab).items():
                    p = out / f"{name}_{y}_{block}.{ext}"
                    write_columns(cols, p, fmt=fmt,  # type: ignore[arg-type]
                                  meta=_meta(name=name, kind=kind, citation=citation, synthetic=synthetic,
                                             unit=tab.unit, year=y, block=block))
                    written.append(p)
                    readme_rows.append((p.name, f"IO block {block}, year {y}, unit {_UNIT_TEXT.get(tab.unit, tab.unit)}"))
                for sat in system.satellites:
                    p = out / f"{name}_{y}_{sat.name}.{ext}"
                    write_columns(satellite_columns(sat, tab), p, fmt=fmt,  # type: ignore[arg-type]
                                  meta=_meta(name=name, kind=kind, citation=citation, synthetic=synthetic,
                                             unit=sat.unit, year=y, block=sat.name))
                    written.append(p)
                    readme_rows.append((p.name, f"satellite {sat.name}, year {y}, unit {_UNIT_TEXT.get(sat.unit, sat.unit)}"))
            done += 1
            if progress:
                progress(str(y), done, steps)
    if fmt != "pymrio" and kind in ("ceads-inventory", "demo"):
        invs = [i for i in (get_inventory(y) for y in years) if i is not None]
        if invs:
            p = out / f"{name}_inventory.{ext}"
            write_columns(inventory_columns(invs), p, fmt=fmt,  # type: ignore[arg-type]
                          meta=_meta(name=name, kind=kind, citation=citation, synthetic=synthetic,
                                     unit=invs[0].unit, year=year, block="inventory"))
            written.append(p)
            readme_rows.append((p.name, "inventory: region, year, sector, fuel, value, unit (Mt CO2)"))
        done += 1
        if progress:
            progress("inventory", done, steps)
    readme = _write_readme(out, name=name, kind=kind, years=years, citation=citation, synthetic=synthetic,
                           fmt=fmt, rows=readme_rows)
    return ExportResult(name=name, fmt=fmt, out_dir=out, files=(readme, *written), synthetic=synthetic)


def _write_readme(out: Path, *, name: str, kind: str, years: Sequence[int], citation: str, synthetic: bool,
                  fmt: str, rows: Sequence[tuple[str, str]]) -> Path:
    from viscarbon import __version__
    from viscarbon.i18n import t

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
        "listed (missing cells are zero). Each tidy file carries the same metadata (csv: leading",
        "`# key: value` lines; xlsx: a `metadata` sheet; json: `meta`; parquet: key-value metadata).",
        "",
    ]
    p = out / "README.md"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p
