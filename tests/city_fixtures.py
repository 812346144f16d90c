"""Generated CEADs city MRIO tables and their ``.mat`` files (MATLAB v5 and v7.3).

:func:`city_arrays` builds a balanced table of C cities × 42 sectors (10,000 yuan) from
the packaged city concordance: final demand ``y > 0`` and coefficients ``A`` with column
sums ≤ 0.7, then ``x = (I − A)⁻¹ y``, ``Z = A x̂`` (so rows balance exactly), imports
``IM = 0.1 x`` and value added ``V = x − 1ᵀZ − IM`` split in four rows (columns balance).
Trade between cities is sparse (``density``), within a city dense, like the real tables.

:func:`write_mat_v5` uses ``scipy.io.savemat``; :func:`write_mat_v73` writes MATLAB's
own v7.3 layout with h5py: a 512-byte user block with the MATLAB header text, every
numeric array column-major (HDF5 shape = MATLAB shape reversed) with the ``MATLAB_class``
attribute, the city list as a cell array of char (object references into ``#refs#``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import scipy.io
import scipy.sparse
from numpy.typing import NDArray

from viscarbon.classification import cities

Arr = NDArray[np.float64]
S = 42


@dataclass(frozen=True)
class CityArrays:
    names: tuple[str, ...]
    codes: tuple[str, ...]
    Z: Arr
    FD: Arr
    VA: Arr
    IM: Arr
    EX: Arr
    x: Arr
    F: Arr  # CO2 by region-sector, Mt (for the accounts tests)


def city_arrays(n_cities: int = 24, *, seed: int = 12, density: float = 0.05) -> CityArrays:
    rng = np.random.default_rng(seed)
    cs = cities()[:n_cities]
    C = len(cs)
    n = C * S
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    for c in range(C):
        blk = slice(c * S, (c + 1) * S)
        A[blk, blk] = rng.random((S, S))
    A *= (0.2 + 0.5 * rng.random(n)) / A.sum(axis=0)
    FD = rng.random((n, 5 * C)) * 50.0
    FD[:, 4::5] -= 10.0  # inventory changes may be negative
    EX = rng.random(n) * 100.0
    y = FD.sum(axis=1) + EX
    x = np.linalg.solve(np.eye(n) - A, y)
    Z = A * x[None, :]
    IM = 0.1 * x
    va = x - Z.sum(axis=0) - IM
    shares = rng.dirichlet(np.ones(4), size=n).T
    VA = shares * va[None, :]
    F = rng.random(n) * 1e-4 * x / x.mean()
    return CityArrays(names=tuple(c.name_zh_hans for c in cs), codes=tuple(c.code for c in cs),
                      Z=Z, FD=FD, VA=VA, IM=IM, EX=EX, x=x, F=F)


def mat_variables(a: CityArrays, *, names: dict[str, str] | None = None) -> dict[str, object]:
    """The variables under the names of the usual release (override with ``names``)."""
    nm = {"Z": "Z", "FD": "FD", "VA": "VA", "IM": "IM", "EX": "EX", "GO": "X", "cities": "city_list"}
    nm.update(names or {})
    return {nm["Z"]: a.Z, nm["FD"]: a.FD, nm["VA"]: a.VA, nm["IM"]: a.IM.reshape(1, -1),
            nm["EX"]: a.EX.reshape(-1, 1), nm["GO"]: a.x.reshape(-1, 1), nm["cities"]: list(a.names)}


def write_mat_v5(path: Path, variables: dict[str, object], *, sparse: tuple[str, ...] = (),
                 struct: str | None = None) -> Path:
    """``sparse``: variables written as MATLAB sparse matrices; ``struct``: every variable
    a field of one 1 × 1 struct of that name."""
    out: dict[str, object] = {}
    for k, v in variables.items():
        if k in sparse:
            out[k] = scipy.sparse.csc_matrix(np.asarray(v))
        elif isinstance(v, list):
            cell = np.empty((len(v), 1), dtype=object)
            for i, s in enumerate(v):
                cell[i, 0] = s
            out[k] = cell
        else:
            out[k] = v
    scipy.io.savemat(path, {struct: out} if struct else out, format="5")
    return path


def _header() -> bytes:
    text = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Wed Dec  2 09:00:00 2026 HDF5 schema 1.00 ."
    return text.ljust(116) + b"\x00" * 8 + b"\x00\x02IM"


def write_mat_v73(path: Path, variables: dict[str, object], *, sparse: tuple[str, ...] = (),
                  struct: str | None = None) -> Path:
    """``sparse``: variables written as MATLAB v7.3 sparse groups (``data``, ``ir``, ``jc``,
    attribute ``MATLAB_sparse`` = number of rows); numbers as text lists become a cell of
    char, numeric arrays ``double``; ``struct``: every variable a field of one struct
    group of that name."""
    with h5py.File(path, "w", userblock_size=512, libver="earliest") as f:
        refs = f.create_group("#refs#")
        k = 0
        root: h5py.Group = f
        if struct:
            root = f.create_group(struct)
            root.attrs["MATLAB_class"] = np.bytes_("struct")
        for name, v in variables.items():
            if name in sparse:
                m = scipy.sparse.csc_matrix(np.asarray(v))
                g = root.create_group(name)
                g.create_dataset("data", data=m.data)
                g.create_dataset("ir", data=m.indices.astype(np.uint64))
                g.create_dataset("jc", data=m.indptr.astype(np.uint64))
                g.attrs["MATLAB_class"] = np.bytes_("double")
                g.attrs["MATLAB_sparse"] = np.uint64(m.shape[0])
            elif isinstance(v, list):
                rs = []
                for s in v:
                    ds = refs.create_dataset(f"r{k}", data=np.array([[ord(ch)] for ch in s], dtype=np.uint16))
                    ds.attrs["MATLAB_class"] = np.bytes_("char")
                    ds.attrs["MATLAB_int_decode"] = np.int32(2)
                    rs.append(ds.ref)
                    k += 1
                cell = root.create_dataset(name, data=np.array([rs], dtype=h5py.ref_dtype))  # 1 × C in HDF5 = C × 1
                cell.attrs["MATLAB_class"] = np.bytes_("cell")
            else:
                arr = np.atleast_2d(np.asarray(v, dtype=np.float64))
                ds = root.create_dataset(name, data=np.ascontiguousarray(arr.T))
                ds.attrs["MATLAB_class"] = np.bytes_("double")
    with open(path, "r+b") as fh:
        fh.write(_header())
    return path
