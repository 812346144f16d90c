"""The IAMC export of a roadmap: plain CSV and XLSX, values equal to the run's arrays,
every variable and region declared in the shipped codelist, the checker's errors, and
pyam loading both files (in its own environment, ``$VISCARBON_PYAM_PYTHON``: pyam pins
pandas < 3, so it cannot live beside viscarbon's)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import absent
from viscarbon.analysis import Workspace
from viscarbon.roadmap import Roadmapper
from viscarbon.roadmap.codelist import CodelistError, default_codelist, load_codelist
from viscarbon.roadmap.iamc import (
    CHINA,
    iamc_columns,
    meta_path,
    money_unit,
    sector_names,
    write_roadmap_iamc,
)
from viscarbon.roadmap.run import Roadmap

pytestmark = pytest.mark.xdist_group("roadmap")


@pytest.fixture(scope="module")
def rm() -> Roadmap:
    r = Roadmapper(Workspace())
    return r.run("demo", r.scenario("efficient-industry"))


@pytest.fixture(scope="module")
def files(rm: Roadmap, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("iamc")
    return {"csv": write_roadmap_iamc(rm, d / "all.csv", regions="all"),
            "xlsx": write_roadmap_iamc(rm, d / "gd.xlsx", fmt="xlsx", regions="GD")}


def test_csv_is_plain_and_holds_the_run(rm: Roadmap, files: dict[str, Path]) -> None:
    df = pd.read_csv(files["csv"])
    assert list(df.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert set(df.scenario) == {"baseline", "efficient-industry", "efficient-industry-secda"}
    base = rm.base
    r, k = base.regions.index("GD"), 2030 - int(rm.years[0])
    one = df[(df.scenario == "efficient-industry") & (df.region == "Guangdong") & (df.year == 2030)].set_index("variable")
    assert one.loc["Emissions|CO2|Production-based", "value"] == pytest.approx(rm.pba("scenario")[k, r], rel=1e-12)
    assert one.loc["Emissions|CO2|Consumption-based", "value"] == pytest.approx(rm.scenario.cba[k, r], rel=1e-12)
    names = sector_names(rm)
    sectors = sum(one.loc[f"Emissions|CO2|Production-based|{n}", "value"] for n in names)
    assert sectors + one.loc["Emissions|CO2|Households", "value"] == pytest.approx(
        one.loc["Emissions|CO2|Production-based", "value"], rel=1e-9)
    net = one.loc["Emissions|CO2|Net", "value"] + one.loc["Carbon Removal", "value"]
    assert net == pytest.approx(one.loc["Emissions|CO2|Production-based", "value"], rel=1e-12)
    assert one.loc["GDP|Value Added", "unit"] == money_unit(base.t0)
    assert one.loc["GDP|Value Added", "value"] == pytest.approx(rm.scenario.va[k, r] / 1e5, rel=1e-12)
    china = df[(df.scenario == "baseline") & (df.region == CHINA) & (df.variable == "Emissions|CO2|Production-based")]
    assert china.set_index("year").loc[2030, "value"] == pytest.approx(rm.nation(rm.pba("baseline"))[k], rel=1e-12)
    plain = {x for x in df.region if ">" not in x}
    assert len(plain) == 32  # 31 provinces and China
    trade = df[df.region.str.contains(">", regex=False)]
    assert set(trade.variable) == {"Emissions|CO2|Embodied in trade"}
    sx_gd = trade[(trade.scenario == "baseline") & (trade.region == "Shanxi>Guangdong")].set_index("year")
    assert sx_gd.loc[2030, "value"] == pytest.approx(
        rm.baseline.transfer[k, base.regions.index("SX"), r], rel=1e-12)
    meta = pd.read_csv(meta_path(files["csv"]))
    assert {"model", "scenario", "dataset", "t0", "assumption|households_rate"} <= set(meta.columns)


def test_xlsx_has_data_and_meta_sheets(rm: Roadmap, files: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(files["xlsx"], read_only=True)
    assert wb.sheetnames == ["data", "meta"]
    head = next(wb["meta"].iter_rows(max_row=1, values_only=True))
    assert head[:2] == ("model", "scenario")
    assert any(str(h).startswith("assumption|") for h in head)
    df = pd.read_excel(files["xlsx"], sheet_name="data", engine="openpyxl")
    regions = {x for x in df.region if ">" not in x}
    assert regions == {"Guangdong"}
    assert all("Guangdong" in x.split(">") for x in df.region)
    assert not np.isnan(df.value[df.variable == "Emissions|CO2|Production-based"]).any()


def test_every_variable_and_region_is_in_the_codelist(files: dict[str, Path]) -> None:
    cl = default_codelist()
    for f in files.values():
        df = pd.read_csv(f) if f.suffix == ".csv" else pd.read_excel(f, sheet_name="data", engine="openpyxl")
        assert cl.check(df.variable, df.unit, df.region) == ()
    assert sum(1 for g in cl.regions.values() if g in ("Country", "Province")) == 32
    bad = cl.check(["Emissions|CO2|Production-based", "Emissions|CO2|Nope"], ["Mt CO2", "Mt CO2/yr"],
                   ["Guangdong>Atlantis", "China"])
    assert {(p.kind, p.value) for p in bad} == {
        ("unit", "'Mt CO2' of 'Emissions|CO2|Production-based'"), ("variable", "Emissions|CO2|Nope"),
        ("region", "Guangdong>Atlantis")}


def test_iamc_rejects_unknown_regions(rm: Roadmap) -> None:
    with pytest.raises(Exception, match="unknown region 'XX'"):
        iamc_columns(rm, ["GD", "XX"])


def _codelist(tmp: Path, variable: str, region: str = "- Country:\n  - China\n") -> Path:
    (tmp / "variable").mkdir(parents=True)
    (tmp / "region").mkdir()
    (tmp / "variable" / "bad.yaml").write_text(variable, encoding="utf-8")
    (tmp / "region" / "r.yaml").write_text(region, encoding="utf-8")
    return tmp


@pytest.mark.parametrize(("text", "entry", "message"), [
    ('- "Emissions|CO2":\n    description: no unit\n', "Emissions|CO2", "needs a unit"),
    ('- "Output|{Sectr}":\n    unit: Mt\n', "Output|{Sectr}", "unknown tag"),
    ('- a: {unit: x}\n- a: {unit: y}\n', "a", "declared twice"),
    ('- "x": [1\n', "line", "not valid YAML"),
    ('just: a mapping\n', None, "list of one-key mappings"),
])
def test_checker_names_file_and_entry(tmp_path: Path, text: str, entry: str | None, message: str) -> None:
    with pytest.raises(CodelistError, match=message) as err:
        load_codelist(_codelist(tmp_path, text))
    assert err.value.file == "variable/bad.yaml"
    if entry is not None:
        assert entry in (err.value.entry or "")
        assert entry in str(err.value)


def test_checker_rejects_bad_regions(tmp_path: Path) -> None:
    with pytest.raises(CodelistError, match="cannot contain") as err:
        load_codelist(_codelist(tmp_path, '- a: {unit: x}\n', "- Trade:\n  - A>B\n"))
    assert (err.value.file, err.value.entry) == ("region/r.yaml", "A>B")


def test_tags_expand_in_names_and_descriptions(tmp_path: Path) -> None:
    folder = _codelist(tmp_path, '- "Output|{Sector}":\n    unit: [a, b]\n    description: output of {Sector}\n')
    (folder / "variable" / "tag_sector.yaml").write_text("- Sector:\n  - Coal:\n      description: coal\n  - Steel\n",
                                                         encoding="utf-8")
    cl = load_codelist(folder)
    assert set(cl.variables) == {"Output|Coal", "Output|Steel"}
    assert cl.variables["Output|Steel"].units == ("a", "b")
    assert cl.variables["Output|Coal"].description == "output of Coal"


PYAM_SCRIPT = """
import json, sys, pyam
out = {}
for path in sys.argv[1:]:
    df = pyam.IamDataFrame(path)
    ts = df.filter(scenario="efficient-industry", region="Guangdong",
                   variable="Emissions|CO2|Production-based", year=2030)
    out[path] = {"variables": sorted(df.variable), "regions": sorted(df.region),
                 "scenarios": sorted(df.scenario), "value": float(ts.data["value"].iloc[0]),
                 "meta": sorted(df.meta.columns)}
print(json.dumps(out))
"""


def test_pyam_loads_csv_and_xlsx(rm: Roadmap, files: dict[str, Path], tmp_path: Path) -> None:
    py = os.environ.get("VISCARBON_PYAM_PYTHON", "")
    if not py or not Path(py).exists():
        absent("pyam's environment ($VISCARBON_PYAM_PYTHON, made by `bash scripts/dev.sh test`)")
    gd_csv = write_roadmap_iamc(rm, tmp_path / "gd.csv", regions="GD")
    paths = [str(gd_csv), str(files["xlsx"])]
    proc = subprocess.run([py, "-c", PYAM_SCRIPT, *paths], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    ours = pd.read_csv(gd_csv)
    k, r = 2030 - int(rm.years[0]), rm.base.regions.index("GD")
    for p in paths:
        g = got[p]
        assert g["variables"] == sorted(set(ours.variable))
        assert g["regions"] == sorted(set(ours.region))
        assert g["scenarios"] == ["baseline", "efficient-industry", "efficient-industry-secda"]
        assert g["value"] == pytest.approx(rm.pba("scenario")[k, r], rel=1e-12)
    assert "assumption|households_rate" in got[str(files["xlsx"])]["meta"]
