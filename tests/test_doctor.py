"""``viscarbon doctor`` on inventories (provincial 2021, 2018, 2022; national; apparent),
NBS tables, pymrio folders and files no reader takes; the CLI in both languages and
``--json``. (The MRIO variants are covered in ``tests/test_mrio_variants.py``.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from inventory_fixtures import (
    write_apparent,
    write_national,
    write_release2018,
    write_release2021,
    write_release2022,
)
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.cli.app import app
from viscarbon.io.readers.doctor import inspect_file


def test_provincial_inventories(tmp_path: Path) -> None:
    for writer, layout in ((write_release2021, "release_2021"), (write_release2018, "release_2018"),
                           (write_release2022, "release_2022")):
        path, _ = writer(tmp_path / layout, 2015 if layout != "release_2022" else 2022)
        rep = inspect_file(path)
        assert rep.ok and rep.reader == "ceads-inventory" and rep.layout == layout, rep.error
        assert rep.block("inv_header") is not None and rep.block("inv_data") is not None
        assert {c.name for c in rep.checks} == {"inv_rows", "inv_cols"} and all(c.ok for c in rep.checks)
        assert any("30 sheets read" in line for line in rep.lines("en"))
    path, _ = write_release2021(tmp_path / "pos", 2012)
    rep = inspect_file(path)
    assert rep.block("inv_header").cells == "B1" and rep.block("inv_total").cells == "A4"
    assert rep.block("inv_data").cells == "B4:W51"
    assert any("the same positions on all 30 sheets" in line for line in rep.lines("en"))


def test_national_and_apparent(tmp_path: Path) -> None:
    nat, _ = write_national(tmp_path, (2012, 2013))
    rep = inspect_file(nat)
    assert rep.ok and rep.reader == "ceads-inventory" and rep.layout == "national_2021"
    assert rep.years == (2012, 2013)
    app, _ = write_apparent(tmp_path, (1997, 2022))
    rep = inspect_file(app)
    assert rep.ok and rep.reader == "ceads-apparent" and rep.layout == "apparent_2022", rep.error
    assert rep.block("app_header").cells == "B1" and rep.block("app_data").cells == "B3:F32"
    assert rep.block("app_total_row").cells == "A33"
    assert [c.name for c in rep.checks] == ["app_rows", "app_cols"] and all(c.ok for c in rep.checks)


def test_broken_inventory_names_the_cell(tmp_path: Path) -> None:
    def mutate(sheets: dict[str, Any]) -> None:
        sheets["Guangdong2012"][0][5] = "Cokes and more"

    path, _ = write_release2021(tmp_path, 2012, mutate=mutate)
    rep = inspect_file(path)
    assert not rep.ok and rep.reader == "ceads-inventory" and rep.nearest == "release_2021"
    assert rep.error_sheet == "Guangdong2012" and rep.error_cell == "F1"
    assert "expected 'Coke'" in (rep.error or "")

    def broken(sheets: dict[str, Any]) -> None:
        sheets["2022"][4][2] += 3.0

    app, _ = write_apparent(tmp_path / "a", (2012, 2022), mutate=broken)
    rep = inspect_file(app)
    assert not rep.ok and rep.nearest == "apparent_2022" and rep.error_sheet == "2022" and rep.error_cell == "F5"


@pytest.mark.realdata
def test_real_inventory_workbook(inventory_dir: Path) -> None:
    rep = inspect_file(inventory_dir / "Emission_Inventories_for_30_Provinces_2017.xlsx")
    assert rep.ok and rep.layout == "release_2021" and rep.years == (2017,)
    # Hunan2017 spells its headers with underscores but sits at the same cells
    hunan = [b for b in rep.blocks if b.sheet == "Hunan2017"]
    assert not hunan or hunan[0].cells == "B1"


@pytest.mark.realdata
def test_nbs_tables(nbs_dir: Path) -> None:
    rep = inspect_file(nbs_dir / "china_2015_42.csv")
    assert rep.ok and rep.reader == "nbs-io" and rep.layout == "nbs-42-competitive" and rep.years == (2015,)
    rep = inspect_file(nbs_dir / "china_2017_42.csv")
    assert rep.ok and rep.layout == "nbs-42-noncompetitive"


def test_pymrio_folder_and_unknown_files(tmp_path: Path) -> None:
    from store_fixtures import make_mrio
    from viscarbon.io.writers.pymrio import write_pymrio_folder
    from viscarbon.model import EEIOSystem

    folder = write_pymrio_folder(EEIOSystem(table=make_mrio(n_regions=2, n_sectors=3, seed=4)),
                                 tmp_path / "pm", name="doctor 2017")
    rep = inspect_file(folder)
    assert rep.ok and rep.reader == "pymrio" and rep.layout == "pymrio-save_all"
    missing = inspect_file(tmp_path / "nope.xlsx")
    assert not missing.ok and missing.reader is None and "file not found" in (missing.error or "")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    rep = inspect_file(junk)
    assert not rep.ok and "not a readable workbook" in (rep.error or "")


def test_cli_languages_json_and_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write_fixture(random_mrio(year=2017, seed=5), tmp_path, layout="2012-2017")
    inv, _ = write_release2021(tmp_path / "inv", 2012)
    runner = CliRunner()
    res = runner.invoke(app, ["doctor", str(good), str(inv)])
    assert res.exit_code == 0, res.output
    assert "OK, reader ceads-mrio, layout 2012-2017" in res.output
    assert "OK, reader ceads-inventory, layout release_2021" in res.output
    assert "intermediate flows Z" in res.output and "D5:DY130" in res.output
    assert "2 of 2 file(s) match a layout." in res.output
    res = runner.invoke(app, ["doctor", "--lang", "zh", str(good)])
    assert "可读取" in res.output and "中间流量 Z" in res.output and "容差" in res.output
    monkeypatch.setenv("VISCARBON_LANG", "zh")
    res = runner.invoke(app, ["doctor", str(good)])
    assert "可读取" in res.output
    monkeypatch.delenv("VISCARBON_LANG")
    res = runner.invoke(app, ["doctor", "--json", str(good), str(tmp_path / "nope.xlsx")])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert [d["ok"] for d in data] == [True, False]
    blocks = {b["block"]: b["cells"] for b in data[0]["blocks"]}
    assert blocks["Z"] == "D5:DY130" and blocks["GO"] == "ES5:ES130" and blocks["CO2"] == "D140:DY140"
    assert data[0]["layout"] == "2012-2017" and data[0]["checks"][0]["check"] == "rows"
    assert data[1]["error"].startswith("file not found")
