"""What viscarbon writes opens everywhere (issue 9, item 4).

Every CSV the CLI writes is plain (one header row, then the rows) and loads with
``pandas.read_csv(path)`` and ``duckdb.read_csv(path)`` with no options; its metadata and
column definitions are in a Frictionless Data Package beside it, which validates with
``frictionless``; the declared column types are right (reading with them gives back the
codes as text); floats come back bit for bit; every column of every output is defined
in both languages.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import pytest
from frictionless import Package, validate
from typer.testing import CliRunner

from inventory_fixtures import write_release2021
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.analysis import Workspace
from viscarbon.cli.app import app
from viscarbon.i18n import LANGS
from viscarbon.io.writers.schema import Schema
from viscarbon.io.writers.tables import inventory_schema, io_block_schema, satellite_schema

runner = CliRunner()

#: every ``viscarbon analyse`` command that writes a table (on the demo)
COMMANDS: dict[str, list[str]] = {
    "footprint": ["footprint", "--year", "2017"],
    "origins": ["footprint", "--region", "GD", "--top", "10"],
    "trade": ["trade", "--region", "GD"],
    "electricity": ["electricity", "--year", "2012"],
    "network": ["network", "--region", "GD", "--mode", "carbon", "--keep", "3"],
    "nodes": ["network", "--region", "GD", "--nodes"],
    "linkages": ["linkages", "--region", "GD"],
    "extract": ["extract", "--region", "GD", "--sector", "25"],
    "spa": ["spa", "--region", "GD", "--depth", "3", "--top", "10"],
    "sda": ["sda", "--region", "GD"],
}
_PANDAS = {"string": "string", "number": "float64", "integer": "Int64", "boolean": "boolean"}


def _invoke(*args: str) -> Any:
    res = runner.invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def _fields(package: dict[str, Any], path: str) -> list[dict[str, Any]]:
    (res,) = [r for r in package["resources"] if r["path"] == path]
    fields: list[dict[str, Any]] = res["schema"]["fields"]
    return fields


def check_opens_everywhere(csv_path: Path, fields: list[dict[str, Any]]) -> pd.DataFrame:
    """``csv_path`` loads with pandas and DuckDB without options, its header is the
    schema's, and reading it with the declared types gives codes as text and every
    number exactly as written. Returns the typed frame."""
    text = csv_path.read_text(encoding="utf-8")
    assert not text.startswith("#") and not text.startswith("\ufeff")
    names = [f["name"] for f in fields]
    raw = list(csv.reader(io.StringIO(text)))
    assert raw[0] == names
    body = raw[1:]
    plain = pd.read_csv(csv_path)  # no options
    assert list(plain.columns) == names and len(plain) == len(body)
    rel = duckdb.read_csv(str(csv_path))  # no options
    assert rel.columns == names and len(rel.fetchall()) == len(body)
    typed = pd.read_csv(csv_path, dtype={f["name"]: _PANDAS[f["type"]] for f in fields},
                        keep_default_na=False, na_values=[""])
    for k, f in enumerate(fields):
        col = typed[f["name"]]
        cells = [r[k] for r in body]
        if f["type"] == "string":  # codes come back as text: "01", not 1
            assert [None if v is pd.NA else v for v in col.tolist()] == [c if c != "" else None for c in cells]
        elif f["type"] == "number":
            want = [math.nan if c == "" else float(c) for c in cells]
            got = col.tolist()
            assert all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(got, want, strict=True))
        elif f["type"] == "integer":
            assert [None if v is pd.NA else int(v) for v in col.tolist()] == [None if c == "" else int(c)
                                                                               for c in cells]
        else:
            assert set(cells) <= {"true", "false", ""}
    return typed


# --------------------------------------------------------------------------- analyse … --format csv
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_analyse_csv_opens_everywhere_with_a_valid_datapackage(name: str, store_path: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / f"{name}.csv"
    res = _invoke("analyse", *COMMANDS[name], "--format", "csv", "--out", str(out))
    sidecar = tmp_path / f"{name}.datapackage.json"
    assert str(sidecar) in " ".join(res.stdout.split())
    report = validate(str(sidecar))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads(sidecar.read_text(encoding="utf-8"))
    assert package["synthetic"] is True and package["citation"] and package["notes"]
    fields = _fields(package, f"{name}.csv")
    assert all(f.get("description") for f in fields), [f["name"] for f in fields if not f.get("description")]
    typed = check_opens_everywhere(out, fields)
    assert len(typed) > 0
    # frictionless reads the codes as text too
    rows = Package(str(sidecar)).resources[0].read_rows()
    code_fields = [f["name"] for f in fields if f["type"] == "string" and f["name"] in
                   ("sector", "source", "target", "emitter_sector", "final_demand_sector")]
    for fname in code_fields:
        assert all(isinstance(r[fname], str) and len(r[fname]) == 2 for r in rows)


def test_csv_on_stdout_is_plain_with_notes_on_stderr_or_in_meta(store_path: Path, tmp_path: Path) -> None:
    res = _invoke("analyse", "network", "--region", "GD", "--format", "csv")
    assert res.stdout.splitlines()[0] == "source,source_label,target,target_label,value,share,rank,percentile,kept_for_emitter"
    assert "synthetic: true" in res.stderr and "citation: " in res.stderr and "#" not in res.stdout.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [int(r["rank"]) for r in rows] == list(range(1, 89))  # edge ranks start at 1
    meta = tmp_path / "net.datapackage.json"
    res = _invoke("analyse", "network", "--region", "GD", "--format", "csv", "--meta", str(meta))
    assert res.stderr == ""
    (tmp_path / "net.csv").write_text(res.stdout, encoding="utf-8")  # saved under the resource's name
    assert validate(str(meta)).valid
    package = json.loads(meta.read_text(encoding="utf-8"))
    assert package["resources"][0]["path"] == "net.csv"
    check_opens_everywhere(tmp_path / "net.csv", _fields(package, "net.csv"))
    res = runner.invoke(app, ["analyse", "network", "--format", "json", "--meta", str(meta)])
    assert res.exit_code == 1 and "--meta is for --format csv" in res.output


def test_json_keeps_metadata_and_column_definitions_inline(store_path: Path) -> None:
    doc = json.loads(_invoke("analyse", "footprint", "--year", "2017", "--format", "json").stdout)
    assert doc["meta"]["synthetic"] == "true"
    fields = {f["name"]: f for f in doc["schema"]["fields"]}
    assert list(fields) == list(doc["rows"][0])
    # the two footprint columns with similar names say what they mean
    assert "anywhere" in fields["embodied_in_exports_mt"]["description"]
    assert "inside the region" in fields["emitted_for_exports_mt"]["description"]
    assert fields["production_based_mt"]["unit"] == "mt_co2" and fields["production_based_mt"]["unitLabel"] == "Mt CO2"
    zh = json.loads(_invoke("analyse", "footprint", "--year", "2017", "--format", "json", "--lang", "zh-Hans").stdout)
    assert zh["schema"]["fields"][0]["description"].startswith("地区代码")


# --------------------------------------------------------------------------- viscarbon export
@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small stored MRIO (BJ, TJ, HE) with its inventory, exported as CSV by the CLI."""
    from viscarbon.ingest import import_files

    d = tmp_path_factory.mktemp("export_open")
    store = d / "store.duckdb"
    inv, _ = write_release2021(d, 2017, seed=7)
    import_files(store, "ceads-inventory", [inv], name="inv")
    import_files(store, "ceads-mrio", [write_fixture(random_mrio(year=2017, seed=17), d, layout="2012-2017")],
                 name="m", inventory="inv")
    out = d / "out"
    _invoke("export", "m", "--format", "csv", "--out", str(out), "--store", str(store))
    return out


