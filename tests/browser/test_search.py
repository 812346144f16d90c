"""The province search: suggestions while typing (Chinese, English, pinyin with or without
tones, codes), one replaceable message, never a list of codes or a stack of red banners."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import screenshot, tab_count, wait_graph, wait_tab

pytestmark = pytest.mark.browser

CODES = re.compile(r"\b[A-Z]{2}\b(?:\s*[,、，]\s*\b[A-Z]{2}\b){2,}")  # "BJ, TJ, HE, …"


def suggestions(page: Any) -> list[str]:
    return page.locator("#vc-region-suggest li").evaluate_all("els => els.map(e => e.dataset.code)")


def region(page: Any) -> str:
    return parse_qs(urlsplit(page.url).query)["region"][0]


def type_into(page: Any, text: str) -> None:
    page.fill("#vc-region", "")
    page.type("#vc-region", text, delay=20)


def test_suggestions_while_typing(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en")
    wait_graph(page)
    type_into(page, "Shan")
    assert page.is_visible("#vc-region-suggest")
    assert sorted(suggestions(page)) == ["SD", "SH", "SN", "SX"]
    assert "Shaanxi" in page.inner_text("#vc-region-suggest") and "Shǎnxī" in page.inner_text("#vc-region-suggest")
    screenshot(page, "search-suggestions")
    type_into(page, "neimenggu")
    assert suggestions(page) == ["NM"]
    type_into(page, "Shǎnxī")  # tones pick 陕西 (Shaanxi), not 山西 (Shanxi)
    assert suggestions(page) == ["SN"]
    type_into(page, "shan1xi1")
    assert suggestions(page) == ["SX"]
    type_into(page, "gd")
    assert suggestions(page)[0] == "GD"
    # arrows and Enter pick a suggestion and load it
    n = int(page.evaluate("window.__vcRendered"))
    type_into(page, "Shan")
    first = suggestions(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_graph(page, n)
    assert region(page) == first[1]
    assert not page.is_visible("#vc-region-suggest")


def test_chinese_and_pinyin_in_the_chinese_page(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=zh-Hans")
    wait_graph(page)
    type_into(page, "山")
    assert sorted(suggestions(page)) == ["SD", "SX"]
    assert "山东" in page.inner_text("#vc-region-suggest")
    n = int(page.evaluate("window.__vcRendered"))
    type_into(page, "neimenggu")
    page.keyboard.press("Enter")
    wait_graph(page, n)
    assert region(page) == "NM"
    assert page.input_value("#vc-region") == "内蒙古（NM）"


def test_one_replaceable_message_never_a_list_of_codes(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=GD&year=2017&lang=en")
    wait_graph(page)
    before = page.url
    for text in ("Shan", "山", "xyz", "Shan", "neimengguu"):
        type_into(page, text)
        page.click("#vc-load")
        msg = page.locator("#vc-region-msg")
        assert msg.count() == 1 and msg.is_visible(), text
        assert not CODES.search(msg.inner_text()), msg.inner_text()
        assert page.locator(".vc-notice.vc-error").count() == 0  # no red banners
        assert page.url == before  # nothing was loaded
    assert "No province matches" in page.inner_text("#vc-region-msg")
    type_into(page, "Shan")
    page.click("#vc-load")
    assert "4 provinces" in page.inner_text("#vc-region-msg")
    assert page.get_attribute("#vc-region", "aria-invalid") == "true"
    # a clear answer loads and the message goes
    n = int(page.evaluate("window.__vcRendered"))
    type_into(page, "Shandong")
    page.click("#vc-load")
    wait_graph(page, n)
    assert region(page) == "SD" and not page.is_visible("#vc-region-msg")


def test_bad_region_in_the_link_is_one_dismissable_notice(page: Any, server: str) -> None:
    page.goto(f"{server}/?region=ZZ&lang=en&tab=sectors")
    wait_tab(page, "sectors")
    notices = page.locator(".vc-notice.vc-warn")
    assert notices.count() == 1
    notices.locator(".vc-dismiss").click()
    assert page.locator(".vc-notice.vc-warn").count() == 0
    assert tab_count(page, "sectors") >= 1
