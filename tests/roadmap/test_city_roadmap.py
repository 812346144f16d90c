"""City roadmaps: on a provincial table and a city table cut from one generated world
(tests/city_roadmap_fixtures.py) the cities of a complete province add up to it in every
sector and year, a partial province's cities plus its remainder add up to it, levers
naming a province act on its cities, the base year is the city table's CO2."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import city_roadmap_fixtures as fx
from viscarbon.analysis import Workspace
from viscarbon.roadmap import Roadmapper, parse_scenario
from viscarbon.roadmap.city import CityRoadmap, city_roadmap

pytestmark = pytest.mark.xdist_group("roadmap")
S = 42


@pytest.fixture(scope="module")
def rmr() -> Roadmapper:
    return Roadmapper(fx.workspace())


def _run(rmr: Roadmapper, name: str) -> CityRoadmap:
    sc = rmr.scenario(name)
    return city_roadmap(rmr.base("city", sc), rmr.run("prov", sc), sc, members=fx.MEMBERS)


@pytest.fixture(scope="module")
def efficient(rmr: Roadmapper) -> CityRoadmap:
    return _run(rmr, "efficient-industry")


def test_complete_provinces_add_up_in_every_sector_and_year(efficient: CityRoadmap) -> None:
    rm = efficient.province_run
    for prov in ("BJ", "TJ", "HE"):
        cov = efficient.coverage_of(prov)
        assert cov.status == "complete" and cov.missing == () and cov.k == cov.total
        idx = [efficient.index(c) for c in cov.cities]
        r = rm.regions.index(prov)
        for name in ("baseline", "scenario"):
            want = rm.sector_co2(name)[:, r * S:(r + 1) * S]
            got = efficient.co2[name][:, idx].sum(axis=1)
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(efficient.households[name][:, idx].sum(axis=1),
                                       rm.households(name)[:, r], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(efficient.total(name)[:, idx].sum(axis=1), rm.pba(name)[:, r], rtol=1e-9)
            assert not efficient.rest(prov, name).any()
    # the raw gap is reported: 0 in t0 (the tables agree there), not 0 later (the city table
    # lacks the feedback through the cities it leaves out)
    gap = efficient.coverage_of("HE").gap["scenario"]
    assert abs(gap[0]) < 1e-9 and abs(gap[-1]) > 1e-6


def test_partial_province_cities_plus_rest_add_up_and_say_so(efficient: CityRoadmap) -> None:
    rm = efficient.province_run
    cov = efficient.coverage_of("LN")
    assert cov.status == "partial" and cov.cities == ("210100",) and cov.missing == ("210200",)
    assert (cov.k, cov.total) == (1, 2) and 0 < cov.share_t0 < 1
    c, r, q = efficient.index("210100"), rm.regions.index("LN"), 3
    for name in ("baseline", "scenario"):
        got = efficient.co2[name][:, c] + efficient.remainder[name][:, q]
        np.testing.assert_allclose(got, rm.sector_co2(name)[:, r * S:(r + 1) * S], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(efficient.total(name)[:, c] + efficient.rest("LN", name), rm.pba(name)[:, r],
                                   rtol=1e-9)
    assert efficient.city("210100").status == "partial"


def test_base_year_is_the_city_tables_co2(rmr: Roadmapper, efficient: CityRoadmap) -> None:
    sys = fx.systems()["city"][2017]
    F = sys.satellite("CO2").F.sum(axis=0).reshape(-1, S)
    F_Y = sys.satellite("CO2").F_Y.sum(axis=0).reshape(len(fx.CITY_TABLE), -1).sum(axis=1)
    for name in ("baseline", "scenario"):
        np.testing.assert_allclose(efficient.co2[name][0], F, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(efficient.households[name][0], F_Y, rtol=1e-9)


def test_city_without_provincial_roadmap_is_flagged_and_raw(efficient: CityRoadmap) -> None:
    c = efficient.index("150100")
    assert efficient.status[c] == "no_roadmap" and efficient.province_of[c] == "NM"
    np.testing.assert_array_equal(efficient.co2["scenario"][:, c], efficient.raw["scenario"][:, c])
    assert efficient.city("150100").share_of_province is None
    assert any("150100" in n and "no provincial roadmap" in n for n in efficient.notes)
    assert {c.province for c in efficient.coverage} == {"BJ", "TJ", "HE", "LN"}


def test_summary_numbers(efficient: CityRoadmap) -> None:
    s = efficient.city("130100")
    k = int(np.argmax(s.total))
    assert s.peak_year == int(efficient.years[k]) and s.peak == s.total[k]
    assert s.at[2030] == s.total[2030 - efficient.t0] and s.at[2060] == s.total[-1]
    assert s.reduction == pytest.approx(1 - s.total[-1] / s.total[0])
    assert s.share_of_province is not None
    np.testing.assert_allclose(s.share_of_province, s.total / efficient.province_total("HE"))
    assert efficient.scenario_id == "efficient-industry" and efficient.years[-1] == 2060


def test_a_lever_naming_a_province_acts_on_its_cities_only(rmr: Roadmapper) -> None:
    sc = parse_scenario("""
