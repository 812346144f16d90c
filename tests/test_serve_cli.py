"""``viscarbon serve`` as a real uvicorn server in a subprocess on a free loopback port:
health, a live import into the same store that appears without a restart, and a bad
request that gets a 400 while the server keeps serving."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mrio_fixtures import random_mrio, write_fixture
from serving import serving

pytestmark = pytest.mark.xdist_group("web_serve")

VENV_BIN = Path(sys.executable).parent


def viscarbon_cmd() -> list[str]:
    exe = VENV_BIN / "viscarbon"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "viscarbon.cli"]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    store = tmp_path / "store.duckdb"
    with serving(store, tmp_path / "serve.log", args=("--lang", "zh")) as (proc, base):
        yield base, store, proc


def test_serve_health_live_import_and_bad_request(server: tuple[str, Path, subprocess.Popen[bytes]],
                                                  tmp_path: Path) -> None:
    base, store, proc = server
    with httpx.Client(base_url=base, timeout=30.0) as c:
        assert c.get("/api/health").json() == {"status": "ok"}
        meta = c.get("/api/meta").json()
        assert meta["lang"] == "zh-Hans"  # serve --lang zh
        assert [d["name"] for d in meta["datasets"]] == ["demo"]
        page = c.get("/")
        assert page.status_code == 200 and '<html lang="zh-Hans">' in page.text

        # import into the same store while the server runs (a separate process, as a user would)
        wb = write_fixture(random_mrio(("BJ", "TJ", "HE"), year=2017, seed=5), tmp_path, layout="2012-2017")
        done = subprocess.run([*viscarbon_cmd(), "import", "ceads-mrio", str(wb), "--name", "live",
                               "--store", str(store)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        meta = c.get("/api/meta").json()
        assert [d["name"] for d in meta["datasets"]] == ["demo", "live"]
        live = next(d for d in meta["datasets"] if d["name"] == "live")
        assert live["years"] == [2017] and live["regions"] == ["BJ", "TJ", "HE"]
        view = c.get("/api/view", params={"dataset": "live", "region": "HE"}).json()
        assert view["dataset"] == "live" and view["S"] == 42 and len(view["nodes"]) == 42

        bad = c.get("/api/view", params={"dataset": "live", "region": "GD"})
        assert bad.status_code == 400
        body = bad.json()
        assert body["param"] == "region" and body["allowed"] == ["BJ", "TJ", "HE"]
        assert "BJ, TJ, HE" in body["error"]
        assert c.get("/api/view", params={"year": "1990"}).status_code == 400
        assert c.get("/api/health").json() == {"status": "ok"}  # still serving
        assert c.get("/api/view", params={"region": "GD"}).status_code == 200
    assert proc.poll() is None
