"""``viscarbon import …``, ``viscarbon datasets …`` and ``viscarbon export``.

Thin: parse arguments, call :mod:`viscarbon.ingest`, print. Messages come from the
``cli`` catalogs; the language is ``$VISCARBON_LANG`` (``en`` by default, ``zh`` for
简体中文).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from viscarbon.cli.common import console, err_console, handle_errors, store_path
from viscarbon.cli.options import ConcordanceOpt, ImputeOpt, StoreOpt
from viscarbon.harmonize import ReconciliationReport
from viscarbon.i18n import normalize_lang, t
from viscarbon.ingest import (
    dataset_listing,
    export_dataset,
    import_files,
    link_dataset,
    remove_dataset,
    rename_dataset,
)

__all__ = ["datasets_app", "export", "import_app"]


def cli_lang() -> str:
    try:
        return normalize_lang(os.environ.get("VISCARBON_LANG") or "en")
    except KeyError:
        return "en"


def _(key: str, **params: object) -> str:
    return t(f"cli.{key}", cli_lang(), **params)


import_app = typer.Typer(name="import", help=_("help.import"), no_args_is_help=True)
datasets_app = typer.Typer(name="datasets", help=_("help.datasets"), invoke_without_command=True)

NameOpt = Annotated[str | None, typer.Option("--name", help=_("help.name"))]
FilesArg = Annotated[list[Path], typer.Argument(help=_("help.files"), show_default=False)]


@contextmanager
def _progress(description: str) -> Iterator[Progress]:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[step]}"), TimeElapsedColumn(), console=err_console,
                  transient=True) as bar:
        yield bar


def _years_text(years: Sequence[int]) -> str:
    ys = sorted(years)
    if not ys:
        return ""
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def _run_import(kind: str, paths: Sequence[Path], *, name: str | None, store: Path | None,
                inventory: str | None = None, year: int | None = None, concordance: str | None = None) -> None:
    path = store_path(store)
    with _progress(_("import.progress", kind=kind)) as bar:
        task = bar.add_task(_("import.progress", kind=kind), total=len(paths), step="")

        def on_progress(step: str, done: int, total: int) -> None:
            if step == "write":
                bar.update(task, step=_("import.writing"))
            else:
                bar.update(task, completed=done, total=total, step=step)

        result = import_files(path, kind, paths, name=name, inventory=inventory, progress=on_progress, year=year,
                              concordance=concordance)
    if not result.changed:
        console.print(_("import.unchanged", name=result.existing or result.name), highlight=False)
        return
    console.print(_("import.done", n=len(result.files), name=result.name, kind=result.kind,
                    years=_years_text(result.years), seconds=f"{result.seconds:.1f}", store=str(result.store_path)),
                  highlight=False)
    if result.national:
        console.print(_("import.national_inventory"), highlight=False)
    if kind in ("ceads-mrio", "nbs-io"):
        regions = _regions_text(result.link_regions)
        if result.link == "option":
            console.print(_("import.link_option", inventory=result.linked_inventory), highlight=False)
        elif result.link == "auto":
            console.print(_("import.link_auto", inventory=result.linked_inventory, regions=regions),
                          highlight=False)
        elif result.link == "absent":
            console.print(_("import.link_absent_nbs" if kind == "nbs-io" else "import.link_absent",
                            regions=regions, name=result.name), highlight=False)
        else:
            console.print(_("import.link_ambiguous", names=", ".join(result.candidates), name=result.name),
                          highlight=False)
        _print_years_and_reconciliation(result.inventory_years, result.reconciliation)


def _regions_text(regions: Sequence[str]) -> str:
    regions = list(regions)
    return ", ".join(regions) if len(regions) <= 6 else f"{regions[0]} … {regions[-1]} ({len(regions)})"


def _print_years_and_reconciliation(inventory_years: Mapping[int, int], reports: Mapping[int, object]) -> None:
    for ty, iy in sorted(inventory_years.items()):
        if ty != iy:
            console.print(_("import.nearest_year", table_year=ty, inventory_year=iy), highlight=False)
    if reports:
        _print_reconciliation(reports)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:,.3f}"


def _print_reconciliation(reports: Mapping[int, object]) -> None:
    table = Table(title=_("recon.title"), title_justify="left")
    for key in ("year", "inventory_year", "inventory", "mapped", "mrio_row", "max_diff", "missing"):
        table.add_column(_(f"recon.col.{key}"), justify="left" if key == "missing" else "right")
    for ty, rep in sorted(reports.items()):
        assert isinstance(rep, ReconciliationReport)
        inv = [r.inventory_total for r in rep.rows if r.inventory_total is not None]
        mrio = [r.mrio_co2_total for r in rep.rows if r.mrio_co2_total is not None]
        missing = [r.region for r in rep.rows if r.status != "reported"]
        table.add_row(str(ty), str(rep.inventory_year), _fmt(sum(inv)),
                      _fmt(sum(r.mapped_total for r in rep.rows)), _fmt(sum(mrio) if mrio else None),
                      f"{rep.max_abs_difference:.2e}", ", ".join(missing) or "—")
    console.print(table)
    console.print(_("recon.unit"), highlight=False)
    notes = sorted({n for rep in reports.values() if isinstance(rep, ReconciliationReport)
                    for n in rep.notes_text(cli_lang()) if not n.startswith(("concordance", "对照表"))})
    for n in notes:
        console.print(f"  {n}", highlight=False, soft_wrap=True)


# --------------------------------------------------------------------------- import
@import_app.command("ceads-inventory", help=_("help.import_inventory"))
@handle_errors
def import_inventory(files: FilesArg, name: NameOpt = None, store: StoreOpt = None) -> None:
    _run_import("ceads-inventory", files, name=name, store=store)


@import_app.command("ceads-apparent", help=_("help.import_apparent"))
@handle_errors
def import_apparent(files: FilesArg, name: NameOpt = None, store: StoreOpt = None) -> None:
    _run_import("ceads-apparent", files, name=name, store=store)


@import_app.command("ceads-mrio", help=_("help.import_mrio"))
@handle_errors
def import_mrio(
    files: FilesArg,
    inventory: Annotated[str | None, typer.Option("--inventory", help=_("help.inventory"))] = None,
    concordance: ConcordanceOpt = None,
    name: NameOpt = None,
    store: StoreOpt = None,
) -> None:
    _run_import("ceads-mrio", files, name=name, store=store, inventory=inventory, concordance=concordance)


@import_app.command("ceads-city-inventory", help=_("help.import_city_inventory"))
@handle_errors
def import_city_inventory(files: FilesArg, name: NameOpt = None, store: StoreOpt = None) -> None:
    _run_import("ceads-city-inventory", files, name=name, store=store)


@import_app.command("ceads-city-mrio", help=_("help.import_city_mrio"))
@handle_errors
def import_city_mrio(files: FilesArg, name: NameOpt = None, store: StoreOpt = None) -> None:
    _run_import("ceads-city-mrio", files, name=name, store=store)


@import_app.command("nbs-io", help=_("help.import_nbs"))
@handle_errors
def import_nbs(
    files: FilesArg,
    inventory: Annotated[str | None, typer.Option("--inventory", help=_("help.inventory_nbs"))] = None,
    concordance: ConcordanceOpt = None,
    name: NameOpt = None,
    store: StoreOpt = None,
) -> None:
    _run_import("nbs-io", files, name=name, store=store, inventory=inventory, concordance=concordance)


@import_app.command("pymrio", help=_("help.import_pymrio"))
@handle_errors
def import_pymrio(
    folder: Annotated[Path, typer.Argument(help=_("help.folder"), show_default=False)],
    year: Annotated[int | None, typer.Option("--year", help=_("help.pymrio_year"))] = None,
    name: NameOpt = None,
    store: StoreOpt = None,
) -> None:
    _run_import("pymrio", [folder], name=name, store=store, year=year)


# --------------------------------------------------------------------------- datasets
@datasets_app.callback(invoke_without_command=True)
@handle_errors
def datasets(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("help.json"))] = False,
    store: StoreOpt = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    rows = dataset_listing(store_path(store))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=_("datasets.title", store=str(store_path(store))), title_justify="left")
    for key in ("name", "kind", "years", "files", "synthetic", "inventory"):
        table.add_column(_(f"datasets.col.{key}"), overflow="fold",
                         min_width=len(_(f"datasets.col.{key}")) if key != "inventory" else 9)
    for r in rows:
        files = r["files"]
        years = r["years"]
        table.add_row(
            str(r["name"]), str(r["kind"]), _years_text(years if isinstance(years, list) else []),
            str(len(files) if isinstance(files, list) else 0),
            _("datasets.synthetic_yes") if r["synthetic"] else _("datasets.synthetic_no"),
            str(r["linked_inventory"] or "—"))
    console.print(table)
    console.print(_("datasets.col.citation") + ":", highlight=False)
    for r in rows:
        console.print(f"  {r['name']}: {r['citation']}", highlight=False, soft_wrap=True)
    console.print(_("datasets.demo_note"), highlight=False)


@datasets_app.command("remove", help=_("help.remove"))
@handle_errors
def datasets_remove(
    name: Annotated[str, typer.Argument(help=_("help.dataset_name"), show_default=False)],
    store: StoreOpt = None,
) -> None:
    remove_dataset(store_path(store), name)
    console.print(_("datasets.removed", name=name), highlight=False)


@datasets_app.command("rename", help=_("help.rename"))
@handle_errors
def datasets_rename(
    old: Annotated[str, typer.Argument(help=_("help.old_name"), show_default=False)],
    new: Annotated[str, typer.Argument(help=_("help.new_name"), show_default=False)],
    store: StoreOpt = None,
) -> None:
    rename_dataset(store_path(store), old, new)
    console.print(_("datasets.renamed", old=old, new=new), highlight=False)


@datasets_app.command("link", help=_("help.link"))
@handle_errors
def datasets_link(
    name: Annotated[str, typer.Argument(help=_("help.link_dataset"), show_default=False)],
    inventory: Annotated[str, typer.Argument(help=_("help.link_inventory"), show_default=False)],
    concordance: ConcordanceOpt = None,
    store: StoreOpt = None,
) -> None:
    result = link_dataset(store_path(store), name, inventory, concordance=concordance)
    if not result.changed:
        console.print(_("datasets.link_unchanged", name=name, inventory=result.inventory), highlight=False)
        return
    console.print(_("datasets.linked", name=name, inventory=result.inventory,
                    previous=result.previous or "—"), highlight=False)
    _print_years_and_reconciliation(result.inventory_years, result.reconciliation)


# --------------------------------------------------------------------------- export
@handle_errors
def export(
    name: Annotated[str, typer.Argument(help=_("help.dataset_name"), show_default=False)],
    out: Annotated[Path, typer.Option("--out", help=_("help.out"))],
    fmt: Annotated[str, typer.Option("--format", help=_("help.format"))] = "csv",
    year: Annotated[int | None, typer.Option("--year", help=_("help.year"))] = None,
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
    lang: Annotated[str | None, typer.Option("--lang", help=_("help.export_lang"))] = None,
) -> None:
    """Export a dataset (registered as ``viscarbon export`` by :mod:`viscarbon.cli.app`)."""
    with _progress(_("export.progress", name=name)) as bar:
        task = bar.add_task(_("export.progress", name=name), total=None, step="")

        def on_progress(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, step=step)

        result = export_dataset(store_path(store), name, out, fmt=fmt, year=year, progress=on_progress,
                               impute_missing=impute_missing, lang=normalize_lang(lang) if lang else cli_lang())
    console.print(_("export.done", n=len(result.files), out=str(result.out_dir)), highlight=False)
    if result.synthetic:
        console.print(_("export.synthetic"), highlight=False)
