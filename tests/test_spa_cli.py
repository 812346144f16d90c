"""The structural CLI commands (linkages, extract, spa, sda) on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csv_helpers import cli_csv
from viscarbon.cli.app import app


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_spa_csv_has_paths_and_metadata(runner: CliRunner, store_path: Path) -> None:
    res = runner.invoke(app, ["analyse", "spa", "--region", "gd", "--year", "2017", "--depth", "4",
                              "--top", "7", "--format", "csv"])
    assert res.exit_code == 0, res.output
    meta, rows = cli_csv(res)
    assert len(rows) == 7
    assert [int(r["rank"]) for r in rows] == list(range(1, 8))
    assert all(r["final_demand_region"] == "GD" or "→" in r["path"] for r in rows)
    assert meta["synthetic"] == "true" and meta["citation"]
    assert "Mt CO2" in meta["units"] and meta["coverage"]


def test_spa_table_reports_coverage_and_time(runner: CliRunner, store_path: Path) -> None:
    res = runner.invoke(app, ["analyse", "spa", "--region", "BJ", "--sector", "28", "--depth", "3",
                              "--top", "3"])
    assert res.exit_code == 0, res.output
    assert "explain" in res.stdout and "tree nodes" in res.stdout


def test_sda_json_national_row_sums(runner: CliRunner, store_path: Path) -> None:
    res = runner.invoke(app, ["analyse", "sda", "--from-year", "2012", "--to-year", "2015",
                              "--method", "shapley", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert "no deflation" in doc["meta"]["prices"]
    rows = {r["destination"]: r for r in doc["rows"]}
    assert len(rows) == 33  # 31 provinces, exports, national
    cn = rows["CN"]
    parts = sum(cn[k] for k in ("intensity_mt", "structure_mt", "product_mix_mt", "sourcing_mt", "level_mt"))
    assert parts == pytest.approx(cn["change_mt"], rel=1e-9)
    deflated = runner.invoke(app, ["analyse", "sda", "--from-year", "2012", "--to-year", "2015",
                                   "--region", "GD", "--deflator", "2012=1", "--deflator", "2015=1.1",
                                   "--format", "json"])
    assert deflated.exit_code == 0, deflated.output
    assert "deflated" in json.loads(deflated.stdout)["meta"]["prices"]


def test_linkages_and_extract_outputs(runner: CliRunner, store_path: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["analyse", "linkages", "--region", "GD", "--year", "2012",
                              "--isolated", "--format", "csv"])
    assert res.exit_code == 0, res.output
    _, rows = cli_csv(res)
    assert len(rows) == 42
    assert {r["quadrant"] for r in rows} <= {"key", "backward", "forward", "weak"}
    out = tmp_path / "extract.xlsx"
    res = runner.invoke(app, ["analyse", "extract", "--sector", "25", "--mode", "forward",
                              "--format", "xlsx", "--out", str(out)])
    assert res.exit_code == 0, res.output
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names[:2] == ["data", "metadata"]
    data = wb.get_sheet_by_name("data").to_python()
    assert data[0][0] == "region" and data[-1][0] == "TOTAL"


def test_errors_are_one_line(runner: CliRunner, store_path: Path) -> None:
    res = runner.invoke(app, ["analyse", "sda", "--from-year", "2012", "--to-year", "2012"])
    assert res.exit_code == 1
    assert "two different years" in res.stderr
    res = runner.invoke(app, ["analyse", "extract", "--year", "2012"])
    assert res.exit_code == 1
    assert "needs a sector, a region, or both" in res.stderr
    res = runner.invoke(app, ["analyse", "spa", "--region", "ZZ"])
    assert res.exit_code == 1
    assert "unknown region code 'ZZ'" in res.stderr
    res = runner.invoke(app, ["analyse", "sda", "--deflator", "2017"])
    assert res.exit_code == 1
    assert "YEAR=INDEX" in res.stderr
