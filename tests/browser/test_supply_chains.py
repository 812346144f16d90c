"""The headline strip and the Supply chains tab in a real browser, in both languages at
1440 × 900 and on a 390 × 844 phone: the headline shows the five figures of
``/api/headline`` with a tooltip each, the tab draws its four charts and the path table
without an error, fits the width, every number is tagged with its unit (no exponent), and a
sector picked in the tab changes the paths. Screenshots:
``test-artifacts/screenshots/supply_chains-<lang>-<size>.png`` and
``headline-<lang>-<size>.png``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import SWEEP, full_screenshot, screenshot, sized_page, tab_count, wait_tab

pytestmark = pytest.mark.browser

BOXES = ["sc-paths", "sc-quadrant", "sc-extraction", "sc-sda"]


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_supply_chains_tab_and_headline(browser: Any, server: str, lang: str, size: str) -> None:
    api = httpx.get(f"{server}/api/headline?region=GD&year=2017&lang={lang}").json()["headline"]
    with sized_page(browser, size, lang) as page:
        page.goto(f"{server}/?region=GD&year=2017&lang={lang}&tab=supply_chains")
        wait_tab(page, "supply_chains")
        assert not page.locator(".vc-notice.vc-error").count(), page.locator(".vc-notice.vc-error").all_inner_texts()
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], width
        # the headline: five tiles, each with its tooltip, the rank and the year of comparison
        tiles = page.locator("#vc-headline .vc-tile")
        assert tiles.count() == 5
        for i in range(5):
            assert (tiles.nth(i).get_attribute("title") or "").strip()
        assert str(api["rank"]) in page.inner_text("#vc-headline [data-tile=rank]")
        assert str(api["previous_year"]) in page.inner_text("#vc-headline [data-tile=intensity]")
        # every chart has drawn something and every number is for people
        drawn = page.evaluate("""(ids) => ids.map((id) => {
            const b = window.__vcApp.boxes.find((x) => x.id === id);
            return !!(b && b.chart && !b.chart.isDisposed() && (b.chart.getOption().series || []).length);
        })""", BOXES)
        assert all(drawn), dict(zip(BOXES, drawn, strict=True))
        assert page.locator("#vc-table-sc-paths .tabulator-row").count() > 0
        for sel in ("#vc-panel-supply_chains", "#vc-headline"):
            found = page.evaluate(f"() => ({SWEEP})(document.querySelector('{sel}'))")
            assert found["numbers"] > 0, sel
            assert not found["exponents"] and not found["untagged"], (sel, found)
        for chart in page.evaluate("t => window.__vcApp.chartTexts(t)", "supply_chains"):
            for text in chart["texts"]:
                assert "e+" not in text and "e-" not in text, (chart["id"], text)
        full_screenshot(page, f"supply_chains-{lang}-{size}")
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"headline-{lang}-{size}")
        # picking a sector redraws the paths for that sector's final demand
        n = tab_count(page, "supply_chains")
        page.select_option("#vc-sc-sector", "25")
        wait_tab(page, "supply_chains", n)
        title = page.inner_text("[data-box=sc-paths] .vc-box-title")
        assert ("Power" in title) if lang == "en" else ("电力" in title), title
        assert "sector=25" in page.url  # the view is in the URL: a shared link shows the same
        n = tab_count(page, "supply_chains")
        page.select_option("#vc-sc-base", "2012")
        wait_tab(page, "supply_chains", n)
        assert "base=2012" in page.url and "2012" in page.inner_text("[data-box=sc-sda] .vc-box-title")
