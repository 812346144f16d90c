"""Every CLI command with bad arguments (unknown dataset, region, sector, bad year, bad
format, missing file, a directory instead of a file and the reverse) exits non-zero with
one line on stderr and no traceback; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from viscarbon.cli.app import app
from viscarbon.errors import ViscarbonError

runner = CliRunner()

# {dir}: an existing folder; {file}: an existing non-workbook file; {missing}: a path that
# does not exist; {out}: a fresh output path inside the test's folder.
BAD: dict[str, list[str]] = {
    # analysis
    "footprint unknown dataset": ["analyse", "footprint", "--dataset", "nope"],
    "footprint bad year": ["analyse", "footprint", "--year", "1999"],
    "footprint unknown region": ["analyse", "footprint", "--region", "ZZ"],
    "footprint negative top": ["analyse", "footprint", "--region", "GD", "--top", "-3"],
    "footprint xlsx without --out": ["analyse", "footprint", "--format", "xlsx"],
    "footprint --out is a folder": ["analyse", "footprint", "--format", "csv", "--out", "{dir}"],
    "footprint --out under a file": ["analyse", "footprint", "--format", "csv", "--out", "{file}/x.csv"],
    "footprint bad lang": ["analyse", "footprint", "--lang", "xx"],
    "trade unknown region": ["analyse", "trade", "--region", "ZZ"],
    "trade unknown dataset": ["analyse", "trade", "--dataset", "nope"],
    "electricity unknown sector": ["analyse", "electricity", "--sector", "99"],
    "network unknown region": ["analyse", "network", "--region", "ZZ"],
    "network top zero": ["analyse", "network", "--top", "0"],
    "network top above 100": ["analyse", "network", "--top", "500"],
    "network top nan": ["analyse", "network", "--top", "nan"],
    "network negative keep": ["analyse", "network", "--keep", "-1"],
    "network unknown sector": ["analyse", "network", "--sector", "99"],
    "network bad year": ["analyse", "network", "--year", "2013"],
    "linkages unknown region": ["analyse", "linkages", "--region", "ZZ"],
    "linkages unknown sector": ["analyse", "linkages", "--sector", "99"],
    "linkages nan threshold": ["analyse", "linkages", "--threshold", "nan"],
    "extract unknown region": ["analyse", "extract", "--region", "ZZ"],
    "extract unknown sector": ["analyse", "extract", "--sector", "99"],
    "spa unknown region": ["analyse", "spa", "--region", "ZZ"],
    "spa unknown sector": ["analyse", "spa", "--sector", "99"],
    "spa negative depth": ["analyse", "spa", "--depth", "-1"],
    "spa negative threshold": ["analyse", "spa", "--threshold", "-1"],
    "spa negative top": ["analyse", "spa", "--top", "-1"],
    "sda bad year": ["analyse", "sda", "--from-year", "1999"],
    "sda same years": ["analyse", "sda", "--from-year", "2012", "--to-year", "2012"],
    "sda bad deflator": ["analyse", "sda", "--deflator", "abc"],
    "sda deflator not a number": ["analyse", "sda", "--deflator", "2012=x"],
    "sda unknown region": ["analyse", "sda", "--region", "ZZ"],
    # export
    "export unknown dataset": ["export", "nope", "--out", "{out}"],
    "export bad format": ["export", "demo", "--format", "pdf", "--out", "{out}"],
    "export bad year": ["export", "demo", "--year", "1999", "--out", "{out}"],
    "export --out is a file": ["export", "demo", "--year", "2012", "--out", "{file}"],
    "export-site into a file": ["export-site", "{file}"],
    "export-site unknown dataset": ["export-site", "{out}", "--dataset", "nope"],
    "export-site bad lang": ["export-site", "{out}", "--lang", "xx"],
    "serve bad lang": ["serve", "--lang", "xx"],
    "serve store is garbage": ["serve", "--store", "{file}"],
    # import and datasets
    "import missing file": ["import", "ceads-inventory", "{missing}"],
    "import a folder as a workbook": ["import", "ceads-mrio", "{dir}"],
    "import a folder as a csv": ["import", "nbs-io", "{dir}"],
    "import a file as a pymrio folder": ["import", "pymrio", "{file}"],
    "import missing pymrio folder": ["import", "pymrio", "{missing}"],
    "import text as a workbook": ["import", "ceads-inventory", "{file}"],
    "import bad name": ["import", "ceads-inventory", "{file}", "--name", "bad name!"],
    "remove unknown dataset": ["datasets", "remove", "nope"],
    "remove the demo": ["datasets", "remove", "demo"],
    "rename unknown dataset": ["datasets", "rename", "nope", "other"],
    "link unknown datasets": ["datasets", "link", "nope", "inv"],
    "datasets store is a folder": ["datasets", "--store", "{dir}"],
    "datasets store is garbage": ["datasets", "--store", "{file}"],
}


@pytest.fixture()
def paths(tmp_path: Path, store_path: Path) -> dict[str, str]:
    d = tmp_path / "a_folder"
    d.mkdir()
    f = tmp_path / "not_a_workbook_2017.xlsx"
    f.write_text("this is not a workbook\n", encoding="utf-8")
    return {"dir": str(d), "file": str(f), "missing": str(tmp_path / "missing" / "nothing_2017.xlsx"),
            "out": str(tmp_path / "out")}


def _args(args: list[str], paths: dict[str, str]) -> list[str]:
    return [a.format(**paths) for a in args]


@pytest.fixture()
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve`` must fail before it starts a server; if it got that far, fail loudly."""
    import uvicorn

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("serve started a server despite bad arguments")

    monkeypatch.setattr(uvicorn, "run", refuse)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_arguments_give_one_line_and_no_traceback(case: str, paths: dict[str, str],
                                                      no_server: None) -> None:
    args = _args(BAD[case], paths)
    r = runner.invoke(app, args, env={"VISCARBON_DEBUG": "0", "COLUMNS": "200"})
    assert r.exit_code != 0, (args, r.stdout)
    # a usage error (exit 2) or one of ours (exit 1); never an exception escaping
    assert r.exception is None or isinstance(r.exception, SystemExit), (args, repr(r.exception))
    assert "Traceback" not in r.output
    # the progress display of import/export is transient: only the message remains
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    if r.exit_code == 1:
        assert len(lines) == 1, (args, r.stderr)
        assert lines[0].startswith("error:"), lines
    else:  # click's usage error: a short box naming the bad option or value
        assert r.exit_code == 2, (args, r.exit_code, r.stderr)
        assert any("Invalid value" in ln or "No such" in ln or "Missing" in ln for ln in lines), r.stderr


def test_debug_shows_the_traceback(paths: dict[str, str]) -> None:
    r = runner.invoke(app, ["--debug", "analyse", "footprint", "--dataset", "nope"],
                      env={"VISCARBON_DEBUG": "0"})
    assert r.exit_code != 0
    assert isinstance(r.exception, ViscarbonError)  # re-raised for the traceback
    assert "nope" in str(r.exception)


def test_debug_traceback_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "VISCARBON_STORE": str(tmp_path / "s.duckdb"), "VISCARBON_DEBUG": ""}
    exe = [sys.executable, "-c", "from viscarbon.cli import main; main()"]
    plain = subprocess.run([*exe, "datasets", "remove", "nope"], env=env, capture_output=True,
                           text=True, timeout=120)
    debug = subprocess.run([*exe, "--debug", "datasets", "remove", "nope"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert len([ln for ln in plain.stderr.splitlines() if ln.strip()]) == 1, plain.stderr
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert "NotFound" in debug.stderr and "nope" in debug.stderr
