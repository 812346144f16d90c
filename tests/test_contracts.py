"""The import-linter contracts of pyproject.toml hold, and fail the build when broken.

A copy of the package gets one forbidden import per contract planted in it; lint-imports
run on that copy must report every contract broken (and the clean tree none)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")

#: module of the copy → the import that breaks one contract
PLANTED = {
    "web/views/common.py": "import viscarbon.calc.leontief",          # web only shapes: no calc
    "web/deps.py": "import viscarbon.io.readers.nbs",                 # ... and no io
    "io/files.py": "import viscarbon.calc.network",                   # io computes nothing
    "harmonize/co2.py": "import viscarbon.io.files",                  # harmonize never touches paths
    "calc/arrays.py": "import pandas",                                # calc is pure numerics
    "datasets/resolved.py": "import viscarbon.web.views.common",      # the library never imports web
    "model/satellite.py": "import viscarbon.analysis.results",        # layers: only downward
}


def _lint(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT), "--config", str(config), "--no-cache"], cwd=config.parent, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LINT.exists():
        pytest.fail(f"lint-imports not installed beside {sys.executable}")
    base = tmp_path_factory.mktemp("contracts")
    shutil.copyfile(ROOT / "pyproject.toml", base / "pyproject.toml")
    return base / "pyproject.toml"


def test_the_tree_keeps_every_contract(config: Path) -> None:
    res = _lint(ROOT / "src", config)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "BROKEN" not in res.stdout


def test_a_planted_forbidden_import_breaks_each_contract(config: Path) -> None:
    src = config.parent / "src"
    shutil.copytree(ROOT / "src" / "viscarbon", src / "viscarbon",
                    ignore=shutil.ignore_patterns("__pycache__", "dist", "node_modules"))
    for rel, line in PLANTED.items():
        path = src / "viscarbon" / rel
        text = path.read_text(encoding="utf-8")
        head, sep, rest = text.partition("from __future__ import annotations\n")
        path.write_text(head + sep + line + "  # planted by tests/test_contracts.py\n" + rest, encoding="utf-8")
    res = _lint(src, config)
    assert res.returncode != 0, res.stdout
    broken = [ln for ln in res.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    kept = [ln for ln in res.stdout.splitlines() if ln.rstrip().endswith("KEPT")]
    assert not kept, kept
    assert len(broken) == 6, res.stdout
