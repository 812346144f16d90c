"""An inventory-only dataset (REAL CEADs provincial inventories imported without an IO table)
in the dashboard: picked in the sidebar it shows the Inventory tab only (the network and MRIO
tabs hidden, with a one-line reason), its charts draw, and the CSV download of the sector
table adds up to the inventory's total (marked ``realdata``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from .conftest import SWEEP, screenshot, served, wait_tab

pytestmark = [pytest.mark.browser, pytest.mark.realdata]
YEARS = tuple(range(2010, 2018))
NAME = f"ceads-inventory-{YEARS[0]}-{YEARS[-1]}"


@pytest.fixture(scope="module")
def inventory_server(built_frontend: Path, inventory_dir: Path,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from viscarbon.ingest import import_files

    folder = tmp_path_factory.mktemp("inventory-view")
    store = folder / "store.duckdb"
    files = [p for p in sorted(inventory_dir.glob("*.xlsx")) if any(str(y) in p.name for y in YEARS)]
    assert import_files(store, "ceads-inventory", files).name == NAME
    with served(store, folder / "serve.log") as base:
        yield base


def query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_pick_inventory_dataset_charts_and_csv_total(page: Any, inventory_server: str) -> None:
    base = inventory_server
    page.goto(f"{base}/?region=SD&year=2017&lang=en")
    wait_tab(page, "network")
    assert not page.is_visible("#vc-tab-inventory")  # an IO dataset has no Inventory tab
    assert page.evaluate("[...document.querySelectorAll('#vc-dataset option')].map(o => o.value)") == ["demo", NAME]

    page.select_option("#vc-dataset", NAME)
    page.select_option("#vc-year", "2015")
    page.click("#vc-load")
    wait_tab(page, "inventory")
    q = query(page)
    assert (q["dataset"], q["region"], q["year"], q["tab"]) == (NAME, "SD", "2015", "inventory")
    # only the Inventory tab, and one line saying why
    visible = page.evaluate("[...document.querySelectorAll('.vc-tabs [role=tab]')].filter(b => !b.hidden)"
                            ".map(b => b.dataset.tab)")
    assert visible == ["inventory"]
    assert "inventories only" in page.inner_text(".vc-notice.vc-info")
    assert not page.locator(".vc-notice.vc-error").count()
    assert page.is_visible("#vc-chart-inventory-sectors") and page.is_visible("#vc-chart-inventory-fuels")

    api = httpx.get(f"{base}/api/inventory", params={"dataset": NAME, "region": "SD", "lang": "en"}, timeout=60).json()
    k = api["years"].index(2015)
    # the stacked sector chart: top 10, the other sectors, the total line; axis from 0
    opt = page.evaluate("""() => { const o = window.__vcApp.views.inventory.sectors.chart.getOption();
        return {n: o.series.length, min: o.yAxis[0].min, names: o.series.map(s => s.name),
                years: o.xAxis[0].data, total: o.series[o.series.length - 1].data}; }""")
    assert opt["n"] == 12 and opt["min"] == 0
    assert opt["names"][-2] == "Other sectors (37)" and opt["names"][-1] == "Total"
    assert opt["years"] == [str(y) for y in YEARS]
    assert opt["total"] == pytest.approx(api["totals"])
    fuels = page.evaluate("window.__vcApp.views.inventory.fuels.chart.getOption().series.length")
    assert fuels == len(api["fuels"]) == 18
    bars = page.evaluate("window.__vcApp.views.inventory.provinces.chart.getOption().series[0].data.length")
    assert bars == 30
    assert "Tibet" in page.inner_text("#vc-panel-inventory")  # the missing region is named
    # the MRIO display controls (indicator, links, force layout) do not apply either
    assert not page.is_visible("#vc-indicator") and not page.is_visible("#vc-gravity")
    # numbers for people here too: tagged with their unit, never an exponent (e.g. 9.66e-5 Mt)
    found = page.evaluate(f"() => ({SWEEP})(document.querySelector('#vc-panel-inventory'))")
    assert found["numbers"] > 0 and not found["exponents"] and not found["untagged"], found
    screenshot(page, "tab-inventory")

    # the sector table's CSV adds up to the inventory total of the year
    with page.expect_download() as dl:
        page.click("[data-download='inventory-csv']")
    download = dl.value
    assert download.suggested_filename == f"viscarbon_inventory_{NAME}_2015_SD.csv"
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    meta = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))
    assert meta["synthetic"] == "false" and meta["dataset"] == NAME and meta["year"] == "2015"
    assert "Mt CO2" in meta["units"] and "CEADs" in meta["citation"]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert len(rows) == 47
    assert sum(float(r["value_mt"]) for r in rows) == pytest.approx(api["totals"][k], rel=1e-9)
    urban = next(r for r in rows if r["code"] == "46")
    assert float(urban["value_mt"]) == pytest.approx(api["households"]["urban"][k], rel=1e-12)

    # a click on a province's bar shows that province
    before = int(page.evaluate("(window.__vcTabRendered || {}).inventory || 0"))
    page.evaluate("""() => { const c = window.__vcApp.views.inventory.provinces.chart;
        const d = c.getOption().series[0].data;
        window.__vcApp.update({region: d[0].code}); }""")
    wait_tab(page, "inventory", before)
    first = max(range(30), key=lambda r: api["provinces"]["totals"][k][r])
    assert query(page)["region"] == api["provinces"]["regions"][first]["code"]

    # back to the demo: the MRIO tabs return, the Inventory tab goes
    page.select_option("#vc-dataset", "demo")
    page.click("#vc-load")
    wait_tab(page, "network")
    assert page.is_visible("#vc-tab-network") and not page.is_visible("#vc-tab-inventory")
    assert page.is_visible("#vc-indicator")


def test_shared_inventory_link_in_chinese(page: Any, inventory_server: str) -> None:
    page.goto(f"{inventory_server}/?dataset={NAME}&region=GD&year=2012&lang=zh-Hans&tab=network")
    wait_tab(page, "inventory")  # the network does not apply: the Inventory tab instead
    assert query(page)["tab"] == "inventory"
    assert page.inner_text("#vc-tab-inventory") == "排放清单"
    assert "广东" in page.inner_text("#vc-panel-inventory .vc-box-title")
    assert not page.locator(".vc-notice.vc-error").count()
