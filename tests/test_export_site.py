"""The static export (the data side): every province-year and tab payload present under
its key, identical to the API's, and pages that boot in static mode with relative paths."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from viscarbon.analysis.indicators import INDICATORS
from viscarbon.classification import region_codes
from viscarbon.cli.app import app as cli_app
from viscarbon.errors import UnknownCode
from viscarbon.web.app import create_app, static_dir
from viscarbon.web.site import KEY_PARAMS, data_file, data_key

pytestmark = pytest.mark.xdist_group("web_export")

PREFIX = "VISCARBON_DATA_CB("


def read_data(path: Path) -> tuple[str, dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith(PREFIX) and text.endswith(");\n")
    body = text[len(PREFIX):-3]
    dec = json.JSONDecoder()
    key, end = dec.raw_decode(body)
    assert body[end] == ","
    payload, end2 = dec.raw_decode(body, end + 1)
    assert end2 == len(body)
    return key, payload


def boot_of(page: str) -> dict[str, Any]:
    start = page.index("window.VISCARBON_BOOT = ") + len("window.VISCARBON_BOOT = ")
    boot: dict[str, Any] = json.loads(page[start:page.index(";\n</script>", start)])
    return boot


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo exported once through the CLI (with its progress bar)."""
    out = tmp_path_factory.mktemp("site") / "out"
    store = out.parent / "none.duckdb"
    built = (static_dir() / "dist" / "app.js").is_file()
    if not built:
        from viscarbon.analysis import Workspace
        from viscarbon.web.site import export_site

        export_site(Workspace(None), out, allow_missing_assets=True)
        return out
    result = CliRunner().invoke(cli_app, ["export-site", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "Static site written to" in result.output
    return out


def test_data_key_convention() -> None:
    assert data_key("view", dataset="demo", year=2017, region="GD") == "view/demo/2017/GD"
    assert data_key("provinces", dataset="demo", year=2012, indicator="co2") == "provinces/demo/2012/co2"
    assert data_key("trends", dataset="d", region="BJ", indicator="output") == "trends/d/BJ/output"
    assert data_key("inventory-trend", dataset="d", region="BJ") == "inventory-trend/d/BJ"
    assert data_file("zh-Hans", "view/demo/2017/GD") == "data/zh-Hans/view/demo/2017/GD.js"
    with pytest.raises(UnknownCode):
        data_key("view", dataset="demo", year=2017)
    with pytest.raises(UnknownCode):
        data_key("nope", dataset="demo")
    assert set(KEY_PARAMS) == {"view", "provinces", "trade", "trends", "inventory-trend"}


def test_every_province_year_and_tab_payload_is_present(site: Path) -> None:
    manifest = json.loads((site / "data" / "manifest.json").read_text())
    assert manifest["dataset"] == "demo" and manifest["years"] == [2012, 2015, 2017]
    assert manifest["regions"] == list(region_codes())
    expected = set()
    for year in (2012, 2015, 2017):
        for region in region_codes():
            expected.add(data_key("view", dataset="demo", year=year, region=region))
            expected.add(data_key("trade", dataset="demo", year=year, region=region))
        for code in INDICATORS:
            expected.add(data_key("provinces", dataset="demo", year=year, indicator=code))
    for region in region_codes():
        expected.add(data_key("inventory-trend", dataset="demo", region=region))
        for code in INDICATORS:
            expected.add(data_key("trends", dataset="demo", region=region, indicator=code))
    assert set(manifest["keys"]) == expected and len(manifest["keys"]) == len(expected)
    assert manifest["files"] == 2 * len(expected) + len(manifest["shared"])
    assert all((site / "data" / "shared" / f"{k}.js").is_file() for k in manifest["shared"])
    for lang in ("en", "zh-Hans"):
        on_disk = {str(p.relative_to(site / "data" / lang))[:-3] for p in (site / "data" / lang).rglob("*.js")}
        assert on_disk == expected
    for year in (2012, 2015, 2017):
        for region in region_codes():
            key, payload = read_data(site / data_file("en", f"view/demo/{year}/{region}"))
            assert key == payload["key"] == f"view/demo/{year}/{region}"
            assert payload["S"] == 42 and len(payload["nodes"]) == 42 and payload["synthetic"] is True


def _as_the_page_reads(site: Path, lang: str, key: str) -> dict[str, Any]:
    """An exported payload as the page sees it: its shared parts merged in, a compact view
    bundle expanded (frontend/src/core/compact.js), the rank order of the links recomputed."""
    got_key, payload = read_data(site / data_file(lang, key))
    assert got_key == key
    for shared in payload.pop("$shared", []):
        skey, part = read_data(site / "data" / "shared" / f"{shared}.js")
        assert skey == f"shared/{shared}"
        payload.update(part)
    if payload.pop("compact", None) == 1:
        cols = payload.pop("columns")

        def rows(columns: dict[str, Any], i: int) -> dict[str, Any]:
            return {c: {f: col[f][i] for f in ("value", "share", "rank", "percentile")} for c, col in columns.items()}

        for i, node in enumerate(payload["nodes"]):
            node["indicators"] = rows(cols["indicators"], i)
            node["by_mode"] = {m: rows(c, i) for m, c in cols["by_mode"].items()}
        for block in payload["links"].values():
            if block is not None:
                v = block["values"]
                order = sorted(range(len(v)), key=lambda k: (-(v[k] if v[k] is not None else -math.inf), k))
                rank = [0] * len(v)
                for r, cell in enumerate(order):
                    rank[cell] = r
                block["rank"] = rank
    return payload


def _within_rounding(api: Any, site: Any, where: str) -> None:
    """Equal, except floats: within half a unit of the 6th significant digit, the last digit
    the static site states."""
    if isinstance(api, float) and isinstance(site, int | float) and not isinstance(site, bool):
        half = 0.5 * 10 ** (math.floor(math.log10(abs(api))) - 5) if api != 0 else 0.0
        assert abs(api - site) <= half + 1e-12 * abs(api), (where, api, site)
    elif isinstance(api, dict):
        assert isinstance(site, dict) and set(api) == set(site), (where, set(api) ^ set(site))
        for k in api:
            _within_rounding(api[k], site[k], f"{where}.{k}")
    elif isinstance(api, list):
        assert isinstance(site, list) and len(api) == len(site), where
        for i, (a, s) in enumerate(zip(api, site, strict=True)):
            _within_rounding(a, s, f"{where}[{i}]")
    else:
        assert api == site, (where, api, site)


def test_exported_payloads_equal_the_api(site: Path) -> None:
    """What the page reads from the static site is the API's payload, numbers rounded to 6
    significant digits (and the trend series' labels left to the page's sector lists)."""
    client = TestClient(create_app(allowed_hosts=("testserver",)))
    for lang in ("en", "zh-Hans"):
        for key, url in (
            ("view/demo/2015/SX", f"/api/view?dataset=demo&year=2015&region=SX&lang={lang}"),
            ("view/demo/2017/XZ", f"/api/view?dataset=demo&year=2017&region=XZ&lang={lang}"),
            ("trade/demo/2017/GD", f"/api/trade?dataset=demo&year=2017&region=GD&lang={lang}"),
            ("trade/demo/2017/BJ", f"/api/trade?dataset=demo&year=2017&region=BJ&lang={lang}"),
            ("provinces/demo/2012/cba_co2", f"/api/provinces?dataset=demo&year=2012&indicator=cba_co2&lang={lang}"),
            ("trends/demo/XZ/intensity", f"/api/trends?dataset=demo&region=XZ&indicator=intensity&top=0&lang={lang}"),
            ("inventory-trend/demo/BJ", f"/api/inventory-trend?dataset=demo&region=BJ&top=0&lang={lang}"),
        ):
            api = client.get(url).json()
            page = _as_the_page_reads(site, lang, key)
            if key.startswith("view/"):
                # the page orders the rounded link values (ties by position): the top 5 % it
                # prunes to is the server's; far down the order, rounding may swap near-ties
                for mode, block in api["links"].items():
                    if block is None:
                        continue
                    mine, theirs = page["links"][mode].pop("rank"), block.pop("rank")
                    n = len(mine) * 5 // 100
                    top = sorted(range(len(mine)), key=mine.__getitem__)[:n]
                    assert top == sorted(range(len(theirs)), key=theirs.__getitem__)[:n], (key, mode)
            if key.startswith("trends/"):
                api["series"] = [{k: v for k, v in s.items() if k not in ("label", "family")} for s in api["series"]]
            _within_rounding(api, page, key)


def test_the_site_is_small(site: Path) -> None:
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total < 15e6, total


def test_pages_boot_in_static_mode_with_relative_paths(site: Path) -> None:
    for name, lang in (("index.en.html", "en"), ("index.zh-hans.html", "zh-Hans"), ("index.html", "en")):
        page = (site / name).read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        boot = boot_of(page)
        assert boot["mode"] == "static" and boot["lang"] == lang and boot["dataBase"] == f"data/{lang}/"
        assert [d["name"] for d in boot["meta"]["datasets"]] == ["demo"]
        assert boot["catalog"]["api.mode.carbon"] in ("Embodied carbon", "隐含碳")
        assert 'src="assets/app.js"' in page and 'href="assets/app.css"' in page
        assert "/static/" not in page and "http://" not in page
    if (static_dir() / "dist" / "app.js").is_file():
        assert (site / "assets" / "app.js").read_bytes() == (static_dir() / "dist" / "app.js").read_bytes()
        assert (site / "assets" / "app.css").is_file()
