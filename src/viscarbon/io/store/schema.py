"""The store's schema: tables, version, migrations.

Layout (schema version :data:`SCHEMA_VERSION`)::

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
                     | series:F | series:F_Y
    inventories(dataset_id, year, unit, rtol)
    inventory_values(dataset_id, year, region, inv_sector, column, value)   Mt CO2
    inventory_totals(dataset_id, year, region, total)                        Mt CO2
             (a ``ceads-apparent`` dataset uses the same three tables: ``inv_sector = ''``,
             ``column`` = the category raw_coal | crude_oil | natural_gas | cement_process,
             its axes and files under ``object = 'apparent'``; no schema change)
    satellites(dataset_id, year, name, unit, region_status, notes,
               source, concordance, inventory_year)
    reconciliation(dataset_id, year, inventory_year, records, notes, report)
    co2_series(dataset_id, inventory_year, table_year, concordance, region_status, notes)
    concordances(dataset_id, label, list_id, rows)
    scenarios(name PK, toml, saved_at, fingerprint)      roadmap scenarios saved by the user

``satellites.source`` says where a stored satellite comes from: ``inventory`` (the linked
inventory harmonized onto the table, with ``concordance`` and ``inventory_year``),
``co2_row`` (the MRIO's own CO2 row) or ``import`` (stored with the file, e.g. pymrio
extensions). ``co2_series`` holds, for every year of the linked inventory, its CO2 mapped
onto the nearest table year (totals over fuels: ``series:F`` (n,), ``series:F_Y`` (R·K,),
Mt; ``io_cells.year`` = the inventory year). ``concordances`` holds a user concordance a
dataset was harmonized with (JSON rows); absent rows mean the packaged one.
``scenarios`` holds the scenario files a user saved (``viscarbon scenario save``): the TOML
text exactly as read (validated before it is saved), when, and the fingerprint of what
it computes (schema version 3).
``reconciliation.report`` is the whole report as JSON (notes as catalog keys, so they
render in both languages).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from viscarbon.errors import StoreError

__all__ = ["DATASET_KINDS", "SCHEMA_VERSION", "TABLES", "prepare_schema", "schema_version"]

SCHEMA_VERSION: Final = 3
DATASET_KINDS: Final = ("demo", "ceads-mrio", "ceads-inventory", "ceads-apparent", "nbs-io", "pymrio",
                         "ceads-city-mrio", "ceads-city-inventory")

TABLES: Final = (
    "meta", "datasets", "dataset_files", "axes", "io_tables", "blocks", "io_cells",
    "inventories", "inventory_values", "inventory_totals", "satellites", "reconciliation",
    "co2_series", "concordances", "scenarios",
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
    unit VARCHAR NOT NULL, region_status VARCHAR[] NOT NULL, notes VARCHAR[] NOT NULL,
    source VARCHAR NOT NULL DEFAULT 'import', concordance VARCHAR NOT NULL DEFAULT '',
    inventory_year INTEGER);
CREATE TABLE IF NOT EXISTS reconciliation(
    dataset_id INTEGER NOT NULL, year INTEGER NOT NULL, inventory_year INTEGER,
    records VARCHAR NOT NULL, notes VARCHAR[] NOT NULL, report VARCHAR);
CREATE TABLE IF NOT EXISTS co2_series(
    dataset_id INTEGER NOT NULL, inventory_year INTEGER NOT NULL, table_year INTEGER NOT NULL,
    concordance VARCHAR NOT NULL, region_status VARCHAR[] NOT NULL, notes VARCHAR[] NOT NULL);
CREATE TABLE IF NOT EXISTS concordances(
    dataset_id INTEGER NOT NULL, label VARCHAR NOT NULL, list_id VARCHAR NOT NULL,
    rows VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios(
    name VARCHAR PRIMARY KEY, toml VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL,
    fingerprint VARCHAR NOT NULL);
"""

# Schema version 0 (before the version was recorded): no ``meta`` table, no
# ``datasets.importer_version`` and no ``reconciliation`` table. Version 1: CO2 of linked
# datasets harmonized on every read, not stored; version 2 stores it (the data part of
# that migration, harmonizing, is done by the caller's upgrade step: the store does not
# know the concordance). Version 3 adds the ``scenarios`` table (created whole by the
# schema below: the migration has no statement).
_MIGRATIONS: Final[dict[int, str]] = {
    0: """
ALTER TABLE datasets ADD COLUMN importer_version VARCHAR DEFAULT '';
UPDATE datasets SET importer_version = '' WHERE importer_version IS NULL;
""",
    1: """
ALTER TABLE satellites ADD COLUMN source VARCHAR DEFAULT 'import';
ALTER TABLE satellites ADD COLUMN concordance VARCHAR DEFAULT '';
ALTER TABLE satellites ADD COLUMN inventory_year INTEGER;
ALTER TABLE reconciliation ADD COLUMN report VARCHAR;
""",
    2: "",
}


def table_names(con: Any) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def schema_version(con: Any, path: Path) -> int:
    """The schema version of an open store, 0 for the unversioned layout, -1 for an empty file."""
    names = table_names(con)
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
        return -1
    raise StoreError("not a viscarbon store (unknown tables: " + ", ".join(sorted(names)[:6]) + ")",
                     where=f"file {path}", hint="point --store at another file")


def prepare_schema(con: Any, path: Path, *, created_by: str) -> int:
    """Create the schema in a new file or migrate an older one (inside the temp copy of a
    transaction). Returns the version the file had (-1 for a new file)."""
    version = schema_version(con, path)
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store has schema version {version}; this viscarbon writes {SCHEMA_VERSION}",
                         where=f"file {path}", hint="upgrade viscarbon")
    if 0 <= version < SCHEMA_VERSION:
        for v in range(version, SCHEMA_VERSION):
            if v not in _MIGRATIONS:
                raise StoreError(f"cannot migrate a store of schema version {v}", where=f"file {path}",
                                 hint="remove the file and import again")
            present = table_names(con)
            for stmt in _MIGRATIONS[v].strip().split(";"):
                words = stmt.split()
                # a table an old layout did not have is created whole by the schema below
                if words[:2] == ["ALTER", "TABLE"] and words[2] not in present:
                    continue
                if words:
                    con.execute(stmt)
    con.execute(_SCHEMA)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('created_by', ?)",
                [str(SCHEMA_VERSION), created_by])
    return version


def can_migrate(version: int) -> bool:
    """Whether a store of ``version`` can be migrated to :data:`SCHEMA_VERSION`."""
    return all(v in _MIGRATIONS for v in range(max(version, 0), SCHEMA_VERSION))
