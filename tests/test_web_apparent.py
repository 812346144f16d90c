"""Apparent emissions (kind ``ceads-apparent``) in the analysis and the API: the
aggregation, ``/api/meta`` ``inventories``, ``/api/inventory`` for the apparent dataset
(the existing fields plus ``apparent`` and ``sectoral``) and beside a sectoral inventory
(``apparent``), ``/api/inventory-trend`` (``apparent``), and the export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inventory_fixtures import PROVINCES, write_apparent, write_release2021
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.analysis.inventory import apparent_province_totals, region_apparent
from viscarbon.errors import NotFound
from viscarbon.ingest import export_dataset, import_files
from viscarbon.io.readers.ceads_inventory import read_apparent_workbook, read_inventory_workbook

CODES = tuple(c for c, _ in PROVINCES)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("apparent_web")
    inv, _ = write_release2021(d / "inv", 2012, seed=4)
    app, _ = write_apparent(d / "app", (1997, 2012, 2022))
    mrio = write_fixture(random_mrio(("BJ", "TJ", "HE"), year=2012, seed=3), d, layout="2012-2017")
    store = d / "store.duckdb"
    import_files(store, "ceads-inventory", [inv], name="inv")
    import_files(store, "ceads-apparent", [app], name="app")
    import_files(store, "ceads-mrio", [mrio], name="mrio", inventory="inv")
    from fastapi.testclient import TestClient

    from viscarbon.web.app import create_app

    return {"store": store, "client": TestClient(create_app(allowed_hosts=("testserver",), store_path=store)),
            "apparent": read_apparent_workbook(app), "inventory": read_inventory_workbook(inv)}


def test_aggregation() -> None:
    apps = list(read_apparent_workbook(write_apparent(Path(__import__("tempfile").mkdtemp()), (2012, 2000))[0])
                .values())
    ra = region_apparent(apps, "GD")
    assert ra.years == (2000, 2012)
    for i, a in enumerate(sorted(apps, key=lambda a: a.year)):
        r = a.regions.index("GD")
        np.testing.assert_array_equal(ra.by_category[i], a.values[r])
        assert ra.totals[i] == a.totals[r]
    pt = apparent_province_totals(apps)
    assert pt.regions == CODES and pt.totals.shape == (2, 30)
    with pytest.raises(NotFound, match="XZ"):
        region_apparent(apps, "XZ")


def test_meta_lists_the_apparent_dataset(world: dict[str, Any]) -> None:
    meta = world["client"].get("/api/meta").json()
    inv = {d["name"]: d for d in meta["inventories"]}
    assert inv["app"]["kind"] == "ceads-apparent" and inv["app"]["apparent"] is True
    assert inv["app"]["years"] == [1997, 2012, 2022] and inv["app"]["sector_list"] == "apparent4"
    assert inv["inv"]["apparent"] is False
    assert "XZ" not in inv["app"]["regions"]


def test_inventory_payload_of_the_apparent_dataset(world: dict[str, Any]) -> None:
    js = world["client"].get("/api/inventory", params={"dataset": "app", "region": "GD"}).json()
    app12 = world["apparent"][2012]
    r = app12.regions.index("GD")
    # the existing fields, filled from the apparent categories
    for key in ("key", "kind", "inventory_only", "region", "region_label", "unit", "years", "sectors", "fuels",
                "values", "fuel_mix", "totals", "households", "provinces", "note", "missing_regions",
                "missing_note", "dataset", "citation", "synthetic"):
        assert key in js, key
    assert js["kind"] == "ceads-apparent" and js["years"] == [1997, 2012, 2022]
    assert [f["code"] for f in js["fuels"]] == ["raw_coal", "crude_oil", "natural_gas", "cement_process"]
    assert js["sectors"] == [] and js["values"] == [[], [], []]
    assert js["fuel_mix"][1] == pytest.approx(app12.values[r].tolist(), rel=1e-12)
    assert js["totals"][1] == pytest.approx(app12.totals[r], rel=1e-12)
    assert js["provinces"]["totals"][1][js["provinces"]["regions"].index({"code": "GD", "label": "Guangdong"})] \
        == pytest.approx(app12.totals[r])
    # beside it: the sectoral Scope 1 totals of GD from the sectoral inventory
    assert js["apparent"]["values"] == js["fuel_mix"] and js["apparent"]["dataset"] == "app"
    sect = js["sectoral"]
    inv = world["inventory"]
    assert sect["dataset"] == "inv" and sect["years"] == [2012]
    assert sect["totals"][0] == pytest.approx(inv.totals[inv.regions.index("GD")], rel=1e-12)
    zh = world["client"].get("/api/inventory", params={"dataset": "app", "region": "GD", "lang": "zh"}).json()
    assert [f["label"] for f in zh["fuels"]] == ["原煤", "原油", "天然气", "水泥生产过程"]
    assert "表观" in zh["apparent"]["note"]


def test_sectoral_payload_carries_the_apparent_emissions(world: dict[str, Any]) -> None:
    js = world["client"].get("/api/inventory", params={"dataset": "inv", "region": "SD"}).json()
    assert js["kind"] == "ceads-inventory" and len(js["sectors"]) == 47 and js["sectoral"] is None
    a = js["apparent"]
    app22 = world["apparent"][2022]
    assert a["dataset"] == "app" and a["years"] == [1997, 2012, 2022]
    assert a["totals"][2] == pytest.approx(app22.totals[app22.regions.index("SD")], rel=1e-12)
    assert len(a["values"][0]) == 4


def test_trends_payload_carries_the_apparent_emissions(world: dict[str, Any]) -> None:
    js = world["client"].get("/api/inventory-trend", params={"dataset": "mrio", "region": "BJ"}).json()
    assert js["available"] and js["apparent"]["region"] == "BJ"
    app97 = world["apparent"][1997]
    assert js["apparent"]["totals"][0] == pytest.approx(app97.totals[app97.regions.index("BJ")], rel=1e-12)
    demo = world["client"].get("/api/inventory-trend", params={"dataset": "demo", "region": "BJ"}).json()
    assert demo["apparent"]["dataset"] == "app"  # the store's apparent emissions, beside the demo's


def test_bad_region_is_400(world: dict[str, Any]) -> None:
    res = world["client"].get("/api/inventory", params={"dataset": "app", "region": "XZ"})
    assert res.status_code == 400 and res.json()["param"] == "region" and "XZ" in res.json()["error"]


def test_export_of_the_apparent_dataset(world: dict[str, Any], tmp_path: Path) -> None:
    res = export_dataset(world["store"], "app", tmp_path / "out", fmt="csv")
    files = {p.name for p in res.files}
    assert "app_apparent.csv" in files and "README.md" in files
    text = (tmp_path / "out" / "app_apparent.csv").read_text(encoding="utf-8")
    assert "region,year,category,value,unit" in text and "cement_process" in text
