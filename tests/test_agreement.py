"""One resolved system for every consumer: for every kind of dataset, with and without
imputation, the CO2 of each region agrees (1e-12 relative) between

* the Python API (``Workspace.year(...).accounts()``),
* ``viscarbon analyse footprint --format csv``,
* ``viscarbon export --format csv`` (floats in their shortest round-trip form) and ``--format parquet``,
* the dashboard's ``/api/view`` (the sectors' CO2 of the province-year).

Datasets: the demo; a generated CEADs MRIO workbook linked to a provincial inventory
without Tibet (XZ missing, or imputed); a generated MRIO whose own CO2 row is its only CO2
(no inventory linked); a pymrio folder with a CO2 extension and a missing region; the NBS
2017 table with the CEADs national inventory (real data)."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from engine_fixtures import random_system
from inventory_fixtures import write_release2021
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.analysis import Workspace
from viscarbon.cli.app import app as cli_app
from viscarbon.ingest import import_files
from viscarbon.io.writers import write_pymrio_folder
from viscarbon.web.app import create_app

pytestmark = pytest.mark.xdist_group("agreement")
runner = CliRunner()
RTOL = 1e-12
NATIONAL = "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agreement")
    path = folder / "store.duckdb"
    for sub in ("row", "mrio"):
        (folder / sub).mkdir()
    row = write_fixture(random_mrio(("BJ", "SH", "GD"), year=2017, seed=11, co2=True), folder / "row",
                        layout="2012-2017")
    assert import_files(path, "ceads-mrio", [row], name="rowonly").link == "absent"
    inv, _ = write_release2021(folder, 2017, seed=4)  # the 30 provinces: no Tibet sheet
    import_files(path, "ceads-inventory", [inv], name="inv")
    wb = write_fixture(random_mrio(("BJ", "TJ", "XZ"), year=2017, seed=7, co2=False), folder / "mrio",
                       layout="2012-2017")
    assert import_files(path, "ceads-mrio", [wb], name="mrio").linked_inventory == "inv"
    system = random_system(4, 6, seed=3, year=2015, missing=("HE",))
    write_pymrio_folder(system, folder / "pm", name="pm")
    import_files(path, "pymrio", [folder / "pm"], name="pm")
    return path


@pytest.fixture(scope="module")
def national_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path, nbs_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("agreement_nbs") / "store.duckdb"
    import_files(path, "ceads-inventory", [shared_data / "ceads" / NATIONAL])
    import_files(path, "nbs-io", [nbs_dir / "china_2017_42.csv"], name="nbs")
    return path


def _pba_python(store: Path, dataset: str, year: int, impute: bool) -> dict[str, float | None]:
    acc = Workspace(store, impute_missing=impute).year(dataset, year).accounts()
    return dict(zip(acc.regions.codes, acc.production_based, strict=True))


def _industry_python(store: Path, dataset: str, year: int, impute: bool) -> dict[str, float | None]:
    ya = Workspace(store, impute_missing=impute).year(dataset, year)
    arr = ya.carbon_arrays()
    status = ya.resolved.region_status
    return {c: (None if status[r] == "missing" else float(arr.production_industry[r]))
            for r, c in enumerate(ya.table.regions.codes)}


def _plain_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("\n".join(ln for ln in text.splitlines() if not ln.startswith("#")))))


def _num(text: str) -> float | None:
    if text in ("", "nan", "None"):
        return None
    v = float(text)
    return None if math.isnan(v) else v


def _pba_cli(store: Path, dataset: str, year: int, impute: bool) -> dict[str, float | None]:
    args = ["analyse", "footprint", "--dataset", dataset, "--year", str(year), "--format", "csv",
            "--store", str(store), *(["--impute-missing"] if impute else [])]
    res = runner.invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    return {r["region"]: _num(r["production_based_mt"]) for r in _plain_rows(res.stdout)}


def _sum_by_region(rows: list[tuple[str, float]]) -> dict[str, float]:
    parts: dict[str, list[float]] = defaultdict(list)
    for region, value in rows:
        parts[region].append(value)
    return {r: math.fsum(v) for r, v in parts.items()}


def _pba_export(store: Path, dataset: str, year: int, impute: bool, out: Path, fmt: str) -> dict[str, float]:
    args = ["export", dataset, "--year", str(year), "--format", fmt, "--out", str(out), "--store", str(store),
            *(["--impute-missing"] if impute else [])]
    res = runner.invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    path = out / f"{dataset}_{year}_CO2.{fmt}"
    if fmt == "csv":
        rows = [(r["region"], float(r["value"])) for r in _plain_rows(path.read_text(encoding="utf-8"))]
    else:
        rows = duckdb.sql(f"SELECT region, value FROM read_parquet('{path}')").fetchall()
    return _sum_by_region(rows)


def _industry_api(client: TestClient, dataset: str, year: int, regions: tuple[str, ...]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for code in regions:
        r = client.get("/api/view", params={"dataset": dataset, "year": year, "region": code})
        assert r.status_code == 200, r.text
        values = [n["indicators"]["co2"]["value"] for n in r.json()["nodes"]]
        out[code] = None if any(v is None for v in values) else math.fsum(values)
    return out


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-12)


def _check(store: Path, dataset: str, year: int, impute: bool, tmp: Path) -> dict[str, Any]:
    python = _pba_python(store, dataset, year, impute)
    cli = _pba_cli(store, dataset, year, impute)
    csv_export = _pba_export(store, dataset, year, impute, tmp / f"csv_{impute}", "csv")
    parquet = _pba_export(store, dataset, year, impute, tmp / f"pq_{impute}", "parquet")
    for code, value in python.items():
        assert _close(cli[code], value), (dataset, impute, code, cli[code], value)
        if value is not None:
            assert _close(csv_export.get(code, 0.0), value), (dataset, impute, code, csv_export.get(code), value)
            assert _close(parquet.get(code, 0.0), value), (dataset, impute, code, parquet.get(code), value)
    industry = _industry_python(store, dataset, year, impute)
    client = TestClient(create_app(allowed_hosts=("testserver",), store_path=store, impute_missing=impute))
    api = _industry_api(client, dataset, year, tuple(industry))
    for code, value in industry.items():
        assert _close(api[code], value), (dataset, impute, code, api[code], value)
    return python


@pytest.mark.parametrize("impute", [False, True])
def test_demo_agrees_everywhere(store: Path, impute: bool, tmp_path: Path) -> None:
    pba = _check(store, "demo", 2017, impute, tmp_path)
    assert pba["XZ"] is not None  # the demo is always imputed (and flagged)


@pytest.mark.parametrize("impute", [False, True])
def test_mrio_linked_to_an_inventory_without_tibet(store: Path, impute: bool, tmp_path: Path) -> None:
    pba = _check(store, "mrio", 2017, impute, tmp_path)
    assert (pba["XZ"] is not None) is impute and pba["BJ"] is not None


@pytest.mark.parametrize("impute", [False, True])
def test_mrio_with_only_its_own_co2_row(store: Path, impute: bool, tmp_path: Path) -> None:
    pba = _check(store, "rowonly", 2017, impute, tmp_path)
    assert all(v is not None and v > 0 for v in pba.values())
    resolved = Workspace(store).year("rowonly", 2017).resolved
    assert resolved.co2_source == "co2_row"


@pytest.mark.parametrize("impute", [False, True])
def test_pymrio_folder_with_a_missing_region(store: Path, impute: bool, tmp_path: Path) -> None:
    pba = _check(store, "pm", 2015, impute, tmp_path)
    assert (pba["HE"] is not None) is impute


@pytest.mark.realdata
@pytest.mark.parametrize("impute", [False, True])
def test_nbs_table_with_the_national_inventory(national_store: Path, impute: bool, tmp_path: Path) -> None:
    pba = _check(national_store, "nbs", 2017, impute, tmp_path)
    assert pba["CN"] == pytest.approx(9408.17, abs=0.01)
