"""io.writers: tidy tables with a metadata block in csv, parquet, xlsx and json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pytest

from store_fixtures import make_inventory, make_mrio
from viscarbon.errors import DataError
from viscarbon.io.writers.tables import (
    inventory_columns,
    io_table_columns,
    write_columns,
    write_table,
)

RECORDS: list[dict[str, object]] = [
    {"region": "GD", "year": 2017, "sector": "25", "value": 1.25, "unit": "Mt"},
    {"region": "BJ", "year": 2017, "sector": "01", "value": 0.5, "unit": "Mt"},
]
META = {"unit": "Mt CO2", "citation": "Shan et al. 2018, Sci Data 5:170201", "synthetic": "false"}


def test_csv_is_plain_and_its_metadata_goes_to_a_datapackage_beside_it(tmp_path: Path) -> None:
    p = write_table(RECORDS, tmp_path / "t.csv", fmt="csv", meta=META)
    lines = p.read_text(encoding="utf-8").splitlines()
    assert lines == ["region,year,sector,value,unit", "GD,2017,25,1.25,Mt", "BJ,2017,01,0.5,Mt"]
    rows = list(csv.DictReader(lines))
    assert rows[1] == {"region": "BJ", "year": "2017", "sector": "01", "value": "0.5", "unit": "Mt"}
    pkg = json.loads((tmp_path / "t.datapackage.json").read_text(encoding="utf-8"))
    (res,) = pkg["resources"]
    assert res["path"] == "t.csv" and res["citation"] == META["citation"] and res["synthetic"] is False
    assert [(f["name"], f["type"]) for f in res["schema"]["fields"]] == [
        ("region", "string"), ("year", "integer"), ("sector", "string"), ("value", "number"), ("unit", "string")]
    assert not (tmp_path / "u.datapackage.json").exists()
    write_table(RECORDS, tmp_path / "u.csv", fmt="csv", meta=META, sidecar=False)
    assert not (tmp_path / "u.datapackage.json").exists()


def test_json_xlsx_parquet_carry_rows_and_metadata(tmp_path: Path) -> None:
    j = json.loads(write_table(RECORDS, tmp_path / "t.json", fmt="json", meta=META).read_text())
    assert j["meta"] == META and j["rows"] == RECORDS
    assert [f["type"] for f in j["schema"]["fields"]] == ["string", "integer", "string", "number", "string"]

    wb = openpyxl.load_workbook(write_table(RECORDS, tmp_path / "t.xlsx", fmt="xlsx", meta=META))
    assert wb.sheetnames == ["data", "metadata", "columns"]
    data = list(wb["data"].values)
    assert data[0] == ("region", "year", "sector", "value", "unit") and data[1] == ("GD", 2017, "25", 1.25, "Mt")
    assert dict(list(wb["metadata"].values)[1:]) == META
    assert [r[:2] for r in list(wb["columns"].values)[1:]] == [
        ("region", "string"), ("year", "integer"), ("sector", "string"), ("value", "number"), ("unit", "string")]

    pq = str(write_table(RECORDS, tmp_path / "t.parquet", fmt="parquet", meta=META))
    rows = duckdb.sql(f"SELECT region, year, sector, value FROM '{pq}'").fetchall()
    assert rows == [("GD", 2017, "25", 1.25), ("BJ", 2017, "01", 0.5)]
    kv = dict(duckdb.sql(f"SELECT key, value FROM parquet_kv_metadata('{pq}')").fetchall())
    assert kv[b"citation"] == META["citation"].encode() and kv[b"synthetic"] == b"false"
    assert [f["name"] for f in json.loads(kv[b"schema"])["fields"]] == ["region", "year", "sector", "value", "unit"]


def test_bad_format_and_ragged_columns(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unknown table format 'txt'"):
        write_table(RECORDS, tmp_path / "t.txt", fmt="txt", meta=META)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="different lengths"):
        write_columns({"a": [1, 2], "b": [1]}, tmp_path / "t.csv", fmt="csv", meta={})


def test_io_table_columns_are_tidy_and_complete() -> None:
    t = make_mrio(n_regions=2, n_sectors=3, seed=4)
    cols = io_table_columns(t)
    z = cols["Z"]
    assert list(z) == ["row_region", "row_sector", "col_region", "col_sector", "value", "unit"]
    assert z["value"].sum() == pytest.approx(t.Z.sum(), rel=1e-12)
    i, j = (int(v) for v in np.argwhere(t.Z[3:, :3] != 0)[-1])  # a TJ → BJ flow
    k = int(np.flatnonzero((z["row_region"] == "TJ") & (z["row_sector"] == f"{i + 1:02d}")
                           & (z["col_region"] == "BJ") & (z["col_sector"] == f"{j + 1:02d}"))[0])
    assert z["value"][k] == t.Z[3 + i, j]
    assert z["value"].size == np.count_nonzero(t.Z)
    y = cols["Y"]
    assert list(y)[:4] == ["row_region", "row_sector", "col_region", "category"]
    assert y["value"].sum() == pytest.approx(t.Y.sum(), rel=1e-12)
    assert set(y["category"]) <= set(t.fd_categories.codes)
    assert cols["V"]["value"].sum() == pytest.approx(t.V.sum(), rel=1e-12)
    assert cols["x"]["value"].tolist() == t.x.tolist()
    assert set(z["unit"]) == {"10k_yuan"}


def test_inventory_columns() -> None:
    invs = [make_inventory(year=2015), make_inventory(year=2016, seed=1)]
    cols = inventory_columns(invs)
    assert list(cols) == ["region", "year", "sector", "fuel", "value", "unit"]
    for inv in invs:
        sel = cols["year"] == inv.year
        assert cols["value"][sel].sum() == pytest.approx(inv.totals.sum(), rel=1e-12)
    sel = (cols["year"] == 2015) & (cols["region"] == "TJ") & (cols["sector"] == "20") & (cols["fuel"] == "V")
    assert cols["value"][sel].tolist() == [invs[0].values[1, 19, 20]]
