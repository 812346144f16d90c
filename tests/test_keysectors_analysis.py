"""analysis.structural.key_sectors on generated MRIO systems (full and isolated province)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from engine_fixtures import random_system
from viscarbon.analysis import key_sectors
from viscarbon.calc.keysectors import QUADRANTS
from viscarbon.errors import DataError, UnknownCode


def _dense_linkages(Z: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = x.size
    L = np.linalg.inv(np.eye(n) - Z / x[None, :])
    G = np.linalg.inv(np.eye(n) - Z / x[:, None])
    return n * L.sum(0) / L.sum(), n * G.sum(1) / G.sum()


def test_full_mrio_linkages_match_dense_inverses() -> None:
    system = random_system(4, 5, seed=3)
    res = key_sectors(system)
    bl, fl = _dense_linkages(np.asarray(system.table.Z), np.asarray(system.table.x))
    np.testing.assert_allclose(res.backward, bl, rtol=1e-10)
    np.testing.assert_allclose(res.forward, fl, rtol=1e-10)
    assert res.backward.mean() == pytest.approx(1.0, rel=1e-12)
    assert len(res.as_records()) == 20
    assert sum(res.counts().values()) == 20
    assert not res.backward.flags.writeable


def test_region_rows_and_isolated_block() -> None:
    system = random_system(4, 5, seed=3)
    full = key_sectors(system, region="TJ")
    recs = full.as_records()
    assert [r["region"] for r in recs] == ["TJ"] * 5
    assert [r["sector"] for r in recs] == ["01", "02", "03", "04", "05"]
    # the region's rows keep the all-system normalisation
    whole = key_sectors(system)
    np.testing.assert_array_equal(full.backward, whole.backward)

    iso = key_sectors(system, region="TJ", isolated=True)
    sl = system.table.region_slice("TJ")
    bl, fl = _dense_linkages(np.asarray(system.table.Z[sl, sl]), np.asarray(system.table.x[sl]))
    np.testing.assert_allclose(iso.backward, bl, rtol=1e-12)
    np.testing.assert_allclose(iso.forward, fl, rtol=1e-12)
    assert iso.backward.size == 5
    for r, b, f in zip(iso.as_records(), bl, fl, strict=True):
        strong = (b >= 1, f >= 1)
        expected = {(True, True): "key", (True, False): "backward", (False, True): "forward",
                    (False, False): "weak"}[strong]
        assert r["quadrant"] == expected
        assert r["quadrant"] in QUADRANTS
    assert "TJ" in iso.metadata()["scope"]


def test_labels_and_export(tmp_path: Path) -> None:
    system = random_system(3, 4, seed=5)
    res = key_sectors(system, region="BJ")
    zh = res.as_records("zh-Hans")
    assert zh[0]["region_label"] == "北京"
    assert zh[0]["quadrant_label"] in {"关键部门", "后向主导型", "前向主导型", "弱关联型"}
    out = res.write(tmp_path / "links.csv", fmt="csv")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("region,region_label,sector,")  # plain CSV: the header first
    package = json.loads((tmp_path / "links.datapackage.json").read_text(encoding="utf-8"))
    assert package["synthetic"] is True and package["metadata"]["units"].startswith("backward_linkage:")
    rows = list(csv.DictReader(lines))
    assert len(rows) == 4
    assert float(rows[0]["backward_linkage"]) == pytest.approx(float(res.backward[0]), rel=1e-12)


def test_errors() -> None:
    system = random_system(3, 4, seed=5)
    with pytest.raises(DataError, match="needs a region"):
        key_sectors(system, isolated=True)
    with pytest.raises(UnknownCode):
        key_sectors(system, region="ZZ")
