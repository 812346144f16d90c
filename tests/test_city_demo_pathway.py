"""The City tab's pathway panel on the embedded demo: the demo's city table goes with the
provincial demo (the concordance's real city lists; the other module patches them)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from viscarbon.web.app import create_app

pytestmark = pytest.mark.xdist_group("roadmap")


def test_the_demo_city_table_goes_with_the_demo() -> None:
    """On the embedded demo (no store): the demo's synthetic city table (a city dataset of
    the catalog, not an IO dataset of the provincial tabs) gets pathways reconciled to the
    provincial demo: Guangdong covered completely, Sichuan partly, the parts adding up."""
    with TestClient(create_app(allowed_hosts=("testserver",))) as c:
        gz = c.get("/api/city-pathway", params={"dataset": "demo-city", "city": "440100"})
        assert gz.status_code == 200, gz.text
        d = gz.json()
        assert d["province_dataset"] == "demo" and d["status"] == "complete" and d["synthetic"] is True
        assert d["years"][0] == 2017 and d["years"][-1] == 2060
        cd = c.get("/api/city-pathway", params={"dataset": "demo-city", "city": "510100", "lang": "zh-Hans"}).json()
        assert cd["status"] == "partial" and "部分" in cd["note"]
        cov = cd["coverage"]
        assert cov["k"] == 8 and cov["n"] == 21 and len(cov["missing"]) == 13
        # the provincial tabs do not take the city table
        assert c.get("/api/view", params={"dataset": "demo-city", "region": "GD", "year": 2017}).status_code == 400
