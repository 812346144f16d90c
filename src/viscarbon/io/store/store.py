"""The store: one DuckDB file holding every imported dataset as real, queryable tables.

Layout (schema version :data:`SCHEMA_VERSION`; see :data:`_SCHEMA`)::

    meta(key, value)                         schema_version, created_by
    datasets(name PK, id, kind, years, citation, synthetic, linked_inventory,
             created, notes, importer_version)
    dataset_files(dataset_id, year, object, position, file_name, sha256, sheet,
                  vintage, source, product, citation, synthetic, importer_version, notes)
    axes(dataset_id, year, object, role, dimension, list_id, position, code,
         label_en, label_zh)
    io_tables(dataset_id, year, unit, imports_treatment, row_rtol, col_rtol, notes)
    blocks(dataset_id, year, block, shape)     every stored array and its shape
    io_cells(dataset_id, year, block, i, j, value)    non-zero cells only (NaN as NULL), long form:
             block ∈ Z | Y | EX | IM | V | x | extra:<name> | sat:<name>:F | sat:<name>:F_Y
    inventories(dataset_id, year, unit, rtol)
    inventory_values(dataset_id, year, region, inv_sector, column, value)   Mt CO2
    inventory_totals(dataset_id, year, region, total)                        Mt CO2
    satellites(dataset_id, year, name, unit, region_status, notes)
    reconciliation(dataset_id, year, inventory_year, records, notes)

Datasets carry an integer ``id`` besides their unique ``name`` so that a rename touches
one row. Arrays are stored cell by cell (only cells that are not +0.0) and rebuilt bit
for bit by :meth:`Store.load_table`.

Writes are atomic: :meth:`Store.transaction` takes an exclusive lock file
(``<store>.lock``), copies the store to a temporary file in the same directory, lets the
caller write, CHECKPOINTs, closes, fsyncs and ``os.replace``-s the copy onto the store
path. A failure anywhere leaves the store file untouched. Readers open short-lived
read-only connections, so they never block an import, and
:meth:`Store.generation` tells caches when the file was replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import NotFound, StoreError
from viscarbon.model import Axis, EEIOSystem, InventoryTable, IOTable, Provenance, SatelliteAccount

__all__ = [
    "DATASET_KINDS",
    "SCHEMA_VERSION",
    "DatasetRecord",
    "Store",
    "StoreTransaction",
]

SCHEMA_VERSION: Final = 1
DATASET_KINDS: Final = ("demo", "ceads-mrio", "ceads-inventory", "nbs-io", "pymrio")
LOCK_TIMEOUT_S: Final = 5.0

Arr = NDArray[np.float64]

_TABLES: Final = (
    "meta", "datasets", "dataset_files", "axes", "io_tables", "blocks", "io_cells",
    "inventories", "inventory_values", "inventory_totals", "satellites", "reconciliation",
)

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta(key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS datasets(
    name VARCHAR PRIMARY KEY, id INTEGER NOT NULL UNIQUE, kind VARCHAR NOT NULL,
    years INTEGER[] NOT NULL, citation VARCHAR NOT NULL, synthetic BOOLEAN NOT NULL,
    linked_inventory VARCHAR, created TIMESTAMP NOT NULL, notes VARCHAR NOT NULL,
    importer_version VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS dataset_files(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, object VARCHAR NOT NULL,
    position INTEGER NOT NULL, file_name VARCHAR, sha256 VARCHAR, sheet VARCHAR,
    vintage VARCHAR, source VARCHAR, product VARCHAR, citation VARCHAR, synthetic BOOLEAN,
    importer_version VARCHAR, notes VARCHAR);
CREATE TABLE IF NOT EXISTS axes(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, object VARCHAR NOT NULL,
    role VARCHAR NOT NULL, dimension VARCHAR NOT NULL, list_id VARCHAR NOT NULL,
    position INTEGER NOT NULL, code VARCHAR NOT NULL, label_en VARCHAR, label_zh VARCHAR);
CREATE TABLE IF NOT EXISTS io_tables(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, unit VARCHAR NOT NULL,
    imports_treatment VARCHAR NOT NULL, row_rtol DOUBLE NOT NULL, col_rtol DOUBLE NOT NULL,
    notes VARCHAR[] NOT NULL);
CREATE TABLE IF NOT EXISTS blocks(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, block VARCHAR NOT NULL,
    shape INTEGER[] NOT NULL);
CREATE TABLE IF NOT EXISTS io_cells(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, block VARCHAR NOT NULL,
    i INTEGER NOT NULL, j INTEGER NOT NULL, value DOUBLE);
CREATE TABLE IF NOT EXISTS inventories(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, unit VARCHAR NOT NULL,
    rtol DOUBLE NOT NULL);
CREATE TABLE IF NOT EXISTS inventory_values(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, region VARCHAR NOT NULL,
    inv_sector VARCHAR NOT NULL, "column" VARCHAR NOT NULL, value DOUBLE NOT NULL);
CREATE TABLE IF NOT EXISTS inventory_totals(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, region VARCHAR NOT NULL,
    total DOUBLE NOT NULL);
CREATE TABLE IF NOT EXISTS satellites(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL, region_status VARCHAR[] NOT NULL, notes VARCHAR[] NOT NULL);
CREATE TABLE IF NOT EXISTS reconciliation(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, inventory_year INTEGER,
    records VARCHAR NOT NULL, notes VARCHAR[] NOT NULL);
"""

