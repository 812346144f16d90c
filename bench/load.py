"""Load benchmark of the dashboard's API (a benchmark, not a test).

Starts ``viscarbon serve`` itself on a free loopback port, then runs N concurrent clients
(threads, one ``httpx.Client`` each) that switch province-years for ``--seconds`` (default 60):
every step picks a random year and region and asks for ``/api/view`` (what the page loads on
"Load"), then with some probability ``/api/network`` (server-side pruning, random mode/p/k) or
``/api/provinces``. Reports requests served, errors (target 0), p50/p95/max latency and
throughput. Bounded and self-stopping: clients stop at the deadline, the server is terminated
at the end. Three runs:

1. an empty store (the demo only);
2. the same demo workload on a real store: the 21 shared CEADs inventories, the national
   inventory, the NBS tables and a generated full-size CEADs MRIO workbook (the demo's 2017
   table written in the CEADs layout) linked to them: goal ≥ 0.8 × run 1's requests per
   second and p95 < 150 ms (store reads must stay off the hot path);
3. the store's own MRIO dataset under the same load (for information).

Before the load it also measures, in process, the time of a whole ``/api/view`` for a
province-year not requested before once its year's factorisation is cached (target
< 50 ms), through the app's own route with FastAPI's TestClient.

    python bench/load.py [--seconds 60] [--clients 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from serving import serving  # noqa: E402  (tests/ put on sys.path above)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, round(q / 100.0 * (len(v) - 1))))
    return v[k]


def view_timing(regions: int = 12) -> tuple[float, float, float]:
    """Median / max time (ms) of an uncached /api/view in a cached year, and the time
    (ms) of the year's first request (factorisation + indicators), in process."""
    from fastapi.testclient import TestClient

    from viscarbon.web.app import create_app

    client = TestClient(create_app(allowed_hosts=("testserver",)))
    t0 = time.perf_counter()
    assert client.get("/api/view?year=2017&region=GD").status_code == 200
    first = (time.perf_counter() - t0) * 1e3
    times = []
    for region in ("BJ", "SH", "SX", "NM", "JS", "ZJ", "SD", "HA", "HB", "SC", "XJ", "XZ")[:regions]:
        t0 = time.perf_counter()
        r = client.get(f"/api/view?year=2017&region={region}")
        times.append((time.perf_counter() - t0) * 1e3)
        assert r.status_code == 200
    return statistics.median(times), max(times), first


def real_store(folder: Path) -> Path:
    """A store with the shared real data and a generated full-size MRIO workbook."""
    from viscarbon.demo import demo_dataset
    from viscarbon.ingest import import_files
    from viscarbon.io.writers import write_ceads_mrio

    shared = ROOT.parent / "shared" / "data"
    store = folder / "store.duckdb"
    t0 = time.perf_counter()
    import_files(store, "ceads-inventory", sorted((shared / "ceads" / "inventories").glob("*.xlsx")), name="inv")
    import_files(store, "ceads-inventory",
                 [shared / "ceads" / "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"])
    import_files(store, "nbs-io", sorted((shared / "nbs").glob("*.csv")), name="nbs")
    wb = write_ceads_mrio(demo_dataset().table(2017), folder / "MRIO_2017.xlsx", layout="2012-2017")
    import_files(store, "ceads-mrio", [wb], name="mrio", inventory="inv")
    print(f"real store: 21 provincial inventories, the national inventory, {len(list((shared / 'nbs').glob('*.csv')))} "
          f"NBS tables, a 1302-sector MRIO workbook: built in {time.perf_counter() - t0:.1f} s", flush=True)
    return store


