"""The matrix of CEADs MRIO layout variants (``tests/mrio_variants.py``): every variant
imports, and the stored Z, final demand, exports and output equal what was written; the
broken variants fail with the right one-line error and leave the store unchanged;
``viscarbon doctor`` names the layout and the block positions of each, and the first
differing cell of the broken ones."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mrio_fixtures import random_mrio
from mrio_variants import BROKEN, VARIANTS, Variant, Written, write_variant
from viscarbon.classification import region_codes
from viscarbon.errors import ViscarbonError
from viscarbon.ingest import import_files
from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio
from viscarbon.io.store import Store

SMALL = [v for v in VARIANTS if not v.full]
FULL = [v for v in VARIANTS if v.full]


def table_for(v: Variant) -> Any:
    regions = region_codes() if v.full else v.regions
    return random_mrio(regions, year=v.year, list_id=v.list_id, seed=zlib.crc32(v.name.encode()) % 10_000,
                       density=0.25 if v.full else 0.3)


def check_stored(w: Written, store_path: Path) -> None:
    """Import the variant and compare what the store holds with what the file holds."""
    res = import_files(store_path, "ceads-mrio", [w.path], name=w.variant.name)
    assert res.changed and res.years == (w.variant.year,)
    t = Store(store_path).load_table(w.variant.name, w.variant.year)
    a = w.arrays
    R, S = t.n_regions, t.n_sectors
    n = R * S
    np.testing.assert_array_equal(t.Z, a["Z"])
    Y3 = t.Y.reshape(n, R, 6)
    np.testing.assert_array_equal(Y3[:, :, :5].reshape(n, R * 5), a["FD"])
    np.testing.assert_array_equal(Y3[:, :, 5].sum(axis=1), a["ERR"])
    np.testing.assert_array_equal(t.EX, a["EX"])
    np.testing.assert_array_equal(t.x, a["x"] if w.variant.go else a["TI"])
    np.testing.assert_array_equal(t.IM, a["IM"])
    np.testing.assert_array_equal(t.V, a["V"])
    if w.variant.co2 != "none":
        np.testing.assert_array_equal(t.extras["co2_row"], a["co2"])
    else:
        assert "co2_row" not in t.extras
    assert t.provenance[0].vintage.startswith(w.variant.family)
    assert t.provenance[0].sheet == w.variant.sheet_name
    assert t.sectors.list_id == w.variant.list_id


@pytest.mark.parametrize("variant", SMALL, ids=[v.name for v in SMALL])
def test_variant_imports_as_written(variant: Variant, tmp_path: Path) -> None:
    w = write_variant(table_for(variant), variant, tmp_path)
    check_stored(w, tmp_path / "store.duckdb")


def test_matrix_covers_both_families() -> None:
    for family in ("2012-2017", "2018-2020"):
        mine = [v for v in VARIANTS if v.family == family]
        assert len(mine) >= 12 and any(v.full for v in mine)
        assert len({v.features() for v in mine}) == len(mine)
    features = " | ".join(v.features() for v in VARIANTS)
    for feature in ("title 1", "title 2", "zh merged", "en every", "pinyin", "both", "once",
                    "row regions en first", "merged", "codes number", "codes text1", "numbers as text",
                    "CO2 adjacent", "CO2 none", "CO2 blank", "no TIU/TFU/TII/TVA/TI", "no GO", "no ERR",
                    "rounded to 0.01", "no Province/Sector sheets", "'2012'", "'2015年'",
                    "'Table_2012'", "no label row", "en+zh", "zh+en"):
        assert feature in features, feature


@pytest.fixture(scope="module")
def full_written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Written]:
    """The full-size variants, written once per module (about 15 s each)."""
    d = tmp_path_factory.mktemp("mrio_full_variants")
    return {v.name: write_variant(table_for(v), v, d) for v in FULL}


@pytest.mark.slow
@pytest.mark.parametrize("name", [v.name for v in FULL])
def test_full_size_variant_imports_as_written(full_written: dict[str, Written], name: str,
                                              tmp_path: Path) -> None:
    w = full_written[name]
    assert w.arrays["Z"].shape == (1302, 1302)
    check_stored(w, tmp_path / "store.duckdb")


@pytest.mark.parametrize(("variant", "how", "message"), BROKEN, ids=[b[0].name for b in BROKEN])
def test_broken_variant_fails_with_one_line_and_store_unchanged(variant: Variant, how: str, message: str,
                                                                 tmp_path: Path) -> None:
    w = write_variant(table_for(variant), variant, tmp_path)
    store = tmp_path / "store.duckdb"
    good = write_variant(table_for(VARIANTS[0]), VARIANTS[0], tmp_path)
    import_files(store, "ceads-mrio", [good.path], name="good")
    before = Store(store).content_digest()
    with pytest.raises(ViscarbonError) as e:
        read_ceads_mrio(w.path)
    assert "\n" not in str(e.value)
    assert __import__("re").fullmatch(message + ".*", str(e.value)), (how, str(e.value))
    with pytest.raises(ViscarbonError, match=message):
        import_files(store, "ceads-mrio", [w.path], name="bad")
    assert Store(store).content_digest() == before


# --------------------------------------------------------------------------- doctor
def check_doctor(w: Written) -> None:
    from viscarbon.io.readers.doctor import inspect_file

    rep = inspect_file(w.path)
    assert rep.ok, rep.error
    assert rep.reader == "ceads-mrio" and rep.layout == w.variant.family
    assert rep.sheet == w.variant.sheet_name and rep.years == (w.variant.year,)
    for name, cells in w.blocks.items():
        got = rep.block(name)
        assert got is not None and got.cells == cells, (name, got, cells)
    assert {c.name for c in rep.checks} >= {"rows", "columns"} and all(c.ok for c in rep.checks)
    text = "\n".join(rep.lines("en"))
    if w.variant.col_repeat == "merged":
        assert "in merged cells" in text and f"{w.merged} merged cell ranges" in text
    if w.variant.numbers_as_text:
        assert "numbers stored as text" in text
    if w.variant.row_repeat == "first":
        assert "only on the first row of each block" in text
    zh = "\n".join(rep.lines("zh-Hans"))
    assert "可读取" in zh and "中间流量 Z" in zh


@pytest.mark.parametrize("variant", SMALL, ids=[v.name for v in SMALL])
def test_doctor_names_layout_and_blocks(variant: Variant, tmp_path: Path) -> None:
    check_doctor(write_variant(table_for(variant), variant, tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("name", [v.name for v in FULL])
def test_doctor_on_full_size_variant(full_written: dict[str, Written], name: str) -> None:
    check_doctor(full_written[name])


@pytest.mark.parametrize(("variant", "how", "message"), BROKEN, ids=[b[0].name for b in BROKEN])
def test_doctor_names_the_first_differing_cell(variant: Variant, how: str, message: str,
                                               tmp_path: Path) -> None:
    import re

    from viscarbon.io.readers.doctor import inspect_file

    w = write_variant(table_for(variant), variant, tmp_path)
    rep = inspect_file(w.path)
    assert not rep.ok and rep.layout is None and rep.nearest == variant.family
    cell = re.search(r"cell ([A-Z]+\d+)", message.replace("\\", "")) or re.search(r"cell ([A-Z]+\d+)",
                                                                                   rep.error or "")
    assert cell is not None and rep.error_cell == cell.group(1)
    assert rep.error_sheet == variant.sheet_name
    assert re.fullmatch(message + ".*", rep.error or "")
    lines = rep.lines("en")
    assert any(f"first cell that differs: {variant.sheet_name}!{rep.error_cell}" in ln for ln in lines)
    if variant.broken == "balance":  # the file was located: blocks and the failing check are reported
        assert rep.block("Z") is not None
        rows = next(c for c in rep.checks if c.name == "rows")
        assert not rows.ok and rows.failing == 1 and rows.cell == rep.error_cell
