"""The public Python API: every exported name resolves, and the example of
docs/python-api.md runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import viscarbon

DOC = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"


def test_every_public_name_resolves_and_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in viscarbon.__all__:
        assert getattr(viscarbon, name) is not None, name
        if name != "__version__":
            assert f"`{name}`" in text, f"{name} is not in docs/python-api.md"
    assert sorted(dir(viscarbon)) == sorted(viscarbon.__all__)


def test_the_documented_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "docs/python-api.md has no python example"
    res = subprocess.run([sys.executable, "-c", "\n".join(blocks)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Guangdong 2017: PBA" in out and "links; largest:" in out and "('XZ',)" in out
    assert "GD 2030: baseline" in out and "peak target:" in out and "imported mitigation" in out
