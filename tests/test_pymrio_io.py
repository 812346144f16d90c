"""pymrio folders: pymrio's own test system read without pandas; CEADs systems written so
that pymrio.load_all reads the same Z, Y, F and D_cba_reg is the consumption-based CO2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pymrio
import pytest

from store_fixtures import make_mrio
from viscarbon.datasets import Catalog
from viscarbon.errors import DataError, LayoutError
from viscarbon.ingest import import_files
from viscarbon.io.readers.pymrio import read_pymrio_folder
from viscarbon.io.writers.pymrio import write_pymrio_folder
from viscarbon.model import Axis, EEIOSystem, SatelliteAccount


@pytest.fixture(scope="module")
def system() -> EEIOSystem:
    t = make_mrio(n_regions=3, seed=3, co2_row=True)
    rng = np.random.default_rng(5)
    k, RK = 3, t.Y.shape[1]
    F = rng.uniform(0, 1, (k, t.n)) * (rng.uniform(0, 1, (k, t.n)) < 0.5)
    FY = np.zeros((k, RK))
    FY[:, 0::6] = rng.uniform(0, 1, (k, 3))  # rural households (FU101)
    FY[:, 1::6] = rng.uniform(0, 1, (k, 3))  # urban households (FU102)
    sat = SatelliteAccount("CO2", Axis("stressor", ("raw_coal", "natural_gas", "process")), F, FY, "Mt",
                           2017, ("reported", "reported", "missing"), notes=("test",))
    return EEIOSystem(table=t, satellites=(sat,), dataset="t")


def test_reads_pymrio_test_system(tmp_path: Path) -> None:
    mr = pymrio.load_test()
    mr.save_all(tmp_path / "test")
    f = read_pymrio_folder(tmp_path / "test", year=2011)
    t = f.system.table
    assert t.regions.codes == tuple(mr.get_regions()) and t.sectors.codes == tuple(mr.get_sectors())
    assert t.fd_categories.codes == tuple(mr.get_Y_categories())
    assert np.array_equal(t.Z, mr.Z.to_numpy()) and np.array_equal(t.Y, mr.Y.to_numpy())
    np.testing.assert_allclose(t.x, mr.Z.to_numpy().sum(1) + mr.Y.to_numpy().sum(1), rtol=1e-14)
    (em,) = f.system.satellites
    assert em.name == "Emissions" and em.stressors.codes == ("emission_type1|air", "emission_type2|water")
    assert np.array_equal(em.F, mr.emissions.F.to_numpy()) and np.array_equal(em.F_Y, mr.emissions.F_Y.to_numpy())
    assert em.unit == "kg" and t.unit == "Mill USD"
    # its factor inputs do not close the column balance: value added becomes the residual, said in notes
    assert t.va_rows.codes == ("VA",) and "value added derived" in t.notes[0]
    with pytest.raises(DataError, match="does not say which year"):
        read_pymrio_folder(tmp_path / "test")


def test_export_is_read_by_pymrio_exactly(system: EEIOSystem, tmp_path: Path) -> None:
    t, sat = system.table, system.satellites[0]
    n = t.n
    write_pymrio_folder(system, tmp_path / "p")
    mr = pymrio.load_all(tmp_path / "p")
    assert list(mr.get_regions()) == ["BJ", "TJ", "HE", "RoW"]
    assert mr.get_sectors()[0] == "S01"
    assert np.array_equal(mr.Z.to_numpy()[:n, :n], t.Z) and not mr.Z.to_numpy()[n:].any()
    Y = mr.Y.to_numpy()
    assert np.array_equal(Y[:n, :6], t.Y[:, :6])  # BJ: FU101 … Other
    assert np.array_equal(mr.Y[("RoW", "Exports")].to_numpy()[:n], t.EX)
    assert np.array_equal(mr.co2.F.to_numpy()[:, :n], sat.F)
    assert np.array_equal(mr.co2.F_Y[("TJ", "FU102")].to_numpy(), sat.F_Y[:, 7])
    fi = mr.factor_inputs.F
    assert np.array_equal(fi.loc["IM"].to_numpy()[:n], t.IM) and np.array_equal(fi.loc["VA001"].to_numpy()[:n], t.V[0])


def test_pymrio_footprints_are_consumption_based_co2(system: EEIOSystem, tmp_path: Path) -> None:
    """D_cba_reg[r] = f·L·Y_r + F_Y_r (Miller & Blair 2009 §10.3); RoW = CO2 in exports."""
    t, sat = system.table, system.satellites[0]
    n, R = t.n, t.n_regions
    write_pymrio_folder(system, tmp_path / "p")
    mr = pymrio.load_all(tmp_path / "p")
    mr.calc_all()
    cba = mr.co2.D_cba_reg.to_numpy()  # k × (R + 1)
    A = t.Z / t.x[None, :]
    f = sat.F / t.x[None, :]
    fL_Y = np.linalg.solve((np.eye(n) - A).T, f.T).T @ t.Y_by_region()  # f L Y_r, k × R
    direct = sat.F_Y.reshape(3, R, 6).sum(axis=2)
    np.testing.assert_allclose(cba[:, :R], fL_Y + direct, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cba[:, R], np.linalg.solve((np.eye(n) - A).T, f.T).T @ t.EX, rtol=1e-9)
    # Σ consumption-based (all final demand, incl. exports) = Σ production-based
    np.testing.assert_allclose(cba.sum(), sat.F.sum() + sat.F_Y.sum(), rtol=1e-12)


def test_round_trip_back_to_the_same_arrays(system: EEIOSystem, tmp_path: Path) -> None:
    write_pymrio_folder(system, tmp_path / "p")
    back = read_pymrio_folder(tmp_path / "p").system
    t, bt = system.table, back.table
    for b in ("Z", "Y", "EX", "IM", "V", "x"):
        assert getattr(bt, b).tobytes() == getattr(t, b).tobytes(), b
    assert bt.regions == t.regions and bt.sectors == t.sectors and bt.year == 2017
    assert bt.fd_categories == t.fd_categories and bt.va_rows == t.va_rows and bt.unit == "10k_yuan"
    (s2,) = back.satellites
    s1 = system.satellites[0]
    assert s2.F.tobytes() == s1.F.tobytes() and s2.F_Y.tobytes() == s1.F_Y.tobytes()
    assert s2.region_status == s1.region_status and s2.stressors.codes == s1.stressors.codes


def test_import_a_pymrio_folder_into_the_store(system: EEIOSystem, store_path: Path, tmp_path: Path) -> None:
    write_pymrio_folder(system, tmp_path / "p")
    r = import_files(store_path, "pymrio", [tmp_path / "p"])
    assert r.name == "pymrio-2017" and r.changed
    loaded = Catalog(store_path).resolve("pymrio-2017", 2017).system
    assert loaded.table.Z.tobytes() == system.table.Z.tobytes()
    assert loaded.satellite("CO2").F.tobytes() == system.satellites[0].F.tobytes()
    assert not import_files(store_path, "pymrio", [tmp_path / "p"]).changed


def test_damaged_folders(system: EEIOSystem, tmp_path: Path) -> None:
    p = write_pymrio_folder(system, tmp_path / "p")
    (p / "Z.txt").write_text("\n".join((p / "Z.txt").read_text().splitlines()[:50]) + "\n1\t2\n")
    with pytest.raises(LayoutError, match="row has 2 cells"):
        read_pymrio_folder(p)
    q = write_pymrio_folder(system, tmp_path / "q")
    lines = (q / "Y.txt").read_text().splitlines()
    cells = lines[5].split("\t")
    cells[4] = "abc"
    lines[5] = "\t".join(cells)
    (q / "Y.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"text 'abc' where a number is required.*Y\.txt"):
        read_pymrio_folder(q)
    params = json.loads((q / "file_parameters.json").read_text())
    params["files"]["Z"]["name"] = "Z.parquet"
    (q / "file_parameters.json").write_text(json.dumps(params))
    with pytest.raises(LayoutError, match="as text tables"):
        read_pymrio_folder(q)
    with pytest.raises(LayoutError, match=r"file_parameters\.json not found"):
        read_pymrio_folder(tmp_path)
