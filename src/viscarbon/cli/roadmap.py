"""``viscarbon roadmap`` (a roadmap as IAMC CSV/XLSX or the bilingual report as HTML/PDF)
and ``viscarbon scenario save|list|show|delete`` (scenarios saved in the store). Thin:
parse, ask :mod:`viscarbon.roadmap`, print or write."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from viscarbon.cli.common import console, fail, handle_errors, store_path, workspace
from viscarbon.cli.data import cli_lang
from viscarbon.cli.options import DatasetOpt, StoreOpt
from viscarbon.datasets import open_store
from viscarbon.i18n import normalize_lang, t
from viscarbon.roadmap import NATION, Roadmapper
from viscarbon.roadmap.iamc import meta_path, resolve_regions, write_roadmap_iamc
from viscarbon.roadmap.library import (
    delete_scenario,
    resolve_scenario,
    save_scenario,
    saved_scenario,
)
from viscarbon.roadmap.report import write_html, write_pdf

__all__ = ["RoadmapFormat", "roadmap", "scenario_app"]


class RoadmapFormat(StrEnum):
    iamc = "iamc"
    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"


LANGS = ("en", "zh", "zh-Hans")


def _lang(value: str) -> str:
    if value not in LANGS:
        fail(t("cli.roadmap.bad_lang", cli_lang(), value=value, allowed=", ".join(LANGS)), code=2)
    return normalize_lang(value)


@handle_errors
def roadmap(
    dataset: DatasetOpt,
    region: Annotated[str, typer.Option("--region", help="Province code (GD), CN for the nation, several "
                                        "separated by commas (IAMC only), or all (the 31 provinces and the nation).")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[RoadmapFormat, typer.Option("--format", help="iamc (CSV), xlsx (IAMC data + meta sheets), "
                                               "html or pdf (the report of one region).")] = RoadmapFormat.iamc,
    scenario: Annotated[str | None, typer.Option("--scenario", help="A saved scenario's name, a shipped one "
                                                 "(baseline, clean-power, …) or a TOML file. Default: baseline.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: en or zh.")] = "en",
    store: StoreOpt = None,
) -> None:
    """Write a roadmap to 2060: IAMC (CSV or XLSX, pyam-ready) or the report (HTML or PDF)."""
    lg = _lang(lang)
    path = store_path(store)
    sc = resolve_scenario(scenario, store_path=path)
    ws = workspace(store)
    rm = Roadmapper(ws).run(dataset, sc)
    regions = resolve_regions(rm, region)
    if fmt in (RoadmapFormat.iamc, RoadmapFormat.xlsx):
        written = write_roadmap_iamc(rm, out, fmt="csv" if fmt is RoadmapFormat.iamc else "xlsx", regions=regions)
        console.print(t("cli.roadmap.written", lg, path=str(written)), highlight=False, soft_wrap=True)
        if fmt is RoadmapFormat.iamc:
            console.print(t("cli.roadmap.written", lg, path=str(meta_path(written))), highlight=False,
                          soft_wrap=True)
        return
    if len(regions) != 1:
        fail(t("cli.roadmap.one_region", lg, value=region, nation=NATION), code=2)
    writer = write_html if fmt is RoadmapFormat.html else write_pdf
    written = writer(rm, regions[0], out, lang=lg)
    console.print(t("cli.roadmap.written", lg, path=str(written)), highlight=False, soft_wrap=True)


scenario_app = typer.Typer(name="scenario", help="Scenarios saved in the store: save, list, show, delete.",
                           no_args_is_help=True)


@scenario_app.command("save")
@handle_errors
def scenario_save(
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML); validated before anything is saved.")],
    name: Annotated[str | None, typer.Option("--name", help="Save under this name (default: its [scenario] id).")] = None,
    store: StoreOpt = None,
) -> None:
    """Validate a scenario file and save it in the store."""
    row = save_scenario(open_store(store_path(store)), file, name=name)
    console.print(t("cli.scenario.saved", cli_lang(), name=row.name, fingerprint=row.fingerprint), highlight=False,
                  soft_wrap=True)


@scenario_app.command("list")
@handle_errors
def scenario_list(store: StoreOpt = None) -> None:
    """List the saved scenarios."""
    rows = open_store(store_path(store)).scenarios()
    if not rows:
        console.print(t("cli.scenario.none", cli_lang()), highlight=False, soft_wrap=True)
        return
    table = Table(title=t("cli.scenario.title", cli_lang()))
    for c in ("name", "title", "saved_at", "fingerprint"):
        table.add_column(t("cli.scenario.col." + c, cli_lang()))
    for r in rows:
        sc = saved_scenario(open_store(store_path(store)), r.name)
        table.add_row(r.name, sc.title_en, r.saved_at, r.fingerprint)
    console.print(table)


@scenario_app.command("show")
@handle_errors
def scenario_show(name: Annotated[str, typer.Argument(help="Saved scenario name.")], store: StoreOpt = None) -> None:
    """Print a saved scenario's TOML."""
    row = open_store(store_path(store)).scenario(name)
    typer.echo(row.toml, nl=not row.toml.endswith("\n"))


@scenario_app.command("delete")
@handle_errors
def scenario_delete(name: Annotated[str, typer.Argument(help="Saved scenario name.")], store: StoreOpt = None) -> None:
    """Delete a saved scenario."""
    delete_scenario(open_store(store_path(store)), name)
    console.print(t("cli.scenario.deleted", cli_lang(), name=name), highlight=False, soft_wrap=True)
