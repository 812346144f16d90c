"""The JSON API through FastAPI's TestClient (httpx): every endpoint, good and bad
parameters, numbers checked against the analysis engine and accounting identities."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from mrio_fixtures import random_mrio, write_fixture
from viscarbon.analysis.indicators import INDICATORS
from viscarbon.calc.network import prune_edges
from viscarbon.classification import region_codes
from viscarbon.demo import demo_dataset
from viscarbon.web.app import create_app

pytestmark = pytest.mark.xdist_group("web_api")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one small MRIO (BJ, TJ, XZ; no inventory, no CO2 row: carbon unknown)."""
    from viscarbon.ingest import import_files

    folder = tmp_path_factory.mktemp("web_api_store")
    path = folder / "store.duckdb"
    table = random_mrio(("BJ", "TJ", "XZ"), year=2017, seed=3, co2=False)
    wb = write_fixture(table, folder, layout="2012-2017")
    import_files(path, "ceads-mrio", [wb], name="mini")
    return path


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(allowed_hosts=("testserver",), store_path=store), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def engine(client: TestClient) -> Any:
    return client.app.state.workspace  # type: ignore[attr-defined]


def get(client: TestClient, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:500])
    return r.json()


# --------------------------------------------------------------------------- basics
def test_health(client: TestClient) -> None:
    assert get(client, "/api/health") == {"status": "ok"}


def test_meta_lists_the_demo_first_then_the_store(client: TestClient) -> None:
    meta = get(client, "/api/meta")
    names = [d["name"] for d in meta["datasets"]]
    assert names == ["demo", "mini"]
    demo = meta["datasets"][0]
    assert demo["years"] == [2012, 2015, 2017] and demo["synthetic"] is True and demo["banner"]
    assert demo["inventory_years"] == list(demo_dataset().inventory_years)
    assert meta["datasets"][1]["regions"] == ["BJ", "TJ", "XZ"] and meta["datasets"][1]["kind"] == "ceads-mrio"
    assert [r["code"] for r in meta["regions"]] == list(region_codes())
    assert [i["code"] for i in meta["indicators"]] == list(INDICATORS)
    assert {i["code"]: i["unit_label"] for i in meta["indicators"]}["intensity"] == "t CO2 per 10,000 yuan"
    # real data first: the page opens on the most recently imported real dataset, with a
    # hint of what else to import (mini has no inventory and one year)
    assert meta["defaults"] == {"dataset": "mini", "year": 2017, "region": "BJ", "indicator": "output",
                                "mode": "money", "top": 5, "keep": 0}
    assert meta["synthetic"] is False and meta["dataset"] == "mini" and meta["banner"] is None
    assert meta["hint"].startswith("mini: ") and "ceads-inventory" in meta["hint"] and "table year" in meta["hint"]
    zh = get(client, "/api/meta?lang=zh")
    assert zh["lang"] == "zh-Hans" and {r["code"]: r["option"] for r in zh["regions"]}["GD"] == "GD:广东"


# --------------------------------------------------------------------------- view
def test_view_bundle_holds_the_engine_numbers(client: TestClient, engine: Any) -> None:
    view = get(client, "/api/view?dataset=demo&year=2017&region=GD")
    assert view["key"] == "view/demo/2017/GD" and view["S"] == 42
    assert view["synthetic"] is True and view["banner"] and view["citation"] == demo_dataset().citation
    assert view["units"]["10k_yuan"] == "10,000 yuan" and view["units"]["mt"] == "Mt CO2"
    table = demo_dataset().table(2017)
    block = table.Z[table.region_slice("GD"), table.region_slice("GD")]
    assert view["links"]["money"]["values"] == block.ravel().tolist()
    net = engine.year("demo", 2017).network("GD", mode="carbon")
    assert view["links"]["carbon"]["values"] == net.block.ravel().tolist()
    assert view["links"]["carbon"]["rank"] == net.rank.ravel().tolist()
    si = engine.year("demo", 2017).sector_indicators("GD")
    for code in INDICATORS:
        got = [n["indicators"][code]["value"] for n in view["nodes"]]
        np.testing.assert_array_equal(np.array(got, dtype=float), si[code].value)
        assert [n["indicators"][code]["rank"] for n in view["nodes"]] == si[code].rank.tolist()
    co2 = np.array([n["indicators"]["co2"]["value"] for n in view["nodes"]])
    assert sum(n["indicators"]["co2"]["share"] for n in view["nodes"]) == pytest.approx(1.0)
    top = int(np.argmax(co2))
    assert view["nodes"][top]["emitter_rank"] == 1
    assert view["nodes"][top]["by_mode"]["carbon"]["pagerank"]["value"] == pytest.approx(
        float(net.nodes["pagerank"].value[top]))
    rec = demo_dataset().reconciliation(2017).as_records()
    gd = next(r for r in rec if r["region"] == "GD")
    assert view["reconciliation"]["inventory_mt"] == pytest.approx(gd["inventory_total_mt"])
    assert view["reconciliation"]["mapped_mt"] == pytest.approx(gd["mapped_total_mt"])
    assert view["status"] == "reported" and view["status_note"] is None
    tibet = get(client, "/api/view?year=2017&region=XZ")
    assert tibet["status"] == "imputed" and "Tibet" in tibet["status_note"]


