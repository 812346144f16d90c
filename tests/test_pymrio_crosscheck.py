"""Independent implementation: pymrio (a test dependency) agrees with our kernels.

For each system we build a ``pymrio.IOSystem`` from the same arrays — foreign exports
as the final demand of a pseudo-region ``RoW`` whose sectors have zero output — run
pymrio's ``calc_all`` (dense inverse, pandas) and compare ``M``, ``D_cba_reg``,
``D_pba_reg``, ``D_imp_reg`` and ``D_exp_reg`` with our LU-based accounts:
``assert_allclose(rtol=1e-9, atol=1e-12 · max|reference|)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymrio
import pytest
from numpy.testing import assert_allclose

from pymrio_bridge import pymrio_system
from viscarbon.calc.accounts import carbon_accounts
from viscarbon.calc.leontief import factorize, multipliers, technical_coefficients
from viscarbon.model import EEIOSystem, IOTable, SatelliteAccount


def _close(actual: np.ndarray, reference: np.ndarray) -> None:
    reference = np.asarray(reference, dtype=float)
    atol = 1e-12 * float(np.abs(reference).max()) if reference.size else 0.0
    assert_allclose(actual, reference, rtol=1e-9, atol=atol)


def to_pymrio(table: IOTable, sat: SatelliteAccount) -> pymrio.IOSystem:
    """The table as a pymrio system (:func:`pymrio_bridge.pymrio_system`), ``calc_all`` run."""
    io = pymrio_system(table, sat)
    io.calc_all()
    return io


def ours(table: IOTable, F: np.ndarray, F_Y: np.ndarray) -> dict[str, np.ndarray]:
    """Our accounts per stressor: M (k × n) and the regional D_* (k × R [+1 for RoW])."""
    R, K = table.n_regions, len(table.fd_categories)
    fac = factorize(technical_coefficients(table.Z, table.x))
    x = table.x
    f = np.zeros_like(F)
    np.divide(F, x[None, :], out=f, where=x[None, :] != 0)
    out: dict[str, list[np.ndarray]] = {"cba": [], "pba": [], "imp": [], "exp": []}
    for k in range(F.shape[0]):
        a = carbon_accounts(fac, F=F[k], F_Y=F_Y[k], x=x, Z=table.Z, Y=table.Y, EX=table.EX, IM=table.IM,
                            n_regions=R, n_categories=K)
        T = a.transfer[:, :R]
        diag = np.diag(T)
        out["cba"].append(np.append(a.consumption_based, a.exports_embodied.sum()))
        out["pba"].append(np.append(a.production_based, 0.0))
        out["imp"].append(np.append(T.sum(axis=0) - diag, a.emitted_for_exports.sum()))
        out["exp"].append(np.append(T.sum(axis=1) - diag + a.emitted_for_exports, 0.0))
    res = {k: np.array(v) for k, v in out.items()}
    res["M"] = np.asarray(multipliers(fac, f))
    return res


def _compare(table: IOTable, sat: SatelliteAccount, *, with_row: bool) -> None:
    io = to_pymrio(table, sat)
    ext = io.co2
    mine = ours(table, np.asarray(sat.F), np.asarray(sat.F_Y))
    n = table.n
    end = None if with_row else -1  # drop the RoW column when there is no RoW
    _close(mine["M"], ext.M.to_numpy()[:, :n])
    _close(mine["cba"][:, :end], ext.D_cba_reg.to_numpy())
    _close(mine["pba"][:, :end], ext.D_pba_reg.to_numpy())
    _close(mine["imp"][:, :end], ext.D_imp_reg.to_numpy())
    _close(mine["exp"][:, :end], ext.D_exp_reg.to_numpy())
    # and the identity on pymrio's side too: Σ CBA (with RoW) = Σ PBA
    assert_allclose(ext.D_cba_reg.to_numpy().sum(), ext.D_pba_reg.to_numpy().sum(), rtol=1e-9)


def test_demo_mrio_agrees_with_pymrio() -> None:
    from viscarbon.demo import demo_dataset

    system: EEIOSystem = demo_dataset().system(2012)
    sat = system.satellite("CO2")
    assert len(sat.stressors) == 21 and sat.F.sum() > 5000
    _compare(system.table, sat, with_row=True)


@pytest.mark.realdata
def test_nbs_national_table_agrees_with_pymrio(nbs_dir: Path, shared_data: Path) -> None:
    from viscarbon.harmonize import build_co2_satellite
    from viscarbon.io.readers.ceads_inventory.reader import read_national_inventory
    from viscarbon.io.readers.nbs import read_nbs_io

    table = read_nbs_io(nbs_dir / "china_2015_42.csv")
    inv = read_national_inventory(
        shared_data / "ceads" / "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx", years=[2015])
    sat, _ = build_co2_satellite(inv[2015], table)
    assert sat.F.sum() > 8000  # national CO2 2015, Mt
    _compare(table, sat, with_row=True)


def test_pymrio_test_system_through_the_reader(tmp_path: Path) -> None:
    from viscarbon.io.readers.pymrio import read_pymrio_folder

    ref = pymrio.load_test()
    ref.save_all(tmp_path / "test_mrio")
    system = read_pymrio_folder(tmp_path / "test_mrio", year=2000).system
    table = system.table
    sat = system.satellite("Emissions")
    ref.calc_all()
    ext = ref.emissions
    mine = ours(table, np.asarray(sat.F), np.asarray(sat.F_Y))
    assert table.EX.sum() == 0  # exports are a final-demand category here: no RoW column
    _close(mine["M"], ext.M.to_numpy())
    _close(mine["cba"][:, :-1], ext.D_cba_reg.to_numpy())
    _close(mine["pba"][:, :-1], ext.D_pba_reg.to_numpy())
    _close(mine["imp"][:, :-1], ext.D_imp_reg.to_numpy())
    _close(mine["exp"][:, :-1], ext.D_exp_reg.to_numpy())
