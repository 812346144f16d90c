"""Benchmark of the static export (a benchmark, not a test): ``viscarbon export-site`` of the
embedded demo, in a fresh process (the demo built and every year factorised inside the
timing, as a user runs it), median of ``--repeat`` runs; prints the time, the number of
files and the size, against the goals (under 15 s on 2 cores, under 15 MB).

    python bench/site.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    times, sizes, files = [], [], []
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "site"
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "from viscarbon.cli import main; main()", "export-site", str(out),
                            "--store", str(Path(tmp) / "none.duckdb")], check=True, cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
            paths = [p for p in out.rglob("*") if p.is_file()]
            files.append(len(paths))
            sizes.append(sum(p.stat().st_size for p in paths))
    print(f"export-site demo (fresh process, BLAS 1 thread): median {statistics.median(times):.1f} s "
          f"[{', '.join(f'{t:.1f}' for t in times)}] (goal < 15 s)")
    print(f"site: {files[-1]} files, {sizes[-1] / 1e6:.1f} MB (goal < 15 MB); "
          f"payloads rounded to 6 significant digits, view bundles compact, language-neutral parts shared")


if __name__ == "__main__":
    main()
