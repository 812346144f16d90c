"""What can be imported: one entry per source kind, with its reader.

:data:`SOURCES` maps each kind of :func:`viscarbon.ingest.import_files` to a
:class:`SourceKind`: whether it takes files or a folder, the reader that turns the paths
into validated model objects (:class:`SourceRead`), the files whose SHA-256 identify an
import, whether its datasets link to an inventory, and its citation. Adding a source is
adding an entry here (and its reader in :mod:`viscarbon.io.readers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from viscarbon.errors import DataError, LayoutError
from viscarbon.io.files import open_workbook
from viscarbon.io.readers import (
    read_ceads_city,
    read_ceads_mrio,
    read_inventory_workbook,
    read_national_inventory,
    read_nbs_io,
    read_pymrio_folder,
)
from viscarbon.io.readers.ceads_city import read_city_inventory_workbook
from viscarbon.io.readers.ceads_inventory import is_apparent_workbook, read_apparent_workbook
from viscarbon.io.readers.pymrio import pymrio_folder_files
from viscarbon.model import ApparentEmissions, InventoryTable, IOTable, SatelliteAccount

__all__ = ["SOURCES", "Progress", "SourceKind", "SourceRead", "source"]

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: ``step`` is a file name or ``"write"``."""


@dataclass(frozen=True)
class SourceRead:
    """What a reader made of the paths: IO ``tables`` and, aligned with them, the
    ``satellites`` read with each (pymrio extensions), or ``inventories``, or ``apparent``
    emissions (one per year); ``origins`` is the path each object came
    from (to name two files holding one year); ``national`` for the CEADs national
    inventory workbook; ``citation`` when the files carry one."""

    tables: tuple[IOTable, ...] = ()
    satellites: tuple[tuple[SatelliteAccount, ...], ...] = ()
    inventories: tuple[InventoryTable, ...] = ()
    apparent: tuple[ApparentEmissions, ...] = ()
    origins: tuple[Path, ...] = ()
    national: bool = False
    citation: str = ""

    @property
    def years(self) -> list[tuple[int, Path]]:
        years = ([inv.year for inv in self.inventories] or [a.year for a in self.apparent]
                 or [tab.year for tab in self.tables])
        return list(zip(years, self.origins, strict=True))


Reader = Callable[[Sequence[Path], int | None, "Progress | None"], SourceRead]


@dataclass(frozen=True)
class SourceKind:
    """One importable kind: ``takes`` files or one ``folder``; ``read`` the reader;
    ``digest_files`` the files that identify an import by SHA-256; ``links_inventory``
    whether its IO datasets are harmonized with a linked inventory; ``citation_key`` the
    catalog key of its default citation (None: from the files or the table years);
    ``inventory_kind`` the kind of the inventory datasets it links to."""

    kind: str
    takes: Literal["files", "folder"]
    read: Reader
    links_inventory: bool = False
    citation_key: str | None = None
    digest_files: Callable[[Path], list[Path]] = field(default=lambda p: [p])
    accepts_year: bool = False
    inventory_kind: str = "ceads-inventory"


def _progress(progress: Progress | None, path: Path, k: int, total: int) -> None:
    if progress:
        progress(path.name, k + 1, total)


def _read_inventories(paths: Sequence[Path], year: int | None, progress: Progress | None) -> SourceRead:
    """Provincial workbooks (one year each) or national workbooks (every year); mixing the
    two is an error."""
    invs: list[InventoryTable] = []
    origins: list[Path] = []
    kinds: dict[bool, Path] = {}
    for k, p in enumerate(paths):
        try:
            got = [read_inventory_workbook(p)]
            national = False
        except LayoutError:
            wb = open_workbook(p)
            if is_apparent_workbook(wb):
                raise LayoutError(
                    "this is the CEADs apparent-emissions workbook (provinces × raw coal, crude oil, "
                    "natural gas, cement process), not a sectoral inventory", where=f"file {p.name}",
                    hint=f"import it with `viscarbon import ceads-apparent {p.name}`") from None
            sheets = wb.sheet_names
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
        origins.extend([p] * len(got))
        _progress(progress, p, k, len(paths))
    return SourceRead(inventories=tuple(invs), origins=tuple(origins), national=bool(kinds.get(True)))


