"""The City tab's data: the demo's synthetic city table (sums over a completely covered
province equal the province's demo figures), the city-year service (headline identities,
partner flows), the view-models, and ``/api/city-view`` / ``/api/cities`` (one request
returns everything; 4xx for an unknown dataset, year or city); a city MRIO imported into a
store is listed beside the demo's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from city_fixtures import city_arrays, mat_variables, write_mat_v5
from viscarbon.analysis import Workspace
from viscarbon.classification import province_cities
from viscarbon.datasets import DEMO_CITY
from viscarbon.demo import demo_dataset
from viscarbon.demo.city import (
    COMPLETE,
    PARTIAL,
    PARTIAL_CITIES,
    demo_city_coverage,
    demo_city_system,
)
from viscarbon.ingest import import_files
from viscarbon.web.app import create_app
from viscarbon.web.views.city import city_view_payload, partners_block, tile_grid

pytestmark = pytest.mark.xdist_group("city_web")
YEAR = 2017


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace()


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(workspace=ws, allowed_hosts=("testserver",)), raise_server_exceptions=False)


# --------------------------------------------------------------------------- demo city data
def test_demo_city_covers_complete_provinces_and_part_of_one() -> None:
    cov = demo_city_coverage()
    codes = [c.code for c in cov.cities]
    for p in COMPLETE:
        assert [c.code for c in province_cities(p)] == [c.code for c in cov.cities if c.province == p]
    sc = [c for c in cov.cities if c.province == PARTIAL]
    assert len(sc) == min(PARTIAL_CITIES, len(province_cities(PARTIAL))) and len(sc) > 0
    assert len(codes) == len(set(codes))
    assert len(codes) * 42 <= 2600


@pytest.mark.parametrize("year", [2012, 2017])
def test_sums_over_a_complete_province_equal_the_province(year: int) -> None:
    demo = demo_dataset().system(year)
    city = demo_city_system(year)
    prov_t, city_t = demo.table, city.table
    S = prov_t.n_sectors
    F_p = np.asarray(demo.satellite("CO2").F).sum(axis=0)
    F_c = np.asarray(city.satellite("CO2").F).sum(axis=0)
    K = len(prov_t.fd_categories)
    FY_p = np.asarray(demo.satellite("CO2").F_Y).sum(axis=0)
    FY_c = np.asarray(city.satellite("CO2").F_Y).sum(axis=0)
    provinces = [c.province for c in demo_city_coverage().cities]
    for p in COMPLETE:
        sl = prov_t.region_slice(p)
        rows = np.concatenate([np.arange(k * S, (k + 1) * S) for k, q in enumerate(provinces) if q == p])
        ks = [k for k, q in enumerate(provinces) if q == p]
        # by sector: output, value added, CO2
        x_c = city_t.x[rows].reshape(-1, S).sum(axis=0)
        assert x_c == pytest.approx(prov_t.x[sl], rel=1e-12)
        va_c = city_t.V[:, rows].sum(axis=0).reshape(-1, S).sum(axis=0)
        assert va_c == pytest.approx(prov_t.V[:, sl].sum(axis=0), rel=1e-12)
        assert F_c[rows].reshape(-1, S).sum(axis=0) == pytest.approx(F_p[sl], rel=1e-12, abs=1e-15)
        r = prov_t.regions.index(p)
        hh_c = sum(FY_c[k * K:(k + 1) * K].sum() for k in ks)
        assert hh_c == pytest.approx(FY_p[r * K:(r + 1) * K].sum(), rel=1e-12)
    # the partial province: less than the province
    assert len(province_cities(PARTIAL)) > PARTIAL_CITIES
    sl = prov_t.region_slice(PARTIAL)
    rows = np.concatenate([np.arange(k * S, (k + 1) * S) for k, q in enumerate(provinces) if q == PARTIAL])
    assert city_t.x[rows].sum() < prov_t.x[sl].sum()


def test_demo_city_sizes_rank_capital_then_the_large_cities() -> None:
    t = demo_city_system(YEAR).table
    out = t.x.reshape(t.n_regions, t.n_sectors).sum(axis=1)
    size = dict(zip(t.regions.codes, out, strict=True))
    for p, capital, second in (("GD", "440100", "440300"), ("JS", "320100", "320500"), ("ZJ", "330100", "330200")):
        others = sorted((size[c.code] for c in province_cities(p) if c.code != capital), reverse=True)
        assert size[capital] > others[0]
        assert size[second] == others[0]


def test_demo_city_table_is_balanced_and_synthetic() -> None:
    t = demo_city_system(YEAR).table
    assert t.synthetic and t.regions.list_id == "cn_city"
    assert np.all(t.EX >= 0) and np.all(t.IM >= 0)
    assert t.Z.sum(axis=1) + t.Y.sum(axis=1) + t.EX == pytest.approx(t.x, rel=1e-9)
    assert t.Z.sum(axis=0) + t.V.sum(axis=0) + t.IM == pytest.approx(t.x, rel=1e-9)


def test_demo_city_is_listed_apart_from_the_provincial_datasets(ws: Workspace) -> None:
    assert [d.name for d in ws.city_datasets()] == [DEMO_CITY]
    assert DEMO_CITY not in [d.name for d in ws.datasets()]
    info = ws.city_datasets()[0]
    assert info.synthetic and info.kind == "demo-city"


# --------------------------------------------------------------------------- service identities
def test_cba_and_exports_add_up_to_pba(ws: Workspace) -> None:
    cy = ws.city_year(DEMO_CITY, YEAR)
    tot = cy.totals()
    assert np.nansum(tot["consumption"]) + float(tot["exports_mt"]) == pytest.approx(np.nansum(tot["production"]),
                                                                                     rel=1e-9)
    # x = L y through the solver reproduces the table's output
    t = demo_city_system(YEAR).table
    assert cy.x == pytest.approx(t.x, rel=1e-12)


def test_partner_flows_add_to_embodied_imports_and_exports(ws: Workspace) -> None:
    cy = ws.city_year(DEMO_CITY, YEAR)
    R = cy.n_regions
    for city in cy.cities[:5]:
        r = cy.index(city)
        pt = cy.partners(city)
        imports = pt["imports"]
        exports = pt["exports"]
        assert isinstance(imports, tuple) and isinstance(exports, tuple)
        assert len(imports) <= 10 and city not in [p.code for p in imports]
        listed_i = sum(p.value_mt for p in imports)
        assert listed_i + pt["imports_others_mt"] == pytest.approx(pt["imports_total_mt"], rel=1e-12)  # type: ignore[operator]
        listed_e = sum(p.value_mt for p in exports)
        assert listed_e + pt["exports_others_mt"] == pytest.approx(pt["exports_total_mt"], rel=1e-12)  # type: ignore[operator]
        # embodied imports = CBA − households − what the city supplies itself
        cons = cy.totals()["consumption"][r]
        assert pt["imports_total_mt"] == pytest.approx(cons - cy.households[r] - cy.transfer[r, r], rel=1e-9)
        assert pt["exports_total_mt"] == pytest.approx(cy.transfer[r, :R].sum() - cy.transfer[r, r], rel=1e-9)
        values = [p.value_mt for p in imports]
        assert values == sorted(values, reverse=True)


def test_figures_shares_of_a_complete_province_sum_to_one(ws: Workspace) -> None:
    cy = ws.city_year(DEMO_CITY, YEAR)
    figs = [f for f in cy.figures() if f.province == "GD"]
    assert all(f.complete for f in figs)
    assert sum(f.output_share_of_province or 0 for f in figs) == pytest.approx(1.0, rel=1e-12)
    assert sum(f.co2_share_of_province or 0 for f in figs) == pytest.approx(1.0, rel=1e-12)
    demo = demo_dataset().system(YEAR)
    sl = demo.table.region_slice("GD")
    assert sum(f.output_10k_yuan for f in figs) == pytest.approx(demo.table.x[sl].sum(), rel=1e-12)
    sc = [f for f in cy.figures() if f.province == PARTIAL]
    assert sc and not any(f.complete for f in sc)


def test_network_and_payload(ws: Workspace) -> None:
    cy = ws.city_year(DEMO_CITY, YEAR)
    net = cy.network(cy.cities[0])
    assert len(net.sectors) == 42 and net.edges
    assert [e.rank for e in net.edges if not e.kept_for_emitter] == sorted(e.rank for e in net.edges
                                                                           if not e.kept_for_emitter)
    info = ws.city_datasets()[0]
    body = city_view_payload(info, cy, cy.cities[0], lang="zh-Hans")
    assert body["synthetic"] and body["banner"]
    assert {"city", "headline", "network", "partners", "province"} <= set(body)
    assert len(body["network"]["nodes"]) == 42
    pb = partners_block(cy, cy.cities[0], "en")
    assert pb["imports_total_mt"] == pytest.approx(sum(p["value_mt"] for p in pb["imports"]) + pb["imports_others_mt"])


def test_tile_grid_is_a_square_ish_grid() -> None:
    g = tile_grid([str(k) for k in range(21)])
    assert max(r for r, _ in g.values()) == 4 and max(c for _, c in g.values()) == 4
    assert len(set(g.values())) == 21


# --------------------------------------------------------------------------- API
def test_one_request_returns_everything(client: TestClient) -> None:
    r = client.get(f"/api/city-view?dataset={DEMO_CITY}&year={YEAR}&city=440100&lang=en")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["available"] and body["city"]["code"] == "440100" and body["city"]["province"] == "GD"
    h = body["headline"]
    assert h["output_100m_yuan"] == pytest.approx(h["output_10k_yuan"] * 1e-4)
    assert h["production_mt"] > 0 and h["intensity_t_per_10k_yuan"] > 0
    assert len(body["network"]["nodes"]) == 42 and body["network"]["edges"]
    assert body["partners"]["imports"] and body["partners"]["exports"]
    assert all(p["province_label"] for p in body["partners"]["imports"])
    prov = body["province"]
    assert prov["complete"] and prov["coverage_note"] is None
    assert len(prov["cities"]) == len(province_cities("GD"))


def test_partial_province_says_so(client: TestClient) -> None:
    code = next(c.code for c in demo_city_coverage().cities if c.province == PARTIAL)
    body = client.get(f"/api/city-view?city={code}&lang=en").json()
    n_all = len(province_cities(PARTIAL))
    if body["province"]["n_table"] < n_all:
        assert "Sichuan" in body["province"]["coverage_note"]
        assert f"of {n_all} cities" in body["province"]["coverage_note"]


def test_cities_list(client: TestClient) -> None:
    r = client.get(f"/api/cities?dataset={DEMO_CITY}&year={YEAR}&lang=zh-Hans")
    assert r.status_code == 200, r.text
    body = r.json()
    rows = body["cities"]
    assert {"code", "zh", "en", "pinyin", "province", "covered", "tile"} <= set(rows[0])
    covered = [c for c in rows if c["covered"]]
    assert len(covered) == len(demo_city_coverage().cities)
    provs = {p["code"]: p for p in body["provinces"]}
    assert provs["GD"]["complete"] and provs["GD"]["n_table"] == provs["GD"]["n_all"]
    assert body["datasets"][0]["name"] == DEMO_CITY and body["banner"]


@pytest.mark.parametrize(("query", "param"), [
    ("dataset=nope", "dataset"), ("year=1999", "year"), ("year=abc", "year"), ("city=999999", "city"),
    ("city=GD", "city")])
def test_errors_are_4xx_naming_the_parameter(client: TestClient, query: str, param: str) -> None:
    r = client.get(f"/api/city-view?{query}")
    assert 400 <= r.status_code < 500, r.text
    body = r.json()
    assert body["error"] and body["param"] == param
    r2 = client.get(f"/api/cities?{query}")
    if param != "city":  # /api/cities takes no city
        assert 400 <= r2.status_code < 500 and r2.json()["param"] == param


def test_meta_lists_city_datasets(client: TestClient) -> None:
    meta = client.get("/api/meta").json()
    assert [d["name"] for d in meta["city_datasets"]] == [DEMO_CITY]
    assert DEMO_CITY not in [d["name"] for d in meta["datasets"]]


def test_imported_city_mrio_is_listed_and_viewed(tmp_path: Path, store_path: Path) -> None:
    arr = city_arrays(12, seed=3)
    res = import_files(store_path, "ceads-city-mrio", [write_mat_v5(tmp_path / "city_2017.mat", mat_variables(arr))])
    ws = Workspace(store_path)
    assert [d.name for d in ws.city_datasets()] == [DEMO_CITY, res.name]
    c = TestClient(create_app(workspace=ws, allowed_hosts=("testserver",)), raise_server_exceptions=False)
    body = c.get("/api/city-view").json()  # default: the imported (real) city table
    assert body["dataset"] == res.name and not body["synthetic"]
    assert body["city"]["code"] == arr.codes[0]
    assert len(body["network"]["nodes"]) == 42
    # no CO2 imported: carbon figures are unknown, not zero
    assert body["known"] is False and body["headline"]["production_mt"] is None


def test_no_city_table_is_an_empty_state() -> None:
    ws = Workspace(include_demo=False)
    c = TestClient(create_app(workspace=ws, allowed_hosts=("testserver",)), raise_server_exceptions=False)
    for route in ("/api/city-view", "/api/cities"):
        body = c.get(f"{route}?lang=en").json()
        assert body["available"] is False
        assert "viscarbon import ceads-city-mrio" in body["note"]
