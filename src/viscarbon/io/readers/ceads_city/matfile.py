"""MATLAB files as plain arrays: v5 (through ``scipy.io.loadmat``) and v7.3 (HDF5,
through ``h5py``).

:func:`load_mat` returns the file's top-level variables as numpy arrays (numbers, in
MATLAB's row × column orientation) or tuples of strings (char matrices and cell arrays of
char), with the MAT version. MATLAB stores v7.3 arrays column-major, so an ``m × n``
variable is an HDF5 dataset of shape ``(n, m)``: it is transposed back here. Sparse
variables (v5 sparse, or a v7.3 group with ``data``/``ir``/``jc`` and the
``MATLAB_sparse`` attribute) are returned dense. The fields of a 1 × 1 struct (a file
holding ``MRIO.Z``, ``MRIO.FD`` …) come one level down under their own names
(``MRIO.Z`` when the name is taken at the top level).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import h5py
import numpy as np
import scipy.io
import scipy.sparse
from numpy.typing import NDArray

from viscarbon.errors import LayoutError

__all__ = ["MatValue", "load_mat", "mat_numeric_bytes", "mat_version"]

MatValue = NDArray[Any] | tuple[str, ...]
_HIDDEN: Final = ("#refs#", "#subsystem#")


def mat_version(path: Path) -> str:
    """``"7.3"`` for an HDF5 MAT file, ``"5"`` for a MATLAB 5 file; a
    :class:`LayoutError` for anything else."""
    if h5py.is_hdf5(path):
        return "7.3"
    with open(path, "rb") as fh:
        head = fh.read(128)
    if len(head) == 128 and head[:6] == b"MATLAB":
        return "5"
    raise LayoutError("not a MATLAB .mat file (neither MATLAB 5 nor HDF5 / v7.3)", where=f"file {path.name}",
                      hint="save the table in MATLAB with save(..., '-v7') or '-v7.3'")


def mat_numeric_bytes(path: Path) -> int:
    """Bytes the file's numeric variables take as dense float64 arrays (sparse variables
    counted dense, as :func:`load_mat` returns them), read from the headers without
    loading the data (``scipy.io.whosmat``; the HDF5 dataset shapes, struct fields
    included). A v5 struct's fields are not in the header: then at least the file size."""
    version = mat_version(path)
    total = 0
    if version == "5":
        structs = False
        for _, shape, cls in scipy.io.whosmat(path):
            structs = structs or cls == "struct"
            if cls not in ("char", "cell", "struct"):
                total += 8 * int(np.prod(shape))
        # the header does not give a struct's field shapes: at least the file's size
        return max(total, path.stat().st_size) if structs else total

    def size(obj: h5py.HLObject) -> int:
        if isinstance(obj, h5py.Group) and "MATLAB_sparse" in obj.attrs and "jc" in obj:
            return 8 * int(obj.attrs["MATLAB_sparse"]) * (int(obj["jc"].shape[0]) - 1)
        if isinstance(obj, h5py.Group) and _attr(obj, "MATLAB_class") == "struct":
            return sum(size(m) for m in obj.values())
        if isinstance(obj, h5py.Dataset) and _attr(obj, "MATLAB_class") not in ("char", "cell"):
            return 8 * int(np.prod(obj.shape))
        return 0

    with h5py.File(path, "r") as f:
        total = sum(size(obj) for name, obj in f.items() if name not in _HIDDEN)
    return total


def load_mat(path: Path) -> tuple[str, dict[str, MatValue]]:
    """The version and the top-level variables of a MAT file (see the module docstring)."""
    version = mat_version(path)
    try:
        return version, (_load_v73(path) if version == "7.3" else _load_v5(path))
    except (OSError, ValueError, TypeError, NotImplementedError) as exc:
        raise LayoutError(f"cannot read the MATLAB {version} file: {exc}", where=f"file {path.name}") from None


def _text_cells(values: NDArray[Any]) -> tuple[str, ...] | None:
    out = []
    for v in values.ravel(order="F"):
        while isinstance(v, np.ndarray) and v.dtype == object and v.size == 1:
            v = v.ravel()[0]
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "U":
                out.append("".join(v.ravel().tolist()).strip())
            elif v.dtype.kind in "iuf" and v.size == 1:
                out.append(_code_text(float(v.ravel()[0])))
            else:
                return None
        elif isinstance(v, str):
            out.append(v.strip())
        else:
            return None
    return tuple(out)


