"""The national view end to end on real data: the CEADs national inventory (region CN)
and the NBS national IO tables, imported through the CLI, linked, harmonized (households
to TC where the table has no FU101/FU102), analysed and served by the dashboard API.

Pinned figures (Mt CO2) come from the CEADs national workbook
(``China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx``, Scope 1 totals) and
the NBS 2015 (competitive imports) and 2017 (non-competitive) 42-sector tables.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from viscarbon.cli.app import app
from viscarbon.datasets import Catalog
from viscarbon.errors import DataError, NotFound
from viscarbon.io.store import Store

runner = CliRunner()

NATIONAL = "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"
INV = "ceads-inventory-national-1997-2019"
NBS = "nbs-io-2015-2017"

# CEADs national Scope 1 totals (the workbook's total rows), Mt CO2
TOTAL_2015 = 9253.502801345308
TOTAL_2017 = 9408.170796176375
TOTAL_2019 = 9794.756396640432


def cli(*args: str) -> str:
    """Run the CLI; its output (rich wraps lines at the terminal width)."""
    res = runner.invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def flat(text: str) -> str:
    """``text`` with every run of whitespace as one space (undoes rich's wrapping)."""
    return " ".join(text.split())


def cli_fails(*args: str) -> str:
    res = runner.invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 1, res.output
    return flat(res.output)


@pytest.fixture(scope="module")
def national_store(shared_data: Path, nbs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the national inventory and the NBS 2015 + 2017 tables, via the CLI."""
    store = tmp_path_factory.mktemp("national") / "store.duckdb"
    out = flat(cli("import", "ceads-inventory", str(shared_data / "ceads" / NATIONAL), "--store", str(store)))
    assert f"as dataset {INV}" in out and "national inventory (region CN" in out
    out = flat(cli("import", "nbs-io", str(nbs_dir / "china_2015_42.csv"), str(nbs_dir / "china_2017_42.csv"),
                   "--store", str(store)))
    assert f"CO2 from inventory dataset {INV} (the only inventory dataset in the store covering CN" in out
    assert "goes to final consumption TC" in out  # the 2017 households fallback is said
    return store


pytestmark = pytest.mark.realdata


# --------------------------------------------------------------------------- import
def test_national_inventory_round_trips_exactly(national_store: Path, shared_data: Path) -> None:
    from viscarbon.io.readers.ceads_inventory.reader import read_national_inventory

    s = Store(national_store)
    rec = s.dataset(INV)
    assert rec.kind == "ceads-inventory" and rec.years == tuple(range(1997, 2020))
    assert "vintage: national" in rec.notes and not rec.synthetic
    read = read_national_inventory(shared_data / "ceads" / NATIONAL)
    for year in (1997, 2015, 2017, 2019):
        got, want = s.load_inventory(INV, year), read[year]
        assert got.regions.codes == ("CN",) and got.regions == want.regions
        assert got.sectors == want.sectors and got.columns == want.columns
        assert got.values.tobytes() == want.values.tobytes()
        assert got.totals.tobytes() == want.totals.tobytes()
        assert got.provenance == want.provenance
    assert float(s.load_inventory(INV, 2015).totals[0]) == pytest.approx(TOTAL_2015, rel=1e-15)
    assert float(s.load_inventory(INV, 2019).totals[0]) == pytest.approx(TOTAL_2019, rel=1e-15)


def test_nbs_dataset_is_linked_with_reconciliation(national_store: Path) -> None:
    s = Store(national_store)
    rec = s.dataset(NBS)
    assert rec.kind == "nbs-io" and rec.linked_inventory == INV and "inventory link: auto" in rec.notes
    stored = s.reconciliation(NBS, 2017)
    assert stored is not None
    iy, records, notes = stored.inventory_year, stored.records, stored.notes
    assert iy == 2017 and [r["region"] for r in records] == ["CN"]
    (row,) = records
    assert row["inventory_total_mt"] == pytest.approx(TOTAL_2017, rel=1e-15)
    assert row["mapped_households_mt"] == pytest.approx(443.1042282, rel=1e-9)
    assert abs(float(row["difference_mt"])) < 1e-9  # type: ignore[arg-type]
    assert any("46:household:FD:TC; 47:household:FD:TC" in n for n in notes)
    stored15 = s.reconciliation(NBS, 2015)
    assert stored15 is not None
    iy15, records15, notes15 = stored15.inventory_year, stored15.records, stored15.notes
    assert iy15 == 2015 and not any("FD:TC" in n for n in notes15)
    assert records15[0]["mapped_households_mt"] == pytest.approx(407.8580299, rel=1e-9)


def test_mixing_national_and_provincial_workbooks_is_refused(shared_data: Path, inventory_dir: Path,
                                                             store_path: Path) -> None:
    from viscarbon.ingest import import_files

    with pytest.raises(DataError, match=r"national inventory workbook .* cannot form one dataset"):
        import_files(store_path, "ceads-inventory",
                     [shared_data / "ceads" / NATIONAL, inventory_dir / "Emission_Inventories_for_30_Provinces_2015.xlsx"])
    assert not store_path.exists() or Store(store_path).datasets() == []


# --------------------------------------------------------------------------- harmonize
def test_households_go_to_tc_without_fu101_fu102_and_imp_gets_none(national_store: Path) -> None:

    repo = Catalog(national_store, include_demo=False)
    s17 = repo.resolve(NBS, 2017).system
    co2 = next(s for s in s17.satellites if s.name == "CO2")
    cats = s17.table.fd_categories.codes
    assert cats == ("TC", "FU201", "FU202")
    by_cat = co2.F_Y.sum(axis=0)
    assert by_cat[cats.index("TC")] == pytest.approx(443.1042282, rel=1e-9)
    assert by_cat[cats.index("FU201")] == 0.0 and by_cat[cats.index("FU202")] == 0.0
    assert co2.F.sum() + co2.F_Y.sum() == pytest.approx(TOTAL_2017, rel=1e-12)
    s15 = repo.resolve(NBS, 2015).system
    co2_15 = next(s for s in s15.satellites if s.name == "CO2")
    cats15 = s15.table.fd_categories.codes
    fy = co2_15.F_Y.sum(axis=0)
    assert fy[cats15.index("IMP")] == 0.0
    assert fy[cats15.index("FU101")] == pytest.approx(174.27868317, rel=1e-9)  # rural
    assert fy[cats15.index("FU102")] == pytest.approx(233.57934674, rel=1e-9)  # urban
    report = repo.resolve(NBS, 2017).reconciliation
    assert report is not None
    assert report.concordance == "inv47-io42_2017-v1 + 46:household:FD:TC; 47:household:FD:TC"


def test_adapt_concordance_leaves_tables_with_household_categories_alone() -> None:
    from viscarbon.classification import concordance
    from viscarbon.demo import demo_dataset
    from viscarbon.harmonize import adapt_concordance

    table = demo_dataset().table(2017)
    conc = concordance(table.sectors.list_id)
    adapted, notes = adapt_concordance(conc, table)
    assert adapted is conc and notes == ()


# --------------------------------------------------------------------------- analysis
@pytest.mark.parametrize(("year", "pba", "cba", "exports"), [
    (2015, TOTAL_2015, 6846.46693505, 2407.0358663),
    (2017, TOTAL_2017, 7703.26701867, 1704.90377751),
])
def test_footprint_cli_pins_real_numbers_and_the_identity(national_store: Path, year: int, pba: float,
                                                          cba: float, exports: float) -> None:
    out = cli("analyse", "footprint", "--dataset", NBS, "--year", str(year), "--format", "json",
              "--store", str(national_store))
    (row,) = json.loads(out)["rows"]
    assert row["region"] == "CN" and row["status"] == "reported"
    assert row["production_based_mt"] == pytest.approx(pba, rel=1e-12)  # = the CEADs national total
    assert row["consumption_based_mt"] == pytest.approx(cba, rel=1e-9)
    assert row["embodied_in_exports_mt"] == pytest.approx(exports, rel=1e-9)
    # Σ CBA + Σ embodied in exports = Σ PBA (one region: no inter-regional transfer)
    assert row["consumption_based_mt"] + row["embodied_in_exports_mt"] == pytest.approx(pba, rel=1e-12)
    assert row["net_transfer_mt"] == 0.0


def test_network_linkages_spa_run_for_cn(national_store: Path) -> None:
    st = ["--store", str(national_store)]
    net = json.loads(cli("analyse", "network", "--dataset", NBS, "--year", "2017", "--region", "CN",
                         "--format", "json", *st))
    assert len(net["rows"]) == 88  # top 5 % of 42 × 42 money flows
    lk = json.loads(cli("analyse", "linkages", "--dataset", NBS, "--year", "2017", "--region", "CN",
                        "--format", "json", *st))
    assert len(lk["rows"]) == 42
    bl = np.array([r["backward_linkage"] for r in lk["rows"]])
    assert bl.mean() == pytest.approx(1.0, rel=1e-12)  # normalised linkages average 1
    spa = json.loads(cli("analyse", "spa", "--dataset", NBS, "--year", "2017", "--region", "CN",
                         "--format", "json", *st))
    top = spa["rows"][0]
    assert top["path"] == "CN/13 → CN/27" and top["value_mt"] == pytest.approx(685.375, rel=1e-5)


# --------------------------------------------------------------------------- API
def test_api_answers_for_the_single_region_dataset(national_store: Path) -> None:
    from fastapi.testclient import TestClient

    from viscarbon.web.app import create_app

    c = TestClient(create_app(allowed_hosts=("testserver",), store_path=national_store))
    meta = c.get("/api/meta").json()
    ds = next(d for d in meta["datasets"] if d["name"] == NBS)
    assert ds["regions"] == ["CN"] and ds["single_region"] and "1 × 1" in ds["scope_note"]
    cn = next(r for r in meta["regions"] if r["code"] == "CN")
    assert cn["label_zh"] == "中国" and cn["tile"] is None
    view = c.get(f"/api/view?dataset={NBS}&year=2017&region=CN").json()
    assert view["title"]["region"] == "China" and view["status"] == "reported"
    assert view["reconciliation"]["inventory_mt"] == pytest.approx(TOTAL_2017, rel=1e-12)
    assert view["single_region"] and view["scope_note"]
    prov = c.get(f"/api/provinces?dataset={NBS}&year=2015&indicator=co2").json()
    (row,) = prov["rows"]
    assert row["production_mt"] == pytest.approx(TOTAL_2015, rel=1e-12)
    assert row["consumption_mt"] == pytest.approx(6846.46693505, rel=1e-9)
    trade = c.get(f"/api/trade?dataset={NBS}&year=2017&region=CN").json()
    assert trade["regions"] == ["CN"] and len(trade["matrix"]) == 1 and len(trade["matrix"][0]) == 1
    assert trade["matrix"][0][0] == pytest.approx(7260.16279047, rel=1e-9)  # industries, own final demand
    assert trade["for_exports"][0]["value"] == pytest.approx(1704.90377751, rel=1e-9)
    assert "no inter-regional transfers" in trade["note"]
    assert trade["partners"] == {"region": "CN", "emitted_for_others": [], "others_emit_for": []}
    zh = c.get(f"/api/trade?dataset={NBS}&year=2017&lang=zh-Hans").json()
    assert "没有地区间转移" in zh["note"]
    trends = c.get(f"/api/trends?dataset={NBS}&region=CN&indicator=co2").json()
    assert trends["years"] == [2015, 2017] and trends["series"]
    inv = c.get(f"/api/inventory-trend?dataset={NBS}&region=CN")
    assert inv.status_code == 200


# --------------------------------------------------------------------------- links
def test_link_after_the_fact_and_bad_links_leave_the_store_unchanged(shared_data: Path, nbs_dir: Path,
                                                                     inventory_dir: Path, store_path: Path) -> None:
    from viscarbon.ingest import import_files, link_dataset

    st = ["--store", str(store_path)]
    out = flat(cli("import", "nbs-io", str(nbs_dir / "china_2020_42.csv"), "--name", "nbs20", *st))
    assert "No inventory dataset covering CN" in out and "datasets link nbs20" in out
    import_files(store_path, "ceads-inventory", [inventory_dir / "Emission_Inventories_for_30_Provinces_2015.xlsx"],
                 name="prov15")
    s = Store(store_path)
    digest, gen = s.content_digest(), s.generation()
    # region mismatch: a provincial inventory cannot give CO2 to the national table
    out = cli_fails("datasets", "link", "nbs20", "prov15", *st)
    assert "covers region(s) BJ" in out and "no region in common" in out
    with pytest.raises(NotFound, match="no dataset named 'nope'"):
        link_dataset(store_path, "nbs20", "nope")
    out = cli_fails("datasets", "link", "nope", "prov15", *st)
    assert "no dataset named 'nope'" in out
    with pytest.raises(DataError, match="is a ceads-inventory dataset"):
        link_dataset(store_path, "prov15", "nbs20")
    assert s.content_digest() == digest and s.generation() == gen
    assert s.dataset("nbs20").linked_inventory is None
    # the national inventory links; 2020 takes the nearest inventory year, 2019
    import_files(store_path, "ceads-inventory", [shared_data / "ceads" / NATIONAL])
    out = flat(cli("datasets", "link", "nbs20", INV, *st))
    assert f"Linked dataset nbs20 to inventory {INV}" in out
    assert "Table 2020 harmonized with inventory year 2019" in out
    rec = Store(store_path).dataset("nbs20")
    assert rec.linked_inventory == INV and "2020<-2019" in rec.notes
    stored = Store(store_path).reconciliation("nbs20", 2020)
    assert stored is not None
    iy, records = stored.inventory_year, stored.records
    assert iy == 2019 and records[0]["inventory_total_mt"] == pytest.approx(TOTAL_2019, rel=1e-15)
    out = flat(cli("datasets", "link", "nbs20", INV, *st))
    assert "Nothing changed" in out
    # a later nbs import links automatically (the only inventory covering CN), MRIO-style
    r = import_files(store_path, "nbs-io", [nbs_dir / "china_2018_42.csv"])
    assert r.link == "auto" and r.linked_inventory == INV and r.inventory_years == {2018: 2018}
