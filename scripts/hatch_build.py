"""Hatch build hook: build the front end before a wheel is made (see build_frontend.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return  # scripts/dev.sh builds the front end for editable installs
        path = Path(self.root) / "scripts" / "build_frontend.py"
        spec = importlib.util.spec_from_file_location("build_frontend", path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.build()
