"""The analysis layer: Repository + Engine on generated systems, the demo and a store;
caching (a second request costs no factorisation), missing regions, networks, labelled
results and their exports."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine_fixtures import random_system
from viscarbon.analysis import Workspace
from viscarbon.analysis.indicators import INDICATORS, indicator
from viscarbon.errors import NotFound, UnknownCode
from viscarbon.i18n import catalog


def _engine(**kw: object) -> Workspace:
    systems = {"random": {2012: random_system(4, 5, seed=1, year=2012, **kw),  # type: ignore[arg-type]
                          2015: random_system(4, 5, seed=2, year=2015, **kw)}}  # type: ignore[arg-type]
    return Workspace(None, systems=systems, include_demo=False)


@pytest.fixture(scope="module")
def demo_engine() -> Workspace:
    return Workspace(None)


def test_second_request_costs_no_factorisation() -> None:
    e = _engine()
    assert e.factorizations == 0
    assert e.year("random", 2012).coefficients.A.shape == (20, 20)
    assert e.factorizations == 1
    a1 = e.year("random", 2012).accounts()
    e.year("random", 2012).trade()
    e.year("random", 2012).network("BJ", mode="carbon", top_percent=20)
    e.year("random", 2012).network("TJ", mode="money")
    e.year("random", 2012).sector_indicators("HE")
    e.year("random", 2012).region_indicators()
    e.year("random", 2012).electricity_adjusted(power_sector="03")
    assert e.year("random", 2012).accounts() is a1
    assert e.factorizations == 1
    e.trends("random", "BJ", "co2")  # needs the second year
    assert e.factorizations == 2


def test_concurrent_first_requests_factorise_once() -> None:
    e = _engine()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            e.year("random", 2015).accounts()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and e.factorizations == 1


def test_unknown_codes_name_the_allowed_values() -> None:
    e = _engine()
    with pytest.raises(NotFound, match="available: random"):
        e.year("nope", 2012).accounts()
    with pytest.raises(NotFound, match="2012, 2015"):
        e.year("random", 1999).accounts()
    with pytest.raises(UnknownCode, match="BJ, TJ, HE, SX"):
        e.year("random", 2012).network("GD")
    with pytest.raises(UnknownCode, match="money, carbon"):
        e.year("random", 2012).network("BJ", mode="weight")
    with pytest.raises(UnknownCode, match="output"):
        indicator("gdp")
    with pytest.raises(UnknownCode, match="--sector"):
        e.year("random", 2012).electricity_adjusted()


def test_missing_region_is_unknown_not_zero() -> None:
    e = _engine(missing=("SX",))
    acc = e.year("random", 2012).accounts()
    rows = {r["region"]: r for r in acc.as_records()}
    assert rows["SX"]["production_based_mt"] is None and rows["SX"]["status"] == "missing"
    assert rows["BJ"]["production_based_mt"] is not None
    assert rows["SX"]["consumption_based_mt"] > 0  # others emit for its consumption
    assert any("SX" in n for n in acc.meta.note_texts("en"))
    assert any("SX" in n for n in acc.meta.note_texts("zh-Hans"))
    assert abs(acc.identity_gap()) < 1e-12 * acc.arrays.production_based.sum()
    si = e.year("random", 2012).sector_indicators("SX")
    rec = si.as_records()[0]
    assert rec["co2"] is None and rec["co2_share"] is None and rec["co2_rank"] is None
    assert rec["output"] is not None
    el = e.year("random", 2012).electricity_adjusted(power_sector="02").as_records()
    assert {r["region"]: r for r in el}["SX"]["production_based_mt"] is None


def test_identities_through_the_engine() -> None:
    e = _engine()
    acc = e.year("random", 2012).accounts()
    a = acc.arrays
    assert_allclose(a.consumption_based.sum() + a.exports_embodied.sum(), a.production_based.sum(), rtol=1e-11)
    c = e.year("random", 2012).coefficients
    assert_allclose(c.solve(c.table.y_total()), c.table.x, rtol=1e-11)
    tm = e.year("random", 2012).trade()
    assert abs(tm.net_transfer.sum()) < 1e-12 * a.production_based.sum()
    assert_allclose(tm.matrix.sum(axis=1) + tm.for_exports, a.production_industry, rtol=1e-11)
    el = e.year("random", 2012).electricity_adjusted(power_sector="03")
    assert_allclose(el.adjusted.sum(), el.production_based.sum(), rtol=1e-12)
    ri = e.year("random", 2012).region_indicators()
    assert_allclose(ri.values["co2"], a.production_industry, rtol=1e-13)
    si = e.year("random", 2012).sector_indicators("BJ")
    assert_allclose(si["cba_co2"].value.sum(), a.consumption_industry[0], rtol=1e-11)
    assert_allclose(si["output"].value.sum(), ri.values["output"][0], rtol=1e-13)


def test_sector_indicators_shares_ranks_percentiles() -> None:
    e = _engine()
    si = e.year("random", 2012).sector_indicators("HE")
    assert set(si.values) == set(INDICATORS)
    for code, iv in si.values.items():
        known = np.isfinite(iv.value)
        assert sorted(iv.rank.tolist()) == list(range(1, 6))
        top = int(np.argmin(iv.rank))
        assert iv.value[top] == np.nanmax(iv.value)
        assert iv.percentile[top] == 100.0
        if INDICATORS[code].additive and known.all() and iv.value.sum() != 0:
            assert_allclose(np.nansum(iv.share), 1.0, rtol=1e-12)
        else:
            assert np.isnan(iv.share).all()
    assert si["pagerank"].value.sum() == pytest.approx(1.0)
    recs = si.as_records("zh-Hans")
    assert len(recs) == 5 and {"co2", "co2_share", "co2_rank", "co2_percentile"} <= set(recs[0])


def test_isolated_mode_uses_only_the_province_block() -> None:
    e = _engine()
    si = e.year("random", 2012).sector_indicators("TJ", isolated=True)
    t = e.year("random", 2012).coefficients.table
    b = t.region_slice("TJ")
    Zrr = t.Z[b, b]
    x = t.x[b]
    # every sale outside the block is export; every input from outside is import
    assert_allclose(si["exports"].value + Zrr.sum(axis=1) + si["final_use"].value, x, rtol=1e-12)
    assert_allclose(si["imports"].value + Zrr.sum(axis=0) + t.V[:, b].sum(axis=0), x, rtol=1e-12)
    L = np.linalg.inv(np.eye(5) - Zrr / x[None, :])
    f = e.year("random", 2012).coefficients.f[b]
    assert_allclose(si["multiplier"].value, f @ L, rtol=1e-11)
    assert si.isolated and any("isolated" in n.lower() for n in si.meta.note_texts("en"))
    net = e.year("random", 2012).network("TJ", mode="carbon", isolated=True, top_percent=100)
    assert_allclose(net.block, ((f @ L) / 1e6)[:, None] * Zrr, rtol=1e-11)


def test_demo_network_keeps_88_edges_and_the_top_emitter(demo_engine: Workspace) -> None:
    e = demo_engine
    for mode in ("money", "carbon"):
        net = e.year("demo", 2017).network("GD", mode=mode)
        assert net.n_top == 88 and len(net.edges) == 88
        assert all(not ed.kept_for_emitter for ed in net.edges)
        values = [ed.value for ed in net.edges]
        assert values == sorted(values, reverse=True)
        assert [ed.rank for ed in net.edges] == list(range(1, 89))  # 1-based, like the node ranks
    money = e.year("demo", 2017).network("GD", mode="money")
    t = e.year("demo", 2017).coefficients.table
    b = t.region_slice("GD")
    assert_allclose(money.block, t.Z[b, b])
    carbon = e.year("demo", 2017).network("GD", mode="carbon", top_percent=1, keep_top_emitters=5)
    m = e.year("demo", 2017).coefficients.m[b] / 1e6
    assert_allclose(carbon.block, m[:, None] * t.Z[b, b], rtol=1e-13)
    co2 = carbon.nodes["co2"].value
    visible = {ed.source for ed in carbon.edges} | {ed.target for ed in carbon.edges}
    for k in np.argsort(-co2, kind="stable")[:5]:
        assert t.sectors.codes[int(k)] in visible
    assert carbon.n_top == 17  # floor(1 · 1764 / 100)
    # the power sector is the largest emitter of the calibrated demo
    assert t.sectors.codes[int(np.argmax(co2))] == "25"


def test_demo_accounts_and_electricity(demo_engine: Workspace) -> None:
    e = demo_engine
    acc = e.year("demo", 2017).accounts()
    a = acc.arrays
    assert_allclose(a.consumption_based.sum() + a.exports_embodied.sum(), a.production_based.sum(), rtol=1e-10)
    assert acc.meta.synthetic
    el = e.year("demo", 2017).electricity_adjusted()
    assert el.power_sector == "25"
    assert_allclose(el.adjusted.sum(), el.production_based.sum(), rtol=1e-12)
    assert np.abs(el.adjusted - el.production_based).max() > 0.1  # something moved
    assert e.year("demo", 2017).power_sector() == "25"


def test_trends_and_inventory_trend(demo_engine: Workspace) -> None:
    e = demo_engine
    tr = e.trends("demo", "GD", "co2")
    assert tr.years == (2012, 2015, 2017) and tr.unit == "mt"
    assert_allclose(tr.values[-1], e.year("demo", 2017).sector_indicators("GD")["co2"].value)
    assert tr.totals[-1] == pytest.approx(float(np.nansum(tr.values[-1])))
    inten = e.trends("demo", "GD", "intensity")
    assert inten.totals[-1] == pytest.approx(e.year("demo", 2017).region_indicators().values["intensity"][18])
    inv = e.inventory_trend("demo", "GD")
    assert inv.available and inv.years == e.dataset("demo").inventory_years
    # mapped sectors + households = the inventory total of each year
    tables = {t.year: t for t in e.inventory_tables("demo")}
    for i, y in enumerate(inv.years):
        total = tables[y]
        r = total.regions.index("GD")
        assert_allclose(inv.totals[i], total.totals[r], rtol=1e-9)
    xz = e.inventory_trend("demo", "XZ")
    assert not xz.available and any("XZ" in n for n in xz.meta.note_texts())


def test_exports_carry_units_citation_and_synthetic_flag(demo_engine: Workspace, tmp_path: Path) -> None:
    acc = demo_engine.year("demo", 2017).accounts()
    p = acc.write(tmp_path / "fp.json", fmt="json", lang="zh-Hans")
    doc = json.loads(p.read_text(encoding="utf-8"))
    assert doc["meta"]["synthetic"] == "true" and "百万吨 CO2" in doc["meta"]["units"]
    assert doc["meta"]["citation"] and len(doc["rows"]) == 31
    assert doc["rows"][18]["label"] == "广东"
    x = demo_engine.year("demo", 2017).network("GD").write(tmp_path / "net.xlsx", fmt="xlsx")
    assert x.stat().st_size > 0


def test_catalogs_cover_every_indicator_and_note() -> None:
    for lang in ("en", "zh-Hans"):
        cat = catalog(lang)
        for code in INDICATORS:
            assert f"analysis.indicator.{code}" in cat and f"analysis.indicator.{code}.description" in cat
        for unit in ("10k_yuan", "mt", "t_per_10k_yuan", "dimensionless"):
            assert f"analysis.unit.{unit}" in cat
    en = {k for k in catalog("en") if k.startswith("analysis.")}
    zh = {k for k in catalog("zh-Hans") if k.startswith("analysis.")}
    assert en == zh


def test_store_datasets_and_generation(tmp_path: Path) -> None:
    import pymrio

    from viscarbon.ingest import import_files

    folder = tmp_path / "test_mrio"
    pymrio.load_test().save_all(folder)
    store = tmp_path / "store.duckdb"
    import_files(store, "pymrio", [folder], name="pm", year=2000)
    e = Workspace(store)
    names = [d.name for d in e.datasets()]
    assert names == ["demo", "pm"]
    assert e.years("pm") == (2000,)
    net = e.year("pm", 2000).network("reg1", top_percent=50)
    assert net.n_top == 32 and e.factorizations == 1
    # no CO2 satellite in the pymrio test system: carbon indicators are unknown
    assert np.isnan(net.nodes["co2"].value).all()
    e.year("pm", 2000).network("reg2")
    assert e.factorizations == 1
    gen = e.catalog.generation()
    other = pymrio.load_test()
    other.meta.change_meta("description", "a second copy")
    other.save_all(tmp_path / "test_mrio2")
    import_files(store, "pymrio", [tmp_path / "test_mrio2"], name="pm2", year=2001)
    assert e.catalog.generation() != gen
    assert [d.name for d in e.datasets()] == ["demo", "pm", "pm2"]
    e.year("pm", 2000).network("reg1")
    assert e.factorizations == 2  # the store changed: the cache key changed