[scenario]
id = "he-cut"
title_en = "HE cut"
title_zh_hans = "河北"
[[lever]]
kind = "intensity"
regions = ["HE"]
sectors = "*"
rate = -0.05
from = 2021
to = 2060
""", file="he.toml")
    cr = city_roadmap(rmr.base("city", sc), rmr.run("prov", sc), sc, members=fx.MEMBERS)
    he = [cr.index(c) for c in fx.MEMBERS["HE"]]
    others = [i for i in range(len(fx.CITY_TABLE)) if i not in he]
    t = 2040 - cr.t0
    ratio = cr.raw["scenario"][t, he].sum() / cr.raw["baseline"][t, he].sum()
    assert ratio == pytest.approx(0.95 ** (2040 - 2020), rel=1e-9)
    np.testing.assert_allclose(cr.raw["scenario"][:, others], cr.raw["baseline"][:, others], rtol=1e-12)
    # reconciled, the HE cities follow the province's own scenario
    r = cr.province_run.regions.index("HE")
    np.testing.assert_allclose(cr.total("scenario")[:, he].sum(axis=1), cr.province_run.pba("scenario")[:, r],
                               rtol=1e-9)


def test_a_city_without_co2_counts_as_missing() -> None:
    systems = fx.systems()
    k = fx.CITY_TABLE.index("130600")
    for y, sys in systems["city"].items():
        sat = sys.satellite("CO2")
        status = tuple("missing" if i == k else s for i, s in enumerate(sat.region_status))
        systems["city"][y] = replace(sys, satellites=(replace(sat, region_status=status),))
    rmr = Roadmapper(Workspace(systems=systems, include_demo=False))
    sc = rmr.scenario("baseline")
    cr = city_roadmap(rmr.base("city", sc), rmr.run("prov", sc), sc, members=fx.MEMBERS)
    cov = cr.coverage_of("HE")
    assert cr.status[k] == "no_co2" and cov.status == "partial" and cov.missing == ("130600",)
    r = cr.province_run.regions.index("HE")
    idx = [cr.index(c) for c in cov.cities]
    np.testing.assert_allclose(cr.total("scenario")[:, idx].sum(axis=1) + cr.rest("HE"), cr.province_run.pba("scenario")[:, r],
                               rtol=1e-9)


def test_the_concordance_decides_completeness_by_default(rmr: Roadmapper) -> None:
    from viscarbon.classification import province_cities

    sc = rmr.scenario("baseline")
    cr = city_roadmap(rmr.base("city", sc), rmr.run("prov", sc), sc)
    assert cr.coverage_of("BJ").status == "complete"  # a municipality is one city
    he = cr.coverage_of("HE")
    listed = tuple(c.code for c in province_cities("HE"))
    assert he.status == "partial" and he.listed == listed and he.total == len(listed) > 5
    assert set(he.missing) == set(listed) - set(fx.MEMBERS["HE"])


@pytest.mark.parametrize("name", ["efficient-industry", "clean-power"])
def test_city_outputs_equal_a_dense_solve_per_year(rmr: Roadmapper, name: str) -> None:
    from viscarbon.roadmap.city import city_levers, city_outputs, city_province
    from viscarbon.roadmap.engine import _coefficient_changes, _scales
    from viscarbon.roadmap.levers import resolve_lever

    sc = rmr.scenario(name)
    base = rmr.base("city", sc)
    prov = tuple(city_province(c) for c in base.regions.codes)
    levers = tuple(resolve_lever(lv, base) for lv in city_levers(sc.levers, base.regions, prov))
    x, G = city_outputs(base, levers)
    rows, cols, D = _coefficient_changes(base, levers)
    assert cols.size and D.any()
    np.testing.assert_array_equal(G, _scales(base, levers))
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    for t in (0, 13, 43):
        A = np.array(base.A0)
        A[np.ix_(rows, cols)] += D[t]
        want = np.linalg.solve(np.eye(base.n) - A, rhs @ G[t])
        np.testing.assert_allclose(x[t], want, rtol=1e-9)
