"""The front end's JavaScript unit tests (``frontend/test/*.test.js``, Node's built-in test
runner, no npm dependency) and the XLSX bytes written by ``frontend/src/core/xlsx.js`` read back
by Python's zipfile (CRC check) and openpyxl.

Node is needed; without it these tests skip on a developer machine and FAIL under CI=true.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

from conftest import absent

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        absent("Node.js (needed for the front-end unit tests; Debian: apt-get install nodejs)")
    return exe


def test_node_unit_tests_pass() -> None:
    files = sorted(p.name for p in (FRONTEND / "test").glob("*.test.js"))
    assert {"prune.test.js", "state.test.js", "format.test.js", "xlsx.test.js"} <= set(files)
    run = subprocess.run([node(), "--test", *[f"test/{f}" for f in files]], cwd=FRONTEND,
                         capture_output=True, text=True, timeout=120)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    counts = {line.split()[1]: int(line.split()[2]) for line in out.splitlines()
              if line.startswith("# ") and len(line.split()) == 3 and line.split()[2].isdigit()}
    assert counts["fail"] == 0 and counts["pass"] == counts["tests"] >= 20, counts


WRITE_XLSX = """
import { xlsxBytes } from "./src/core/xlsx.js";
const sheets = JSON.parse(process.argv[1]);
process.stdout.write(Buffer.from(xlsxBytes(sheets)));
"""


def test_xlsx_from_the_browser_writer_opens_in_openpyxl() -> None:
    import openpyxl

    rows = [["code", "label", "value_mt"], ["25", "电力、热力的生产和供应", 277.912345678901],
            ["14", "Smelting & <metals>", -1.5e-7], ["01", None, 0]]
    meta = [["synthetic", "true"], ["citation", "Shan et al. (2018), Scientific Data 5:170201"]]
    arg = json.dumps([{"name": "data", "rows": rows}, {"name": "metadata", "rows": meta}])
    run = subprocess.run([node(), "--input-type=module", "-e", WRITE_XLSX, arg], cwd=FRONTEND,
                         capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    raw = run.stdout
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert z.testzip() is None  # every CRC-32 matches
        assert z.namelist()[0] == "[Content_Types].xml"
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["data", "metadata"]
    data = [list(r) for r in wb["data"].iter_rows(values_only=True)]
    assert data == [["code", "label", "value_mt"], ["25", "电力、热力的生产和供应", 277.912345678901],
                    ["14", "Smelting & <metals>", -1.5e-7], ["01", None, 0]]
    assert dict(wb["metadata"].iter_rows(values_only=True)) == dict(meta)
