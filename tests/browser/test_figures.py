"""Figures ready for a report and a readable graph.

* PNG and SVG downloads carry the title (province, year, indicator) in a band on top and the
  caption (units, source and citation, the synthetic flag) in a band below: the image is
  taller than the chart, the title text is in the SVG, no caption word is broken.
* The network's labels never overlap, the top emitters are always labelled, Fit and Reset
  layout work, and embodied-carbon links say that they overlap.
"""

from __future__ import annotations

import re
import struct
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import SCREENSHOTS, screenshot, wait_graph, wait_tab

pytestmark = pytest.mark.browser


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def download(page: Any, selector: str) -> Path:
    with page.expect_download() as dl:
        page.click(selector)
    return Path(dl.value.path())


def group_texts(svg: str, cls: str) -> list[str]:
    m = re.search(rf'<g class="{cls}"[^>]*>(.*?)</g>', svg, re.S)
    assert m, cls
    return [unescape(x) for x in re.findall(r"<text[^>]*>([^<]*)</text>", m.group(1))]


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_png_and_svg_have_a_title_band_and_a_caption_band(page: Any, server: str, lang: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang={lang}&indicator=co2&mode=carbon")
    wait_graph(page)
    title = page.inner_text("#vc-panel-network .vc-box-title")
    plot = page.evaluate("(() => { const r = document.getElementById('vc-chart-network').getBoundingClientRect(); return [r.width, r.height]; })()")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    png = download(page, "[data-download='network-png']").read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"figure-network-{lang}.png").write_bytes(png)  # among the artifacts
    w, h = png_size(png)
    assert w == round(plot[0]) * 2  # pixel ratio 2
    assert h > plot[1] * 2 + 2 * 60, (h, plot)  # taller than the chart by both bands

    svg = download(page, "[data-download='network-svg']").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    height = float(re.search(r'<svg[^>]* height="([\d.]+)"', svg).group(1))
    assert height > plot[1] + 60
    top = group_texts(svg, "vc-fig-title")
    assert top[0] == title, (top, title)  # the title (province, year, indicator) on top
    assert any("GD" in x and "2017" in x for x in top[1:])  # the dataset line
    caption = group_texts(svg, "vc-fig-caption")
    joined = " ".join(caption)
    # the caption: synthetic flag, units, citation; in its own band, under the chart
    assert ("Synthetic" in joined) if lang == "en" else ("合成" in joined)
    assert "Mt CO2" in joined or "百万吨" in joined
    citation = httpx.get(f"{server}/api/meta", params={"lang": lang}).json()["datasets"][0]["citation"]
    if lang == "en":
        # no word broken: every word of the citation is whole on some line
        words = set(" ".join(caption).split())
        for word in citation.split():
            assert word in words, (word, caption)
    chart_top = float(re.search(r'<g class="vc-fig-chart" transform="translate\(0,([\d.]+)\)"', svg).group(1))
    assert chart_top >= 30
    # the caption band starts under the chart
    first_caption_y = float(re.search(r'<g class="vc-fig-caption"><text x="\d+" y="([\d.]+)"', svg).group(1))
    assert first_caption_y > chart_top + plot[1]
    assert not any("/api/download" in u for u in requests)  # figures are made in the page


def test_table_downloads_never_ask_the_server(page: Any, server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for tab in ("sectors", "flows", "provinces", "trade", "compare"):
        page.goto(f"{server}/?region=GD&year=2017&lang=en&tab={tab}")
        wait_tab(page, tab)
        for kind in ("csv", "xlsx"):
            for button in page.locator(f"#vc-panel-{tab} [data-download$='-{kind}']").all():
                if button.is_visible():
                    with page.expect_download():
                        button.click()
    assert not any("/api/download" in u for u in requests), [u for u in requests if "download" in u]


def overlap(a: list[float], b: list[float]) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > 0.5 and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > 0.5


def assert_labels_readable(page: Any, emitters: list[str]) -> None:
    labels = page.evaluate("window.__vc.labels()")
    shown = [x for x in labels if x["show"]]
    assert len(shown) >= 12, len(shown)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not overlap(a["rect"], b["rect"]), (a["code"], b["code"])
    by_code = {x["code"]: x for x in labels}
    for code in emitters:
        assert by_code[code]["show"], code  # the top emitters are always labelled


def test_network_labels_do_not_collide_and_top_emitters_are_labelled(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en&indicator=co2&mode=carbon&keep=0")
    wait_graph(page)
    view = httpx.get(f"{server}/api/view", params={"dataset": "demo", "year": 2017, "region": "GD"}).json()
    top3 = [n["code"] for n in view["nodes"] if n.get("emitter_rank") is not None and n["emitter_rank"] <= 3]
    assert len(top3) == 3
    assert_labels_readable(page, top3)
    stats = page.inner_text("#vc-net-stats")
    assert "kept" not in stats and "plus 0" not in stats, stats  # k = 0: nothing said about keeping
    assert "overlap" in page.inner_text("#vc-embodied-note")  # the embodied-carbon legend line
    screenshot(page, "network-labels")

    # zoom in: the labels are placed again for the new picture
    box = page.locator("#vc-chart-network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function("() => window.__vcApp.views.network.box.chart.getOption().series[0].zoom > 1.05")
    page.wait_for_timeout(400)
    assert_labels_readable(page, top3)
    # Fit: back to the whole graph
    page.click("#vc-net-fit")
    assert page.evaluate("window.__vcApp.views.network.box.chart.getOption().series[0].zoom") == 1
    # a dragged node stays; Reset layout puts it back
    before = page.evaluate("window.__vc.nodePixel('25')")
    page.mouse.move(before["x"], before["y"])
    page.mouse.down()
    page.mouse.move(before["x"] + 120, before["y"] + 80, steps=8)
    page.mouse.up()
    page.wait_for_timeout(300)
    moved = page.evaluate("window.__vc.nodePixel('25')")
    assert abs(moved["x"] - before["x"]) > 40
    page.click("#vc-net-reset")
    back = page.evaluate("window.__vc.nodePixel('25')")
    assert abs(back["x"] - before["x"]) < 2 and abs(back["y"] - before["y"]) < 2


def test_keep_k_says_what_it_added(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=XZ&year=2015&lang=en&mode=carbon&top=1&keep=42")
    wait_graph(page)
    stats = page.inner_text("#vc-net-stats")
    kept = sum(e["keptForEmitter"] for e in page.evaluate("window.__vc.edges()"))
    assert (f"plus {kept} kept" in stats) if kept else ("linked already" in stats), stats
