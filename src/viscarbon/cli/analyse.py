"""``viscarbon analyse …``: footprint, trade, electricity, network (accounts and networks)
and linkages, extract, spa, sda (structural analyses). Thin: parse, ask the
:class:`~viscarbon.analysis.Workspace`, print or write."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from viscarbon.analysis.city_engine import (
    export_stored_extraction,
    export_stored_key_sectors,
    export_stored_paths,
)
from viscarbon.analysis.scale import export_stored_accounts
from viscarbon.calc.sda import SDA_FACTORS
from viscarbon.cli.common import (
    console,
    emit,
    fail,
    handle_errors,
    region_code,
    sector_code,
    store_path,
    workspace,
)
from viscarbon.cli.data import cli_lang
from viscarbon.cli.options import (
    DatasetOpt,
    FormatOpt,
    ImputeOpt,
    IsolatedOpt,
    LangOpt,
    MetaOpt,
    Mode,
    OutFormat,
    OutOpt,
    StoreOpt,
    YearOpt,
)
from viscarbon.i18n import t

__all__ = ["analyse_app"]

analyse_app = typer.Typer(
    name="analyse",
    help="Embodied carbon, inter-provincial transfers, electricity-adjusted accounts, sector networks "
         "and structural analyses (key sectors, extraction, structural paths, decomposition).",
    no_args_is_help=True,
)


class ExtractMode(StrEnum):
    complete = "complete"
    backward = "backward"
    forward = "forward"


class ScaleMethod(StrEnum):
    auto = "auto"
    dense = "dense"
    sparse = "sparse"
    iterative = "iterative"


class SdaMethod(StrEnum):
    polar = "polar"
    shapley = "shapley"


def _parse_deflators(items: list[str]) -> dict[int, float] | None:
    if not items:
        return None
    out: dict[int, float] = {}
    for item in items:
        year, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError(item)
            out[int(year)] = float(value)
        except ValueError:
            fail(f"--deflator expects YEAR=INDEX (e.g. 2017=1.08), got {item!r}")
    return out


@analyse_app.command("footprint")
@handle_errors
def footprint(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str | None, typer.Option("--region", help="Show this region's footprint by sector of origin.")] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="With --region: the top N origins (0 = all).")] = 20,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Production-based, consumption-based and export-embodied CO2 per region (Mt)."""
    acc = workspace(store, impute_missing=impute_missing).year(dataset, year).accounts()
    if region:
        records = acc.origin_records(region_code(region) or "", lang, top=top)
        emit(acc, records, fmt=fmt, out=out, meta_out=meta, lang=lang, schema=acc.origin_schema())
        return
    records = acc.as_records(lang)
    emit(acc, records, fmt=fmt, out=out, meta_out=meta, lang=lang,
         columns=["region", "label", "status", "production_based_mt", "consumption_based_mt",
                  "embodied_in_exports_mt", "net_transfer_mt", "imports_embodied_estimate_mt"])


@analyse_app.command("city-accounts", help=t("cli.help.city_accounts", cli_lang()))
@handle_errors
def city_accounts(
    dataset: DatasetOpt,
    out: Annotated[Path, typer.Option("--out", help=t("cli.help.city_accounts_out", cli_lang()))],
    year: YearOpt = None,
    method: Annotated[ScaleMethod, typer.Option("--method", help=t("cli.help.city_accounts_method", cli_lang()))]
    = ScaleMethod.auto,
    store: StoreOpt = None,
) -> None:
    p1, p2, run = export_stored_accounts(store_path(store), dataset, year, out, method=method.value)
    console.print(t("cli.city_accounts.done", cli_lang(), method=run.plan.method, needed=f"{run.plan.total / 1e9:.2f}",
                    available=f"{run.available / 1e9:.2f}", files=f"{p1}, {p2}"), highlight=False)