def test_export_writes_one_valid_datapackage_listing_every_csv(exported: Path) -> None:
    package_file = exported / "datapackage.json"
    report = validate(str(package_file))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads(package_file.read_text(encoding="utf-8"))
    csvs = sorted(p.name for p in exported.glob("*.csv"))
    assert sorted(r["path"] for r in package["resources"]) == csvs
    assert {"m_2017_Z.csv", "m_2017_Y.csv", "m_2017_CO2.csv", "m_2017_x.csv"} <= set(csvs)
    assert package["synthetic"] is False and package["citation"]
    for name in csvs:
        fields = _fields(package, name)
        assert all(f.get("description") for f in fields)
        typed = check_opens_everywhere(exported / name, fields)
        if "row_sector" in typed:
            assert typed["row_sector"].str.len().eq(2).all()  # "01", not 1
    z = _fields(package, "m_2017_Z.csv")
    assert {f["name"]: f["type"] for f in z} == {"row_region": "string", "row_sector": "string",
                                                 "col_region": "string", "col_sector": "string",
                                                 "value": "number", "unit": "string"}
    assert next(f for f in z if f["name"] == "value")["unit"] == "10k_yuan"
    readme = (exported / "README.md").read_text(encoding="utf-8")
    assert "datapackage.json" in readme and "# key: value" not in readme


