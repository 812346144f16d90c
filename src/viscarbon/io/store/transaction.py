"""The writing side of a store transaction (one DuckDB connection on the temp copy)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import NotFound, StoreError
from viscarbon.io.store.reading import PROV_FIELDS, StoreReader
from viscarbon.io.store.records import SATELLITE_SOURCES, StoredScenario
from viscarbon.io.store.schema import DATASET_KINDS, TABLES
from viscarbon.model import (
    ApparentEmissions,
    Axis,
    InventoryTable,
    IOTable,
    Provenance,
    SatelliteAccount,
)

__all__ = ["StoreTransaction"]

Arr = NDArray[np.float64]


def _nonzero_cells(a: Arr) -> tuple[NDArray[np.int32], NDArray[np.int32], Arr]:
    """Row, column and value of every cell that is not +0.0 (``-0.0`` and NaN are kept)."""
    m2 = a.reshape(a.shape[0], -1) if a.ndim >= 2 else a.reshape(-1, 1)
    mask = (m2 != 0) | np.signbit(m2) | np.isnan(m2)
    ii, jj = np.nonzero(mask)
    return ii.astype(np.int32), jj.astype(np.int32), np.ascontiguousarray(m2[ii, jj], dtype=np.float64)


def _json_default(o: object) -> object:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, tuple | set | frozenset):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


class StoreTransaction:
    """Writes (and reads, through :attr:`read`) inside :meth:`Store.transaction`.

    ``migrated_from`` is the schema version the file had before this transaction (the
    current one when nothing was migrated, -1 for a new file)."""

    def __init__(self, con: Any, path: Path, *, migrated_from: int, importer_version: str):
        self.con = con
        self.path = path
        self.migrated_from = migrated_from
        self.importer_version = importer_version
        self.read = StoreReader(con, path)

    # ------------------------------------------------------------------ datasets
    def dataset_id(self, name: str) -> int | None:
        row = self.con.execute("SELECT id FROM datasets WHERE name = ?", [name]).fetchone()
        return None if row is None else int(row[0])

    def _require(self, name: str) -> int:
        ds = self.dataset_id(name)
        if ds is None:
            names = [r[0] for r in self.records()]
            raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                           hint="stored datasets: " + (", ".join(names) or "none"))
        return ds

    def records(self) -> list[tuple[str, str, list[int]]]:
        """(name, kind, years) of every dataset in the copy being written."""
        return [(r[0], r[1], list(r[2])) for r in
                self.con.execute("SELECT name, kind, years FROM datasets ORDER BY id").fetchall()]

    # ------------------------------------------------------------------ scenarios
    def put_scenario(self, name: str, *, toml: str, fingerprint: str) -> StoredScenario:
        """Save (or replace) the scenario ``name``: its TOML text, validated by the caller,
        and the fingerprint of what it computes."""
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        self.con.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?, ?)", [name, toml, now, fingerprint])
        return StoredScenario(name=name, toml=toml, saved_at=now.isoformat() + "Z", fingerprint=fingerprint)

    def delete_scenario(self, name: str) -> None:
        """Delete the saved scenario ``name`` (:class:`NotFound` listing the saved ones)."""
        if self.con.execute("SELECT 1 FROM scenarios WHERE name = ?", [name]).fetchone() is None:
            names = [s.name for s in self.read.scenarios()]
            raise NotFound(f"no saved scenario named {name!r}", where=f"store {self.path}",
                           hint="saved: " + (", ".join(names) or "none"))
        self.con.execute("DELETE FROM scenarios WHERE name = ?", [name])

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
             linked_inventory, datetime.now().replace(microsecond=0), notes, self.importer_version])
        return ds

    def remove_dataset(self, name: str) -> tuple[str, ...]:
        """Remove dataset ``name`` with everything stored for it. Datasets linked to it (as
        their inventory) lose the link and what was derived from it (their harmonized CO2,
        series and reconciliation); their names are returned so that the caller can store
        what replaces it."""
        ds = self._require(name)
        for t in TABLES:
            if t not in ("meta", "datasets", "scenarios"):
                self.con.execute(f"DELETE FROM {t} WHERE dataset_id = ?", [ds])
        self.con.execute("DELETE FROM datasets WHERE id = ?", [ds])
        dependents = tuple(r[0] for r in self.con.execute(
            "SELECT name FROM datasets WHERE linked_inventory = ? ORDER BY id", [name]).fetchall())
        for dep in dependents:
            self.clear_harmonization(self._require(dep))
        self.con.execute("UPDATE datasets SET linked_inventory = NULL WHERE linked_inventory = ?", [name])
        return dependents

    def rename_dataset(self, old: str, new: str) -> None:
        self._require(old)
        if new == "demo" or self.dataset_id(new) is not None:
            raise StoreError(f"a dataset named {new!r} already exists", where=f"store {self.path}",
                             hint="choose another name")
        self.con.execute("UPDATE datasets SET name = ? WHERE name = ?", [new, old])
        self.con.execute("UPDATE datasets SET linked_inventory = ? WHERE linked_inventory = ?", [new, old])

    def set_linked_inventory(self, name: str, inventory: str | None, *, notes: str) -> int:
        """Link dataset ``name`` to ``inventory`` (None: unlink), replace its notes and drop
        what was harmonized from the previous link (the caller writes the new); returns its id."""
        ds = self._require(name)
        if inventory is not None and self.dataset_id(inventory) is None:
            raise NotFound(f"no dataset named {inventory!r}", where=f"store {self.path}",
                           hint="import the inventory first with `viscarbon import ceads-inventory`")
        self.con.execute("UPDATE datasets SET linked_inventory = ?, notes = ? WHERE id = ?", [inventory, notes, ds])
        self.clear_harmonization(ds)
        return ds

    def clear_harmonization(self, ds: int) -> None:
        """Drop the derived CO2 of dataset id ``ds``: satellites from an inventory or the MRIO
        CO2 row, the inventory series, the reconciliation and a stored user concordance."""
        obj_of = [f"sat:{r[0]}" for r in self.con.execute(
            "SELECT DISTINCT name FROM satellites WHERE dataset_id = ? AND source IN ('inventory', 'co2_row')",
            [ds]).fetchall()]
        for obj in obj_of:
            for table, col in (("axes", "object"), ("dataset_files", "object")):
                self.con.execute(f"DELETE FROM {table} WHERE dataset_id = ? AND {col} = ?", [ds, obj])
            for suffix in (":F", ":F_Y"):
                self.con.execute("DELETE FROM blocks WHERE dataset_id = ? AND block = ?", [ds, obj + suffix])
                self.con.execute("DELETE FROM io_cells WHERE dataset_id = ? AND block = ?", [ds, obj + suffix])
        self.con.execute("DELETE FROM satellites WHERE dataset_id = ? AND source IN ('inventory', 'co2_row')", [ds])
        for block in ("series:F", "series:F_Y"):
            self.con.execute("DELETE FROM blocks WHERE dataset_id = ? AND block = ?", [ds, block])
            self.con.execute("DELETE FROM io_cells WHERE dataset_id = ? AND block = ?", [ds, block])
        for table in ("co2_series", "reconciliation", "concordances"):
            self.con.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [ds])

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
                "INSERT INTO dataset_files (dataset_id, year, object, position, " + ", ".join(PROV_FIELDS)
                + ") VALUES (?, ?, ?, ?" + ", ?" * len(PROV_FIELDS) + ")",
                [ds, year, obj, k, *(getattr(p, f) for f in PROV_FIELDS)])

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

    def put_satellite(self, ds: int, sat: SatelliteAccount, *, year: int | None = None,
                      source: str = "import", concordance: str = "",
                      inventory_year: int | None = None) -> None:
        """Store a satellite with table year ``year`` (default ``sat.year``); ``source`` says
        where it came from (``inventory``: harmonized with ``concordance`` from
        ``inventory_year``; ``co2_row``: the MRIO's own CO2 row; ``import``: from the file)."""
        if source not in SATELLITE_SOURCES:
            raise StoreError(f"unknown satellite source {source!r}",
                             hint="use one of: " + ", ".join(SATELLITE_SOURCES))
        y = int(sat.year if year is None else year)
        obj = f"sat:{sat.name}"
        self._axis(ds, y, obj, "stressors", sat.stressors)
        self.con.execute("INSERT INTO satellites VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [ds, y, sat.name, sat.unit, list(sat.region_status), list(sat.notes),
                          source, concordance, inventory_year])
        self._array(ds, y, f"{obj}:F", sat.F)
        self._array(ds, y, f"{obj}:F_Y", sat.F_Y)
        self._provenance(ds, y, obj, sat.provenance)

    def put_series(self, ds: int, *, inventory_year: int, table_year: int, concordance: str,
                   region_status: Sequence[str], notes: Sequence[str], F: Arr, F_Y: Arr) -> None:
        """Store one inventory year mapped onto ``table_year``: ``F`` (n,) and ``F_Y``
        (R·K,) totals over the inventory's columns, Mt CO2."""
        self.con.execute("INSERT INTO co2_series VALUES (?, ?, ?, ?, ?, ?)",
                         [ds, int(inventory_year), int(table_year), concordance, list(region_status),
                          list(notes)])
        self._array(ds, int(inventory_year), "series:F", np.asarray(F, dtype=np.float64))
        self._array(ds, int(inventory_year), "series:F_Y", np.asarray(F_Y, dtype=np.float64))

    def put_concordance(self, ds: int, *, label: str, list_id: str, rows: list[dict[str, object]]) -> None:
        """Store the user concordance dataset ``ds`` is harmonized with."""
        self.con.execute("DELETE FROM concordances WHERE dataset_id = ?", [ds])
        self.con.execute("INSERT INTO concordances VALUES (?, ?, ?, ?)",
                         [ds, label, list_id, json.dumps(rows, ensure_ascii=False)])

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

    def put_apparent(self, ds: int, app: ApparentEmissions) -> None:
        """Store a year of apparent emissions in the inventory tables with its own axes
        (object ``apparent``: roles ``regions``, ``categories``): the values in
        ``inventory_values`` with ``inv_sector = ''`` and ``column`` = the category, the
        regions' totals in ``inventory_totals``."""
        y = int(app.year)
        for role in ("regions", "categories"):
            self._axis(ds, y, "apparent", role, getattr(app, role))
        self.con.execute("INSERT INTO inventories VALUES (?, ?, ?, ?)", [ds, y, app.unit, app.rtol])
        v = app.values
        r, c = np.nonzero((v != 0) | np.signbit(v))
        n = r.size
        self._insert("inventory_values", {
            "dataset_id": np.full(n, ds, np.int32), "year": np.full(n, y, np.int32),
            "region": np.array(app.regions.codes, dtype=object)[r],
            "inv_sector": np.full(n, "", dtype=object),
            "column": np.array(app.categories.codes, dtype=object)[c], "value": v[r, c]})
        R = len(app.regions)
        self._insert("inventory_totals", {
            "dataset_id": np.full(R, ds, np.int32), "year": np.full(R, y, np.int32),
            "region": np.array(app.regions.codes, dtype=object), "total": np.asarray(app.totals)})
        self._provenance(ds, y, "apparent", app.provenance)

    def put_reconciliation(self, ds: int, year: int, *, inventory_year: int | None,
                           records: list[dict[str, object]], notes: Sequence[str] = (),
                           report: str = "") -> None:
        """Store the reconciliation of table year ``year`` (records per region, Mt CO2; the
        whole report as JSON in ``report``)."""
        self.con.execute("DELETE FROM reconciliation WHERE dataset_id = ? AND year = ?", [ds, int(year)])
        self.con.execute("INSERT INTO reconciliation VALUES (?, ?, ?, ?, ?, ?)",
                         [ds, int(year), inventory_year, json.dumps(records, default=_json_default),
                          list(notes), report or None])
