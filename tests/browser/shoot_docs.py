"""Take the user guide's screenshots (docs/img/*.png) with the browser-test machinery:
a real ``viscarbon serve`` on the demo data and Debian's Chromium, no foreign request.
Each tab on a desktop (1280 × 800), the network, the search and the drawer on a phone
(390 × 844), and a downloaded figure (PNG with its title and caption bands), in both
languages.

    cd tests && ../.venv/bin/python -m browser.shoot_docs
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from serving import launch_chromium, serving

from .conftest import ROOT, Guard, wait_graph, wait_tab

IMG = ROOT / "docs" / "img"
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def shoot(page: Any, name: str, *, full: bool = False) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"{name}.png"), full_page=full)
    print(IMG / f"{name}.png")


def guide(browser: Any, base: str, lang: str) -> None:
    suffix = "en" if lang == "en" else "zh-Hans"
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-US" if lang == "en" else "zh-CN", accept_downloads=True)
    guard = Guard()
    ctx.route("**/*", guard.handle)
    page = ctx.new_page()
    page.goto(f"{base}/?dataset=demo&region=GD&year=2017&lang={lang}&indicator=co2&mode=carbon&keep=3")
    wait_graph(page)
    pos = page.evaluate("c => window.__vc.nodePixel(c)", "25")
    page.mouse.move(pos["x"], pos["y"])
    page.wait_for_timeout(400)
    shoot(page, f"network.{suffix}")
    page.mouse.move(5, 5)
    # the figure a PNG download writes (title band, chart, caption band)
    with page.expect_download() as dl:
        page.click("[data-download='network-png']")
    (IMG / f"figure.{suffix}.png").write_bytes(Path(dl.value.path()).read_bytes())
    print(IMG / f"figure.{suffix}.png")
    for tab, extra in (("sectors", "&cols=output,intensity"), ("flows", "&from=25"), ("trends", ""), ("sankey", "&n=15"),
                       ("provinces", ""), ("trade", ""), ("supply_chains", ""), ("compare", "&compare=demo:2017:JS"),
                       ("roadmap", "&scenario=clean-power")):
        page.goto(f"{base}/?dataset=demo&region=GD&year=2017&lang={lang}&indicator=co2&mode=carbon&tab={tab}{extra}")
        wait_tab(page, tab)  # fires after every chart's 'finished' event: no half-drawn chart
        shoot(page, f"{tab}.{suffix}", full=tab == "supply_chains")  # four charts: the whole tab
    # the search: suggestions while typing
    page.goto(f"{base}/?dataset=demo&region=GD&year=2017&lang={lang}")
    wait_graph(page)
    page.fill("#vc-region", "")
    page.type("#vc-region", "Shan" if lang == "en" else "山", delay=30)
    page.wait_for_selector("#vc-region-suggest li")
    page.locator(".vc-sidebar").screenshot(path=str(IMG / f"search.{suffix}.png"))
    print(IMG / f"search.{suffix}.png")
    ctx.close()
    assert not guard.foreign, guard.foreign

    # a phone: the graph first, the settings in a drawer
    ctx = browser.new_context(viewport=PHONE, locale="en-US" if lang == "en" else "zh-CN", has_touch=True, is_mobile=True)
    ctx.route("**/*", guard.handle)
    page = ctx.new_page()
    page.goto(f"{base}/?dataset=demo&region=GD&year=2017&lang={lang}&indicator=co2&mode=carbon&keep=3")
    wait_graph(page)
    shoot(page, f"phone-network.{suffix}")
    page.click("#vc-menu")
    page.wait_for_timeout(400)
    shoot(page, f"phone-drawer.{suffix}")
    ctx.close()
    assert not guard.foreign, guard.foreign


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, \
            serving(Path(tmp) / "store.duckdb", Path(tmp) / "serve.log", warm=True) as (_, base), \
            sync_playwright() as p:
        browser = launch_chromium(p)
        for lang in ("en", "zh-Hans"):
            guide(browser, base, lang)
        browser.close()


if __name__ == "__main__":
    main()
