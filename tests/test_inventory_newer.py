"""The newer CEADs inventories, generated from their documented (issue 9) headers: the 2022
provincial workbook (underscored headers) and the apparent-emissions workbook (one sheet
per year: raw coal, crude oil, natural gas, cement process). Totals match the workbook's
own totals to 1e-9; bad files are rejected with the store unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inventory_fixtures import (
    PROVINCES,
    release2021_grid,
    write_apparent,
    write_release2021,
    write_release2022,
)
from viscarbon.errors import BalanceError, DataError, LayoutError, ViscarbonError
from viscarbon.ingest import import_files
from viscarbon.io.readers.ceads_inventory import (
    read_apparent_workbook,
    read_inventory_workbook,
)
from viscarbon.io.readers.ceads_inventory.layouts import header_keys, header_spellings
from viscarbon.io.store import Store

CODES = tuple(c for c, _ in PROVINCES)


# --------------------------------------------------------------------------- 2022 provincial
@pytest.mark.parametrize("title", [False, True])
@pytest.mark.parametrize("unit", [True, False])
def test_2022_workbook_reads_and_totals_match(tmp_path: Path, title: bool, unit: bool) -> None:
    path, values = write_release2022(tmp_path, 2022, title=title, unit=unit)
    inv = read_inventory_workbook(path)
    assert inv.year == 2022 and inv.regions.codes == CODES
    assert inv.provenance[0].vintage == "release 2022 (layout guessed)"
    assert "layout release_2022" in inv.provenance[0].notes
    for r, code in enumerate(CODES):
        v = values[code]
        np.testing.assert_allclose(inv.values[r], v, rtol=1e-15, atol=0)
        total_row = v.sum(axis=0).sum()  # the file's own Scope_1_Total of the total row
        assert abs(inv.totals[r] - total_row) <= 1e-9 * max(total_row, 1.0)
        assert abs(inv.values[r].sum() - inv.totals[r]) <= 1e-9 * max(inv.totals[r], 1.0)
    if not unit:
        assert "no unit row" in inv.provenance[0].notes


def test_2022_headers_and_other_years(tmp_path: Path) -> None:
    """The same grid with underscores read as release 2021 up to 2017 (as the Hunan2017
    sheet shows), as the 2022 release from 2018 on."""
    p17, _ = write_release2022(tmp_path / "a", 2017)
    assert read_inventory_workbook(p17).provenance[0].vintage == "release 2021"
    p19, _ = write_release2022(tmp_path / "b", 2019)
    assert read_inventory_workbook(p19).provenance[0].vintage.startswith("release 2022")
    # the spellings are data: every header of the 2022 workbook is in header_spellings.csv
    spelled = {sp for _, sp, _ in header_spellings()}
    for h in ("Scope_1_Total", "Natural_Gas", "Other_Gas", "Raw_Coal"):
        assert h in spelled
    assert header_keys("total")[0] == "scope1total"


def _store_with_inventory(tmp_path: Path) -> tuple[Path, str]:
    store = tmp_path / "store.duckdb"
    p, _ = write_release2021(tmp_path / "ok", 2015, seed=3)
    import_files(store, "ceads-inventory", [p], name="inv")
    return store, Store(store).content_digest()


@pytest.mark.parametrize(("damage", "error", "match"), [
    (lambda g: g[10].__setitem__(5, g[10][5] + 1.0), BalanceError, r"Scope_1_Total"),
    (lambda g: g[0].__setitem__(3, "Other_Stuff"), LayoutError, r"unexpected header 'Other_Stuff' at D1"),
    (lambda g: g[12].__setitem__(2, "n/a"), DataError, r"text 'n/a' where a number is required"),
])
def test_bad_2022_workbook_leaves_store_unchanged(tmp_path: Path, damage: Any, error: type, match: str) -> None:
    store, before = _store_with_inventory(tmp_path)

    def mutate(sheets: dict[str, Any]) -> None:
        damage(sheets["Guangdong2022"])

    path, _ = write_release2022(tmp_path, 2022, mutate=mutate)
    with pytest.raises(error, match=match) as e:
        import_files(store, "ceads-inventory", [path])
    assert "sheet Guangdong2022" in str(e.value) and "\n" not in str(e.value)
    assert Store(store).content_digest() == before


def test_2022_workbook_imports(tmp_path: Path) -> None:
    path, _ = write_release2022(tmp_path, 2022)
    store = tmp_path / "s.duckdb"
    res = import_files(store, "ceads-inventory", [path])
    assert res.name == "ceads-inventory-2022"
    inv = Store(store).load_inventory(res.name, 2022)
    np.testing.assert_array_equal(inv.values[CODES.index("GD")], read_inventory_workbook(path).values[
        CODES.index("GD")])


# --------------------------------------------------------------------------- apparent
@pytest.mark.parametrize("options", [
    {},
    {"names": "zh", "label": "省份"},
    {"unit": False, "total_row": False},
    {"total_col": False, "notes": True},
    {"headers": ("Raw_Coal", "Crude_Oil", "Natural_Gas", "Cement_Process", "Total")},
], ids=["documented", "chinese-names", "no-unit-no-total-row", "no-total-col-notes", "underscores"])
def test_apparent_workbook_reads_and_totals_match(tmp_path: Path, options: dict[str, Any]) -> None:
    path, values = write_apparent(tmp_path, (1997, 2012, 2022), **options)
    got = read_apparent_workbook(path)
    assert sorted(got) == [1997, 2012, 2022]
    for y, app in got.items():
        assert app.regions.codes == CODES
        assert app.categories.codes == ("raw_coal", "crude_oil", "natural_gas", "cement_process")
        np.testing.assert_allclose(app.values, values[y], rtol=1e-15, atol=0)
        own = values[y].sum(axis=1)  # the workbook's own total column
        assert np.all(np.abs(app.totals - own) <= 1e-9 * np.maximum(own, 1.0))
        national = values[y].sum()  # the workbook's own total row
        assert abs(app.totals.sum() - national) <= 1e-9 * national
        assert app.provenance[0].vintage.startswith("apparent emissions 1997-2022")


def _break_total(sheets: dict[str, Any]) -> None:
    sheets["2012"][5][5] += 0.5  # a province's total


def _break_total_row(sheets: dict[str, Any]) -> None:
    sheets["2012"][-1][2] += 0.5  # the total row's crude oil


def _negative(sheets: dict[str, Any]) -> None:
    sheets["2012"][7][3] = -1.0


def _unknown_row(sheets: dict[str, Any]) -> None:
    sheets["2012"][9][0] = "Atlantis"


def _wrong_header(sheets: dict[str, Any]) -> None:
    sheets["2012"][0][2] = "Cleaned Coal"


def _twice(sheets: dict[str, Any]) -> None:
    sheets["2012"][4][0] = sheets["2012"][3][0]


@pytest.mark.parametrize(("mutate", "error", "match"), [
    (_break_total, BalanceError, r"sum to .* but the total says .* \(file .*, sheet 2012, cell F6\)"),
    (_break_total_row, BalanceError, r"the provinces' 'Crude Oil' sum to .* but the total row says .*cell C33"),
    (_negative, DataError, r"negative emissions -1 Mt \(file .*, sheet 2012, cell D8\)"),
    (_unknown_row, LayoutError, r"row label 'Atlantis' at A10 is not a province"),
    (_wrong_header, LayoutError, r"unexpected header 'Cleaned Coal' at C1, expected 'Crude Oil'"),
    (_twice, LayoutError, r"province TJ appears twice \(rows 4 and 5\)"),
], ids=["total-column", "total-row", "negative", "unknown-row", "header", "twice"])
def test_bad_apparent_workbook_leaves_store_unchanged(tmp_path: Path, mutate: Any, error: type,
                                                      match: str) -> None:
    store, before = _store_with_inventory(tmp_path)
    path, _ = write_apparent(tmp_path, (2012,), mutate=mutate)
    with pytest.raises(error, match=match) as e:
        import_files(store, "ceads-apparent", [path])
    assert "\n" not in str(e.value)
    assert Store(store).content_digest() == before


def test_apparent_imports_as_its_own_kind(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    path, _ = write_apparent(tmp_path, (1997, 2005, 2022))
    res = import_files(store, "ceads-apparent", [path])
    assert res.name == "ceads-apparent-1997-2022" and res.years == (1997, 2005, 2022)
    s = Store(store)
    rec = s.dataset(res.name)
    assert rec.kind == "ceads-apparent" and len(rec.files) == 3
    app = s.load_apparent(res.name, 2005)
    np.testing.assert_array_equal(app.values, read_apparent_workbook(path)[2005].values)
    np.testing.assert_array_equal(app.totals, read_apparent_workbook(path)[2005].totals)
    with pytest.raises(ViscarbonError, match="holds apparent emissions"):
        s.load_inventory(res.name, 2005)
    again = import_files(store, "ceads-apparent", [path])
    assert not again.changed


def test_wrong_kind_is_named(tmp_path: Path) -> None:
    app, _ = write_apparent(tmp_path, (2012,))
    inv, _ = write_release2021(tmp_path / "i", 2012)
    store = tmp_path / "s.duckdb"
    with pytest.raises(LayoutError, match=r"apparent-emissions workbook.*viscarbon import ceads-apparent"):
        import_files(store, "ceads-inventory", [app])
    with pytest.raises(LayoutError, match=r"sectoral inventory workbook.*viscarbon import ceads-inventory"):
        import_files(store, "ceads-apparent", [inv])
    assert not store.exists()


def test_release2021_grid_helper_unchanged() -> None:
    grid = release2021_grid(np.zeros((47, 21)))
    assert grid[0][1] == "Raw Coal" and grid[3][0] == "Total Consumption"
