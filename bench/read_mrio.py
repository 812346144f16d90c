"""Benchmark: reading and importing full-size CEADs MRIO workbooks (31 × 42 = 1302
region-sectors) in layout variants.

For each workbook it times, in the same run, the median of ``--repeat`` runs of

* ``viscarbon.io.readers.ceads_mrio.reader.read_ceads_mrio`` (python-calamine, located by
  content, checked, an IOTable),
* ``viscarbon.ingest.import_files(..., "ceads-mrio", ...)`` into a fresh store (read,
  validate, write the DuckDB store atomically), and
* ``pandas.read_excel(engine="openpyxl")`` of the same sheet (a raw DataFrame, no checks),

and prints the medians and the ratio pandas / import. Workbooks: ``writer`` (the package's
writer, documented 2012-2017 layout, sheet ``Table_2017_consistent``) and the full-size
variants of ``tests/mrio_variants.py`` (``a-full-issue``: title row, Chinese region names
in merged cells, regions only on each block's first row; ``b-full-text-rounded``: numbers
stored as text, rounded to 0.01 万元, Chinese+English names once per span, codes as
numbers). Needs pandas and openpyxl (test extras).

    .venv/bin/python bench/read_mrio.py [--repeat 3] [--variants writer,a-full-issue,b-full-text-rounded]
"""

from __future__ import annotations

import argparse
import statistics
import sys
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


def _workbook(name: str, folder: Path) -> tuple[Path, str]:
    """Write workbook ``name`` (``writer`` or a full-size variant); returns (path, what)."""
    from viscarbon.io.writers.ceads_mrio import write_ceads_mrio

    if name == "writer":
        path = folder / "CEADs_MRIO_2017_bench.xlsx"
        write_ceads_mrio(balanced_table(31), path, layout="2012-2017")
        return path, "the package's writer, documented 2012-2017 layout"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from mrio_fixtures import random_mrio
    from mrio_variants import VARIANTS, write_variant
    from viscarbon.classification import region_codes

    v = next((x for x in VARIANTS if x.name == name and x.full), None)
    if v is None:
        raise SystemExit(f"unknown variant {name!r}; full-size variants: "
                         + ", ".join(x.name for x in VARIANTS if x.full))
    table = random_mrio(region_codes(), year=v.year, list_id=v.list_id, seed=17, density=0.25)
    return write_variant(table, v, folder).path, v.features()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--variants", default="writer,a-full-issue,b-full-text-rounded")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    import pandas as pd

    from viscarbon.ingest import import_files
    from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio

    summary = []
    with tempfile.TemporaryDirectory() as d:
        for name in [v.strip() for v in args.variants.split(",") if v.strip()]:
            folder = Path(d) / name
            folder.mkdir()
            t0 = time.perf_counter()
            path, what = _workbook(name, folder)
            t_write = time.perf_counter() - t0
            back = read_ceads_mrio(path)
            sheet = back.provenance[0].sheet
            print(f"[{name}] {what}: {back.n} region-sectors, sheet {sheet!r}, "
                  f"{path.stat().st_size / 1e6:.1f} MB, written in {t_write:.1f} s")
            counter = [0]

            def ours(path: Path = path) -> object:
                return read_ceads_mrio(path)

            def imported(path: Path = path, folder: Path = folder, counter: list[int] = counter) -> object:
                counter[0] += 1
                return import_files(folder / f"store{counter[0]}.duckdb", "ceads-mrio", [path], name="bench")

            def theirs(path: Path = path, sheet: str = sheet) -> object:
                return pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")

            m_read, all_read = median_time(ours, args.repeat)
            m_imp, all_imp = median_time(imported, args.repeat)
            m_pd, all_pd = median_time(theirs, args.repeat)
            for label, runs in (("read_ceads_mrio", all_read), ("import_files", all_imp),
                                ("pandas.read_excel(openpyxl)", all_pd)):
                print(f"  {label} runs: " + ", ".join(f"{x:.2f}" for x in runs) + " s")
            summary.append((name, m_read, m_imp, m_pd))
    for name, m_read, m_imp, m_pd in summary:
        print(f"median of {args.repeat} [{name}]: read_ceads_mrio {m_read:.2f} s, import {m_imp:.2f} s, "
              f"pandas.read_excel(openpyxl) {m_pd:.2f} s; pandas / import {m_pd / m_imp:.1f}x, "
              f"pandas / read {m_pd / m_read:.1f}x")


if __name__ == "__main__":
    main()
