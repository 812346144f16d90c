"""Monte Carlo of a roadmap on the demo: reproducibility across schedulers and block
sizes, bands around the deterministic pathway, exact and streaming quantiles, the
Woodbury coefficient draws, memory, bad options, the CLI."""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from viscarbon.analysis import Workspace
from viscarbon.calc.montecarlo import (
    CoefficientBlock,
    CoefficientFull,
    _coefficient_output,
    block_draws,
    mean_one_lognormal,
)
from viscarbon.cli.app import app
from viscarbon.errors import ScenarioError
from viscarbon.roadmap import Roadmapper, parse_scenario
from viscarbon.roadmap.assumptions import uncertainty_defaults
from viscarbon.roadmap.montecarlo import (
    MonteCarloError,
    MonteCarloResult,
    _inputs,
    _sector_regions,
    run_montecarlo,
)
from viscarbon.roadmap.scenario import Scenario, Uncertainty

pytestmark = pytest.mark.xdist_group("roadmap")
DRAWS, BLOCK, SEED = 600, 50, 7


@pytest.fixture(scope="module")
def roadmapper() -> Roadmapper:
    return Roadmapper(Workspace())


@pytest.fixture(scope="module")
def scenario(roadmapper: Roadmapper) -> Scenario:
    return roadmapper.scenario("efficient-industry")


@pytest.fixture(scope="module")
def serial(roadmapper: Roadmapper, scenario: Scenario) -> MonteCarloResult:
    return run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED, block=BLOCK, region="GD",
                          scheduler="serial")


def _same(a: MonteCarloResult, b: MonteCarloResult) -> None:
    np.testing.assert_array_equal(np.asarray(a.totals), np.asarray(b.totals))
    np.testing.assert_array_equal(a.total_bands, b.total_bands)
    np.testing.assert_array_equal(a.sector_bands, b.sector_bands)
    np.testing.assert_array_equal(a.sector_error, b.sector_error)
    np.testing.assert_array_equal(a.sector_mean, b.sector_mean)


def test_same_seed_same_numbers_bit_for_bit_in_processes_and_on_dask(roadmapper: Roadmapper, scenario: Scenario,
                                                                    serial: MonteCarloResult) -> None:
    local = run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED, block=BLOCK, region="GD",
                           scheduler="local", workers=2)
    assert local.scheduler == "local" and local.workers == 2
    _same(serial, local)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED, block=BLOCK, region="GD",
                              scheduler=cluster.scheduler_address)
    assert dask.workers == 2
    _same(serial, dask)
    other = run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED + 1, block=BLOCK, region="GD",
                           scheduler="serial")
    assert not np.array_equal(np.asarray(other.totals), np.asarray(serial.totals))


def test_block_size_changes_the_streams_not_the_answer(roadmapper: Roadmapper, scenario: Scenario,
                                                       serial: MonteCarloResult) -> None:
    # same block size, fewer draws: the first blocks are the same numbers (SeedSequence.spawn)
    short = run_montecarlo(roadmapper, "demo", scenario, draws=4 * BLOCK, seed=SEED, block=BLOCK,
                           scheduler="serial")
    np.testing.assert_array_equal(np.asarray(short.totals), np.asarray(serial.totals)[:4 * BLOCK])
    # another block size: other random numbers, same distribution (means within 4 standard errors)
    wide = run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED, block=120, scheduler="serial")
    a, b = np.asarray(serial.totals), np.asarray(wide.totals)
    assert not np.array_equal(a, b)
    se = np.sqrt(a.var(axis=0) / DRAWS + b.var(axis=0) / DRAWS)
    assert np.all(np.abs(a.mean(axis=0) - b.mean(axis=0)) <= 4 * se + 1e-9)


