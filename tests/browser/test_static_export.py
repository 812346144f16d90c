"""The static export (``viscarbon export-site``) opened from ``file://`` with networking off."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import ROOT, screenshot, tab_count, wait_graph, wait_tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(built_frontend: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("site")
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    env = dict(os.environ, VISCARBON_STORE=str(store), OPENBLAS_NUM_THREADS="1")
    subprocess.run(
        [sys.executable, "-c", "from viscarbon.cli import main; main()", "export-site", str(out), "--dataset", "demo", "--store", str(store)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    yield out


def test_static_site_works_from_file_url_offline(context: Any, site: Path) -> None:
    context.set_offline(True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "index.en.html").as_uri() + "?region=GD&year=2017&indicator=co2&mode=carbon&keep=3")
    wait_graph(page)
    assert page.evaluate("window.VISCARBON_BOOT.mode") == "static"
    assert page.inner_text("#vc-panel-network .vc-box-title") == "(Guangdong, 2017, CO2 emissions)"
    assert page.is_visible(".vc-banner") and "Synthetic" in page.inner_text(".vc-banner")
    edges = page.evaluate("window.__vc.edges()")
    assert len(edges) >= 88
    screenshot(page, "static-network")

    # Load another province-year: the data come from script files, never from fetch()
    n = int(page.evaluate("window.__vcRendered"))
    page.fill("#vc-region", "XJ")
    page.select_option("#vc-year", "2012")
    page.click("#vc-load")
    wait_graph(page, n)
    assert page.inner_text("#vc-panel-network .vc-box-title") == "(Xinjiang, 2012, CO2 emissions)"
    for tab in ("sectors", "trends", "provinces", "trade", "compare"):
        before = tab_count(page, tab)
        page.click(f"#vc-tab-{tab}")
        wait_tab(page, tab, before)
        assert not page.locator(".vc-notice.vc-error").count(), page.locator(".vc-notice.vc-error").all_inner_texts()
    # the Roadmap tab computes on request: the static site says it needs the server
    before = tab_count(page, "roadmap")
    page.click("#vc-tab-roadmap")
    wait_tab(page, "roadmap", before)
    assert page.is_visible("#vc-rm-static") and "viscarbon serve" in page.inner_text("#vc-rm-static")
    assert not page.is_visible("#rm-pathway")
    page.click("#vc-tab-compare")
    wait_tab(page, "compare")
    screenshot(page, "static-compare")
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests), [u for u in requests if not u.startswith("file:")]
    assert any("/data/en/view/demo/2012/XJ.js" in u for u in requests)

    # the language toggle opens the other page of the export with the same view
    with page.expect_navigation():
        page.click("#vc-lang")
    wait_tab(page, "compare")
    assert urlsplit(page.url).path.endswith("/index.zh-hans.html")
    q = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert (q["region"], q["year"], q["tab"], q["lang"]) == ("XJ", "2012", "compare", "zh-Hans")
    assert page.inner_text("#vc-tab-network") == "网络"
    screenshot(page, "static-compare-zh")
