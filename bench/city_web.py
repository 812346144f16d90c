"""Benchmark: the City tab's one request, ``GET /api/city-view``, once the year is set up.

Two years, BLAS pinned to ``--threads`` (default 1; the machine is shared):

* the demo's synthetic city table (``demo-city``, 2017): in-process ASGI requests
  (FastAPI ``TestClient``: routing, decoding, the analysis lookup, the payload and its JSON)
  after one warm-up request has set the year up; the median over every city of the table
  in both languages, each request a different (city, language), so none is answered from
  the payload cache;
* a generated 313-city year (13,146 sectors; ``bench/city.py``'s generator: dense 42 × 42
  city blocks, 1 % scattered inter-city cells): set up once with
  :func:`viscarbon.analysis.city.city_year_from_flows` (the iterative path the engine
  picks for it), then the work of one request beyond routing, i.e. the view-model
  :func:`viscarbon.web.views.city.city_view_payload` and its JSON encoding, median over
  ``--views`` different cities.

Prints the setup time and the medians (ms), one JSON line each.

    .venv/bin/python bench/city_web.py [--threads 1] [--cities 313] [--views 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--cities", type=int, default=313)
ap.add_argument("--views", type=int, default=60)
ap.add_argument("--inter-density", type=float, default=0.01)
ARGS = ap.parse_args()
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from viscarbon.analysis import Workspace  # noqa: E402
from viscarbon.analysis.city import city_year_from_flows  # noqa: E402
from viscarbon.classification import cities  # noqa: E402
from viscarbon.datasets import DatasetInfo  # noqa: E402
from viscarbon.web.app import create_app  # noqa: E402
from viscarbon.web.deps import dumps  # noqa: E402
from viscarbon.web.views.city import city_view_payload  # noqa: E402

S = 42


def demo() -> dict[str, object]:
    ws = Workspace()
    client = TestClient(create_app(workspace=ws, allowed_hosts=("testserver",)))
    t0 = time.perf_counter()
    first = client.get("/api/city-view?dataset=demo-city&year=2017&lang=en")
    first.raise_for_status()
    setup = time.perf_counter() - t0
    codes = [c["code"] for c in client.get("/api/cities?dataset=demo-city&year=2017").json()["cities"] if c["covered"]]
    times = []
    for lang in ("en", "zh-Hans"):
        for code in codes:
            t1 = time.perf_counter()
            r = client.get(f"/api/city-view?dataset=demo-city&year=2017&city={code}&lang={lang}")
            times.append(time.perf_counter() - t1)
            r.raise_for_status()
    cy = ws.city_year("demo-city", 2017)
    return {"table": "demo-city 2017", "cities": len(codes), "sectors": len(codes) * S,
            "method": cy.plan.method, "first_request_s": round(setup, 3), "setup_s": round(cy.setup_seconds, 3),
            "requests": len(times), "median_ms": round(1e3 * statistics.median(times), 2),
            "max_ms": round(1e3 * max(times), 2), "bytes": len(first.content)}


def generated() -> dict[str, object]:
    import tempfile

    from city import generate  # bench/city.py
    with tempfile.TemporaryDirectory(prefix="viscarbon-city-web-") as tmp:
        path = Path(tmp) / "year.npz"
        gen = generate(path, ARGS.cities, ARGS.inter_density)
        d = np.load(path)
        n = d["x"].size
        Z = sp.csc_array((d["data"], d["indices"], d["indptr"]), shape=(n, n))
        x, Yr, EX, F = d["x"], d["Yr"], d["EX"], d["F"]
    R = n // S
    known = cities()
    codes = [known[k].code if k < len(known) else f"C{k + 1:03d}" for k in range(R)]
    va = 0.35 * x
    info = DatasetInfo(name="generated", kind="ceads-city-mrio", years=(2017,), citation="generated", synthetic=True,
                       regions=tuple(codes), sector_list="io42_2017", sectors=tuple(f"{k + 1:02d}" for k in range(S)))
    t0 = time.perf_counter()
    cy = city_year_from_flows(info, 2017, codes, info.sectors, Z=Z, x=x, Y_regions=Yr, EX=EX, F=F, value_added=va)
    setup = time.perf_counter() - t0
    picks = [codes[int(k)] for k in np.linspace(0, R - 1, min(ARGS.views, R))]
    times = []
    size = 0
    for k, code in enumerate(picks):
        t1 = time.perf_counter()
        body = dumps(city_view_payload(info, cy, code, lang="en" if k % 2 else "zh-Hans"))
        times.append(time.perf_counter() - t1)
        size = len(body)
    # the first call computes every city's figures once (cached on the year)
    return {"table": f"generated {R} cities", "sectors": n, "nnz": gen["nnz"], "method": cy.plan.method,
            "setup_s": round(setup, 2), "views": len(times), "first_ms": round(1e3 * times[0], 2),
            "median_ms": round(1e3 * statistics.median(times), 2), "max_ms": round(1e3 * max(times), 2),
            "bytes": size}


def main() -> None:
    print(f"BLAS threads {ARGS.threads}", flush=True)
    print(json.dumps(demo()), flush=True)
    print(json.dumps(generated()), flush=True)


if __name__ == "__main__":
    main()
