"""Pure view-model functions and the view state, without a server or a browser."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from viscarbon.calc import network
from viscarbon.classification import region_codes, sector_codes
from viscarbon.web import render
from viscarbon.web import viewmodels as vm
from viscarbon.web.viewstate import Choices, DatasetChoice, InvalidParameter, ViewState, parse_side

S4 = ("01", "02", "03", "04")
DS = vm.DatasetMeta(name="demo", kind="demo", years=(2012, 2017), regions=("BJ", "GD", "XZ"),
                    sector_list="io42_2012", synthetic=True, citation="cite me")
# label keys: any catalog key works for these pure tests (the registry's live in analysis.*)
SPECS = (
    vm.IndicatorSpec("output", "10k_yuan", "common.unit.10k_yuan"),
    vm.IndicatorSpec("co2", "mt", "common.unit.mt_co2", carbon=True),
    vm.IndicatorSpec("intensity", "t_per_10k_yuan", "common.unit.t_per_10k_yuan", carbon=True, additive=False),
)


def stat(code: str, values: list[float], *, additive: bool = True) -> vm.IndicatorStat:
    v = np.array(values, dtype=float)
    known = np.isfinite(v)
    rank = np.array(network.ranks(np.where(known, v, -np.inf)), dtype=np.int64)
    pct = np.full(v.shape, np.nan)
    pct[known] = network.percentiles(v[known])
    share = v / np.nansum(v) if additive else None
    return vm.IndicatorStat(code, v, share, rank, pct)


def province_year(*, status: str = "reported", co2: list[float] | None = None) -> vm.ProvinceYear:
    money = np.array([[5.0, 1.0, 0.0, 2.0],
                      [3.0, 0.0, 4.0, 0.0],
                      [0.0, 4.0, 0.0, 0.5],
                      [0.0, 0.0, 0.25, 0.0]])
    carbon = money * np.array([[2.0], [1.0], [3.0], [0.5]])
    co2 = co2 if co2 is not None else [1.0, 8.0, 2.0, 0.5]
    indicators = {
        "output": stat("output", [10.0, 20.0, 30.0, 0.0]),
        "co2": stat("co2", co2),
        "intensity": stat("intensity", [0.1, 0.4, 0.0667, math.nan], additive=False),
    }
    links: dict[str, vm.LinkBlock | None] = {"money": vm.LinkBlock("money", "10k_yuan", money),
                                             "carbon": None if status == "missing" else vm.LinkBlock("carbon", "mt", carbon)}
    return vm.ProvinceYear(dataset=DS, year=2017, region="GD" if status != "missing" else "XZ",
                           sector_list="io42_2012", sectors=S4, status=status, indicators=indicators,
                           links=links,
                           reconciliation={"inventory_mt": 11.5, "mapped_mt": 11.5, "mrio_co2_mt": 12.0},
                           notes={"en": ("a note",), "zh-Hans": ("一条说明",)})


# --------------------------------------------------------------------------- cells
def test_rank_cells_orders_by_value_then_row_then_column() -> None:
    block = np.array([[1.0, 3.0], [3.0, 0.0]])
    # 3.0 at (0,1) before 3.0 at (1,0); then 1.0; then 0.0
    assert vm.rank_cells(block).tolist() == [2, 0, 1, 3]


def test_client_pruning_rule_matches_the_engine_kernel() -> None:
    rng = np.random.default_rng(7)
    W = rng.integers(0, 5, size=(42, 42)).astype(float)  # many ties
    co2 = rng.random(42)
    for top, keep in ((5.0, 0), (5.0, 3), (1.0, 10), (20.0, 42)):
        # the rule docs/api.md gives the client: ranks < n, value > 0, then the strongest
        # link of each top-k emitter that is not yet incident to a kept link
        rank = vm.rank_cells(W)
        n = math.floor(top * 42 * 42 / 100 + 1e-9)
        kept = [int(c) for c in np.argsort(rank)[:n] if W.ravel()[c] > 0]
        visible = set()
        for c in kept:
            visible |= {c // 42, c % 42}
        strongest = vm.strongest_links(W)
        emitters = vm.emitter_order(co2)
        added = []
        for k in sorted(range(42), key=lambda i: emitters[i] or 0)[:keep]:
            c = strongest[k]
            if k in visible or c is None:
                continue
            added.append(c)
            visible |= {c // 42, c % 42}
        expect = [(c, False) for c in kept] + [(c, True) for c in added]
        assert vm.prune_cells(W, top=top, co2=co2, keep=keep) == expect
    assert len(vm.prune_cells(np.arange(1.0, 1765.0).reshape(42, 42), top=5.0, co2=None, keep=0)) == 88


def test_emitter_order_unknown_when_any_co2_missing() -> None:
    assert vm.emitter_order(np.array([1.0, 3.0, 2.0])) == [3, 1, 2]
    assert vm.emitter_order(np.array([1.0, np.nan])) == [None, None]


# --------------------------------------------------------------------------- view
def test_view_payload_shape_and_numbers() -> None:
    py = province_year()
    out = vm.view_payload(py, SPECS, lang="en")
    assert out["key"] == "view/demo/2017/GD"
    assert out["synthetic"] is True and out["banner"].startswith("Synthetic demo data")
    assert out["citation"] == "cite me"
    assert out["S"] == 4 and out["sectors"] == list(S4)
    money = out["links"]["money"]
    assert money["values"] == py.links["money"].values.ravel().tolist()  # type: ignore[union-attr]
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
    out = vm.view_payload(py, SPECS, lang="zh-Hans")
    assert out["status"] == "missing"
    assert "西藏" in out["status_note"]
    assert out["links"]["carbon"] is None
    assert all(n["indicators"]["co2"]["value"] is None for n in out["nodes"])
    assert all(n["emitter_rank"] is None for n in out["nodes"])
    assert out["banner"].startswith("合成")
    json.dumps(out, allow_nan=False)


def test_reconciliation_without_disagreement_has_no_note() -> None:
    rec = vm.reconciliation_block({"inventory_mt": 100.0, "mapped_mt": 100.00001, "mrio_co2_mt": None},
                                  "GD", "en")
    assert rec is not None and rec["note"] is None and rec["difference_mt"] == pytest.approx(1e-5)
    assert vm.reconciliation_block(None, "GD", "en") is None


def test_sectors_and_flows_payloads() -> None:
    py = province_year()
    sec = vm.sectors_payload(py, SPECS, lang="en")
    assert [c["key"] for c in sec["columns"]] == ["output", "co2", "intensity"]
    row = sec["rows"][2]
    assert row["code"] == "03" and row["output"] == 30.0 and row["output_rank"] == 1
    assert row["output_share"] == pytest.approx(0.5) and row["output_percentile"] == 100.0
    fl = vm.flows_payload(py, mode="money", lang="en")
    assert fl["edge_count"] == 8  # non-zero cells
    assert [r["value"] for r in fl["rows"]][:3] == [5.0, 4.0, 4.0]
    assert fl["rows"][0]["intra"] is True
    assert vm.flows_payload(py, mode="money", lang="en", intra="exclude")["edge_count"] == 7
    assert vm.flows_payload(py, mode="money", lang="en", intra="only")["edge_count"] == 1
    only = vm.flows_payload(py, mode="money", lang="en", source="02", minimum=3.5)
    assert [(r["source"], r["target"], r["value"]) for r in only["rows"]] == [("02", "03", 4.0)]
    assert vm.flows_payload(py, mode="money", lang="en", target="02")["edge_count"] == 2
    assert vm.flows_payload(py, mode="money", lang="en", limit=2)["returned"] == 2
    assert vm.flows_payload(py, mode="carbon", lang="en")["unit"] == "mt"


def test_network_payload_counts_and_key() -> None:
    py = province_year()
    edges = [{"source": "01", "target": "01", "value": 5.0, "share": 0.25, "rank": 0, "percentile": 100.0,
              "kept_for_emitter": False}]
    out = vm.network_payload(py, edges, mode="money", top=5.0, keep=1, lang="en")
    assert out["key"] == "network/demo/2017/GD/money/5/1"
    assert out["n_top"] == 0 and out["edge_count"] == 1 and out["edges"][0]["source"] == "01"


def test_provinces_trade_trends_compare() -> None:
    R = ("BJ", "GD", "XZ")
    table = vm.RegionTable(regions=R, status=("reported", "reported", "missing"),
                           values={"co2": np.array([10.0, 30.0, np.nan])},
                           production_mt=np.array([10.0, 30.0, np.nan]),
                           consumption_mt=np.array([15.0, 25.0, 1.0]))
    spec = SPECS[1]
    pr = vm.provinces_payload(DS, 2017, table, spec, lang="en")
    assert [r["rank"] for r in pr["rows"]] == [2, 1, None]
    assert pr["rows"][2]["value"] is None and pr["rows"][2]["status_note"]
    assert pr["rows"][1]["tile"] == [6, 4]
    M = np.array([[5.0, 2.0, 0.0], [1.0, 20.0, 0.5], [0.0, 3.0, 0.1]])
    facts = vm.TradeFacts(regions=R, matrix=M, production_mt=np.array([7.0, 21.5, np.nan]),
                          electricity_adjusted_mt=np.array([8.0, 20.5, 0.1]))
    tr = vm.trade_payload(DS, 2017, facts, region_code="GD", lang="en")
    nets = {n["code"]: n["value"] for n in tr["net_transfer"]}
    assert nets == {"BJ": pytest.approx(1.0 - 2.0), "GD": pytest.approx(5.0 - 1.5), "XZ": pytest.approx(0.5 - 3.0)}
    assert sum(nets.values()) == pytest.approx(0.0)
    assert [p["code"] for p in tr["partners"]["emitted_for_others"]] == ["BJ", "XZ"]
    assert [p["code"] for p in tr["partners"]["others_emit_for"]] == ["XZ", "BJ"]
    assert tr["electricity"][2]["production_mt"] is None and tr["electricity"][0]["difference_mt"] == 1.0
    trend = vm.Trend(years=(2012, 2017), codes=S4, values=np.array([[1.0, 2.0], [5.0, 1.0], [3.0, 3.0], [0.0, np.nan]]),
                     unit="mt")
    tp = vm.trends_payload(DS, "GD", spec, trend, top=2, lang="en")
    assert [s["code"] for s in tp["series"]] == ["03", "01"]  # by last-year value
    assert len(vm.trends_payload(DS, "GD", spec, trend, top=0, lang="en")["series"]) == 4
    cmp_ = vm.compare_payload(province_year(), province_year(co2=[2.0, 8.0, 2.0, 0.5]), SPECS, lang="en")
    co2_total = next(t for t in cmp_["totals"] if t["indicator"] == "co2")
    assert co2_total["a"] == 11.5 and co2_total["b"] == 12.5 and co2_total["diff"] == 1.0
    assert cmp_["rows"][0]["co2_diff"] == 1.0 and not cmp_["sector_list_mismatch"]
    assert all(t["indicator"] != "intensity" for t in cmp_["totals"])


def test_download_tables_carry_units_citation_and_synthetic_flag() -> None:
    py = province_year()
    records, meta = vm.download_table("sectors", vm.sectors_payload(py, SPECS, lang="en"))
    assert meta["synthetic"] == "true" and meta["citation"] == "cite me"
    assert "co2: Mt CO2" in meta["units"] and len(records) == 4
    M = np.eye(3)
    facts = vm.TradeFacts(regions=("BJ", "GD", "XZ"), matrix=M, production_mt=np.ones(3),
                          electricity_adjusted_mt=np.ones(3))
    records, meta = vm.download_table("trade", vm.trade_payload(DS, 2017, facts, region_code=None, lang="en"))
    assert len(records) == 9 and records[0] == {"emitted_in": "BJ", "for_final_demand_of": "BJ", "value_mt": 1.0}


def test_meta_payload_lists_everything() -> None:
    out = vm.meta_payload([DS], SPECS, lang="zh", version="0", generation="g",
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
CHOICES = Choices(datasets=(DatasetChoice("demo", (2012, 2015, 2017), ("BJ", "GD", "XZ"), sectors=S4),
                            DatasetChoice("real", (2012,), ("BJ",), sectors=S4)),
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
    end = page.index(";</script>", start)
    assert json.loads(page[start:end])["meta"]["x"] == "</script><b>&"
