"""The store: one DuckDB file holding every imported dataset as real, queryable tables.

The layout is in :mod:`viscarbon.io.store.schema`. Datasets carry an integer ``id``
besides their unique ``name`` so that a rename touches one row. Arrays are stored cell by
cell (only cells that are not +0.0) and rebuilt bit for bit.

Reading goes through :class:`~viscarbon.io.store.snapshot.StoreSnapshot`: one generation
of the file, pinned (see there why a plain ``duckdb.connect(path)`` is not enough in a
long-running server). The convenience read methods of :class:`Store` open a snapshot,
read, and close it.

Writes are atomic: :meth:`Store.transaction` takes an exclusive lock file
(``<store>.lock``), copies the store to a temporary file in the same directory, migrates
it to the current schema (SQL; then the store's ``upgrade`` step, given by the caller,
for the data an older layout lacks), lets the caller write, CHECKPOINTs, closes, fsyncs
and ``os.replace``-s the copy onto the store path. A failure anywhere leaves the store
file untouched; readers see the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import duckdb

from viscarbon._version import __version__
from viscarbon.errors import NotFound, StoreError
from viscarbon.io.store.locking import exclusive_lock, fsync_path
from viscarbon.io.store.paths import resolve_store_path
from viscarbon.io.store.reading import StoreReader
from viscarbon.io.store.records import (
    DatasetRecord,
    StoredConcordance,
    StoredReconciliation,
    StoredSatellite,
    StoredScenario,
    StoredSeries,
)
from viscarbon.io.store.schema import (
    SCHEMA_VERSION,
    can_migrate,
    prepare_schema,
    table_names,
)
from viscarbon.io.store.snapshot import Generation, StoreSnapshot, file_generation
from viscarbon.io.store.transaction import StoreTransaction
from viscarbon.model import ApparentEmissions, InventoryTable, IOTable

__all__ = ["LOCK_TIMEOUT_S", "Store", "Upgrade"]

LOCK_TIMEOUT_S: Final = 5.0

#: ``upgrade(tx)``: the data part of a migration, run inside the transaction that
#: migrated the file from ``tx.migrated_from`` (< :data:`SCHEMA_VERSION`).
Upgrade = Callable[[StoreTransaction], None]


def _importer_version() -> str:
    return __version__


class Store:
    """A viscarbon store file. ``upgrade`` is run inside any transaction that migrates an
    older file (see :data:`Upgrade`); the library opens stores through
    :func:`viscarbon.datasets.open_store`, which passes the harmonizing upgrade."""

    def __init__(self, path: str | os.PathLike[str], *, upgrade: Upgrade | None = None):
        self.path = Path(path)
        self.upgrade = upgrade

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, migrate: bool = True,
             upgrade: Upgrade | None = None) -> Store:
        """The store at ``path`` (resolved by :func:`~viscarbon.io.store.paths.resolve_store_path`).

        A missing file is an empty store (created by the first import). An older schema is
        migrated (atomically, under the lock) when ``migrate``; a newer or unknown one
        raises :class:`StoreError` saying that it cannot be read.
        """
        store = cls(resolve_store_path(path), upgrade=upgrade)
        if not store.path.exists():
            return store
        version = store.schema_version()
        if version in (-1, SCHEMA_VERSION):
            return store
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the store has schema version {version}; this viscarbon reads up to {SCHEMA_VERSION}",
                where=f"file {store.path}", hint="upgrade viscarbon, or point --store at another file")
        if not can_migrate(version):
            raise StoreError(f"cannot migrate a store of schema version {version}",
                             where=f"file {store.path}", hint="remove the file and import again")
        if not migrate:
            raise StoreError(f"the store has the old schema version {version}",
                             where=f"file {store.path}", hint="run any viscarbon command on it once (e.g. viscarbon datasets --store FILE): it is migrated then")
        with store.transaction():
            pass  # the transaction migrates the copy before anything else
        return store

    def schema_version(self) -> int:
        """The schema version of the file (0 = unversioned layout, -1 = empty file)."""
        if not self.path.exists():
            return SCHEMA_VERSION
        with self.snapshot() as snap:
            return snap.version

    def exists(self) -> bool:
        return self.path.exists()

    def generation(self) -> Generation:
        """``(inode, mtime_ns, size)`` of the store file, ``(0, 0, 0)`` when absent.

        Changes whenever an import replaces the file; caches key on it."""
        return file_generation(self.path)

    def snapshot(self) -> StoreSnapshot:
        """A read-only snapshot of the file's current generation (close it when done)."""
        return StoreSnapshot(self.path)

    @contextlib.contextmanager
    def _reader(self) -> Iterator[StoreReader]:
        with self.snapshot() as snap, snap.reader() as r:
            yield r

    # ------------------------------------------------------------------ reading
    def datasets(self) -> list[DatasetRecord]:
        """Every stored dataset, in import order (the demo is not stored)."""
        with self.snapshot() as snap:
            return snap.datasets()

    def dataset(self, name: str) -> DatasetRecord:
        """The record of dataset ``name``, or :class:`~viscarbon.errors.NotFound` listing the names."""
        with self.snapshot() as snap:
            if snap.empty:
                raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                               hint="stored datasets: none; see `viscarbon datasets`")
            with snap.reader() as r:
                return r.dataset(name)

    def scenarios(self) -> list[StoredScenario]:
        """The scenarios saved in the store (none for a missing or empty store)."""
        with self.snapshot() as snap:
            if snap.empty:
                return []
            with snap.reader() as r:
                return r.scenarios()

    def scenario(self, name: str) -> StoredScenario:
        """The saved scenario ``name``, or :class:`~viscarbon.errors.NotFound` listing the names."""
        saved = self.scenarios()
        for s in saved:
            if s.name == name:
                return s
        raise NotFound(f"no saved scenario named {name!r}", where=f"store {self.path}",
                       hint="saved: " + (", ".join(s.name for s in saved) or "none")
                       + "; save one with `viscarbon scenario save FILE`")

    def years(self, name: str) -> tuple[int, ...]:
        return self.dataset(name).years

    def load_table(self, name: str, year: int) -> IOTable:
        """The IO table of ``name`` and ``year``, exactly as imported (same arrays bit for bit)."""
        with self._reader() as r:
            return r.load_table(name, year)

    def load_satellites(self, name: str, year: int) -> tuple[StoredSatellite, ...]:
        """The satellites stored with a table year (pymrio extensions, harmonized CO2 …)."""
        with self._reader() as r:
            return r.load_satellites(name, year)

    def load_inventory(self, name: str, year: int) -> InventoryTable:
        """The inventory of ``name`` and ``year`` (regions × 47 sectors × columns, Mt CO2)."""
        with self._reader() as r:
            return r.load_inventory(name, year)

    def load_apparent(self, name: str, year: int) -> ApparentEmissions:
        """The apparent emissions of ``name`` and ``year`` (regions × categories, Mt CO2)."""
        with self._reader() as r:
            return r.load_apparent(name, year)

    def reconciliation(self, name: str, year: int) -> StoredReconciliation | None:
        """The reconciliation stored for an IO year (None when it has no linked inventory)."""
        with self._reader() as r:
            return r.reconciliation(name, year)

    def co2_series(self, name: str) -> tuple[StoredSeries, ...]:
        """The linked inventory's years mapped onto the nearest table years."""
        with self._reader() as r:
            return r.co2_series(name)

    def concordance(self, name: str) -> StoredConcordance | None:
        """The user concordance stored with ``name`` (None: the packaged one)."""
        with self._reader() as r:
            return r.concordance(name)

    # ------------------------------------------------------------------ checks
    def content_digest(self) -> str:
        """A SHA-256 over the content of every table (order-independent per table).

        Equal digests mean equal rows; used to prove that a failed import changed nothing.
        """
        if not self.path.exists():
            return "absent"
        h = hashlib.sha256()
        with self.snapshot() as snap:
            if snap.empty:
                return "empty"
            with snap.reader() as r:
                for t in sorted(table_names(r.con)):
                    cnt, x = r.con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{t}" t').fetchone()
                    h.update(f"{t}:{cnt}:{x}\n".encode())
        return h.hexdigest()

    # ------------------------------------------------------------------ writing
    @contextlib.contextmanager
    def transaction(self, *, timeout: float = LOCK_TIMEOUT_S) -> Iterator[StoreTransaction]:
        """Copy → migrate → write → CHECKPOINT → fsync → atomic rename, under ``<store>.lock``.

        Everything written inside the ``with`` block lands together, or (on any
        exception) not at all: the store file is only ever replaced whole.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.path, timeout):
            # Only the lock holder writes temp copies, so any copy present now was left by
            # an importer that was killed mid-write: remove it before making ours.
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp*"):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
            try:
                if self.path.exists():
                    shutil.copyfile(self.path, tmp)
                try:
                    con = duckdb.connect(str(tmp), read_only=False)
                except duckdb.Error as exc:
                    raise StoreError(f"cannot open the store: {str(exc).splitlines()[0]}",
                                     where=f"file {self.path}",
                                     hint="the file may not be a viscarbon store or be damaged") from exc
                try:
                    version = prepare_schema(con, self.path, created_by=f"viscarbon {_importer_version()}")
                    txn = StoreTransaction(con, self.path, migrated_from=version,
                                           importer_version=_importer_version())
                    con.execute("BEGIN TRANSACTION")
                    if 0 <= version < SCHEMA_VERSION and self.upgrade is not None:
                        self.upgrade(txn)
                    yield txn
                    con.execute("COMMIT")
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                fsync_path(tmp)
                os.replace(tmp, self.path)
                fsync_path(self.path.parent, directory=True)
            finally:
                for p in (tmp, tmp.with_name(tmp.name + ".wal")):
                    with contextlib.suppress(FileNotFoundError):
                        p.unlink()
