"""``viscarbon montecarlo``: Monte Carlo bands of a scenario's CO2 pathway written as a
plain CSV (region, sector, year, statistic, value, unit, method, max_error). Thin: parse,
call :func:`viscarbon.roadmap.montecarlo.run_montecarlo`, show a progress bar, write."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from viscarbon.calc.montecarlo import HIST_BINS
from viscarbon.cli.common import console, handle_errors, region_code, workspace
from viscarbon.cli.data import cli_lang
from viscarbon.cli.options import DatasetOpt, ImputeOpt, StoreOpt
from viscarbon.i18n import t
from viscarbon.io.writers.tables import write_table
from viscarbon.roadmap import Roadmapper, Scenario, load_scenario
from viscarbon.roadmap.montecarlo import run_montecarlo

__all__ = ["COLUMNS", "montecarlo"]

#: The columns of the CSV, in order.
COLUMNS = ("region", "sector", "year", "statistic", "value", "unit", "method", "max_error")


def _(key: str, **params: object) -> str:
    return t(f"montecarlo.{key}", cli_lang(), **params)


def _scenario(rmp: Roadmapper, name: str) -> Scenario:
    p = Path(name)
    if name.endswith(".toml") or p.is_file():
        return load_scenario(p)
    return rmp.scenario(name)


def _region(value: str | None) -> str | None:
    if value is None:
        return None
    return "all" if value.strip().lower() == "all" else region_code(value)


@handle_errors
def montecarlo(
    dataset: DatasetOpt = "demo",
    scenario: Annotated[str, typer.Option("--scenario", help=_("help.scenario"))] = "baseline",
    region: Annotated[str | None, typer.Option("--region", help=_("help.region"))] = None,
    draws: Annotated[int | None, typer.Option("--draws", help=_("help.draws"))] = None,
    seed: Annotated[int | None, typer.Option("--seed", help=_("help.seed"))] = None,
    block: Annotated[int | None, typer.Option("--block", help=_("help.block"))] = None,
    scheduler: Annotated[str, typer.Option("--scheduler", help=_("help.scheduler"))] = "local",
    workers: Annotated[int | None, typer.Option("--workers", min=1, help=_("help.workers"))] = None,
    intensity_cv: Annotated[float | None, typer.Option("--intensity-cv", help=_("help.intensity_cv"))] = None,
    power_cv: Annotated[float | None, typer.Option("--power-cv", help=_("help.power_cv"))] = None,
    growth_sd: Annotated[float | None, typer.Option("--growth-sd", help=_("help.growth_sd"))] = None,
    coefficient_cv: Annotated[float | None, typer.Option("--coefficient-cv", help=_("help.coefficient_cv"))] = None,
    regional_growth_sd: Annotated[float | None, typer.Option("--regional-growth-sd",
                                                             help=_("help.regional_growth_sd"))] = None,
    percentile: Annotated[list[float] | None, typer.Option("--percentile", help=_("help.percentile"))] = None,
    out: Annotated[Path | None, typer.Option("--out", help=_("help.out"))] = None,
    store: StoreOpt = None,
    impute_missing: ImputeOpt = False,
) -> None:
    """Monte Carlo uncertainty bands of a scenario's CO2 pathway (Mt)."""
    rmp = Roadmapper(workspace(store, impute_missing=impute_missing))
    sc = _scenario(rmp, scenario)
    cv = {k: v for k, v in (("intensity_cv", intensity_cv), ("power_cv", power_cv), ("growth_sd", growth_sd),
                            ("coefficient_cv", coefficient_cv), ("regional_growth_sd", regional_growth_sd))
          if v is not None}
    with Progress(TextColumn(_("progress")), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("draws", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        res = run_montecarlo(rmp, dataset, sc, draws=draws, seed=seed, region=_region(region), cv=cv,
                             block=block, scheduler=scheduler, workers=workers, progress=progress,
                             percentiles=tuple(percentile or ()))
    console.print(_("summary", draws=res.draws, seed=res.seed, block=res.block, scenario=res.scenario,
                    dataset=res.dataset, seconds=res.seconds, workers=res.workers, scheduler=res.scheduler,
                    coefficients=res.coefficients), highlight=False)
    qs = list(res.percentiles)
    nat = len(res.regions) - 1
    console.print(_("nation_2060", year=int(res.years[-1]), p5=res.total_bands[qs.index(5.0), nat, -1],
                    p50=res.total_bands[qs.index(50.0), nat, -1], p95=res.total_bands[qs.index(95.0), nat, -1],
                    det=res.deterministic_totals[nat, -1], mean=res.total_mean[nat, -1]), highlight=False)
    if res.sector_codes:
        console.print(_("sector_error", bins=HIST_BINS, err=float(res.sector_error.max())), highlight=False)
    if out is not None:
        records = res.records()
        meta = {"title": _("title"), "dataset": res.dataset, "scenario": res.scenario, "draws": str(res.draws),
                "seed": str(res.seed), "block": str(res.block), "unit": "Mt CO2", "note": _("note")}
        write_table(records, out, fmt="csv", meta=meta, lang=cli_lang())
        console.print(_("written", rows=len(records), path=out), highlight=False)