def _city_done(method: str, scheduler: str, workers: int, needed: int, available: int, seconds: float,
               files: str) -> None:
    console.print(t("cli.city_engine.done", cli_lang(), method=method, scheduler=scheduler, workers=workers,
                    needed=f"{needed / 1e9:.2f}", available=f"{available / 1e9:.2f}", seconds=f"{seconds:.1f}",
                    files=files), highlight=False, soft_wrap=True)


CityOutOpt = Annotated[Path, typer.Option("--out", help=t("cli.help.city_out", cli_lang()))]
CityMethodOpt = Annotated[ScaleMethod, typer.Option("--method", help=t("cli.help.city_accounts_method", cli_lang()))]


@analyse_app.command("city-extraction", help=t("cli.help.city_extraction", cli_lang()))
@handle_errors
def city_extraction(
    dataset: DatasetOpt,
    out: CityOutOpt,
    year: YearOpt = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=t("cli.help.city_scheduler", cli_lang()))]
    = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help=t("cli.help.city_workers", cli_lang()))] = 2,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help=t("cli.help.city_chunk", cli_lang()))] = 8,
    method: CityMethodOpt = ScaleMethod.auto,
    store: StoreOpt = None,
) -> None:
    (p1, p2), res = export_stored_extraction(store_path(store), dataset, year, out, scheduler=scheduler,
                                             workers=workers, chunk=chunk, method=method.value)
    run = res.run
    _city_done(run.plan.estimate.method, run.scheduler, run.workers, run.plan.needed, run.plan.available,
               run.seconds, f"{p1}, {p2}")


@analyse_app.command("city-key-sectors", help=t("cli.help.city_key_sectors", cli_lang()))
@handle_errors
def city_key_sectors(
    dataset: DatasetOpt,
    out: CityOutOpt,
    year: YearOpt = None,
    threshold: Annotated[float, typer.Option("--threshold", help=t("cli.help.city_threshold_linkage", cli_lang()))]
    = 1.0,
    method: CityMethodOpt = ScaleMethod.auto,
    store: StoreOpt = None,
) -> None:
    if not math.isfinite(threshold) or threshold < 0:
        fail(f"--threshold must be a finite number ≥ 0, got {threshold}")
    path, res = export_stored_key_sectors(store_path(store), dataset, year, out, threshold=threshold,
                                          method=method.value)
    _city_done(res.plan.method, "this process", 1, res.plan.total, res.available, res.seconds, str(path))


@analyse_app.command("city-paths", help=t("cli.help.city_paths", cli_lang()))
@handle_errors
def city_paths(
    dataset: DatasetOpt,
    out: CityOutOpt,
    region: Annotated[str, typer.Option("--region", help=t("cli.help.city_region", cli_lang()))],
    year: YearOpt = None,
    sector: Annotated[str | None, typer.Option("--sector", help=t("cli.help.city_sector", cli_lang()))] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help=t("cli.help.city_depth", cli_lang()))] = 6,
    threshold: Annotated[float, typer.Option("--threshold", help=t("cli.help.city_threshold", cli_lang()))] = 1e-4,
    top: Annotated[int, typer.Option("--top", min=1, help=t("cli.help.city_top", cli_lang()))] = 50,
    method: CityMethodOpt = ScaleMethod.auto,
    store: StoreOpt = None,
) -> None:
    if not math.isfinite(threshold) or threshold <= 0:
        fail(f"--threshold must be a finite number > 0, got {threshold}")
    path, res = export_stored_paths(store_path(store), dataset, year, out, region=region, sector=sector,
                                    depth=depth, threshold=threshold, top=top, method=method.value)
    _city_done(res.plan.method, "this process", 1, res.plan.total, res.available, res.seconds, str(path))


