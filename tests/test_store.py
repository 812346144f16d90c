"""The DuckDB store: exact round trips, schema versions, atomic writes, locking, readers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pytest

from store_fixtures import make_inventory, make_mrio
from viscarbon.datasets import Catalog
from viscarbon.errors import NotFound, StoreError
from viscarbon.io.store import SCHEMA_VERSION, Store
from viscarbon.model import Axis, SatelliteAccount

BLOCKS = ("Z", "Y", "EX", "IM", "V", "x")


@pytest.fixture(scope="module")
def full_table():
    """A full 31 × 42 = 1302 table with a CO2 row (built once)."""
    return make_mrio(n_regions=31, seed=7, co2_row=True)


def _store_with(path: Path, *tables, inventories=()) -> Store:
    s = Store(path)
    with s.transaction() as tx:
        if tables:
            ds = tx.add_dataset("mrio", kind="ceads-mrio", years=[t.year for t in tables], citation="c")
            for t in tables:
                tx.put_table(ds, t)
        if inventories:
            di = tx.add_dataset("inv", kind="ceads-inventory", years=[i.year for i in inventories], citation="i")
            for i in inventories:
                tx.put_inventory(di, i)
    return s


def test_full_table_round_trip_is_bit_exact_and_fast(tmp_path: Path, full_table) -> None:
    s = _store_with(tmp_path / "s.duckdb", full_table)
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        back = s.load_table("mrio", 2017)
        timings.append(time.perf_counter() - t0)
    for b in BLOCKS:
        a, c = getattr(full_table, b), getattr(back, b)
        assert a.shape == c.shape and a.tobytes() == c.tobytes(), b
    assert back.extras["co2_row"].tobytes() == full_table.extras["co2_row"].tobytes()
    assert back.regions == full_table.regions and back.sectors == full_table.sectors
    assert back.fd_categories == full_table.fd_categories and back.va_rows == full_table.va_rows
    assert back.provenance == full_table.provenance and back.notes == full_table.notes
    assert back.unit == "10k_yuan" and back.n == 1302
    assert min(timings) < 1.0, timings  # measured ≈ 0.07 s on 2 shared cores


def test_cells_are_long_form_and_only_non_zero(tmp_path: Path) -> None:
    t = make_mrio(n_regions=2, n_sectors=4, seed=1)
    s = _store_with(tmp_path / "s.duckdb", t)
    con = duckdb.connect(str(s.path), read_only=True)
    try:
        n_z = con.execute("SELECT count(*) FROM io_cells WHERE block = 'Z'").fetchone()[0]
        cols = [r[0] for r in con.execute("DESCRIBE io_cells").fetchall()]
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        con.close()
    assert n_z == int(np.count_nonzero(t.Z)) and n_z < t.Z.size
    assert cols == ["dataset_id", "year", "block", "i", "j", "value"]
    assert version == str(SCHEMA_VERSION)


def test_negative_zero_and_nan_extras_survive(tmp_path: Path) -> None:
    t = make_mrio(n_regions=2, n_sectors=3, seed=2)
    extra = np.array([0.0, -0.0, np.nan, 1.5, 0.0, 2.0])
    t2 = replace(t, extras={"co2_row": extra})
    back = _store_with(tmp_path / "s.duckdb", t2).load_table("mrio", 2017)
    assert back.extras["co2_row"].tobytes() == t2.extras["co2_row"].tobytes()


def test_inventory_and_satellite_round_trip(tmp_path: Path) -> None:
    inv = make_inventory(year=2015, n_regions=4)
    t = make_mrio(year=2015, n_regions=2, n_sectors=3, seed=3)
    rng = np.random.default_rng(0)
    sat = SatelliteAccount("CO2", Axis("stressor", ("coal", "gas")), rng.uniform(0, 1, (2, t.n)),
                           np.where(rng.uniform(0, 1, (2, t.Y.shape[1])) > 0.7, 1.0, 0.0), "Mt", 2015,
                           ("reported", "missing"), notes=("n1",))
    s = Store(tmp_path / "s.duckdb")
    with s.transaction() as tx:
        ds = tx.add_dataset("p", kind="pymrio", years=[2015], citation="c")
        tx.put_table(ds, t)
        tx.put_satellite(ds, sat)
        di = tx.add_dataset("i", kind="ceads-inventory", years=[2015], citation="c")
        tx.put_inventory(di, inv)
    back = s.load_inventory("i", 2015)
    assert back.values.tobytes() == inv.values.tobytes()
    assert back.totals.tobytes() == inv.totals.tobytes()
    assert back.regions == inv.regions and back.sectors == inv.sectors and back.columns == inv.columns
    assert back.provenance == inv.provenance
    (stored,) = s.load_satellites("p", 2015)
    sat2 = stored.account
    assert sat2.F.tobytes() == sat.F.tobytes() and sat2.F_Y.tobytes() == sat.F_Y.tobytes()
    assert sat2.region_status == ("reported", "missing") and sat2.notes == ("n1",)
    system = Catalog(s.path).resolve("p", 2015).system
    assert system.satellite("CO2").stressors == sat.stressors
    with pytest.raises(NotFound, match="holds no inventory"):
        s.load_inventory("p", 2015)
    with pytest.raises(NotFound, match="holds no IO table"):
        s.load_table("i", 2015)


def test_datasets_records_and_not_found(tmp_path: Path) -> None:
    s = _store_with(tmp_path / "s.duckdb", make_mrio(n_regions=2, n_sectors=3), inventories=[make_inventory()])
    recs = s.datasets()
    assert [r.name for r in recs] == ["mrio", "inv"]
    assert recs[0].kind == "ceads-mrio" and recs[0].years == (2017,) and not recs[0].synthetic
    assert recs[0].files[0].file_name == "mrio_2017.xlsx"
    assert recs[1].as_dict()["files"][0]["sha256"] == f"{2017:064x}"
    with pytest.raises(NotFound, match=r"no dataset named 'zz'.*stored datasets: mrio, inv"):
        s.load_table("zz", 2017)
    with pytest.raises(NotFound, match=r"has no year 2012.*years: 2017"):
        s.load_table("mrio", 2012)
    assert Store(tmp_path / "absent.duckdb").datasets() == []


def test_failed_transaction_leaves_the_file_untouched(tmp_path: Path) -> None:
    s = _store_with(tmp_path / "s.duckdb", make_mrio(n_regions=2, n_sectors=3))
    before, gen = s.content_digest(), s.generation()
    with pytest.raises(RuntimeError, match="boom"), s.transaction() as tx:
        ds = tx.add_dataset("new", kind="ceads-mrio", years=[2015], citation="c")
        tx.put_table(ds, make_mrio(year=2015, n_regions=2, n_sectors=3))
        raise RuntimeError("boom")
    assert s.content_digest() == before and s.generation() == gen
    assert not list(tmp_path.glob(".*.tmp*"))  # the temp copy is gone
    with pytest.raises(StoreError, match="already exists"), s.transaction() as tx:
        tx.add_dataset("mrio", kind="ceads-mrio", years=[2017], citation="c")
    assert s.content_digest() == before


def test_generation_changes_when_the_file_is_replaced(tmp_path: Path) -> None:
    s = Store(tmp_path / "s.duckdb")
    assert s.generation() == (0, 0, 0)
    _store_with(s.path, make_mrio(n_regions=2, n_sectors=3))
    g1 = s.generation()
    with s.transaction() as tx:
        tx.rename_dataset("mrio", "m2")
    assert s.generation() != g1
    assert [r.name for r in s.datasets()] == ["m2"]


def test_second_writer_waits_then_fails_clearly(tmp_path: Path) -> None:
    s = _store_with(tmp_path / "s.duckdb", make_mrio(n_regions=2, n_sectors=3))
    before = s.content_digest()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import fcntl, os, sys, time
            fd = os.open({str(s.path) + '.lock'!r}, os.O_RDWR | os.O_CREAT)
            fcntl.flock(fd, fcntl.LOCK_EX)
            print("locked", flush=True)
            time.sleep(5)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        t0 = time.perf_counter()
        with pytest.raises(StoreError, match=r"another import is writing to the store.*lock file"), \
                s.transaction(timeout=0.3) as tx:
            tx.add_dataset("x", kind="ceads-mrio", years=[2017], citation="c")
        assert time.perf_counter() - t0 >= 0.3
    finally:
        holder.kill()
        holder.wait()
    assert s.content_digest() == before


def test_import_while_another_process_reads(tmp_path: Path) -> None:
    """A reader (like `viscarbon serve`) holding a read-only connection does not block an
    import; it keeps the old file, and a new connection sees the new one."""
    s = _store_with(tmp_path / "s.duckdb", make_mrio(n_regions=2, n_sectors=3))
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(s.path)!r}, read_only=True)
            print(con.execute("SELECT count(*) FROM datasets").fetchone()[0], flush=True)
            sys.stdin.readline()
            print(con.execute("SELECT count(*) FROM datasets").fetchone()[0], flush=True)
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "1"
        with s.transaction() as tx:
            ds = tx.add_dataset("more", kind="ceads-mrio", years=[2015], citation="c")
            tx.put_table(ds, make_mrio(year=2015, n_regions=2, n_sectors=3))
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"  # its snapshot: the old file
    finally:
        reader.wait(timeout=30)
    assert [r.name for r in s.datasets()] == ["mrio", "more"]


def _v0_file(path: Path) -> None:
    """A store in the unversioned layout (schema 0): no meta table, no importer_version."""
    con = duckdb.connect(str(path))
    con.execute("""
        CREATE TABLE datasets(name VARCHAR PRIMARY KEY, id INTEGER NOT NULL UNIQUE, kind VARCHAR NOT NULL,
            years INTEGER[] NOT NULL, citation VARCHAR NOT NULL, synthetic BOOLEAN NOT NULL,
            linked_inventory VARCHAR, created TIMESTAMP NOT NULL, notes VARCHAR NOT NULL);
        CREATE TABLE io_cells(dataset_id INTEGER, year INTEGER, block VARCHAR, i INTEGER, j INTEGER,
            value DOUBLE);
        INSERT INTO datasets VALUES ('old', 1, 'ceads-inventory', [2012], 'cite', false, NULL,
            TIMESTAMP '2024-01-01 00:00:00', '');
    """)
    con.close()


def test_v0_store_is_migrated(tmp_path: Path) -> None:
    p = tmp_path / "v0.duckdb"
    _v0_file(p)
    assert Store(p).schema_version() == 0
    with pytest.raises(StoreError, match="old schema version 0"):
        Store.open(p, migrate=False)
    s = Store.open(p)
    assert s.schema_version() == SCHEMA_VERSION
    (rec,) = s.datasets()
    assert rec.name == "old" and rec.years == (2012,) and rec.importer_version == ""
    with s.transaction() as tx:  # and it can be written afterwards
        ds = tx.add_dataset("new", kind="ceads-inventory", years=[2017], citation="c")
        tx.put_inventory(ds, make_inventory())
    assert s.load_inventory("new", 2017).year == 2017


def test_unknown_or_newer_stores_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.duckdb"
    con = duckdb.connect(str(newer))
    con.execute("CREATE TABLE meta(key VARCHAR, value VARCHAR); INSERT INTO meta VALUES ('schema_version', '99')")
    con.close()
    with pytest.raises(StoreError, match="schema version 99; this viscarbon reads up to"):
        Store.open(newer)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE customers(id INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a viscarbon store"):
        Store.open(other)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(junk)
