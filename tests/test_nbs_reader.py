"""NBS national IO tables (real files in ../shared/data/nbs): numbers, identities, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from viscarbon.errors import BalanceError, DataError, LayoutError
from viscarbon.io.readers.nbs import read_nbs_io

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def nbs(nbs_dir: Path) -> dict[int, object]:
    return {y: read_nbs_io(nbs_dir / f"china_{y}_42.csv") for y in (2015, 2017, 2018, 2020)}


def test_2015_competitive_imports(nbs) -> None:
    t = nbs[2015]
    assert t.year == 2015 and t.sectors.list_id == "io42_2012"
    assert t.regions.codes == ("CN",) and t.regions.labels("zh") == ("中国",)
    assert t.imports_treatment == "competitive"
    assert t.fd_categories.codes == ("FU101", "FU102", "FU103", "FU201", "FU202", "Other", "IMP")
    assert t.Z.shape == (42, 42) and t.Y.shape == (42, 7) and t.V.shape == (4, 42)
    # pinned figures of the file (万元)
    assert t.x.sum() == pytest.approx(20_814_465_144.4975, rel=1e-12)
    assert t.x[t.sectors.index("25")] == pytest.approx(589_941_821.5891905, rel=1e-12)  # power & heat
    assert t.Z[0, 0] == pytest.approx(138_998_154.31543714, rel=1e-14)
    assert t.V.sum() == pytest.approx(6_802_541_161.306899, rel=1e-12)  # ≈ GDP 68.0 trillion yuan
    # imports enter as negative final demand; the IM row is zero
    assert np.all(t.IM == 0)
    assert t.Y[:, 6].sum() == pytest.approx(-1_251_531_020.5922363, rel=1e-12)
    assert t.Y[:, 5].sum() == pytest.approx(-93_467_359.50157356, rel=1e-9)  # ERR
    # x = Z·1 + Y·1 + EX and x = 1ᵀZ + 1ᵀV, exactly up to the file's rounding
    np.testing.assert_allclose(t.x, t.Z.sum(1) + t.Y.sum(1) + t.EX, rtol=1e-12)
    np.testing.assert_allclose(t.x, t.Z.sum(0) + t.V.sum(0), rtol=1e-12)
    # negative inventory changes are kept
    assert (t.Y[:, 4] < 0).sum() == 8


@pytest.mark.parametrize(("year", "go", "go_power", "imports"), [
    (2017, 22_577_335_292.35941, 555_830_886.8119614, 1_492_683_828.3924897),
    (2018, 24_954_982_693.14423, 644_844_140.895031, 1_686_342_176.4579093),
    (2020, 26_990_278_045.432274, 699_502_565.7029747, 1_626_591_529.6392944),
])
def test_noncompetitive_tables(nbs, year: int, go: float, go_power: float, imports: float) -> None:
    t = nbs[year]
    assert t.sectors.list_id == "io42_2017"
    assert t.imports_treatment == "noncompetitive_block"
    assert t.fd_categories.codes == ("TC", "FU201", "FU202")
    assert t.fd_categories.labels("zh")[0] == "最终消费支出"
    assert t.x.sum() == pytest.approx(go, rel=1e-12)
    assert t.x[t.sectors.index("24")] == pytest.approx(go_power, rel=1e-12)  # power & heat
    assert t.extras["M_total"].sum() == pytest.approx(imports, rel=1e-12)
    Zm, Ym, EXm = t.extras["Z_imports"], t.extras["Y_imports"], t.extras["EX_imports"]
    assert Zm.shape == (42, 42) and Ym.shape == (42, 3) and EXm.shape == (42,)
    # IM row = imported intermediate inputs; the import rows close on total imports
    np.testing.assert_allclose(t.IM, Zm.sum(0), rtol=1e-12)
    np.testing.assert_allclose(t.extras["M_total"], Zm.sum(1) + Ym.sum(1) + EXm, rtol=1e-9)
    np.testing.assert_allclose(t.x, t.Z.sum(1) + t.Y.sum(1) + t.EX, rtol=1e-12)
    np.testing.assert_allclose(t.x, t.Z.sum(0) + t.IM + t.V.sum(0), rtol=1e-12)
    # domestic Leontief model reproduces gross output (Miller & Blair 2009, eq. 2.11)
    A = t.Z / t.x
    np.testing.assert_allclose(np.linalg.solve(np.eye(42) - A, t.y_total()), t.x, rtol=1e-9)
    assert any("non-competitive" in note for note in t.notes)


def test_2017_value_added_and_provenance(nbs) -> None:
    t = nbs[2017]
    assert t.V.sum() == pytest.approx(8_232_157_064.395994, rel=1e-12)  # ≈ GDP 82.3 trillion yuan
    p = t.provenance[0]
    assert p.source == "NBS" and p.file_name == "china_2017_42.csv" and len(p.sha256) == 64
    assert "National Bureau of Statistics" in p.citation
    assert t.va_rows.codes == ("VA001", "VA002", "VA003", "VA004")


def _copy(nbs_dir: Path, tmp_path: Path, year: int, name: str | None = None) -> Path:
    dst = tmp_path / (name or f"china_{year}_42.csv")
    shutil.copy(nbs_dir / f"china_{year}_42.csv", dst)
    return dst


def _edit(path: Path, line: int, column: str, value: str) -> None:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[line - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_year_checks(nbs_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"year=2018 was asked but the file name says 2017"):
        read_nbs_io(nbs_dir / "china_2017_42.csv", year=2018)
    p = _copy(nbs_dir, tmp_path, 2017, "national_table.csv")
    with pytest.raises(LayoutError, match=r"cannot tell the year"):
        read_nbs_io(p)
    assert read_nbs_io(p, year=2017).year == 2017


def test_text_in_a_number_cell(nbs_dir: Path, tmp_path: Path) -> None:
    p = _copy(nbs_dir, tmp_path, 2015)
    _edit(p, 5, "07", "abc")
    with pytest.raises(DataError, match=r"text 'abc'") as e:
        read_nbs_io(p)
    assert e.value.where == "file china_2015_42.csv, line 5, column 07"


def test_unbalanced_row(nbs_dir: Path, tmp_path: Path) -> None:
    p = _copy(nbs_dir, tmp_path, 2017)
    _edit(p, 11, "GO", "1")  # sector 10
    with pytest.raises(BalanceError, match=r"GO = TI fails at CN/10"):
        read_nbs_io(p)
    p = _copy(nbs_dir, tmp_path, 2015)
    _edit(p, 3, "ERR", "0")
    with pytest.raises(BalanceError, match=r"row balance GO = TIU \+ TFU − IM \+ ERR fails at CN/02") as e:
        read_nbs_io(p)
    assert e.value.where == "file china_2015_42.csv, line 3, column GO"


def test_missing_rows(nbs_dir: Path, tmp_path: Path) -> None:
    p = _copy(nbs_dir, tmp_path, 2020)
    _edit(p, 44, "Code", "X")  # first import row (Imports 01)
    with pytest.raises(LayoutError, match=r"no Imports row 01"):
        read_nbs_io(p)
    with pytest.raises(LayoutError, match="file not found"):
        read_nbs_io(tmp_path / "china_2019_42.csv")
