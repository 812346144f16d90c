"""``viscarbon analyse footprint|trade|electricity|network`` (engine); the structural
commands (linkages, extract, spa, sda) are added to :data:`analyse_app` by
:mod:`viscarbon.cli.analyse_structural`. Thin: parse, call :mod:`viscarbon.analysis`, print."""

from __future__ import annotations

import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from viscarbon.cli.app import app
from viscarbon.cli.common import ImputeOpt, StoreOpt, console, fail, handle_errors, store_path

__all__ = [
    "DatasetOpt",
    "FormatOpt",
    "ImputeOpt",
    "LangOpt",
    "OutFormat",
    "OutOpt",
    "YearOpt",
    "analyse_app",
    "emit",
    "engine_and_year",
    "make_engine",
    "region_code",
    "resolve_year",
    "sector_code",
]

analyse_app = typer.Typer(
    name="analyse",
    help="Embodied carbon, inter-provincial transfers, electricity-adjusted accounts and sector networks.",
    no_args_is_help=True,
)
app.add_typer(analyse_app, name="analyse")


class OutFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Mode(StrEnum):
    money = "money"
    carbon = "carbon"


DatasetOpt = Annotated[str, typer.Option("--dataset", help="Dataset name (see `viscarbon datasets`).")]
YearOpt = Annotated[int | None, typer.Option("--year", help="MRIO year (default: the dataset's last year).")]
FormatOpt = Annotated[OutFormat, typer.Option("--format", help="Output format.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write to this file (required for xlsx).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of labels: en or zh-Hans.")]


def make_engine(store: Path | None, *, impute_missing: bool = False) -> Any:
    """An :class:`~viscarbon.analysis.engine.Engine` on the demo and the store
    (``impute_missing``: see :class:`~viscarbon.analysis.repository.Repository`)."""
    from viscarbon.analysis.engine import Engine
    from viscarbon.analysis.repository import Repository

    return Engine(Repository(store_path(store), impute_missing=impute_missing))


def resolve_year(engine: Any, dataset: str, year: int | None) -> int:
    """``year``, or the dataset's last MRIO year when none is given."""
    years = engine.repository.years(dataset)
    return int(years[-1]) if year is None else int(year)


def engine_and_year(store: Path | None, dataset: str, year: int | None, *,
                    impute_missing: bool = False) -> tuple[Any, int]:
    """The engine every analyse command starts from and the year it runs on."""
    engine = make_engine(store, impute_missing=impute_missing)
    return engine, resolve_year(engine, dataset, year)


def region_code(value: str | None) -> str | None:
    """A region option as a code: ``" gd "`` → ``"GD"``."""
    return value.strip().upper() if value else None


def sector_code(value: str | None) -> str | None:
    """A sector option as a code: ``"5"`` → ``"05"`` (two-digit NBS codes)."""
    if not value:
        return None
    v = value.strip()
    return v.zfill(2) if v.isdigit() else v