def _code_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def _add(out: dict[str, MatValue], parent: str, name: str, value: MatValue) -> None:
    """A struct field under its own name, or ``parent.name`` when that is taken."""
    out[f"{parent}.{name}" if name in out else name] = value


def _v5_value(out: dict[str, MatValue], name: str, value: Any, *, parent: str = "") -> None:
    """Convert one v5 variable into ``out``; a 1 × 1 struct's fields are added one level
    down (``_add``)."""
    if isinstance(value, np.ndarray) and value.dtype.names and not parent:
        if value.size != 1:
            return
        rec = value.ravel()[0]
        for field_name in value.dtype.names:
            sub: dict[str, MatValue] = {}
            _v5_value(sub, field_name, rec[field_name], parent=name)
            for k, v in sub.items():
                _add(out, name, k, v)
        return
    if scipy.sparse.issparse(value):
        out[name] = np.asarray(value.toarray(), dtype=np.float64)
    elif isinstance(value, np.ndarray) and value.dtype.kind == "U":
        out[name] = tuple(str(s).strip() for s in value.ravel())
    elif isinstance(value, np.ndarray) and value.dtype == object:
        cells = _text_cells(value)
        if cells is not None:
            out[name] = cells
    elif isinstance(value, np.ndarray) and value.dtype.kind in "iufb":
        out[name] = np.asarray(value, dtype=np.float64)


def _load_v5(path: Path) -> dict[str, MatValue]:
    raw = scipy.io.loadmat(path, squeeze_me=False, chars_as_strings=True)
    out: dict[str, MatValue] = {}
    for name, value in raw.items():
        if not name.startswith("__"):
            _v5_value(out, name, value)
    return out


def _attr(obj: h5py.HLObject, key: str) -> str:
    v = obj.attrs.get(key)
    if v is None:
        return ""
    return v.decode() if isinstance(v, bytes) else str(v)


def _char(ds: h5py.Dataset) -> tuple[str, ...]:
    if "MATLAB_empty" in ds.attrs:
        return ("",)
    codes = np.asarray(ds[()]).T  # MATLAB m × l char matrix is stored l × m
    if codes.ndim < 2:
        codes = codes.reshape(1, -1)
    return tuple("".join(chr(int(c)) for c in row if int(c)).strip() for row in codes)


def _v73_value(f: h5py.File, obj: h5py.HLObject) -> MatValue | None:
    cls = _attr(obj, "MATLAB_class")
    if isinstance(obj, h5py.Group):
        if "MATLAB_sparse" in obj.attrs and {"data", "ir", "jc"} <= set(obj.keys()):
            jc = np.asarray(obj["jc"][()], dtype=np.int64)
            shape = (int(obj.attrs["MATLAB_sparse"]), jc.size - 1)
            m = scipy.sparse.csc_array((np.asarray(obj["data"][()], dtype=np.float64),
                                        np.asarray(obj["ir"][()], dtype=np.int64), jc), shape=shape)
            return np.asarray(m.toarray(), dtype=np.float64)
        return None
    if not isinstance(obj, h5py.Dataset):
        return None
    if cls == "char":
        return _char(obj)
    if cls == "cell":
        texts: list[str] = []
        for ref in np.asarray(obj[()]).T.ravel(order="F"):
            target = f[ref]
            if not isinstance(target, h5py.Dataset):
                return None
            if _attr(target, "MATLAB_class") == "char":
                texts.extend(_char(target))
            elif target.dtype.kind in "iuf" and target.size == 1:
                texts.append(_code_text(float(np.asarray(target[()]).ravel()[0])))
            else:
                return None
        return tuple(texts)
    if obj.dtype.kind in "iufb":
        return np.asarray(obj[()], dtype=np.float64).T
    return None


def _load_v73(path: Path) -> dict[str, MatValue]:
    out: dict[str, MatValue] = {}
    with h5py.File(path, "r") as f:
        for name, obj in f.items():
            if name in _HIDDEN:
                continue
            if isinstance(obj, h5py.Group) and _attr(obj, "MATLAB_class") == "struct":
                for field_name, member in obj.items():  # one level of struct fields
                    sub = _v73_value(f, member)
                    if sub is not None:
                        _add(out, name, field_name, sub)
                continue
            value = _v73_value(f, obj)
            if value is not None:
                out[name] = value
    return out
