"""SPA through the Engine on the full 1302-sector demo: totals, coverage, cache reuse."""

from __future__ import annotations

import numpy as np
import pytest

from viscarbon.analysis import Workspace
from viscarbon.calc.leontief import solve_transposed


@pytest.fixture(scope="module")
def sa() -> Workspace:
    return Workspace()


def test_province_footprint_depth6(sa: Workspace) -> None:
    res = sa.year("demo", 2017).spa(region="GD", depth=6, threshold=1e-4, top=100)
    c = sa.year("demo", 2017).coefficients
    t = c.table
    K = len(t.fd_categories)
    s = t.regions.index("GD")
    y = np.asarray(t.Y[:, s * K:(s + 1) * K]).sum(axis=1)
    e = np.asarray(c.F) / np.asarray(t.x)
    assert res.total_mt == pytest.approx(float(solve_transposed(c.factor, e) @ y), rel=1e-12)
    # consumption-based industry CO2 of GD in t/10k yuan × 10k yuan = t: the engine's m agrees
    assert res.total_mt == pytest.approx(float(c.m @ y) / 1e6, rel=1e-9)
    assert len(res.paths) == 100
    assert res.n_paths >= 100
    assert 0 < res.top_coverage <= res.coverage <= 1  # type: ignore[operator]
    assert all(abs(p.value_mt) >= res.threshold_mt for p in res.paths)
    assert res.paths[0].value_mt >= res.paths[-1].value_mt
    assert res.threshold_mt == pytest.approx(1e-4 * res.total_mt)
    # same request again: same answer, children table reused
    ch = sa.year("demo", 2017).children()
    again = sa.year("demo", 2017).spa(region="GD", depth=6, threshold=1e-4, top=100)
    assert sa.year("demo", 2017).children() is ch
    assert [p.nodes for p in again.paths] == [p.nodes for p in res.paths]


def test_deeper_and_lower_threshold_explain_more(sa: Workspace) -> None:
    a = sa.year("demo", 2015).spa(region="SD", depth=2, threshold=1e-3, top=10)
    b = sa.year("demo", 2015).spa(region="SD", depth=6, threshold=1e-4, top=10)
    assert b.coverage > a.coverage  # type: ignore[operator]
    sector = sa.year("demo", 2015).spa(region="SD", sector="25", depth=4, threshold=1e-3, top=5)
    assert all(p.nodes[0] == ("SD", "25") for p in sector.paths)
    assert sector.paths[0].depth == 0  # the power sector's own direct emissions lead
    iso = sa.year("demo", 2015).spa(region="SD", isolated=True, depth=4, threshold=1e-3, top=5)
    assert all(r == "SD" for p in iso.paths for r, _ in p.nodes)
