"""analysis.structural.extract: targets, per-region totals and an independent dense check."""

from __future__ import annotations

import numpy as np
import pytest

from engine_fixtures import random_system
from viscarbon.analysis import TOTAL_CODE, extract
from viscarbon.errors import DataError, UnknownCode


def _dense_complete(Z: np.ndarray, x: np.ndarray, y: np.ndarray, E: list[int]) -> np.ndarray:
    n = x.size
    K = [i for i in range(n) if i not in E]
    A = Z / x[None, :]
    xb = np.zeros(n)
    xb[K] = np.linalg.inv(np.eye(len(K)) - A[np.ix_(K, K)]) @ y[K]
    return x - xb


@pytest.fixture(scope="module")
def system():  # type: ignore[no-untyped-def]
    return random_system(4, 5, seed=11)


@pytest.mark.parametrize(("region", "sector", "expected"), [
    (None, "03", [2, 7, 12, 17]),
    ("HE", None, [10, 11, 12, 13, 14]),
    ("HE", "03", [12]),
])
def test_targets_and_dense_reference(system, region, sector, expected) -> None:  # type: ignore[no-untyped-def]
    res = extract(system, region=region, sector=sector)
    assert list(res.extracted) == expected
    t = system.table
    ref = _dense_complete(np.asarray(t.Z), np.asarray(t.x), t.y_total(), expected)
    np.testing.assert_allclose(res.output_loss, ref, rtol=1e-9, atol=1e-9 * t.x.max())
    # the extracted sectors lose exactly their whole output
    np.testing.assert_allclose(res.output_loss[expected], res.x[expected], rtol=1e-12)
    e = system.satellite("CO2").total / np.asarray(t.x)
    np.testing.assert_allclose(res.co2_loss, e * res.output_loss, rtol=1e-12, atol=1e-18)


def test_region_rows_add_up_to_the_total(system) -> None:  # type: ignore[no-untyped-def]
    res = extract(system, sector="02", mode="backward")
    recs = res.as_records()
    assert [r["region"] for r in recs] == ["BJ", "TJ", "HE", "SX", TOTAL_CODE]
    total = recs[-1]
    assert total["output_loss_10k_yuan"] == pytest.approx(sum(r["output_loss_10k_yuan"] for r in recs[:-1]))
    assert total["co2_loss_mt"] == pytest.approx(sum(r["co2_loss_mt"] for r in recs[:-1]))
    assert total["output_loss_share"] == pytest.approx(res.total_output_loss / float(res.x.sum()))
    assert 0 < total["co2_loss_share"] < 1
    # baseline CO2 equals the satellite's industry CO2 (x solved by the LU equals the table's x)
    assert float(res.co2.sum()) == pytest.approx(float(system.satellite("CO2").total.sum()), rel=1e-10)


def test_modes_order_and_isolated_block(system) -> None:  # type: ignore[no-untyped-def]
    comp = extract(system, region="TJ", sector="01")
    back = extract(system, region="TJ", sector="01", mode="backward")
    fwd = extract(system, region="TJ", sector="01", mode="forward")
    # complete extraction removes the sector's own output too: the largest loss
    assert comp.total_output_loss > back.total_output_loss > 0
    assert comp.total_output_loss > fwd.total_output_loss > 0
    iso = extract(system, region="TJ", sector="01", isolated=True)
    sl = system.table.region_slice("TJ")
    Z, x = np.asarray(system.table.Z[sl, sl]), np.asarray(system.table.x[sl])
    ref = _dense_complete(Z, x, x - Z.sum(axis=1), [0])
    np.testing.assert_allclose(iso.output_loss, ref, rtol=1e-10)
    assert [r["region"] for r in iso.as_records()] == ["TJ", TOTAL_CODE]
    assert "TJ" in iso.metadata()["scope"]
    assert iso.metadata("zh-Hans")["mode"].startswith("完全抽取")


def test_errors(system) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="needs a sector"):
        extract(system)
    with pytest.raises(DataError, match="leaves nothing"):
        extract(system, region="TJ", isolated=True)
    with pytest.raises(UnknownCode):
        extract(system, sector="99")
    with pytest.raises(DataError, match="mode"):
        extract(system, sector="01", mode="lateral")  # type: ignore[arg-type]
