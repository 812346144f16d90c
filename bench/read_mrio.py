"""Benchmark: reading a full-size CEADs MRIO workbook (31 × 42 = 1302 region-sectors).

Generates a random balanced 1302-sector table, writes it with
:func:`viscarbon.io.writers.ceads_mrio.write_ceads_mrio` (layout 2012-2017, sheet
``Table_2017_consistent``, 1318 rows × 1465 columns) into a temporary folder, then times,
in the same run, the median of ``--repeat`` reads of

* ``viscarbon.io.readers.ceads_mrio.reader.read_ceads_mrio`` (python-calamine, located, checked, an IOTable), and
* ``pandas.read_excel(engine="openpyxl")`` of the same sheet (a raw DataFrame, no checks).

The last line prints both medians and their ratio. Needs pandas and openpyxl (test extras).

    .venv/bin/python bench/read_mrio.py [--repeat 3] [--regions 31] [--layout 2012-2017]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from viscarbon.model import IOTable


def balanced_table(n_regions: int, *, seed: int = 0) -> IOTable:
    """A random MRIO table whose rows and columns close: x = Z·1 + Y·1 + EX = 1ᵀZ + IM + 1ᵀV."""
    from viscarbon.classification import region_codes
    from viscarbon.io.readers.ceads_mrio.reader import va_axis
    from viscarbon.model import Axis, IOTable

    rng = np.random.default_rng(seed)
    regions = region_codes()[:n_regions]
    R, S, K = len(regions), 42, 6
    n = R * S
    Z = rng.uniform(0.0, 1e3, (n, n)) * (rng.random((n, n)) < 0.3)
    Y = rng.uniform(0.0, 20.0 * n, (n, R * K))
    Y[:, K - 1::K] = 0.0
    for r in range(R):  # ERR in the own region's "Other"
        Y[r * S:(r + 1) * S, r * K + K - 1] = rng.normal(0.0, 5.0 * n, S)
    EX = rng.uniform(0.0, 100.0 * n, n)
    x = Z.sum(1) + Y.sum(1) + EX
    resid = x - Z.sum(0)
    IM = 0.1 * resid
    V = np.outer([0.4, 0.1, 0.15, 0.35], resid - IM)
    return IOTable(year=2017, regions=Axis.regions(regions), sectors=Axis.sectors("io42_2012"), Z=Z,
                   Y=Y, fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V, va_rows=va_axis(),
                   x=x, extras={"co2_row": rng.gamma(0.5, 0.2, n)})


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--regions", type=int, default=31)
    ap.add_argument("--layout", default="2012-2017", choices=("2012-2017", "2018-2020"))
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    import pandas as pd

    from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio
    from viscarbon.io.writers.ceads_mrio import write_ceads_mrio

    table = balanced_table(args.regions)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "CEADs_MRIO_2017_bench.xlsx"
        t0 = time.perf_counter()
        write_ceads_mrio(table, path, layout=args.layout)
        t_write = time.perf_counter() - t0
        back = read_ceads_mrio(path)
        assert np.allclose(back.Z, table.Z, rtol=1e-12) and np.allclose(back.x, table.x, rtol=1e-12)
        sheet = back.provenance[0].sheet
        print(f"workbook: {table.n} region-sectors, sheet {sheet!r}, "
              f"{path.stat().st_size / 1e6:.1f} MB, written in {t_write:.2f} s")

        def ours() -> object:
            return read_ceads_mrio(path)

        def theirs() -> object:
            return pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")

        m_ours, all_ours = median_time(ours, args.repeat)
        print("read_ceads_mrio runs: " + ", ".join(f"{s:.2f}" for s in all_ours) + " s")
        m_pd, all_pd = median_time(theirs, args.repeat)
        print("pandas.read_excel(openpyxl) runs: " + ", ".join(f"{s:.2f}" for s in all_pd) + " s")
    print(f"median of {args.repeat}: read_ceads_mrio {m_ours:.2f} s, "
          f"pandas.read_excel(openpyxl) {m_pd:.2f} s, ratio {m_pd / m_ours:.1f}x faster")


if __name__ == "__main__":
    main()
