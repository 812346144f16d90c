"""Harmonize once: the CO2 of a stored IO dataset is built when the dataset is imported,
linked or migrated, and stored; every reader uses what is stored.

For an IO dataset linked to an inventory dataset, :func:`harmonize` maps

* every table year onto the inventory year nearest to it
  (:func:`~viscarbon.harmonize.nearest_table_year`), giving the ``CO2`` satellite (by
  fuel column × region-sector, households in ``F_Y``) and the reconciliation report;
* every inventory year onto the table year nearest to it, giving the CO2 series (totals
  over fuels) behind the inventory trends and the roadmap's history.

:func:`store_co2` writes the result, or, without an inventory, the MRIO's own CO2 row as
the ``CO2`` satellite when the table has one. :func:`upgrade_store` does the same for the
datasets of a store written before CO2 was stored (schema 1); :func:`open_store` opens a
store with that upgrade, and is how the library opens stores. Regions without an
inventory stay ``missing`` here: imputation is an overlay applied when a system is
resolved (:func:`viscarbon.datasets.resolve`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Final

import numpy as np

from viscarbon.classification import Concordance, ConcordanceRow
from viscarbon.errors import DataError
from viscarbon.harmonize import (
    ReconciliationReport,
    build_co2_satellite,
    nearest_table_year,
    report_to_json,
)
from viscarbon.io.store import Store, StoreTransaction
from viscarbon.model import Axis, InventoryTable, IOTable, SatelliteAccount

__all__ = [
    "LINKABLE_KINDS",
    "Harmonized",
    "SeriesYear",
    "co2_row_satellite",
    "concordance_from_json",
    "harmonize",
    "open_store",
    "store_co2",
    "upgrade_store",
]

#: IO dataset kinds whose CO2 comes from a linked inventory dataset (harmonized).
LINKABLE_KINDS: Final = ("ceads-mrio", "nbs-io")


@dataclass(frozen=True, eq=False)
class SeriesYear:
    """One inventory year mapped onto the nearest table year: ``F`` (n,) CO2 by
    region-sector, ``F_Y`` (R·K,) households' direct CO2, Mt; ``region_status`` per region
    of the table."""

    inventory_year: int
    table_year: int
    concordance: str
    region_status: tuple[str, ...]
    notes: tuple[str, ...]
    F: np.ndarray
    F_Y: np.ndarray


@dataclass(frozen=True, eq=False)
class Harmonized:
    """What :func:`harmonize` made: per table year the ``CO2`` satellite, its report and
    the inventory year used; the series over the inventory years; the concordance label(s)
    and, for a user concordance, the concordance itself (stored with the dataset)."""

    satellites: dict[int, SatelliteAccount]
    reports: dict[int, ReconciliationReport]
    inventory_years: dict[int, int]
    series: tuple[SeriesYear, ...]
    concordance: str
    user_concordance: Concordance | None = None
    notes: tuple[str, ...] = field(default=())


def _concordance_for(table: IOTable, user: Concordance | None) -> Concordance | None:
    if user is None:
        return None
    if table.sectors.list_id and table.sectors.list_id != user.list_id:
        raise DataError(f"the concordance {user.version} is for sector list {user.list_id}; the "
                        f"{table.year} table uses {table.sectors.list_id}",
                        hint="give a concordance for that list, or import the tables of each list "
                             "as their own dataset")
    return user


def harmonize(tables: Sequence[IOTable], inventory_years: Sequence[int],
              load_inventory: Callable[[int], InventoryTable], *,
              concordance: Concordance | None = None) -> Harmonized:
    """Map the inventory (years ``inventory_years``, loaded with ``load_inventory``) onto
    ``tables`` (see the module docstring). ``concordance`` None: the packaged concordance
    of each table's sector list; else a user concordance (checked to fit every table)."""
    if not inventory_years:
        raise DataError("the inventory dataset has no years")
    by_year = {t.year: t for t in tables}
    table_years = sorted(by_year)
    for t in tables:
        _concordance_for(t, concordance)
    cache: dict[int, InventoryTable] = {}

    def inventory(y: int) -> InventoryTable:
        if y not in cache:
            cache[y] = load_inventory(y)
        return cache[y]

    sats: dict[int, SatelliteAccount] = {}
    reports: dict[int, ReconciliationReport] = {}
    used: dict[int, int] = {}
    for ty in table_years:
        iy = nearest_table_year(ty, inventory_years)
        sat, report = build_co2_satellite(inventory(iy), by_year[ty], concordance=concordance)
        sats[ty] = sat if sat.year == ty else replace(sat, year=ty)
        reports[ty] = report
        used[ty] = iy
    series: list[SeriesYear] = []
    for iy in sorted(inventory_years):
        ty = nearest_table_year(iy, table_years)
        if used.get(ty) == iy:
            sat, label = sats[ty], reports[ty].concordance
        else:
            sat, rep = build_co2_satellite(inventory(iy), by_year[ty], concordance=concordance)
            label = rep.concordance
            cache.pop(iy, None)
        series.append(SeriesYear(inventory_year=iy, table_year=ty, concordance=label,
                                 region_status=tuple(sat.region_status), notes=tuple(sat.notes),
                                 F=sat.F.sum(axis=0), F_Y=sat.F_Y.sum(axis=0)))
    labels = sorted({r.concordance for r in reports.values()})
    return Harmonized(satellites=sats, reports=reports, inventory_years=used, series=tuple(series),
                      concordance=" | ".join(labels), user_concordance=concordance)


