"""City CO2 inventories (guessed layout: one workbook per year, one sheet per city laid
out like the provincial release-2021 sheets): reading, city names, identities, import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from city_fixtures import city_arrays, mat_variables, write_mat_v5
from inventory_fixtures import release2021_grid, synthetic_values, write_workbook
from viscarbon.analysis import scale
from viscarbon.cli import app
from viscarbon.errors import BalanceError, DataError
from viscarbon.ingest import import_files
from viscarbon.io.readers.ceads_city import read_city_inventory_workbook
from viscarbon.io.store import Store

runner = CliRunner()
SHEETS = {"Beijing2017": 1, "上海": 2, "440300": 3, "Gotham 2017": 4}


def _write(tmp_path: Path, year: int = 2017, *, damage: bool = False,
           sheets: dict[str, int] = SHEETS) -> tuple[Path, dict[str, np.ndarray]]:
    values = {s: synthetic_values(seed) for s, seed in sheets.items()}
    grids = {s: release2021_grid(v) for s, v in values.items()}
    grids["NOTE"] = [["Unit: Mt CO2"], ["Source: CEADs"]]
    if damage:
        grids["上海"][10][2] = float(grids["上海"][10][2] or 0.0) + 1.0
    return write_workbook(tmp_path / f"City_CO2_Inventories_{year}.xlsx", grids), values


def test_reads_cities_by_name_code_and_unknown(tmp_path: Path) -> None:
    path, values = _write(tmp_path)
    inv = read_city_inventory_workbook(path)
    assert inv.year == 2017 and inv.regions.list_id == "cn_city"
    assert inv.regions.codes == ("110000", "310000", "440300", "C004")
    assert inv.regions.labels_en == ("Beijing", "Shanghai", "Shenzhen", "Gotham")
    for k, s in enumerate(SHEETS):
        np.testing.assert_allclose(inv.values[k], values[s], rtol=1e-12)
        assert inv.totals[k] == pytest.approx(values[s].sum(), rel=1e-12)
    assert "guessed" in inv.provenance[0].notes and "Gotham" in inv.provenance[0].notes


def test_identity_failure_names_the_sheet_and_year_conflicts(tmp_path: Path) -> None:
    path, _ = _write(tmp_path, damage=True)
    with pytest.raises(BalanceError, match="上海"):
        read_city_inventory_workbook(path)
    path, _ = _write(tmp_path, 2016, sheets={"Beijing2017": 1})
    with pytest.raises(DataError, match="sheet 'Beijing2017' is for 2017, the file for 2016"):
        read_city_inventory_workbook(path)


def test_import_kind(tmp_path: Path, store_path: Path) -> None:
    p17, _ = _write(tmp_path)
    bad, _ = _write(tmp_path, 2015, damage=True, sheets={"北京": 1, "上海": 2})
    with pytest.raises(BalanceError):
        import_files(store_path, "ceads-city-inventory", [p17, bad])
    assert (Store(store_path).datasets() == []) if store_path.exists() else True
    res = import_files(store_path, "ceads-city-inventory", [p17])
    assert res.name == "ceads-city-inventory-2017" and res.years == (2017,)
    inv = Store(store_path).load_inventory(res.name, 2017)
    assert inv.regions.codes[0] == "110000"


def test_city_mrio_links_the_city_inventory_and_is_harmonized(tmp_path: Path, store_path: Path) -> None:
    arr = city_arrays(24)
    sheets = {name: k + 1 for k, name in enumerate(arr.names)}
    inv_path, values = _write(tmp_path, 2017, sheets=sheets)
    import_files(store_path, "ceads-city-inventory", [inv_path])
    mat = write_mat_v5(tmp_path / "city_mrio_2017.mat", mat_variables(arr))
    res = import_files(store_path, "ceads-city-mrio", [mat])
    assert res.linked_inventory == "ceads-city-inventory-2017" and res.link == "auto"
    rep = res.reconciliation[2017]
    inv_total = sum(float(v.sum()) for v in values.values())
    assert sum(r.mapped_total for r in rep.rows) == pytest.approx(inv_total, rel=1e-9)


def test_cli_city_accounts_and_the_memory_guard(tmp_path: Path, store_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    arr = city_arrays(20, seed=5)
    inv_path, _ = _write(tmp_path, 2017, sheets={name: k + 1 for k, name in enumerate(arr.names)})
    import_files(store_path, "ceads-city-inventory", [inv_path])
    res = import_files(store_path, "ceads-city-mrio", [write_mat_v5(tmp_path / "city_2017.mat", mat_variables(arr))])
    out = tmp_path / "acc"
    ok = runner.invoke(app, ["analyse", "city-accounts", "--dataset", res.name, "--out", str(out),
                             "--store", str(store_path)])
    assert ok.exit_code == 0, ok.output
    assert "dense path" in ok.output and "GB needed" in ok.output
    df = pd.read_csv(out / "accounts_by_region.csv")
    assert df["consumption_mt"].sum() == pytest.approx(df["production_mt"].sum(), rel=1e-12)
    assert df["production_mt"].sum() > 0
    refused = tmp_path / "refused"
    monkeypatch.setattr(scale, "available_memory", lambda: 10**6)
    bad = runner.invoke(app, ["analyse", "city-accounts", "--dataset", res.name, "--out", str(refused),
                              "--store", str(store_path)])
    assert bad.exit_code != 0
    text = " ".join(bad.output.split())
    assert "840 sectors needs" in text and "0.00 GB of memory is available" in text
    assert not refused.exists()