def run(seconds: float, clients: int, seed: int) -> int:
    med, worst, first = view_timing()
    print(f"in-process /api/view, uncached province-year in a cached year: median {med:.1f} ms, "
          f"max {worst:.1f} ms (target < 50 ms); first request of a year (factorisation): {first:.0f} ms")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="viscarbon-load-") as tmp:
        folder = Path(tmp)
        empty = load(folder / "empty.duckdb", folder / "empty.log", "demo", seconds, clients, seed)
        store = real_store(folder)
        with_store = load(store, folder / "store.log", "demo", seconds, clients, seed)
        own = load(store, folder / "own.log", "mrio", seconds, clients, seed)
    for label, res in (("demo, empty store", empty), ("demo, real store", with_store),
                       ("stored MRIO dataset", own)):
        print(f"[{label}] {res['text']}")
        failed |= res["errors"] > 0
    ratio = with_store["rps"] / empty["rps"] if empty["rps"] else float("nan")
    print(f"with a real store: {ratio:.2f} × the requests per second of the demo alone (goal ≥ 0.8), "
          f"p95 {with_store['p95']:.0f} ms (goal < 150 ms)")
    return 1 if failed else 0


def load(store: Path, log: Path, dataset: str, seconds: float, clients: int, seed: int) -> dict[str, Any]:
    """One load run against a server on ``store``, asking for ``dataset``."""
    with serving(store, log, timeout=120) as (_, base):
        meta = httpx.get(base + "/api/meta", timeout=60).json()
        ds = next(d for d in meta["datasets"] if d["name"] == dataset)
        years, regions = ds["years"], ds["regions"]
        for year in years:  # each year factorised once before the clock starts, as in run 1
            httpx.get(base + "/api/view", params={"dataset": dataset, "year": year, "region": regions[0]},
                      timeout=300)
        lat: list[list[float]] = [[] for _ in range(clients)]
        errors: list[list[str]] = [[] for _ in range(clients)]
        deadline = time.monotonic() + seconds

        def client(i: int) -> None:
            rnd = random.Random(seed * 1000 + i)
            with httpx.Client(base_url=base, timeout=30.0, headers={"Accept-Encoding": "gzip"}) as c:
                while time.monotonic() < deadline:
                    year, region = rnd.choice(years), rnd.choice(regions)
                    urls = [f"/api/view?dataset={ds['name']}&year={year}&region={region}"]
                    u = rnd.random()
                    if u < 0.4:
                        mode = rnd.choice(("money", "carbon"))
                        urls.append(f"/api/network?dataset={ds['name']}&year={year}&region={region}&mode={mode}"
                                    f"&top={rnd.choice((1, 2, 5, 10))}&keep={rnd.randint(0, 5)}")
                    elif u < 0.5:
                        urls.append(f"/api/provinces?dataset={ds['name']}&year={year}"
                                    f"&indicator={rnd.choice(('co2', 'output', 'cba_co2'))}")
                    for url in urls:
                        if time.monotonic() >= deadline:
                            return
                        t0 = time.perf_counter()
                        try:
                            r = c.get(url)
                            ok = r.status_code == 200
                            if ok:
                                r.content  # noqa: B018 - read the whole body
                            else:
                                errors[i].append(f"{r.status_code} {url}")
                        except httpx.HTTPError as exc:
                            ok = False
                            errors[i].append(f"{type(exc).__name__} {url}")
                        if ok:
                            lat[i].append((time.perf_counter() - t0) * 1e3)

        t_start = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=seconds + 60)
        elapsed = time.monotonic() - t_start
        alive = sum(th.is_alive() for th in threads)
    all_lat = [x for li in lat for x in li]
    all_err = [e for el in errors for e in el]
    for e in all_err[:5]:
        print("  error:", e)
    rps = len(all_lat) / elapsed
    text = (f"clients {clients}, {seconds:.0f} s ({elapsed:.1f} s wall), province-years {len(years) * len(regions)}: "
            f"requests served {len(all_lat)}, errors {len(all_err)} (target 0), {rps:.1f} req/s; "
            f"latency p50 {percentile(all_lat, 50):.1f} ms, p95 {percentile(all_lat, 95):.1f} ms, "
            f"max {max(all_lat, default=float('nan')):.1f} ms"
            + (f"; {alive} client threads still running" if alive else ""))
    print(text, flush=True)
    return {"text": text, "rps": rps, "p95": percentile(all_lat, 95), "errors": len(all_err)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="duration of the load (default 60)")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    raise SystemExit(run(args.seconds, args.clients, args.seed))


if __name__ == "__main__":
    main()
