"""The import use case: read (io) → validate → harmonize → store (io), all or nothing.

:func:`import_files` reads every file first with the reader of its kind
(:data:`~viscarbon.ingest.sources.SOURCES`; each reader validates layout, numbers,
balances and the year), then, in one atomic store transaction, links IO datasets to the
inventory covering their regions, harmonizes every year (:mod:`viscarbon.datasets.
harmonizing`) and writes the dataset with its CO2. A bad file fails the whole command with
the reader's error and the store unchanged; re-importing files already stored (same
SHA-256) changes nothing and says so.

Inventories: provincial workbooks (one per year) or the CEADs national workbook (one
sheet per year, region ``CN``; default name ``ceads-inventory-national-<first>-<last>``),
never both in one command. IO datasets are linked to the inventory dataset that covers
their regions: CEADs MRIO tables to a provincial inventory, NBS national tables to the
national one (``inventory=`` or the only such dataset in the store).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from viscarbon.datasets import Harmonized, open_store, store_co2
from viscarbon.errors import DataError, LayoutError, StoreError
from viscarbon.harmonize import ReconciliationReport
from viscarbon.i18n import t
from viscarbon.ingest.linking import (
    ConcordanceChoice,
    choose_inventory,
    harmonize_with,
    import_notes,
    user_concordance,
)
from viscarbon.ingest.sources import Progress, SourceKind, SourceRead, source
from viscarbon.io.files import sha256_file
from viscarbon.model import IOTable

__all__ = ["DEMO_NAME", "ImportResult", "check_name", "default_name", "import_files"]

DEMO_NAME: Final = "demo"
_NAME_RE: Final = re.compile(r"^[\w][\w.\-]{0,63}$")


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    ``changed`` is False when the same files (by SHA-256) were already stored as
    ``existing``. For MRIO and NBS datasets, ``link`` says how the inventory was chosen
    (``option``, ``auto``, ``absent`` = no inventory dataset covering the table's regions
    in the store, ``ambiguous`` = several, none chosen: see ``candidates``);
    ``link_regions`` are the table's regions the choice was made for (``("CN",)`` for NBS
    tables); ``national`` is True for an inventory dataset imported from the national
    workbook; ``inventory_years`` maps each table year to the inventory year harmonized
    with it (the nearest when not equal), ``reconciliation`` holds the per-region reports
    (Mt CO2) and ``concordance`` the label of the concordance used.
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
    concordance: str = ""


def default_name(kind: str, years: Sequence[int]) -> str:
    """``<kind>-<first year>-<last year>`` (``<kind>-<year>`` for one year)."""
    ys = sorted(set(years))
    return f"{kind}-{ys[0]}" if len(ys) == 1 else f"{kind}-{ys[0]}-{ys[-1]}"


def check_name(name: str) -> None:
    """Refuse the reserved name ``demo`` and names that are not 1-64 word characters."""
    if name == DEMO_NAME:
        raise StoreError("the name 'demo' is reserved for the embedded demo dataset",
                         hint="choose another --name")
    if not _NAME_RE.match(name):
        raise StoreError(f"invalid dataset name {name!r}",
                         hint="use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")


def _citation(spec: SourceKind, tables: Sequence[IOTable], read: SourceRead) -> str:
    if read.citation:
        return read.citation
    cites = sorted({p.citation for tab in tables for p in tab.provenance if p.citation})
    if cites:
        return " | ".join(cites)
    if spec.citation_key is not None:
        return t(spec.citation_key, "en")
    keys = {("common.citation.mrio_2018_2020" if tab.year >= 2018 else "common.citation.mrio_2012_2017")
            for tab in tables}
    return " | ".join(t(k, "en") for k in sorted(keys)) or t("common.citation.mrio_2012_2017", "en")


def _sources(spec: SourceKind, paths: Sequence[Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p).expanduser()
        if not p.exists():
            raise LayoutError("file not found", where=f"file {p}", hint="check the path")
        if spec.takes == "folder":
            if not p.is_dir():
                raise LayoutError(f"a {spec.kind} import takes a folder", where=f"path {p}",
                                  hint="give the folder that pymrio's save_all wrote")
        elif p.is_dir():
            raise LayoutError(f"a {spec.kind} import takes files, not a folder", where=f"path {p}",
                              hint="list the files, e.g. folder/*.xlsx")
        out.append(p)
    if not out:
        raise LayoutError(f"no files given for the {spec.kind} import", hint="list one or more files")
    return out


def _unique_years(items: Sequence[tuple[int, Path]]) -> tuple[int, ...]:
    seen: dict[int, Path] = {}
    for year, p in items:
        if year in seen:
            raise DataError(f"two files hold the year {year}: {seen[year].name} and {p.name}",
                            hint="import one file per year")
        seen[year] = p
    return tuple(sorted(seen))


def import_files(store_path: str | Path | None, kind: str, paths: Sequence[str | Path], *,
                 name: str | None = None, inventory: str | None = None,
                 progress: Progress | None = None, year: int | None = None,
                 concordance: ConcordanceChoice = None, lock_timeout: float = 5.0) -> ImportResult:
    """Import ``paths`` of ``kind`` into the store at ``store_path`` as one dataset.

    ``kind``: ``ceads-inventory`` (yearly provincial workbooks, or the national workbook
    with every year → one dataset), ``ceads-apparent`` (the apparent-emissions workbook,
    every year sheet → one dataset), ``ceads-mrio`` (yearly workbooks → one dataset) and
    ``nbs-io`` (national tables), both linked to an inventory dataset covering their
    regions (``inventory``, or the only such dataset stored) and harmonized with the
    packaged concordance or ``concordance`` (a user CSV), or ``pymrio`` (one folder;
    ``year`` when the folder does not say). ``name`` defaults to :func:`default_name`
    (``ceads-inventory-national-<first>-<last>`` for the national workbook).
    Raises the reader's error (the store unchanged) for any bad file.
    """
    t0 = time.perf_counter()
    spec = source(kind)
    if name is not None:
        check_name(name)
    if year is not None and not spec.accepts_year:
        raise DataError(f"--year applies to pymrio imports, not {kind}", hint="drop the option")
    if not spec.links_inventory and (inventory is not None or concordance is not None):
        raise DataError(f"--inventory and --concordance apply to ceads-mrio and nbs-io imports, not {kind}",
                        hint="drop the option")
    store = open_store(store_path)
    sources = _sources(spec, [Path(p) for p in paths])

    # 1. same files already stored? then nothing changes
    digests = frozenset(sha256_file(f) for p in sources for f in spec.digest_files(p))
    for rec in store.datasets():
        if rec.kind == kind and rec.sha256s and rec.sha256s == digests:
            return ImportResult(name=rec.name, kind=kind, years=rec.years, changed=False,
                                store_path=store.path, files=tuple(p.name for p in sources),
                                existing=rec.name, linked_inventory=rec.linked_inventory,
                                seconds=time.perf_counter() - t0)

    # 2. read and validate everything before writing anything
    read = spec.read(sources, year, progress)
    years = _unique_years(read.years)
    the_name = name or default_name(f"{kind}-national" if read.national else kind, years)
    check_name(the_name)
    if any(r.name == the_name for r in store.datasets()):
        raise StoreError(f"a dataset named {the_name!r} already exists", where=f"store {store.path}",
                         hint="choose another --name, or remove it first with `viscarbon datasets remove`")
    tables = list(read.tables)
    conc = user_concordance(concordance, tables) if spec.links_inventory else None
    synthetic = any(p.synthetic for tb in tables for p in tb.provenance) or \
        any(inv.synthetic for inv in read.inventories) or any(app.synthetic for app in read.apparent)

    # 3. link, harmonize and write, atomically (under the store's lock)
    if progress:
        progress("write", 0, 1)
    link = "none"
    candidates: tuple[str, ...] = ()
    link_regions: tuple[str, ...] = ()
    harmonized: Harmonized | None = None
    linked: str | None = None
    with store.transaction(timeout=lock_timeout) as tx:
        if spec.links_inventory:
            link_regions = tuple(dict.fromkeys(c for tab in tables for c in tab.regions.codes))
            link_rec, link, candidates = choose_inventory(tx.read, inventory, link_regions,
                                                          kind=spec.inventory_kind)
            if link_rec is not None:
                linked = link_rec.name
                harmonized = harmonize_with(tx.read, link_rec, tables, conc)
        inv_years = harmonized.inventory_years if harmonized else {}
        ds = tx.add_dataset(the_name, kind=kind, years=years, citation=_citation(spec, tables, read),
                            synthetic=synthetic, linked_inventory=linked,
                            notes=import_notes(kind, link, inv_years, national=read.national,
                                               concordance=harmonized.concordance if harmonized else ""))
        for inv in read.inventories:
            tx.put_inventory(ds, inv)
        for app in read.apparent:
            tx.put_apparent(ds, app)
        for tab in tables:
            tx.put_table(ds, tab)
        for tab, sats in zip(tables, read.satellites, strict=False):  # pymrio extensions
            for sat in sats:
                tx.put_satellite(ds, sat, year=tab.year, source="import")
        if spec.links_inventory:
            store_co2(tx, ds, tables, harmonized)
    if progress:
        progress("write", 1, 1)
    return ImportResult(name=the_name, kind=kind, years=years, changed=True, store_path=store.path,
                        files=tuple(p.name for p in sources), linked_inventory=linked, link=link,
                        candidates=candidates, inventory_years=dict(inv_years),
                        reconciliation=dict(harmonized.reports) if harmonized else {},
                        seconds=time.perf_counter() - t0, link_regions=link_regions,
                        national=read.national,
                        concordance=harmonized.concordance if harmonized else "")
