"""Real data first: with a real dataset imported, the dashboard opens on the most recently
imported one (``/api/meta`` defaults, the page's boot script), its honesty block is that
dataset's, and a one-line hint says what else to import; with the demo alone, the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from store_fixtures import make_mrio
from viscarbon.io.store import Store
from viscarbon.web.app import create_app

pytestmark = pytest.mark.xdist_group("web_real_first")


def _store(path: Path) -> Path:
    s = Store(path)
    with s.transaction() as tx:
        old = tx.add_dataset("older", kind="ceads-mrio", years=[2015, 2017], citation="older tables")
        for year, seed in ((2015, 1), (2017, 2)):
            tx.put_table(old, make_mrio(year=year, n_regions=3, seed=seed))
    with s.transaction() as tx:
        new = tx.add_dataset("newest", kind="ceads-mrio", years=[2017], citation="newest table")
        tx.put_table(new, make_mrio(year=2017, n_regions=3, seed=3))
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = _store(tmp_path_factory.mktemp("real_first") / "store.duckdb")
    return TestClient(create_app(store_path=path, allowed_hosts=("testserver",)), raise_server_exceptions=False)


def test_meta_defaults_to_the_latest_real_dataset_with_a_hint(client: TestClient) -> None:
    meta = client.get("/api/meta").json()
    assert [d["name"] for d in meta["datasets"]] == ["demo", "older", "newest"]
    assert meta["defaults"]["dataset"] == "newest" and meta["defaults"]["year"] == 2017
    assert meta["defaults"]["region"] == "BJ"  # the first region (no GD in this table)
    assert meta["dataset"] == "newest" and meta["synthetic"] is False and meta["banner"] is None
    assert meta["citation"] == "newest table"
    hint = meta["hint"]
    assert hint.startswith("newest: ") and "ceads-inventory" in hint and "table year" in hint
    zh = client.get("/api/meta?lang=zh-Hans").json()["hint"]
    assert zh.startswith("newest：") and "清单" in zh


def test_the_page_boots_on_the_real_dataset(client: TestClient) -> None:
    boot = client.get("/boot.js?lang=en").text
    assert '"defaults":{"dataset":"newest"' in boot.replace(" ", "")


def test_demo_alone_opens_the_demo_without_a_hint(tmp_path: Path) -> None:
    c = TestClient(create_app(store_path=tmp_path / "empty.duckdb", allowed_hosts=("testserver",)))
    meta = c.get("/api/meta").json()
    assert meta["defaults"]["dataset"] == "demo" and meta["synthetic"] is True and meta["hint"] is None


def test_headline_of_a_dataset_without_inventory_is_unknown_not_zero(client: TestClient) -> None:
    body = client.get("/api/headline?dataset=older&year=2017&region=BJ").json()
    h = body["headline"]
    assert h["status"] == "missing" and h["previous_year"] == 2015
    for key in ("production_mt", "industry_mt", "households_mt", "consumption_mt", "intensity_t_per_10k_yuan",
                "intensity_change", "rank", "national_mt", "share_of_nation"):
        assert h[key] is None, key
    assert h["gdp_10k_yuan"] > 0 and h["ranked"] == 0
    assert client.get("/api/view?dataset=older&year=2017&region=BJ").json()["headline"] == h


def test_supply_chains_of_a_dataset_without_inventory_answer(client: TestClient) -> None:
    body = client.get("/api/supply-chains?dataset=older&year=2017&region=BJ").json()
    assert body["status"] == "missing"
    assert body["paths"]["total_mt"] == 0 and body["paths"]["coverage"] is None and body["paths"]["rows"] == []
    assert len(body["key_sectors"]["rows"]) == 42
    sda = client.get("/api/sda?dataset=older&year=2017&region=BJ").json()
    assert sda["base"] == 2015 and sda["available"] is True
