"""A full-size 31 × 42 = 1302 CEADs MRIO workbook, built once per session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mrio_fixtures import random_mrio, write_fixture
from viscarbon.classification import region_codes
from viscarbon.io.files import open_workbook
from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def full_table() -> Any:
    return random_mrio(region_codes(), seed=2017, density=0.25)


@pytest.fixture(scope="session")
def full_workbook(full_table: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(full_table, tmp_path_factory.mktemp("mrio_full"), layout="2012-2017")


def test_full_size_round_trip(full_table: Any, full_workbook: Path) -> None:
    t = read_ceads_mrio(full_workbook)
    assert t.n == 1302 and t.Z.shape == (1302, 1302) and t.Y.shape == (1302, 186)
    assert t.regions.codes == region_codes()
    for name in ("Z", "Y", "EX", "IM", "V", "x"):
        np.testing.assert_allclose(getattr(t, name), getattr(full_table, name), rtol=1e-12, atol=0)
    np.testing.assert_allclose(t.extras["co2_row"], full_table.extras["co2_row"], rtol=1e-12)
    # x = (I − A)⁻¹ y on the 1302 region-sectors (Miller & Blair 2009, eq. 3.13)
    A = t.Z / t.x
    x = np.linalg.solve(np.eye(1302) - A, t.y_total())
    np.testing.assert_allclose(x, t.x, rtol=1e-9)


def test_full_size_sits_at_the_documented_cells(full_table: Any, full_workbook: Path) -> None:
    """CEADS_FORMATS.md §2a: Z D5:AXE1306, TIU AXF, FD AXG:BDE, EX BDF, TFU BDG, ERR BDH,
    GO BDI, IM row 1307, TII 1308, VA001-VA004 1309-1312, TVA 1313, TI 1314, CO2 1316."""
    g = open_workbook(full_workbook).grid("Table_2017_consistent")

    def at(ref: str) -> Any:
        letters = "".join(ch for ch in ref if ch.isalpha())
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        return g[int(ref[len(letters):]) - 1][col - 1]

    assert at("D5") == pytest.approx(full_table.Z[0, 0])
    assert at("AXE1306") == pytest.approx(full_table.Z[-1, -1])
    assert [at(f"{c}4") for c in ("AXF", "AXG", "BDE", "BDF", "BDG", "BDH", "BDI")] == [
        "TIU", "FU101", "FU202", "EX", "TFU", "ERR", "GO"]
    assert at("BDI771") == pytest.approx(full_table.x[766])
    assert [at(f"C{r}") for r in range(1307, 1315)] == [
        "IM", "TII", "VA001", "VA002", "VA003", "VA004", "TVA", "TI"]
    assert at("C1316") == "CO2" and at("AXE1316") == pytest.approx(full_table.extras["co2_row"][-1])
    assert at("A1306") == "Xinjiang" and at("AXE1") == "Xinjiang"
