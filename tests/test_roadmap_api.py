"""``/api/roadmap`` (GET and POST with lever overrides) on the demo: the payload's
identities, the zero-lever POST equal to the baseline, a slider lever changing the pathway,
and bad input answered with a 400 that names the field (the server keeps serving)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from viscarbon.datasets import open_store
from viscarbon.errors import ScenarioError
from viscarbon.roadmap import parse_levers, shipped_scenarios
from viscarbon.roadmap.library import delete_scenario, save_scenario
from viscarbon.web.app import create_app
from viscarbon.web.views.roadmap import lever_json

pytestmark = pytest.mark.xdist_group("roadmap")
TOL = 1e-9


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = tmp_path_factory.mktemp("rm-store") / "store.duckdb"
    return TestClient(create_app(allowed_hosts=("testserver",), store_path=store), raise_server_exceptions=False)


def get(client: TestClient, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, r.text
    return r.json()


def post(client: TestClient, body: dict[str, Any], status: int = 200) -> Any:
    r = client.post("/api/roadmap", json=body)
    assert r.status_code == status, r.text
    return r.json()


@pytest.fixture(scope="module")
def clean_power(client: TestClient) -> Any:
    return get(client, "/api/roadmap?dataset=demo&region=GD&scenario=clean-power")


def close(a: list[float], b: list[float]) -> None:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert x.shape == y.shape
    np.testing.assert_allclose(x, y, rtol=TOL, atol=TOL * max(1.0, float(np.abs(y).max(initial=0.0))))


@pytest.mark.parametrize("name", ["baseline", "scenario", "secda"])
def test_pathway_is_its_sectors_plus_households(clean_power: Any, name: str) -> None:
    p = clean_power["pathways"][name]
    years = clean_power["years"]
    assert len(p["pba"]) == len(years) == len(p["sectors"]) == len(p["households"])
    close(p["pba"], list(np.add(p["sectors"], p["households"])))
    close(p["net"], list(np.subtract(p["pba"], p["removal"])))
    assert min(p["removal"]) >= 0.0


def test_payload_shape_units_and_assumptions(clean_power: Any) -> None:
    d = clean_power
    assert d["years"][0] == d["t0"] == 2017 and d["years"][-1] == 2060
    assert d["unit"] == "mt" and d["synthetic"] is True and d["banner"]
    assert d["history"]["years"][-1] == d["t0"]
    # the history joins the pathway at t0
    assert d["history"]["co2"][-1] == pytest.approx(d["pathways"]["scenario"]["pba"][0], rel=1e-9)
    assert d["scenario"]["id"] == "clean-power" and len(d["scenario"]["levers"]) == 3
    assert d["scenarios"][0]["id"] == "baseline"
    every = set(d["assumptions"])
    assert {"gdp_growth", "benchmarks", "removal", "levers"} <= every
    for block in (d["pathways"]["scenario"], d["sectors"], d["targets"], d["wedges"], d["levers"]):
        assert set(block["assumptions"]) <= every
    assert all(v["label"] and v["source"] for v in d["assumptions"].values())
    checks = d["targets"]["checks"]
    assert {c["pathway"] for c in checks} == {"baseline", "scenario"}
    for c in checks:
        assert c["status"] in ("met", "missed", "not_checkable", "skipped") and c["status_label"] and c["source"]
        assert c["met"] == (c["status"] == "met")
    rows = d["sectors"]["rows"]
    assert len(rows) == 43 and rows[-1]["code"] == "HH"
    assert d["sectors"]["years"] == [2025, 2030, 2035, 2050, 2060]
    for r in rows[:-1]:
        assert len(r["needed"]) == 5
        if r["intensity_t0"]:
            assert 0.0 <= r["m_2030"] <= 1.0 + TOL
    # the milestone CO2 of the table are the pathway's sectors in those years
    k = d["years"].index(2030)
    total = sum(r["scenario_mt"][1] for r in rows)
    assert total == pytest.approx(d["pathways"]["scenario"]["pba"][k], rel=1e-9)


def test_wedges_add_up_to_baseline_minus_scenario(clean_power: Any) -> None:
    w = clean_power["wedges"]
    assert [s["kind"] for s in w["series"]] == ["power", "electrification", "electrification"]
    total = np.sum([s["values"] for s in w["series"]], axis=0)
    close(list(total), list(np.subtract(clean_power["pathways"]["baseline"]["pba"],
                                        clean_power["pathways"]["scenario"]["pba"])))


def test_insights_lever_ranking_partners_chains_assistant(clean_power: Any) -> None:
    d = clean_power
    ranks = [r["avoided"] for r in d["levers"]["rows"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > 0
    for r in d["levers"]["rows"]:
        assert r["inside"] + r["outside"] == pytest.approx(r["avoided"], rel=1e-9)
    assert d["partners"]["emitters"] and d["partners"]["emitters"][0]["upstream"]
    assert d["chains"]["b"] != "GD" and d["chains"]["rows"]
    answers = d["assistant"]["answers"]
    assert [a["question"] for a in answers] == ["how_much", "levers", "joint", "imported", "targets"]
    for a in answers:
        for s in a["sentences"]:
            assert s["text"] and s["link"].startswith("rm-")


def test_parts_core_and_insights(client: TestClient, clean_power: Any) -> None:
    core = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=clean-power&parts=core")
    assert "wedges" not in core and core["pathways"] == clean_power["pathways"]
    ins = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=clean-power&parts=insights")
    assert "pathways" not in ins and ins["wedges"] == clean_power["wedges"]
    get(client, "/api/roadmap?dataset=demo&region=GD&parts=some", status=400)


def test_zero_lever_post_is_the_baseline(client: TestClient) -> None:
    bl = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=baseline&parts=core")
    close(bl["pathways"]["scenario"]["pba"], bl["pathways"]["baseline"]["pba"])
    for replace in (False, True):
        p = post(client, {"dataset": "demo", "region": "GD", "scenario": "baseline", "levers": [], "replace": replace,
                          "parts": "core"})
        for name in ("baseline", "scenario"):
            close(p["pathways"][name]["pba"], bl["pathways"]["baseline"]["pba"])
            close(p["pathways"][name]["cba"], bl["pathways"]["baseline"]["cba"])
    # a scenario with its levers replaced by none is the baseline too
    p = post(client, {"dataset": "demo", "region": "GD", "scenario": "clean-power", "levers": [], "replace": True,
                      "parts": "core"})
    close(p["pathways"]["scenario"]["pba"], bl["pathways"]["baseline"]["pba"])


def test_a_slider_lever_lowers_the_pathway(client: TestClient) -> None:
    bl = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=baseline&parts=core")
    body = {"dataset": "demo", "region": "GD", "scenario": "baseline", "parts": "core",
            "levers": [{"kind": "power", "cut": 0.5, "from": 2021, "to": 2055}]}
    p = post(client, body)
    assert p["scenario"]["edited"] is True and p["scenario"]["levers"][0]["cut"] == 0.5
    sc, base = np.asarray(p["pathways"]["scenario"]["pba"]), np.asarray(bl["pathways"]["baseline"]["pba"])
    k = p["years"].index(2021)
    assert np.all(sc[:k] == pytest.approx(base[:k], rel=1e-9))
    assert np.all(sc[k + 1:] < base[k + 1:])
    close(p["pathways"]["scenario"]["pba"],
          list(np.add(p["pathways"]["scenario"]["sectors"], p["pathways"]["scenario"]["households"])))
    # the same levers on top of a scenario: added to its own
    both = post(client, body | {"scenario": "clean-power"})
    assert len(both["scenario"]["levers"]) == 4
    # the JSON spellings: a group and a region
    g = post(client, body | {"levers": [{"kind": "intensity", "group": "industry", "region": "GD", "rate": -0.02,
                                         "from": 2021, "to": 2060}]})
    assert g["scenario"]["levers"][0]["sectors"] == ["group:industry"]
    assert g["pathways"]["scenario"]["pba"][-1] < bl["pathways"]["baseline"]["pba"][-1]


@pytest.mark.parametrize(("lever", "field"), [
    ({"kind": "powr", "from": 2021, "to": 2055}, "levers[0].kind"),
    ({"kind": "power", "cut": 1.5, "from": 2021, "to": 2055}, "levers[0].cut"),
    ({"kind": "power", "from": 2021, "to": 2055}, "levers[0].cut"),
    ({"kind": "power", "cut": 0.5, "from": 2021, "to": 2019}, "levers[0].to"),
    ({"kind": "intensity", "group": "nope", "rate": -0.01, "from": 2021, "to": 2060}, "levers[0].sectors"),
    ({"kind": "intensity", "sector": "99x", "rate": -0.01, "from": 2021, "to": 2060}, "levers[0].sectors"),
    ({"kind": "power", "cut": 0.5, "from": 2021, "to": 2055, "region": "ZZ"}, "levers[0].regions"),
    ({"kind": "power", "cut": 0.5, "from": 2021, "to": 2055, "colour": "red"}, "levers[0].colour"),
])
def test_bad_lever_is_a_400_naming_the_field(client: TestClient, lever: dict[str, Any], field: str) -> None:
    err = post(client, {"dataset": "demo", "region": "GD", "levers": [lever]}, status=400)
    assert err["param"] == field
    assert field in err["error"]
    # nothing is broken: the server keeps serving
    assert get(client, "/api/roadmap?dataset=demo&region=GD&parts=core")["region"] == "GD"


def test_bad_request_fields(client: TestClient) -> None:
    err = post(client, {"dataset": "demo", "region": "ZZ"}, status=400)
    assert err["param"] == "region" and "GD" in err["allowed"]
    err = post(client, {"dataset": "demo", "region": "GD", "scenario": "nope"}, status=400)
    assert err["param"] == "scenario" and "clean-power" in err["allowed"]
    err = get(client, "/api/roadmap?dataset=demo&region=ZZ", status=400)
    assert err["param"] == "region"
    err = get(client, "/api/roadmap?dataset=demo&scenario=nope", status=400)
    assert err["param"] == "scenario"
    err = get(client, "/api/roadmap?dataset=nope", status=400)
    assert err["param"] == "dataset"
    err = post(client, {"dataset": "demo", "levers": "x"}, status=400)
    assert err["param"] == "levers"
    err = post(client, {"dataset": "demo", "colour": "red"}, status=400)
    assert err["param"] == "body" and "levers" in err["allowed"]
    err = post(client, {"dataset": "demo", "replace": "yes"}, status=400)
    assert err["param"] == "replace"
    r = client.post("/api/roadmap", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_chinese_payload_and_the_nation(client: TestClient) -> None:
    zh = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=clean-power&lang=zh-Hans&parts=core")
    assert zh["region_label"] == "广东" and zh["scenario"]["title"] == "清洁电力与电气化"
    assert all(c["status_label"] in ("达成", "未达成", "无法检验", "跳过") for c in zh["targets"]["checks"])
    cn = get(client, "/api/roadmap?dataset=demo&region=CN&scenario=clean-power")
    assert cn["region"] == "CN" and cn["levers"] is None and cn["partners"] is None
    close(cn["pathways"]["scenario"]["pba"],
          list(np.add(cn["pathways"]["scenario"]["sectors"], cn["pathways"]["scenario"]["households"])))


def test_parse_levers_reuses_the_scenario_rules() -> None:
    (lv,) = parse_levers([{"kind": "electrification", "group": "transport", "share": 0.5, "from": 2021, "to": 2060}])
    assert lv.sectors == ("group:transport",) and lv.share == 0.5 and lv.regions is None
    with pytest.raises(ScenarioError) as e:
        parse_levers([{"kind": "electrification", "sector": "HH", "share": 0.5, "from": 2021, "to": 2060}])
    assert e.value.field == "levers[0].sectors"
    with pytest.raises(ScenarioError) as e:
        parse_levers([{"kind": "power", "cut": 0.5, "from": 2021, "to": 2055}, 3])
    assert e.value.field == "levers[1]"


def test_openapi_documents_the_route(client: TestClient) -> None:
    spec = get(client, "/api/openapi.json")
    assert {"get", "post"} <= set(spec["paths"]["/api/roadmap"])


def test_a_bad_post_saves_nothing(client: TestClient) -> None:
    # a bad POST saves nothing: the catalog generation is unchanged
    before = client.app.state.workspace.state().generation  # type: ignore[attr-defined]
    post(client, {"dataset": "demo", "levers": [{"kind": "power"}]}, status=400)
    assert client.app.state.workspace.state().generation == before  # type: ignore[attr-defined]


def test_lever_json_reads_back_through_parse_levers() -> None:
    # every shipped scenario's levers, written as the payload writes them, parse to the same levers
    for sc in shipped_scenarios():
        back = parse_levers([lever_json(lv) for lv in sc.levers])
        assert [(b.kind, b.start, b.end, b.regions, b.sectors, b.categories, b.inputs, b.users, b.input_regions,
                 b.rate, b.cut, b.share, b.label) for b in back] == \
               [(a.kind, a.start, a.end, a.regions, a.sectors, a.categories, a.inputs, a.users, a.input_regions,
                 a.rate, a.cut, a.share, a.label) for a in sc.levers], sc.id


@pytest.mark.parametrize("region", ["GD", "CN"])
def test_the_band_holds_the_pathway_and_is_ordered(client: TestClient, clean_power: Any, region: str) -> None:
    core = get(client, f"/api/roadmap?dataset=demo&region={region}&scenario=clean-power&parts=core")
    b = get(client, f"/api/roadmap?dataset=demo&region={region}&scenario=clean-power&parts=band")["band"]
    assert b["years"] == core["years"]
    assert b["draws"] == 1000 and b["method"] == "exact" and b["unit"] == "mt"
    close(b["deterministic"], core["pathways"]["scenario"]["pba"])
    p = {k: np.asarray(b[k]) for k in ("p5", "p25", "p50", "p75", "p95")}
    assert np.all(p["p5"] <= p["p25"]) and np.all(p["p25"] <= p["p50"])
    assert np.all(p["p50"] <= p["p75"]) and np.all(p["p75"] <= p["p95"])
    det = np.asarray(b["deterministic"])
    assert np.all(p["p5"] <= det + 1e-9) and np.all(det <= p["p95"] + 1e-9)
    assert p["p95"][-1] > p["p5"][-1], "the band has a width by 2060"
    assert "1000" in b["note"]


def test_a_slider_gets_its_own_band(client: TestClient) -> None:
    body = {"dataset": "demo", "region": "GD", "scenario": "baseline",
            "levers": [{"kind": "power", "cut": 0.8, "from": 2021, "to": 2055}]}
    edited = post(client, {**body, "parts": "band"})["band"]
    base = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=baseline&parts=band")["band"]
    assert edited["p50"][-1] < base["p50"][-1]


SAVED = """[scenario]
id = "my-plan"
title_en = "My plan"
description_en = "Guangdong's power sector cuts 60 % by 2050"

