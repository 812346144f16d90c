"""A national dataset (NBS table + CEADs national inventory, one region: China, CN) in the
dashboard: the province field, the province tile map and the trade tab degrade to one region
and say why (real data, marked ``realdata``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, screenshot, served, wait_graph, wait_tab

pytestmark = [pytest.mark.browser, pytest.mark.realdata]
NAME = "nbs-cn"


def viscarbon(*args: str) -> None:
    done = subprocess.run([sys.executable, "-c", "from viscarbon.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def national_server(built_frontend: Path, shared_data: Path, nbs_dir: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("national")
    store = folder / "store.duckdb"
    inventory = next((shared_data / "ceads").glob("China_CO2_Inventory_*.xlsx"))
    viscarbon("import", "ceads-inventory", str(inventory), "--store", str(store))
    viscarbon("import", "nbs-io", str(nbs_dir / "china_2015_42.csv"), str(nbs_dir / "china_2017_42.csv"),
              "--name", NAME, "--store", str(store))
    with served(store, folder / "serve.log") as base:
        yield base


def test_national_dataset_has_one_region_and_says_why(page: Any, national_server: str) -> None:
    # no region in the link: the dataset's only region, without a warning
    page.goto(f"{national_server}/?dataset={NAME}&lang=en&indicator=co2&mode=carbon")
    wait_graph(page)
    assert page.input_value("#vc-region") == "China (CN)"
    assert not page.locator(".vc-notice.vc-warn").count()
    # the province search offers the dataset's one region only
    assert page.evaluate(f"window.__vcApp.indexFor('{NAME}').map(e => e.code)") == ["CN"]
    page.fill("#vc-region", "Guang")
    assert page.locator("#vc-region-suggest li").count() == 0 and page.is_visible("#vc-region-msg")
    page.fill("#vc-region", "Ch")
    assert page.locator("#vc-region-suggest li").evaluate_all("els => els.map(e => e.dataset.code)") == ["CN"]
    page.keyboard.press("Escape")
    assert page.inner_text("#vc-panel-network .vc-box-title") == "(China, 2017, CO2 emissions)"

    page.click("#vc-tab-provinces")
    wait_tab(page, "provinces")
    assert page.is_visible("#vc-provinces-scope") and "one region (China)" in page.inner_text("#vc-provinces-scope")
    assert not page.is_visible("#vc-chart-provinces-map") and not page.is_visible("#vc-chart-provinces")
    assert page.is_visible("#vc-chart-provinces-pc")
    assert page.inner_text("#vc-count-provinces") == "1 of 1 rows"
    screenshot(page, "national-provinces")

    page.click("#vc-tab-trade")
    wait_tab(page, "trade")
    assert page.is_visible("#vc-trade-scope") and "no inter-provincial trade" in page.inner_text("#vc-trade-scope")
    assert not page.is_visible("#vc-chart-trade") and not page.is_visible("#vc-chart-trade-partners")
    rows = page.evaluate("window.__vcApp.views.trade.table.table.getData()")
    assert [r["code"] for r in rows] == ["CN"]
    assert not page.locator(".vc-notice.vc-error").count()
    screenshot(page, "national-trade")

    # compare offers the national dataset's region only; the other year by default
    page.click("#vc-tab-compare")
    wait_tab(page, "compare")
    assert page.evaluate("[...document.querySelectorAll('#vc-compare-region option')].map(o => o.value)") == ["CN"]
    assert page.inner_text("#vc-compare-summary") == "A = China 2017 (the loaded view), B = China 2015"
    # NBS 2015 uses the 2012-style sector list (25 = power), 2017 the 2017-style one (24 = power):
    # same codes, other sectors, so only the totals are compared
    assert "different sector lists" in page.inner_text("#vc-panel-compare .vc-box-note")
    assert page.evaluate("window.__vcApp.views.compare.table.table.getDataCount()") == 0
    totals = page.evaluate("window.__vcApp.views.compare.totals.table.getData()")
    assert next(r for r in totals if r["id"] == "co2")["a"] > 8000


def test_switching_between_national_and_provincial_datasets(page: Any, national_server: str) -> None:
    page.goto(f"{national_server}/?dataset=demo&region=SC&year=2015&lang=en")
    n = wait_graph(page)
    page.select_option("#vc-dataset", NAME)
    assert page.input_value("#vc-region") == "China (CN)"  # the province field follows the dataset
    page.click("#vc-load")
    n = wait_graph(page, n)
    assert "region=CN" in page.url and f"dataset={NAME}" in page.url
    page.select_option("#vc-dataset", "demo")
    assert page.input_value("#vc-region") == "Guangdong (GD)"
    page.fill("#vc-region", "Sichuan")
    page.press("#vc-region", "Tab")
    page.click("#vc-load")
    wait_graph(page, n)
    assert "region=SC" in page.url
    # a provincial code in a national link is reported and replaced by China
    page.goto(f"{national_server}/?dataset={NAME}&region=GD&lang=en")
    wait_graph(page)
    assert "region=GD" in " ".join(page.locator(".vc-notice.vc-warn").all_inner_texts())
    assert page.input_value("#vc-region") == "China (CN)"