@pytest.mark.parametrize(("region", "mode", "top", "keep"),
                         [("GD", "money", 5, 0), ("GD", "carbon", 5, 3), ("SX", "carbon", 2, 10),
                          ("BJ", "money", 1, 42)])
def test_client_pruning_of_the_view_equals_the_network_endpoint(client: TestClient, region: str, mode: str,
                                                                top: float, keep: int) -> None:
    view = get(client, f"/api/view?year=2015&region={region}")
    net = get(client, f"/api/network?year=2015&region={region}&mode={mode}&top={top}&keep={keep}")
    S = view["S"]
    values = np.array(view["links"][mode]["values"]).reshape(S, S)
    co2 = np.array([n["indicators"]["co2"]["value"] for n in view["nodes"]])
    kept = prune_edges(values, top_percent=top, emissions=co2, keep_top_emitters=keep)
    mine = [(int(c), bool(a)) for c, a in zip(kept.cells.tolist(), kept.added.tolist(), strict=True)]
    theirs = [(view["sectors"].index(e["source"]) * S + view["sectors"].index(e["target"]), e["kept_for_emitter"])
              for e in net["edges"]]
    assert mine == theirs
    assert net["edge_count"] == len(net["edges"]) and net["n_top"] == int(top * S * S / 100 + 1e-9)
    # the view's rank array gives the same first cells
    rank = np.array(view["links"][mode]["rank"])
    n = net["n_top"]
    assert [c for c, added in theirs if not added] == [int(c) for c in np.argsort(rank)[:n]]
    # the view's per-cell array is a 0-based order; the edges' rank is 1-based (1 = largest)
    assert [e["rank"] for e in net["edges"]] == [int(rank[c]) + 1 for c, _ in theirs]


def test_edge_ranks_start_at_1_in_network_and_flows(client: TestClient) -> None:
    net = get(client, "/api/network?year=2017&region=GD&mode=money&top=5")
    assert [e["rank"] for e in net["edges"]] == list(range(1, 89))
    flows = get(client, "/api/flows?year=2017&region=GD&mode=money&limit=5")
    assert [r["rank"] for r in flows["rows"]] == [1, 2, 3, 4, 5]
    assert flows["rows"][0]["value"] == net["edges"][0]["value"]
    view = get(client, "/api/view?year=2017&region=GD")
    assert min(view["links"]["money"]["rank"]) == 0  # the per-cell order the front end prunes with


def test_compare_of_two_non_competitive_tables_has_no_imports_note(client: TestClient) -> None:
    p = get(client, "/api/compare?a=demo:2012:GD&b=demo:2017:GD")
    assert p["imports_mismatch"] is False and p["imports_note"] is None


def test_network_keeps_88_edges_and_the_top_emitter(client: TestClient) -> None:
    net = get(client, "/api/network?region=GD&mode=money&top=5&keep=1")
    plain = [e for e in net["edges"] if not e["kept_for_emitter"]]
    assert len(plain) == 88 and net["n_top"] == 88
    view = get(client, "/api/view?region=GD")
    top = next(n["code"] for n in view["nodes"] if n["emitter_rank"] == 1)
    assert any(top in (e["source"], e["target"]) for e in net["edges"])


