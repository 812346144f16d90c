"""The views' pure payload functions and the view state, without a server or a browser.

The inputs are analysis results built by hand for a 4-sector province (so every number is
known), wrapped as the views receive them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from viscarbon.analysis import INDICATORS, Network, SectorIndicators
from viscarbon.analysis.results import (
    ElectricityAccounts,
    IndicatorValues,
    Note,
    RegionIndicators,
    ResultMeta,
    TradeMatrix,
    Trend,
)
from viscarbon.calc import network
from viscarbon.classification import region_codes, sector_codes
from viscarbon.datasets import DatasetInfo
from viscarbon.harmonize import ReconciliationReport, ReconciliationRow
from viscarbon.model import Axis
from viscarbon.web import render
from viscarbon.web.views import compare, flows, meta, provinces, sectors, trade, trends
from viscarbon.web.views import network as netview
from viscarbon.web.views.common import reconciliation_block
from viscarbon.web.views.network import ProvinceYear
from viscarbon.web.viewstate import Choices, InvalidParameter, ViewState, parse_side

S4 = ("01", "02", "03", "04")
DS = DatasetInfo(name="demo", kind="demo", years=(2012, 2017), citation="cite me", synthetic=True,
                 regions=("BJ", "GD", "XZ"), sector_list="io42_2012", sectors=S4)
SPECS = (INDICATORS["output"], INDICATORS["co2"], INDICATORS["intensity"])
SECTORS = Axis("sector", S4, list_id="io42_2012")
META = ResultMeta(dataset="demo", year=2017, citation="cite me", synthetic=True, notes=(Note.of("synthetic"),))


def _nodes(status: str, co2: list[float], mode: str) -> SectorIndicators:
    values = {"output": IndicatorValues.of("output", np.array([10.0, 20.0, 30.0, 0.0])),
              "co2": IndicatorValues.of("co2", np.array(co2)),
              "intensity": IndicatorValues.of("intensity", np.array([0.1, 0.4, 0.0667, math.nan]))}
    return SectorIndicators(meta=META, region="GD", region_label_en="Guangdong", region_label_zh="广东",
                            status=status, sectors=SECTORS, values=values, mode=mode)


def _network(block: np.ndarray, mode: str, nodes: SectorIndicators) -> Network:
    co2 = np.nan_to_num(nodes["co2"].value, nan=-np.inf)
    return Network(meta=META, region=nodes.region, mode=mode, unit="10k_yuan" if mode == "money" else "mt",
                   isolated=False, top_percent=5.0, keep_top_emitters=0, nodes=nodes, block=block,
                   rank=network.ranks(block) - 1, pruned=network.prune_edges(block, top_percent=5.0, emissions=co2,
                                                                              keep_top_emitters=0),
                   strongest=network.strongest_links(block))


def _report(region: str) -> ReconciliationReport:
    return ReconciliationReport(inventory_year=2017, table_year=2017, concordance="c",
                                rows=(ReconciliationRow(region, "reported", 11.5, 11.5, 0.0, 12.0),))


def province_year(*, status: str = "reported", co2: list[float] | None = None) -> ProvinceYear:
    money = np.array([[5.0, 1.0, 0.0, 2.0],
                      [3.0, 0.0, 4.0, 0.0],
                      [0.0, 4.0, 0.0, 0.5],
                      [0.0, 0.0, 0.25, 0.0]])
    carbon = money * np.array([[2.0], [1.0], [3.0], [0.5]])
    co2 = co2 if co2 is not None else [1.0, 8.0, 2.0, 0.5]
    region = "GD" if status != "missing" else "XZ"
    m = _network(money, "money", _nodes(status, co2, "money"))
    c = None if status == "missing" else _network(carbon, "carbon", _nodes(status, co2, "carbon"))
    return ProvinceYear(info=DS, year=2017, region=region, money=m, carbon=c, reconciliation=_report(region),
                        notes={"en": ("a note",), "zh-Hans": ("一条说明",)})


def test_view_payload_shape_and_numbers() -> None:
    py = province_year()
    out = netview.view_payload(py, SPECS, lang="en")
    assert out["key"] == "view/demo/2017/GD"
    assert out["synthetic"] is True and out["banner"].startswith("Synthetic demo data")
    assert out["citation"] == "cite me"
    assert out["S"] == 4 and out["sectors"] == list(S4)
    money = out["links"]["money"]
    assert money["values"] == py.money.block.ravel().tolist()
    assert sorted(money["rank"]) == list(range(16))
    assert money["rank"][0] == 0  # 5.0 is the largest cell
    assert money["total"] == pytest.approx(19.75)
    node = out["nodes"][1]
    assert node["code"] == "02" and node["family"] == "energy" and node["colour"] == "#D55E00"
    assert node["indicators"]["co2"] == {"value": 8.0, "share": pytest.approx(8 / 11.5), "rank": 1,
                                         "percentile": 100.0}
    assert node["indicators"]["intensity"]["share"] is None  # not additive
    assert out["nodes"][3]["indicators"]["intensity"] == {"value": None, "share": None, "rank": None,
                                                           "percentile": None}
    assert out["nodes"][3]["empty"] is True and out["nodes"][0]["empty"] is False
    assert [n["emitter_rank"] for n in out["nodes"]] == [3, 1, 2, 4]
    # node 02's strongest link: 4.0 (02 → 03) and 4.0 (03 → 02) tie; row 1 comes first
    assert node["strongest"]["money"] == {"source": "02", "target": "03", "value": 4.0, "cell": 6}
    # carbon link 03 → 02 = 12 beats 02 → 03 = 4
    assert node["strongest"]["carbon"]["cell"] == 9
    rec = out["reconciliation"]
    assert rec["difference_mt"] == pytest.approx(0.5)
    assert "11.50" in rec["note"] and "12.00" in rec["note"]
    json.dumps(out, allow_nan=False)  # JSON-ready: no NaN anywhere


def test_view_payload_missing_region_is_flagged_and_has_no_carbon_links() -> None:
    py = province_year(status="missing", co2=[math.nan] * 4)
    out = netview.view_payload(py, SPECS, lang="zh-Hans")
    assert out["status"] == "missing"
    assert "西藏" in out["status_note"]
    assert out["links"]["carbon"] is None
    assert all(n["indicators"]["co2"]["value"] is None for n in out["nodes"])
    assert all(n["emitter_rank"] is None for n in out["nodes"])
    assert out["banner"].startswith("合成")
    json.dumps(out, allow_nan=False)


def test_reconciliation_without_disagreement_has_no_note() -> None:
    rep = ReconciliationReport(inventory_year=2017, table_year=2017, concordance="c",
                               rows=(ReconciliationRow("GD", "reported", 100.0, 100.00001, 0.0, None),))
    rec = reconciliation_block(rep, "GD", "en")
    assert rec is not None and rec["note"] is None and rec["difference_mt"] == pytest.approx(1e-5)
    assert reconciliation_block(None, "GD", "en") is None
    assert reconciliation_block(rep, "BJ", "en") is None


def test_sectors_and_flows_payloads() -> None:
    py = province_year()
    sec = sectors.sectors_payload(py, SPECS, lang="en")
    assert [c["key"] for c in sec["columns"]] == ["output", "co2", "intensity"]
    row = sec["rows"][2]
    assert row["code"] == "03" and row["output"] == 30.0 and row["output_rank"] == 1
    assert row["output_share"] == pytest.approx(0.5) and row["output_percentile"] == 100.0
    fl = flows.flows_payload(py, mode="money", lang="en")
    assert fl["edge_count"] == 8  # non-zero cells
    assert [r["value"] for r in fl["rows"]][:3] == [5.0, 4.0, 4.0]
    assert fl["rows"][0]["intra"] is True
    assert flows.flows_payload(py, mode="money", lang="en", intra="exclude")["edge_count"] == 7
    assert flows.flows_payload(py, mode="money", lang="en", intra="only")["edge_count"] == 1
    only = flows.flows_payload(py, mode="money", lang="en", source="02", minimum=3.5)
    assert [(r["source"], r["target"], r["value"]) for r in only["rows"]] == [("02", "03", 4.0)]
    assert flows.flows_payload(py, mode="money", lang="en", target="02")["edge_count"] == 2
    assert flows.flows_payload(py, mode="money", lang="en", limit=2)["returned"] == 2
    assert flows.flows_payload(py, mode="carbon", lang="en")["unit"] == "mt"


def test_network_payload_counts_and_key() -> None:
    py = province_year()
    out = netview.network_payload(py, py.money, mode="money", top=5.0, keep=1, lang="en")
    assert out["key"] == "network/demo/2017/GD/money/5/1"
    assert out["n_top"] == 0 and out["edge_count"] == 0
    none = netview.network_payload(py, None, mode="carbon", top=5.0, keep=0, lang="en")
    assert none["edges"] == [] and none["unit"] == "mt"


def test_provinces_trade_trends_compare() -> None:
    R = Axis.regions(("BJ", "GD", "XZ"))
    status = ("reported", "reported", "missing")
    regions = RegionIndicators(meta=META, regions=R, values={"co2": np.array([10.0, 30.0, np.nan])},
                               region_status=status, production_based=(10.0, 30.0, None),
                               consumption_based=np.array([15.0, 25.0, 1.0]))
    pr = provinces.provinces_payload(DS, 2017, regions, INDICATORS["co2"], lang="en")
    assert [r["rank"] for r in pr["rows"]] == [2, 1, None]
    assert pr["rows"][2]["value"] is None and pr["rows"][2]["status_note"]
    assert pr["rows"][2]["production_mt"] is None and pr["rows"][1]["tile"] == [6, 4]
    M = np.array([[5.0, 2.0, 0.0], [1.0, 20.0, 0.5], [0.0, 3.0, 0.1]])
    tm = TradeMatrix(meta=META, regions=R, matrix=M, for_exports=np.array([1.0, 2.0, 0.0]), region_status=status)
    el = ElectricityAccounts(meta=META, regions=R, power_sector="25", production_based=np.array([7.0, 21.5, 0.0]),
                             adjusted=np.array([8.0, 20.5, 0.1]), by_sector=np.zeros(12), factor=np.zeros(3),
                             region_status=status)
    tr = trade.trade_payload(DS, 2017, tm, el, region_code="GD", lang="en")
    nets = {n["code"]: n["value"] for n in tr["net_transfer"]}
    assert nets == {"BJ": pytest.approx(1.0 - 2.0), "GD": pytest.approx(5.0 - 1.5), "XZ": pytest.approx(0.5 - 3.0)}
    assert sum(nets.values()) == pytest.approx(0.0)
    assert [p["code"] for p in tr["partners"]["emitted_for_others"]] == ["BJ", "XZ"]
    assert [p["code"] for p in tr["partners"]["others_emit_for"]] == ["XZ", "BJ"]
    assert tr["electricity"][2]["production_mt"] is None and tr["electricity"][0]["difference_mt"] == 1.0
    trend = Trend(meta=META, region="GD", indicator="co2", unit="mt", years=(2012, 2017), sectors=SECTORS,
                  values=np.array([[1.0, 5.0, 3.0, 0.0], [2.0, 1.0, 3.0, np.nan]]), totals=(9.0, None))
    tp = trends.trends_payload(DS, "GD", INDICATORS["co2"], trend, top=2, lang="en")
    assert [s["code"] for s in tp["series"]] == ["03", "01"]  # by last-year value
    assert tp["series"][0]["values"] == [3.0, 3.0]
    assert len(trends.trends_payload(DS, "GD", INDICATORS["co2"], trend, top=0, lang="en")["series"]) == 4
    cmp_ = compare.compare_payload(province_year(), province_year(co2=[2.0, 8.0, 2.0, 0.5]), SPECS, lang="en")
    co2_total = next(t for t in cmp_["totals"] if t["indicator"] == "co2")
    assert co2_total["a"] == 11.5 and co2_total["b"] == 12.5 and co2_total["diff"] == 1.0
    assert cmp_["rows"][0]["co2_diff"] == 1.0 and not cmp_["sector_list_mismatch"]
    assert all(t["indicator"] != "intensity" for t in cmp_["totals"])


def test_meta_payload_lists_everything() -> None:
    out = meta.meta_payload([DS], SPECS, lang="zh", version="0", generation="g",
                            defaults={"dataset": "demo"})
    assert out["lang"] == "zh-Hans"
    assert [r["code"] for r in out["regions"]] == list(region_codes())
    assert {r["code"]: r["label"] for r in out["regions"]}["GD"] == "广东"
    assert out["regions"][0]["option"] == "BJ:北京"
    assert [s["code"] for s in out["sectors"]["io42_2012"]] == list(sector_codes("io42_2012"))
    assert len(out["families"]) == 7 and out["modes"][1]["code"] == "carbon"
    tiles = {tuple(r["tile"]) for r in out["regions"]}
    assert len(tiles) == 31  # one tile per province


# --------------------------------------------------------------------------- view state
CHOICES = Choices(datasets=(DatasetInfo("demo", "demo", (2012, 2015, 2017), "", True, ("BJ", "GD", "XZ"),
                                        "io42_2012", S4),
                            DatasetInfo("real", "ceads-mrio", (2012,), "", False, ("BJ",), "io42_2012", S4)),
                  indicators=("output", "co2"))


def test_view_state_defaults_and_aliases() -> None:
    st = ViewState.decode({}, CHOICES)
    assert (st.dataset, st.year, st.region, st.lang, st.mode, st.indicator, st.top, st.keep) == \
        ("demo", 2017, "GD", "en", "money", "output", 5.0, 0)
    st = ViewState.decode({"region": "bj", "lang": "zh", "year": "2012", "mode": "carbon", "top": "2.5",
                           "keep": "3", "indicator": "co2"}, CHOICES)
    assert (st.region, st.lang, st.year, st.mode, st.top, st.keep, st.indicator) == \
        ("BJ", "zh-Hans", 2012, "carbon", 2.5, 3, "co2")
    assert ViewState.decode(st.query(), CHOICES) == st
    assert ViewState.decode({"dataset": "real"}, CHOICES).region == "BJ"  # GD absent: first region


@pytest.mark.parametrize(
    ("params", "param", "allowed"),
    [
        ({"dataset": "nope"}, "dataset", ("demo", "real")),
        ({"year": "1999"}, "year", ("2012", "2015", "2017")),
        ({"region": "XX"}, "region", ("BJ", "GD", "XZ")),
        ({"lang": "fr"}, "lang", ("en", "zh-Hans", "zh")),
        ({"mode": "cash"}, "mode", ("money", "carbon")),
        ({"indicator": "gdp"}, "indicator", ("output", "co2")),
        ({"top": "0"}, "top", ()),
        ({"top": "abc"}, "top", ()),
        ({"top": "nan"}, "top", ()),
        ({"keep": "5"}, "keep", ()),
        ({"keep": "1.5"}, "keep", ()),
    ],
)
def test_view_state_rejects_bad_values_naming_what_is_allowed(params: dict[str, str], param: str,
                                                              allowed: tuple[str, ...]) -> None:
    with pytest.raises(InvalidParameter) as info:
        ViewState.decode(params, CHOICES)
    assert info.value.param == param
    assert info.value.allowed == allowed
    for a in allowed:
        assert a in str(info.value)


def test_compare_sides() -> None:
    st = parse_side("a", "demo:2012:gd", CHOICES, lang="en")
    assert (st.dataset, st.year, st.region) == ("demo", 2012, "GD")
    with pytest.raises(InvalidParameter) as info:
        parse_side("b", "demo:2012", CHOICES, lang="en")
    assert info.value.kind == "bad_compare"
    with pytest.raises(InvalidParameter) as info:
        parse_side("b", "demo:2013:GD", CHOICES, lang="en")
    assert info.value.param == "b.year" and "2017" in info.value.allowed


# --------------------------------------------------------------------------- render
def test_render_fills_every_placeholder_and_escapes_script_text() -> None:
    template = render.load_template()
    for p in render.PLACEHOLDERS:
        assert p in template
    boot = render.boot_payload(mode="static", lang="zh", meta={"x": "</script><b>&"}, api_base="")
    assert boot["dataBase"] == "data/zh-Hans/" and boot["catalog"]["common.app_name"] == "viscarbon"
    page = render.render_page(template, lang="zh", title="标题 <x>", boot=boot,
                              assets=render.static_assets())
    assert '<html lang="zh-Hans">' in page and "标题 &lt;x&gt;" in page
    assert 'src="assets/app.js"' in page
    assert "</script><b>" not in page and "\\u003c/script\\u003e" in page
    for p in render.PLACEHOLDERS:
        assert p not in page
    start = page.index("window.VISCARBON_BOOT = ") + len("window.VISCARBON_BOOT = ")
    end = page.index(";\n</script>", start)
    assert json.loads(page[start:end])["meta"]["x"] == "</script><b>&"
    served = render.render_page(template, lang="en", title="t", boot_src="/boot.js?lang=en",
                                assets=render.server_assets())
    assert '<script src="/boot.js?lang=en"></script>' in served and "<script>" not in served
