"""Key sectors and hypothetical extraction on the real NBS national 42-sector tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viscarbon.calc.extraction import hypothetical_extraction
from viscarbon.calc.keysectors import QUADRANTS, classify_key_sectors, quadrant_counts
from viscarbon.calc.leontief import (
    backward_linkages,
    factorize,
    forward_linkages,
    solve,
    technical_coefficients,
)

pytestmark = pytest.mark.realdata

# year → (power sector code in that table's list, output share lost when metals (14) are extracted)
CASES = {2015: ("25", 0.1341778724267603), 2017: ("24", 0.08471031095421058)}


@pytest.mark.parametrize("year", sorted(CASES))
def test_nbs_key_sectors_and_extraction(nbs_dir: Path, year: int) -> None:
    from viscarbon.io.readers.nbs import read_nbs_io

    table = read_nbs_io(nbs_dir / f"china_{year}_42.csv", year=year)
    A = technical_coefficients(table.Z, table.x)
    fac = factorize(A)
    bl, fl = backward_linkages(fac), forward_linkages(fac, table.x)
    assert bl.mean() == pytest.approx(1.0, rel=1e-12)
    assert fl.mean() == pytest.approx(1.0, rel=1e-12)
    q = classify_key_sectors(bl, fl)
    assert sum(quadrant_counts(q).values()) == 42
    power, share = CASES[year]
    # metal smelting and power supply are key sectors of China's economy in both tables
    assert QUADRANTS[int(q[table.sectors.index("14")])] == "key"
    assert QUADRANTS[int(q[table.sectors.index(power)])] == "key"

    y = table.y_total()
    x = solve(fac, y)
    j = table.sectors.index("14")
    res = hypothetical_extraction(A, y, np.ones(42), [j], x=x)
    keep = [i for i in range(42) if i != j]
    x_bar = np.linalg.solve(np.eye(41) - np.asarray(A)[np.ix_(keep, keep)], y[keep])
    np.testing.assert_allclose(res.x_bar[keep], x_bar, rtol=1e-10)
    assert res.output_loss[j] == pytest.approx(float(x[j]), rel=1e-12)
    assert res.output_loss.sum() / x.sum() == pytest.approx(share, rel=1e-9)
