"""City roadmap outputs: the IAMC table (values, codelist, pyam), the coverage CSV, the
shipped city regions in step with the concordance, and ``viscarbon roadmap --cities``."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import city_roadmap_fixtures as fx
from conftest import absent
from viscarbon.cli import roadmap as roadmap_cli
from viscarbon.cli.app import app
from viscarbon.errors import UnknownRegion
from viscarbon.roadmap import Roadmapper
from viscarbon.roadmap import city as city_mod
from viscarbon.roadmap.city import CityRoadmap
from viscarbon.roadmap.city_iamc import (
    city_iamc_columns,
    city_regions_yaml,
    coverage_columns,
    write_city_roadmap,
)
from viscarbon.roadmap.codelist import default_codelist

pytestmark = pytest.mark.xdist_group("roadmap")
YAML = Path(__file__).resolve().parents[2] / "src/viscarbon/roadmap/data/definitions/region/cities.yaml"


@pytest.fixture(scope="module")
def rmr() -> Roadmapper:
    return Roadmapper(fx.workspace())


@pytest.fixture(scope="module")
def cr(rmr: Roadmapper) -> CityRoadmap:
    return rmr.city_run("city", "prov", rmr.scenario("clean-power"), members=fx.MEMBERS)


def test_service_caches_the_city_run(rmr: Roadmapper, cr: CityRoadmap) -> None:
    again = rmr.city_run("city", "prov", rmr.scenario("clean-power"), members=fx.MEMBERS)
    assert again is cr and cr.province_run is rmr.run("prov", rmr.scenario("clean-power"))


def test_iamc_values_add_up_and_validate(cr: CityRoadmap, tmp_path: Path) -> None:
    paths = write_city_roadmap(cr, tmp_path / "cities.csv")
    assert [p.name for p in paths] == ["cities.csv", "cities.meta.csv", "cities.coverage.csv"]
    df = pd.read_csv(paths[0])
    assert set(df.scenario) == {"baseline", "clean-power"}
    pba = df[(df.variable == "Emissions|CO2|Production-based") & (df.scenario == "clean-power")]
    wide = pba.pivot(index="year", columns="region", values="value")
    he = [c for c in wide.columns if c.startswith("Hebei|")]
    assert len(he) == 5
    np.testing.assert_allclose(wide[he].sum(axis=1), wide["Hebei"], rtol=1e-9)
    np.testing.assert_allclose(wide["Liaoning|Shenyang"] + wide["Liaoning|Rest of province"], wide["Liaoning"],
                               rtol=1e-9)
    k = cr.index("130100")
    np.testing.assert_allclose(wide["Hebei|Shijiazhuang"], cr.total("scenario")[:, k], rtol=1e-12)
    # every region and variable is declared: the cities come from region/cities.yaml
    problems = default_codelist().check(df.variable, df.unit, df.region)
    assert problems == ()
    meta = pd.read_csv(paths[1])
    assert set(meta.covered_completely) == {"BJ, TJ, HE"} and set(meta.covered_partly) == {"LN (1/2)"}


def test_coverage_csv(cr: CityRoadmap, tmp_path: Path) -> None:
    cov = pd.read_csv(write_city_roadmap(cr, tmp_path / "c.xlsx", fmt="xlsx")[-1])
    assert list(cov.province) == ["BJ", "TJ", "HE", "LN"]
    ln = cov[cov.province == "LN"].iloc[0]
    assert ln.status == "partial" and ln.cities_in_table == 1 and ln.cities_total == 2
    assert ln.missing == "210200 Dalian"
    assert cov.gap_t0_mt.abs().max() < 1e-9 and (cov.max_relative_gap > 0).all()
    one = coverage_columns(cr, province="HE")
    assert list(one["province"]) == ["HE"]
    with pytest.raises(UnknownRegion, match="no city of province 'GD'"):
        city_iamc_columns(cr, province="GD")


def test_shipped_city_regions_match_the_concordance() -> None:
    assert YAML.read_text(encoding="utf-8") == city_regions_yaml(), "run python scripts/city_regions.py"
    cl = default_codelist()
    cities = [r for r, g in cl.regions.items() if g == "City"]
    assert len(cities) == len(set(cities)) > 0 and "Hebei|Shijiazhuang" in cities


PYAM_SCRIPT = """
import json, sys, pyam
df = pyam.IamDataFrame(sys.argv[1])
agg = df.filter(scenario="clean-power", variable="Emissions|CO2|Production-based")
bad = agg.check_aggregate_region("Emissions|CO2|Production-based", region="Hebei",
                                 subregions=[r for r in df.region if r.startswith("Hebei|")])
print(json.dumps({"regions": sorted(df.region), "bad": 0 if bad is None else len(bad)}))
"""


def test_pyam_loads_the_city_table(cr: CityRoadmap, tmp_path: Path) -> None:
    py = os.environ.get("VISCARBON_PYAM_PYTHON", "")
    if not py or not Path(py).exists():
        absent("pyam's environment ($VISCARBON_PYAM_PYTHON, made by `bash scripts/dev.sh test`)")
    path = write_city_roadmap(cr, tmp_path / "cities.csv")[0]
    proc = subprocess.run([py, "-c", PYAM_SCRIPT, str(path)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "Hebei|Shijiazhuang" in got["regions"] and got["bad"] == 0


def test_cli_writes_files_pandas_opens(tmp_path: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roadmap_cli, "workspace", lambda store: fx.workspace())
    monkeypatch.setattr(city_mod, "_province_list", lambda p: fx.MEMBERS.get(p, ()))
    out = tmp_path / "he.csv"
    r = CliRunner().invoke(app, ["roadmap", "--dataset", "prov", "--cities", "city", "--scenario", "clean-power",
                                 "--out", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "covered completely (cities add up to the province in every sector and year): BJ, TJ, HE" in text
    assert "covered partly: LN, 1 of 2 cities (missing 210200)" in text and "150100" in text
    for p in (out, out.with_name("he.meta.csv"), out.with_name("he.coverage.csv")):
        assert p.name in text and len(pd.read_csv(p)) > 0
    r = CliRunner().invoke(app, ["roadmap", "--dataset", "prov", "--cities", "city", "--province", "HE",
                                 "--out", str(tmp_path / "only.csv")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(tmp_path / "only.csv")
    assert {x.split("|")[0] for x in df.region} == {"Hebei"}
    bad = CliRunner().invoke(app, ["roadmap", "--dataset", "prov", "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code == 2 and "--region" in bad.output
    bad = CliRunner().invoke(app, ["roadmap", "--dataset", "prov", "--cities", "city", "--format", "html",
                                   "--out", str(tmp_path / "x.html")])
    assert bad.exit_code == 2 and not (tmp_path / "x.html").exists()


def test_the_memory_guard_refuses_before_anything_is_built(rmr: Roadmapper) -> None:
    """A city roadmap that would not fit is refused with the memory needed and available."""
    from viscarbon.errors import MemoryLimitError
    from viscarbon.roadmap.city import city_memory_estimate

    with pytest.raises(MemoryLimitError) as e:
        rmr.city_run("city", "prov", rmr.scenario("efficient-industry"), members=fx.MEMBERS, available=1_000_000)
    msg = str(e.value)
    assert "GB" in msg and "0.00 GB of memory is available" in msg and "A and the LU factors" in msg
    # 313 cities × 42 sectors, 5 final-demand columns per city, 2017-2060
    full = city_memory_estimate(13_146, fd_columns=1_565, years=44)
    assert 2.9e9 < full.total < 3.0e9
