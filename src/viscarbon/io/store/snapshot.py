"""Read-only snapshots of the store file: one generation, read consistently.

An import replaces the store file by renaming a new file over it. A reader must therefore
know *which* file it read. DuckDB keeps one database instance per path and process and
hands it to every later ``duckdb.connect(path)`` while any connection to it is open — so
in a busy server a plain ``connect(store_path)`` made after an import could still read
the old, renamed-away file (the cause of imports that never showed up). A
:class:`StoreSnapshot` therefore never connects by path: it opens an in-memory DuckDB and
``ATTACH``-es the file read-only, which opens the file anew, and it takes the file's
generation (inode, mtime, size) from a descriptor opened just before, checked again just
after (retrying if an import replaced the file in between). Everything read through the
snapshot comes from that one file, and the generation says which.

A snapshot is safe to share between threads: every read runs on its own cursor
(:meth:`StoreSnapshot.reader`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import duckdb

from viscarbon.errors import NotFound, StoreError
from viscarbon.io.store.reading import StoreReader
from viscarbon.io.store.schema import SCHEMA_VERSION, schema_version

__all__ = ["ABSENT", "Generation", "StoreSnapshot", "file_generation"]

Generation = tuple[int, int, int]
#: The generation of a store file that does not exist.
ABSENT: Final[Generation] = (0, 0, 0)
_ALIAS: Final = "vcstore"
_ATTEMPTS: Final = 20


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def file_generation(path: Path) -> Generation:
    """``(inode, mtime_ns, size)`` of the file at ``path``, :data:`ABSENT` when missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ABSENT
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _connect_error(exc: Exception, path: Path) -> StoreError:
    return StoreError(f"cannot open the store: {str(exc).splitlines()[0]}", where=f"file {path}",
                      hint="the file may not be a viscarbon store, be damaged, or come from a "
                           "newer DuckDB; point --store at another file or remove it")


class StoreSnapshot:
    """One generation of the store at ``path``, read-only (see the module docstring).

    ``generation`` is the file's generation as read, :data:`ABSENT` when there is no
    file; ``version`` its schema version (-1 for an empty file). Close it when done (or use
    it as a context manager)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: Any = None
        self.generation: Generation = ABSENT
        self.version = -1
        self.closed = False
        for _ in range(_ATTEMPTS):
            try:
                fd = os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                return
            try:
                st = os.fstat(fd)
            finally:
                os.close(fd)
            gen = (st.st_ino, st.st_mtime_ns, st.st_size)
            con = duckdb.connect(":memory:")
            try:
                con.execute(f"ATTACH {_sql_str(str(self.path))} AS {_ALIAS} (READ_ONLY)")
                con.execute(f"USE {_ALIAS}")
            except duckdb.Error as exc:
                con.close()
                if file_generation(self.path) != gen:
                    continue  # replaced while we opened it: read the new one
                raise _connect_error(exc, self.path) from exc
            if file_generation(self.path) == gen:
                self._con, self.generation = con, gen
                break
            con.close()  # replaced between the stat and the attach: try again
        else:
            raise StoreError("the store file keeps changing while it is opened", where=f"file {self.path}",
                             hint="wait until the running import has finished, then try again")
        self.version = schema_version(self._con, self.path)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            if self._con is not None:
                with contextlib.suppress(Exception):
                    self._con.close()
                self._con = None

    def __enter__(self) -> StoreSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def exists(self) -> bool:
        return self.generation != ABSENT

    @property
    def empty(self) -> bool:
        """No file, or a file without a schema yet."""
        return self._con is None or self.version == -1

    # ------------------------------------------------------------------ reading
    @contextlib.contextmanager
    def reader(self) -> Iterator[StoreReader]:
        """A :class:`StoreReader` on a cursor of its own (thread-safe).

        Raises :class:`NotFound` for a missing or empty store and :class:`StoreError` for a
        store of another schema version."""
        if self.empty:
            raise NotFound("the store is empty", where=f"file {self.path}",
                           hint="import data with `viscarbon import`")
        if self.version != SCHEMA_VERSION:
            raise StoreError(f"the store has schema version {self.version}, expected {SCHEMA_VERSION}",
                             where=f"file {self.path}", hint="open it with Store.open() to migrate")
        with self._lock:
            if self.closed:
                raise StoreError("the store snapshot is closed", where=f"file {self.path}")
            cur = self._con.cursor()
        try:
            cur.execute(f"USE {_ALIAS}")
            yield StoreReader(cur, self.path)
        finally:
            cur.close()

    def datasets(self) -> list[Any]:
        """Every stored dataset (:class:`~viscarbon.io.store.records.DatasetRecord`); none
        for a missing or empty store."""
        if self.empty:
            return []
        with self.reader() as r:
            return r.datasets()