def test_missing_region_is_flagged_and_carbon_unknown(client: TestClient) -> None:
    view = get(client, "/api/view?dataset=mini&region=XZ")
    assert view["status"] == "missing" and "Tibet" in view["status_note"]
    assert view["links"]["carbon"] is None
    assert all(n["indicators"]["co2"]["value"] is None for n in view["nodes"])
    assert all(n["emitter_rank"] is None for n in view["nodes"])
    assert view["nodes"][0]["indicators"]["output"]["value"] is not None
    net = get(client, "/api/network?dataset=mini&region=XZ&mode=carbon&keep=3")
    assert net["edges"] == [] and net["status"] == "missing"
    money = get(client, "/api/network?dataset=mini&region=XZ&mode=money&keep=3")
    assert len(money["edges"]) == 88 and not any(e["kept_for_emitter"] for e in money["edges"])
    prov = get(client, "/api/provinces?dataset=mini&indicator=co2")
    assert [r["value"] for r in prov["rows"]] == [None, None, None]
    assert all(r["status"] == "missing" for r in prov["rows"])
    inv = get(client, "/api/inventory-trend?dataset=mini&region=BJ")
    assert inv["available"] is False and "mini" in inv["note"]


# --------------------------------------------------------------------------- tables
def test_sectors_table(client: TestClient, engine: Any) -> None:
    out = get(client, "/api/sectors?region=SD&year=2012&lang=zh-Hans")
    assert len(out["rows"]) == 42 and out["lang"] == "zh-Hans"
    si = engine.year("demo", 2012).sector_indicators("SD")
    assert [r["output"] for r in out["rows"]] == si["output"].value.tolist()
    assert [r["co2_percentile"] for r in out["rows"]] == si["co2"].percentile.tolist()
    assert {c["key"] for c in out["columns"]} == set(INDICATORS)
    assert out["rows"][0]["label"] == "农林牧渔产品和服务"


def test_flows_filters_and_edge_count(client: TestClient) -> None:
    table = demo_dataset().table(2017)
    block = table.Z[table.region_slice("GD"), table.region_slice("GD")]
    out = get(client, "/api/flows?region=GD&limit=1764")
    assert out["edge_count"] == int((block != 0).sum()) == out["returned"]
    assert out["rows"][0]["value"] == block.max()
    excl = get(client, "/api/flows?region=GD&intra=exclude")
    assert excl["edge_count"] == int((block != 0).sum() - (np.diag(block) != 0).sum())
    only = get(client, "/api/flows?region=GD&intra=only")
    assert all(r["intra"] for r in only["rows"]) and only["edge_count"] == int((np.diag(block) != 0).sum())
    f = get(client, "/api/flows?region=GD&from=25&to=14")
    assert f["edge_count"] == 1 and f["rows"][0]["value"] == block[24, 13]
    big = float(np.sort(block.ravel())[-10])
    m = get(client, f"/api/flows?region=GD&min={big!r}")
    assert m["edge_count"] == 10
    carbon = get(client, "/api/flows?region=GD&mode=carbon&limit=5")
    assert carbon["unit"] == "mt" and carbon["returned"] == 5


def test_provinces_add_up_to_the_accounts(client: TestClient, engine: Any) -> None:
    out = get(client, "/api/provinces?year=2017&indicator=co2")
    assert len(out["rows"]) == 31 and out["unit"] == "mt"
    acc = engine.year("demo", 2017).accounts()
    prod = sum(r["production_mt"] for r in out["rows"])
    cons = sum(r["consumption_mt"] for r in out["rows"])
    assert prod == pytest.approx(sum(v for v in acc.production_based if v is not None))
    # Σ consumption-based + Σ embodied in exports = Σ production-based
    assert cons + float(acc.embodied_in_exports.sum()) == pytest.approx(prod, rel=1e-9)
    assert sorted(r["rank"] for r in out["rows"]) == list(range(1, 32))
    assert {r["code"]: r["tile"] for r in out["rows"]}["GD"] == [6, 4]
    inten = get(client, "/api/provinces?year=2017&indicator=intensity")
    gd = next(r for r in inten["rows"] if r["code"] == "GD")
    gd_co2 = next(r for r in out["rows"] if r["code"] == "GD")
    gd_out = next(r for r in get(client, "/api/provinces?year=2017&indicator=output")["rows"] if r["code"] == "GD")
    assert gd["value"] == pytest.approx(gd_co2["value"] * 1e6 / gd_out["value"])


