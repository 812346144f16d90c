"""CEADs MRIO reader and writer: round trips in both layouts, detection, provenance."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrio_fixtures import random_mrio, write_fixture
from viscarbon.classification import region_codes
from viscarbon.errors import DataError, UnknownRegion
from viscarbon.io.files import open_workbook
from viscarbon.io.readers.ceads_mrio.layouts import detect_sector_list, match_region
from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio
from viscarbon.io.readers.nbs import read_nbs_io
from viscarbon.io.writers.ceads_mrio import mrio_sheets, write_ceads_mrio, write_sheets

ARRAYS = ("Z", "Y", "EX", "IM", "V", "x")
LAYOUTS = ("2012-2017", "2018-2020")


def assert_same(a, b, *, rtol: float = 1e-12) -> None:
    for name in ARRAYS:
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, atol=0,
                                   err_msg=name)
    for key in ("co2_row", "IM_Y"):
        if key in b.extras:
            np.testing.assert_allclose(a.extras[key], b.extras[key], rtol=rtol, atol=0, err_msg=key)
    assert a.regions.codes == b.regions.codes
    assert a.sectors.codes == b.sectors.codes
    assert a.sectors.list_id == b.sectors.list_id
    assert a.fd_categories.codes == b.fd_categories.codes
    assert a.va_rows.codes == b.va_rows.codes
    assert a.year == b.year


@pytest.fixture(scope="module")
def small() -> object:
    return random_mrio(("BJ", "TJ", "HE"), seed=1, empty_sector=True)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_round_trip_small(small, layout: str, tmp_path: Path) -> None:
    path = write_fixture(small, tmp_path, layout=layout)
    t = read_ceads_mrio(path)
    assert_same(t, small)
    assert t.Z.shape == (126, 126) and t.Y.shape == (126, 18) and t.V.shape == (4, 126)
    assert t.imports_treatment == "noncompetitive_row"
    assert t.unit == "10k_yuan"
    assert t.empty_sectors == (22,)
    p = t.provenance[0]
    assert p.source == "CEADs" and p.product == "provincial MRIO"
    assert p.vintage == ("2012-2017 (Zheng et al. 2021)" if layout == "2012-2017"
                         else "2018-2020 (Li et al. 2026)")
    assert p.sheet == ("Table_2017_consistent" if layout == "2012-2017" else "Table_2017_English Version")
    assert p.file_name == path.name and len(p.sha256) == 64
    assert ("Zheng" if layout == "2012-2017" else "Li et al.") in p.citation
    assert p.importer_version.startswith("viscarbon ")


def test_identities_of_read_table(small, tmp_path: Path) -> None:
    t = read_ceads_mrio(write_fixture(small, tmp_path, layout="2012-2017"))
    # rows: x = Z·1 + Y·1 + EX, with ERR in "Other" of the row's own region only
    np.testing.assert_allclose(t.x, t.Z.sum(1) + t.Y.sum(1) + t.EX, rtol=1e-12)
    other = t.Y.reshape(126, 3, 6)[:, :, 5]
    for r in range(3):
        rows = np.r_[0:r * 42, (r + 1) * 42:126]
        assert np.all(other[rows, r] == 0)
    assert np.any(other[r * 42:(r + 1) * 42, r] != 0)
    # columns: x = 1ᵀZ + IM + 1ᵀV
    np.testing.assert_allclose(t.x, t.Z.sum(0) + t.IM + t.V.sum(0), rtol=1e-12)
    # Leontief on the non-empty sectors: x = (I − A)⁻¹ y (Miller & Blair 2009, eq. 2.11)
    keep = t.x > 0
    A = t.Z[np.ix_(keep, keep)] / t.x[keep]
    x = np.linalg.solve(np.eye(keep.sum()) - A, t.y_total()[keep])
    np.testing.assert_allclose(x, t.x[keep], rtol=1e-9)
    # a negative inventory change and a negative ERR are valid
    assert (t.Y[:, 4] < 0).any() and (t.Y[:, 5] < 0).any()


def test_documented_offsets_2012_2017(small, tmp_path: Path) -> None:
    """The writer puts Z at D5, TIU after Z, FD, then EX/TFU/ERR/GO, IM right below Z."""
    path = write_fixture(small, tmp_path, layout="2012-2017")
    grid = open_workbook(path).grid("Table_2017_consistent")
    n = 126
    assert grid[4][3] == pytest.approx(small.Z[0, 0])  # D5
    assert grid[3][3 + n] == "TIU" and grid[3][3 + n + 1] == "FU101"
    assert grid[3][3 + n + 1 + 15: 3 + n + 1 + 19] == ["EX", "TFU", "ERR", "GO"]
    assert grid[4 + n][2] == "IM" and [grid[4 + n + k][2] for k in range(1, 8)] == [
        "TII", "VA001", "VA002", "VA003", "VA004", "TVA", "TI"]
    assert grid[4 + n + 9][2] == "CO2"  # one blank row, then the CO2 row (1316 at full size)
    assert grid[0][3] == "Beijing" and grid[1][3] == "北京" and grid[4][0] == "Beijing"


def test_2017_new_sector_list(tmp_path: Path) -> None:
    t0 = random_mrio(("SH", "JS"), seed=3, list_id="io42_2017", co2=False)
    path = write_ceads_mrio(t0, tmp_path / "x.xlsx", layout="2012-2017")
    t = read_ceads_mrio(path)
    assert t.provenance[0].sheet == "Table_2017_new"
    assert t.sectors.list_id == "io42_2017"
    assert "co2_row" not in t.extras
    assert_same(t, t0)


def test_2018_layout_detects_list_from_sector_sheet(tmp_path: Path) -> None:
    t0 = random_mrio(("GD", "GX", "HI", "XJ"), year=2020, seed=4, list_id="io42_2017")
    path = write_ceads_mrio(t0, tmp_path / "CEADs_MRIO_2020.xlsx", layout="2018-2020")
    assert set(open_workbook(path).sheet_names) == {"Table_2020_English Version", "Province", "Sector"}
    t = read_ceads_mrio(path, year=2020)
    assert_same(t, t0)
    assert any("io42_2017" in note for note in t.notes)


def test_region_headers_only_at_block_start_and_chinese_names(small, tmp_path: Path) -> None:
    """Merged header cells (region name only in a block's first column) and names in Chinese
    or pinyin read the same."""
    sheets = {k: list(v) for k, v in mrio_sheets(small, layout="2012-2017").items()}
    rows = sheets["Table_2017_consistent"]
    zh = {"Beijing": "北京市", "Tianjin": "天津", "Hebei": "Hebei Province"}
    head = rows[0]
    for j in range(3, len(head)):
        if head[j] and head[j] == head[j - 1]:
            head[j] = ""
        elif head[j]:
            head[j] = zh[head[j]]
    for i in range(4, 4 + 126):
        rows[i][0] = zh[rows[i][0]] if (i - 4) % 42 == 0 else ""
    t = read_ceads_mrio(write_sheets(tmp_path / "m.xlsx", sheets))
    assert_same(t, small)


def test_numbers_as_text_and_empty_cells(small, tmp_path: Path) -> None:
    """Numeric text ("1,234.5") is a number; empty cells are zeros; codes may be numbers."""
    sheets = {k: list(v) for k, v in mrio_sheets(small, layout="2012-2017").items()}
    rows = sheets["Table_2017_consistent"]
    z = small.Z
    j = int(np.flatnonzero(z[0] == 0)[0])
    rows[4][3 + j] = ""
    rows[5][3] = f"{z[1, 0]:,.17g}" if z[1, 0] else ""
    rows[4][2] = 1  # code 01 as a number
    t = read_ceads_mrio(write_sheets(tmp_path / "m.xlsx", sheets))
    assert_same(t, small)


def test_year_argument_and_sheet_argument(small, tmp_path: Path) -> None:
    path = write_fixture(small, tmp_path, layout="2012-2017", name="China MRIO 2012-2017.xlsx")
    assert read_ceads_mrio(path, year=2017).year == 2017
    assert read_ceads_mrio(path, sheet="Table_2017_consistent").year == 2017
    with pytest.raises(DataError, match=r"no table sheet for year 2015.*Table_2017_consistent"):
        read_ceads_mrio(path, year=2015)
    with pytest.raises(DataError, match="holds the 2017 table but year=2015 was asked"):
        read_ceads_mrio(path, year=2015, sheet="Table_2017_consistent")


def test_custom_sheet_name_takes_year_from_file_name(small, tmp_path: Path) -> None:
    sheets = {k: list(v) for k, v in mrio_sheets(small, layout="2012-2017").items()}
    sheets = {"MRIO": sheets["Table_2017_consistent"]}
    path = write_sheets(tmp_path / "mrio_2017.xlsx", sheets)
    t = read_ceads_mrio(path, sheet="MRIO")
    assert t.year == 2017 and t.provenance[0].vintage.startswith("2012-2017")
    assert_same(t, small)


def test_region_name_variants() -> None:
    assert match_region("Inner Mongolia") == "NM"
    assert match_region("InnerMongolia") == "NM"
    assert match_region("Neimenggu") == "NM"
    assert match_region("内蒙古自治区") == "NM"
    assert match_region("Shaanxi") == "SN" and match_region("Shanxi") == "SX"
    assert match_region("陕西省") == "SN" and match_region("山西") == "SX"
    assert match_region("Xizang") == "XZ" and match_region("Tibet") == "XZ"
    assert match_region("北京市") == "BJ" and match_region("廣東") == "GD"
    assert match_region("Guangxi Zhuang Autonomous Region") == "GX"
    assert match_region("Total") is None and match_region("") is None
    assert [match_region(c) for c in region_codes()] == list(region_codes())


def test_sector_list_detection_by_keywords() -> None:
    from viscarbon.classification import sectors

    labels12 = [s.name_en.upper() + " products" for s in sectors("io42_2012")]
    labels17 = [s.name_en.upper() + " products" for s in sectors("io42_2017")]
    assert detect_sector_list(labels12, default="io42_2017")[0] == "io42_2012"
    assert detect_sector_list(labels17, default="io42_2012")[0] == "io42_2017"
    assert detect_sector_list([""] * 42, default="io42_2017") == (
        "io42_2017", "sector list not recognisable from the labels; assumed io42_2017")
    zh17 = [s.name_zh_hans for s in sectors("io42_2017")]
    assert detect_sector_list(zh17, default="io42_2012")[0] == "io42_2017"


@pytest.mark.realdata
def test_writer_refuses_national_tables(nbs_dir: Path, tmp_path: Path) -> None:
    nbs = read_nbs_io(nbs_dir / "china_2017_42.csv")
    with pytest.raises(DataError, match="final-demand categories"):
        write_ceads_mrio(nbs, tmp_path / "n.xlsx", layout="2012-2017")


def test_writer_refuses_what_the_layout_cannot_hold(small, tmp_path: Path) -> None:
    Y = small.Y.copy()
    Y[0, 6 + 5] = 1.0  # ERR of a BJ row put into TJ's "Other"
    Y[0, 5] -= 1.0
    from dataclasses import replace

    moved = replace(small, Y=Y)
    with pytest.raises(DataError, match="own region"):
        write_ceads_mrio(moved, tmp_path / "m.xlsx", layout="2012-2017")
    with pytest.raises(DataError, match="co2_row"):
        write_ceads_mrio(small, tmp_path / "c.xlsx", layout="2012-2017", co2_row=np.ones(5))
    t = random_mrio(("BJ",), seed=2)
    with pytest.raises(UnknownRegion):
        from viscarbon.model import Axis

        write_ceads_mrio(replace(t, regions=Axis("region", ("CN",))), tmp_path / "r.xlsx",
                         layout="2012-2017")


def test_explicit_co2_row_is_written(small, tmp_path: Path) -> None:
    co2 = np.linspace(0.0, 1.0, 126)
    path = write_ceads_mrio(small, tmp_path / "m.xlsx", layout="2018-2020", co2_row=co2)
    np.testing.assert_allclose(read_ceads_mrio(path).extras["co2_row"], co2, rtol=1e-12)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    regions=st.lists(st.sampled_from(region_codes()), min_size=1, max_size=3, unique=True),
    seed=st.integers(0, 2**31 - 1),
    layout=st.sampled_from(LAYOUTS),
    list_id=st.sampled_from(("io42_2012", "io42_2017")),
    year=st.sampled_from((2012, 2015, 2017, 2018, 2020)),
    density=st.floats(0.0, 1.0),
)
def test_random_tables_round_trip(regions, seed, layout, list_id, year, density) -> None:
    order = {c: i for i, c in enumerate(region_codes())}
    regs = tuple(sorted(regions, key=order.__getitem__))
    t0 = random_mrio(regs, year=year, seed=seed, list_id=list_id, density=density)
    with tempfile.TemporaryDirectory() as d:
        path = write_ceads_mrio(t0, Path(d) / "t.xlsx", layout=layout)
        assert_same(read_ceads_mrio(path), t0)


def test_public_api_is_explicit() -> None:
    from viscarbon.io.readers import nbs
    from viscarbon.io.readers.ceads_mrio import layouts as mrio_layouts
    from viscarbon.io.readers.ceads_mrio import reader as ceads_mrio
    from viscarbon.io.writers import ceads_mrio as ceads_mrio_write

    for mod in (ceads_mrio, ceads_mrio_write, mrio_layouts, nbs):
        assert mod.__all__ and all(hasattr(mod, name) for name in mod.__all__), mod.__name__
    assert ceads_mrio.read_ceads_mrio.__kwdefaults__ == {"year": None, "sheet": None}
    assert ceads_mrio_write.write_ceads_mrio.__kwdefaults__ == {"co2_row": None}
    assert nbs.read_nbs_io.__kwdefaults__ == {"year": None}
