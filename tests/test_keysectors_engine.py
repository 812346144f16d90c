"""Key sectors through the Engine on the demo: same linkages as the engine's node indicators."""

from __future__ import annotations

import numpy as np
import pytest

from viscarbon.analysis import Workspace


@pytest.fixture(scope="module")
def sa() -> Workspace:
    return Workspace()


def test_demo_linkages_full_and_isolated(sa: Workspace) -> None:
    c = sa.year("demo", 2012).coefficients
    full = sa.year("demo", 2012).key_sectors()
    np.testing.assert_allclose(full.backward, c.backward, rtol=1e-12)
    np.testing.assert_allclose(full.forward, c.forward, rtol=1e-12)
    assert full.backward.size == 1302
    assert sum(full.counts().values()) == 1302
    gd = sa.year("demo", 2012).key_sectors(region="GD")
    recs = gd.as_records()
    assert len(recs) == 42 and {r["region"] for r in recs} == {"GD"}
    assert gd.citation and gd.synthetic and gd.dataset == "demo"
    iso = sa.year("demo", 2012).key_sectors(region="GD", isolated=True)
    assert iso.backward.size == 42
    assert iso.backward.mean() == pytest.approx(1.0, rel=1e-12)
    assert iso.forward.mean() == pytest.approx(1.0, rel=1e-12)
    # the province's power sector supplies everyone: forward-oriented or key
    power = next(r for r in iso.as_records() if r["sector"] == "25")
    assert power["forward_linkage"] > 1
    assert power["quadrant"] in {"key", "forward"}