def test_trade_matrix_net_transfers_and_electricity(client: TestClient, engine: Any) -> None:
    out = get(client, "/api/trade?year=2017&region=GD")
    M = np.array(out["matrix"])
    assert M.shape == (31, 31) and out["regions"] == list(region_codes())
    np.testing.assert_allclose(M, engine.year("demo", 2017).trade().matrix)
    assert sum(n["value"] for n in out["net_transfer"]) == pytest.approx(0.0, abs=1e-6)
    gd = out["regions"].index("GD")
    assert out["partners"]["region"] == "GD" and len(out["partners"]["emitted_for_others"]) == 10
    assert out["partners"]["others_emit_for"][0]["value"] == max(M[r, gd] for r in range(31) if r != gd)
    el = out["electricity"]
    assert sum(e["adjusted_mt"] for e in el) == pytest.approx(sum(e["production_mt"] for e in el), rel=1e-9)
    assert get(client, "/api/trade?year=2017")["partners"] is None


def test_trends_and_inventory_trend(client: TestClient) -> None:
    out = get(client, "/api/trends?region=GD&indicator=co2&top=5")
    assert out["years"] == [2012, 2015, 2017] and len(out["series"]) == 5
    view = get(client, "/api/view?region=GD&year=2017")
    co2 = {n["code"]: n["indicators"]["co2"]["value"] for n in view["nodes"]}
    last = [s["values"][-1] for s in out["series"]]
    assert last == sorted(co2.values(), reverse=True)[:5]
    assert last == [co2[s["code"]] for s in out["series"]]
    assert len(get(client, "/api/trends?region=GD&indicator=output&top=0")["series"]) == 42
    inv = get(client, "/api/inventory-trend?region=GD&top=3")
    assert inv["available"] is True and inv["years"] == list(demo_dataset().inventory_years)
    assert len(inv["series"]) == 3 and len(inv["total"]) == len(inv["years"])
    rec = demo_dataset().reconciliation(2017).as_records()
    gd = next(r for r in rec if r["region"] == "GD")
    assert inv["total"][inv["years"].index(2017)] == pytest.approx(gd["inventory_total_mt"], rel=1e-9)


def test_compare_two_years(client: TestClient) -> None:
    out = get(client, "/api/compare?a=demo:2012:GD&b=demo:2017:GD")
    a = get(client, "/api/view?year=2012&region=GD")
    b = get(client, "/api/view?year=2017&region=GD")
    co2 = next(t for t in out["totals"] if t["indicator"] == "co2")
    sa = sum(n["indicators"]["co2"]["value"] for n in a["nodes"])
    sb = sum(n["indicators"]["co2"]["value"] for n in b["nodes"])
    assert co2["a"] == pytest.approx(sa) and co2["diff"] == pytest.approx(sb - sa)
    assert out["rows"][24]["co2_diff"] == pytest.approx(b["nodes"][24]["indicators"]["co2"]["value"]
                                                        - a["nodes"][24]["indicators"]["co2"]["value"])
    two = get(client, "/api/compare?a=demo:2017:GD&b=mini:2017:BJ")
    assert two["synthetic"] is True and "|" in two["dataset"]


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("url", "param", "allowed"),
    [
        ("/api/view?region=XX", "region", "GD"),
        ("/api/view?year=1999", "year", "2017"),
        ("/api/view?dataset=nope", "dataset", "mini"),
        ("/api/view?dataset=mini&region=GD", "region", "XZ"),
        ("/api/view?lang=fr", "lang", "zh-Hans"),
        ("/api/network?mode=cash", "mode", "carbon"),
        ("/api/network?top=0", "top", None),
        ("/api/network?top=101", "top", None),
        ("/api/network?keep=x", "keep", None),
        ("/api/network?keep=43", "keep", None),
        ("/api/provinces?indicator=gdp", "indicator", "betweenness"),
        ("/api/trends?indicator=gdp", "indicator", "pagerank"),
        ("/api/trends?top=-1", "top", None),
        ("/api/flows?from=99", "from", "42"),
        ("/api/flows?intra=maybe", "intra", "exclude"),
        ("/api/flows?min=abc", "min", None),
        ("/api/compare?a=demo:2017:GD", "b", None),
        ("/api/compare?a=demo:2016:GD&b=demo:2017:GD", "a.year", "2015"),
    ],
)
def test_bad_parameters_get_400_naming_the_allowed_values(client: TestClient, url: str, param: str,
                                                          allowed: str | None) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["param"] == param and body["error"]
    if allowed is not None:
        assert allowed in body["allowed"] and allowed in body["error"]
    assert get(client, "/api/health") == {"status": "ok"}  # still serving


