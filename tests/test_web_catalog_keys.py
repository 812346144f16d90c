"""Every UI string of the front end (frontend/src/**/*.js) is in the web catalogs, in both
languages, and the web catalogs hold no key the front end never uses."""

from __future__ import annotations

import re
from pathlib import Path

from viscarbon.i18n import catalog

SRC = Path(__file__).resolve().parent.parent / "frontend" / "src"
STATIC_KEY = re.compile(r"""\bt\(\s*["']((?:web|common)\.[A-Za-z0-9_.]+)["']""")
# keys built at run time: t(`web.tab.${tab}`) and friends, with the values they take
DYNAMIC = {
    "web.tab.": ["network", "sectors", "flows", "trends", "sankey", "provinces", "trade", "compare", "roadmap", "supply_chains",
                 "city"],
    "web.city.size.": ["output", "co2"],
    "web.roadmap.slider.": ["power", "industry", "demand", "electrification"],
    "web.roadmap.direction.": ["upstream", "downstream"],
    "web.roadmap.pathway.": ["baseline", "scenario"],
    "web.mode.": ["money", "carbon"],
    "web.help.": ["load", "graph", "size", "links", "headline", "tabs", "share", "offline"],
    "web.": ["top", "keep"],  # range errors name the field: t(`web.${key}`)
    "common.": ["citation.mrio_2012_2017", "citation.mrio_2018_2020", "citation.inventory"],
}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in SRC.rglob("*.js"):
        keys.update(STATIC_KEY.findall(path.read_text(encoding="utf-8")))
    for prefix, names in DYNAMIC.items():
        keys.update(prefix + n for n in names)
    return keys


def test_front_end_strings_are_in_both_catalogs() -> None:
    used = used_keys()
    assert len(used) > 100
    for lang in ("en", "zh-Hans"):
        missing = sorted(k for k in used if k not in catalog(lang))
        assert not missing, (lang, missing)


def test_web_catalog_has_no_unused_keys() -> None:
    used = used_keys()
    # sidebar labels are looked up through f(labelKey, ...) and field names
    labels = set()
    for path in SRC.rglob("*.js"):
        labels.update(re.findall(r"""["'](web\.[A-Za-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    web = {k for k in catalog("en") if k.startswith("web.")}
    unused = sorted(web - used - labels)
    assert not unused, unused


def test_chinese_catalog_is_chinese() -> None:
    zh = catalog("zh-Hans")
    assert zh["web.load"] == "加载"
    assert zh["web.tab.network"] == "网络"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    texts = [v for k, v in zh.items() if k.startswith("web.")]
    assert sum(bool(cjk.search(v)) for v in texts) / len(texts) > 0.95
