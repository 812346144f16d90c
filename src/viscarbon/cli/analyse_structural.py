"""``viscarbon analyse linkages|extract|spa|sda``: structural analyses on
:data:`viscarbon.cli.analyse_cmds.analyse_app`. Thin: parse, call
:class:`viscarbon.analysis.structural.StructuralAnalysis`, print or write."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

import typer

from viscarbon.cli.analyse_cmds import (
    DatasetOpt,
    FormatOpt,
    ImputeOpt,
    LangOpt,
    OutFormat,
    OutOpt,
    YearOpt,
    analyse_app,
    emit,
    engine_and_year,
    make_engine,
    region_code,
    sector_code,
)
from viscarbon.cli.common import StoreOpt, console, fail, handle_errors
from viscarbon.i18n import t

__all__ = ["extract", "linkages", "sda", "spa"]

IsolatedOpt = Annotated[bool, typer.Option(
    "--isolated", help="Use only the province's own S×S block (labelled as such).")]


class ExtractMode(StrEnum):
    complete = "complete"
    backward = "backward"
    forward = "forward"


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
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Normalised backward/forward linkages and key-sector quadrants."""
    from viscarbon.analysis.structural import StructuralAnalysis

    if not math.isfinite(threshold) or threshold < 0:
        fail(f"--threshold must be a finite number ≥ 0, got {threshold}")

    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    res = StructuralAnalysis(engine).linkages(dataset, y, region=region_code(region), isolated=isolated,
                                              threshold=threshold, lang=lang)
    records = res.as_records(lang)
    if sector:
        code = sector_code(sector) or ""
        res.sectors.index(code)
        records = [r for r in records if r["sector"] == code]
    emit(res, records, fmt=fmt, out=out, lang=lang,
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
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Loss of output and CO2 by region from a hypothetical extraction."""
    from viscarbon.analysis.structural import StructuralAnalysis

    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    res = StructuralAnalysis(engine).extract(dataset, y, region=region_code(region), sector=sector_code(sector),
                                             mode=mode.value, isolated=isolated,
                                             lang=lang)
    emit(res, res.as_records(lang), fmt=fmt, out=out, lang=lang,
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
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Top supply-chain paths by CO2 (structural path analysis)."""
    from viscarbon.analysis.structural import StructuralAnalysis

    engine, y = engine_and_year(store, dataset, year, impute_missing=impute_missing)
    res = StructuralAnalysis(engine).spa(dataset, y, region=region_code(region), sector=sector_code(sector),
                                         isolated=isolated, depth=depth, threshold=threshold,
                                         threshold_mt=threshold_mt, top=top, lang=lang)
    emit(res, res.as_records(lang), fmt=fmt, out=out, lang=lang,
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
    lang: LangOpt = "en",
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Structural decomposition of the CO2 change between two vintages (sda)."""
    from viscarbon.analysis.structural import StructuralAnalysis
    from viscarbon.calc.sda import SDA_FACTORS

    engine = make_engine(store, impute_missing=impute_missing)
    years = engine.repository.years(dataset)
    y0 = int(years[0]) if from_year is None else from_year
    y1 = int(years[-1]) if to_year is None else to_year
    if y0 == y1:
        fail(f"sda needs two different years, got {y0} twice (use --from-year and --to-year)")
    res = StructuralAnalysis(engine).sda(dataset, y0, y1, method=method.value,
                                         region=region_code(region), isolated=isolated,
                                         deflators=_parse_deflators(deflator or []), lang=lang)
    emit(res, res.as_records(lang), fmt=fmt, out=out, lang=lang,
         columns=["destination", "co2_from_mt", "co2_to_mt", "change_mt",
                  *[f"{f}_mt" for f in SDA_FACTORS], "households_direct_change_mt"])
    if fmt is OutFormat.table:
        console.print(res.metadata(lang)["prices"], highlight=False, soft_wrap=True)
