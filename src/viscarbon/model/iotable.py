"""The input-output table of one year (single- or multi-regional).

Symbols follow ``docs/terminology.md`` (Miller & Blair 2009, ch. 2-3):

* ``Z`` (n × n) intermediate flows, 10,000 yuan, rows = supplying region-sector,
  columns = using region-sector, region-major (region r's sectors are
  ``r*S … r*S+S-1``).
* ``Y`` (n × R·K) final demand, columns region-major by category
  (FU101, FU102, FU103, FU201, FU202, Other); ``Other`` holds the statistical
  discrepancy (ERR) of the row's own region so that ``x = Z·1 + Y·1 + EX`` exactly.
* ``EX`` (n,) foreign exports: the final demand of the rest of the world.
* ``IM`` (n,) imports as a row (a primary input, CEADs MRIO); zeros when imports are
  competitive (NBS 2015), where they enter ``Y`` as a negative category ``IMP``.
* ``V`` (m × n) value-added rows (VA001-VA004), ``x`` (n,) gross output.

Balances (checked at construction):
rows ``x_i = Σ_j Z_ij + Σ_c Y_ic + EX_i``; columns ``x_j ≈ Σ_i Z_ij + IM_j + Σ_k V_kj``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import BalanceError, DataError
from viscarbon.model._arrays import frozen
from viscarbon.model.axes import Axis
from viscarbon.model.provenance import Provenance

__all__ = ["IMPORT_TREATMENTS", "IOTable", "io_balance_gaps"]

IMPORT_TREATMENTS: Final = ("noncompetitive_row", "competitive", "noncompetitive_block")

Arr = NDArray[np.float64]
Locator = Callable[[str, int], str]


def io_balance_gaps(Z: Arr, Y: Arr, EX: Arr, IM: Arr, V: Arr, x: Arr) -> tuple[Arr, Arr]:
    """Row and column gaps of a table, in the table's unit.

    ``row_gap = x − (Z·1 + Y·1 + EX)``; ``col_gap = x − (1ᵀZ + IM + 1ᵀV)``.
    """
    row = x - (Z.sum(axis=1) + Y.sum(axis=1) + EX)
    col = x - (Z.sum(axis=0) + IM + V.sum(axis=0))
    return row, col


@dataclass(frozen=True)
class IOTable:
    """One year's (MR)IO table, validated at construction. See the module docstring."""

    year: int
    regions: Axis
    sectors: Axis
    Z: Arr
    Y: Arr
    fd_categories: Axis
    EX: Arr
    IM: Arr
    V: Arr
    va_rows: Axis
    x: Arr
    unit: str = "10k_yuan"
    provenance: tuple[Provenance, ...] = ()
    imports_treatment: str = "noncompetitive_row"
    extras: Mapping[str, Arr] = field(default_factory=dict)
    row_rtol: float = 1e-6
    col_rtol: float = 1e-3
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        R, S, K, m = len(self.regions), len(self.sectors), len(self.fd_categories), len(self.va_rows)
        n = R * S
        set_ = object.__setattr__
        set_(self, "Z", frozen(self.Z, name="Z", shape=(n, n)))
        set_(self, "Y", frozen(self.Y, name="Y", shape=(n, R * K)))
        set_(self, "EX", frozen(self.EX, name="EX", shape=(n,)))
        set_(self, "IM", frozen(self.IM, name="IM", shape=(n,)))
        set_(self, "V", frozen(self.V, name="V", shape=(m, n)))
        set_(self, "x", frozen(self.x, name="x", shape=(n,)))
        set_(self, "extras", {k: frozen(v, name=k, allow_nan=True) for k, v in self.extras.items()})
        if self.imports_treatment not in IMPORT_TREATMENTS:
            raise DataError(f"unknown imports treatment {self.imports_treatment!r}",
                            hint="use one of: " + ", ".join(IMPORT_TREATMENTS))
        check_io_balances(self)

    # ------------------------------------------------------------------ shape helpers
    @property
    def n(self) -> int:
        """Number of region-sectors (rows of Z)."""
        return len(self.regions) * len(self.sectors)

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def label(self, i: int) -> str:
        """``"GD/25"`` for row or column ``i``."""
        S = self.n_sectors
        return f"{self.regions.codes[i // S]}/{self.sectors.codes[i % S]}"

    def region_slice(self, region: str) -> slice:
        """The rows (and columns) of one region."""
        r = self.regions.index(region)
        S = self.n_sectors
        return slice(r * S, (r + 1) * S)

    def y_total(self) -> Arr:
        """Total final demand per row including exports: ``y = Y·1 + EX`` (so ``x = L y``)."""
        out: Arr = self.Y.sum(axis=1) + self.EX
        return out

    def Y_by_region(self) -> Arr:
        """Final demand aggregated over categories per destination region (n × R)."""
        R, K = self.n_regions, len(self.fd_categories)
        out: Arr = self.Y.reshape(self.n, R, K).sum(axis=2)
        return out

    @property
    def synthetic(self) -> bool:
        return any(p.synthetic for p in self.provenance)

    @property
    def empty_sectors(self) -> tuple[int, ...]:
        """Rows whose gross output is zero (with no flows at all): kept, marked empty."""
        return tuple(int(i) for i in np.flatnonzero(self.x == 0))


def check_io_balances(table: IOTable, *, locate: Locator | None = None) -> None:
    """Raise :class:`BalanceError` at the first failing row or column.

    Gross output must be positive, or zero for an empty sector (no flows in its row and
    column); negative inventory changes and negative ERR cells are valid. ``locate``
    maps ``("row" | "col" | "x", index)`` to a file/sheet/cell description for messages.
    """
    where_of = locate or (lambda kind, i: "")
    unit = "万元" if table.unit == "10k_yuan" else table.unit
    x = table.x
    neg = np.flatnonzero(x < 0)
    if neg.size:
        i = int(neg[0])
        raise BalanceError(
            f"negative gross output at {table.label(i)} ({x[i]:.6g} {unit})",
            where=where_of("x", i) or None,
            hint="gross output must be positive; check the GO column",
        )
    zero = np.flatnonzero(x == 0)
    for i in (int(v) for v in zero):
        if np.any(table.Z[i, :] != 0) or np.any(table.Z[:, i] != 0):
            raise BalanceError(
                f"zero gross output at {table.label(i)} while it has intermediate flows",
                where=where_of("x", i) or None,
                hint="a sector with flows must have a positive gross output",
            )
    row, col = io_balance_gaps(table.Z, table.Y, table.EX, table.IM, table.V, x)
    scale = np.maximum(np.abs(x), 1.0)
    bad_rows = np.flatnonzero(np.abs(row) > table.row_rtol * scale)
    if bad_rows.size:
        i = int(bad_rows[0])
        raise BalanceError(
            f"row balance fails at {table.label(i)} (gap {row[i]:.3g} {unit}: gross output "
            f"{x[i]:.6g} vs intermediate use + final demand + exports); "
            f"{bad_rows.size} row(s) fail",
            where=where_of("row", i) or None,
        )
    bad_cols = np.flatnonzero(np.abs(col) > table.col_rtol * scale)
    if bad_cols.size:
        j = int(bad_cols[0])
        raise BalanceError(
            f"column balance fails at {table.label(j)} (gap {col[j]:.3g} {unit}: gross output "
            f"{x[j]:.6g} vs intermediate input + imports + value added); "
            f"{bad_cols.size} column(s) fail",
            where=where_of("col", j) or None,
        )
