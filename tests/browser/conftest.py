"""Browser fixtures: a real ``viscarbon serve`` in a subprocess on a free loopback port with
a temporary store, and Debian's Chromium driven by Playwright (never a downloaded browser).

Every page gets a route guard: a request to any host other than 127.0.0.1/localhost (or a
``file:``/``data:``/``blob:`` URL) is aborted and FAILS the test. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from serving import launch_chromium, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "src" / "viscarbon" / "web" / "static" / "dist"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # one browser and one server per worker: keep every browser test on the same xdist worker
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


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


@contextlib.contextmanager
def served(store: Path, log: Path) -> Iterator[str]:
    """A warmed ``viscarbon serve`` on ``store`` for a ``with`` block (fails the test if it
    does not start); yields its base URL."""
    try:
        proc, base = start_server(store, log, warm=True)
    except RuntimeError as e:
        pytest.fail(str(e))
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def server(built_frontend: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a ``viscarbon serve`` subprocess (demo data, empty temporary store)."""
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    with served(store, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = launch_chromium(p)
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
    """Until ``tab`` has rendered more than ``after`` times and the page is idle; for the
    Roadmap tab on a server also until its Monte Carlo band (asked for after the pathway)
    has been drawn, so that sweeps and screenshots see the finished chart."""
    page.wait_for_function(
        "([tab, n]) => ((window.__vcTabRendered || {})[tab] || 0) > n && document.body.dataset.vcBusy === '0'"
        " && (tab !== 'roadmap' || (window.__vcApp && window.__vcApp.boot.mode === 'static')"
        " || (window.__vcRoadmapBand || 0) > 0)",
        arg=[tab, after],
    )


def tab_count(page: Any, tab: str) -> int:
    return int(page.evaluate("t => (window.__vcTabRendered || {})[t] || 0", tab))


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@contextlib.contextmanager
def sized_page(browser: Any, size: str, lang: str = "en") -> Iterator[Any]:
    """A page at a named size (``desktop`` 1440 × 900, ``phone`` 390 × 844 with touch) with the
    same guards as ``context``: any request to a non-local host or an uncaught error fails."""
    width, height = SIZES[size]
    ctx = browser.new_context(
        viewport={"width": width, "height": height},
        accept_downloads=True,
        locale="en-US" if lang == "en" else "zh-CN",
        service_workers="block",
        has_touch=size == "phone",
        is_mobile=size == "phone",
    )
    guard = Guard()
    ctx.route("**/*", guard.handle)
    ctx.set_default_timeout(20000)
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    try:
        yield ctx.new_page()
    finally:
        ctx.close()
    assert not guard.foreign, f"requests to non-local hosts: {guard.foreign}"
    assert not errors, f"uncaught errors in the page: {errors}"


def full_screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# The number sweep (runs in the page): every number a person reads must carry its unit
# (an element with data-unit around it, written by core/format.js) and none may be written
# with an exponent. Plain integers without grouping (years, ranks, counts, codes, "top 5")
# are exempt. Returns {untagged: [...], exponents: [...]} with some context for each.
SWEEP = r"""
(root, all) => {
  const NUM = /(?<![\p{L}\d.,])[-+]?\d(?:,?\d)*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\p{L}\d])/gu;
  const EXP = /\d[eE][-+]?\d/;
  const out = { untagged: [], exponents: [], numbers: 0 };
  const visible = (el) => !!(el && (el.offsetParent || el.getClientRects().length)) && getComputedStyle(el).visibility !== "hidden";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || (!all && !visible(el)) || el.closest("script,style,option,[aria-hidden=true]")) continue;
    const text = n.textContent;
    for (const m of text.matchAll(NUM)) {
      const s = m[0];
      out.numbers++;
      const ctx = text.slice(Math.max(0, m.index - 25), m.index + s.length + 25).trim();
      if (EXP.test(s)) out.exponents.push(ctx);
      if (el.closest("[data-unit]")) continue;
      if (/^\d+$/.test(s)) continue;  // a year, a rank, a count, a code
      out.untagged.push(ctx);
    }
  }
  return out;
}
"""
