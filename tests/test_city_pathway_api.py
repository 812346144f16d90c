"""``GET /api/city-pathway`` and its view-model: one city's reconciled pathway, the coverage
note in both languages, 4xx for an unknown dataset, city, scenario or provincial dataset."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import city_roadmap_fixtures as fx
from viscarbon.roadmap import city as city_mod
from viscarbon.web.app import create_app

pytestmark = pytest.mark.xdist_group("roadmap")


@pytest.fixture(scope="module")
def client() -> Any:
    mp = pytest.MonkeyPatch()
    mp.setattr(city_mod, "_province_list", lambda p: fx.MEMBERS.get(p, ()))
    with TestClient(create_app(workspace=fx.workspace(), allowed_hosts=("testserver",))) as c:
        yield c
    mp.undo()


def test_complete_city(client: TestClient) -> None:
    r = client.get("/api/city-pathway", params={"dataset": "city", "city": "130100", "scenario": "clean-power"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["status"] == "complete" and d["province"] == "HE" and d["province_dataset"] == "prov"
    assert d["scenario"]["id"] == "clean-power" and d["years"][0] == d["t0"] == 2017 and d["years"][-1] == 2060
    scen, sec, hh = (np.array(d["pathways"][k]) for k in ("scenario", "sectors", "households"))
    np.testing.assert_allclose(scen, sec + hh, rtol=1e-12)
    share, prov = np.array(d["share"]), np.array(d["coverage"]["province_total"])
    np.testing.assert_allclose(share * prov, scen, rtol=1e-9)
    assert d["peak"]["year"] == d["years"][int(np.argmax(scen))]
    assert d["milestones"]["2060"] == pytest.approx(scen[-1])
    assert d["coverage"]["k"] == d["coverage"]["n"] == 5 and d["coverage"]["rest"] is None
    assert "covered completely" in d["note"] and "Hebei" in d["note"]
    assert d["iamc_region"] == "Hebei|Shijiazhuang"


def test_partial_and_unreconciled_cities_say_so(client: TestClient) -> None:
    d = client.get("/api/city-pathway", params={"dataset": "city", "city": "210100", "lang": "zh"}).json()
    assert d["status"] == "partial" and d["coverage"]["missing"] == [{"code": "210200", "label": "大连"}]
    assert "部分覆盖" in d["note"] and "大连" in d["note"] and d["lang"] == "zh-Hans"
    np.testing.assert_allclose(np.array(d["pathways"]["scenario"]) + np.array(d["coverage"]["rest"]),
                               d["coverage"]["province_total"], rtol=1e-9)
    d = client.get("/api/city-pathway", params={"dataset": "city", "city": "150100"}).json()
    assert d["status"] == "no_roadmap" and d["share"] is None and d["coverage"] is None
    assert "no provincial roadmap" in d["note"]


@pytest.mark.parametrize("params, param", [
    ({"dataset": "nope", "city": "130100"}, "dataset"),
    ({"dataset": "prov", "city": "130100"}, "dataset"),  # a provincial table is no city table
    ({"dataset": "city", "city": "999999"}, "city"),
    ({"dataset": "city"}, "city"),
    ({"dataset": "city", "city": "130100", "scenario": "nope"}, "scenario"),
    ({"dataset": "city", "city": "130100", "province_dataset": "city"}, "province_dataset"),
])
def test_bad_parameters_are_4xx(client: TestClient, params: dict[str, str], param: str) -> None:
    r = client.get("/api/city-pathway", params=params)
    assert 400 <= r.status_code < 500 and r.json()["param"] == param, r.text