# Schema version 0 (before the version was recorded): no ``meta`` table, no
# ``datasets.importer_version`` and no ``reconciliation`` table. Migrating adds them.
_MIGRATIONS: Final[dict[int, str]] = {
    0: """
ALTER TABLE datasets ADD COLUMN importer_version VARCHAR DEFAULT '';
UPDATE datasets SET importer_version = '' WHERE importer_version IS NULL;
""",
}

_PROV_FIELDS: Final = ("file_name", "sha256", "sheet", "vintage", "source", "product",
                       "citation", "synthetic", "importer_version", "notes")


def _prov_from_row(row: Sequence[Any]) -> Provenance:
    vals = dict(zip(_PROV_FIELDS, row, strict=True))
    return Provenance(
        source=str(vals["source"] or ""), product=str(vals["product"] or ""),
        vintage=str(vals["vintage"] or ""), file_name=str(vals["file_name"] or ""),
        sha256=str(vals["sha256"] or ""), sheet=str(vals["sheet"] or ""),
        importer_version=str(vals["importer_version"] or ""), notes=str(vals["notes"] or ""),
        citation=str(vals["citation"] or ""), synthetic=bool(vals["synthetic"]))


def _importer_version() -> str:
    from viscarbon import __version__

    return __version__


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class DatasetRecord:
    """One stored dataset: what it is, which years, where it came from.

    ``files`` are the provenance records of every imported file (one per file and
    year), ``linked_inventory`` the inventory dataset an MRIO dataset is harmonized with.
    """

    name: str
    kind: str
    years: tuple[int, ...]
    citation: str
    synthetic: bool
    linked_inventory: str | None
    files: tuple[Provenance, ...]
    created: str
    notes: str
    importer_version: str

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (codes and plain values only)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "years": list(self.years),
            "citation": self.citation,
            "synthetic": self.synthetic,
            "linked_inventory": self.linked_inventory,
            "files": [
                {"file_name": p.file_name, "sha256": p.sha256, "sheet": p.sheet,
                 "vintage": p.vintage, "source": p.source, "product": p.product}
                for p in self.files
            ],
            "created": self.created,
            "notes": self.notes,
            "importer_version": self.importer_version,
        }

    @property
    def sha256s(self) -> frozenset[str]:
        return frozenset(p.sha256 for p in self.files if p.sha256)


# --------------------------------------------------------------------------- helpers
def _nonzero_cells(a: Arr) -> tuple[NDArray[np.int32], NDArray[np.int32], Arr]:
    """Row, column and value of every cell that is not +0.0 (``-0.0`` and NaN are kept)."""
    m2 = a.reshape(a.shape[0], -1) if a.ndim >= 2 else a.reshape(-1, 1)
    mask = (m2 != 0) | np.signbit(m2) | np.isnan(m2)
    ii, jj = np.nonzero(mask)
    return ii.astype(np.int32), jj.astype(np.int32), np.ascontiguousarray(m2[ii, jj], dtype=np.float64)


