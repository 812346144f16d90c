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
from viscarbon.roadmap.city_iamc import write_city_roadmap
from viscarbon.roadmap.iamc import meta_path, resolve_regions, write_roadmap_iamc
from viscarbon.roadmap.library import (
    delete_scenario,
    resolve_scenario,
    save_scenario,
    saved_scenario,
)
from viscarbon.roadmap.report import write_html, write_pdf
from viscarbon.roadmap.scenario import Scenario

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
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    region: Annotated[str | None, typer.Option("--region", help="Province code (GD), CN for the nation, several "
                                               "separated by commas (IAMC only), or all (the 31 provinces and the "
                                               "nation). Not with --cities.")] = None,
    fmt: Annotated[RoadmapFormat, typer.Option("--format", help="iamc (CSV), xlsx (IAMC data + meta sheets), "
                                               "html or pdf (the report of one region).")] = RoadmapFormat.iamc,
    scenario: Annotated[str | None, typer.Option("--scenario", help="A saved scenario's name, a shipped one "
                                                 "(baseline, clean-power, …) or a TOML file. Default: baseline.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: en or zh.")] = "en",
    cities: Annotated[str | None, typer.Option("--cities", help="A city MRIO dataset: write the city pathways "
                                               "(IAMC CSV/XLSX plus <stem>.coverage.csv) reconciled to the roadmap "
                                               "of --dataset.")] = None,
    province: Annotated[str | None, typer.Option("--province", help="With --cities: only the cities of this "
                                                 "province (code, e.g. GD).")] = None,
    store: StoreOpt = None,
) -> None:
    """Write a roadmap to 2060: IAMC (CSV or XLSX, pyam-ready) or the report (HTML or PDF);
    with --cities the city pathways of a city table."""
    lg = _lang(lang)
    path = store_path(store)
    sc = resolve_scenario(scenario, store_path=path)
    ws = workspace(store)
    if cities is not None:
        _city_roadmap(Roadmapper(ws), cities, dataset, sc, out=out, fmt=fmt, province=province, lang=lg)
        return
    if region is None:
        fail(t("cli.roadmap.need_region", lg), code=2)
    rm = Roadmapper(ws).run(dataset, sc)
    regions = resolve_regions(rm, region or "")
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


def _city_roadmap(rmr: Roadmapper, cities: str, dataset: str, sc: Scenario, *, out: Path, fmt: RoadmapFormat,
                  province: str | None, lang: str) -> None:
    if fmt not in (RoadmapFormat.iamc, RoadmapFormat.xlsx):
        fail(t("cli.roadmap.city_format", lang, value=fmt.value), code=2)
    cr = rmr.city_run(cities, dataset, sc)
    written = write_city_roadmap(cr, out, fmt="csv" if fmt is RoadmapFormat.iamc else "xlsx",
                                 province=province.strip().upper() if province else None)
    for p in written:
        console.print(t("cli.roadmap.written", lang, path=str(p)), highlight=False, soft_wrap=True)
    shown = [c for c in cr.coverage if province is None or c.province == province.strip().upper()]
    complete = ", ".join(c.province for c in shown if c.status == "complete") or "—"
    console.print(t("cli.roadmap.city_complete", lang, provinces=complete), highlight=False, soft_wrap=True)
    for c in shown:
        if c.status == "partial":
            console.print(t("cli.roadmap.city_partial", lang, province=c.province, k=c.k, n=c.total,
                            missing=", ".join(c.missing)), highlight=False, soft_wrap=True)
    unreconciled = [code for code, st in zip(cr.cities.codes, cr.status, strict=True)
                    if st in ("no_roadmap", "unknown_province")]
    if unreconciled:
        console.print(t("cli.roadmap.city_raw", lang, cities=", ".join(unreconciled), dataset=dataset),
                      highlight=False, soft_wrap=True)


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
