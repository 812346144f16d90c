"""sda through the Engine on the demo (2012, 2015, 2017) and on in-memory vintages."""

from __future__ import annotations

import numpy as np
import pytest

from engine_fixtures import random_system
from viscarbon.analysis import NATIONAL_CODE, Workspace
from viscarbon.calc.sda import SDA_FACTORS


@pytest.fixture(scope="module")
def demo() -> tuple[Workspace, Workspace]:
    eng = Workspace()
    return eng, eng


@pytest.mark.parametrize(("y0", "y1"), [(2012, 2015), (2015, 2017), (2012, 2017)])
@pytest.mark.parametrize("method", ["polar", "shapley"])
def test_demo_vintages_sum_exactly(demo, y0, y1, method) -> None:  # type: ignore[no-untyped-def]
    eng, sa = demo
    res = sa.sda("demo", y0, y1, method=method)
    assert len(res.destinations) == 32  # 31 provinces + foreign exports
    change = res.co2_to - res.co2_from
    np.testing.assert_allclose(res.effects.sum(axis=0), change, rtol=1e-9, atol=1e-9 * abs(change).max())
    eff, e0, e1 = res.national()
    assert float(eff.sum()) == pytest.approx(e1 - e0, rel=1e-9)
    # Σ destinations = industry CO2 of the year (x = L y up to the table's balance tolerance)
    for year, total in ((y0, e0), (y1, e1)):
        c = eng.year("demo", year).coefficients
        assert total == pytest.approx(float(c.F.sum()), rel=1e-5)
    rec = res.as_records()[-1]
    assert rec["destination"] == NATIONAL_CODE
    assert set(SDA_FACTORS) <= {k.removesuffix("_mt") for k in rec}
    meta = res.metadata()
    assert meta["synthetic"] == "true"
    assert "no deflation" in meta["prices"]
    assert meta["years"] == f"{y0}-{y1}"


def test_demo_province_and_isolated_block(demo) -> None:  # type: ignore[no-untyped-def]
    _, sa = demo
    gd = sa.sda("demo", 2012, 2017, region="GD")
    full = sa.sda("demo", 2012, 2017)
    d = full.destinations.index("GD")
    np.testing.assert_allclose(gd.effects[:, 0], full.effects[:, d], rtol=1e-12)
    iso = sa.sda("demo", 2012, 2017, region="GD", isolated=True, method="shapley")
    assert iso.destinations == ("GD",)
    assert float(iso.effects.sum()) == pytest.approx(float(iso.co2_to[0] - iso.co2_from[0]), rel=1e-9)


def test_reuses_cached_factorisations() -> None:
    s0 = random_system(3, 4, seed=41, year=2012)
    s1 = random_system(3, 4, seed=42, year=2017)
    eng = Workspace(systems={"mem": {2012: s0, 2017: s1}}, include_demo=False)
    sa = eng
    sa.sda("mem", 2012, 2017)
    assert eng.factorizations == 2
    sa.sda("mem", 2012, 2017, method="shapley")
    sa.year("mem", 2012).key_sectors()
    sa.year("mem", 2017).spa(region="TJ")
    sa.year("mem", 2012).extract(sector="02")
    assert eng.factorizations == 2  # nothing factorised I − A again
    res = sa.sda("mem", 2012, 2017)
    assert res.dataset == "mem"
    assert res.synthetic
