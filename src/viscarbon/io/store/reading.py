"""Reading the store: functions over one DuckDB connection (a pinned read-only snapshot or
the connection of a write transaction), so both read the same way."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import NotFound, StoreError
from viscarbon.io.store.records import (
    DatasetRecord,
    StoredConcordance,
    StoredReconciliation,
    StoredSatellite,
    StoredScenario,
    StoredSeries,
)
from viscarbon.model import (
    ApparentEmissions,
    Axis,
    InventoryTable,
    IOTable,
    Provenance,
    SatelliteAccount,
)

__all__ = ["PROV_FIELDS", "StoreReader"]

Arr = NDArray[np.float64]

PROV_FIELDS: Final = ("file_name", "sha256", "sheet", "vintage", "source", "product",
                      "citation", "synthetic", "importer_version", "notes")


def _prov_from_row(row: Sequence[Any]) -> Provenance:
    vals = dict(zip(PROV_FIELDS, row, strict=True))
    return Provenance(
        source=str(vals["source"] or ""), product=str(vals["product"] or ""),
        vintage=str(vals["vintage"] or ""), file_name=str(vals["file_name"] or ""),
        sha256=str(vals["sha256"] or ""), sheet=str(vals["sheet"] or ""),
        importer_version=str(vals["importer_version"] or ""), notes=str(vals["notes"] or ""),
        citation=str(vals["citation"] or ""), synthetic=bool(vals["synthetic"]))


class StoreReader:
    """Read methods over a connection ``con`` to a store of the current schema at ``path``
    (``path`` only names the store in messages)."""

    def __init__(self, con: Any, path: Path):
        self.con = con
        self.path = path

    # ------------------------------------------------------------------ datasets
    def scenarios(self) -> list[StoredScenario]:
        """The saved scenarios, by name."""
        rows = self.con.execute("SELECT name, toml, strftime(saved_at, '%Y-%m-%dT%H:%M:%SZ'), fingerprint "
                                "FROM scenarios ORDER BY name").fetchall()
        return [StoredScenario(name=r[0], toml=r[1], saved_at=r[2], fingerprint=r[3]) for r in rows]

    def datasets(self) -> list[DatasetRecord]:
        """Every stored dataset, in import order."""
        rows = self.con.execute(
            "SELECT id, name, kind, years, citation, synthetic, linked_inventory, "
            "strftime(created, '%Y-%m-%dT%H:%M:%S'), notes, importer_version "
            "FROM datasets ORDER BY id").fetchall()
        files = self._files()
        return [
            DatasetRecord(name=r[1], kind=r[2], years=tuple(int(y) for y in r[3]), citation=r[4],
                          synthetic=bool(r[5]), linked_inventory=r[6],
                          files=tuple(files.get(int(r[0]), ())), created=r[7], notes=r[8],
                          importer_version=r[9])
            for r in rows
        ]

    def _files(self) -> dict[int, list[Provenance]]:
        out: dict[int, list[Provenance]] = {}
        rows = self.con.execute(
            "SELECT dataset_id, " + ", ".join(PROV_FIELDS) + " FROM dataset_files "
            "WHERE object IN ('table', 'inventory', 'apparent') ORDER BY dataset_id, year, object, position"
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

    def dataset_id(self, name: str) -> int:
        row = self.con.execute("SELECT id FROM datasets WHERE name = ?", [name]).fetchone()
        if row is None:
            self.dataset(name)  # raises NotFound with the list of names
        return int(row[0])

    def _id_year(self, name: str, year: int) -> int:
        row = self.con.execute("SELECT id, years FROM datasets WHERE name = ?", [name]).fetchone()
        if row is None:
            names = [r[0] for r in self.con.execute("SELECT name FROM datasets ORDER BY id").fetchall()]
            raise NotFound(f"no dataset named {name!r}", where=f"store {self.path}",
                           hint="stored datasets: " + (", ".join(names) or "none"))
        if int(year) not in [int(y) for y in row[1]]:
            raise NotFound(f"dataset {name!r} has no year {year}", where=f"store {self.path}",
                           hint="years: " + ", ".join(str(y) for y in row[1]))
        return int(row[0])

    # ------------------------------------------------------------------ pieces
    def _axes(self, ds: int, year: int, obj: str) -> dict[str, Axis]:
        rows = self.con.execute(
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

    def _provenance(self, ds: int, year: int, obj: str) -> tuple[Provenance, ...]:
        rows = self.con.execute(
            "SELECT " + ", ".join(PROV_FIELDS) + " FROM dataset_files "
            "WHERE dataset_id = ? AND year = ? AND object = ? ORDER BY position",
            [ds, year, obj]).fetchall()
        return tuple(_prov_from_row(r) for r in rows)

    def _array(self, ds: int, year: int, block: str) -> Arr:
        row = self.con.execute("SELECT shape FROM blocks WHERE dataset_id = ? AND year = ? AND block = ?",
                               [ds, year, block]).fetchone()
        if row is None:
            raise StoreError(f"array {block!r} is missing", where=f"dataset id {ds}, year {year}",
                             hint="the store is damaged; re-import the dataset")
        shape = tuple(int(s) for s in row[0])
        rows = shape[0] if shape else 1
        cols = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        out = np.zeros((rows, cols), dtype=np.float64)
        cells = self.con.execute(
            "SELECT i, j, value FROM io_cells WHERE dataset_id = ? AND year = ? AND block = ?",
            [ds, year, block]).fetchnumpy()
        if len(cells["i"]):
            vals = cells["value"]
            if isinstance(vals, np.ma.MaskedArray):  # NaN is stored as NULL
                vals = np.ma.filled(vals.astype(np.float64), np.nan)
            out[np.asarray(cells["i"]), np.asarray(cells["j"])] = np.asarray(vals, dtype=np.float64)
        return out.reshape(shape)

    def table_axes(self, name: str, year: int) -> dict[str, Axis]:
        """The axes of a stored table (``regions``, ``sectors``, ``fd_categories``,
        ``va_rows``) without its arrays."""
        return self._axes(self._id_year(name, year), int(year), "table")

    def inventory_axes(self, name: str, year: int) -> dict[str, Axis]:
        """The axes of a stored inventory year (``regions``, ``sectors``, ``columns``; for
        apparent emissions ``regions``, ``categories``)."""
        ds, y = self._id_year(name, year), int(year)
        return self._axes(ds, y, "inventory") or self._axes(ds, y, "apparent")

    # ------------------------------------------------------------------ objects
    def load_table(self, name: str, year: int) -> IOTable:
        """The IO table of ``name`` and ``year``, exactly as imported (bit for bit)."""
        ds = self._id_year(name, year)
        year = int(year)
        meta = self.con.execute("SELECT unit, imports_treatment, row_rtol, col_rtol, notes FROM io_tables "
                                "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchone()
        if meta is None:
            raise NotFound(f"dataset {name!r} holds no IO table", where=f"store {self.path}",
                           hint="it is an inventory dataset; use load_inventory")
        axes = self._axes(ds, year, "table")
        blocks = [r[0] for r in self.con.execute(
            "SELECT block FROM blocks WHERE dataset_id = ? AND year = ? AND block LIKE 'extra:%' "
            "ORDER BY block", [ds, year]).fetchall()]
        extras = {b[len("extra:"):]: self._array(ds, year, b) for b in blocks}
        return IOTable(
            year=year, regions=axes["regions"], sectors=axes["sectors"],
            Z=self._array(ds, year, "Z"), Y=self._array(ds, year, "Y"),
            fd_categories=axes["fd_categories"], EX=self._array(ds, year, "EX"),
            IM=self._array(ds, year, "IM"), V=self._array(ds, year, "V"),
            va_rows=axes["va_rows"], x=self._array(ds, year, "x"), unit=meta[0],
            provenance=self._provenance(ds, year, "table"), imports_treatment=meta[1],
            extras=extras, row_rtol=float(meta[2]), col_rtol=float(meta[3]), notes=tuple(meta[4]),
        )

    def load_satellites(self, name: str, year: int) -> tuple[StoredSatellite, ...]:
        """The satellites stored with a table year, in the order they were written."""
        ds = self._id_year(name, year)
        year = int(year)
        rows = self.con.execute(
            "SELECT name, unit, region_status, notes, source, concordance, inventory_year "
            "FROM satellites WHERE dataset_id = ? AND year = ? ORDER BY rowid", [ds, year]).fetchall()
        out = []
        for sat_name, unit, status, notes, source, conc, inv_year in rows:
            obj = f"sat:{sat_name}"
            account = SatelliteAccount(
                name=sat_name, stressors=self._axes(ds, year, obj)["stressors"],
                F=self._array(ds, year, f"{obj}:F"), F_Y=self._array(ds, year, f"{obj}:F_Y"),
                unit=unit, year=year, region_status=tuple(status),
                provenance=self._provenance(ds, year, obj), notes=tuple(notes))
            out.append(StoredSatellite(account=account, source=str(source or "import"),
                                       concordance=str(conc or ""),
                                       inventory_year=None if inv_year is None else int(inv_year)))
        return tuple(out)

    def load_inventory(self, name: str, year: int) -> InventoryTable:
        """The inventory of ``name`` and ``year`` (regions × 47 sectors × columns, Mt CO2)."""
        ds = self._id_year(name, year)
        year = int(year)
        meta = self.con.execute("SELECT unit, rtol FROM inventories WHERE dataset_id = ? AND year = ?",
                                [ds, year]).fetchone()
        if meta is None:
            raise NotFound(f"dataset {name!r} holds no inventory", where=f"store {self.path}",
                           hint="it is an IO dataset; use load_table")
        axes = self._axes(ds, year, "inventory")
        if not axes:
            raise NotFound(f"dataset {name!r} holds apparent emissions, not a sectoral inventory",
                           where=f"store {self.path}", hint="use load_apparent")
        regions, sectors, columns = axes["regions"], axes["sectors"], axes["columns"]
        values = np.zeros((len(regions), len(sectors), len(columns)))
        rix = {c: k for k, c in enumerate(regions.codes)}
        six = {c: k for k, c in enumerate(sectors.codes)}
        cix = {c: k for k, c in enumerate(columns.codes)}
        for r, s, c, v in self.con.execute(
                'SELECT region, inv_sector, "column", value FROM inventory_values '
                "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchall():
            values[rix[r], six[s], cix[c]] = v
        totals = np.zeros(len(regions))
        for r, v in self.con.execute("SELECT region, total FROM inventory_totals "
                                     "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchall():
            totals[rix[r]] = v
        return InventoryTable(year=year, regions=regions, sectors=sectors, columns=columns,
                              values=values, totals=totals, unit=meta[0],
                              provenance=self._provenance(ds, year, "inventory"), rtol=float(meta[1]))

    def load_apparent(self, name: str, year: int) -> ApparentEmissions:
        """The apparent emissions of ``name`` and ``year`` (regions × categories, Mt CO2)."""
        ds = self._id_year(name, year)
        year = int(year)
        meta = self.con.execute("SELECT unit, rtol FROM inventories WHERE dataset_id = ? AND year = ?",
                                [ds, year]).fetchone()
        axes = self._axes(ds, year, "apparent")
        if meta is None or not axes:
            raise NotFound(f"dataset {name!r} holds no apparent emissions", where=f"store {self.path}",
                           hint="it is another kind of dataset; see `viscarbon datasets`")
        regions, cats = axes["regions"], axes["categories"]
        values = np.zeros((len(regions), len(cats)))
        rix = {c: k for k, c in enumerate(regions.codes)}
        cix = {c: k for k, c in enumerate(cats.codes)}
        for r, c, v in self.con.execute(
                'SELECT region, "column", value FROM inventory_values '
                "WHERE dataset_id = ? AND year = ? AND inv_sector = ''", [ds, year]).fetchall():
            values[rix[r], cix[c]] = v
        totals = np.zeros(len(regions))
        for r, v in self.con.execute("SELECT region, total FROM inventory_totals "
                                     "WHERE dataset_id = ? AND year = ?", [ds, year]).fetchall():
            totals[rix[r]] = v
        return ApparentEmissions(year=year, regions=regions, categories=cats, values=values, totals=totals,
                                 unit=meta[0], provenance=self._provenance(ds, year, "apparent"),
                                 rtol=float(meta[1]))

    def reconciliation(self, name: str, year: int) -> StoredReconciliation | None:
        """The reconciliation stored for a table year, or None."""
        ds = self._id_year(name, year)
        row = self.con.execute("SELECT inventory_year, records, notes, report FROM reconciliation "
                               "WHERE dataset_id = ? AND year = ?", [ds, int(year)]).fetchone()
        if row is None:
            return None
        records: list[dict[str, object]] = json.loads(row[1])
        return StoredReconciliation(inventory_year=None if row[0] is None else int(row[0]),
                                    records=tuple(records), notes=tuple(row[2]), report=row[3] or "")

    def co2_series(self, name: str) -> tuple[StoredSeries, ...]:
        """The linked inventory's years mapped onto the nearest table years, oldest first."""
        ds = self.dataset_id(name)
        rows = self.con.execute(
            "SELECT inventory_year, table_year, concordance, region_status, notes FROM co2_series "
            "WHERE dataset_id = ? ORDER BY inventory_year", [ds]).fetchall()
        out = []
        for iy, ty, conc, status, notes in rows:
            F = self._array(ds, int(iy), "series:F")
            F_Y = self._array(ds, int(iy), "series:F_Y")
            F.setflags(write=False)
            F_Y.setflags(write=False)
            out.append(StoredSeries(inventory_year=int(iy), table_year=int(ty), concordance=str(conc),
                                    region_status=tuple(status), notes=tuple(notes), F=F, F_Y=F_Y))
        return tuple(out)

    def concordance(self, name: str) -> StoredConcordance | None:
        """The user concordance stored with dataset ``name`` (None: the packaged one)."""
        ds = self.dataset_id(name)
        row = self.con.execute("SELECT label, list_id, rows FROM concordances WHERE dataset_id = ?",
                               [ds]).fetchone()
        return None if row is None else StoredConcordance(label=row[0], list_id=row[1], rows=row[2])
