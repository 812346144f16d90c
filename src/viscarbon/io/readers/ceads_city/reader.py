"""Reader of the CEADs city-level MRIO tables (``.mat``, MATLAB v5 or v7.3).

``read_ceads_city(path, *, year=None) -> IOTable`` loads the file (:mod:`.matfile`),
locates every block by name and shape (:data:`~.layouts.BLOCKS`), names the cities from
the file's own list, matched to the packaged city concordance
(:func:`viscarbon.classification.cities`: GB/T 2260 code, zh and en names, province) where
it can be, and returns a validated :class:`~viscarbon.model.IOTable` whose regions are the
cities (axis ``list_id`` ``cn_city``), in 10,000 yuan:

* ``Z`` (n × n), n = C·42; ``Y`` (n × 5C), the five final-demand categories per city
  (FU101, FU102, FU103, FU201, FU202); ``EX`` (n,) exports, ``IM`` (n,) imports as a row;
  ``V`` (m × n) value added; ``x`` (n,) gross output (the file's, else ``Z·1 + Y·1 + EX``).
* Balances as for the provincial tables (Miller & Blair 2009, ch. 3): rows
  ``x_i = Σ_j Z_ij + Σ_c Y_ic + EX_i`` (relative 1e-6), columns
  ``x_j ≈ Σ_i Z_ij + IM_j + Σ_k V_kj`` (relative 1e-3).

A city of the file that the concordance does not know keeps the file's label: its code is
the file's code when the file gives six-digit codes, else ``C`` + its position
(``C007``), and its province is unknown (listed in the table's notes).

Every error names the file, the variable and the expected shape, e.g.
``"final demand has shape (1008, 119), expected (n, 5·C) = (1008, 120) (file X.mat,
variable FD)"``. :func:`inspect_ceads_city` runs the same steps without raising for
``viscarbon doctor``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import City, match_city, normalise_key, sector_list_for_year
from viscarbon.errors import BalanceError, DataError, LayoutError, MemoryLimitError, ViscarbonError
from viscarbon.io.files import available_memory, sha256_file, years_in
from viscarbon.io.readers.ceads_city.layouts import (
    BLOCKS,
    FD_PER_CITY,
    MAX_VA_ROWS,
    SECTORS_PER_CITY,
    BlockSpec,
)
from viscarbon.io.readers.ceads_city.matfile import MatValue, load_mat, mat_numeric_bytes
from viscarbon.io.readers.ceads_mrio.layouts import FD_CODES
from viscarbon.model import Axis, IOTable, Provenance

__all__ = ["READ_MEMORY_FACTOR", "CityInspection", "CityTableFile", "check_read_memory", "city_axis",
           "inspect_ceads_city", "read_ceads_city"]

Arr = NDArray[np.float64]
_CODE_RE: Final = re.compile(r"^\d{6}$")
#: Peak memory of a read per byte of the file's numeric variables: the loaded arrays,
#: the table's own read-only copies and the finiteness masks (1 + 1 + 1/8, rounded up).
READ_MEMORY_FACTOR: Final = 2.2
_BLOCK_LABEL: Final = {"Z": "intermediate flows", "FD": "final demand", "VA": "value added",
                       "IM": "imports", "EX": "exports", "GO": "gross output", "cities": "city list"}


@dataclass(frozen=True)
class CityTableFile:
    """The blocks found in one file: the variable each came from (``found``), its shape,
    and the arrays in the reader's orientation."""

    version: str
    n_cities: int
    found: dict[str, str]
    shapes: dict[str, tuple[int, ...]]
    Z: Arr
    Y: Arr
    VA: Arr
    IM: Arr
    EX: Arr
    x: Arr | None
    cities: tuple[str, ...]
    year: int | None


@dataclass(frozen=True)
class CityInspection:
    """What :func:`inspect_ceads_city` found: the MAT ``version``, every variable with its
    shape, the variable each block came from, the balance gaps (worst row and column, 万元,
    with their labels), the cities matched to the concordance, or the ``error``."""

    ok: bool
    version: str = ""
    variables: dict[str, tuple[int, ...]] = field(default_factory=dict)
    found: dict[str, str] = field(default_factory=dict)
    n_cities: int = 0
    matched_cities: int = 0
    year: int | None = None
    worst_row: tuple[str, float, float] = ("", 0.0, 0.0)
    worst_col: tuple[str, float, float] = ("", 0.0, 0.0)
    error: str = ""


