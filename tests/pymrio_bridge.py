"""The bridge to pymrio shared by the cross-check test and ``bench/engine.py``: our
arrays as a ``pymrio.IOSystem`` (pandas, a test dependency only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio

from viscarbon.model import IOTable, SatelliteAccount

__all__ = ["pymrio_system"]


def pymrio_system(table: IOTable, sat: SatelliteAccount) -> pymrio.IOSystem:
    """The table and satellite as a pymrio system (``calc_all`` not yet run): foreign
    exports become the final demand of a pseudo-region ``RoW`` whose sectors have zero
    output (no ``RoW`` when there are no exports); the satellite is extension ``co2``."""
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    n = table.n
    has_ex = bool(np.any(table.EX != 0))
    regions = list(table.regions.codes) + (["RoW"] if has_ex else [])
    sectors = [f"S{c}" for c in table.sectors.codes]
    cats = list(table.fd_categories.codes) + (["Exports"] if has_ex else [])
    RR, KK = len(regions), len(cats)
    N = RR * S
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, cats], names=["region", "category"])
    Z = np.zeros((N, N))
    Z[:n, :n] = table.Z
    Y = np.zeros((N, RR * KK))
    FY = np.zeros((len(sat.stressors), RR * KK))
    for s in range(R):
        Y[:n, s * KK:s * KK + K] = table.Y[:, s * K:(s + 1) * K]
        FY[:, s * KK:s * KK + K] = sat.F_Y[:, s * K:(s + 1) * K]
    if has_ex:
        Y[:n, R * KK + K] = table.EX
    x = np.zeros(N)
    x[:n] = table.x
    F = np.zeros((len(sat.stressors), N))
    F[:, :n] = sat.F
    stress = pd.Index(list(sat.stressors.codes), name="stressor")
    io = pymrio.IOSystem(
        Z=pd.DataFrame(Z, index=idx, columns=idx),
        Y=pd.DataFrame(Y, index=idx, columns=cols),
        x=pd.DataFrame(x, index=idx, columns=["indout"]),
    )
    io.co2 = pymrio.Extension(name="co2", F=pd.DataFrame(F, index=stress, columns=idx),
                              F_Y=pd.DataFrame(FY, index=stress, columns=cols))
    return io