def test_band_contains_the_deterministic_pathway_which_is_the_mean(serial: MonteCarloResult) -> None:
    qs = list(serial.percentiles)
    p5, p95 = serial.total_bands[qs.index(5.0)], serial.total_bands[qs.index(95.0)]
    det = serial.deterministic_totals
    tol = 1e-9 * np.abs(det)
    assert np.all(p5 <= det + tol) and np.all(det <= p95 + tol)
    assert (p95 - p5)[-1, -1] > 0.1 * det[-1, -1]  # the nation in 2060 has a real spread
    # mean-preserving draws: the mean of the draws is the deterministic pathway (4 standard errors)
    draws = np.asarray(serial.totals)
    se = draws.std(axis=0) / np.sqrt(serial.draws)
    assert np.all(np.abs(serial.total_mean - det) <= 4 * se + tol)
    # the median of mean-1 lognormal factors lies below the mean
    assert serial.total_bands[qs.index(50.0), -1, -1] < det[-1, -1]
    s5, s95 = serial.sector_bands[qs.index(5.0)], serial.sector_bands[qs.index(95.0)]
    err = serial.sector_error
    ds = serial.deterministic_sectors
    assert np.all(s5 - err[qs.index(5.0)] <= ds + 1e-9) and np.all(ds <= s95 + err[qs.index(95.0)] + 1e-9)
    # calibrated years are measured: no spread
    k = int(np.searchsorted(serial.years, 2018))
    np.testing.assert_allclose(p95[:, : k + 1], p5[:, : k + 1], rtol=1e-12)


def test_regional_demand_draws_reuse_the_response_by_destination(roadmapper: Roadmapper, scenario: Scenario,
                                                                  serial: MonteCarloResult) -> None:
    res = run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED, block=BLOCK, scheduler="serial",
                         cv={"regional_growth_sd": 0.01})
    draws = np.asarray(res.totals)
    det = res.deterministic_totals
    se = draws.std(axis=0) / np.sqrt(res.draws)
    assert np.all(np.abs(res.total_mean - det) <= 4 * se + 1e-9 * np.abs(det))  # still mean-preserving
    qs = list(res.percentiles)
    assert np.all(res.total_bands[qs.index(5.0)] <= det * (1 + 1e-9))
    assert np.all(det <= res.total_bands[qs.index(95.0)] * (1 + 1e-9))
    # provinces' own demand adds spread to their totals (GD, 2060)
    gd = res.regions.index("GD")
    assert draws[:, gd, -1].std() > np.asarray(serial.totals)[:, gd, -1].std()
    # with every factor off but one province's demand, the draw is XR · γ exactly
    base = roadmapper.base("demo", scenario)
    rm = roadmapper.run("demo", scenario)
    u = Uncertainty(intensity_cv=0.0, power_cv=0.0, growth_sd=0.0, regional_growth_sd=0.02)
    inp = _inputs(base, rm, u, _sector_regions(base, "GD"))
    d = block_draws(inp, np.random.SeedSequence(1), 3)
    rng = np.random.default_rng(np.random.SeedSequence(1))
    rng.standard_normal((3, base.n))
    rng.standard_normal(3)
    rng.standard_normal(3)
    u_r = rng.standard_normal((3, base.n_regions + 1))
    g = mean_one_lognormal((0.02 * inp.growth_k)[None, :, None], u_r[:, None, :])
    x = np.einsum("tns,bts->btn", rm.activity.XR, g)
    S = base.n_sectors
    np.testing.assert_allclose(d.sectors, (rm.scenario.f[None] * x)[:, :, gd * S:(gd + 1) * S], rtol=1e-12)
    with pytest.raises(MonteCarloError):
        run_montecarlo(roadmapper, "demo", scenario, draws=4, scheduler="serial",
                       cv={"regional_growth_sd": 0.01, "coefficient_cv": 0.1})


def test_exact_percentiles_are_numpy_percentile_of_the_draws_also_memory_mapped(
        roadmapper: Roadmapper, scenario: Scenario, serial: MonteCarloResult) -> None:
    draws = np.asarray(serial.totals)
    assert draws.shape == (DRAWS, 32, len(serial.years))
    np.testing.assert_array_equal(serial.total_bands, np.percentile(draws, serial.percentiles, axis=0))
    np.testing.assert_allclose(serial.total_mean, draws.mean(axis=0), rtol=1e-12)
    mm = run_montecarlo(roadmapper, "demo", scenario, draws=DRAWS, seed=SEED, block=BLOCK, region="GD",
                        scheduler="serial", memmap_bytes=0)
    assert isinstance(mm.totals, np.memmap)
    _same(serial, mm)


