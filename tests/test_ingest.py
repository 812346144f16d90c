"""ingest: read → validate → harmonize → store, all or nothing; re-imports; links; exports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

from inventory_fixtures import write_release2021
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.errors import (
    BalanceError,
    DataError,
    LayoutError,
    NotFound,
    StoreError,
    ViscarbonError,
)
from viscarbon.ingest import (
    default_name,
    export_dataset,
    import_files,
    remove_dataset,
    rename_dataset,
)
from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio
from viscarbon.io.store import Store
from viscarbon.io.writers.ceads_mrio import mrio_sheets, write_sheets

# 2012-2017 layout of a 3-region table: first data row index 4, Z from column index 3
N = 126
R0, Z0 = 4, 3
GO = Z0 + N + 1 + 15 + 3
SHEET = "Table_2017_consistent"
INV_2017 = "Emission_Inventories_for_30_Provinces_2017.xlsx"


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Valid workbooks, generated once: inventories 2015 and 2017 (30 provinces), MRIO
    tables 2015 and 2017 (BJ, TJ, HE × 42, 2012-2017 layout)."""
    d = tmp_path_factory.mktemp("ingest")
    inv15, _ = write_release2021(d, 2015, seed=5)
    inv17, _ = write_release2021(d, 2017, seed=7)
    t15 = random_mrio(year=2015, seed=15)
    t17 = random_mrio(year=2017, seed=17)
    return {"dir": d, "inv15": inv15, "inv17": inv17, "t15": t15, "t17": t17,
            "mrio15": write_fixture(t15, d, layout="2012-2017"),
            "mrio17": write_fixture(t17, d, layout="2012-2017")}


def _copy(src: Path, dst_dir: Path, name: str | None = None) -> Path:
    dst_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, dst_dir / (name or src.name)))


def test_default_name() -> None:
    assert default_name("ceads-inventory", [2017, 1997, 2005]) == "ceads-inventory-1997-2017"
    assert default_name("nbs-io", [2015]) == "nbs-io-2015"


