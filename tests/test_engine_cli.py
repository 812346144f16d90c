"""``viscarbon analyse footprint|trade|electricity|network`` on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csv_helpers import cli_csv
from viscarbon.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _empty_store(store_path: Path) -> None:
    """Every CLI run points at a fresh (absent) store: the demo only."""


def test_footprint_csv_one_row_per_region_with_metadata() -> None:
    res = runner.invoke(app, ["analyse", "footprint", "--dataset", "demo", "--year", "2017", "--format", "csv"])
    assert res.exit_code == 0, res.output
    meta, rows = cli_csv(res)
    assert meta["synthetic"] == "true" and meta["citation"] and "Mt CO2" in meta["units"]
    assert len(rows) == 31 and rows[0]["region"] == "BJ" and rows[18]["region"] == "GD"
    for col in ("production_based_mt", "consumption_based_mt", "embodied_in_exports_mt"):
        assert col in rows[0]
    pba = sum(float(r["production_based_mt"]) for r in rows)
    cba = sum(float(r["consumption_based_mt"]) for r in rows)
    eee = sum(float(r["embodied_in_exports_mt"]) for r in rows)
    assert abs(pba - cba - eee) < 1e-9 * pba


def test_footprint_by_origin_and_files(tmp_path: Path) -> None:
    out = tmp_path / "gd.json"
    res = runner.invoke(app, ["analyse", "footprint", "--region", "gd", "--top", "5", "--format", "json",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["rows"]) == 5 and doc["meta"]["synthetic"] == "true"
    res = runner.invoke(app, ["analyse", "footprint", "--format", "xlsx"])
    assert res.exit_code == 1 and "--out" in res.output


def test_network_trade_electricity() -> None:
    res = runner.invoke(app, ["analyse", "network", "--region", "GD", "--year", "2017", "--format", "csv"])
    assert res.exit_code == 0, res.output
    _, rows = cli_csv(res)
    assert len(rows) == 88
    res = runner.invoke(app, ["analyse", "network", "--region", "GD", "--mode", "carbon", "--keep", "3",
                              "--top", "1", "--format", "json"])
    doc = json.loads(res.stdout)
    assert len(doc["rows"]) >= 17 and doc["meta"]["mode"] == "carbon"
    res = runner.invoke(app, ["analyse", "trade", "--region", "GD", "--format", "csv"])
    _, rows = cli_csv(res)
    assert len(rows) == 31 + 1 + 31 - 1  # GD row (31 regions + EX) and column (31), GD→GD once
    res = runner.invoke(app, ["analyse", "electricity", "--year", "2012", "--format", "csv"])
    meta, rows = cli_csv(res)
    assert meta["power_sector"] == "25" and len(rows) == 31
    res = runner.invoke(app, ["analyse", "footprint"])
    assert res.exit_code == 0 and "GD" in res.stdout


def test_errors_are_one_line() -> None:
    for args in (["analyse", "network", "--region", "XX"],
                 ["analyse", "footprint", "--dataset", "nope"],
                 ["analyse", "trade", "--year", "1999"],
                 ["analyse", "electricity", "--sector", "99"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 1, args
        lines = [ln for ln in res.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), res.output
