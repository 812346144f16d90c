"""The engine at city scale: both paths (dense LU built in place, sparse SuperLU) on a
generated 24-city × 42-sector table agree with pymrio ``calc_all`` to 1e-9 relative; the
identities hold; the memory guard refuses up front, naming the memory needed and
available, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from city_fixtures import city_arrays, mat_variables, write_mat_v5
from pymrio_bridge import pymrio_system
from viscarbon.analysis.scale import (
    export_table_accounts,
    flows_accounts,
    plan_system,
    table_accounts,
)
from viscarbon.calc.scale import DENSE_UP_TO, choose_method, memory_estimate
from viscarbon.errors import MemoryLimitError
from viscarbon.io.readers import read_ceads_city
from viscarbon.model import Axis, IOTable, SatelliteAccount

ARR = city_arrays(24, seed=7)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> IOTable:
    path = write_mat_v5(tmp_path_factory.mktemp("city") / "city_mrio_2017.mat", mat_variables(ARR))
    return read_ceads_city(path)


@pytest.fixture(scope="module")
def reference(table: IOTable):  # pymrio's calc_all on the same arrays (dense inverse)
    sat = SatelliteAccount(name="CO2", stressors=Axis("stressor", ("CO2",)), F=ARR.F[None, :],
                           F_Y=np.zeros((1, table.Y.shape[1])), unit="Mt", year=table.year,
                           region_status=("reported",) * table.n_regions)
    io = pymrio_system(table, sat)
    io.calc_all()
    return io


def _close(actual: np.ndarray, ref: np.ndarray) -> None:
    ref = np.asarray(ref, dtype=float)
    assert_allclose(actual, ref, rtol=1e-9, atol=1e-12 * float(np.abs(ref).max()))


@pytest.mark.parametrize("method", ["dense", "sparse", "iterative"])
def test_accounts_agree_with_pymrio(table: IOTable, reference, method: str) -> None:
    run = table_accounts(table, ARR.F, method=method)  # type: ignore[arg-type]
    assert run.plan.method == method
    a = run.accounts
    ext = reference.co2
    n, R = table.n, table.n_regions
    _close(a.m, ext.M.to_numpy()[0, :n])
    _close(a.consumption, ext.D_cba_reg.to_numpy()[0])  # RoW column = embodied in exports
    _close(np.append(a.production, 0.0), ext.D_pba_reg.to_numpy()[0])
    T = a.transfer
    diag = np.diag(T[:, :R])
    _close(np.append(T[:, :R].sum(axis=0) - diag, T[:, R].sum()), ext.D_imp_reg.to_numpy()[0])
    _close(np.append(T.sum(axis=1) - diag, 0.0), ext.D_exp_reg.to_numpy()[0])
    _close(a.output_multipliers, reference.L.to_numpy()[:n, :n].sum(axis=0))
    # identities: x = L y, Σ CBA = Σ PBA
    assert_allclose(a.x, table.x, rtol=1e-9)
    assert a.consumption.sum() == pytest.approx(a.production.sum(), rel=1e-12)
    assert (run.fill is not None) == (method == "sparse")
    assert bool(run.iterations) == (method == "iterative")
    if method == "iterative":
        assert len(run.iterations) == R + 3 and max(run.iterations) <= 50


def test_sparse_flows_path_equals_the_table_path(table: IOTable) -> None:
    Z = sp.csc_array(table.Z)
    kw = dict(x=table.x, F=ARR.F, Y_regions=table.Y_by_region(), EX=table.EX)
    dense = flows_accounts(Z, method="dense", **kw)
    sparse = flows_accounts(Z, **kw)
    assert sparse.plan.method == "dense"  # auto: n = 1008 ≤ DENSE_UP_TO
    assert table.n <= DENSE_UP_TO
    forced = flows_accounts(Z, method="sparse", **kw)
    iterative = flows_accounts(Z, method="iterative", **kw)
    for a in (sparse.accounts, forced.accounts, iterative.accounts):
        assert_allclose(a.m, dense.accounts.m, rtol=1e-10)
        assert_allclose(a.transfer, dense.accounts.transfer, rtol=1e-9, atol=1e-15)


def test_estimates_and_choice() -> None:
    n = 313 * 42
    dense = memory_estimate(n, method="dense", rhs=314)
    assert dict(dense.parts)["I − A and its LU factors (in place)"] == 8 * n * n  # 1.38 GB
    assert "1.38 GB" in dense.text()
    nnz = int(0.03 * n * n)
    assert choose_method(n, nnz, 16 * 10**9, rhs=314).method == "iterative"
    assert choose_method(n, int(0.5 * n * n), 16 * 10**9, rhs=314).method == "dense"
    assert choose_method(1008, 1008, 16 * 10**9, rhs=25).method == "dense"  # small: always dense
    # dense does not fit in 1.2 GB, the iterative estimate does: iterative even for a dense-ish table
    assert choose_method(n, int(0.2 * n * n), 12 * 10**8, rhs=314).method == "iterative"
    sparse = memory_estimate(n, method="sparse", nnz=nnz, rhs=314)
    assert "fill ×50, assumed" in sparse.text()
    assert dict(sparse.parts)["LU factors (fill ×50, assumed)"] == 12 * n * n  # capped at a full factor


def test_memory_guard_refuses_naming_needed_and_available(table: IOTable, tmp_path: Path) -> None:
    with pytest.raises(MemoryLimitError) as err:
        plan_system(43_000, 43_000**2, rhs=340, available=4 * 10**9)
    text = str(err.value)
    assert "43,000 sectors needs" in text and "GB" in text and "4.00 GB of memory is available" in text
    assert "dense path" in text or "sparse path" in text
    out = tmp_path / "out"
    with pytest.raises(MemoryLimitError, match=r"needs \d+\.\d\d GB"):
        export_table_accounts(table, ARR.F, out, available=10**6)
    assert not out.exists()


def test_export_writes_plain_csv(table: IOTable, tmp_path: Path) -> None:
    p1, p2 = export_table_accounts(table, ARR.F, tmp_path / "out")
    df = pd.read_csv(p1)
    assert list(df.columns) == ["region", "production_mt", "consumption_mt"]
    assert len(df) == table.n_regions + 1 and df["region"].iloc[-1] == "EXPORTS"
    assert df["consumption_mt"].sum() == pytest.approx(df["production_mt"].sum(), rel=1e-12)
    m = pd.read_csv(p2)
    assert len(m) == table.n and (m["output_multiplier"] >= 1.0).all()
