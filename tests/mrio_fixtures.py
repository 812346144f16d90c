"""Small random balanced MRIO tables, built by code, and their CEADs workbooks.

``random_mrio(regions, seed=...)`` draws an R × 42 table whose accounts close by
construction (Miller & Blair 2009, table 3.3):

* ``Z`` sparse, non-negative; final demand by destination region and category with some
  negative inventory changes (FU202); ERR (``Other`` of the own region) of either sign;
  exports; ``x = Z·1 + Y·1 + EX``;
* the column residual ``x_j − 1ᵀZ_j`` (positive by the magnitudes chosen) is split into
  imports and VA001-VA004 (net taxes VA002 may be negative), so ``x = 1ᵀZ + IM + 1ᵀV``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from viscarbon.classification import region_codes
from viscarbon.io.readers.ceads_mrio.reader import va_axis
from viscarbon.io.writers.ceads_mrio import write_ceads_mrio
from viscarbon.model import Axis, IOTable, Provenance

__all__ = ["random_mrio", "write_fixture"]


def random_mrio(regions: Sequence[str] = ("BJ", "TJ", "HE"), *, year: int = 2017,
                list_id: str = "io42_2012", seed: int = 0, density: float = 0.3,
                empty_sector: bool = False, co2: bool = True) -> IOTable:
    """A balanced random MRIO table (万元) of ``regions`` × 42 sectors.

    ``empty_sector`` makes sector 23 of the first region empty (no flows, GO 0), as happens
    in real tables; ``co2`` adds ``extras["co2_row"]`` (Mt, non-negative).
    """
    rng = np.random.default_rng(seed)
    R, S, K = len(regions), 42, 6
    n = R * S
    Z = rng.uniform(0.0, 1e3, (n, n)) * (rng.random((n, n)) < density)
    # final demand: own region large, other regions smaller
    Y = np.zeros((n, R * K))
    for r in range(R):
        own = np.zeros(n, dtype=bool)
        own[r * S:(r + 1) * S] = True
        for k in range(5):
            scale = np.where(own, 2e2 * n, 2e1 * n)
            Y[:, r * K + k] = rng.uniform(0.0, 1.0, n) * scale
        Y[:, r * K + 4] -= np.where(own, 0.5e2 * n, 0.0) * rng.random(n)  # inventory change ±
        Y[own, r * K + 5] = rng.normal(0.0, 5.0 * n, S)  # ERR of own rows
    EX = rng.uniform(0.0, 1e2 * n, n)
    IM_Y = np.zeros(R * K)
    for r in range(R):
        IM_Y[r * K:r * K + 5] = rng.uniform(0.0, 1e3 * n, 5)
    if empty_sector:
        e = 22
        Z[e, :] = 0.0
        Z[:, e] = 0.0
        Y[e, :] = 0.0
        EX[e] = 0.0
    x = Z.sum(axis=1) + Y.sum(axis=1) + EX
    resid = x - Z.sum(axis=0)
    assert (resid >= 0).all()
    IM = resid * rng.uniform(0.05, 0.2, n)
    va = resid - IM
    shares = rng.dirichlet(np.ones(4), n).T  # 4 × n
    shares[1] -= 0.1 * shares[3]  # net taxes may be negative
    shares[3] += 0.1 * shares[3]
    V = shares * va
    V[3] = va - V[:3].sum(axis=0)  # operating surplus closes the column exactly
    extras = {"IM_Y": IM_Y}
    if co2:
        extras["co2_row"] = rng.gamma(0.5, 0.2, n) * (x > 0)
    prov = Provenance(source="viscarbon tests", product="random MRIO", vintage=f"seed {seed}",
                      synthetic=True)
    return IOTable(year=year, regions=Axis.regions(tuple(regions)), sectors=Axis.sectors(list_id),
                   Z=Z, Y=Y, fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V,
                   va_rows=va_axis(), x=x, provenance=(prov,), extras=extras)


def full_regions() -> tuple[str, ...]:
    return region_codes()


def write_fixture(table: IOTable, folder: Path, *, layout: str, name: str | None = None) -> Path:
    """Write ``table`` in ``layout`` to ``folder/name`` (default ``mrio_<layout>_<year>.xlsx``)."""
    path = folder / (name or f"mrio_{'a' if layout == '2012-2017' else 'b'}_{table.year}.xlsx")
    return write_ceads_mrio(table, path, layout=layout)
