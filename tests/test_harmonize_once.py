"""Harmonize once: the CO2 of an IO dataset is stored at import and link, a user
concordance is stored and used again, re-linking re-harmonizes atomically, and a store
written before CO2 was stored (schema 1) is migrated on open with the same numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import numpy as np
import pytest

from inventory_fixtures import write_release2021
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.classification import concordance
from viscarbon.datasets import Catalog, open_store
from viscarbon.errors import DataError
from viscarbon.ingest import import_files, link_dataset
from viscarbon.io.store import SCHEMA_VERSION, Store

pytestmark = pytest.mark.xdist_group("harmonize_once")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("h1")
    inv17, _ = write_release2021(folder, 2017, seed=4)
    inv15, _ = write_release2021(folder, 2015, seed=5)
    (folder / "m").mkdir()
    wb = write_fixture(random_mrio(("BJ", "TJ", "XZ"), year=2017, seed=7, co2=True), folder / "m",
                       layout="2012-2017")
    return {"inv17": inv17, "inv15": inv15, "mrio": wb, "folder": folder}


def _user_concordance(path: Path) -> Path:
    """The packaged concordance with inventory row 44 split equally (not by output)."""
    base = concordance("io42_2012")
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["inv_index", "inventory_sector", "io42_2012", "allocation", "note"])
        for r in base.rows:
            rule = "equal" if r.inv_index == 44 and len(r.targets) > 1 else r.rule
            w.writerow([r.inv_index, r.inventory_sector, ";".join(r.targets), rule, r.note])
    return path


def test_co2_is_stored_at_import_and_read_back(files: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    import_files(store, "ceads-inventory", [files["inv15"], files["inv17"]], name="inv")
    import_files(store, "ceads-mrio", [files["mrio"]], name="m")
    (stored,) = Store(store).load_satellites("m", 2017)
    assert stored.source == "inventory" and stored.inventory_year == 2017
    assert stored.concordance == "inv47-io42_2012-v1"
    series = Store(store).co2_series("m")
    assert [s.inventory_year for s in series] == [2015, 2017] and {s.table_year for s in series} == {2017}
    resolved = Catalog(store).resolve("m", 2017)
    assert resolved.co2_source == "inventory" and resolved.region_status[2] == "missing"
    assert resolved.co2.F.tobytes() == stored.account.F.tobytes()
    assert resolved.reconciliation is not None and resolved.reconciliation.row("BJ").difference == pytest.approx(0, abs=1e-9)


def test_a_user_concordance_is_stored_used_again_and_reset(files: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    import_files(store, "ceads-inventory", [files["inv17"]], name="inv")
    conc = _user_concordance(tmp_path / "my_concordance.csv")
    r = import_files(store, "ceads-mrio", [files["mrio"]], name="m", concordance=conc)
    assert r.concordance.startswith("user:my_concordance.csv:")
    user = Catalog(store).resolve("m", 2017)
    assert user.concordance == r.concordance and "concordance: user:" in Store(store).dataset("m").notes
    catalog = Catalog(store, include_demo=False)
    # re-link to the same inventory keeps the user concordance: nothing changes
    same = link_dataset(store, "m", "inv")
    assert not same.changed and same.concordance == r.concordance
    back = link_dataset(store, "m", "inv", concordance="default")
    assert back.changed and back.concordance == "inv47-io42_2012-v1"
    packaged = catalog.resolve("m", 2017)
    assert packaged.concordance == "inv47-io42_2012-v1" and Store(store).concordance("m") is None
    # the same inventory totals, mapped differently
    assert user.co2.F.sum() == pytest.approx(packaged.co2.F.sum(), rel=1e-12)


def test_a_bad_concordance_is_refused_naming_line_and_column(files: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    import_files(store, "ceads-inventory", [files["inv17"]], name="inv")
    bad = tmp_path / "bad.csv"
    rows = _user_concordance(tmp_path / "ok.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace("whole", "sometimes")
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = Store(store).content_digest()
    with pytest.raises(DataError, match=r"unknown allocation rule 'sometimes'") as e:
        import_files(store, "ceads-mrio", [files["mrio"]], name="m", concordance=bad)
    assert "line 4, column allocation" in str(e.value)
    assert Store(store).content_digest() == before


def _downgrade_to_schema_1(path: Path) -> None:
    """What viscarbon wrote before CO2 was stored: no harmonized satellites, no series,
    no stored report, no concordances, schema_version 1."""
    con = duckdb.connect(str(path))
    try:
        con.execute("DELETE FROM io_cells WHERE block LIKE 'sat:%' OR block LIKE 'series:%'")
        con.execute("DELETE FROM blocks WHERE block LIKE 'sat:%' OR block LIKE 'series:%'")
        con.execute("DELETE FROM axes WHERE object LIKE 'sat:%'")
        con.execute("DELETE FROM dataset_files WHERE object LIKE 'sat:%'")
        con.execute("DELETE FROM satellites")
        for col in ("source", "concordance", "inventory_year"):
            con.execute(f"ALTER TABLE satellites DROP COLUMN {col}")
        con.execute("ALTER TABLE reconciliation DROP COLUMN report")
        con.execute("DROP TABLE co2_series")
        con.execute("DROP TABLE concordances")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def test_a_schema_1_store_is_migrated_with_the_same_numbers(files: dict[str, Path], tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.duckdb", tmp_path / "old.duckdb"
    for path in (fresh, old):
        import_files(path, "ceads-inventory", [files["inv15"], files["inv17"]], name="inv")
        import_files(path, "ceads-mrio", [files["mrio"]], name="m")
    _downgrade_to_schema_1(old)
    assert Store(old).schema_version() == 1
    # the catalog (a server, the CLI) opens an old store: migrated on open, CO2 stored
    a, b = Catalog(fresh).resolve("m", 2017), Catalog(old).resolve("m", 2017)
    assert Store(old).schema_version() == SCHEMA_VERSION
    assert a.co2.F.tobytes() == b.co2.F.tobytes() and a.co2.F_Y.tobytes() == b.co2.F_Y.tobytes()
    assert a.reconciliation == b.reconciliation
    sa, sb = Store(fresh).co2_series("m"), Store(old).co2_series("m")
    assert [s.inventory_year for s in sa] == [s.inventory_year for s in sb]
    for x, y in zip(sa, sb, strict=True):
        np.testing.assert_array_equal(x.F, y.F)
    open_store(old)  # already current: nothing to do
    assert Store(old).schema_version() == SCHEMA_VERSION
