"""Real CEADs inventories (../shared/data): all 21 years land in the store, and every
province total read back equals the workbook's own total row (Scope 1 Total, row 4)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from viscarbon.classification import normalise_key, regions
from viscarbon.ingest import import_files
from viscarbon.io.store import Store

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def imported(inventory_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[Path], float]:
    files = sorted(inventory_dir.glob("*.xlsx"))
    store = Store(tmp_path_factory.mktemp("real") / "store.duckdb")
    t0 = time.perf_counter()
    result = import_files(store.path, "ceads-inventory", files)
    seconds = time.perf_counter() - t0
    assert result.changed and result.name == "ceads-inventory-1997-2017"
    return store, files, seconds


def test_all_21_years_land(imported) -> None:
    store, files, seconds = imported
    (rec,) = store.datasets()
    assert len(files) == 21
    assert rec.years == tuple(range(1997, 2018)) and rec.kind == "ceads-inventory"
    assert len(rec.files) == 21 and all(len(p.sha256) == 64 for p in rec.files)
    assert "Shan" in rec.citation and not rec.synthetic
    assert seconds < 60, seconds  # measured ≈ 1.1-1.3 s on 2 shared cores


def test_province_totals_equal_the_workbook_total_rows(imported) -> None:
    store, files, _ = imported
    prefix = {normalise_key(r.inventory_sheet_prefix): r.code for r in regions() if r.inventory_sheet_prefix}
    checked = 0
    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        year = int(f.stem[-4:])
        inv = store.load_inventory("ceads-inventory-1997-2017", year)
        assert len(inv.regions) == 30 and "XZ" not in inv.regions.codes
        for sheet in wb.sheet_names:
            key = normalise_key(sheet.removesuffix(str(year)))
            if key not in prefix:
                continue
            grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            assert normalise_key(grid[0][22]) == "scope1total" and normalise_key(grid[3][0]).startswith("total")
            total = float(grid[3][22])
            got = float(inv.totals[inv.regions.index(prefix[key])])
            assert abs(got - total) <= 1e-9 * max(1.0, abs(total)), (f.name, sheet, got, total)
            assert abs(float(inv.values[inv.regions.index(prefix[key])].sum()) - total) <= 1e-9 * max(1.0, total)
            checked += 1
    assert checked == 21 * 30


def test_nbs_tables_round_trip_exactly(nbs_dir: Path, tmp_path: Path) -> None:
    from viscarbon.io.readers.nbs import read_nbs_io

    files = [nbs_dir / "china_2015_42.csv", nbs_dir / "china_2017_42.csv"]
    r = import_files(tmp_path / "s.duckdb", "nbs-io", files)
    assert r.name == "nbs-io-2015-2017" and r.years == (2015, 2017)
    store = Store(tmp_path / "s.duckdb")
    for year, f in zip(r.years, files, strict=True):
        want, got = read_nbs_io(f), store.load_table(r.name, year)
        for b in ("Z", "Y", "EX", "IM", "V", "x"):
            assert getattr(got, b).tobytes() == getattr(want, b).tobytes(), (year, b)
        assert got.extras.keys() == want.extras.keys() and got.imports_treatment == want.imports_treatment
        assert all(got.extras[k].tobytes() == want.extras[k].tobytes() for k in want.extras)
        assert got.regions.codes == ("CN",)
