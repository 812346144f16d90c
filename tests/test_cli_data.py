"""The data CLI: import, datasets (+ --json, remove, rename), export; one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inventory_fixtures import write_release2021
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.cli.app import app
from viscarbon.io.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    inv, _ = write_release2021(d, 2017, seed=3)
    mrio = write_fixture(random_mrio(year=2017, seed=4), d, layout="2012-2017")
    return {"inv": inv, "mrio": mrio}


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_import_list_rename_remove(wb, store_path: Path) -> None:
    r = invoke("import", "ceads-inventory", str(wb["inv"]), "--name", "inv")
    assert r.exit_code == 0, r.output
    assert "Imported 1 file(s) as dataset inv" in r.output
    r = invoke("import", "ceads-inventory", str(wb["inv"]))
    assert r.exit_code == 0 and "Nothing changed" in r.output and "inv" in r.output
    r = invoke("import", "ceads-mrio", str(wb["mrio"]), "--store", str(store_path))
    assert r.exit_code == 0, r.output
    assert "ceads-mrio-2017" in r.output and "the only inventory dataset" in r.output
    assert "Reconciliation" in r.output
    r = invoke("datasets", "--json")
    rows = json.loads(r.output)
    assert [x["name"] for x in rows] == ["demo", "inv", "ceads-mrio-2017"]
    assert rows[0]["synthetic"] is True and rows[0]["years"] == [2012, 2015, 2017]
    assert rows[2]["linked_inventory"] == "inv" and rows[2]["files"][0]["file_name"] == wb["mrio"].name
    r = invoke("datasets")
    assert r.exit_code == 0 and "SYNTHETIC" in r.output and "ceads-mrio-2017" in r.output
    assert invoke("datasets", "rename", "ceads-mrio-2017", "m").exit_code == 0
    assert invoke("datasets", "remove", "inv").exit_code == 0
    assert [d.name for d in Store(store_path).datasets()] == ["m"]


def test_errors_are_one_line_and_leave_the_store_unchanged(wb, store_path: Path, tmp_path: Path) -> None:
    invoke("import", "ceads-inventory", str(wb["inv"]), "--name", "inv")
    before = Store(store_path).content_digest()
    bad = tmp_path / wb["inv"].name
    bad.write_bytes(wb["inv"].read_bytes()[:5000])
    for args in (["import", "ceads-inventory", str(bad)],
                 ["datasets", "remove", "nope"],
                 ["datasets", "rename", "nope", "x"],
                 ["import", "ceads-mrio", str(wb["mrio"]), "--inventory", "nope"],
                 ["export", "nope", "--out", str(tmp_path / "o")]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1, (args, r.output)
        assert "Traceback" not in r.output
        assert r.output.count("error:") == 1, r.output
    assert Store(store_path).content_digest() == before


def test_export_demo_with_cli(store_path: Path, tmp_path: Path) -> None:
    r = invoke("export", "demo", "--year", "2015", "--format", "parquet", "--out", str(tmp_path / "d"))
    assert r.exit_code == 0, r.output
    assert "SYNTHETIC" in r.output
    readme = (tmp_path / "d" / "README.md").read_text(encoding="utf-8")
    assert "synthetic: true" in readme and "合成数据" in readme
    assert (tmp_path / "d" / "demo_2015_Z.parquet").exists()
    assert (tmp_path / "d" / "demo_inventory.parquet").exists()


def test_chinese_messages(wb, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISCARBON_LANG", "zh")
    r = invoke("import", "ceads-inventory", str(wb["inv"]), "--name", "inv")
    assert r.exit_code == 0 and "已将 1 个文件导入为数据集 inv" in r.output


def test_real_subprocess_run(wb, tmp_path: Path) -> None:
    store = tmp_path / "sub.duckdb"
    env = {**os.environ, "VISCARBON_STORE": str(store)}
    exe = [sys.executable, "-c", "from viscarbon.cli import main; main()"]
    p = subprocess.run([*exe, "import", "ceads-inventory", str(wb["inv"])], env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "ceads-inventory-2017" in p.stdout
    p = subprocess.run([*exe, "datasets", "remove", "nope"], env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 1 and "no dataset named 'nope'" in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) <= 3  # one message (wrapped by the terminal width at most)
