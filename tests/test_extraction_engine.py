"""Hypothetical extraction through the Engine on the demo (1302 sectors)."""

from __future__ import annotations

import numpy as np
import pytest

from viscarbon.analysis import TOTAL_CODE, Workspace


@pytest.fixture(scope="module")
def sa() -> Workspace:
    return Workspace()


def test_extract_a_province(sa: Workspace) -> None:
    res = sa.year("demo", 2017).extract(region="GD")
    c = sa.year("demo", 2017).coefficients
    sl = c.table.region_slice("GD")
    np.testing.assert_allclose(res.output_loss[sl], res.x[sl], rtol=1e-12)
    recs = {r["region"]: r for r in res.as_records()}
    assert recs["GD"]["output_loss_share"] == pytest.approx(1.0, rel=1e-12)
    assert recs["GD"]["co2_loss_share"] == pytest.approx(1.0, rel=1e-12)
    others = [r for code, r in recs.items() if code not in ("GD", TOTAL_CODE)]
    assert all(r["output_loss_10k_yuan"] > 0 for r in others)  # suppliers to GD lose too
    assert recs[TOTAL_CODE]["co2_loss_mt"] == pytest.approx(sum(r["co2_loss_mt"] for r in recs.values()
                                                              if r["region"] != TOTAL_CODE))
    assert float(res.co2.sum()) == pytest.approx(float(c.F.sum()), rel=1e-5)


def test_extract_power_everywhere_and_partial_modes(sa: Workspace) -> None:
    comp = sa.year("demo", 2012).extract(sector="25")
    assert comp.extracted.size == 31
    back = sa.year("demo", 2012).extract(sector="25", mode="backward")
    fwd = sa.year("demo", 2012).extract(sector="25", mode="forward")
    assert comp.total_co2_loss > fwd.total_co2_loss > 0
    assert comp.total_co2_loss > back.total_co2_loss > 0
    # the power sector's own CO2 is part of the complete loss
    c = sa.year("demo", 2012).coefficients
    own = sum(float(c.F[r * 42 + 24]) for r in range(31))
    assert comp.total_co2_loss > own
    iso = sa.year("demo", 2012).extract(region="JS", sector="25", isolated=True)
    assert [r["region"] for r in iso.as_records()] == ["JS", TOTAL_CODE]