def _shape(v: MatValue) -> tuple[int, ...]:
    return (len(v),) if isinstance(v, tuple) else tuple(int(s) for s in v.shape)


def _where(path: Path, var: str | None) -> str:
    return f"file {path.name}" + (f", variable {var}" if var else "")


def _candidates(spec: BlockSpec, variables: dict[str, MatValue]) -> list[str]:
    return [name for name in variables if normalise_key(name) in spec.names]


def _as_vector(path: Path, spec: BlockSpec, var: str, v: MatValue, n: int) -> Arr:
    if isinstance(v, tuple) or not (v.size == n and (v.ndim == 1 or min(v.shape) == 1)):
        raise LayoutError(f"{_BLOCK_LABEL[spec.name]} has shape {_shape(v)}, expected {spec.shape} with n = {n}",
                          where=_where(path, var))
    return np.asarray(v, dtype=np.float64).ravel()


def _pick(path: Path, spec: BlockSpec, variables: dict[str, MatValue],
          fits: Callable[[MatValue], bool] | None = None) -> str | None:
    """The variable of ``spec``: the one with an accepted name, or, when several have
    one, the only one of them whose shape ``fits``."""
    names = _candidates(spec, variables)
    if len(names) > 1 and fits is not None:
        fitting = [k for k in names if fits(variables[k])]
        names = fitting if len(fitting) == 1 else names
    if len(names) > 1:
        raise LayoutError(f"several variables could be the {_BLOCK_LABEL[spec.name]}: {', '.join(names)}",
                          where=_where(path, None), hint="keep one of them in the file")
    if not names:
        if spec.required:
            raise LayoutError(
                f"no {_BLOCK_LABEL[spec.name]} ({spec.name}, shape {spec.shape}) in the file; "
                f"variables: {', '.join(f'{k} {_shape(v)}' for k, v in variables.items()) or 'none'}",
                where=_where(path, None), hint="accepted names: " + ", ".join(spec.names))
        return None
    return names[0]


def _find_z(path: Path, variables: dict[str, MatValue]) -> str:
    spec = BLOCKS[0]
    names = _candidates(spec, variables)
    if not names:  # no accepted name: the one square matrix of a multiple of 42
        names = [k for k, v in variables.items() if not isinstance(v, tuple) and v.ndim == 2
                 and v.shape[0] == v.shape[1] and v.shape[0] % SECTORS_PER_CITY == 0 and v.shape[0] > 1]
    if len(names) != 1:
        return _pick(path, spec, variables) or ""
    return names[0]


def _year_of(path: Path, variables: dict[str, MatValue], year: int | None) -> int | None:
    if year is not None:
        return year
    for k, v in variables.items():
        if normalise_key(k) == "year" and not isinstance(v, tuple) and v.size == 1:
            return int(v.ravel()[0])
    ys = years_in(path.stem)
    return ys[0] if len(ys) == 1 else None


def check_read_memory(path: Path, *, available: int | None = None) -> int:
    """The bytes reading ``path`` needs (:data:`READ_MEMORY_FACTOR` × its numeric
    variables, from the headers alone); a :class:`MemoryLimitError` naming the file, the
    memory needed and the memory available when it does not fit."""
    need = int(READ_MEMORY_FACTOR * mat_numeric_bytes(path))
    avail = available_memory() if available is None else int(available)
    if need > avail:
        raise MemoryLimitError(f"reading this table needs {need / 1e9:.2f} GB of memory, "
                               f"but {avail / 1e9:.2f} GB is available", where=f"file {path.name}",
                               hint="free memory or use a larger machine; nothing was read or written")
    return need


