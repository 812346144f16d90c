"""Error hints speak the command line's language: every hint of the library (the text a
CLI user reads after "; ") names only options the CLI has, and no Python-only parameter
(``pass year=…``, ``allow_missing=True``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import typer

from viscarbon.cli.app import app

SRC = Path(__file__).resolve().parent.parent / "src" / "viscarbon"
PY_PARAM = re.compile(r"\b[a-z_]{2,}=(?:\.\.\.|True|False|\{|[A-Za-z0-9'\"])")


def _commands(group: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], set[str]]:
    """Every command (by its path) and its ``--options``."""
    out: dict[tuple[str, ...], set[str]] = {}
    if getattr(group, "commands", None):
        for name, cmd in group.commands.items():
            out.update(_commands(cmd, (*path, name)))
    else:
        out[path] = {o for p in group.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")}
    return out


def _hint_texts() -> list[tuple[str, int, str]]:
    """Every ``hint=`` of the library as written (f-string parts joined)."""
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "hint":
                parts = [v.value for v in ast.walk(node.value) if isinstance(v, ast.Constant) and isinstance(v.value, str)]
                if parts:
                    found.append((str(path.relative_to(SRC)), node.value.lineno, "".join(parts)))
    return found


def test_hints_name_only_cli_options_and_no_python_parameters() -> None:
    commands = _commands(typer.main.get_command(app))
    every = set().union(*commands.values())
    hints = _hint_texts()
    assert len(hints) > 100
    for where, line, text in hints:
        assert not PY_PARAM.search(text), f"{where}:{line}: hint names a Python parameter: {text!r}"
        for flag in re.findall(r"--[a-z][a-z-]*", text):
            assert flag in every, f"{where}:{line}: hint names {flag}, which no command has: {text!r}"


def test_the_analysis_hints_name_options_of_the_commands_that_raise_them() -> None:
    commands = _commands(typer.main.get_command(app))
    analyse = {k[1]: v for k, v in commands.items() if k[0] == "analyse"}
    # structural analyses: --region, --sector, --isolated hints come from these commands
    for cmd in ("spa", "extract", "linkages"):
        assert {"--region", "--sector", "--isolated"} <= analyse[cmd] | {"--sector"} and "--region" in analyse[cmd]
    assert "--sector" in analyse["electricity"]  # "name the power sector explicitly (CLI: --sector)"
    for cmd in ("ceads-mrio", "nbs-io"):
        assert {"--concordance", "--inventory", "--name", "--store"} <= commands[("import", cmd)]
    assert "--year" in commands[("import", "pymrio")]
    assert "--concordance" in commands[("datasets", "link")]
    assert "--allow-host" in commands[("serve",)]