def _read_apparent(paths: Sequence[Path], year: int | None, progress: Progress | None) -> SourceRead:
    """Apparent-emissions workbooks (every year sheet of each); a sectoral inventory
    workbook is refused with the command that imports it."""
    out: list[ApparentEmissions] = []
    origins: list[Path] = []
    for k, p in enumerate(paths):
        wb = open_workbook(p)
        if not is_apparent_workbook(wb):
            try:
                read_inventory_workbook(p)
                sectoral = True
            except LayoutError:
                sectoral = False
            if sectoral:
                raise LayoutError("this is a CEADs sectoral inventory workbook, not the apparent-emissions one",
                                  where=f"file {p.name}",
                                  hint=f"import it with `viscarbon import ceads-inventory {p.name}`")
        got = list(read_apparent_workbook(p).values())
        out.extend(got)
        origins.extend([p] * len(got))
        _progress(progress, p, k, len(paths))
    return SourceRead(apparent=tuple(out), origins=tuple(origins))


def _read_city_inventories(paths: Sequence[Path], year: int | None, progress: Progress | None) -> SourceRead:
    """City inventory workbooks, one year each (the guessed layout of
    :mod:`viscarbon.io.readers.ceads_city.inventory`)."""
    invs = []
    for k, p in enumerate(paths):
        invs.append(read_city_inventory_workbook(p))
        _progress(progress, p, k, len(paths))
    return SourceRead(inventories=tuple(invs), origins=tuple(paths))


def _read_tables(reader: Callable[[Path], IOTable]) -> Reader:
    def read(paths: Sequence[Path], year: int | None, progress: Progress | None) -> SourceRead:
        tables = []
        for k, p in enumerate(paths):
            tables.append(reader(p))
            _progress(progress, p, k, len(paths))
        return SourceRead(tables=tuple(tables), origins=tuple(paths))

    return read


def _read_pymrio(paths: Sequence[Path], year: int | None, progress: Progress | None) -> SourceRead:
    tables: list[IOTable] = []
    sats: list[tuple[SatelliteAccount, ...]] = []
    citation = ""
    for k, p in enumerate(paths):
        folder = read_pymrio_folder(p, year=year)
        tables.append(folder.system.table)
        sats.append(tuple(folder.system.satellites))
        citation = str(folder.metadata.get("viscarbon", {}).get("citation", "") or "") or citation
        _progress(progress, p, k, len(paths))
    return SourceRead(tables=tuple(tables), satellites=tuple(sats), origins=tuple(paths), citation=citation)


SOURCES: Final[dict[str, SourceKind]] = {
    s.kind: s for s in (
        SourceKind("ceads-inventory", "files", _read_inventories, citation_key="common.citation.inventory"),
        SourceKind("ceads-apparent", "files", _read_apparent, citation_key="common.citation.inventory"),
        SourceKind("ceads-mrio", "files", _read_tables(read_ceads_mrio), links_inventory=True),
        SourceKind("ceads-city-inventory", "files", _read_city_inventories,
                   citation_key="common.citation.city_inventory"),
        SourceKind("ceads-city-mrio", "files", _read_tables(read_ceads_city), links_inventory=True,
                   citation_key="common.citation.city_mrio", inventory_kind="ceads-city-inventory"),
        SourceKind("nbs-io", "files", _read_tables(read_nbs_io), links_inventory=True,
                   citation_key="common.citation.nbs_io"),
        SourceKind("pymrio", "folder", _read_pymrio, citation_key="common.citation.pymrio",
                   digest_files=pymrio_folder_files, accepts_year=True),
    )
}


def source(kind: str) -> SourceKind:
    """The :class:`SourceKind` of ``kind``; a :class:`DataError` names the kinds."""
    try:
        return SOURCES[kind]
    except KeyError:
        raise DataError(f"unknown import kind {kind!r}", hint="use one of: " + ", ".join(SOURCES)) from None
