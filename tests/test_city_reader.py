"""CEADs city MRIO .mat files: both MAT versions, naming variants, orientation, errors
naming file, variable and shape; the import kind (all or nothing) and doctor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from city_fixtures import city_arrays, mat_variables, write_mat_v5, write_mat_v73
from viscarbon.classification import cities, city, match_city
from viscarbon.errors import BalanceError, DataError, LayoutError, MemoryLimitError
from viscarbon.ingest import import_files
from viscarbon.io.readers import read_ceads_city
from viscarbon.io.readers.ceads_city import reader
from viscarbon.io.readers.doctor import inspect_file
from viscarbon.io.store import Store

WRITERS = {"v5": write_mat_v5, "v7.3": write_mat_v73}
ARR = city_arrays(24)


@pytest.fixture(params=list(WRITERS))
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _write(tmp_path: Path, version: str, variables: dict[str, object], name: str = "city_mrio_2017.mat") -> Path:
    return WRITERS[version](tmp_path / name, variables)


def test_concordance_csv_opens_plainly_and_matches_lookups() -> None:
    path = Path(__file__).parents[1] / "src/viscarbon/classification/data/cities.csv"
    df = pd.read_csv(path, dtype=str)
    assert list(df.columns) == ["code", "name_zh_hans", "name_en", "province", "pinyin"]
    assert len(df) == len(cities()) == 337
    assert df["code"].str.fullmatch(r"\d{6}").all() and df["code"].is_unique
    assert city("440300").name_en == "Shenzhen" and city("440300").province == "GD"
    assert match_city("深圳市") == match_city("Shenzhen City") == match_city(" shenzhen ") == city("440300")
    assert match_city("Atlantis") is None


def test_both_versions_read_the_same_table(tmp_path: Path, version: str) -> None:
    tab = read_ceads_city(_write(tmp_path, version, mat_variables(ARR)))
    assert tab.year == 2017 and tab.n == 24 * 42 and tab.regions.list_id == "cn_city"
    assert tab.regions.codes[:3] == ("110000", "120000", "130100")
    assert tab.regions.labels_zh[:2] == ("北京", "天津")
    assert tab.fd_categories.codes == ("FU101", "FU102", "FU103", "FU201", "FU202")
    np.testing.assert_array_equal(tab.Z, ARR.Z)
    np.testing.assert_array_equal(tab.Y, ARR.FD)
    np.testing.assert_array_equal(tab.V, ARR.VA)
    np.testing.assert_array_equal(tab.x, ARR.x)
    np.testing.assert_array_equal(tab.IM, ARR.IM)
    assert tab.provenance[0].vintage == f"2017 (MAT v{'7.3' if version == 'v7.3' else '5'})"


def test_naming_variants_transposed_blocks_and_no_gross_output(tmp_path: Path, version: str) -> None:
    v = mat_variables(ARR, names={"Z": "Intermediate_Use", "FD": "final_demand", "VA": "Value-Added",
                                  "IM": "Imports", "EX": "export", "cities": "CityName"})
    v["final_demand"] = ARR.FD.T
    v["Value-Added"] = ARR.VA.T
    del v["X"]
    v["year"] = np.array([[2015.0]])
    tab = read_ceads_city(_write(tmp_path, version, v, name="cities.mat"))
    assert tab.year == 2015
    np.testing.assert_array_equal(tab.Y, ARR.FD)
    np.testing.assert_allclose(tab.x, ARR.x, rtol=1e-12)
    assert any("gross output not in the file" in n for n in tab.notes)


def test_sparse_z_and_numeric_city_codes(tmp_path: Path, version: str) -> None:
    v = mat_variables(ARR)
    v["city_list"] = np.array([[float(c) for c in ARR.codes]])  # codes as a numeric row
    path = WRITERS[version](tmp_path / "city_mrio_2017.mat", v, sparse=("Z",))
    tab = read_ceads_city(path)
    np.testing.assert_array_equal(tab.Z, ARR.Z)
    assert tab.regions.codes == ARR.codes and tab.regions.labels_en[0] == "Beijing"


def test_blocks_inside_a_struct(tmp_path: Path, version: str) -> None:
    path = WRITERS[version](tmp_path / "city_mrio_2017.mat", mat_variables(ARR), struct="MRIO")
    tab = read_ceads_city(path)
    np.testing.assert_array_equal(tab.Z, ARR.Z)
    assert tab.regions.codes == ARR.codes
    assert reader.check_read_memory(path, available=10**12) >= int(2.2 * 8 * (24 * 42) ** 2)


def test_a_name_shared_by_two_blocks_is_told_apart_by_shape(tmp_path: Path, version: str) -> None:
    v = mat_variables(ARR)
    v["F"] = ARR.F.reshape(1, -1)  # a CO2 extension named F beside the final demand FD
    v["E"] = np.ones((3, 3))  # and an unrelated small matrix answering to "exports"
    tab = read_ceads_city(_write(tmp_path, version, v))
    np.testing.assert_array_equal(tab.Y, ARR.FD)
    np.testing.assert_array_equal(tab.EX, ARR.EX)


def test_cities_unknown_to_the_concordance_keep_the_files_names(tmp_path: Path, version: str) -> None:
    v = mat_variables(ARR)
    names = list(ARR.names)
    names[3] = "Gotham"
    names[5] = "999901"
    v["city_list"] = names
    tab = read_ceads_city(_write(tmp_path, version, v))
    assert tab.regions.codes[3] == "C004" and tab.regions.labels_en[3] == "Gotham"
    assert tab.regions.codes[5] == "999901"
    assert any("Gotham" in n and "999901" in n for n in tab.notes)


@pytest.mark.parametrize(("change", "words"), [
    (lambda v: v.update(FD=ARR.FD[:, :-1]), ["final demand has shape (1008, 119)", "(1008, 120)", "variable FD"]),
    (lambda v: v.update(Z=ARR.Z[:-1, :-1]), ["not a multiple of 42", "variable Z"]),
    (lambda v: v.pop("VA"), ["no value added", "accepted names", "Z (1008, 1008)"]),
    (lambda v: v.update(city_list=list(ARR.names[:-1])), ["23 entries, expected C = 24", "variable city_list"]),
    (lambda v: v.update(EX=ARR.EX[:-2]), ["exports has shape (1, 1006)", "with n = 1008", "variable EX"]),
    (lambda v: v.update(IMP=ARR.IM), ["several variables could be the imports: IM, IMP"]),
])
def test_layout_errors_name_file_variable_and_shape(tmp_path: Path, version: str, change, words) -> None:
    v = mat_variables(ARR)
    change(v)
    with pytest.raises(LayoutError) as err:
        read_ceads_city(_write(tmp_path, version, v))
    text = str(err.value)
    assert "file city_mrio_2017.mat" in text
    for w in words:
        assert w in text


def test_read_memory_is_checked_from_the_headers(tmp_path: Path, version: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = WRITERS[version](tmp_path / "city_mrio_2017.mat", mat_variables(ARR), sparse=("Z",))
    n = 24 * 42
    numeric = 8 * (n * n + n * 120 + 4 * n + 3 * n)  # Z (sparse counted dense), FD, VA, IM, EX, X
    assert reader.check_read_memory(path, available=10**12) == int(2.2 * numeric)
    monkeypatch.setattr(reader, "available_memory", lambda: 10**6)
    with pytest.raises(MemoryLimitError, match=r"needs 0\.02 GB of memory, but 0\.00 GB is available.*file "
                                               r"city_mrio_2017\.mat"):
        read_ceads_city(path)


def test_unbalanced_and_not_a_mat_file(tmp_path: Path, version: str) -> None:
    v = mat_variables(ARR)
    x = ARR.x.copy()
    x[50] *= 1.01
    v["X"] = x
    with pytest.raises(BalanceError, match=r"row balance fails at 120000/09.*file city_mrio_2017.mat"):
        read_ceads_city(_write(tmp_path, version, v))
    bad = tmp_path / "city_2017.mat"
    bad.write_bytes(b"not matlab" * 20)
    with pytest.raises(LayoutError, match=r"not a MATLAB \.mat file"):
        read_ceads_city(bad)
    v = mat_variables(ARR)
    with pytest.raises(DataError, match="year"):
        read_ceads_city(_write(tmp_path, version, v, name="cities.mat"))


def test_import_all_or_nothing(tmp_path: Path, store_path: Path) -> None:
    good = write_mat_v73(tmp_path / "city_mrio_2017.mat", mat_variables(ARR))
    v = mat_variables(ARR)
    v["FD"] = ARR.FD[:, :-1]
    bad = write_mat_v5(tmp_path / "city_mrio_2015.mat", v)
    with pytest.raises(LayoutError, match="final demand"):
        import_files(store_path, "ceads-city-mrio", [good, bad])
    assert Store(store_path).datasets() == [] if store_path.exists() else True
    res = import_files(store_path, "ceads-city-mrio", [good])
    assert res.changed and res.name == "ceads-city-mrio-2017"
    tab = Store(store_path).load_table(res.name, 2017)
    np.testing.assert_array_equal(tab.Z, ARR.Z)
    assert tab.regions.codes == ARR.codes and tab.regions.labels_zh == ARR.names
    again = import_files(store_path, "ceads-city-mrio", [good])
    assert not again.changed and again.existing == res.name


def test_doctor_reports_mat_files(tmp_path: Path, version: str) -> None:
    rep = inspect_file(_write(tmp_path, version, mat_variables(ARR)))
    assert rep.ok and rep.reader == "ceads-city-mrio" and rep.years == (2017,)
    assert rep.block("Z") is not None and rep.block("Z").cells == "Z (1008, 1008)"
    assert rep.block("cities") is not None
    assert all(c.ok for c in rep.checks) and len(rep.checks) == 2
    assert "24 cities" in "\n".join(rep.lines("en"))
    v = mat_variables(ARR)
    v["FD"] = ARR.FD[:, :-1]
    bad = inspect_file(_write(tmp_path, version, v, name="bad_2017.mat"))
    assert not bad.ok and bad.error is not None and "variable FD" in bad.error
