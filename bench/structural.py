"""Benchmark of the structural analyses on the full demo MRIO (31 regions × 42 sectors = 1302).

``run()`` returns (and prints) lines with the times of: the year's factorisation (once,
shared with the engine), SPA (the sorted-children table once per year, then a province
footprint at depth 6 / threshold 1e-4 of its total, median of repeated runs, and all 31
provinces), sda 2012→2017 (polar and Shapley, all 32 destinations, with the years' cached
LU factors), hypothetical extraction and linkages. ``bench/engine.py`` imports ``run``;
run this file directly to pin BLAS to one thread first::

    .venv/bin/python bench/structural.py
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable


def _median(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> list[str]:
    """Time SPA, sda, extraction and linkages on the 1302-sector demo; print and return lines."""
    from viscarbon.analysis import Workspace
    from viscarbon.demo import demo_dataset

    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    demo_dataset()  # build the demo outside the timings
    sa = Workspace()
    t0 = time.perf_counter()
    for year in (2012, 2015, 2017):
        _ = sa.year("demo", year).coefficients
    say(f"structural: factorise 3 demo years (n=1302, incl. CO2 satellites): {time.perf_counter() - t0:.3f} s")

    t0 = time.perf_counter()
    sa.year("demo", 2017).children()
    say(f"spa: sorted-children table (once per year): {time.perf_counter() - t0:.3f} s")
    res = sa.year("demo", 2017).spa(region="GD", depth=6, threshold=1e-4, top=50)
    med = _median(lambda: sa.year("demo", 2017).spa(region="GD", depth=6, threshold=1e-4, top=50))
    cov = res.coverage or 0.0
    say(f"spa: GD footprint 2017, depth 6, threshold 1e-4 of total: median {med * 1e3:.1f} ms "
        f"({res.n_paths} paths ≥ {res.threshold_mt:.3g} Mt, {res.n_nodes} tree nodes, coverage {cov:.1%}, "
        f"top 50 explain {res.top_coverage or 0.0:.1%})")
    from viscarbon.classification import region_codes

    t0 = time.perf_counter()
    for code in region_codes():
        sa.year("demo", 2017).spa(region=code, depth=6, threshold=1e-4, top=50)
    say(f"spa: all 31 province footprints, depth 6, threshold 1e-4: {time.perf_counter() - t0:.3f} s")
    deep = sa.year("demo", 2017).spa(region="GD", depth=8, threshold=1e-6, top=50)
    say(f"spa: GD footprint, depth 8, threshold 1e-6: {deep.seconds:.3f} s "
        f"({deep.n_paths} paths, {deep.n_nodes} nodes, coverage {deep.coverage or 0.0:.1%})")

    for method in ("polar", "shapley"):
        med = _median(lambda m=method: sa.sda("demo", 2012, 2017, method=m))  # type: ignore[misc]
        say(f"sda: 2012→2017, 32 destinations, {method}: median {med * 1e3:.1f} ms (cached LU factors)")

    med = _median(lambda: sa.year("demo", 2017).extract(sector="25"), repeat=5)
    say(f"extraction: power sector in all 31 regions (reduced 1271 system): median {med * 1e3:.1f} ms")
    med = _median(lambda: sa.year("demo", 2017).extract(region="GD"), repeat=5)
    say(f"extraction: GD province (reduced 1260 system): median {med * 1e3:.1f} ms")
    med = _median(lambda: sa.year("demo", 2017).key_sectors(region="GD"))
    say(f"linkages: GD rows of the full MRIO (cached LU): median {med * 1e3:.1f} ms")
    med = _median(lambda: sa.year("demo", 2017).key_sectors(region="GD", isolated=True))
    say(f"linkages: GD own block (42 × 42): median {med * 1e3:.1f} ms")
    return lines


if __name__ == "__main__":
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    run()
