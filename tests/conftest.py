"""Shared test fixtures.

Real public data lives in ``../shared/data`` beside the repository; tests that read it
are marked ``realdata`` and skip when it is absent on a user's machine, but fail when
``CI=true`` (CI always has it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()
SHARED_REFERENCE = (ROOT.parent / "shared" / "reference").resolve()


def absent(what: str) -> NoReturn:
    """Something a test needs is absent: fail under ``CI=true`` (CI always has it), skip
    on a user's machine (e.g. without ``../shared`` or without Node.js)."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{what} is missing under CI=true")
    pytest.skip(f"{what} is not present (skipped outside CI, fails under CI=true)")


def _require(path: Path) -> Path:
    if not path.exists():
        absent(f"real data {path} (the shared folder)")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (skips when absent, fails when absent under CI=true)."""
    return _require(SHARED_DATA)


@pytest.fixture(scope="session")
def inventory_dir(shared_data: Path) -> Path:
    return _require(shared_data / "ceads" / "inventories")


@pytest.fixture(scope="session")
def nbs_dir(shared_data: Path) -> Path:
    return _require(shared_data / "nbs")


@pytest.fixture()
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store file path; VISCARBON_STORE points at it for CLI runs."""
    p = tmp_path / "store.duckdb"
    monkeypatch.setenv("VISCARBON_STORE", str(p))
    return p
