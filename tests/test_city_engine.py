"""The city-scale engine on a generated 12-city × 42-sector table: extraction of every city
by block updates on one factorisation agrees with one refactorisation per city and with
the provincial :func:`viscarbon.calc.extraction.hypothetical_extraction`; a LocalCluster
run gives the local numbers; key sectors and structural paths agree with the dense
provincial kernels; the memory guard refuses before anything is written; the CLI writes
CSVs that open with plain ``pandas.read_csv``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from distributed import LocalCluster
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from city_fixtures import city_arrays, mat_variables, write_mat_v5
from inventory_fixtures import release2021_grid, synthetic_values, write_workbook
from viscarbon.analysis import city_engine
from viscarbon.analysis.city_engine import (
    flows_extraction,
    plan_extraction,
    table_extraction,
    table_key_sectors,
    table_paths,
)
from viscarbon.calc.extraction import hypothetical_extraction
from viscarbon.calc.keysectors import classify_key_sectors
from viscarbon.calc.leontief import backward_linkages, factorize, forward_linkages, reciprocal
from viscarbon.calc.scale import factorize_flows
from viscarbon.calc.scale_extraction import extract_units
from viscarbon.calc.spa import structural_paths
from viscarbon.cli import app
from viscarbon.errors import MemoryLimitError
from viscarbon.ingest import import_files
from viscarbon.io.readers import read_ceads_city
from viscarbon.model import IOTable

S = 42
C = 12
ARR = city_arrays(C, seed=3)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> IOTable:
    path = write_mat_v5(tmp_path_factory.mktemp("city") / "city_mrio_2017.mat", mat_variables(ARR))
    return read_ceads_city(path)


@pytest.fixture(scope="module")
def local(table: IOTable) -> city_engine.CityExtraction:
    return table_extraction(table, ARR.F, chunk=5)


def _A(table: IOTable) -> np.ndarray:
    return np.asarray(table.Z) * reciprocal(table.x)[None, :]


def test_every_city_agrees_with_refactorising_and_with_the_provincial_kernel(
        table: IOTable, local: city_engine.CityExtraction) -> None:
    A, y, x = _A(table), table.y_total(), np.asarray(table.x)
    e = ARR.F * reciprocal(x)
    res = local.run.result
    assert res.output_loss.shape == (C, C) and list(res.units) == list(range(C))
    assert local.run.plan.estimate.method == "dense" and local.run.scheduler == "this process"
    for c in range(C):
        E = np.arange(c * S, (c + 1) * S)
        K = np.setdiff1d(np.arange(table.n), E)
        x_bar = np.zeros(table.n)  # brute force: refactorise the reduced system
        x_bar[K] = np.linalg.solve(np.eye(K.size) - A[np.ix_(K, K)], y[K])
        brute = (x - x_bar).reshape(C, S).sum(axis=1)
        assert_allclose(res.output_loss[c], brute, rtol=1e-9, atol=1e-9 * float(x.sum()))
        prov = hypothetical_extraction(A, y, e, E, mode="complete", x=x)
        assert_allclose(res.output_loss[c], prov.output_loss.reshape(C, S).sum(axis=1), rtol=1e-9,
                        atol=1e-9 * float(x.sum()))
        assert_allclose(res.co2_loss[c], prov.emission_loss.reshape(C, S).sum(axis=1), rtol=1e-9,
                        atol=1e-9 * float(ARR.F.sum()))
        assert res.output_loss[c, c] == pytest.approx(x[E].sum(), rel=1e-12)  # the city is lost whole


@pytest.mark.parametrize("method", ["sparse", "iterative"])
def test_other_paths_and_chunks_give_the_same_numbers(table: IOTable, local: city_engine.CityExtraction,
                                                      method: str) -> None:
    units = [0, 5, 11]
    run = flows_extraction(sp.csc_array(table.Z), x=table.x, y=table.y_total(), F=ARR.F, block=S,
                           method=method, chunk=2, units=units)  # type: ignore[arg-type]
    assert run.plan.estimate.method == method
    assert_allclose(run.result.co2_loss, local.run.result.co2_loss[units], rtol=1e-9,
                    atol=1e-12 * float(ARR.F.sum()))
    # the kernel itself, chunk 1 on the dense factor: the same to rounding
    one = extract_units(factorize_flows(table.Z, table.x), x=table.x, y=table.y_total(),
                        e=ARR.F * reciprocal(table.x), block=S, units=units, chunk=1)
    assert_allclose(one.output_loss, local.run.result.output_loss[units], rtol=1e-12)


def test_a_local_cluster_gives_the_local_numbers(table: IOTable, local: city_engine.CityExtraction) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        res = table_extraction(table, ARR.F, chunk=3, scheduler=cluster.scheduler_address)
    assert res.run.workers == 2 and res.run.scheduler == cluster.scheduler_address
    assert list(res.run.result.units) == list(range(C))
    assert_allclose(res.run.result.output_loss, local.run.result.output_loss, rtol=1e-12)
    assert_allclose(res.run.result.co2_loss, local.run.result.co2_loss, rtol=1e-12)


def test_key_sectors_agree_with_the_dense_provincial_kernel(table: IOTable) -> None:
    res = table_key_sectors(table, method="iterative")
    fac = factorize(_A(table))
    bl, fl = backward_linkages(fac), forward_linkages(fac, table.x)
    assert_allclose(res.linkages.backward, bl, rtol=1e-10)
    assert_allclose(res.linkages.forward, fl, rtol=1e-10)
    assert_allclose(res.linkages.column_sums, np.linalg.inv(np.eye(table.n) - _A(table)).sum(axis=0), rtol=1e-10)
    assert (res.quadrant == classify_key_sectors(bl, fl)).all()
    assert res.linkages.backward.mean() == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("sector", [None, "06"])
def test_paths_agree_with_the_dense_spa(table: IOTable, sector: str | None) -> None:
    region = table.regions.codes[2]
    res = table_paths(table, ARR.F, region=region, sector=sector, depth=4, threshold=1e-4, top=40,
                      method="iterative")
    A = _A(table)
    f = ARR.F * reciprocal(table.x)
    m = np.linalg.solve((np.eye(table.n) - A).T, f)
    if sector is None:
        y = table.Y_by_region()[:, 2]
    else:
        i = 2 * S + table.sectors.index(sector)
        y = np.zeros(table.n)
        y[i] = table.y_total()[i]
    ref = structural_paths(A, f, m, y, max_depth=4, threshold=res.threshold_mt, top=40)
    p = res.paths
    assert p.values.size == 40 and p.n_paths == ref.n_paths > 40
    assert_allclose(p.values, ref.values, rtol=1e-9)
    assert (p.nodes == ref.nodes).all() and (p.depths == ref.depths).all()
    assert p.found == pytest.approx(ref.found, rel=1e-9) and p.total == pytest.approx(ref.total, rel=1e-9)
    assert res.threshold_mt == pytest.approx(1e-4 * ref.total, rel=1e-9)


def test_memory_guard_refuses_an_extraction_naming_the_memory(table: IOTable, tmp_path: Path) -> None:
    n = 339 * 3 * S
    with pytest.raises(MemoryLimitError) as err:
        plan_extraction(n, n * n, block=3 * S, chunk=4, scheduler="local", workers=2, available=8 * 10**9)
    text = str(err.value)
    assert f"{n:,} sectors needs" in text and "2 worker(s)" in text and "8.00 GB of memory is available" in text
    with pytest.raises(MemoryLimitError, match=r"needs \d+\.\d\d GB"):
        table_extraction(table, ARR.F, available=10**6)
    ok = plan_extraction(table.n, table.n**2, block=S, chunk=4, scheduler="local", workers=2, available=10**10)
    assert ok.needed == 2 * ok.estimate.total and ok.workers == 2


def _city_store(tmp_path: Path, store_path: Path) -> str:
    arr = city_arrays(C, seed=9)
    grids = {name: release2021_grid(synthetic_values(k + 1)) for k, name in enumerate(arr.names)}
    grids["NOTE"] = [["Unit: Mt CO2"], ["Source: CEADs"]]
    import_files(store_path, "ceads-city-inventory", [write_workbook(tmp_path / "City_CO2_Inventories_2017.xlsx",
                                                                     grids)])
    res = import_files(store_path, "ceads-city-mrio", [write_mat_v5(tmp_path / "city_2017.mat", mat_variables(arr))])
    return res.name


def test_cli_writes_csvs_and_refuses_before_writing(tmp_path: Path, store_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    name = _city_store(tmp_path, store_path)
    runner = CliRunner()
    out = tmp_path / "out"
    ext = runner.invoke(app, ["analyse", "city-extraction", "--dataset", name, "--out", str(out), "--store",
                              str(store_path), "--scheduler", "local", "--workers", "2", "--chunk", "4"])
    assert ext.exit_code == 0, ext.output
    text = " ".join(ext.output.split())
    assert "dense path on local (2 worker(s))" in text and "GB needed" in text and "extraction_matrix.csv" in text
    by_city = pd.read_csv(out / "extraction_by_city.csv")
    matrix = pd.read_csv(out / "extraction_matrix.csv")
    assert len(by_city) == C and len(matrix) == C * C
    assert (by_city["co2_loss_mt"] >= by_city["co2_own_mt"] * (1 - 1e-12)).all()
    assert matrix.groupby("extracted_region", sort=False)["co2_loss_mt"].sum().to_numpy() == pytest.approx(
        by_city["co2_loss_mt"].to_numpy(), rel=1e-12)
    ks = runner.invoke(app, ["analyse", "city-key-sectors", "--dataset", name, "--out", str(out),
                             "--store", str(store_path)])
    assert ks.exit_code == 0, ks.output
    k = pd.read_csv(out / "key_sectors.csv")
    assert len(k) == C * S and k["backward_linkage"].mean() == pytest.approx(1.0, rel=1e-9)
    assert set(k["quadrant"]) <= {"key", "backward", "forward", "weak"}
    region = str(by_city["region"].iloc[0])
    sp_ = runner.invoke(app, ["analyse", "city-paths", "--dataset", name, "--out", str(out), "--store",
                              str(store_path), "--region", region, "--depth", "3", "--top", "10"])
    assert sp_.exit_code == 0, sp_.output
    paths = pd.read_csv(out / "paths.csv", dtype={"final_demand_region": str})
    assert len(paths) == 10 and 0 < paths["share"].sum() <= 1.0
    assert paths["value_mt"].is_monotonic_decreasing
    refused = tmp_path / "refused"
    monkeypatch.setattr(city_engine, "available_memory", lambda: 10**6)
    bad = runner.invoke(app, ["analyse", "city-extraction", "--dataset", name, "--out", str(refused),
                              "--store", str(store_path)])
    assert bad.exit_code != 0
    words = " ".join(bad.output.split())
    assert "504 sectors needs" in words and "0.00 GB of memory is available" in words and "--chunk" in words
    assert not refused.exists()