# --------------------------------------------------------------------------- full precision
def test_floats_round_trip_bit_for_bit_in_every_format(tmp_path: Path) -> None:
    acc = Workspace().year("demo", 2017).accounts()
    records = acc.as_records()
    schema = acc.schema()
    numbers = [f.name for f in schema.fields if f.type == "number"]
    assert any(r["competitive_imports_mt"] is None for r in records)  # not applicable → empty

    def same(a: object, b: object) -> bool:
        return (a is None and (b is None or (isinstance(b, float) and math.isnan(b)))) or a == b

    p = acc.write(tmp_path / "fp.csv")
    back = list(csv.DictReader(p.open(encoding="utf-8")))
    for r, b in zip(records, back, strict=True):
        for c in numbers:
            assert same(r[c], None if b[c] == "" else float(b[c])), (c, r[c], b[c])
    typed = pd.read_csv(p)  # no options: pandas reads the shortest round-trip form exactly
    for c in numbers:
        assert all(same(r[c], v) for r, v in zip(records, typed[c].tolist(), strict=True))
    doc = json.loads(acc.write(tmp_path / "fp.json", fmt="json").read_text(encoding="utf-8"))
    assert doc["rows"] == records
    wb = openpyxl.load_workbook(acc.write(tmp_path / "fp.xlsx", fmt="xlsx"))
    head, *rows = list(wb["data"].values)
    for r, row in zip(records, rows, strict=True):
        for c in numbers:
            assert same(r[c], row[head.index(c)]), (c, r[c], row[head.index(c)])
    assert [c[0] for c in list(wb["columns"].values)[1:]] == list(schema.names)
    pq = acc.write(tmp_path / "fp.parquet", fmt="parquet")
    got = duckdb.sql(f"SELECT * FROM '{pq}'").fetchall()
    for r, row in zip(records, got, strict=True):
        assert all(same(r[c], row[schema.names.index(c)]) for c in numbers)
    kv = dict(duckdb.sql(f"SELECT key, value FROM parquet_kv_metadata('{pq}')").fetchall())
    assert json.loads(kv[b"schema"])["fields"][0]["name"] == "region"


# --------------------------------------------------------------------------- every column defined
def _results() -> dict[str, tuple[list[dict[str, object]], Schema]]:
    ws = Workspace()
    ya = ws.year("demo", 2017)
    acc = ya.accounts()
    net = ya.network("GD", mode="carbon", keep_top_emitters=2)
    out: dict[str, Any] = {
        "accounts": (acc.as_records(), acc.schema()),
        "origins": (acc.origin_records("GD", top=5), acc.origin_schema()),
        "trade": (ya.trade().as_records(), ya.trade().schema()),
        "electricity": (ya.electricity_adjusted().as_records(), ya.electricity_adjusted().schema()),
        "network": (net.as_records(), net.schema()),
        "sectors": (net.nodes.as_records(), net.nodes.schema()),
        "provinces": (ya.region_indicators().as_records(), ya.region_indicators().schema()),
        "trend": (ws.trends("demo", "GD", "co2").as_records(), ws.trends("demo", "GD", "co2").schema()),
        "inventory_trend": (ws.inventory_trend("demo", "GD").as_records(), ws.inventory_trend("demo", "GD").schema()),
        "linkages": (ya.key_sectors(region="GD").as_records(), ya.key_sectors(region="GD").schema()),
        "extract": (ya.extract(region="GD").as_records(), ya.extract(region="GD").schema()),
        "spa": (ya.spa(region="GD", depth=3, top=5).as_records(), ya.spa(region="GD", depth=3, top=5).schema()),
    }
    sda = ws.sda("demo", 2012, 2017, region="GD")
    out["sda"] = (sda.as_records(), sda.schema())
    return out


def test_every_output_column_is_defined_in_both_languages() -> None:
    for name, (records, schema) in _results().items():
        assert records, name
        assert all(list(r) == list(schema.names) for r in records), name
        assert schema.undefined() == [], (name, schema.undefined())
        for lang in LANGS:
            desc = schema.descriptor(lang)
            assert all(f.get("description") for f in desc["fields"]), (name, lang)
        en = schema.descriptor("en")["fields"]
        zh = schema.descriptor("zh-Hans")["fields"]
        assert all(a["description"] != b["description"] for a, b in zip(en, zh, strict=True)), name
    for schema in (*(io_block_schema(b, "10k_yuan") for b in ("Z", "Y", "EX", "IM", "x", "V")),
                   satellite_schema("Mt"), inventory_schema("Mt")):
        assert schema.undefined() == [], schema.name
    assert io_block_schema("Z", "10k_yuan").field("row_sector").type == "string"
