"""The roadmap core on the demo: identities, secda properties, binding targets, the
Woodbury path, the baseline's calibration, the decomposition, wedges and lever effects."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.linalg as sla

from viscarbon.analysis import Workspace
from viscarbon.calc.leontief import factorize, solve
from viscarbon.calc.pathway import low_rank_factor, secda
from viscarbon.roadmap import Roadmapper, parse_scenario
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.checks import check_target
from viscarbon.roadmap.engine import activity, intensities, pathway
from viscarbon.roadmap.priorities import MILESTONES, lever_ranking, sector_reductions, wedges
from viscarbon.roadmap.run import NATION, Roadmap, run_roadmap
from viscarbon.roadmap.scenario import Binding

pytestmark = pytest.mark.xdist_group("roadmap")
RTOL = 1e-9


@pytest.fixture(scope="module")
def roadmapper() -> Roadmapper:
    return Roadmapper(Workspace())


@pytest.fixture(scope="module")
def base(roadmapper: Roadmapper) -> RoadmapBase:
    return roadmapper.base("demo")


@pytest.fixture(scope="module")
def baseline(roadmapper: Roadmapper) -> Roadmap:
    return roadmapper.run("demo")


@pytest.fixture(scope="module")
def efficient(roadmapper: Roadmapper) -> Roadmap:
    return roadmapper.run("demo", roadmapper.scenario("efficient-industry"))


@pytest.fixture(scope="module")
def binding(roadmapper: Roadmapper) -> Roadmap:
    return roadmapper.run("demo", roadmapper.scenario("targets-binding"))


def _independent_baseline(base: RoadmapBase) -> tuple[np.ndarray, np.ndarray]:
    """Production-based CO2 by region (T × R) and output (T × n) of the baseline, from
    scratch: x(t) = (I − A0)⁻¹ (Y0·1 + EX0) · growth(t) by a dense solve, CO2 = f x."""
    n, R = base.n, base.n_regions
    K = len(base.fd_categories)
    M = np.eye(n) - base.A0
    x1 = np.linalg.solve(M, base.Y0.sum(axis=1) + base.EX0)
    x = base.growth[:, None] * x1[None, :]
    co2 = base.f_base * x
    hh = (base.hh_unit * base.growth[:, None]).reshape(len(base.years), R, K).sum(axis=2)
    return co2.reshape(len(base.years), R, -1).sum(axis=2) + hh, x


def test_sectors_plus_households_are_the_province_and_provinces_the_nation(baseline: Roadmap, efficient: Roadmap,
                                                                         base: RoadmapBase) -> None:
    expected, x = _independent_baseline(base)
    np.testing.assert_allclose(baseline.baseline.x, x, rtol=RTOL)
    np.testing.assert_allclose(baseline.baseline.pba, expected, rtol=RTOL)
    for rm in (baseline, efficient):
        T, R, S = len(rm.years), base.n_regions, base.n_sectors
        for name in ("baseline", "scenario", "secda"):
            sectors = rm.sector_co2(name).reshape(T, R, S).sum(axis=2)
            np.testing.assert_allclose(rm.pba(name), sectors + rm.households(name), rtol=RTOL)
            nation = sum(rm.pba(name)[:, r] for r in range(R) if base.reported[r])
            np.testing.assert_allclose(rm.nation(rm.pba(name)), nation, rtol=RTOL)
        sc = rm.scenario
        # consumption-based: every tonne emitted is somebody's final demand or foreign exports
        np.testing.assert_allclose(sc.transfer.sum(axis=(1, 2)) + sc.households.sum(axis=1),
                                   sc.pba.sum(axis=1), rtol=RTOL)
        np.testing.assert_allclose(sc.cba.sum(axis=1) + sc.transfer[:, :, -1].sum(axis=1), sc.pba.sum(axis=1),
                                   rtol=RTOL)


def test_zero_lever_scenario_is_the_baseline_exactly(roadmapper: Roadmapper, baseline: Roadmap) -> None:
    empty = parse_scenario('[scenario]\nid = "nothing"\ntitle_en = "Nothing"\n')
    rm = roadmapper.run("demo", empty)
    for field in ("x", "f", "co2", "households", "pba", "cba", "electricity", "transfer", "va"):
        assert np.array_equal(getattr(rm.scenario, field), getattr(baseline.baseline, field)), field
    # and through the engine's lever path too (a lever of rate 0)
    zero = parse_scenario('[scenario]\nid = "zero"\n[[lever]]\nkind = "intensity"\nsectors = "*"\n'
                          'from = 2021\nto = 2060\nrate = 0.0\n')
    rz = roadmapper.run("demo", zero)
    assert np.array_equal(rz.scenario.pba, baseline.baseline.pba)
    assert not rz.decomposition.own.any() and not rz.decomposition.imported.any()


def test_calibration_years_reproduce_the_inventory(roadmapper: Roadmapper, base: RoadmapBase, baseline: Roadmap) -> None:
    ws = roadmapper.workspace
    series = {s.inventory_year: s for s in ws.series("demo")}
    assert base.calibrated, "the demo inventory runs past its last table"
    for y in base.calibrated:
        k = base.index(y)
        np.testing.assert_allclose(baseline.baseline.co2[k], series[y].F, rtol=RTOL, atol=1e-12)
        K = len(base.fd_categories)
        hh = np.asarray(series[y].F_Y).reshape(base.n_regions, K).sum(axis=1)
        np.testing.assert_allclose(baseline.baseline.households[k], hh, rtol=RTOL, atol=1e-12)
    # t0 is the table year's own CO2
    np.testing.assert_allclose(baseline.baseline.co2[0], np.asarray(ws.year("demo").coefficients.F), rtol=RTOL)


def test_secda_targets(efficient: Roadmap, base: RoadmapBase) -> None:
    sd = efficient.secda.arrays
    rep = base.reported
    R, S = base.n_regions, base.n_sectors
    I0 = (base.f0 * 1e6).reshape(R, S)
    # t0: the province's own intensity; 2060: the benchmark where the province is above it
    np.testing.assert_allclose(sd.target[0][rep], I0[rep], rtol=RTOL, atol=1e-15)
    bench_2060 = sd.national[-1]
    above = (sd.d >= 0) & rep[:, None]
    np.testing.assert_allclose(sd.target[-1][above], np.broadcast_to(bench_2060, (R, S))[above], rtol=RTOL,
                               atol=1e-15)
    assert (sd.m <= 1.0).all()
    below = (sd.d < 0) & rep[:, None]
    assert (np.diff(sd.target[:, below], axis=0) <= 1e-15).all(), "a province below the benchmark told to rise"
    # the national benchmark: output-weighted mean at t0, times the ratio path
    x0 = efficient.scenario.x[0].reshape(R, S)[rep]
    Is0 = (I0[rep] * x0).sum(axis=0) / np.where(x0.sum(axis=0) > 0, x0.sum(axis=0), 1.0)
    np.testing.assert_allclose(sd.national, base.g * Is0[None, :], rtol=RTOL, atol=1e-15)
    # capped m: the provinces' sum lies at or below the national sector budget
    assert (efficient.secda.headroom >= -1e-9 * np.abs(efficient.secda.budget).max()).all()


def test_secda_never_tells_a_province_below_the_benchmark_to_rise() -> None:
    # province 0 starts below the 2060 benchmark of sector 0; province 1's share grows (m < 1)
    I0 = np.array([[0.05, 2.0], [3.0, 2.0]])
    x0 = np.array([[1.0, 1.0], [1.0, 1.0]])
    x = np.stack([x0, np.array([[1.0, 1.0], [2.0, 1.0]]), np.array([[1.0, 1.0], [3.0, 1.0]])])
    g = np.array([[1.0, 1.0], [0.5, 0.5], [0.1, 0.1]])
    sd = secda(I0, x0, x, g)
    assert sd.d[0, 0] < 0
    np.testing.assert_allclose(sd.target[:, 0, 0], 0.05)  # held at its own intensity
    assert sd.m[1, 1, 0] < 1.0 and (sd.m <= 1.0).all()
    # m < 1 gives the growing province a stricter target than an unchanged share would
    p1 = sd.p[1, 0]
    assert sd.target[1, 1, 0] < sd.d[1, 0] * p1 + sd.national[-1, 0]
    np.testing.assert_allclose(sd.target[-1, 1, :], sd.national[-1, :])


def test_secda_uncapped_shares_the_national_budget_exactly() -> None:
    rng = np.random.default_rng(3)
    R, S, T = 5, 4, 6
    I0 = rng.uniform(1.0, 3.0, (R, S))
    x0 = rng.uniform(1.0, 2.0, (R, S))
    # every province's share of every sector falls: m > 1 would be capped; here keep shares fixed
    x = np.stack([x0 * (1.0 + 0.1 * t) for t in range(T)])
    g = np.linspace(1.0, 0.1, T)[:, None] * np.ones(S)
    sd = secda(I0, x0, x, g)
    np.testing.assert_allclose(sd.m, 1.0)
    budget = sd.national * x.sum(axis=1)
    np.testing.assert_allclose((sd.target * x).sum(axis=1), budget, rtol=1e-12)


def test_binding_targets_are_met_and_say_which_bound(binding: Roadmap) -> None:
    assert binding.binding, "the binding scenario reports what its targets did"
    bound = [b for b in binding.binding if b.bound]
    assert bound and all(b.raised_by > 0 for b in bound)
    checks = {(c.target.id, c.region): c for c in binding.checks if c.pathway == "scenario"}
    for b in binding.binding:
        c = checks[(b.target.id, b.region)]
        if b.needed is not None:
            assert c.met, (b.target.id, b.region, c.gap)
        else:
            assert b.reason in ("unreachable", "no_energy_data", "beyond_horizon", "no_base_year_co2",
                                "no_provincial_gdp_index", "no_gdp_index")
    # the adjustment is the stated one: f·(1 − c)^(t − t_cal) on every sector of the region
    base = binding.base
    r = int(np.argmax(binding.scenario.extra_cut))
    c = binding.scenario.extra_cut[r]
    assert c > 0
    sl = slice(r * base.n_sectors, (r + 1) * base.n_sectors)
    levers_only = run_roadmap(base, replace(binding.scenario_def, binding=Binding()))
    k = len(base.years) - 1
    steps = base.years[k] - base.t_cal
    np.testing.assert_allclose(binding.scenario.f[k, sl], levers_only.scenario.f[k, sl] * (1 - c) ** steps, rtol=RTOL)


def test_reported_gaps_equal_our_own_computation(baseline: Roadmap, base: RoadmapBase) -> None:
    gd = base.regions.index("GD")
    e = baseline.baseline.pba[:, gd]
    va = baseline.baseline.va[:, gd]
    years = list(base.years)
    checks = {(c.target.id, c.region, c.pathway): c for c in baseline.checks}
    c = checks[("province-intensity-14fyp", "GD", "baseline")]
    change = (e[years.index(2025)] / va[years.index(2025)]) / (e[years.index(2020)] / va[years.index(2020)]) - 1
    assert c.value == pytest.approx(change, rel=1e-12)
    assert c.gap == pytest.approx(change + 0.18, rel=1e-12)
    n = baseline.nation(baseline.baseline.pba)
    c = checks[("cn-peak-2030", "CN", "baseline")]
    hist = np.nansum(base.history.by_region[:, base.reported], axis=1)[:-1]  # years before t0
    before = max(hist.max(), n[: years.index(2030) + 1].max())
    over = max(n[years.index(2030) + 1:].max() - before, 0.0)
    assert c.excess_mt == pytest.approx(over, rel=1e-12)
    assert c.status == ("met" if over == 0 else "missed")
    c = checks[("cn-neutrality-2060", "CN", "baseline")]
    assert c.gap == pytest.approx(n[-1] - 0.1 * n[years.index(2020)], rel=1e-12)
    assert baseline.removal["baseline"][-1][base.reported].sum() == pytest.approx(n[-1], rel=1e-12)
    # non-fossil shares cannot be checked without energy data, and say so
    nf = checks[("cn-non-fossil-2030", "CN", "baseline")]
    assert nf.status == "not_checkable" and nf.reason == "no_energy_data"
    # the demo inventory has no 2005: the -65 % check is skipped visibly
    c65 = checks[("cn-intensity-2005", "CN", "baseline")]
    assert c65.status == "skipped" and c65.reason == "no_base_year_co2"


def test_check_of_a_target_on_a_hand_made_series() -> None:
    from viscarbon.roadmap.checks import Series
    from viscarbon.roadmap.targets import Target
    years = np.arange(2020, 2036)
    co2 = np.concatenate([np.linspace(100, 120, 11), np.linspace(118, 100, 5)])  # peak 2030 at 120
    s = Series(region="GD", years=years, co2=co2, gdp=np.linspace(10, 20, len(years)), t0=2020)
    peak = check_target(Target("p", "*", "peak", 2030, "plan", "test"), s, pathway="scenario")
    assert peak.met and peak.value == 2030
    late = check_target(Target("p", "*", "peak", 2025, "plan", "test"), s, pathway="scenario")
    assert not late.met and late.excess_mt == pytest.approx(120 - 110)
    ndc = check_target(Target("n", "*", "emissions_cut", 2035, "plan", "t", cut=0.10, cut_low=0.07, from_peak=True),
                       s, pathway="scenario")
    assert ndc.required == pytest.approx(0.93 * 120) and ndc.met
    assert ndc.params["strong_end_met"] is True


def test_woodbury_equals_a_new_factorization() -> None:
    rng = np.random.default_rng(7)
    n = 60
    A0 = rng.uniform(0, 1.0 / n, (n, n))
    base = factorize(A0)
    J = np.array([3, 17, 42])
    D = rng.uniform(-0.5 / n, 0.5 / n, (n, 3))
    A1 = A0.copy()
    A1[:, J] += D
    b = rng.uniform(size=(n, 4))
    E = np.zeros((n, 3))
    E[J, np.arange(3)] = 1.0
    lr = low_rank_factor(base, D, E)
    np.testing.assert_allclose(lr.solve(b), np.linalg.solve(np.eye(n) - A1, b), rtol=1e-10)
    f = rng.uniform(size=n)
    np.testing.assert_allclose(lr.solve_transposed(f), np.linalg.solve((np.eye(n) - A1).T, f), rtol=1e-10)
    # the row form: a change confined to rows I
    rows = np.array([5, 9])
    Delta = rng.uniform(-0.5 / n, 0.5 / n, (2, n))
    A2 = A0.copy()
    A2[rows] += Delta
    Er = np.zeros((n, 2))
    Er[rows, np.arange(2)] = 1.0
    lr2 = low_rank_factor(base, Er, Delta.T, MU=solve(base, Er))
    np.testing.assert_allclose(lr2.solve(b), sla.solve(np.eye(n) - A2, b), rtol=1e-10)


def test_coefficient_levers_match_a_brute_force_solve(efficient: Roadmap, base: RoadmapBase) -> None:
    act = efficient.activity
    assert act.woodbury > 0 and act.factorizations == 0
    k = base.index(2050)
    A = np.array(base.A0)
    A[np.ix_(act.A_rows, act.A_cols)] += act.D[k]
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1) * act.G[k][None, :]
    x = np.linalg.solve(np.eye(base.n) - A, rhs.sum(axis=1))
    np.testing.assert_allclose(act.x[k], x, rtol=1e-8)
    # value added falls by the coefficient change: v(t) = v0 − Σ_i ΔA_ij
    v = np.array(base.va_coef)
    v[act.A_cols] -= act.D[k].sum(axis=0)
    np.testing.assert_allclose(act.va[k], (v * x).reshape(base.n_regions, -1).sum(axis=1), rtol=1e-8)


@pytest.mark.parametrize("scenario", ["efficient-industry", "clean-power"])
def test_the_low_rank_response_is_a_dense_solve_by_destination(roadmapper: Roadmapper, base: RoadmapBase,
                                                                scenario: str) -> None:
    """``L(t)[Y0|EX0]`` kept as ``X0 + MU corr`` (rows form for clean-power's
    electrification, columns form for efficient-industry) and its aggregation by
    destination region equal a dense solve of every year checked."""
    act = roadmapper.run("demo", roadmapper.scenario(scenario)).activity
    assert act.woodbury > 0
    R, K = base.n_regions, len(base.fd_categories)
    rhs = np.concatenate([base.Y0, base.EX0[:, None]], axis=1)
    for year in (2025, 2040, 2060):
        k = base.index(year)
        A = np.array(base.A0)
        A[np.ix_(act.A_rows, act.A_cols)] += act.D[k]
        X = np.linalg.solve(np.eye(base.n) - A, rhs)
        np.testing.assert_allclose(act.demand_output(k), X, rtol=1e-8, atol=1e-9 * np.abs(X).max())
        Xs = X * act.G[k][None, :]
        XR = np.concatenate([Xs[:, :R * K].reshape(base.n, R, K).sum(axis=2), Xs[:, R * K:]], axis=1)
        np.testing.assert_allclose(act.XR[k], XR, rtol=1e-8, atol=1e-9 * np.abs(XR).max())


def test_decomposition_and_wedges_add_up(efficient: Roadmap) -> None:
    d = efficient.decomposition
    np.testing.assert_allclose(d.own + d.imported + d.demand, efficient.baseline.cba - efficient.scenario.cba,
                               rtol=RTOL, atol=1e-9)
    for region in ("GD", NATION):
        w = wedges(efficient, region)
        total = efficient.baseline.pba - efficient.scenario.pba
        expected = efficient.nation(total) if region == NATION else total[:, efficient.base.regions.index("GD")]
        np.testing.assert_allclose(w.values.sum(axis=1), expected, rtol=1e-9, atol=1e-9)
        assert len(w.labels) == len(efficient.scenario_def.levers)


def test_lever_effects_are_the_engines_derivatives(baseline: Roadmap, base: RoadmapBase) -> None:
    """First-order effects equal a finite difference through the engine (a 0.1 % lever in
    one year), within the second-order term."""
    ranking = lever_ranking(baseline, "GD", year=2030, top=40)
    k = base.index(2030)
    gd = base.regions.index("GD")
    for le in ranking:
        if le.kind == "intensity":
            text = (f'[scenario]\nid = "fd"\n[[lever]]\nkind = "intensity"\nsectors = ["{le.sector}"]\n'
                    'regions = ["GD"]\nfrom = 2030\nto = 2030\nrate = -0.001\n')
        elif le.kind == "final_demand":
            text = (f'[scenario]\nid = "fd"\n[[lever]]\nkind = "final_demand"\ncategories = ["{le.category}"]\n'
                    'regions = ["GD"]\nfrom = 2030\nto = 2030\nrate = -0.001\n')
        else:
            continue
        rm = run_roadmap(base, parse_scenario(text))
        avoided = float(baseline.baseline.pba[k].sum() - rm.scenario.pba[k].sum())
        assert avoided * 10 == pytest.approx(le.avoided, rel=2e-3), le
        inside = float(baseline.baseline.pba[k, gd] - rm.scenario.pba[k, gd])
        if le.kind == "intensity":
            assert inside * 10 == pytest.approx(le.inside, rel=2e-3)


def test_sector_reductions_by_milestone(efficient: Roadmap) -> None:
    red = sector_reductions(efficient, "SX")
    assert red.years == MILESTONES and red.sectors[-1] == "HH"
    k = [efficient.base.index(y) for y in MILESTONES]
    r = efficient.base.regions.index("SX")
    S = efficient.base.n_sectors
    np.testing.assert_allclose(red.scenario[:S].sum(axis=0) + red.scenario[S], efficient.scenario.pba[k, r], rtol=RTOL)
    np.testing.assert_allclose(red.target[:S].sum(axis=0) + red.target[S], efficient.secda.pba[k, r], rtol=RTOL)
    np.testing.assert_allclose(red.needed, red.scenario - red.target)


def test_engine_activity_is_reused_for_intensity_levers(base: RoadmapBase) -> None:
    sc = parse_scenario('[scenario]\nid = "p"\n[[lever]]\nkind = "power"\nfrom = 2021\nto = 2050\ncut = 0.9\n')
    rm = run_roadmap(base, sc)
    assert rm.activity.factorizations == 0 and rm.activity.woodbury == 0
    act = activity(base, ())
    f, hh = intensities(base, ())
    p = pathway(base, act, f, hh, scenario="b")
    assert (rm.scenario.pba <= p.pba + 1e-9).all()
    power = base.power_rows
    k = base.index(2050)
    np.testing.assert_allclose(rm.scenario.f[k, power], p.f[k, power] * 0.1, rtol=RTOL)
