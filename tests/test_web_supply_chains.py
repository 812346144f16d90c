"""``/api/supply-chains`` and ``/api/sda``: the numbers are the analysis façade's (SPA, key
sectors, extraction, sda of the demo), bad parameters are 400s naming the allowed values."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from viscarbon.analysis import Workspace
from viscarbon.calc.sda import SDA_FACTORS
from viscarbon.web.app import create_app
from viscarbon.web.views.supply_chains import SPA_DEPTH, SPA_TOP

pytestmark = pytest.mark.xdist_group("web_supply_chains")


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace()


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(workspace=ws, allowed_hosts=("testserver",)), raise_server_exceptions=False)


@pytest.mark.parametrize(("region", "sector"), [("GD", None), ("SX", "25"), ("BJ", "28")])
def test_supply_chains_equal_the_analysis(client: TestClient, ws: Workspace, region: str,
                                          sector: str | None) -> None:
    q = f"/api/supply-chains?region={region}&year=2017" + (f"&sector={sector}" if sector else "")
    r = client.get(q)
    assert r.status_code == 200, r.text
    body = r.json()
    ya = ws.year("demo", 2017)
    spa = ya.spa(region=region, sector=sector, depth=SPA_DEPTH, top=SPA_TOP)
    paths = body["paths"]
    assert paths["total_mt"] == pytest.approx(spa.total_mt, rel=1e-12)
    assert paths["coverage"] == pytest.approx(spa.coverage, rel=1e-12)
    assert paths["top_coverage"] == pytest.approx(spa.top_coverage, rel=1e-12)
    assert len(paths["rows"]) == len(spa.paths) > 0
    for row, p in zip(paths["rows"], spa.paths, strict=True):
        assert row["value_mt"] == pytest.approx(p.value_mt, rel=1e-12)
        assert [(n["region"], n["sector"]) for n in row["nodes"]] == [tuple(x) for x in p.nodes]
    # key sectors: the province's 42 rows, linkages of the full MRIO
    ks = ya.key_sectors(region=region)
    rows = body["key_sectors"]["rows"]
    assert len(rows) == 42
    S = 42
    for row, i in zip(rows, ks.rows, strict=True):
        assert row["sector"] == ks.sectors.codes[int(i) % S]
        assert row["backward"] == pytest.approx(ks.backward[i], rel=1e-12)
        assert row["forward"] == pytest.approx(ks.forward[i], rel=1e-12)
    assert body["key_sectors"]["counts"] == ks.counts()
    # extraction: the chosen sector, or the province's largest emitter
    co2 = np.asarray(ya.sector_indicators(region)["co2"].value)
    target = sector or ya.table.sectors.codes[int(np.argmax(co2))]
    ex = ya.extract(region=region, sector=target)
    dx, _, de, _ = ex.by_region()
    r_i = ya.table.regions.index(region)
    block = body["extraction"]
    assert block["sector"]["sector"] == target and block["chosen"] is (sector is not None)
    assert block["co2_loss_mt"] == pytest.approx(ex.total_co2_loss, rel=1e-12)
    assert block["inside"]["co2_loss_mt"] == pytest.approx(de[r_i], rel=1e-12)
    assert block["inside"]["co2_loss_mt"] + block["elsewhere"]["co2_loss_mt"] == pytest.approx(
        ex.total_co2_loss, rel=1e-9)
    assert block["elsewhere"]["output_loss_10k_yuan"] == pytest.approx(dx.sum() - dx[r_i], rel=1e-9)
    assert body["synthetic"] is True


@pytest.mark.parametrize(("region", "base", "year"), [("GD", 2015, 2017), ("SD", 2012, 2017), ("BJ", 2012, 2015)])
def test_sda_equals_the_workspace(client: TestClient, ws: Workspace, region: str, base: int, year: int) -> None:
    body = client.get(f"/api/sda?region={region}&year={year}&base={base}").json()
    res = ws.sda("demo", base, year, region=region)
    d = res.destinations.index(region)
    assert body["available"] is True and body["base"] == base
    assert [e["code"] for e in body["effects"]] == list(SDA_FACTORS)
    for k, e in enumerate(body["effects"]):
        assert e["value_mt"] == pytest.approx(res.effects[k, d], rel=1e-12, abs=1e-12)
    # the waterfall closes: the five effects sum to the change
    assert sum(e["value_mt"] for e in body["effects"]) == pytest.approx(body["change_mt"], rel=1e-9, abs=1e-9)
    assert body["co2_to_mt"] - body["co2_from_mt"] == pytest.approx(body["change_mt"], rel=1e-12)
    assert body["households_change_mt"] == pytest.approx(res.households_change[d], rel=1e-12)


def test_sda_defaults_to_the_previous_year_and_says_when_there_is_none(client: TestClient) -> None:
    assert client.get("/api/sda?region=GD&year=2017").json()["base"] == 2015
    first = client.get("/api/sda?region=GD&year=2012&lang=zh-Hans").json()
    assert first["available"] is False and "结构分解" in first["note"]


@pytest.mark.parametrize(("url", "param", "allowed"), [
    ("/api/supply-chains?region=GD&sector=99", "sector", "25"),
    ("/api/supply-chains?region=ZZ", "region", "GD"),
    ("/api/supply-chains?region=GD&year=2016", "year", "2017"),
    ("/api/sda?region=GD&year=2017&base=2017", "base", "2015"),
    ("/api/sda?region=GD&year=2015&base=abc", "base", "2012"),
])
def test_bad_parameters_are_400s_naming_the_allowed_values(client: TestClient, url: str, param: str,
                                                           allowed: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["param"] == param and allowed in body["allowed"] and allowed in body["error"]
