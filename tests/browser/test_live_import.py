"""A dataset imported while the page is open shows up in the sidebar without a restart, and a
province without a CEADs inventory (Tibet) is drawn grey with the reason."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from inventory_fixtures import write_release2021
from mrio_fixtures import random_mrio, write_fixture

from .conftest import ROOT, screenshot, served, wait_graph

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(built_frontend: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("live")
    store = folder / "store.duckdb"
    with served(store, folder / "serve.log") as base:
        yield base, store


def viscarbon(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from viscarbon.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_live_import_appears_and_tibet_is_grey(page: Any, live_server: tuple[str, Path], tmp_path: Path) -> None:
    base, store = live_server
    page.goto(f"{base}/?lang=en&indicator=co2")
    n = wait_graph(page)
    assert page.locator("#vc-dataset option").all_inner_texts() == ["demo (synthetic)"]

    # import into the same store while the page is open (a separate process, as a user would)
    inv, _ = write_release2021(tmp_path, 2017)  # all 30 provinces: Tibet has no sheet
    viscarbon("import", "ceads-inventory", str(inv), "--name", "inv", "--store", str(store))
    wb = write_fixture(random_mrio(("BJ", "XZ"), year=2017, seed=7), tmp_path, layout="2012-2017")
    viscarbon("import", "ceads-mrio", str(wb), "--name", "live", "--inventory", "inv", "--store", str(store))
    assert [d["name"] for d in httpx.get(f"{base}/api/meta").json()["datasets"]] == ["demo", "live"]

    page.focus("#vc-dataset")  # the sidebar re-reads the dataset list
    # the MRIO dataset, then the inventory dataset (offered too: it opens the Inventory tab)
    page.wait_for_function("() => document.querySelectorAll('#vc-dataset option').length === 3")
    assert page.evaluate("[...document.querySelectorAll('#vc-dataset option')].map(o => o.value)") == [
        "demo", "live", "inv"]
    page.select_option("#vc-dataset", "live")
    page.fill("#vc-region", "XZ")
    page.select_option("#vc-year", "2017")
    page.click("#vc-load")
    wait_graph(page, n)
    assert "dataset=live" in page.url and "region=XZ" in page.url
    view = httpx.get(f"{base}/api/view", params={"dataset": "live", "year": 2017, "region": "XZ"}).json()
    assert view["status"] == "missing" and view["status_note"]
    assert view["status_note"] in page.inner_text(".vc-notice.vc-missing")
    colours = page.evaluate(
        "window.__vcApp.views.network.box.chart.getOption().series[0].data.map(d => d.itemStyle.color)"
    )
    assert len(colours) == 42 and set(colours) == {"#c8c8c8"}
    assert page.is_visible(".vc-missing-key")
    screenshot(page, "missing-tibet")
    # a money indicator is known for Tibet: the nodes get their family colours back
    page.select_option("#vc-indicator", "output")
    page.wait_for_function("() => window.__vcApp.views.network.box.chart.getOption().series[0].data[0].itemStyle.color !== '#c8c8c8'")