def _lock_file(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def _exclusive_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``<store>.lock`` (fcntl.flock; msvcrt on Windows)."""
    lock_path = _lock_file(path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                _try_lock(fd)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        "another import is writing to the store",
                        where=f"lock file {lock_path}",
                        hint="wait until it has finished, then run the command again",
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # pragma: no cover - directories cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _connect(path: Path, *, read_only: bool) -> Any:
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the store: {str(exc).splitlines()[0]}", where=f"file {path}",
                         hint="the file may not be a viscarbon store, be damaged, or come from a "
                              "newer DuckDB; point --store at another file or remove it") from exc


def _table_names(con: Any) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def _schema_version(con: Any, path: Path) -> int:
    """The schema version of an open store, 0 for the unversioned layout."""
    names = _table_names(con)
    if "meta" in names:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            raise StoreError("the store has no schema version", where=f"file {path}",
                             hint="the file is damaged; remove it and import again")
        try:
            return int(row[0])
        except ValueError:
            raise StoreError(f"unreadable schema version {row[0]!r}", where=f"file {path}",
                             hint="the file is damaged; remove it and import again") from None
    if "datasets" in names and "io_cells" in names:
        return 0
    if not names:
        return -1  # an empty DuckDB file: treated as a new store
    raise StoreError("not a viscarbon store (unknown tables: " + ", ".join(sorted(names)[:6]) + ")",
                     where=f"file {path}", hint="point --store at another file")


# --------------------------------------------------------------------------- store
class Store:
    """A viscarbon store file. Reading methods open short-lived read-only connections;
    writing goes through :meth:`transaction` (used by :mod:`viscarbon.ingest`)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Store:
        """The store at ``path`` (resolved by :func:`viscarbon.io.store.paths.resolve_store_path`).

        A missing file is an empty store (created by the first import). An older schema is
        migrated (atomically, under the lock) when ``migrate``; a newer or unknown one
        raises :class:`StoreError` saying that it cannot be read.
        """
        from viscarbon.io.store.paths import resolve_store_path

        store = cls(resolve_store_path(path))
        if not store.path.exists():
            return store
        version = store.schema_version()
        if version in (-1, SCHEMA_VERSION):
            return store
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the store has schema version {version}; this viscarbon reads up to {SCHEMA_VERSION}",
                where=f"file {store.path}", hint="upgrade viscarbon, or point --store at another file")
        if version not in _MIGRATIONS:
            raise StoreError(f"cannot migrate a store of schema version {version}",
                             where=f"file {store.path}", hint="remove the file and import again")
        if not migrate:
            raise StoreError(f"the store has the old schema version {version}",
                             where=f"file {store.path}", hint="open it once with migrate=True")
        with store.transaction():
            pass  # the transaction migrates the copy before anything else
        return store

    def schema_version(self) -> int:
        """The schema version of the file (0 = unversioned layout, -1 = empty file)."""
        if not self.path.exists():
            return SCHEMA_VERSION
        with self._read() as con:
            return _schema_version(con, self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def generation(self) -> tuple[int, int, int]:
        """``(inode, mtime_ns, size)`` of the store file, ``(0, 0, 0)`` when absent.

        Changes whenever an import replaces the file; caches key on it.
        """
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return (0, 0, 0)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        con = _connect(self.path, read_only=True)
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def _read_current(self) -> Iterator[Any]:
        """A read-only connection to a store of the current schema."""
        with self._read() as con:
            version = _schema_version(con, self.path)
            if version not in (-1, SCHEMA_VERSION):
                raise StoreError(f"the store has schema version {version}, expected {SCHEMA_VERSION}",
                                 where=f"file {self.path}", hint="open it with Store.open() to migrate")
            if version == -1:
                raise NotFound("the store is empty", where=f"file {self.path}",
                               hint="import data with `viscarbon import`")
            yield con

    # ------------------------------------------------------------------ datasets
    def datasets(self) -> list[DatasetRecord]:
        """Every stored dataset, in import order (the demo is not stored)."""
        if not self.path.exists():
            return []
        with self._read() as con:
            if _schema_version(con, self.path) == -1:
                return []
        with self._read_current() as con:
            rows = con.execute(
                "SELECT id, name, kind, years, citation, synthetic, linked_inventory, "
                "strftime(created, '%Y-%m-%dT%H:%M:%S'), notes, importer_version "
                "FROM datasets ORDER BY id").fetchall()
            files = self._files(con)
        return [
            DatasetRecord(name=r[1], kind=r[2], years=tuple(int(y) for y in r[3]), citation=r[4],
                          synthetic=bool(r[5]), linked_inventory=r[6],
                          files=tuple(files.get(int(r[0]), ())), created=r[7], notes=r[8],
                          importer_version=r[9])
            for r in rows
        ]

    @staticmethod
    def _files(con: Any) -> dict[int, list[Provenance]]:
        out: dict[int, list[Provenance]] = {}
        rows = con.execute(
            "SELECT dataset_id, " + ", ".join(_PROV_FIELDS) + " FROM dataset_files "
            "WHERE object IN ('table', 'inventory') ORDER BY dataset_id, year, object, position"
        ).fetchall()
        seen: set[tuple[int, str, str]] = set()
        for r in rows:
            p = _prov_from_row(r[1:])
            key = (int(r[0]), p.sha256, p.sheet)
            if key in seen:
                continue
            seen.add(key)
            out.setdefault(int(r[0]), []).append(p)
        return out

    def dataset(self, name: str) -> DatasetRecord:
        """The record of dataset ``name``, or :class:`NotFound` listing the stored names."""
        records = self.datasets()
        for r in records:
            if r.name == name:
                return r
        raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                       hint="stored datasets: " + (", ".join(r.name for r in records) or "none")
                       + "; see `viscarbon datasets`")

    def years(self, name: str) -> tuple[int, ...]:
        return self.dataset(name).years

    def _id_year(self, con: Any, name: str, year: int) -> int:
        row = con.execute("SELECT id, years, kind FROM datasets WHERE name = ?", [name]).fetchone()
        if row is None:
            names = [r[0] for r in con.execute("SELECT name FROM datasets ORDER BY id").fetchall()]
            raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                           hint="stored datasets: " + (", ".join(names) or "none"))
        if int(year) not in [int(y) for y in row[1]]:
            raise NotFound(f"dataset {name!r} has no year {year}", where=f"store {self.path}",
                           hint="years: " + ", ".join(str(y) for y in row[1]))
        return int(row[0])

    # ------------------------------------------------------------------ loading
    @staticmethod
    def _axes(con: Any, ds: int, year: int, obj: str) -> dict[str, Axis]:
        rows = con.execute(
            "SELECT role, dimension, list_id, code, label_en, label_zh FROM axes "
            "WHERE dataset_id = ? AND year = ? AND object = ? ORDER BY role, position",
            [ds, year, obj]).fetchall()
        grouped: dict[str, list[tuple[Any, ...]]] = {}
        for r in rows:
            grouped.setdefault(r[0], []).append(r)
        return {
            role: Axis(rs[0][1], tuple(r[3] for r in rs), tuple(r[4] for r in rs),
                       tuple(r[5] for r in rs), list_id=rs[0][2])
            for role, rs in grouped.items()
        }

    @staticmethod
    def _provenance(con: Any, ds: int, year: int, obj: str) -> tuple[Provenance, ...]:
        rows = con.execute(
            "SELECT " + ", ".join(_PROV_FIELDS) + " FROM dataset_files "
            "WHERE dataset_id = ? AND year = ? AND object = ? ORDER BY position",
            [ds, year, obj]).fetchall()
        return tuple(_prov_from_row(r) for r in rows)

    @staticmethod
    def _array(con: Any, ds: int, year: int, block: str) -> Arr:
        row = con.execute("SELECT shape FROM blocks WHERE dataset_id = ? AND year = ? AND block = ?",
                          [ds, year, block]).fetchone()
        if row is None:
            raise StoreError(f"array {block!r} is missing", where=f"dataset id {ds}, year {year}",
                             hint="the store is damaged; re-import the dataset")
        shape = tuple(int(s) for s in row[0])
        rows = shape[0] if shape else 1
        cols = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        out = np.zeros((rows, cols), dtype=np.float64)
        cells = con.execute("SELECT i, j, value FROM io_cells WHERE dataset_id = ? AND year = ? AND block = ?",
                            [ds, year, block]).fetchnumpy()
        if len(cells["i"]):
            vals = cells["value"]
            if isinstance(vals, np.ma.MaskedArray):  # NaN is stored as NULL
                vals = np.ma.filled(vals.astype(np.float64), np.nan)
            out[np.asarray(cells["i"]), np.asarray(cells["j"])] = np.asarray(vals, dtype=np.float64)
        return out.reshape(shape)

    def load_table(self, name: str, year: int) -> IOTable:
        """The IO table of ``name`` and ``year``, exactly as imported (same arrays bit for bit)."""
        with self._read_current() as con:
            ds = self._id_year(con, name, year)
            return self._load_table(con, ds, int(year), name)

    def _load_table(self, con: Any, ds: int, year: int, name: str) -> IOTable:
        meta = con.execute("SELECT unit, imports_treatment, row_rtol, col_rtol, notes FROM io_tables "
                           "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchone()
        if meta is None:
            raise NotFound(f"dataset {name!r} holds no IO table", where=f"store {self.path}",
                           hint="it is an inventory dataset; use load_inventory")
        axes = self._axes(con, ds, year, "table")
        blocks = [r[0] for r in con.execute("SELECT block FROM blocks WHERE dataset_id = ? AND year = ? "
                                            "AND block LIKE 'extra:%' ORDER BY block", [ds, year]).fetchall()]
        extras = {b[len("extra:"):]: self._array(con, ds, year, b) for b in blocks}
        return IOTable(
            year=year, regions=axes["regions"], sectors=axes["sectors"],
            Z=self._array(con, ds, year, "Z"), Y=self._array(con, ds, year, "Y"),
            fd_categories=axes["fd_categories"], EX=self._array(con, ds, year, "EX"),
            IM=self._array(con, ds, year, "IM"), V=self._array(con, ds, year, "V"),
            va_rows=axes["va_rows"], x=self._array(con, ds, year, "x"), unit=meta[0],
            provenance=self._provenance(con, ds, year, "table"), imports_treatment=meta[1],
            extras=extras, row_rtol=float(meta[2]), col_rtol=float(meta[3]), notes=tuple(meta[4]),
        )

    def load_satellites(self, name: str, year: int) -> tuple[SatelliteAccount, ...]:
        """Satellite accounts stored with a table (pymrio extensions), in import order."""
        with self._read_current() as con:
            ds = self._id_year(con, name, year)
            return self._load_satellites(con, ds, int(year))

    def _load_satellites(self, con: Any, ds: int, year: int) -> tuple[SatelliteAccount, ...]:
        rows = con.execute("SELECT name, unit, region_status, notes FROM satellites "
                           "WHERE dataset_id = ? AND year = ? ORDER BY rowid", [ds, year]).fetchall()
        out = []
        for sat_name, unit, status, notes in rows:
            obj = f"sat:{sat_name}"
            out.append(SatelliteAccount(
                name=sat_name, stressors=self._axes(con, ds, year, obj)["stressors"],
                F=self._array(con, ds, year, f"{obj}:F"), F_Y=self._array(con, ds, year, f"{obj}:F_Y"),
                unit=unit, year=year, region_status=tuple(status),
                provenance=self._provenance(con, ds, year, obj), notes=tuple(notes)))
        return tuple(out)

    def load_system(self, name: str, year: int) -> EEIOSystem:
        """The table of ``name``/``year`` with the satellites stored with it (pymrio
        extensions); CEADs MRIO datasets get their CO2 account from harmonization instead."""
        with self._read_current() as con:
            ds = self._id_year(con, name, year)
            table = self._load_table(con, ds, int(year), name)
            sats = self._load_satellites(con, ds, int(year))
        return EEIOSystem(table=table, satellites=sats, dataset=name)

    def load_inventory(self, name: str, year: int) -> InventoryTable:
        """The inventory of ``name`` and ``year`` (regions × 47 sectors × columns, Mt CO2)."""
        with self._read_current() as con:
            ds = self._id_year(con, name, year)
            meta = con.execute("SELECT unit, rtol FROM inventories WHERE dataset_id = ? AND year = ?",
                               [ds, year]).fetchone()
            if meta is None:
                raise NotFound(f"dataset {name!r} holds no inventory", where=f"store {self.path}",
                               hint="it is an IO dataset; use load_table")
            axes = self._axes(con, ds, int(year), "inventory")
            regions, sectors, columns = axes["regions"], axes["sectors"], axes["columns"]
            values = np.zeros((len(regions), len(sectors), len(columns)))
            rix = {c: k for k, c in enumerate(regions.codes)}
            six = {c: k for k, c in enumerate(sectors.codes)}
            cix = {c: k for k, c in enumerate(columns.codes)}
            for r, s, c, v in con.execute(
                    'SELECT region, inv_sector, "column", value FROM inventory_values '
                    "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchall():
                values[rix[r], six[s], cix[c]] = v
            totals = np.zeros(len(regions))
            for r, v in con.execute("SELECT region, total FROM inventory_totals "
                                    "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchall():
                totals[rix[r]] = v
            prov = self._provenance(con, ds, int(year), "inventory")
        return InventoryTable(year=int(year), regions=regions, sectors=sectors, columns=columns,
                              values=values, totals=totals, unit=meta[0], provenance=prov,
                              rtol=float(meta[1]))

    def reconciliation(self, name: str, year: int) -> tuple[int | None, list[dict[str, object]], tuple[str, ...]]:
        """The reconciliation stored at import for an MRIO year: (inventory year, records, notes)."""
        with self._read_current() as con:
            ds = self._id_year(con, name, year)
            row = con.execute("SELECT inventory_year, records, notes FROM reconciliation "
                              "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchone()
        if row is None:
            return None, [], ()
        records: list[dict[str, object]] = json.loads(row[1])
        return row[0], records, tuple(row[2])

    # ------------------------------------------------------------------ checks
    def content_digest(self) -> str:
        """A SHA-256 over the content of every table (order-independent per table).

        Equal digests mean equal rows; used to prove that a failed import changed nothing.
        """
        import hashlib

        if not self.path.exists():
            return "absent"
        h = hashlib.sha256()
        with self._read() as con:
            names = _table_names(con)
            for t in sorted(names):
                cnt, x = con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{t}" t').fetchone()
                h.update(f"{t}:{cnt}:{x}\n".encode())
        return h.hexdigest()

    # ------------------------------------------------------------------ writing
    @contextlib.contextmanager
    def transaction(self, *, timeout: float = LOCK_TIMEOUT_S) -> Iterator[StoreTransaction]:
        """Copy → write → CHECKPOINT → fsync → atomic rename, under ``<store>.lock``.

        Everything written inside the ``with`` block lands together, or (on any
        exception) not at all: the store file is only ever replaced whole.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive_lock(self.path, timeout):
            # Only the lock holder writes temp copies, so any copy present now was left by
            # an importer that was killed mid-write: remove it before making ours.
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp*"):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
            try:
                if self.path.exists():
                    shutil.copyfile(self.path, tmp)
                con = _connect(tmp, read_only=False)
                try:
                    _prepare_schema(con, self.path)
                    txn = StoreTransaction(con, self.path)
                    con.execute("BEGIN TRANSACTION")
                    yield txn
                    con.execute("COMMIT")
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                _fsync_path(tmp)
                os.replace(tmp, self.path)
                _fsync_path(self.path.parent, directory=True)
            finally:
                for p in (tmp, tmp.with_name(tmp.name + ".wal")):
                    with contextlib.suppress(FileNotFoundError):
                        p.unlink()


def _prepare_schema(con: Any, path: Path) -> None:
    """Create the schema in a new file or migrate an older one (inside the temp copy)."""
    version = _schema_version(con, path)
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store has schema version {version}; this viscarbon writes {SCHEMA_VERSION}",
                         where=f"file {path}", hint="upgrade viscarbon")
    if version >= 0 and version < SCHEMA_VERSION:
        for v in range(version, SCHEMA_VERSION):
            if v not in _MIGRATIONS:
                raise StoreError(f"cannot migrate a store of schema version {v}", where=f"file {path}",
                                 hint="remove the file and import again")
            for stmt in _MIGRATIONS[v].strip().split(";"):
                if stmt.strip():
                    con.execute(stmt)
    con.execute(_SCHEMA)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('created_by', ?)",
                [str(SCHEMA_VERSION), f"viscarbon {_importer_version()}"])


class StoreTransaction:
    """Writing side of :meth:`Store.transaction` (one DuckDB connection on the temp copy)."""

    def __init__(self, con: Any, path: Path):
        self.con = con
        self.path = path

    # ------------------------------------------------------------------ datasets
    def dataset_id(self, name: str) -> int | None:
        row = self.con.execute("SELECT id FROM datasets WHERE name = ?", [name]).fetchone()
        return None if row is None else int(row[0])

    def records(self) -> list[tuple[str, str, list[int]]]:
        """(name, kind, years) of every dataset in the copy being written."""
        return [(r[0], r[1], list(r[2])) for r in
                self.con.execute("SELECT name, kind, years FROM datasets ORDER BY id").fetchall()]

    def add_dataset(self, name: str, *, kind: str, years: Sequence[int], citation: str,
                    synthetic: bool = False, linked_inventory: str | None = None,
                    notes: str = "") -> int:
        """Register a dataset; returns its id. The name must be new."""
        if kind not in DATASET_KINDS:
            raise StoreError(f"unknown dataset kind {kind!r}", hint="use one of: " + ", ".join(DATASET_KINDS))
        if self.dataset_id(name) is not None:
            raise StoreError(f"a dataset named {name!r} already exists", where=f"store {self.path}",
                             hint="choose another --name or remove it with `viscarbon datasets remove`")
        ds = int(self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM datasets").fetchone()[0])
        self.con.execute(
            "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [name, ds, kind, sorted(int(y) for y in years), citation, bool(synthetic),
             linked_inventory, datetime.now().replace(microsecond=0), notes, _importer_version()])
        return ds

    def remove_dataset(self, name: str) -> None:
        ds = self.dataset_id(name)
        if ds is None:
            names = [r[0] for r in self.records()]
            raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                           hint="stored datasets: " + (", ".join(names) or "none"))
        for t in _TABLES:
            if t not in ("meta", "datasets"):
                self.con.execute(f"DELETE FROM {t} WHERE dataset_id = ?", [ds])
        self.con.execute("DELETE FROM datasets WHERE id = ?", [ds])
        # datasets linked to a removed inventory lose the link and its reconciliation
        self.con.execute("DELETE FROM reconciliation WHERE dataset_id IN "
                         "(SELECT id FROM datasets WHERE linked_inventory = ?)", [name])
        self.con.execute("UPDATE datasets SET linked_inventory = NULL WHERE linked_inventory = ?", [name])

    def rename_dataset(self, old: str, new: str) -> None:
        if self.dataset_id(old) is None:
            names = [r[0] for r in self.records()]
            raise NotFound(f"no dataset named {old!r}", where=f"store {self.path}",
                           hint="stored datasets: " + (", ".join(names) or "none"))
        if new == "demo" or self.dataset_id(new) is not None:
            raise StoreError(f"a dataset named {new!r} already exists", where=f"store {self.path}",
                             hint="choose another name")
        self.con.execute("UPDATE datasets SET name = ? WHERE name = ?", [new, old])
        self.con.execute("UPDATE datasets SET linked_inventory = ? WHERE linked_inventory = ?", [new, old])

    def set_linked_inventory(self, name: str, inventory: str | None, *, notes: str) -> int:
        """Link dataset ``name`` to ``inventory`` (None: unlink), replace its notes and drop
        its stored reconciliation (the caller writes the new one); returns its id."""
        ds = self.dataset_id(name)
        if ds is None:
            names = [r[0] for r in self.records()]
            raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                           hint="stored datasets: " + (", ".join(names) or "none"))
        if inventory is not None and self.dataset_id(inventory) is None:
            raise NotFound(f"no dataset named {inventory!r}", where=f"store {self.path}",
                           hint="import the inventory first with `viscarbon import ceads-inventory`")
        self.con.execute("UPDATE datasets SET linked_inventory = ?, notes = ? WHERE id = ?", [inventory, notes, ds])
        self.con.execute("DELETE FROM reconciliation WHERE dataset_id = ?", [ds])
        return ds

    # ------------------------------------------------------------------ pieces
    def _axis(self, ds: int, year: int, obj: str, role: str, axis: Axis) -> None:
        n = len(axis)
        d = {
            "dataset_id": np.full(n, ds, np.int32), "year": np.full(n, year, np.int32),
            "object": np.array([obj] * n, dtype=object), "role": np.array([role] * n, dtype=object),
            "dimension": np.array([axis.dimension] * n, dtype=object),
            "list_id": np.array([axis.list_id] * n, dtype=object),
            "position": np.arange(n, dtype=np.int32), "code": np.array(axis.codes, dtype=object),
            "label_en": np.array(axis.labels_en, dtype=object), "label_zh": np.array(axis.labels_zh, dtype=object),
        }
        self._insert("axes", d)

    def _insert(self, table: str, d: Mapping[str, Any]) -> None:
        if not len(next(iter(d.values()))):
            return
        cols = ", ".join(f'"{k}"' for k in d)
        self.con.register("_vc_rows", dict(d))
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _vc_rows")
        finally:
            with contextlib.suppress(Exception):
                self.con.unregister("_vc_rows")

    def _array(self, ds: int, year: int, block: str, a: Arr) -> None:
        a = np.asarray(a, dtype=np.float64)
        self.con.execute("INSERT INTO blocks VALUES (?, ?, ?, ?)", [ds, year, block, list(a.shape)])
        ii, jj, vv = _nonzero_cells(a)
        n = ii.size
        self._insert("io_cells", {
            "dataset_id": np.full(n, ds, np.int32), "year": np.full(n, year, np.int32),
            "block": np.full(n, block, dtype=object),
            "i": ii, "j": jj, "value": vv})

    def _provenance(self, ds: int, year: int, obj: str, provs: Sequence[Provenance]) -> None:
        for k, p in enumerate(provs):
            self.con.execute(
                "INSERT INTO dataset_files (dataset_id, year, object, position, " + ", ".join(_PROV_FIELDS)
                + ") VALUES (?, ?, ?, ?" + ", ?" * len(_PROV_FIELDS) + ")",
                [ds, year, obj, k, *(getattr(p, f) for f in _PROV_FIELDS)])

    # ------------------------------------------------------------------ objects
    def put_table(self, ds: int, table: IOTable) -> None:
        """Store an IO table (axes, every array, provenance) for its year."""
        y = int(table.year)
        for role in ("regions", "sectors", "fd_categories", "va_rows"):
            self._axis(ds, y, "table", role, getattr(table, role))
        self.con.execute("INSERT INTO io_tables VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [ds, y, table.unit, table.imports_treatment, table.row_rtol, table.col_rtol,
                          list(table.notes)])
        for block in ("Z", "Y", "EX", "IM", "V", "x"):
            self._array(ds, y, block, getattr(table, block))
        for key, arr in table.extras.items():
            self._array(ds, y, f"extra:{key}", arr)
        self._provenance(ds, y, "table", table.provenance)

    def put_satellite(self, ds: int, sat: SatelliteAccount) -> None:
        y = int(sat.year)
        obj = f"sat:{sat.name}"
        self._axis(ds, y, obj, "stressors", sat.stressors)
        self.con.execute("INSERT INTO satellites VALUES (?, ?, ?, ?, ?, ?)",
                         [ds, y, sat.name, sat.unit, list(sat.region_status), list(sat.notes)])
        self._array(ds, y, f"{obj}:F", sat.F)
        self._array(ds, y, f"{obj}:F_Y", sat.F_Y)
        self._provenance(ds, y, obj, sat.provenance)

    def put_inventory(self, ds: int, inv: InventoryTable) -> None:
        """Store an inventory year: long values (non-zero cells) and the total row."""
        y = int(inv.year)
        for role in ("regions", "sectors", "columns"):
            self._axis(ds, y, "inventory", role, getattr(inv, role))
        self.con.execute("INSERT INTO inventories VALUES (?, ?, ?, ?)", [ds, y, inv.unit, inv.rtol])
        v = inv.values
        mask = (v != 0) | np.signbit(v)
        r, s, c = np.nonzero(mask)
        n = r.size
        self._insert("inventory_values", {
            "dataset_id": np.full(n, ds, np.int32), "year": np.full(n, y, np.int32),
            "region": np.array(inv.regions.codes, dtype=object)[r],
            "inv_sector": np.array(inv.sectors.codes, dtype=object)[s],
            "column": np.array(inv.columns.codes, dtype=object)[c], "value": v[r, s, c]})
        R = len(inv.regions)
        self._insert("inventory_totals", {
            "dataset_id": np.full(R, ds, np.int32), "year": np.full(R, y, np.int32),
            "region": np.array(inv.regions.codes, dtype=object), "total": np.asarray(inv.totals)})
        self._provenance(ds, y, "inventory", inv.provenance)

    def put_reconciliation(self, ds: int, year: int, *, inventory_year: int | None,
                           records: list[dict[str, object]], notes: Sequence[str] = ()) -> None:
        self.con.execute("INSERT INTO reconciliation VALUES (?, ?, ?, ?, ?)",
                         [ds, int(year), inventory_year, json.dumps(records, default=_json_default),
                          list(notes)])


def _json_default(o: object) -> object:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, tuple | set | frozenset):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")

