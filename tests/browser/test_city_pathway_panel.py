"""The city pathway panel (frontend/src/views/city_pathway.js) in Chromium before the City
tab mounts it: a test-only page (tests/browser/city_pathway_page, bundled here with the
front end's esbuild) on an in-process server over the test world's city and provincial
datasets draws the chart (history, baseline, scenario with its markers, the share of the
province; the rest of a partly covered province) and the coverage note, in both languages."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.staticfiles import StaticFiles

import city_roadmap_fixtures as fx
from browser.conftest import screenshot
from conftest import absent
from viscarbon.roadmap import city as city_mod
from viscarbon.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path(__file__).resolve().parent / "city_pathway_page"
ESBUILD = ROOT / "frontend" / "node_modules" / ".bin" / "esbuild"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not ESBUILD.exists():
        absent("the front end's esbuild (frontend/node_modules: npm ci in frontend/)")
    out = tmp_path_factory.mktemp("cp_page")
    shutil.copy(PAGE / "index.html", out / "index.html")
    subprocess.run([str(ESBUILD), str(PAGE / "entry.js"), "--bundle", "--format=esm", "--loader:.css=empty",
                    f"--outfile={out / 'bundle.js'}", "--log-level=warning"], check=True, timeout=120)
    mp = pytest.MonkeyPatch()
    mp.setattr(city_mod, "_province_list", lambda p: fx.MEMBERS.get(p, ()))
    app = create_app(workspace=fx.workspace(), allowed_hosts=("127.0.0.1",))
    app.mount("/cp-test", StaticFiles(directory=out, html=True))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        mp.undo()


def _open(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_selector("body[data-done='1']", timeout=30000)
    got: dict[str, Any] = page.evaluate("window.__cp")
    return got


def test_panel_draws_a_complete_and_a_partial_city(page: Any, base_url: str) -> None:
    got = _open(page, f"{base_url}/cp-test/index.html?dataset=city&city=130100&scenario=clean-power&year=2017")
    assert got["status"] == "complete"
    assert got["series"] == ["Baseline", "Scenario: Clean power and electrification", "Share of Hebei (right axis)",
                             "Peak, 2030 and 2060"]  # no inventory history in the test world
    assert got["marks"][0].startswith("Peak ") and "2030" in got["marks"]
    panel = page.locator("#city-pathway")
    assert panel.locator("canvas").count() >= 1
    text = " ".join(panel.inner_text().split())
    assert "CO2 pathway of Shijiazhuang (Hebei) to 2060" in text and "covered completely" in text
    assert "Mt CO2" in text and "e+" not in text and "e-0" not in text
    screenshot(page, "city-pathway-complete")
    got = _open(page, f"{base_url}/cp-test/index.html?dataset=city&city=210100&lang=zh-Hans")
    assert got["status"] == "partial" and any("其余部分" in s for s in got["series"])
    text = page.locator("#city-pathway").inner_text()
    assert "部分覆盖" in text and "大连" in text
    screenshot(page, "city-pathway-partial-zh")
