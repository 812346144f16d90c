"""Trends across the NBS 2012- and 2017-style sector lists (merge, shift, split)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viscarbon.analysis.sectors import align_sectors
from viscarbon.classification import sector_codes, sector_correspondence
from viscarbon.model import Axis

A12 = Axis.sectors("io42_2012")
A17 = Axis.sectors("io42_2017")


def test_correspondence_is_the_inverse_both_ways() -> None:
    fwd = sector_correspondence("io42_2012", "io42_2017")
    back = sector_correspondence("io42_2017", "io42_2012")
    assert set(fwd) == set(sector_codes("io42_2012"))
    assert set(back) == set(sector_codes("io42_2017"))
    pairs = {(a, b) for a, bs in fwd.items() for b in bs}
    assert pairs == {(a, b) for b, as_ in back.items() for a in as_}
    assert fwd["25"] == ("24",)  # power and heat
    assert fwd["28"] == ("27",)  # construction
    assert fwd["36"] == ("35", "36")  # research and technical services split
    assert back["22"] == ("22", "23")  # other manufacturing + waste merge
    assert sector_correspondence("io42_2017", "io42_2017")["24"] == ("24",)


def test_align_2012_values_on_the_2017_list() -> None:
    v = np.arange(1.0, 43.0)  # value k+1 for 2012 code k+1
    out, differs = align_sectors(v, A12, A17, additive=True)
    assert differs
    assert out[A17.index("24")] == 25.0  # power: 2012 code 25
    assert out[A17.index("22")] == 22.0 + 23.0  # merge summed
    assert out[A17.index("34")] == 35.0  # leasing
    assert np.isnan(out[A17.index("35")]) and np.isnan(out[A17.index("36")])  # split: no honest value
    assert out[A17.index("42")] == 42.0
    ratio, _ = align_sectors(v, A12, A17, additive=False)
    assert np.isnan(ratio[A17.index("22")])  # a ratio cannot be summed over a merge
    assert ratio[A17.index("24")] == 25.0


def test_same_list_and_custom_axes_match_by_code() -> None:
    v = np.arange(42.0)
    out, differs = align_sectors(v, A17, A17, additive=False)
    assert not differs and np.array_equal(out, v)
    custom = Axis("sector", ("a", "b", "c"))
    out, differs = align_sectors(np.array([1.0, 2.0, 3.0]), custom, Axis("sector", ("c", "x")), additive=True)
    assert not differs and out[0] == 3.0 and np.isnan(out[1])


@pytest.mark.realdata
def test_national_trend_bridges_2015_onto_the_2017_list(nbs_dir: Path, tmp_path: Path) -> None:
    from viscarbon.analysis import Workspace
    from viscarbon.ingest import import_files

    store = tmp_path / "store.duckdb"
    import_files(store, "nbs-io", [nbs_dir / "china_2015_42.csv", nbs_dir / "china_2017_42.csv"], name="nbs")
    engine = Workspace(store)
    trend = engine.trends("nbs", "CN", "output")
    assert trend.years == (2015, 2017)
    assert trend.sectors.list_id == "io42_2017"
    x15 = engine.year("nbs", 2015).sector_indicators("CN")["output"].value  # 2012-style list
    codes15 = engine.year("nbs", 2015).sector_indicators("CN").sectors.codes
    power = trend.values[0][trend.sectors.index("24")]
    assert power == x15[codes15.index("25")]
    assert trend.values[0][trend.sectors.index("27")] == x15[codes15.index("28")]  # construction
    assert np.isnan(trend.values[0][trend.sectors.index("35")])
    assert any(n.key == "sector_lists_bridged" for n in trend.meta.notes)