[[lever]]
kind = "power"
regions = ["GD"]
cut = 0.6
from = 2021
to = 2050
"""


def test_saved_scenarios_are_offered_and_follow_the_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A scenario saved in the store is in the tab's picker and computes; deleting it is
    seen by the next request (the saved list is read once per store generation)."""
    folder = tmp_path_factory.mktemp("rm-saved")
    store_path = folder / "store.duckdb"
    toml = folder / "my.toml"
    toml.write_text(SAVED, encoding="utf-8")
    store = open_store(store_path)
    save_scenario(store, toml)
    c = TestClient(create_app(allowed_hosts=("testserver",), store_path=store_path), raise_server_exceptions=False)
    core = get(c, "/api/roadmap?dataset=demo&region=GD&scenario=my-plan&parts=core")
    assert "my-plan" in [s["id"] for s in core["scenarios"]]
    base = get(c, "/api/roadmap?dataset=demo&region=GD&scenario=baseline&parts=core")
    assert core["pathways"]["scenario"]["pba"][-1] < base["pathways"]["scenario"]["pba"][-1]
    delete_scenario(store, "my-plan")
    err = get(c, "/api/roadmap?dataset=demo&region=GD&scenario=my-plan&parts=core", status=400)
    assert err["param"] == "scenario" and "my-plan" not in err["allowed"]


def test_target_sources_are_in_the_page_language(client: TestClient) -> None:
    """A Chinese page cites the targets in Chinese (the shipped file has both texts)."""
    en = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=baseline&parts=core&lang=en")
    zh = get(client, "/api/roadmap?dataset=demo&region=GD&scenario=baseline&parts=core&lang=zh-Hans")
    by_id = {c["id"]: c["source"] for c in en["targets"]["checks"]}
    assert by_id
    for c in zh["targets"]["checks"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in c["source"]), c["id"]
        assert c["source"] != by_id[c["id"]]
