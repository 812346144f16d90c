"""analysis.structural.sda between two generated vintages: exact sums, regions, deflators."""

from __future__ import annotations

import numpy as np
import pytest

from engine_fixtures import random_system
from viscarbon.analysis import EXPORTS_CODE, NATIONAL_CODE, sda
from viscarbon.calc.sda import SDA_FACTORS
from viscarbon.errors import DataError


@pytest.fixture(scope="module")
def years():  # type: ignore[no-untyped-def]
    return random_system(4, 5, seed=31, year=2012), random_system(4, 5, seed=32, year=2015)


@pytest.mark.parametrize("method", ["polar", "shapley"])
def test_national_effects_sum_to_the_change_in_industry_co2(years, method) -> None:  # type: ignore[no-untyped-def]
    s0, s1 = years
    res = sda(s0, s1, method=method)
    assert res.destinations == ("BJ", "TJ", "HE", "SX", EXPORTS_CODE)
    np.testing.assert_allclose(res.effects.sum(axis=0), res.co2_to - res.co2_from, rtol=1e-10,
                               atol=1e-12 * abs(res.co2_to).max())
    eff, e0, e1 = res.national()
    # the fixtures are balanced with x = L y exactly, so Σ destinations = Σ industry CO2
    assert e0 == pytest.approx(float(s0.satellite("CO2").total.sum()), rel=1e-10)
    assert e1 == pytest.approx(float(s1.satellite("CO2").total.sum()), rel=1e-10)
    assert float(eff.sum()) == pytest.approx(e1 - e0, rel=1e-10)
    recs = res.as_records()
    assert recs[-1]["destination"] == NATIONAL_CODE
    for r in recs:
        parts = sum(r[f"{f}_mt"] for f in SDA_FACTORS)  # type: ignore[misc]
        assert parts == pytest.approx(r["change_mt"], rel=1e-9, abs=1e-15)
    hh0 = s0.satellite("CO2").total_Y.sum()
    hh1 = s1.satellite("CO2").total_Y.sum()
    assert recs[-1]["households_direct_change_mt"] == pytest.approx(hh1 - hh0, rel=1e-12)


def test_region_row_matches_the_full_decomposition(years) -> None:  # type: ignore[no-untyped-def]
    s0, s1 = years
    full = sda(s0, s1)
    one = sda(s0, s1, region="HE")
    np.testing.assert_allclose(one.effects[:, 0], full.effects[:, 2], rtol=1e-13)
    recs = one.as_records()
    assert [r["destination"] for r in recs] == ["HE", NATIONAL_CODE]
    # the national row still sums every destination
    assert recs[-1]["change_mt"] == pytest.approx(full.as_records()[-1]["change_mt"], rel=1e-12)
    np.testing.assert_allclose(one.national()[0], full.effects.sum(axis=1), rtol=1e-12)


def test_deflators_move_effects_between_factors_not_the_total(years) -> None:  # type: ignore[no-untyped-def]
    s0, s1 = years
    cur = sda(s0, s1)
    same = sda(s0, s1, deflators={2012: 1.0, 2015: 1.0})
    np.testing.assert_allclose(same.effects, cur.effects, rtol=1e-12, atol=1e-15)
    real = sda(s0, s1, deflators={2012: 1.0, 2015: 1.25})
    np.testing.assert_allclose(real.co2_to - real.co2_from, cur.co2_to - cur.co2_from, rtol=1e-12)
    np.testing.assert_allclose(real.effects.sum(axis=0), cur.effects.sum(axis=0), rtol=1e-9,
                               atol=1e-15)
    # with a uniform deflator p: real level shrinks by 1/p, real intensity grows by p
    assert real.effects[4].sum() < cur.effects[4].sum()
    assert real.effects[0].sum() > cur.effects[0].sum()
    per_sector = sda(s0, s1, deflators={2012: 1.0, 2015: [1.1, 1.2, 0.9, 1.0, 1.3]}, method="shapley")
    np.testing.assert_allclose(per_sector.effects.sum(axis=0), cur.co2_to - cur.co2_from, rtol=1e-9)
    assert "deflated" in real.metadata()["prices"]
    assert "no deflation" in cur.metadata()["prices"]
    assert "不变价" in real.metadata("zh-Hans")["prices"]


def test_isolated_province(years) -> None:  # type: ignore[no-untyped-def]
    s0, s1 = years
    res = sda(s0, s1, region="TJ", isolated=True, method="shapley")
    assert res.destinations == ("TJ",)
    sl = s0.table.region_slice("TJ")
    e0 = float(s0.satellite("CO2").total[sl].sum())
    e1 = float(s1.satellite("CO2").total[sl].sum())
    # the block's own final deliveries drive all of the province's industry CO2
    assert float(res.co2_from[0]) == pytest.approx(e0, rel=1e-10)
    assert float(res.co2_to[0]) == pytest.approx(e1, rel=1e-10)
    assert float(res.effects.sum()) == pytest.approx(e1 - e0, rel=1e-9)
    assert abs(res.effects[3, 0]) < 1e-12 * abs(e0)  # one source region: no sourcing effect
    assert [r["destination"] for r in res.as_records()] == ["TJ"]


def test_axes_and_arguments_are_checked(years) -> None:  # type: ignore[no-untyped-def]
    s0, _ = years
    other = random_system(4, 6, seed=33, year=2017)
    with pytest.raises(DataError, match="same sector axis"):
        sda(s0, other)
    with pytest.raises(DataError, match="same region axis"):
        sda(s0, random_system(3, 5, seed=34, year=2017))
    s1 = years[1]
    with pytest.raises(DataError, match="none for 2015"):
        sda(s0, s1, deflators={2012: 1.0})
    with pytest.raises(DataError, match="positive"):
        sda(s0, s1, deflators={2012: 1.0, 2015: -1.0})
    with pytest.raises(DataError, match="method"):
        sda(s0, s1, method="ordering")  # type: ignore[arg-type]