def test_inventories_land_and_reimport_changes_nothing(files, store_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    r = import_files(store_path, "ceads-inventory", [files["inv17"], files["inv15"]],
                     progress=lambda s, d, t: steps.append((s, d, t)))
    assert r.changed and r.name == "ceads-inventory-2015-2017" and r.years == (2015, 2017)
    assert steps[:2] == [(files["inv17"].name, 1, 2), (files["inv15"].name, 2, 2)]
    s = Store(store_path)
    inv = s.load_inventory(r.name, 2017)
    assert len(inv.regions) == 30 and "XZ" not in inv.regions.codes
    assert inv.provenance[0].file_name == INV_2017
    digest, gen = s.content_digest(), s.generation()
    again = import_files(store_path, "ceads-inventory", [files["inv15"], files["inv17"]], name="other")
    assert not again.changed and again.existing == r.name
    assert s.content_digest() == digest and s.generation() == gen


def test_mrio_links_the_only_inventory_and_reconciles(files, store_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv15"], files["inv17"]], name="inv")
    r = import_files(store_path, "ceads-mrio", [files["mrio15"], files["mrio17"]])
    assert r.link == "auto" and r.linked_inventory == "inv"
    assert r.inventory_years == {2015: 2015, 2017: 2017}
    rep = r.reconciliation[2017]
    assert rep.max_abs_difference < 1e-9
    s = Store(store_path)
    rec = s.dataset(r.name)
    assert rec.kind == "ceads-mrio" and rec.linked_inventory == "inv"
    inv17 = s.load_inventory("inv", 2017)
    row = rep.row("BJ")
    assert row.inventory_total == inv17.totals[inv17.regions.index("BJ")]
    assert row.mrio_co2_total == pytest.approx(files["t17"].extras["co2_row"][:42].sum(), rel=1e-12)
    stored = s.reconciliation(r.name, 2017)
    assert stored is not None
    iy, records = stored.inventory_year, stored.records
    assert iy == 2017 and [x["region"] for x in records] == ["BJ", "TJ", "HE"]
    table = s.load_table(r.name, 2017)
    read = read_ceads_mrio(files["mrio17"])  # what the reader gives is what the store keeps
    for b in ("Z", "Y", "EX", "IM", "V", "x"):
        assert getattr(table, b).tobytes() == getattr(read, b).tobytes(), b
    assert table.extras.keys() == read.extras.keys() and table.provenance == read.provenance
    np.testing.assert_allclose(table.Z, files["t17"].Z, rtol=1e-14)


def test_mrio_nearest_inventory_year_and_explicit_link(files, store_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv15"]], name="inv15")
    import_files(store_path, "ceads-inventory", [files["inv17"]], name="inv17")
    amb = import_files(store_path, "ceads-mrio", [files["mrio17"]], name="m_none")
    assert amb.link == "ambiguous" and amb.candidates == ("inv15", "inv17") and amb.linked_inventory is None
    r = import_files(store_path, "ceads-mrio", [files["mrio15"], files["mrio17"]], name="m",
                     inventory="inv15")
    assert r.link == "option" and r.inventory_years == {2015: 2015, 2017: 2015}
    assert "2017<-2015" in Store(store_path).dataset("m").notes


def test_mrio_without_inventory(files, store_path: Path) -> None:
    r = import_files(store_path, "ceads-mrio", [files["mrio17"]])
    assert r.link == "absent" and r.reconciliation == {} and r.name == "ceads-mrio-2017"


def test_rename_and_remove_follow_links(files, store_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv17"]], name="inv")
    import_files(store_path, "ceads-mrio", [files["mrio17"]], name="m")
    rename_dataset(store_path, "inv", "inv2017")
    s = Store(store_path)
    assert s.dataset("m").linked_inventory == "inv2017"
    assert s.load_inventory("inv2017", 2017).year == 2017
    assert s.reconciliation("m", 2017).records  # type: ignore[union-attr]  # stored at import
    remove_dataset(store_path, "inv2017")
    assert [r.name for r in s.datasets()] == ["m"] and s.dataset("m").linked_inventory is None
    assert s.reconciliation("m", 2017) is None  # the reconciliation went with the link


# --------------------------------------------------------------------------- bad input
def _mrio_sheets(table: Any) -> dict[str, list[list[Any]]]:
    return {k: [list(r) for r in v] for k, v in mrio_sheets(table, layout="2012-2017").items()}


def _bad_inventory(files: dict[str, Any], tmp: Path, mutate: Callable[[dict[str, Any]], None],
                   file_name: str | None = None) -> Path:
    path, _ = write_release2021(tmp, 2017, seed=7, mutate=mutate, file_name=file_name)
    return path


def _truncated(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    data = files["inv17"].read_bytes()
    p = tmp / INV_2017
    p.write_bytes(data[: len(data) // 2])
    return "ceads-inventory", [files["inv15"], p]


def _missing_sheet(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    return "ceads-inventory", [_bad_inventory(files, tmp, lambda s: s.pop("Guangdong2017"))]


def _shifted_block(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    return "ceads-inventory", [_bad_inventory(files, tmp, lambda s: s["Beijing2017"].insert(0, []))]


def _text_cell(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    def m(s: dict[str, Any]) -> None:
        s["Hebei2017"][10][3] = "12,3 Mt?"
    return "ceads-inventory", [files["inv15"], _bad_inventory(files, tmp, m)]


def _nan_cell(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    def m(s: dict[str, Any]) -> None:
        s["Hebei2017"][10][3] = float("nan")
    return "ceads-inventory", [_bad_inventory(files, tmp, m)]


def _wrong_year(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    return "ceads-inventory", [_bad_inventory(
        files, tmp, lambda s: None, file_name="Emission_Inventories_for_30_Provinces_2016.xlsx")]


def _negative_output(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    s = _mrio_sheets(files["t17"])
    s[SHEET][R0 + 100][GO] = -5.0
    return "ceads-mrio", [files["mrio15"], write_sheets(tmp / "mrio_a_2017.xlsx", s)]


def _unbalanced(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    s = _mrio_sheets(files["t17"])
    s[SHEET][R0 + 45][Z0 + 3] += 1234.0
    return "ceads-mrio", [write_sheets(tmp / "mrio_a_2017.xlsx", s)]


def _duplicate_year(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    return "ceads-inventory", [files["inv17"], _copy(files["inv17"], tmp / "copy")]


def _not_found(files: dict[str, Any], tmp: Path) -> tuple[str, list[Path]]:
    return "ceads-mrio", [tmp / "nope.xlsx"]


BAD = {
    "truncated file": (_truncated, LayoutError, "not a readable workbook"),
    "missing sheet": (_missing_sheet, LayoutError, "province sheet 'Guangdong2017' .GD. is missing"),
    "shifted block": (_shifted_block, ViscarbonError, "Beijing2017"),
    "text in number cell": (_text_cell, DataError, "text '12,3 Mt\\?' where a number is required"),
    "NaN": (_nan_cell, DataError, "Hebei2017"),
    "wrong year in file name": (_wrong_year, DataError, "wrong year in the file name"),
    "negative output": (_negative_output, DataError, "negative gross output at HE/17"),
    "unbalanced table": (_unbalanced, BalanceError, "row balance fails at TJ/04"),
    "two files for one year": (_duplicate_year, DataError, "two files hold the year 2017"),
    "file not found": (_not_found, LayoutError, "file not found"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_leaves_the_store_unchanged(case: str, files, store_path: Path, tmp_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv15"]], name="inv")
    s = Store(store_path)
    before, gen = s.content_digest(), s.generation()
    make, exc, pattern = BAD[case]
    bad = tmp_path / "bad"
    bad.mkdir()
    kind, paths = make(files, bad)
    with pytest.raises(exc, match=pattern):
        import_files(store_path, kind, paths, name="new")
    assert s.content_digest() == before and s.generation() == gen
    assert [r.name for r in s.datasets()] == ["inv"]


def test_bad_names_and_unknown_datasets_leave_the_store_unchanged(files, store_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv15"]], name="a")
    import_files(store_path, "ceads-inventory", [files["inv17"]], name="b")
    s = Store(store_path)
    before = s.content_digest()
    with pytest.raises(StoreError, match="a dataset named 'b' already exists"):
        rename_dataset(store_path, "a", "b")
    with pytest.raises(NotFound, match=r"no dataset named 'zz'.*stored datasets: a, b"):
        rename_dataset(store_path, "zz", "c")
    with pytest.raises(NotFound, match="no dataset named 'zz'"):
        remove_dataset(store_path, "zz")
    with pytest.raises(StoreError, match="reserved"):
        rename_dataset(store_path, "a", "demo")
    with pytest.raises(StoreError, match="invalid dataset name"):
        import_files(store_path, "ceads-mrio", [files["mrio17"]], name="bad name!")
    with pytest.raises(NotFound, match=r"no inventory dataset named 'zz'.*inventory datasets: a, b"):
        import_files(store_path, "ceads-mrio", [files["mrio17"]], inventory="zz")
    with pytest.raises(StoreError, match="a dataset named 'a' already exists"):
        import_files(store_path, "ceads-mrio", [files["mrio17"]], name="a")
    with pytest.raises(DataError, match="unknown import kind"):
        import_files(store_path, "excel", [files["mrio17"]])
    assert s.content_digest() == before


# --------------------------------------------------------------------------- export
def test_export_stored_mrio_as_csv_with_co2(files, store_path: Path, tmp_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv17"]], name="inv")
    import_files(store_path, "ceads-mrio", [files["mrio17"]], name="m")
    res = export_dataset(store_path, "m", tmp_path / "out", fmt="csv")
    names = [p.name for p in res.files]
    assert names[0] == "README.md" and "m_2017_Z.csv" in names and "m_2017_CO2.csv" in names
    readme = res.files[0].read_text(encoding="utf-8")
    assert "Zheng" in readme and "synthetic: false" in readme
    assert names[1] == "datapackage.json"
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["citation"].startswith("Zheng") and package["synthetic"] is False
    by_path = {r["path"]: r for r in package["resources"]}
    assert set(by_path) == {n for n in names if n.endswith(".csv")}
    assert by_path["m_2017_Z.csv"]["metadata"]["dataset"] == "m"
    z = (tmp_path / "out" / "m_2017_Z.csv").read_text(encoding="utf-8").splitlines()
    assert z[0] == "row_region,row_sector,col_region,col_sector,value,unit"  # plain: the header first
    total = sum(float(line.split(",")[4]) for line in z[1:])
    assert total == pytest.approx(files["t17"].Z.sum(), rel=1e-12)
    co2 = (tmp_path / "out" / "m_2017_CO2.csv").read_text(encoding="utf-8").splitlines()
    inv = Store(store_path).load_inventory("inv", 2017)
    mapped = sum(float(line.split(",")[4]) for line in co2[1:] if line.split(",")[0] in ("BJ", "TJ", "HE"))
    want = sum(inv.totals[inv.regions.index(c)] for c in ("BJ", "TJ", "HE"))
    assert mapped == pytest.approx(want, rel=1e-12)


def test_export_inventory_parquet_and_refuse_pymrio(files, store_path: Path, tmp_path: Path) -> None:
    import_files(store_path, "ceads-inventory", [files["inv15"], files["inv17"]], name="inv")
    res = export_dataset(store_path, "inv", tmp_path / "o", fmt="parquet", year=2017)
    pq = tmp_path / "o" / "inv_inventory.parquet"
    assert pq in res.files
    total = duckdb.sql(f"SELECT sum(value) FROM '{pq}' WHERE region = 'GD'").fetchall()[0][0]
    inv = Store(store_path).load_inventory("inv", 2017)
    assert total == pytest.approx(inv.totals[inv.regions.index("GD")], rel=1e-12)
    assert duckdb.sql(f"SELECT DISTINCT year FROM '{pq}'").fetchall() == [(2017,)]
    with pytest.raises(DataError, match="pymrio export needs an IO table"):
        export_dataset(store_path, "inv", tmp_path / "p", fmt="pymrio")
    with pytest.raises(NotFound, match="has no year 2010"):
        export_dataset(store_path, "inv", tmp_path / "p", fmt="csv", year=2010)


def test_export_demo_is_marked_synthetic(store_path: Path, tmp_path: Path) -> None:
    from viscarbon.demo import demo_dataset

    res = export_dataset(store_path, "demo", tmp_path / "d", fmt="parquet", year=2012)
    assert res.synthetic
    assert "SYNTHETIC" in res.files[0].read_text(encoding="utf-8")
    x = str(tmp_path / "d" / "demo_2012_x.parquet")
    kv = dict(duckdb.sql(f"SELECT key, value FROM parquet_kv_metadata('{x}')").fetchall())
    assert kv[b"synthetic"] == b"true" and b"warning" in kv
    n, total = duckdb.sql(f"SELECT count(*), sum(value) FROM '{x}'").fetchall()[0]
    demo = demo_dataset().table(2012)
    assert n == np.count_nonzero(demo.x) and total == pytest.approx(demo.x.sum(), rel=1e-12)


def test_export_json_rows(files, store_path: Path, tmp_path: Path) -> None:
    import_files(store_path, "ceads-mrio", [files["mrio15"]], name="m")
    export_dataset(store_path, "m", tmp_path / "j", fmt="json")
    ex = json.loads((tmp_path / "j" / "m_2015_EX.json").read_text(encoding="utf-8"))
    assert ex["meta"]["synthetic"] == "false"  # read from a CEADs-layout workbook
    assert ex["meta"]["unit"] == "10k_yuan" and ex["meta"]["year"] == "2015"
    table = Store(store_path).load_table("m", 2015)
    assert [r["value"] for r in ex["rows"]] == table.EX[table.EX != 0].tolist()
    assert ex["rows"][0]["region"] == "BJ" and ex["rows"][0]["sector"] == "01"
