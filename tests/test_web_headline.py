"""The headline strip's figures (``/api/headline`` and the ``headline`` block of
``/api/view``) against numbers computed here, independently, from the accounts and the
tables of the analysis (three provinces, two years of the demo)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from viscarbon.analysis import Workspace
from viscarbon.web.app import create_app

pytestmark = pytest.mark.xdist_group("web_headline")

CASES = [(r, y) for r in ("GD", "BJ", "XJ") for y in (2015, 2017)]


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace()


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(workspace=ws, allowed_hosts=("testserver",)), raise_server_exceptions=False)


def expected(ws: Workspace, region: str, year: int, previous: int) -> dict[str, Any]:
    """The figures from the accounts: PBA = industries + households (Mt), GDP = Σ value
    added of the province's sectors (10,000 yuan), intensity = 10⁶·PBA/GDP (t per 10,000
    yuan), rank by PBA, share of Σ PBA, change of intensity since ``previous``."""
    def figures(y: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        ya = ws.year("demo", y)
        acc = ya.accounts()
        t = ya.table
        pba = np.array(acc.production_based, dtype=float)
        gdp = np.array([t.V[:, t.region_slice(c)].sum() for c in t.regions.codes])
        return pba, acc.arrays.households, acc.consumption_based, gdp

    pba, hh, cba, gdp = figures(year)
    r = ws.year("demo", year).table.regions.index(region)
    p_pba, _, _, p_gdp = figures(previous)
    inten = pba[r] * 1e6 / gdp[r]
    p_inten = p_pba[r] * 1e6 / p_gdp[r]
    order = sorted(range(pba.size), key=lambda i: (-pba[i], i))
    return {"production_mt": pba[r], "households_mt": hh[r], "industry_mt": pba[r] - hh[r],
            "consumption_mt": cba[r], "gdp_10k_yuan": gdp[r], "intensity_t_per_10k_yuan": inten,
            "previous_intensity_t_per_10k_yuan": p_inten, "intensity_change": inten / p_inten - 1,
            "rank": order.index(r) + 1, "share_of_nation": pba[r] / pba.sum(), "national_mt": pba.sum()}


@pytest.mark.parametrize(("region", "year"), CASES)
def test_headline_equals_the_accounts(client: TestClient, ws: Workspace, region: str, year: int) -> None:
    previous = {2015: 2012, 2017: 2015}[year]
    r = client.get(f"/api/headline?region={region}&year={year}")
    assert r.status_code == 200, r.text
    body = r.json()
    h = body["headline"]
    assert body["synthetic"] is True and body["banner"]
    assert h["previous_year"] == previous and h["ranked"] == 31 and h["status"] == "reported"
    for key, value in expected(ws, region, year, previous).items():
        assert h[key] == pytest.approx(value, rel=1e-9), key
    # the parts add up to the one total
    assert h["industry_mt"] + h["households_mt"] == pytest.approx(h["production_mt"], rel=1e-12)
    # the province-year bundle carries the same block (one request per province-year)
    view = client.get(f"/api/view?region={region}&year={year}").json()
    assert view["headline"] == h


def test_first_year_has_no_change(client: TestClient) -> None:
    h = client.get("/api/headline?region=GD&year=2012").json()["headline"]
    assert h["previous_year"] is None and h["intensity_change"] is None
    assert h["intensity_t_per_10k_yuan"] > 0


def test_headline_bad_region_is_a_400_naming_the_allowed(client: TestClient) -> None:
    r = client.get("/api/headline?region=QQ")
    assert r.status_code == 400
    body = r.json()
    assert body["param"] == "region" and "GD" in body["allowed"]


def test_provinces_rows_name_the_households_part(client: TestClient, ws: Workspace) -> None:
    body = client.get("/api/provinces?indicator=co2&year=2017").json()
    hh = ws.year("demo", 2017).accounts().arrays.households
    for i, row in enumerate(body["rows"]):
        assert row["households_mt"] == pytest.approx(hh[i], rel=1e-12)
        assert row["value"] + row["households_mt"] == pytest.approx(row["production_mt"], rel=1e-9)
