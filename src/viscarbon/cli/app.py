"""Typer application: commands are registered by the submodules."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="viscarbon",
    help="Precision decarbonization roadmapping of Chinese provinces (CEADs MRIO + CO2 inventories).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """viscarbon command line."""


def main() -> None:
    app()
