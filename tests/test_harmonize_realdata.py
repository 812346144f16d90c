"""harmonize on real CEADs inventories (mapped onto the demo's table structure)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viscarbon.demo import demo_dataset
from viscarbon.harmonize import build_co2_satellite, nearest_table_year
from viscarbon.io.readers.ceads_inventory.reader import read_inventory_workbook

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize(("year", "total"), [(2015, 9831.56), (2016, 9918.46)])
def test_real_inventory_totals_survive_the_mapping(inventory_dir: Path, year: int, total: float) -> None:
    inv = read_inventory_workbook(inventory_dir / f"Emission_Inventories_for_30_Provinces_{year}.xlsx")
    demo = demo_dataset()
    ty = nearest_table_year(year, demo.years)
    sat, rep = build_co2_satellite(inv, demo.table(ty))
    assert inv.totals.sum() == pytest.approx(total, abs=0.01)
    assert sat.F.sum() + sat.F_Y.sum() == pytest.approx(inv.totals.sum(), rel=1e-12)
    assert rep.max_abs_difference < 1e-9 * inv.totals.max()
    assert sat.missing_regions(demo.table(ty).regions) == ("XZ",)
    assert rep.row("XZ").inventory_total is None
    # per fuel column the mapping is conservative too
    np.testing.assert_allclose(sat.F.sum(axis=1) + sat.F_Y.sum(axis=1),
                               inv.values.sum(axis=(0, 1)), rtol=1e-12, atol=1e-12)
    # power (inventory row 39) goes whole to IO 25 in every region
    S = 42
    f25 = sat.F[:, 24::S].sum()
    assert f25 == pytest.approx(inv.values[:, 38].sum(), rel=1e-12)
    if year != ty:
        assert f"inventory {year} mapped with table {ty} (nearest table year)" in rep.notes_text()
