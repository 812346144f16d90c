"""Every view in both languages at both sizes (1440 × 900 and a 390 × 844 phone): it draws
without an error, fits the width, and every number on it is for people — tagged with its
unit, never an exponent (the number sweep: the page's text, each chart's tooltip and the
texts drawn in each chart). A full-page screenshot of each lands in
``test-artifacts/screenshots/<tab>-<lang>-<size>.png``."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import SWEEP, full_screenshot, sized_page, wait_tab

pytestmark = pytest.mark.browser

TABS = ["network", "sectors", "flows", "trends", "sankey", "provinces", "trade", "supply_chains", "city", "compare",
        "roadmap"]
# a chart text with more than 6 digits in a row (grouped or not) is a raw 10,000-yuan figure
LONG = re.compile(r"\d(?:,?\d){6,}")
EXP = re.compile(r"\d[eE][-+]?\d")
# half-width punctuation touching a Chinese character
HALF = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")

TOOLTIPS = """
(tab) => {
  const app = window.__vcApp;
  const panel = document.getElementById(`vc-panel-${tab}`);
  const out = [];
  for (const box of app.boxes) {
    if (!box.chart || box.chart.isDisposed() || !panel.contains(box.el) || box.plot.offsetParent === null) continue;
    const series = box.chart.getOption().series || [];
    if (!series.length || !series[0].data || !series[0].data.length) continue;
    const idx = series[0].type === "graph" ? series[0].data.findIndex((d) => d.value !== null) : 0;
    box.chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: Math.max(0, idx) });
    const tip = box.plot.querySelector(".vc-tooltip");
    out.push({ id: box.id, found: !!tip, html: tip ? tip.innerHTML : "" });
  }
  return out;
}
"""

SWEEP_TOOLTIP = """
(id) => {
  const box = window.__vcApp.boxes.find((b) => b.id === id && b.plot.offsetParent !== null);
  return (""" + SWEEP + """)(box.plot.querySelector(".vc-tooltip"), true);
}
"""


def sweep(page: Any, tab: str) -> dict[str, Any]:
    out = {"untagged": [], "exponents": [], "numbers": 0}
    for sel in (f"#vc-panel-{tab}", ".vc-notices", "#vc-headline"):
        part = page.evaluate(f"() => ({SWEEP})(document.querySelector('{sel}'))")
        for k in ("untagged", "exponents"):
            out[k] += part[k]
        out["numbers"] += part["numbers"]
    return out


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_every_view_in_both_languages_and_sizes(browser: Any, server: str, lang: str, size: str) -> None:
    with sized_page(browser, size, lang) as page:
        for tab in TABS:
            page.goto(f"{server}/?region=GD&year=2017&lang={lang}&tab={tab}&indicator=co2&mode=carbon&keep=3")
            wait_tab(page, tab)
            assert page.get_attribute("html", "lang") == lang
            assert not page.locator(".vc-notice.vc-error").count(), page.locator(".vc-notice.vc-error").all_inner_texts()
            # the page fits the width: nothing sticks out (tables scroll inside their box)
            width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1], (tab, width)
            if size == "phone":
                # the sidebar is a closed drawer: the view comes first, right under the tabs
                assert not page.is_visible("#vc-load")
                top = page.evaluate(f"document.querySelector('#vc-panel-{tab} .vc-box').getBoundingClientRect().top")
                assert top < 844 / 2, (tab, top)
                assert page.evaluate("document.getElementById('vc-lang').getBoundingClientRect().height") < 40  # one line
            # numbers for people: tagged with their unit, no exponent
            found = sweep(page, tab)
            assert found["numbers"] > 0, tab
            assert not found["exponents"], (tab, found["exponents"])
            assert not found["untagged"], (tab, found["untagged"][:10])
            for tip in page.evaluate(TOOLTIPS, tab):
                if not tip["found"]:
                    continue
                t = page.evaluate(SWEEP_TOOLTIP, tip["id"])
                assert not t["exponents"] and not t["untagged"], (tab, tip["id"], t, tip["html"][:300])
            for chart in page.evaluate("t => window.__vcApp.chartTexts(t)", tab):
                for text in chart["texts"]:
                    assert not EXP.search(text), (tab, chart["id"], text)
                    assert not LONG.search(text), (tab, chart["id"], text)
            if lang == "zh-Hans":
                body = page.inner_text(f"#vc-panel-{tab}")
                assert not HALF.search(body), (tab, HALF.findall(body)[:5])
                assert not re.search(r"\b(reported|imputed|missing)\b", body), tab
            page.mouse.move(2, 2)
            page.evaluate("() => window.__vcApp.boxes.forEach(b => b.chart && !b.chart.isDisposed() && b.chart.dispatchAction({type: 'hideTip'}))")
            page.wait_for_function("() => [...document.querySelectorAll('.vc-tooltip')].every(t => getComputedStyle(t).display === 'none' || getComputedStyle(t).visibility === 'hidden' || getComputedStyle(t).opacity === '0')")
            full_screenshot(page, f"{tab}-{lang}-{size}")


def test_phone_drawer_opens_loads_and_closes(browser: Any, server: str) -> None:
    with sized_page(browser, "phone", "en") as page:
        page.goto(f"{server}/?region=GD&year=2017&lang=en")
        wait_tab(page, "network")
        assert page.inner_text("#vc-menu") .endswith("Guangdong 2017")
        page.click("#vc-menu")
        page.wait_for_function("() => document.getElementById('vc-sidebar').getBoundingClientRect().left >= 0")
        assert page.is_visible("#vc-load")
        before = int(page.evaluate("(window.__vcTabRendered || {}).network || 0"))
        page.fill("#vc-region", "Sichuan")
        page.keyboard.press("Enter")
        wait_tab(page, "network", before)
        assert "region=SC" in page.url
        page.wait_for_function("() => document.getElementById('vc-sidebar').getBoundingClientRect().right <= 0")
        assert page.inner_text("#vc-menu").endswith("Sichuan 2017")


def test_controls_follow_the_tab(page: Any, server: str) -> None:
    """Controls that do nothing on the current tab are hidden."""
    page.goto(f"{server}/?region=GD&year=2017&lang=en")
    wait_tab(page, "network")
    for sel in ("#vc-indicator", "#vc-colour", "#vc-mode-carbon", "#vc-top", "#vc-keep", "#vc-gravity"):
        assert page.is_visible(sel), sel
    expect = {
        "sectors": {"#vc-indicator"},
        "flows": {"#vc-mode-carbon"},
        "trends": {"#vc-indicator"},
        "sankey": {"#vc-mode-carbon"},
        "provinces": {"#vc-indicator"},
        "trade": set(),
        "compare": {"#vc-indicator"},
    }
    for tab, shown in expect.items():
        before = int(page.evaluate(f"(window.__vcTabRendered || {{}}).{tab} || 0"))
        page.click(f"#vc-tab-{tab}")
        wait_tab(page, tab, before)
        for sel in ("#vc-indicator", "#vc-colour", "#vc-mode-carbon", "#vc-top", "#vc-keep", "#vc-gravity"):
            assert page.is_visible(sel) == (sel in shown), (tab, sel)
        assert page.is_visible("#vc-group-display") == bool(shown), tab
    assert not page.is_visible("#vc-co2unit")  # 万吨 is for the Chinese page


def test_chinese_page_offers_co2_in_10kt(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=zh-Hans&tab=sectors&indicator=co2")
    wait_tab(page, "sectors")
    head = " ".join(page.locator("#vc-table-sectors .tabulator-col-title").all_inner_texts())
    assert "百万吨 CO2" in head
    before = int(page.evaluate("(window.__vcTabRendered || {}).sectors || 0"))
    page.select_option("#vc-co2unit", "10kt")
    wait_tab(page, "sectors", before)
    assert "co2=10kt" in page.url
    head = " ".join(page.locator("#vc-table-sectors .tabulator-col-title").all_inner_texts())
    assert "万吨 CO2" in head and "百万吨" not in head
    first = page.locator("#vc-table-sectors .tabulator-row:not(.tabulator-calcs) .tabulator-cell[tabulator-field='co2']").first.inner_text()
    assert float(first.replace(",", "")) > 20000  # 277.9 Mt = 27,790 万吨
