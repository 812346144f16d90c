"""Scenarios saved in the store: save / list / show / delete (library and CLI), a rejected
file saves nothing, the Roadmapper knows saved scenarios, and a schema-2 store (before the
``scenarios`` table) is migrated on open."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from viscarbon.analysis import Workspace
from viscarbon.cli.app import app
from viscarbon.datasets import open_store
from viscarbon.errors import NotFound, ScenarioError
from viscarbon.io.store import SCHEMA_VERSION, Store
from viscarbon.roadmap import Roadmapper
from viscarbon.roadmap.library import (
    delete_scenario,
    save_scenario,
    saved_scenario,
    saved_scenarios,
)
from viscarbon.roadmap.service import fingerprint

runner = CliRunner()
SCENARIOS = Path(__file__).parents[1] / "src/viscarbon/roadmap/data/scenarios"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_save_list_show_delete(store_path: Path) -> None:
    store = open_store(store_path)
    src = SCENARIOS / "clean-power.toml"
    row = save_scenario(store, src, name="grid")
    assert row.toml == src.read_text(encoding="utf-8")
    sc = saved_scenario(store, "grid")
    assert sc.id == "grid" and sc.file == "store:grid"
    assert row.fingerprint == fingerprint(sc)
    assert [r.name for r in saved_scenarios(store)] == ["grid"]
    assert Store(store_path).schema_version() == SCHEMA_VERSION == 3
    rm = Roadmapper(Workspace(store_path))
    assert rm.scenario("grid").levers == sc.levers
    assert "grid" in [s.id for s in rm.scenarios()]
    delete_scenario(store, "grid")
    assert saved_scenarios(store) == []
    with pytest.raises(NotFound, match="no saved scenario named 'grid'"):
        delete_scenario(store, "grid")


def test_cli(store_path: Path) -> None:
    r = invoke("scenario", "save", str(SCENARIOS / "efficient-industry.toml"), "--name", "eff")
    assert r.exit_code == 0 and "saved scenario eff" in r.output
    r = invoke("scenario", "list")
    assert r.exit_code == 0 and "eff" in r.output and "Efficient industry" in r.output
    r = invoke("scenario", "show", "eff")
    assert r.exit_code == 0 and r.output == (SCENARIOS / "efficient-industry.toml").read_text(encoding="utf-8")
    r = invoke("scenario", "delete", "eff")
    assert r.exit_code == 0 and "deleted scenario eff" in r.output
    r = invoke("scenario", "show", "eff")
    assert r.exit_code == 1 and "no saved scenario named 'eff'" in r.output
    r = invoke("scenario", "list")
    assert "no saved scenarios" in r.output


def test_rejected_files_save_nothing(tmp_path: Path, store_path: Path) -> None:
    store = open_store(store_path)
    save_scenario(store, SCENARIOS / "coal-belt.toml", name="kept")
    before = store.content_digest()
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nid = "x"\ntitle_en = "X"\ntitle_zh_hans = "X"\n\n[[lever]]\nkind = "power"\n'
                   'from = 2030\nto = 2020\ncut = 0.5\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        save_scenario(store, bad)
    assert err.value.file == str(bad) and err.value.line is not None
    r = invoke("scenario", "save", str(bad))
    assert r.exit_code == 1 and str(bad) in r.output
    with pytest.raises(ScenarioError, match="bad scenario name"):
        save_scenario(store, SCENARIOS / "coal-belt.toml", name="Bad Name")
    with pytest.raises(ScenarioError, match="shipped scenario"):
        save_scenario(store, SCENARIOS / "coal-belt.toml")
    assert store.content_digest() == before
    assert [r.name for r in saved_scenarios(store)] == ["kept"]


def test_schema_2_store_is_migrated(store_path: Path) -> None:
    store = open_store(store_path)
    with store.transaction() as tx:
        tx.add_dataset("old", kind="pymrio", years=[2017], citation="test")
    con = duckdb.connect(str(store_path))
    con.execute("DROP TABLE scenarios")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.execute("CHECKPOINT")
    con.close()
    assert Store(store_path).schema_version() == 2
    migrated = open_store(store_path)
    assert migrated.schema_version() == SCHEMA_VERSION
    assert [d.name for d in migrated.datasets()] == ["old"]
    assert migrated.scenarios() == []
    save_scenario(migrated, SCENARIOS / "clean-power.toml", name="after")
    assert [r.name for r in Store(store_path).scenarios()] == ["after"]
