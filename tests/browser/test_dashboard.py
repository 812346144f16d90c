"""What a person does with the dashboard, in Debian's Chromium against a real server.

Any request to a non-local host fails the test (route guard of ``conftest.context``); every
tab leaves a screenshot in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from .conftest import screenshot, tab_count, wait_graph, wait_tab

pytestmark = pytest.mark.browser

TABS = ["network", "sectors", "flows", "trends", "sankey", "provinces", "trade", "compare"]


def fixed(x: float, sig: int = 4, most: int = 2) -> str:
    """A value as core/format.js writes it alone: about `sig` significant digits, at most
    `most` decimals, grouped."""
    d = max(0, min(most, sig - 1 - math.floor(math.log10(abs(x))))) if x else 1
    return f"{x:,.{d}f}"


def query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def api(server: str, endpoint: str, **params: object) -> Any:
    r = httpx.get(f"{server}/api/{endpoint}", params=params, timeout=60)
    r.raise_for_status()
    return r.json()


def hover_node(page: Any, code: str) -> str:
    """Hover the node of sector ``code`` and return the tooltip text."""
    tip = page.locator(".vc-tooltip")
    for _ in range(10):
        # the force layout may still be moving: read the position just before hovering
        pos = page.evaluate("c => window.__vc.nodePixel(c)", code)
        page.mouse.move(pos["x"], pos["y"])
        page.wait_for_timeout(150)
        if tip.is_visible() and "(" + code + ")" in tip.inner_text():
            return str(tip.inner_text())
        page.mouse.move(5, 5)
        page.wait_for_timeout(250)
    raise AssertionError(f"no tooltip for node {code}")


def test_pick_province_year_load_and_hover(page: Any, server: str) -> None:
    page.goto(f"{server}/?lang=en")
    n = wait_graph(page)
    assert query(page)["region"] == "GD"
    page.fill("#vc-region", "Hubei")  # searchable by name
    page.press("#vc-region", "Tab")
    assert page.input_value("#vc-region") == "Hubei (HB)"
    page.select_option("#vc-year", "2015")
    page.click("#vc-load")
    wait_graph(page, n)
    q = query(page)
    assert (q["region"], q["year"], q["dataset"]) == ("HB", "2015", "demo")
    heading = page.inner_text("#vc-panel-network .vc-box-title")
    assert heading == "(Hubei, 2015, Total output)", heading

    view = api(server, "view", dataset="demo", year=2015, region="HB")
    node = next(x for x in view["nodes"] if x["code"] == "25")
    text = hover_node(page, "25")
    assert node["label"] in text
    # money scaled for people (¥ billion, not "53,520,000 10,000 yuan"), CO2 in Mt
    for unit in ("¥", "billion", "Mt CO2", "t CO2 per ¥10,000"):
        assert unit in text, (unit, text)
    assert "10,000 yuan" not in text and "e-" not in text
    for label in ("Total output", "CO2 emissions", "Value added", "Imports", "Exports", "Final use", "In-flows", "Out-flows"):
        assert label in text, (label, text)
    # the CO2 figure shown is the API's, to 4 significant digits (at most 2 decimals)
    co2 = node["indicators"]["co2"]["value"]
    assert f"CO2 emissions: {fixed(co2)} Mt CO2" in text, text
    output = node["indicators"]["output"]["value"]  # 10,000 yuan
    assert f"Total output: ¥{fixed(output / 1e5)} billion" in text or f"Total output: ¥{fixed(output / 1e8)} trillion" in text, text
    screenshot(page, "network")


def test_language_switch_keeps_the_view(page: Any, server: str) -> None:
    page.goto(f"{server}/?dataset=demo&region=SC&year=2012&lang=en&indicator=co2&mode=carbon&tab=sectors")
    wait_tab(page, "sectors")
    with page.expect_navigation():
        page.click("#vc-lang")
    wait_tab(page, "sectors")
    q = query(page)
    assert q["lang"] == "zh-Hans"
    assert (q["region"], q["year"], q["indicator"], q["mode"], q["tab"]) == ("SC", "2012", "co2", "carbon", "sectors")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.inner_text("#vc-tab-network") == "网络"
    assert page.input_value("#vc-region") == "四川（SC）"
    assert "四川" in page.inner_text("#vc-panel-sectors .vc-box-title")
    # sector labels come in Chinese from the API
    assert "电力、热力的生产和供应" in page.inner_text("#vc-table-sectors")
    screenshot(page, "sectors-zh")
    with page.expect_navigation():
        page.click("#vc-lang")
    wait_tab(page, "sectors")
    assert query(page)["lang"] == "en"
    assert page.inner_text("#vc-tab-network") == "Network"


def test_switch_link_mode(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en")
    n = wait_graph(page)
    money = page.evaluate("window.__vc.edges()")
    page.check("#vc-mode-carbon")
    wait_graph(page, n)
    assert query(page)["mode"] == "carbon"
    carbon = page.evaluate("window.__vc.edges()")
    assert len(money) == len(carbon) == 88
    assert {(e["source"], e["target"]) for e in money} != {(e["source"], e["target"]) for e in carbon}
    view = api(server, "view", dataset="demo", year=2017, region="GD")
    S = view["S"]
    largest = max(range(S * S), key=lambda c: view["links"]["carbon"]["values"][c])
    top = carbon[0]
    assert (top["source"], top["target"]) == (view["sectors"][largest // S], view["sectors"][largest % S])


@pytest.mark.parametrize(
    ("region", "year", "mode", "top", "keep"),
    [("GD", 2017, "money", 5, 0), ("GD", 2017, "carbon", 5, 3), ("SX", 2012, "money", 2.5, 6), ("XZ", 2015, "carbon", 1, 42)],
)
def test_client_pruning_equals_api_network(page: Any, server: str, region: str, year: int, mode: str, top: float, keep: int) -> None:
    page.goto(f"{server}/?region={region}&year={year}&mode={mode}&top={top}&keep={keep}&lang=en")
    wait_graph(page)
    client = page.evaluate("window.__vc.edges()")
    net = api(server, "network", dataset="demo", year=year, region=region, mode=mode, top=top, keep=keep)
    assert len(client) == net["edge_count"]
    key = lambda e: (e["source"], e["target"])  # noqa: E731
    assert sorted(map(key, client)) == sorted(map(key, net["edges"]))
    flags = {key(e): e["kept_for_emitter"] for e in net["edges"]}
    for e in client:
        assert e["keptForEmitter"] == flags[key(e)]
        assert e["value"] == pytest.approx(next(x["value"] for x in net["edges"] if key(x) == key(e)), rel=1e-12)
    shown = page.inner_text("#vc-net-stats")
    assert shown.startswith(f"{len(client)} links shown"), shown


def test_sort_and_filter_a_table(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&tab=sectors&indicator=co2")
    wait_tab(page, "sectors")
    table = page.locator("#vc-table-sectors")
    codes = lambda: table.locator(".tabulator-row:not(.tabulator-calcs) .tabulator-cell[tabulator-field='code']").all_inner_texts()  # noqa: E731
    view = api(server, "view", dataset="demo", year=2017, region="GD")
    by_co2 = sorted(view["nodes"], key=lambda x: -x["indicators"]["co2"]["value"])
    assert codes()[0] == by_co2[0]["code"]  # sorted by the selected indicator, descending
    # click the "Code" header: ascending, then descending
    header = table.locator(".tabulator-col[tabulator-field='code'] .tabulator-col-title")
    header.click()
    assert codes()[:3] == ["01", "02", "03"]
    header.click()
    assert codes()[0] == "42"
    # filter by family
    page.select_option("#vc-sectors-family", "energy")
    energy = sorted(x["code"] for x in view["nodes"] if x["family"] == "energy")
    assert sorted(codes()) == energy
    assert page.inner_text("#vc-count-sectors") == f"{len(energy)} of 42 rows"
    # and search within it
    page.fill("#vc-search-sectors", "coal")
    expected = sorted(x["code"] for x in view["nodes"] if x["family"] == "energy" and ("coal" in x["label"].lower() or "coal" in x["code"]))
    assert sorted(codes()) == expected and expected
    screenshot(page, "sectors")


def test_download_csv_carries_units_source_and_synthetic_flag(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&tab=flows&from=25&mode=carbon")
    wait_tab(page, "flows")
    count = int(page.get_attribute("#vc-flows-count", "data-count") or "-1")
    with page.expect_download() as dl:
        page.click("[data-download='flows-csv']")
    download = dl.value
    assert download.suggested_filename == "viscarbon_flows_demo_2017_GD.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    meta = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))
    assert meta["synthetic"] == "true"
    assert meta["dataset"] == "demo" and meta["year"] == "2017"
    assert "Mt CO2" in meta["units"]
    assert "CEADs" in meta["source"]
    assert meta["citation"]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert len(rows) == count > 0
    assert {r["source"] for r in rows} == {"25"}
    view = api(server, "view", dataset="demo", year=2017, region="GD")
    S, sectors = view["S"], view["sectors"]
    i = sectors.index("25")
    for r in rows:
        j = sectors.index(r["target"])
        assert float(r["value"]) == pytest.approx(view["links"]["carbon"]["values"][i * S + j], rel=1e-12)
    # the XLSX of the same table has a data sheet and a metadata sheet
    with page.expect_download() as dl2:
        page.click("[data-download='flows-xlsx']")
    import openpyxl

    assert dl2.value.suggested_filename == "viscarbon_flows_demo_2017_GD.xlsx"
    raw = Path(dl2.value.path()).read_bytes()
    assert zipfile.is_zipfile(io.BytesIO(raw))
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["data", "metadata"]
    data = list(wb["data"].values)
    assert len(data) == count + 2  # codes row, titled header row, then the rows
    md = {k: v for k, v in wb["metadata"].values}
    assert md["synthetic"] == "true" and md["citation"] == meta["citation"]
    screenshot(page, "flows")


def test_chart_downloads_png_and_svg(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&tab=sankey&n=12")
    wait_tab(page, "sankey")
    with page.expect_download() as dl:
        page.click("[data-download='sankey-png']")
    png = Path(dl.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    with page.expect_download() as dl2:
        page.click("[data-download='sankey-svg']")
    svg = Path(dl2.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "synthetic: true" in svg and "10,000 yuan" in svg
    assert "Power &amp; heat" in svg or "Power & heat" in svg
    screenshot(page, "sankey")


def test_shared_url_gives_the_same_view(context: Any, server: str) -> None:
    url = f"{server}/?dataset=demo&region=SC&year=2012&lang=en&mode=carbon&indicator=co2&colour=intensity&top=10&keep=2&gravity=0.2&repulsion=300"
    first = context.new_page()
    first.goto(url)
    wait_graph(first)
    edges = first.evaluate("window.__vc.edges()")
    shared = first.url
    second = context.new_page()
    second.goto(shared)
    wait_graph(second)
    assert second.evaluate("window.__vc.edges()") == edges
    assert len(edges) == 176 + sum(e["keptForEmitter"] for e in edges)
    assert second.input_value("#vc-region") == "Sichuan (SC)"
    assert second.input_value("#vc-year") == "2012"
    assert second.input_value("#vc-indicator") == "co2"
    assert second.input_value("#vc-colour") == "intensity"
    assert second.is_checked("#vc-mode-carbon")
    assert (second.input_value("#vc-top"), second.input_value("#vc-keep")) == ("10", "2")
    assert (second.input_value("#vc-gravity"), second.input_value("#vc-repulsion")) == ("0.2", "300")
    assert second.inner_text("#vc-panel-network .vc-box-title") == "(Sichuan, 2012, CO2 emissions)"


def test_back_and_forward(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en")
    n = wait_graph(page)
    page.fill("#vc-region", "BJ")
    page.select_option("#vc-year", "2012")
    page.click("#vc-load")
    n = wait_graph(page, n)
    page.click("#vc-tab-trends")
    wait_tab(page, "trends")
    assert query(page)["tab"] == "trends"
    page.go_back()
    n = wait_graph(page, n)
    assert query(page)["region"] == "BJ" and "tab" not in query(page)
    assert page.is_visible("#vc-panel-network") and not page.is_visible("#vc-panel-trends")
    page.go_back()
    n = wait_graph(page, n)
    assert (query(page)["region"], query(page)["year"]) == ("GD", "2017")
    assert page.input_value("#vc-region") == "Guangdong (GD)"
    assert page.inner_text("#vc-panel-network .vc-box-title") == "(Guangdong, 2017, Total output)"
    before = tab_count(page, "trends")
    page.go_forward()
    page.go_forward()
    wait_tab(page, "trends", before)
    assert query(page)["region"] == "BJ" and page.is_visible("#vc-panel-trends")


def test_bad_url_parameter_shows_a_message(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=ZZ&year=1900&mode=sideways&top=500&lang=en")
    wait_graph(page)
    alerts = page.locator(".vc-notice.vc-warn").all_inner_texts()
    joined = " ".join(alerts)
    assert "region=ZZ" in joined and "BJ" in joined
    assert "year=1900" in joined and "2017" in joined
    assert "mode=sideways" in joined and "money" in joined
    assert "top=500" in joined
    # the default view is drawn instead of a blank page
    assert page.inner_text("#vc-panel-network .vc-box-title") == "(Guangdong, 2017, Total output)"
    assert len(page.evaluate("window.__vc.edges()")) == 88
    screenshot(page, "bad-parameter")


def test_every_tab_renders_and_leaves_a_screenshot(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&indicator=co2")
    wait_graph(page)
    for tab in TABS:
        before = tab_count(page, tab)
        page.click(f"#vc-tab-{tab}")
        wait_tab(page, tab, before)
        assert query(page).get("tab", "network") == tab
        assert page.is_visible(f"#vc-panel-{tab}")
        assert not page.locator(".vc-notice.vc-error").count(), page.locator(".vc-notice.vc-error").all_inner_texts()
        # the signal came after every chart of the tab reported 'finished' (nothing half drawn)
        pending = page.evaluate(
            "t => window.__vcApp.boxes.filter(b => document.getElementById(`vc-panel-${t}`).contains(b.el))"
            ".map(b => [b.id, b.chart ? b.pending : null])", tab)
        assert all(p is False for _, p in pending), pending
        screenshot(page, f"tab-{tab}")
    # the compare tab compares against another year by default
    assert "Guangdong 2012" in page.inner_text("#vc-compare-summary")
    # the province tile map has one tile per province
    tiles = page.evaluate("window.__vcApp.views.provinces.map.chart.getOption().series[0].data.length")
    assert tiles == 31


def test_compare_two_provinces(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&indicator=co2&tab=compare&compare=demo:2017:SD")
    wait_tab(page, "compare")
    a = api(server, "view", dataset="demo", year=2017, region="GD")
    b = api(server, "view", dataset="demo", year=2017, region="SD")
    total_a = sum(x["indicators"]["co2"]["value"] for x in a["nodes"])
    total_b = sum(x["indicators"]["co2"]["value"] for x in b["nodes"])
    rows = page.evaluate("window.__vcApp.views.compare.totals.table.getData()")
    co2 = next(r for r in rows if r["id"] == "co2")
    assert co2["a"] == pytest.approx(total_a) and co2["b"] == pytest.approx(total_b)
    assert co2["diff"] == pytest.approx(total_b - total_a)
    assert "Shandong 2017" in page.inner_text("#vc-compare-summary")


def test_self_hosted_api_docs(page: Any, server: str) -> None:
    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/view" in paths and "/api/network" in paths


def test_trend_charts_short_legend_full_tooltip_axis_from_zero(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&indicator=co2&tab=trends&n=8")
    wait_tab(page, "trends")
    meta = api(server, "meta", lang="en")
    ds = next(d for d in meta["datasets"] if d["name"] == "demo")
    short = {s["code"]: s["short"] for s in meta["sectors"][ds["sector_list"]]}
    trend = api(server, "trends", dataset="demo", region="GD", indicator="co2", top=8)
    for chart in ("mrio", "inv"):
        opt = page.evaluate(f"window.__vcApp.views.trends.{chart}.chart.getOption()")
        names = [s["name"] for s in opt["series"]]
        assert opt["yAxis"][0]["min"] == 0, (chart, opt["yAxis"][0])
        assert all(len(n) <= 24 for n in names), names
        if chart == "mrio":
            assert names == [short[s["code"]] for s in trend["series"]]
            assert all(s["data"][-1] is not None for s in opt["series"])  # every line reaches 2017
    # the same sector keeps its colour in both charts
    colours = {}
    for chart in ("mrio", "inv"):
        opt = page.evaluate(f"window.__vcApp.views.trends.{chart}.chart.getOption()")
        for s in opt["series"]:
            colours.setdefault(s["name"], set()).add(s["itemStyle"]["color"])
    assert all(len(c) == 1 for c in colours.values()), colours
    # the tooltip names the sector in full
    full = trend["series"][0]["label"]
    box = page.locator("#vc-chart-trends").bounding_box()
    page.mouse.move(box["x"] + box["width"] - 200, box["y"] + box["height"] / 2)
    tip = page.locator("#vc-chart-trends div").filter(has_text="Mt CO2").last
    tip.wait_for(state="visible")
    assert full in tip.inner_text()


def test_compare_difference_colours_match_the_legend(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&indicator=co2&tab=compare&compare=demo:2012:GD")
    wait_tab(page, "compare")
    opt = page.evaluate("window.__vcApp.views.compare.chart.chart.getOption()")
    names = [s["name"] for s in opt["series"]]
    assert names == ["Guangdong 2017", "Guangdong 2012", "Guangdong 2012 higher than Guangdong 2017",
                     "Guangdong 2012 lower than Guangdong 2017"]
    assert opt["legend"][0]["data"] == names
    up, down = opt["series"][2], opt["series"][3]
    # one colour per series (the legend's), no per-bar override; signs split between them
    assert up["itemStyle"]["color"] != down["itemStyle"]["color"]
    for s in opt["series"]:
        assert all(not isinstance(v, dict) for v in s["data"]), s["name"]
    a = opt["series"][0]["data"]
    b = opt["series"][1]["data"]
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        d = y - x
        assert (up["data"][k], down["data"][k]) == ((d, None) if d >= 0 else (None, d))
    heads = page.locator("#vc-table-compare .tabulator-col-title").all_inner_texts()
    assert "Guangdong 2012 − Guangdong 2017 [Mt CO2]" in heads and "Change, Guangdong 2012 vs Guangdong 2017" in heads
    # changes as signed percentages, never a bare ratio
    changes = page.locator("#vc-table-compare .tabulator-cell[tabulator-field='ratio']").all_inner_texts()
    assert changes and all(re.fullmatch(r"[+-]?[<>]?-?\d+\.\d %|–", c) for c in changes), changes
