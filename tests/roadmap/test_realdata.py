"""A roadmap on real data: the NBS national IO tables 2015 and 2017 (region CN) linked to
the CEADs national inventory 1997-2019. t0 = 2017; 2018 and 2019 are calibrated to the
inventory; the −65 %-against-2005 check can be judged (the inventory has 2005 and the
national real GDP index is shipped)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from viscarbon.analysis import Workspace
from viscarbon.cli.app import app
from viscarbon.roadmap import Roadmapper, gdp_table
from viscarbon.roadmap.codelist import default_codelist
from viscarbon.roadmap.iamc import iamc_columns
from viscarbon.roadmap.report import render_html
from viscarbon.roadmap.run import Roadmap

pytestmark = [pytest.mark.realdata, pytest.mark.xdist_group("roadmap-real")]
NATIONAL = "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"
NBS = "nbs-io-2015-2017"
# CEADs national Scope 1 totals (the workbook's total rows), Mt CO2
TOTAL_2005 = 5398.279906155849
TOTAL_2017 = 9408.170796176375
TOTAL_2019 = 9794.756396640432


@pytest.fixture(scope="module")
def national(shared_data: Path, nbs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Roadmap:
    store = tmp_path_factory.mktemp("rm-national") / "store.duckdb"
    runner = CliRunner()
    for args in (["import", "ceads-inventory", str(shared_data / "ceads" / NATIONAL)],
                 ["import", "nbs-io", str(nbs_dir / "china_2015_42.csv"), str(nbs_dir / "china_2017_42.csv")]):
        res = runner.invoke(app, [*args, "--store", str(store)], catch_exceptions=False)
        assert res.exit_code == 0, res.output
    rm = Roadmapper(Workspace(store, include_demo=False))
    return rm.run(NBS)


def test_baseline_is_calibrated_to_the_real_inventory(national: Roadmap) -> None:
    b = national.base
    assert b.t0 == 2017 and b.calibrated == (2018, 2019)
    pba = national.baseline.pba[:, 0]
    assert pba[0] == pytest.approx(TOTAL_2017, rel=1e-9)
    assert pba[b.index(2019)] == pytest.approx(TOTAL_2019, rel=1e-9)
    assert b.co2_2005 == pytest.approx(TOTAL_2005, rel=1e-9)
    assert b.history.years[0] == 1997 and len(b.history.years) == 21
    # the trend was measured between the two tables, in 2017 prices
    assert any("measured between 2015 and 2017" in n for n in b.notes)
    assert (b.trend <= b.assumptions.trend_max + 1e-15).all() and (b.trend >= b.assumptions.trend_min - 1e-15).all()


def test_the_2005_intensity_target_is_judged_with_the_nbs_index(national: Roadmap) -> None:
    check = next(c for c in national.checks if c.target.id == "cn-intensity-2005" and c.pathway == "baseline")
    b = national.base
    k = b.index(2030)
    va = national.baseline.va[:, 0]
    gdp_2005 = va[0] * gdp_table().real_index(2005, 2017)  # type: ignore[operator]
    e = national.baseline.pba[:, 0]
    expected = (e[k] / va[k]) / (TOTAL_2005 / gdp_2005) - 1.0
    assert check.status in ("met", "missed") and check.value == pytest.approx(expected, rel=1e-9)
    # by 2019 (calibrated: the real inventory), CO2 per unit of GDP is about half its 2005 level
    k19 = b.index(2019)
    fall_2019 = (e[k19] / va[k19]) / (TOTAL_2005 / gdp_2005) - 1.0
    assert -0.55 < fall_2019 < -0.40, fall_2019


def test_the_national_dataset_has_no_provincial_targets(national: Roadmap) -> None:
    assert {c.region for c in national.checks} == {"CN"}
    assert np.isfinite(national.secda.pba).all()


def test_iamc_of_the_real_run_is_declared(national: Roadmap) -> None:
    """Added with the IAMC export: a national dataset (one region, CN) is written once as
    China, and every variable, unit and region is in the shipped codelist."""
    cols = iamc_columns(national, "all")
    assert set(cols["region"]) == {"China"}
    keys = list(zip(cols["scenario"], cols["variable"], cols["year"], strict=True))
    assert len(keys) == len(set(keys))
    assert default_codelist().check(cols["variable"], cols["unit"], cols["region"]) == ()


def test_report_of_the_real_run(national: Roadmap) -> None:
    """Added with the report: the national dataset renders in both languages."""
    for lang, needle in (("en", "China"), ("zh-Hans", "全国")):
        page = render_html(national, "CN", lang=lang)
        assert needle in page and "<svg" in page and "rm-targets" in page
