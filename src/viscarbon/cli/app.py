"""Typer application; commands live in ``data_cmds`` (import, datasets, export),
``analyse_cmds`` (analyse …) and ``web_cmds`` (serve, export-site)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

app = typer.Typer(
    name="viscarbon",
    help="Precision decarbonization roadmapping of Chinese provinces (CEADs MRIO + CO2 inventories).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from viscarbon import __version__

        typer.echo(f"viscarbon {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """viscarbon command line."""
    if debug:
        os.environ["VISCARBON_DEBUG"] = "1"


def _register() -> None:
    # Each module adds its commands to ``app`` at import time (explicit, no plugins).
    from viscarbon.cli import analyse_cmds, analyse_structural, data_cmds, web_cmds  # noqa: F401


def main() -> None:
    _register()
    app()
