"""CEADs inventory readers on the real public files in ../shared/data/ceads (realdata)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from viscarbon.classification import region_codes, regions
from viscarbon.io.readers.ceads_inventory.reader import (
    detect_inventory_year,
    read_inventory_workbook,
    read_national_inventory,
)
from viscarbon.model import InventoryTable

pytestmark = pytest.mark.realdata

NATIONAL = "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"
YEARS = tuple(range(1997, 2018))


def _files(inventory_dir: Path) -> dict[int, Path]:
    out = {}
    for p in inventory_dir.glob("*.xlsx"):
        m = re.search(r"(\d{4})\.xlsx$", p.name)
        if m:
            out[int(m.group(1))] = p
    return out


@pytest.fixture(scope="session")
def inventories(inventory_dir: Path) -> dict[int, InventoryTable]:
    return {y: read_inventory_workbook(p) for y, p in sorted(_files(inventory_dir).items())}


@pytest.fixture(scope="session")
def national(shared_data: Path) -> dict[int, InventoryTable]:
    return read_national_inventory(shared_data / "ceads" / NATIONAL)


def _raw_grids(path: Path) -> dict[str, list[list[object]]]:
    """Every province sheet through python-calamine directly (independent of the reader)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False)
            for n in wb.sheet_names if n != "NOTE"}


def test_all_21_years_30_regions(inventories: dict[int, InventoryTable]) -> None:
    assert tuple(inventories) == YEARS
    expected = tuple(c for c in region_codes() if c != "XZ")
    for y, tab in inventories.items():
        assert tab.year == y
        assert tab.regions.codes == expected  # NBS order, Tibet absent
        assert tab.values.shape == (30, 47, 21)
        assert tab.provenance[0].vintage == "release 2021"
        assert f"year {y} from sheet names and file name" in tab.provenance[0].notes


def test_totals_equal_the_total_row_of_every_sheet(inventory_dir: Path,
                                                   inventories: dict[int, InventoryTable]) -> None:
    """Scope 1 Total of the total row (W4), and every W cell, read independently."""
    prefix_to_code = {r.inventory_sheet_prefix: r.code for r in regions() if r.inventory_sheet_prefix}
    for y, path in _files(inventory_dir).items():
        tab = inventories[y]
        grids = _raw_grids(path)
        assert len(grids) == 30
        for sheet, grid in grids.items():
            assert sheet.endswith(str(y))
            r = tab.regions.index(prefix_to_code[sheet[:-4]])
            assert tab.totals[r] == pytest.approx(float(grid[3][22]), rel=1e-9, abs=0)
            w = np.array([float(grid[i][22]) for i in range(4, 51)])
            np.testing.assert_allclose(tab.by_sector()[r], w, rtol=1e-9, atol=1e-12)
            # and the cells themselves, column by column (B..V → the 21 columns)
            block = np.array([[float(v) if v != "" else 0.0 for v in grid[i][1:22]] for i in range(4, 51)])
            assert np.array_equal(tab.values[r], block)


@pytest.mark.parametrize("year", [2012, 2017])
def test_totals_against_openpyxl(inventory_dir: Path, inventories: dict[int, InventoryTable],
                                 year: int) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(_files(inventory_dir)[year], read_only=True, data_only=True)
    try:
        tab = inventories[year]
        for code, sheet in (("BJ", f"Beijing{year}"), ("NM", f"InnerMongolia{year}"),
                            ("GD", f"Guangdong{year}"), ("HN", f"Hunan{year}"), ("XJ", f"Xinjiang{year}")):
            ws = wb[sheet]
            assert tab.totals[tab.regions.index(code)] == pytest.approx(ws["W4"].value, rel=1e-12)
            assert tab.values[tab.regions.index(code), 26, 20] == pytest.approx(ws["V31"].value or 0.0, rel=1e-12)
    finally:
        wb.close()


def test_identities_and_structure(inventories: dict[int, InventoryTable]) -> None:
    for tab in inventories.values():
        # Σ sectors Σ columns = total (also checked at construction), to 1e-9
        np.testing.assert_allclose(tab.values.sum(axis=(1, 2)), tab.totals, rtol=1e-9)
        assert (tab.values >= 0).all()
        # Scope 2 and Other Energy are empty; Process only in Nonmetal Mineral Products (27)
        assert not tab.values[:, :, 17:20].any()
        process = tab.values[:, :, 20]
        assert not np.delete(process, 26, axis=1).any()
        assert process[:, 26].sum() > 0


def test_pinned_figures(inventories: dict[int, InventoryTable]) -> None:
    t2012 = inventories[2012]
    assert t2012.totals.sum() == pytest.approx(9742.700627058926, rel=1e-12)
    got = {c: float(t2012.totals[t2012.regions.index(c)]) for c in ("BJ", "SD", "GD", "HN")}
    assert got == pytest.approx({"BJ": 97.99804082927608, "SD": 872.9060006276727,
                                 "GD": 513.4403169163063, "HN": 291.2228096013846}, rel=1e-12)
    assert inventories[1997].totals.sum() == pytest.approx(2935.923467015704, rel=1e-12)
    assert inventories[2017].totals.sum() == pytest.approx(10171.217716748148, rel=1e-12)
    assert t2012.values[:, 26, 20].sum() == pytest.approx(641.34658628, rel=1e-9)


def test_the_2017_underscore_sheet(inventory_dir: Path, inventories: dict[int, InventoryTable]) -> None:
    """Hunan2017 spells its headers with underscores and its total row 'Total Emissions'."""
    grid = _raw_grids(_files(inventory_dir)[2017])["Hunan2017"]
    assert grid[0][1] == "Raw_Coal" and grid[0][2] == "Cleaned Coal" and grid[3][0] == "Total Emissions"
    tab = inventories[2017]
    r = tab.regions.index("HN")
    assert tab.totals[r] == pytest.approx(322.95490457720643, rel=1e-12)
    assert tab.totals[r] == float(grid[3][22])


def test_detect_year_of_every_file(inventory_dir: Path) -> None:
    for y, path in _files(inventory_dir).items():
        assert detect_inventory_year(path) == y


def test_national_workbook(national: dict[int, InventoryTable],
                           inventories: dict[int, InventoryTable]) -> None:
    assert sorted(national) == list(range(1997, 2020))
    n2012 = national[2012]
    assert n2012.regions.codes == ("CN",) and n2012.values.shape == (1, 47, 21)
    assert n2012.totals[0] == pytest.approx(9080.54838998778, rel=1e-12)
    assert national[2019].totals[0] == pytest.approx(9794.756396640432, rel=1e-12)
    assert national[1997].totals[0] == pytest.approx(2923.855560299561, rel=1e-12)
    # the known apparent-consumption gap: provinces sum to more than the nation
    provinces = inventories[2012].totals.sum()
    assert provinces - n2012.totals[0] == pytest.approx(662.152237, abs=1e-5)
    prov = n2012.provenance[0]
    assert prov.product == "national CO2 inventory" and prov.sheet == "2012"
    assert "cross-checked against sheets 'sum', 'Sum-Sec-Scope 1'" in prov.notes