def locate_city_blocks(path: Path, *, year: int | None = None) -> CityTableFile:
    """Load ``path`` and locate every block (see the module docstring); no balance checks.
    The memory the read needs is checked first (:func:`check_read_memory`)."""
    check_read_memory(path)
    version, variables = load_mat(path)
    zvar = _find_z(path, variables)
    Zv = variables[zvar]
    if isinstance(Zv, tuple) or Zv.ndim != 2 or Zv.shape[0] != Zv.shape[1]:
        raise LayoutError(f"intermediate flows have shape {_shape(Zv)}, expected (n, n)", where=_where(path, zvar))
    n = int(Zv.shape[0])
    if n % SECTORS_PER_CITY:
        raise LayoutError(f"intermediate flows have {n} rows, not a multiple of {SECTORS_PER_CITY} sectors",
                          where=_where(path, zvar), hint="expected (n, n) with n = cities × 42")
    C = n // SECTORS_PER_CITY
    found = {"Z": zvar}
    shapes: dict[str, tuple[int, ...]] = {"Z": (n, n)}
    specs = {s.name: s for s in BLOCKS}

    want = (n, FD_PER_CITY * C)
    fdvar = _pick(path, specs["FD"], {k: v for k, v in variables.items() if k != zvar},
                  lambda v: _shape(v) in (want, want[::-1])) or ""
    FDv = variables[fdvar]
    if isinstance(FDv, tuple) or FDv.shape not in (want, want[::-1]):
        raise LayoutError(f"final demand has shape {_shape(FDv)}, expected (n, 5·C) = {want} "
                          f"({C} cities × {FD_PER_CITY} categories)", where=_where(path, fdvar))
    Y = np.asarray(FDv if FDv.shape == want else FDv.T, dtype=np.float64)
    found["FD"], shapes["FD"] = fdvar, _shape(FDv)

    vavar = _pick(path, specs["VA"], variables,
                  lambda v: not isinstance(v, tuple) and v.ndim == 2 and n in v.shape
                  and min(v.shape) <= MAX_VA_ROWS) or ""
    VAv = variables[vavar]
    if isinstance(VAv, tuple) or VAv.ndim > 2:
        raise LayoutError(f"value added has shape {_shape(VAv)}, expected {specs['VA'].shape}",
                          where=_where(path, vavar))
    VA2 = VAv.reshape(1, -1) if VAv.ndim == 1 else VAv
    if VA2.shape[1] == n and VA2.shape[0] <= MAX_VA_ROWS:
        VA = np.asarray(VA2, dtype=np.float64)
    elif VA2.shape[0] == n and VA2.shape[1] <= MAX_VA_ROWS:
        VA = np.asarray(VA2.T, dtype=np.float64)
    else:
        raise LayoutError(f"value added has shape {_shape(VAv)}, expected (m, n) or (n, m) with n = {n}, "
                          f"m ≤ {MAX_VA_ROWS}", where=_where(path, vavar))
    found["VA"], shapes["VA"] = vavar, _shape(VAv)

    vectors: dict[str, Arr] = {}
    for name in ("IM", "EX", "GO"):
        var = _pick(path, specs[name], variables,
                    lambda v: not isinstance(v, tuple) and v.size == n and min(v.shape) == 1)
        if var is None:
            continue
        vectors[name] = _as_vector(path, specs[name], var, variables[var], n)
        found[name], shapes[name] = var, _shape(variables[var])

    cvar = _pick(path, specs["cities"], variables, lambda v: len(v) == C if isinstance(v, tuple) else v.size == C) or ""
    cv = variables[cvar]
    cities = cv if isinstance(cv, tuple) else tuple(
        str(int(c)) if float(c).is_integer() else str(c) for c in np.asarray(cv).ravel())
    if len(cities) != C:
        raise LayoutError(f"the city list has {len(cities)} entries, expected C = {C} (n = {n} rows / 42 sectors)",
                          where=_where(path, cvar))
    found["cities"], shapes["cities"] = cvar, _shape(cv)
    return CityTableFile(version=version, n_cities=C, found=found, shapes=shapes, Z=np.asarray(Zv, dtype=np.float64),
                         Y=Y, VA=VA, IM=vectors["IM"], EX=vectors["EX"], x=vectors.get("GO"), cities=cities,
                         year=_year_of(path, variables, year))


def city_axis(labels: tuple[str, ...]) -> tuple[Axis, tuple[str, ...]]:
    """The region axis of a city table from the file's city labels, and the labels the
    concordance did not know (kept with the file's spelling)."""
    codes: list[str] = []
    en: list[str] = []
    zh: list[str] = []
    unknown: list[str] = []
    for k, text in enumerate(labels):
        c: City | None = match_city(text)
        if c is not None:
            codes.append(c.code)
            en.append(c.name_en)
            zh.append(c.name_zh_hans)
            continue
        unknown.append(text)
        codes.append(text if _CODE_RE.match(text) else f"C{k + 1:03d}")
        en.append(text)
        zh.append(text)
    dup = next((c for c in codes if codes.count(c) > 1), None)
    if dup is not None:
        raise DataError(f"the city list names {dup!r} twice", hint="each city once, in the order of the rows")
    return Axis("region", tuple(codes), tuple(en), tuple(zh), list_id="cn_city"), tuple(unknown)