def test_streaming_sector_quantiles_within_their_stated_error(roadmapper: Roadmapper, scenario: Scenario,
                                                             serial: MonteCarloResult) -> None:
    base = roadmapper.base("demo", scenario)
    rm = roadmapper.run("demo", scenario)
    inp = _inputs(base, rm, serial.uncertainty, _sector_regions(base, "GD"))
    seeds = np.random.SeedSequence(SEED).spawn(DRAWS // BLOCK)
    values = np.concatenate([block_draws(inp, s, BLOCK).sectors for s in seeds], axis=0)  # draws × T × m
    exact = np.percentile(values, serial.percentiles, axis=0).transpose(0, 2, 1)  # Q × m × T
    est, err = serial.sector_bands, serial.sector_error
    assert np.all(np.abs(est - exact) <= err + 1e-12 * (1 + np.abs(exact)))
    np.testing.assert_allclose(serial.sector_mean, values.mean(axis=0).T, rtol=1e-10, atol=1e-15)
    # the bound is half a bin when both order statistics share a bin, a bin when they sit in
    # neighbouring bins (often at 600 draws and 256 bins; rare when draws ≫ bins)
    width = np.broadcast_to(serial.bin_width, err.shape)
    assert np.mean(err <= width / 2 * (1 + 1e-9)) > 0.5
    assert np.mean(err <= width * (1 + 1e-9)) > 0.9
    assert serial.sector_codes[0] == "GD/01" and len(serial.sector_codes) == base.n_sectors


def test_woodbury_coefficient_draws_match_a_dense_solve(roadmapper: Roadmapper, scenario: Scenario) -> None:
    base = roadmapper.base("demo", scenario)
    rm = roadmapper.run("demo", scenario)
    u = Uncertainty(coefficient_cv=0.2)
    inp = _inputs(base, rm, u, _sector_regions(base, None))
    c = inp.coefficients
    assert isinstance(c, CoefficientBlock) and c.rows.size and c.cols.size
    # no noise: the scenario's own output (its Woodbury or LU per year)
    flat = CoefficientBlock(rows=c.rows, cols=c.cols, Ab=c.Ab, A0b=c.A0b, L_I=c.L_I, L_JI=c.L_JI, z=c.z, sigma=0.0)
    x0 = _coefficient_output(flat, np.random.default_rng(0), 1)[0]
    np.testing.assert_allclose(x0, rm.scenario.x, rtol=1e-9)
    # one noisy draw against a dense solve of the perturbed A: columns form (|J| < |I|) and,
    # for clean-power's electrification, rows form (|I| < |J|)
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    for sid in ("efficient-industry", "clean-power"):
        run = roadmapper.run("demo", roadmapper.scenario(sid))
        cb = _inputs(roadmapper.base("demo", run.scenario_def), run, u, _sector_regions(base, None)).coefficients
        assert isinstance(cb, CoefficientBlock)
        x1 = _coefficient_output(cb, np.random.default_rng(3), 1)[0]
        eps = mean_one_lognormal(np.asarray(cb.sigma),
                                 np.random.default_rng(3).standard_normal((1, *cb.A0b.shape)))[0]
        for t in (0, 10, len(base.years) - 1):
            A = np.array(base.A0)
            A[np.ix_(cb.rows, cb.cols)] = cb.Ab[t] * eps
            x_dense = np.linalg.solve(np.eye(base.n) - A, rhs @ run.activity.G[t])
            np.testing.assert_allclose(x1[t], x_dense, rtol=1e-9)
    # a scenario without coefficient levers draws all of A0: one LU per draw
    bl = roadmapper.scenario("baseline")
    inp_full = _inputs(base, roadmapper.run("demo", bl), u, _sector_regions(base, None))
    assert isinstance(inp_full.coefficients, CoefficientFull)
    flat_full = CoefficientFull(A0=inp_full.coefficients.A0, y=inp_full.coefficients.y, sigma=0.0)
    np.testing.assert_allclose(_coefficient_output(flat_full, np.random.default_rng(0), 1)[0],
                               roadmapper.run("demo", bl).scenario.x, rtol=1e-9)
    res = run_montecarlo(roadmapper, "demo", scenario, draws=8, seed=1, block=4, cv={"coefficient_cv": 0.2},
                         scheduler="serial")
    assert res.coefficients == "block" and np.all(np.isfinite(np.asarray(res.totals)))


def test_memory_of_a_block_is_bounded_by_the_block(roadmapper: Roadmapper, scenario: Scenario,
                                                    serial: MonteCarloResult) -> None:
    base = roadmapper.base("demo", scenario)
    rm = roadmapper.run("demo", scenario)
    inp = _inputs(base, rm, serial.uncertainty, _sector_regions(base, "GD"))
    T, R, S = len(base.years), base.n_regions, base.n_sectors
    peaks = {}
    for B in (25, 100):
        tracemalloc.start()
        block_draws(inp, np.random.SeedSequence(1), B)
        peaks[B] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        bound = 8 * B * (T * (6 * S + 2 * R + 2 + S) + base.n)  # the stated formula, m = S
        assert peaks[B] <= bound, (B, peaks[B], bound)
    assert peaks[100] > 2 * peaks[25]  # it grows with the block, not with the draws
    seen: list[int] = []
    run_montecarlo(roadmapper, "demo", scenario, draws=230, seed=1, block=40, scheduler="serial",
                   progress=lambda done, total: seen.append(done))
    assert seen[0] == 40 and seen[-1] == 230 and all(b > a for a, b in itertools.pairwise(seen))


@pytest.mark.parametrize(("kw", "field"), [
    ({"draws": 0}, "draws"),
    ({"draws": -3}, "draws"),
    ({"block": 0}, "block"),
    ({"seed": -1}, "seed"),
    ({"cv": {"intensity_cv": -0.1}}, "intensity_cv"),
    ({"cv": {"power_cv": 3.0}}, "power_cv"),
    ({"cv": {"growth_sd": float("nan")}}, "growth_sd"),
    ({"cv": {"volatility": 0.1}}, "volatility"),
    ({"region": "XX"}, "region"),
    ({"percentiles": [101.0]}, "percentiles"),
])
def test_bad_options_name_the_field_and_the_allowed_values(roadmapper: Roadmapper, scenario: Scenario,
                                                           kw: dict[str, object], field: str) -> None:
    with pytest.raises(MonteCarloError) as exc:
        run_montecarlo(roadmapper, "demo", scenario, scheduler="serial", **kw)  # type: ignore[arg-type]
    assert exc.value.field == field and exc.value.allowed
    assert field in str(exc.value)


def test_uncertainty_defaults_come_from_assumptions_toml() -> None:
    assert Uncertainty() == Uncertainty(**uncertainty_defaults())  # type: ignore[arg-type]
    sc = parse_scenario('[scenario]\nid = "x"\n[uncertainty]\ndraws = 10\n')
    assert sc.uncertainty.draws == 10 and sc.uncertainty.intensity_cv == uncertainty_defaults()["intensity_cv"]
    with pytest.raises(ScenarioError) as exc:
        parse_scenario('[scenario]\nid = "x"\n[uncertainty]\nintensity_cv = -1\n')
    assert exc.value.field == "uncertainty.intensity_cv"


def test_cli_writes_a_plain_csv_of_bands(tmp_path: Path) -> None:
    out = tmp_path / "bands.csv"
    res = CliRunner().invoke(app, ["montecarlo", "--scenario", "clean-power", "--region", "sx", "--draws", "120",
                                   "--block", "40", "--seed", "5", "--scheduler", "serial", "--percentile", "2.5",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns) == ["region", "sector", "year", "statistic", "value", "unit", "method", "max_error"]
    assert set(df["method"]) == {"exact", "streaming"} and set(df["unit"]) == {"Mt CO2"}
    assert {"p2.5", "p5", "p50", "p95", "mean"} <= set(df["statistic"])
    sx = df[(df.region == "SX") & (df.sector != "total")]
    assert set(sx.sector.astype(str).str.zfill(2)) == {f"{k:02d}" for k in range(1, 43)}
    assert (df[df.method == "exact"].max_error == 0).all() and (sx[sx.method == "streaming"].max_error >= 0).all()
    bad = CliRunner().invoke(app, ["montecarlo", "--draws", "0", "--scheduler", "serial", "--out", str(out) + "2"])
    assert bad.exit_code == 1 and "draws" in bad.output and not Path(str(out) + "2").exists()
