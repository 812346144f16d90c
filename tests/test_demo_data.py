"""The demo's packaged parameter files are exactly what their derivation produces from
the public data (so nobody edits them by hand), and they hold what they claim."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, absent
from viscarbon.demo._derive import derive_inventory_profile, derive_structure, main
from viscarbon.demo.build import COEF_SCALE, TARGETS_PER_REGION, demo_params
from viscarbon.demo.visceads import VISCEADS_SECTOR_CODES, visceads_region_code
from viscarbon.errors import UnknownCode


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


@pytest.mark.realdata
def test_intra_targets_are_derived_from_the_visceads_edges(shared_data: Path, tmp_path: Path) -> None:
    edges = shared_data / "visceads" / "top_edges_2012_2015.csv"
    if not edges.exists():
        absent(f"real data {edges}")
    spec = importlib.util.spec_from_file_location("derive_demo_targets",
                                                  ROOT / "scripts" / "derive_demo_targets.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = script.derive_targets(edges)
    assert text == _packaged("intra_targets_2012_2015.csv")
    out = tmp_path / "targets.csv"
    assert script.main([str(edges), str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text
    assert script.main([]) == 2
    assert script.round_sig(85_538_007.0) == 85_500_000 and script.round_sig(5_944.4) == 5_940


def test_visceads_names_map_to_codes() -> None:
    assert len(VISCEADS_SECTOR_CODES) == 40 == len(set(VISCEADS_SECTOR_CODES.values()))
    assert VISCEADS_SECTOR_CODES["Other manuf."] == "22"
    assert VISCEADS_SECTOR_CODES["Recyclying"] == "23"
    assert VISCEADS_SECTOR_CODES["Scientific research & Polytechnic services"] == "36"
    assert visceads_region_code("Inner Mongolia") == visceads_region_code("InnerMongolia") == "NM"
    with pytest.raises(UnknownCode):
        visceads_region_code("Taiwan")


def test_intra_targets_hold_what_they_claim() -> None:
    """88 cells per region-year, 10,000 yuan; 2017 = 2015 changed by the assumptions."""
    p = demo_params()
    assert sorted(p.targets) == [2012, 2015, 2017]
    for year, Z in p.targets.items():
        assert Z.shape == (31, 42, 42) and Z.dtype == np.int64 and (Z >= 0).all()
        assert ((Z > 0).sum(axis=(1, 2)) == TARGETS_PER_REGION).all(), year
    gd = p.regions.index("GD")
    # GD 2015, electronics → electronics: 855,380 million yuan = 8.55e7 × 10,000 yuan
    assert p.targets[2015][gd, 19, 19] == 85_500_000
    # 2017: the same cells; Inner Mongolia's total −32 %, others by their total rule or GRP
    np.testing.assert_array_equal(p.targets[2017] > 0, p.targets[2015] > 0)
    tot = {y: p.targets[y].sum(axis=(1, 2)).astype(float) for y in (2015, 2017)}
    nm, bj, ln = (p.regions.index(c) for c in ("NM", "BJ", "LN"))
    assert tot[2017][nm] / tot[2015][nm] == pytest.approx(0.68, abs=1e-5)
    assert tot[2017][ln] / tot[2015][ln] == pytest.approx(0.88, abs=1e-5)
    assert tot[2017][bj] / tot[2015][bj] == pytest.approx(p.grp[2017][bj] / p.grp[2015][bj], abs=1e-5)
    # a coal flow of Shanxi is scaled by k_02 k_02 = (0.8 × 0.85)^2 before the rescaling
    sx = p.regions.index("SX")
    c02 = p.targets[2017][sx, 1, 1] / p.targets[2015][sx, 1, 1]
    c30 = p.targets[2017][sx, 29, 29] / p.targets[2015][sx, 29, 29]
    assert c02 / c30 == pytest.approx((0.8 * 0.85) ** 2, rel=1e-4)
