"""The demo's packaged parameter files are exactly what their derivation produces from
the public data (so nobody edits them by hand), and they hold what they claim."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from viscarbon.demo._derive import derive_inventory_profile, derive_structure, main
from viscarbon.demo.build import COEF_SCALE, demo_params


def _packaged(name: str) -> str:
    return resources.files("viscarbon.demo").joinpath("data", name).read_text(encoding="utf-8")


@pytest.mark.realdata
def test_national_structure_is_derived_from_nbs_2015(nbs_dir: Path) -> None:
    assert derive_structure(nbs_dir / "china_2015_42.csv") == _packaged("national_structure_2015.csv")


@pytest.mark.realdata
def test_inventory_profile_is_derived_from_ceads_2015(inventory_dir: Path, tmp_path: Path) -> None:
    xlsx = inventory_dir / "Emission_Inventories_for_30_Provinces_2015.xlsx"
    text = derive_inventory_profile(xlsx)
    assert text == _packaged("inventory_profile_2015.csv")
    # the command line writes both files
    assert main([str(inventory_dir.parent.parent / "nbs" / "china_2015_42.csv"), str(xlsx),
                 str(tmp_path)]) == 0
    assert (tmp_path / "inventory_profile_2015.csv").read_text(encoding="utf-8") == text
    assert main([]) == 2


def test_parameters_are_consistent() -> None:
    p = demo_params()
    # every column of the national structure: domestic + imported inputs + VA001-3 < 1
    col = (p.ad.sum(axis=0) + p.im + p.va.sum(axis=0)) / COEF_SCALE
    assert (col < 1.0).all() and (col > 0.5).all()
    # the packaged profile sums to the CEADs 2015 total of the 30 provinces (households included)
    assert p.inv_co2.sum() == pytest.approx(9831.56, abs=0.05)
    assert p.inv_co2[38] == 4690.61  # power, as in national_sector_profile_2015.csv
    np.testing.assert_allclose(p.inv_mix[p.inv_co2 > 0].sum(axis=1), 1.0, rtol=1e-12)
    # distances between capitals: symmetric whole kilometres, Beijing-Tianjin ~110 km
    assert (p.dist_km == p.dist_km.T).all() and p.dist_km[0, 1] == 110.0
    assert p.dist_km.max() < 4000 and (np.diag(p.dist_km) == 0).all()
    # the 2018 totals (a calibration year) are there; Tibet has none
    assert "XZ" not in p.co2_kg[2018] and len(p.co2_kg[2018]) == 30