def read_ceads_city(path: str | Path, *, year: int | None = None) -> IOTable:
    """Read one CEADs city MRIO ``.mat`` file (see the module docstring)."""
    p = Path(path)
    blocks = locate_city_blocks(p, year=year)
    if blocks.year is None:
        raise DataError("the table's year is not in the file name nor in a variable 'year'",
                        where=f"file {p.name}", hint="name the file with its year, e.g. city_mrio_2017.mat")
    for name in ("Z", "FD", "VA", "IM", "EX"):
        arr = {"Z": blocks.Z, "FD": blocks.Y, "VA": blocks.VA, "IM": blocks.IM, "EX": blocks.EX}[name]
        if not np.all(np.isfinite(arr)):
            raise DataError(f"{_BLOCK_LABEL[name]} hold NaN or infinite values", where=_where(p, blocks.found[name]))
    regions, unknown = city_axis(blocks.cities)
    notes = []
    x = blocks.x
    if x is None:
        x = blocks.Z.sum(axis=1) + blocks.Y.sum(axis=1) + blocks.EX
        notes.append("gross output not in the file: x = Z·1 + FD·1 + EX")
    if unknown:
        notes.append("cities not in the concordance (file names kept, province unknown): " + ", ".join(unknown))
    m = blocks.VA.shape[0]
    prov = Provenance(source="CEADs", product="city MRIO", vintage=f"{blocks.year} (MAT v{blocks.version})",
                      file_name=p.name, sha256=sha256_file(p), importer_version=__version__,
                      notes="blocks: " + ", ".join(f"{k}={v}" for k, v in blocks.found.items()))
    try:
        return IOTable(year=blocks.year, regions=regions, sectors=Axis.sectors(sector_list_for_year(blocks.year)),
                       Z=blocks.Z, Y=blocks.Y, fd_categories=Axis.fd_categories(FD_CODES), EX=blocks.EX,
                       IM=blocks.IM, V=blocks.VA,
                       va_rows=Axis("va_row", tuple(f"VA{k + 1:03d}" for k in range(m))), x=x,
                       provenance=(prov,), notes=tuple(notes))
    except BalanceError as exc:
        raise BalanceError(exc.message, where=f"file {p.name}", hint=exc.hint) from None


def _worst(gap: Arr, x: Arr, table_label: Any) -> tuple[str, float, float]:
    rel = np.abs(gap) / np.maximum(np.abs(x), 1.0)
    i = int(np.argmax(rel)) if rel.size else 0
    return (table_label(i), float(gap[i]) if gap.size else 0.0, float(rel[i]) if rel.size else 0.0)


def inspect_ceads_city(path: str | Path) -> CityInspection:
    """:func:`read_ceads_city`'s steps without raising (for ``viscarbon doctor``)."""
    p = Path(path)
    try:
        version, variables = load_mat(p)
    except ViscarbonError as exc:
        return CityInspection(ok=False, error=str(exc))
    shapes = {k: _shape(v) for k, v in variables.items()}
    try:
        b = locate_city_blocks(p)
    except ViscarbonError as exc:
        return CityInspection(ok=False, version=version, variables=shapes, error=str(exc))
    x = b.x if b.x is not None else b.Z.sum(axis=1) + b.Y.sum(axis=1) + b.EX
    S = SECTORS_PER_CITY
    def lab(i: int) -> str:
        return f"{b.cities[i // S]}/{i % S + 1:02d}"
    row = x - (b.Z.sum(axis=1) + b.Y.sum(axis=1) + b.EX)
    col = x - (b.Z.sum(axis=0) + b.IM + b.VA.sum(axis=0))
    matched = sum(match_city(c) is not None for c in b.cities)
    base = CityInspection(ok=True, version=version, variables=shapes, found=b.found, n_cities=b.n_cities,
                          matched_cities=matched, year=b.year, worst_row=_worst(row, x, lab),
                          worst_col=_worst(col, x, lab))
    try:
        read_ceads_city(p)
    except ViscarbonError as exc:
        return CityInspection(**{**base.__dict__, "ok": False, "error": str(exc)})
    return base
