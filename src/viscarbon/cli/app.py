"""The typer application: the command modules define their commands, this module puts
them together (the modules never import it, so there is no import loop)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from viscarbon._version import __version__
from viscarbon.cli import data, doctor, web
from viscarbon.cli import roadmap as roadmap_cli
from viscarbon.cli.analyse import analyse_app
from viscarbon.cli.montecarlo import montecarlo
from viscarbon.i18n import t

__all__ = ["app", "main"]

app = typer.Typer(
    name="viscarbon",
    help="Precision decarbonization roadmapping of Chinese provinces (CEADs MRIO + CO2 inventories).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
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


app.add_typer(data.import_app, name="import")
app.add_typer(data.datasets_app, name="datasets")
app.command("export", help=t("cli.help.export", data.cli_lang()))(data.export)
app.command("doctor", help=t("doctor.cli.help", data.cli_lang()))(doctor.doctor)
app.add_typer(analyse_app, name="analyse")
app.command("roadmap")(roadmap_cli.roadmap)
app.add_typer(roadmap_cli.scenario_app, name="scenario")
app.command("montecarlo", help=t("montecarlo.help.command", data.cli_lang()))(montecarlo)
app.command("serve")(web.serve)
app.command("export-site")(web.export_site_cmd)


def main() -> None:
    app()