def test_errors_are_localised_and_unknown_paths_404(client: TestClient) -> None:
    body = get(client, "/api/view?region=XX&lang=zh", status=400)
    assert body["error"].startswith("未知的省份“XX”") and "GD" in body["error"]
    assert "no such page" in get(client, "/api/nothing", status=404)["error"]
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


# --------------------------------------------------------------------------- page, docs, gzip
def test_page_is_rendered_with_boot_data(client: TestClient) -> None:
    for lang, code in (("en", "en"), ("zh", "zh-Hans")):
        r = client.get(f"/?lang={lang}")
        assert r.status_code == 200
        page = r.text
        assert f'<html lang="{code}">' in page
        assert '<script src="/static/dist/app.js"></script>' in page
        assert f'<script src="/boot.js?lang={code}"></script>' in page and "<script>" not in page
        script = client.get(f"/boot.js?lang={code}")
        assert script.headers["content-type"].startswith("text/javascript")
        text = script.text
        start = text.index("window.VISCARBON_BOOT = ") + len("window.VISCARBON_BOOT = ")
        boot = json.loads(text[start:text.rindex(";")])
        assert boot["mode"] == "server" and boot["lang"] == code and boot["apiBase"] == "/api"
        assert boot["meta"]["datasets"][0]["name"] == "demo"
        assert "api.error.unknown_value" in boot["catalog"] and "common.app_name" in boot["catalog"]
        assert "http://" not in page and "https://" not in page.replace("https://ceads", "")


def test_self_hosted_api_docs(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert "/static/dist/swagger/swagger-ui-bundle.js" in r.text and "/static/api-docs.js" in r.text
    assert "http://" not in r.text and "https://" not in r.text and "<script>" not in r.text
    start = client.get("/static/api-docs.js").text
    assert "/api/openapi.json" in start and "validatorUrl: null" in start
    schema = get(client, "/api/openapi.json")
    paths = set(schema["paths"])
    for p in ("/api/health", "/api/meta", "/api/view", "/api/network", "/api/sectors", "/api/flows",
              "/api/provinces", "/api/trade", "/api/trends", "/api/inventory-trend", "/api/compare",
              "/api/inventory"):
        assert p in paths
    names = {p["name"] for p in schema["paths"]["/api/flows"]["get"]["parameters"]}
    assert {"from", "to", "intra", "min"} <= names


def test_responses_are_gzip_compressed(client: TestClient) -> None:
    r = client.get("/api/view?region=HE", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"
    raw = client.get("/api/view?region=HE", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content) / 2
    assert r.json() == raw.json()


def test_first_factorisation_of_a_year_is_computed_once_under_concurrency(store: Path) -> None:
    app = create_app(allowed_hosts=("testserver",), store_path=store)
    c = TestClient(app)
    engine = app.state.workspace
    before = engine.factorizations
    results: list[int] = []

    def hit(region: str) -> None:
        results.append(c.get(f"/api/view?year=2015&region={region}").status_code)

    threads = [threading.Thread(target=hit, args=(r,)) for r in ("GD", "BJ", "SH", "SX", "NM", "JS")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [200] * 6
    assert engine.factorizations - before == 1


def test_view_notes_follow_the_language(client: TestClient) -> None:
    en = client.get("/api/view", params={"dataset": "demo", "year": 2017, "region": "GD", "lang": "en"}).json()
    zh = client.get("/api/view", params={"dataset": "demo", "year": 2017, "region": "GD", "lang": "zh"}).json()
    assert en["notes"] and zh["notes"]
    assert en["notes"][0] != zh["notes"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["notes"][0])
