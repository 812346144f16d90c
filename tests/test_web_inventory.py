"""Inventory-only datasets in the dashboard: ``analysis.inventory`` aggregation, ``/api/meta``
``inventories`` and ``/api/inventory`` on a store holding REAL CEADs provincial inventories
(two years, imported with ``ingest.import_files``), checked against the workbooks as the
inventory reader gives them (``InventoryTable.totals``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from store_fixtures import make_inventory
from viscarbon.analysis.inventory import province_totals, region_inventory, regions_present
from viscarbon.errors import DataError, NotFound
from viscarbon.model import InventoryTable

YEARS = (1997, 2017)


def _client(store: Path) -> Any:
    from fastapi.testclient import TestClient

    from viscarbon.web.app import create_app

    return TestClient(create_app(allowed_hosts=("testserver",), store_path=store), raise_server_exceptions=False)


# --------------------------------------------------------------------------- pure aggregation
def test_region_inventory_sums_and_households() -> None:
    invs = [make_inventory(year=2016, seed=1, regions=("BJ", "GD")),
            make_inventory(year=2015, seed=2, regions=("BJ", "GD", "SH"))]
    ri = region_inventory(invs, "GD")
    assert ri.years == (2015, 2016)  # sorted by year whatever the input order
    by_year = {inv.year: inv for inv in invs}
    for i, y in enumerate(ri.years):
        inv = by_year[y]
        r = inv.regions.index("GD")
        assert ri.totals[i] == inv.totals[r]
        np.testing.assert_allclose(ri.by_sector[i], inv.values[r].sum(axis=1), rtol=1e-12)
        assert ri.by_sector[i].sum() == pytest.approx(inv.totals[r], rel=1e-12)
        assert ri.by_column[i].sum() == pytest.approx(inv.totals[r], rel=1e-12)
        np.testing.assert_allclose(ri.households[i], [inv.values[r, 45].sum(), inv.values[r, 46].sum()])
    assert not ri.by_sector.flags.writeable


def test_missing_region_year_is_nan_not_zero() -> None:
    invs = [make_inventory(year=2016, seed=1, regions=("BJ", "GD")),
            make_inventory(year=2017, seed=2, regions=("BJ", "GD", "SH"))]
    assert regions_present(invs) == ("BJ", "GD", "SH")
    ri = region_inventory(invs, "SH")
    assert np.isnan(ri.totals[0]) and np.isnan(ri.by_sector[0]).all()
    assert ri.totals[1] == invs[1].totals[2]
    pt = province_totals(invs)
    assert pt.regions == ("BJ", "GD", "SH")
    assert np.isnan(pt.totals[0, 2]) and pt.totals[1, 2] == invs[1].totals[2]
    with pytest.raises(NotFound, match="XZ"):
        region_inventory(invs, "XZ")
    with pytest.raises(NotFound):
        province_totals([])


# --------------------------------------------------------------------------- API, real data
@pytest.fixture(scope="module")
def inv_store(inventory_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from viscarbon.ingest import import_files

    store = tmp_path_factory.mktemp("invview") / "store.duckdb"
    files = [p for p in sorted(inventory_dir.glob("*.xlsx")) if any(str(y) in p.name for y in YEARS)]
    assert len(files) == len(YEARS)
    result = import_files(store, "ceads-inventory", files)
    assert result.years == YEARS
    return store


@pytest.fixture(scope="module")
def workbooks(inventory_dir: Path) -> dict[int, InventoryTable]:
    from viscarbon.io.readers.ceads_inventory.reader import read_inventory_workbook

    out = {}
    for p in sorted(inventory_dir.glob("*.xlsx")):
        for y in YEARS:
            if str(y) in p.name:
                out[y] = read_inventory_workbook(p)
    return out


@pytest.fixture(scope="module")
def client(inv_store: Path) -> Iterator[Any]:
    with _client(inv_store) as c:
        yield c


NAME = f"ceads-inventory-{YEARS[0]}-{YEARS[-1]}"


@pytest.mark.realdata
def test_meta_lists_inventory_datasets_apart(client: Any) -> None:
    m = client.get("/api/meta").json()
    assert [d["name"] for d in m["datasets"]] == ["demo"]  # the IO list the page uses is unchanged
    (inv,) = m["inventories"]
    assert inv["name"] == NAME and inv["kind"] == "ceads-inventory" and inv["inventory_only"] is True
    assert inv["years"] == list(YEARS)
    assert len(inv["regions"]) == 30 and "XZ" not in inv["regions"] and "GD" in inv["regions"]
    assert inv["synthetic"] is False and "CEADs" in inv["citation"]


@pytest.mark.realdata
def test_inventory_numbers_equal_the_workbooks(client: Any, workbooks: dict[int, InventoryTable]) -> None:
    r = client.get("/api/inventory", params={"dataset": NAME, "region": "GD", "lang": "en"})
    assert r.status_code == 200
    p = r.json()
    assert p["years"] == list(YEARS) and p["unit"] == "mt" and p["units"]["mt"] == "Mt CO2"
    assert p["synthetic"] is False and p["banner"] is None and "Shan" in p["citation"]
    assert [s["code"] for s in p["sectors"]] == [str(i) for i in range(1, 48)]
    assert p["sectors"][38]["label"] == "Production and Supply of Electric Power, Steam and Hot Water"
    assert p["sectors"][38]["short"] == "Power & heat"
    assert [s["code"] for s in p["sectors"] if s["household"]] == ["46", "47"]
    fuels = [f["code"] for f in p["fuels"]]
    assert len(fuels) == 18 and fuels[0] == "raw_coal" and fuels[-1] == "process"
    for i, y in enumerate(YEARS):
        inv = workbooks[y]
        g = inv.regions.index("GD")
        assert p["totals"][i] == pytest.approx(inv.totals[g], rel=1e-12)
        assert sum(p["values"][i]) == pytest.approx(inv.totals[g], rel=1e-9)
        assert sum(p["fuel_mix"][i]) == pytest.approx(inv.totals[g], rel=1e-9)
        np.testing.assert_allclose(p["values"][i], inv.values[g].sum(axis=1), rtol=1e-12)
        # households: rows 46 Urban, 47 Rural
        assert p["households"]["urban"][i] == pytest.approx(inv.values[g, 45].sum(), rel=1e-12)
        assert p["households"]["rural"][i] == pytest.approx(inv.values[g, 46].sum(), rel=1e-12)
        assert p["households"]["urban"][i] > 0 and p["households"]["rural"][i] > 0
        # every province's total, in the payload's region order
        codes = [x["code"] for x in p["provinces"]["regions"]]
        assert len(codes) == 30
        np.testing.assert_allclose(p["provinces"]["totals"][i], [inv.totals[inv.regions.index(c)] for c in codes],
                                   rtol=1e-12)
    # pinned: Guangdong's Scope 1 total in 2017 (CEADs 2021 release)
    assert p["totals"][1] == pytest.approx(556.8590168754581, rel=1e-12)
    assert p["missing_regions"] == [{"code": "XZ", "label": "Tibet"}]
    assert "Tibet" in p["missing_note"]


@pytest.mark.realdata
def test_inventory_labels_in_chinese(client: Any) -> None:
    p = client.get("/api/inventory", params={"dataset": NAME, "region": "BJ", "lang": "zh"}).json()
    assert p["lang"] == "zh-Hans" and p["region_label"] == "北京"
    assert p["sectors"][45]["label"] == "城镇居民生活" and p["fuels"][0]["label"] == "原煤"
    assert p["units"]["mt"] == "百万吨 CO2"
    assert p["sectors"][38]["short"] == "电力热力"


@pytest.mark.realdata
@pytest.mark.parametrize(("params", "param", "needle"), [
    ({"dataset": "nope"}, "dataset", NAME),
    ({"region": "XZ"}, "region", "no CO2 inventory"),
    ({"region": "xz", "lang": "zh-Hans"}, "region", "西藏"),
    ({"region": "ZZ"}, "region", "unknown region"),
    ({"dataset": "demo"}, "dataset", NAME),  # an IO dataset is not an inventory dataset
    ({"lang": "fr"}, "lang", "zh-Hans"),
])
def test_bad_parameters_are_400_naming_allowed_values(client: Any, params: dict[str, str], param: str,
                                                      needle: str) -> None:
    r = client.get("/api/inventory", params=params)
    assert r.status_code == 400
    body = r.json()
    assert body["param"] == param and needle in body["error"]
    if param == "region":
        assert "GD" in body["allowed"] and "XZ" not in body["allowed"]


@pytest.mark.realdata
def test_defaults_and_region_case(client: Any) -> None:
    p = client.get("/api/inventory").json()
    assert p["dataset"] == NAME and p["region"] == "GD"
    assert client.get("/api/inventory", params={"region": "sh"}).json()["region"] == "SH"


def test_no_inventory_dataset_is_404(store_path: Path) -> None:
    with _client(store_path) as c:
        assert c.get("/api/meta").json()["inventories"] == []
        r = c.get("/api/inventory")
        assert r.status_code == 404 and "no inventory dataset" in r.json()["error"]


@pytest.mark.realdata
def test_static_export_of_an_inventory_dataset_is_refused(inv_store: Path, tmp_path: Path) -> None:
    from viscarbon.analysis import Workspace
    from viscarbon.web.site import export_site

    with pytest.raises(DataError, match="inventory-only") as e:
        export_site(Workspace(inv_store), tmp_path / "site", dataset=NAME, allow_missing_assets=True)
    assert "viscarbon serve" in (e.value.hint or "")
    assert not (tmp_path / "site").exists()
