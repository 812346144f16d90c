"""The roadmap report: rendered by Chromium in both languages (screenshots in
``test-artifacts/screenshots/``), no request leaves the page, every section and the
inline SVG chart are there; the PDF has several A4 pages; a missing Chromium is a clear
error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import absent
from viscarbon.analysis import Workspace
from viscarbon.i18n import t
from viscarbon.roadmap import Roadmapper
from viscarbon.roadmap.assistant import LINKS
from viscarbon.roadmap.report import (
    ReportError,
    chromium_path,
    fmt_money,
    render_html,
    write_html,
    write_pdf,
)
from viscarbon.roadmap.run import Roadmap

pytestmark = pytest.mark.xdist_group("browser")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def rm() -> Roadmap:
    r = Roadmapper(Workspace())
    return r.run("demo", r.scenario("efficient-industry"))


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_html_renders_in_chromium(rm: Roadmap, browser: Any, tmp_path: Path, lang: str) -> None:
    path = write_html(rm, "GD", tmp_path / f"report.{lang}.html", lang=lang)
    ctx = browser.new_context(viewport={"width": 1000, "height": 1400}, locale="en-US" if lang == "en" else "zh-CN")
    foreign: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("file", "data", "about"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    ctx.route("**/*", guard)
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        assert page.title() == t("report.title", lang, region="广东" if lang == "zh-Hans" else "Guangdong")
        for anchor in ("rm-headline", "rm-pathway", "rm-targets", "rm-sectors", "rm-wedges", "rm-levers",
                       "rm-partners", "rm-chains", "rm-assistant", "rm-assumptions", "rm-sources"):
            assert page.locator(f"#{anchor}").count() == 1, anchor
        # every link of the assistant's sentences points at a section of the page
        for href in page.eval_on_selector_all("a.ref", "els => els.map(e => e.getAttribute('href'))"):
            assert href[1:] in LINKS and page.locator(href).count() == 1
        svg = page.locator("#rm-pathway svg")
        box = svg.bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 150
        assert page.locator("#rm-pathway polyline").count() == 5
        text = page.inner_text("body")
        assert t("report.section.assumptions", lang) in text
        assert t("report.synthetic", lang) in text
        assert not re.search(r"\d[eE][+-]?\d", text), "no exponents in the report"
        money = fmt_money(float(rm.scenario.va[0, rm.base.regions.index("GD")]), lang)
        assert money in text
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"report-gd-{lang}.png"), full_page=True)
        page.emulate_media(media="print")
        page.screenshot(path=str(SCREENSHOTS / f"report-gd-{lang}-print.png"), full_page=False)
    finally:
        ctx.close()
    assert not foreign, f"requests to non-local hosts: {foreign}"
    assert not errors, errors


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize(("region", "lang"), [("GD", "zh-Hans"), ("CN", "en")])
def test_pdf_has_pages(rm: Roadmap, tmp_path: Path, region: str, lang: str) -> None:
    if chromium_path() is None:
        absent("Debian's chromium")
    pdf = write_pdf(rm, region, tmp_path / "r.pdf", lang=lang).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) > 1
    boxes = {tuple(round(float(v)) for v in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert boxes == {(0, 0, 595, 842)}  # A4 in points


def test_missing_chromium_is_a_clear_error(rm: Roadmap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISCARBON_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ReportError, match="needs Chromium") as err:
        write_pdf(rm, "GD", tmp_path / "r.pdf")
    assert "--format html" in str(err.value)
    assert not (tmp_path / "r.pdf").exists()


def test_strings_come_from_the_catalogs(rm: Roadmap) -> None:
    en, zh = render_html(rm, "SX", lang="en"), render_html(rm, "SX", lang="zh-Hans")
    assert '<html lang="en">' in en and '<html lang="zh-Hans">' in zh
    for key in ("report.section.targets", "report.section.wedges", "report.assume.explain"):
        assert t(key, "en") in en and t(key, "zh-Hans") in zh
    assert "Targets and gaps" not in zh
    with pytest.raises(Exception, match="unknown region"):
        render_html(rm, "XX")