def co2_row_satellite(table: IOTable) -> SatelliteAccount | None:
    """The ``CO2`` satellite from the MRIO's own CO2 row (``extras["co2_row"]``, Mt; no
    household direct emissions), or None when the table has no such row."""
    if "co2_row" not in table.extras:
        return None
    row = np.nan_to_num(np.asarray(table.extras["co2_row"], dtype=np.float64).reshape(-1))
    if row.shape != (table.n,):
        return None
    K = len(table.fd_categories)
    return SatelliteAccount(
        name="CO2", stressors=Axis("stressor", ("CO2",)), F=row[None, :],
        F_Y=np.zeros((1, table.n_regions * K)), unit="Mt", year=table.year,
        region_status=tuple("reported" for _ in range(table.n_regions)), provenance=table.provenance,
        notes=("CO2 from the MRIO's own CO2 row (no household direct emissions)",),
    )


def store_co2(tx: StoreTransaction, ds: int, tables: Sequence[IOTable], harmonized: Harmonized | None) -> None:
    """Write the CO2 of dataset id ``ds``: the harmonized satellites, reports, series and
    (user) concordance of ``harmonized``; without it, each table's own CO2 row when it has
    one. The caller has cleared what was there (:meth:`StoreTransaction.clear_harmonization`)."""
    if harmonized is None:
        for t in tables:
            sat = co2_row_satellite(t)
            if sat is not None:
                tx.put_satellite(ds, sat, year=t.year, source="co2_row")
        return
    for ty, sat in sorted(harmonized.satellites.items()):
        report = harmonized.reports[ty]
        tx.put_satellite(ds, sat, year=ty, source="inventory", concordance=report.concordance,
                         inventory_year=harmonized.inventory_years[ty])
        tx.put_reconciliation(ds, ty, inventory_year=harmonized.inventory_years[ty],
                              records=report.as_records("en"), notes=report.notes_text("en"),
                              report=report_to_json(report))
    for s in harmonized.series:
        tx.put_series(ds, inventory_year=s.inventory_year, table_year=s.table_year,
                      concordance=s.concordance, region_status=s.region_status, notes=s.notes,
                      F=s.F, F_Y=s.F_Y)
    user = harmonized.user_concordance
    if user is not None:
        tx.put_concordance(ds, label=user.label, list_id=user.list_id, rows=user.as_records())


def concordance_from_json(label: str, list_id: str, rows: str) -> Concordance:
    """A stored user concordance as a :class:`~viscarbon.classification.Concordance`."""
    recs = json.loads(rows)
    return Concordance(version=label, list_id=list_id, rows=tuple(
        ConcordanceRow(inv_index=int(r["inv_index"]), inventory_sector=str(r["inventory_sector"]),
                       targets=tuple(str(t) for t in r["targets"]), rule=str(r["rule"]),
                       note=str(r.get("note", ""))) for r in recs))


def upgrade_store(tx: StoreTransaction) -> None:
    """The data part of migrating a store written before CO2 was stored (schema < 2):
    harmonize every linked IO dataset with its inventory (the packaged concordance, as
    those stores used) and store the MRIO CO2 row of the unlinked ones. A store of schema
    2 or later already holds its CO2 (version 3 only added the ``scenarios`` table)."""
    if tx.migrated_from >= 2:
        return
    read = tx.read
    records = {r.name: r for r in read.datasets()}
    for rec in records.values():
        if rec.kind not in LINKABLE_KINDS:
            continue
        ds = read.dataset_id(rec.name)
        tables = [read.load_table(rec.name, y) for y in rec.years]
        tx.clear_harmonization(ds)
        harmonized = None
        inv = records.get(rec.linked_inventory or "")
        if inv is not None:
            harmonized = harmonize(tables, inv.years, partial(read.load_inventory, inv.name))
        store_co2(tx, ds, tables, harmonized)


def open_store(path: str | os.PathLike[str] | Path | None = None, *, migrate: bool = True) -> Store:
    """The store at ``path`` (``None``: ``$VISCARBON_STORE`` or the user data directory),
    migrated to the current schema with the CO2 of its datasets stored (:func:`upgrade_store`)."""
    return Store.open(path, migrate=migrate, upgrade=upgrade_store)

