"""The City tab in a real browser on the demo's synthetic city table: pick a province in the
sidebar and see its capital, search a city by pinyin (and by initials), see its headline,
sector network and partner cities, switch language with the city kept in the URL; no
request leaves the machine, no uncaught error, no number without its unit, the page fits a
390 px phone. Screenshots: ``test-artifacts/screenshots/city-<lang>-<size>.png``."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import SWEEP, full_screenshot, sized_page, tab_count, wait_tab

pytestmark = pytest.mark.browser

CHARTS = ["city-provinces", "city-tiles", "city-network", "city-imports", "city-exports"]


def _query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _drawn(page: Any) -> dict[str, int]:
    """Data points of the first series of each chart of the tab (0: not drawn)."""
    out: dict[str, int] = page.evaluate("""(ids) => Object.fromEntries(ids.map((id) => {
        const b = window.__vcApp.boxes.find((x) => x.id === id);
        const s = b && b.chart && !b.chart.isDisposed() ? (b.chart.getOption().series || [])[0] : null;
        return [id, s && s.data ? s.data.length : 0];
    }))""", CHARTS)
    return out


def _pathway(page: Any) -> str:
    """Wait for the city pathway panel (/api/city-pathway; a first run takes seconds) and
    return its notes."""
    page.wait_for_function("""() => { const t = document.querySelector('#city-pathway .vc-cp-text');
        return t && t.textContent.length > 0; }""", timeout=60_000)
    assert page.locator("#city-pathway").is_visible()
    text: str = page.inner_text("#city-pathway .vc-cp-text")
    assert not page.locator("#city-pathway .vc-error").count()
    return text


def _suggested(page: Any, text: str) -> list[str]:
    page.fill("#vc-city-search", "")
    page.type("#vc-city-search", text, delay=15)
    page.wait_for_selector("#vc-city-suggest li[data-code]")
    codes: list[str] = page.locator("#vc-city-suggest li[data-code]").evaluate_all("els => els.map(e => e.dataset.code)")
    return codes


def test_pick_a_province_search_a_city_switch_language(browser: Any, server: str) -> None:
    with sized_page(browser, "desktop", "en") as page:
        page.goto(f"{server}/?region=GD&year=2017&lang=en&tab=city")
        wait_tab(page, "city")
        assert not page.locator(".vc-notice.vc-error").count()
        # the province's capital by default, written into the URL
        assert _query(page)["city"] == "440100"
        assert page.locator("#vc-city-headline .vc-tile").count() == 5
        assert "Synthetic" in page.inner_text("#vc-city-banner")
        drawn = _drawn(page)
        assert drawn["city-network"] == 42 and all(drawn.values()), drawn
        # the city's pathway to 2060 under the state's scenario, reconciled to Guangdong (covered completely)
        _pathway(page)
        assert "Guangzhou" in page.inner_text("#city-pathway h3, #city-pathway .vc-box-title, #city-pathway")
        assert "covered completely" in page.inner_text("#city-pathway .vc-cp-text")
        # initials: "gz" is Guangzhou
        assert _suggested(page, "gz")[0] == "440100"
        page.keyboard.press("Escape")
        # pick a province in the sidebar: its capital is shown
        n = tab_count(page, "city")
        page.fill("#vc-region", "Jiangsu")
        page.click("#vc-load")
        wait_tab(page, "city", n)
        assert _query(page)["region"] == "JS" and _query(page)["city"] == "320100"
        assert "Nanjing" in page.input_value("#vc-city-search")
        # search by pinyin, pick with Enter
        assert _suggested(page, "suzhou")[0] == "320500"
        n = tab_count(page, "city")
        page.keyboard.press("Enter")
        wait_tab(page, "city", n)
        assert _query(page)["city"] == "320500"
        assert "Suzhou" in page.inner_text("#vc-chart-city-network") or "Suzhou" in page.inner_text(".vc-panel:not([hidden])")
        imports = page.inner_text("[data-box=city-imports] .vc-box-title")
        assert "Suzhou" in imports
        found = page.evaluate(f"() => ({SWEEP})(document.querySelector('#vc-panel-city'))")
        assert found["numbers"] > 0 and not found["exponents"] and not found["untagged"], found
        # switch language: the city stays in the link
        page.click("#vc-lang")
        page.wait_for_url("**lang=zh-Hans**")
        wait_tab(page, "city")
        assert _query(page)["city"] == "320500" and _query(page)["tab"] == "city"
        assert "苏州" in page.input_value("#vc-city-search")
        assert page.inner_text("#vc-tab-city").strip() == "城市"
        assert all(_drawn(page).values())


def test_a_shared_link_opens_the_city_in_its_province(browser: Any, server: str) -> None:
    with sized_page(browser, "desktop", "en") as page:
        page.goto(f"{server}/?region=GD&year=2017&lang=en&tab=city&city=330200")
        wait_tab(page, "city")
        q = _query(page)
        assert q["city"] == "330200" and q["region"] == "ZJ", q
        assert "Ningbo" in page.input_value("#vc-city-search")


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_city_tab_fits_and_shoots(browser: Any, server: str, lang: str, size: str) -> None:
    with sized_page(browser, size, lang) as page:
        page.goto(f"{server}/?region=SC&year=2017&lang={lang}&tab=city")
        wait_tab(page, "city")
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], width
        # Sichuan is covered partly: the tab says how much
        note = page.inner_text("#vc-city-coverage")
        assert ("Sichuan" in note) if lang == "en" else ("四川" in note)
        assert all(_drawn(page).values())
        # the partly covered province's city pathway says so, with the rest of the province drawn
        text = _pathway(page)
        assert ("partly" in text) if lang == "en" else ("部分" in text), text
        names = page.evaluate("""() => { const b = window.__vcApp.boxes.find((x) => x.id === "city-pathway");
            return (b.chart.getOption().series || []).map((s) => s.name); }""")
        assert any(("Rest of" in n) if lang == "en" else ("其余部分" in n) for n in names), names
        full_screenshot(page, f"city-{lang}-{size}")
