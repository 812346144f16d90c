"""Browser fixtures: a real ``viscarbon serve`` in a subprocess on a free loopback port with
a temporary store, and Debian's Chromium driven by Playwright (never a downloaded browser).

Every page gets a route guard: a request to any host other than 127.0.0.1/localhost (or a
``file:``/``data:``/``blob:`` URL) is aborted and FAILS the test. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "src" / "viscarbon" / "web" / "static" / "dist"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("VISCARBON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # one browser and one server per worker: keep every browser test on the same xdist worker
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    """The bundle in ``web/static/dist`` (built with npm when missing or stale)."""
    if shutil.which("npm") is not None:
        sys.path.insert(0, str(ROOT / "scripts"))
        try:
            import build_frontend

            build_frontend.build()
        finally:
            sys.path.pop(0)
    if not (DIST / "app.js").is_file():
        pytest.fail(f"front end not built: {DIST / 'app.js'} missing (run: python scripts/build_frontend.py)")
    return DIST


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from viscarbon.cli import main; main()", *args]


def start_server(store: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``viscarbon serve`` on a free loopback port; return the process and base URL."""
    port = free_port()
    env = dict(os.environ, VISCARBON_STORE=str(store), OPENBLAS_NUM_THREADS="1")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _cli("serve", "--host", "127.0.0.1", "--port", str(port), "--no-open", "--store", str(store)),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"viscarbon serve exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).json() == {"status": "ok"}:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"viscarbon serve did not answer within 60 s: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    # warm the analysis caches so the first page does not pay for them
    httpx.get(f"{base}/api/view", params={"dataset": "demo", "year": 2017, "region": "GD"}, timeout=120)
    return proc, base


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def launch(p: Any) -> Any:
    """Debian's Chromium through Playwright (no downloaded browser)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def server(built_frontend: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a ``viscarbon serve`` subprocess (demo data, empty temporary store)."""
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    try:
        proc, base = start_server(store, log)
    except RuntimeError as e:
        pytest.fail(str(e))
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = launch(p)
        except RuntimeError as e:
            pytest.fail(str(e))
        try:
            yield b
        finally:
            b.close()


class Guard:
    """Records every request to a non-local host (and aborts it)."""

    def __init__(self) -> None:
        self.foreign: list[str] = []

    def handle(self, route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture()
def context(browser: Any, tmp_path: Path) -> Iterator[Any]:
    ctx = browser.new_context(
        viewport={"width": 1400, "height": 900},
        accept_downloads=True,
        locale="en-US",
        service_workers="block",
    )
    guard = Guard()
    ctx.route("**/*", guard.handle)
    ctx.set_default_timeout(15000)
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    try:
        yield ctx
    finally:
        ctx.close()
    assert not guard.foreign, f"requests to non-local hosts: {guard.foreign}"
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture()
def page(context: Any) -> Any:
    return context.new_page()


def wait_graph(page: Any, after: int = 0) -> int:
    """Wait until the network graph has been drawn more than ``after`` times."""
    page.wait_for_function("n => (window.__vcRendered || 0) > n", arg=after)
    return int(page.evaluate("window.__vcRendered"))


def wait_tab(page: Any, tab: str, after: int = 0) -> None:
    page.wait_for_function(
        "([tab, n]) => ((window.__vcTabRendered || {})[tab] || 0) > n && document.body.dataset.vcBusy === '0'",
        arg=[tab, after],
    )


def tab_count(page: Any, tab: str) -> int:
    return int(page.evaluate("t => (window.__vcTabRendered || {})[t] || 0", tab))


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