@analyse_app.command("trade")
@handle_errors
def trade(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str | None, typer.Option("--region", help="Only flows from or to this region.")] = None,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """CO2 emitted in one region for final demand in another (Mt), long form."""
    tm = workspace(store, impute_missing=impute_missing).year(dataset, year).trade()
    records = tm.as_records(lang)
    if region:
        code = region_code(region) or ""
        tm.regions.index(code)
        records = [r for r in records if code in (r["from_region"], r["to_region"])]
    if fmt is OutFormat.table:
        records = sorted(records, key=lambda r: -float(r["co2_mt"] or 0.0))[:40]  # type: ignore[arg-type]
    emit(tm, records, fmt=fmt, out=out, meta_out=meta, lang=lang)


@analyse_app.command("electricity")
@handle_errors
def electricity(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Power and heat sector code (default: 25 for io42_2012, 24 for io42_2017).")] = None,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Electricity-adjusted CO2 per region (power and heat CO2 reassigned to electricity users)."""
    ea = workspace(store, impute_missing=impute_missing).year(dataset, year).electricity_adjusted(
        power_sector=sector_code(sector))
    emit(ea, ea.as_records(lang), fmt=fmt, out=out, meta_out=meta, lang=lang)


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
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """The sector network of a province-year: pruned edges (or nodes with all indicators)."""
    if not 0 < top <= 100:
        fail(f"--top must be within (0, 100], got {top}")
    net = workspace(store, impute_missing=impute_missing).year(dataset, year).network(
        region_code(region) or "", mode=mode.value, top_percent=top, keep_top_emitters=keep, isolated=isolated)
    if nodes:
        records = net.nodes.as_records(lang)
        cols = ["sector", "label", "output", "co2", "intensity", "multiplier", "cba_co2",
                "backward_linkage", "forward_linkage", "pagerank", "betweenness"]
        emit(net.nodes, records, fmt=fmt, out=out, meta_out=meta, lang=lang, columns=cols)
        return
    records = net.as_records(lang)
    code = sector_code(sector)
    if code:
        net.sectors.index(code)
        records = [r for r in records if code in (r["source"], r["target"])]
    emit(net, records, fmt=fmt, out=out, meta_out=meta, lang=lang,
         columns=["source", "target", "value", "share", "rank", "percentile", "kept_for_emitter"])


@analyse_app.command("linkages")
@handle_errors
def linkages(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str | None, typer.Option("--region", help="Show this province's sectors.")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Show only this sector.")] = None,
    isolated: IsolatedOpt = False,
    threshold: Annotated[float, typer.Option("--threshold", help="Quadrant threshold on both linkages.")] = 1.0,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Normalised backward/forward linkages and key-sector quadrants."""

    if not math.isfinite(threshold) or threshold < 0:
        fail(f"--threshold must be a finite number ≥ 0, got {threshold}")

    res = workspace(store, impute_missing=impute_missing).year(dataset, year).key_sectors(
        region=region_code(region), isolated=isolated, threshold=threshold, lang=lang)
    records = res.as_records(lang)
    if sector:
        code = sector_code(sector) or ""
        res.sectors.index(code)
        records = [r for r in records if r["sector"] == code]
    emit(res, records, fmt=fmt, out=out, meta_out=meta, lang=lang,
         columns=["region", "sector", "sector_label", "backward_linkage", "forward_linkage", "quadrant_label"])


@analyse_app.command("extract")
@handle_errors
def extract(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str | None, typer.Option("--region", help="Extract this province (or its --sector).")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Extract this sector (in every region unless --region).")] = None,
    mode: Annotated[ExtractMode, typer.Option("--mode", help="complete, backward or forward extraction.")] = ExtractMode.complete,
    isolated: IsolatedOpt = False,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Loss of output and CO2 by region from a hypothetical extraction."""

    res = workspace(store, impute_missing=impute_missing).year(dataset, year).extract(
        region=region_code(region), sector=sector_code(sector), mode=mode.value, isolated=isolated, lang=lang)
    emit(res, res.as_records(lang), fmt=fmt, out=out, meta_out=meta, lang=lang,
         columns=["region", "region_label", "output_loss_10k_yuan", "output_loss_share", "co2_loss_mt",
                  "co2_loss_share"])


@analyse_app.command("spa")
@handle_errors
def spa(
    dataset: DatasetOpt = "demo",
    year: YearOpt = None,
    region: Annotated[str, typer.Option("--region", help="Target province (its footprint).")] = "GD",
    sector: Annotated[str | None, typer.Option("--sector", help="Target this region-sector's final demand instead.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="Largest path length (number of A factors).")] = 6,
    threshold: Annotated[float, typer.Option("--threshold", help="Threshold as a share of the target's total.")] = 1e-4,
    threshold_mt: Annotated[float | None, typer.Option("--threshold-mt", help="Absolute threshold in Mt (overrides --threshold).")] = None,
    top: Annotated[int, typer.Option("--top", help="Number of paths listed.")] = 20,
    isolated: IsolatedOpt = False,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Top supply-chain paths by CO2 (structural path analysis)."""

    res = workspace(store, impute_missing=impute_missing).year(dataset, year).spa(
        region=region_code(region), sector=sector_code(sector), isolated=isolated, depth=depth,
        threshold=threshold, threshold_mt=threshold_mt, top=top, lang=lang)
    emit(res, res.as_records(lang), fmt=fmt, out=out, meta_out=meta, lang=lang,
         columns=["rank", "depth", "value_mt", "share", "path", "path_label"])
    if fmt is OutFormat.table:
        cov, topc = res.coverage, res.top_coverage
        console.print(t("structural.cli.coverage", lang,
                        coverage="—" if cov is None else f"{cov:.1%}", total=f"{res.total_mt:,.4g}",
                        n=len(res.paths), top="—" if topc is None else f"{topc:.1%}"),
                      highlight=False, soft_wrap=True)
        console.print(t("structural.cli.timing", lang, paths=res.n_paths, nodes=res.n_nodes,
                        seconds=f"{res.seconds:.3f}"), highlight=False, soft_wrap=True)


@analyse_app.command("sda")
@handle_errors
def sda(
    dataset: DatasetOpt = "demo",
    from_year: Annotated[int | None, typer.Option("--from-year", help="First vintage (default: the dataset's first year).")] = None,
    to_year: Annotated[int | None, typer.Option("--to-year", help="Second vintage (default: the dataset's last year).")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this province (plus the national row).")] = None,
    method: Annotated[SdaMethod, typer.Option("--method", help="polar (average of the two polar forms) or shapley (all 120 orderings).")] = SdaMethod.polar,
    deflator: Annotated[list[str] | None, typer.Option("--deflator", help="Price index per year, YEAR=INDEX (repeat for both years); default: current prices.")] = None,
    isolated: IsolatedOpt = False,
    fmt: FormatOpt = OutFormat.table,
    out: OutOpt = None,
    meta: MetaOpt = None,
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Structural decomposition of the CO2 change between two vintages (sda)."""
    ws = workspace(store, impute_missing=impute_missing)
    years = ws.years(dataset)
    y0 = int(years[0]) if from_year is None else from_year
    y1 = int(years[-1]) if to_year is None else to_year
    if y0 == y1:
        fail(f"sda needs two different years, got {y0} twice (use --from-year and --to-year)")
    res = ws.sda(dataset, y0, y1, method=method.value, region=region_code(region), isolated=isolated,
                 deflators=_parse_deflators(deflator or []), lang=lang)
    emit(res, res.as_records(lang), fmt=fmt, out=out, meta_out=meta, lang=lang,
         columns=["destination", "co2_from_mt", "co2_to_mt", "change_mt",
                  *[f"{f}_mt" for f in SDA_FACTORS], "households_direct_change_mt"])
    if fmt is OutFormat.table:
        console.print(res.metadata(lang)["prices"], highlight=False, soft_wrap=True)