def _cell(v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def emit(result: Any, records: list[dict[str, object]], *, fmt: OutFormat, out: Path | None, lang: str,
         columns: list[str] | None = None) -> None:
    """Print ``records`` as a table or write them (csv/json/xlsx) with the result's metadata
    (units, citation, synthetic flag) through :func:`viscarbon.io.writers.tables.write_table`."""
    from viscarbon.i18n import t
    from viscarbon.io.writers.tables import write_table

    meta = result.metadata(lang)
    if fmt is OutFormat.table:
        cols = columns or (list(records[0]) if records else [])
        table = Table(title=meta.get("title", ""), caption=None, show_lines=False)
        for c in cols:
            numeric = bool(records) and all(isinstance(r.get(c), int | float) or r.get(c) is None
                                             for r in records)
            table.add_column(c, justify="right" if numeric else "left")
        for r in records:
            table.add_row(*(_cell(r.get(c)) for c in cols))
        console.print(table)
        for k in ("units", "citation", "synthetic", "notes"):
            if k in meta:
                console.print(f"[dim]{k}: {meta[k]}[/dim]", highlight=False, soft_wrap=True)
        return
    if out is None:
        if fmt is OutFormat.xlsx:
            fail("--format xlsx needs --out FILE")
        with tempfile.TemporaryDirectory() as tmp:
            path = write_table(records, Path(tmp) / f"out.{fmt.value}", fmt=fmt.value, meta=meta)  # type: ignore[arg-type]
            sys.stdout.write(path.read_text(encoding="utf-8"))
            sys.stdout.flush()
        return
    path = write_table(records, out, fmt=fmt.value, meta=meta)  # type: ignore[arg-type]
    console.print(t("analysis.cli.written", lang, path=str(path)), highlight=False, soft_wrap=True)


@analyse_app.command("footprint")
@handle_errors
def footprint(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str | None, typer.Option("--region", help="Show this region's footprint by sector of origin.")] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="With --region: the top N origins (0 = all).")] = 20,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Production-based, consumption-based and export-embodied CO2 per region (Mt)."""
    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    acc = engine.accounts(dataset, y)
    if region:
        records = acc.origin_records(region_code(region) or "", lang, top=top)
        emit(acc, records, fmt=fmt, out=out, lang=lang)
        return
    records = acc.as_records(lang)
    emit(acc, records, fmt=fmt, out=out, lang=lang,
         columns=["region", "label", "status", "production_based_mt", "consumption_based_mt",
                  "embodied_in_exports_mt", "net_transfer_mt", "imports_embodied_estimate_mt"])


@analyse_app.command("trade")
@handle_errors
def trade(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str | None, typer.Option("--region", help="Only flows from or to this region.")] = None,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """CO2 emitted in one region for final demand in another (Mt), long form."""
    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    tm = engine.trade(dataset, y)
    records = tm.as_records(lang)
    if region:
        code = region_code(region) or ""
        tm.regions.index(code)
        records = [r for r in records if code in (r["from_region"], r["to_region"])]
    if fmt is OutFormat.table:
        records = sorted(records, key=lambda r: -(r["co2_mt"] or 0.0))[:40]
    emit(tm, records, fmt=fmt, out=out, lang=lang)


@analyse_app.command("electricity")
@handle_errors
def electricity(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Power and heat sector code (default: 25 for io42_2012, 24 for io42_2017).")] = None,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Electricity-adjusted CO2 per region (power and heat CO2 reassigned to electricity users)."""
    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    ea = engine.electricity_adjusted(dataset, y, power_sector=sector_code(sector))
    emit(ea, ea.as_records(lang), fmt=fmt, out=out, lang=lang)


@analyse_app.command("network")
@handle_errors
def network(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str, typer.Option("--region", help="Province code.")] = "GD",
    mode: Annotated[Mode, typer.Option("--mode", help="Links: money flows or embodied carbon.")] = Mode.money,
    top: Annotated[float, typer.Option("--top", help="Percent of the S×S cells kept (5 → 88 of 42×42).")] = 5.0,
    keep: Annotated[int, typer.Option("--keep", min=0, help="Keep the top-k emitters visible with their strongest link.")] = 0,
    isolated: Annotated[bool, typer.Option("--isolated", help="Use only the province's own block.")] = False,
    nodes: Annotated[bool, typer.Option("--nodes", help="List the nodes with every indicator instead of the edges.")] = False,
    sector: Annotated[str | None, typer.Option("--sector", help="Only edges touching this sector.")] = None,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """The sector network of a province-year: pruned edges (or nodes with all indicators)."""
    if not 0 < top <= 100:
        fail(f"--top must be within (0, 100], got {top}")
    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    net = engine.network(dataset, y, region_code(region) or "", mode=mode.value, top_percent=top,
                         keep_top_emitters=keep, isolated=isolated)
    if nodes:
        records = net.nodes.as_records(lang)
        cols = ["sector", "label", "output", "co2", "intensity", "multiplier", "cba_co2",
                "backward_linkage", "forward_linkage", "pagerank", "betweenness"]
        emit(net.nodes, records, fmt=fmt, out=out, lang=lang, columns=cols)
        return
    records = net.as_records(lang)
    code = sector_code(sector)
    if code:
        net.sectors.index(code)
        records = [r for r in records if code in (r["source"], r["target"])]
    emit(net, records, fmt=fmt, out=out, lang=lang,
         columns=["source", "target", "value", "share", "rank", "percentile", "kept_for_emitter"])
