"""``viscarbon serve`` as a real uvicorn server in a subprocess on a free loopback port:
health, a live import into the same store that appears without a restart, and a bad
request that gets a 400 while the server keeps serving."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mrio_fixtures import random_mrio, write_fixture

pytestmark = pytest.mark.xdist_group("web_serve")

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"server exited early ({proc.returncode}): {out}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server did not answer {url} within {timeout} s")


def viscarbon_cmd() -> list[str]:
    exe = VENV_BIN / "viscarbon"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "viscarbon.cli"]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    store = tmp_path / "store.duckdb"
    port = free_port()
    env = {**os.environ, "VISCARBON_STORE": str(store)}
    proc = subprocess.Popen(
        [*viscarbon_cmd(), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
         "--lang", "zh", "--no-open"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/api/health", proc)
        yield base, store, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
