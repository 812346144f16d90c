"""Build the front end into ``src/viscarbon/web/static/dist`` (npm registry packages,
bundled with esbuild; no CDN). Skips the build when the output is newer than the inputs.

Run by ``scripts/dev.sh`` and by the hatch build hook (``scripts/hatch_build.py``), so a
wheel carries the built assets and ``pip install`` of it needs no Node.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
DIST = ROOT / "src" / "viscarbon" / "web" / "static" / "dist"


def _newest(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def needs_build() -> bool:
    stamp = DIST / ".stamp"
    if not stamp.exists():
        return True
    inputs = [p for p in FRONTEND.rglob("*") if "node_modules" not in p.parts]
    return _newest(inputs) > stamp.stat().st_mtime


def build(force: bool = False) -> None:
    if not (FRONTEND / "package.json").exists():
        print("no frontend/package.json: nothing to build", file=sys.stderr)
        return
    if not force and not needs_build():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to build the front end (Debian: apt-get install nodejs npm)")
    lock = FRONTEND / "package-lock.json"
    install = [npm, "ci"] if lock.exists() else [npm, "install"]
    subprocess.run([*install, "--no-audit", "--no-fund", "--loglevel=error"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "--silent", "build"], cwd=FRONTEND, check=True)
    DIST.mkdir(parents=True, exist_ok=True)
    (DIST / ".stamp").write_text("built\n")


if __name__ == "__main__":
    build(force="--force" in sys.argv)
