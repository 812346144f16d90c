"""analysis.structural.spa on generated MRIO systems: footprint totals, paths, exports."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from engine_fixtures import random_system
from viscarbon.analysis import spa
from viscarbon.errors import DataError


@pytest.fixture(scope="module")
def system():  # type: ignore[no-untyped-def]
    return random_system(4, 5, seed=21)


def _parts(system):  # type: ignore[no-untyped-def]
    t = system.table
    A = np.asarray(t.Z) / np.asarray(t.x)[None, :]
    e = system.satellite("CO2").total / np.asarray(t.x)
    return A, e, np.linalg.inv(np.eye(t.n) - A)


def test_footprint_total_and_power_series(system) -> None:  # type: ignore[no-untyped-def]
    A, e, L = _parts(system)
    K = len(system.table.fd_categories)
    y = np.asarray(system.table.Y[:, 1 * K:2 * K]).sum(axis=1)  # TJ's own final demand
    res = spa(system, region="TJ", depth=2, threshold=0.0, top=10_000)
    assert res.total_mt == pytest.approx(float(e @ L @ y), rel=1e-10)
    series = np.eye(A.shape[0]) + A + A @ A
    assert res.found_mt == pytest.approx(float(e @ series @ y), rel=1e-10)
    # one path per chain of non-zero coefficients (the fixture's A is sparse)
    nz = (A > 0).astype(float)
    start = (y != 0).astype(float)
    assert res.n_paths == round(float(start.sum() + (nz @ start).sum() + (nz @ nz @ start).sum()))
    assert sum(p.value_mt for p in res.paths) == pytest.approx(res.found_mt, rel=1e-10)
    assert res.top_coverage == pytest.approx(res.coverage, rel=1e-10)
    assert res.target == "footprint:TJ"


def test_sector_target_ranking_and_records(system) -> None:  # type: ignore[no-untyped-def]
    A, e, L = _parts(system)
    res = spa(system, region="HE", sector="02", depth=5, threshold=1e-3, top=15)
    i = system.table.regions.index("HE") * 5 + 1
    y_i = float(system.table.y_total()[i])
    assert res.total_mt == pytest.approx(float((e @ L)[i] * y_i), rel=1e-10)
    values = [p.value_mt for p in res.paths]
    assert values == sorted(values, key=abs, reverse=True)
    assert [p.rank for p in res.paths] == list(range(1, len(values) + 1))
    for p in res.paths:  # every path starts at the target and its value is the product
        assert p.nodes[0] == ("HE", "02")
        idx = [system.table.regions.index(r) * 5 + int(s) - 1 for r, s in p.nodes]
        v = y_i * e[idx[-1]] * np.prod([A[b, a] for a, b in itertools.pairwise(idx)])
        assert p.value_mt == pytest.approx(v, rel=1e-10)
        assert abs(p.value_mt) >= res.threshold_mt
    assert res.threshold_mt == pytest.approx(1e-3 * res.total_mt)
    rec = res.as_records()[0]
    assert rec["path"].endswith("HE/02")
    assert rec["final_demand_region"] == "HE"
    assert 0 < res.coverage <= 1  # type: ignore[operator]


def test_coverage_rises_with_depth(system) -> None:  # type: ignore[no-untyped-def]
    cov = [spa(system, region="BJ", depth=d, threshold=1e-7, top=5).coverage for d in range(6)]
    assert all(b > a for a, b in itertools.pairwise(cov))  # type: ignore[operator]
    assert cov[-1] > 0.95  # type: ignore[operator]


def test_isolated_block_and_export(system, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = spa(system, region="SX", isolated=True, depth=4, threshold_mt=0.0, top=3)
    t = system.table
    sl = t.region_slice("SX")
    Z, x = np.asarray(t.Z[sl, sl]), np.asarray(t.x[sl])
    e = system.satellite("CO2").total[sl] / x
    K = len(t.fd_categories)
    y = np.asarray(t.Y[sl, 3 * K:4 * K]).sum(axis=1)
    assert res.total_mt == pytest.approx(float(e @ np.linalg.inv(np.eye(5) - Z / x[None, :]) @ y), rel=1e-10)
    assert all(r == "SX" for p in res.paths for r, _ in p.nodes)
    out = res.write(tmp_path / "spa.json", fmt="json", lang="zh-Hans")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["meta"]["synthetic"] == "true"
    assert "SX" in doc["meta"]["scope"]
    assert len(doc["rows"]) == 3


def test_errors(system) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="target region"):
        spa(system, region=None)
    with pytest.raises(DataError, match="depth"):
        spa(system, region="BJ", depth=-1)
    with pytest.raises(DataError, match="tree nodes"):
        spa(system, region="BJ", depth=12, threshold=0.0, max_nodes=50_000)
