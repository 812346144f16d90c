"""Accounts that say what they mean, on the real NBS tables and the CEADs national
inventory (issue 9, item 6).

* competitive imports (NBS 2015): the foreign-imports estimate is not applicable (None,
  with a note), never 0.0; the negative IMP category and the Other/ERR column are shown
  as parts of the consumption-based total, and noted where material;
* non-competitive tables with an import block (NBS 2017, 2018, 2020): the estimate uses
  the block (imported intermediate inputs, imports straight to final use, re-exports),
  and over every use it adds up to ``m̃ · M_total`` computed here independently;
* a comparison of 2015 with 2017 warns that the two tables treat imports differently.

Pinned figures (Mt CO2) were computed by viscarbon on the files of ``shared/data``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from viscarbon.analysis import Workspace
from viscarbon.ingest import import_files
from viscarbon.web.app import create_app

pytestmark = pytest.mark.realdata

NATIONAL = "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"

# year: (CBA, inventory changes, Other/ERR, IMP, imports estimate, its exports part)
PINNED = {
    2015: (6846.4669350498625, 29.442006969140046, -413.9110857282225, -2257.422907313337, None, None),
    2017: (7703.2670186689475, 15.68330769851459, None, None, 1538.3798169902125, 517.5254516787983),
    2018: (7955.566987273139, 64.62933362035355, None, None, 1596.206413704545, 506.65394968964125),
    2020: (8087.543726946044, 32.644826311238276, None, None, 1463.6671518221783, 502.25026777860137),
}


@pytest.fixture(scope="module")
def store(shared_data: Path, nbs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accounts_real") / "store.duckdb"
    import_files(path, "ceads-inventory", [shared_data / "ceads" / NATIONAL])
    import_files(path, "nbs-io", [nbs_dir / f"china_{y}_42.csv" for y in PINNED], name="nbs")
    return path


@pytest.fixture(scope="module")
def ws(store: Path) -> Workspace:
    return Workspace(store)


@pytest.mark.parametrize("year", list(PINNED))
def test_pinned_accounts_and_the_import_treatment(ws: Workspace, year: int) -> None:
    acc = ws.year("nbs", year).accounts()
    (row,) = acc.as_records()
    cba, inv, other, imp, est, est_ex = PINNED[year]
    assert row["consumption_based_mt"] == pytest.approx(cba, rel=1e-9)
    assert row["inventory_changes_mt"] == pytest.approx(inv, rel=1e-9)
    for col, want in (("other_err_mt", other), ("competitive_imports_mt", imp),
                      ("imports_embodied_estimate_mt", est), ("imports_embodied_exports_estimate_mt", est_ex)):
        if want is None:
            assert row[col] is None, col  # not applicable / no such category: empty, never 0.0
        else:
            assert row[col] == pytest.approx(want, rel=1e-9), col
    notes = " ".join(acc.meta.note_texts("en"))
    if year == 2015:
        assert acc.arrays.imports_method == "not_applicable"
        assert "a separate estimate of CO2 embodied in imports does not apply" in notes
        assert "CN -2257.42 Mt" in notes  # the IMP category, said
        assert "CN -413.9 Mt (-6.0 %)" in notes  # the Other/ERR column is material here
        # the IMP and Other parts are inside the consumption-based total
        parts = acc.arrays.by_category[0].sum() + acc.arrays.households[0]
        assert parts == pytest.approx(cba, rel=1e-12)
    else:
        assert acc.arrays.imports_method == "block"
        assert "import block by product" in notes and "Other column" not in notes


@pytest.mark.parametrize("year", [2017, 2018, 2020])
def test_import_block_estimate_adds_up_to_the_total_technology_multiplier_times_imports(
        ws: Workspace, year: int) -> None:
    ya = ws.year("nbs", year)
    t = ya.table
    acc = ya.accounts().arrays
    co2 = ya.resolved.system.satellite("CO2").total  # industries, Mt
    f = np.divide(co2, t.x, out=np.zeros_like(t.x), where=t.x != 0)
    A_total = (t.Z + t.extras["Z_imports"]) / np.where(t.x != 0, t.x, 1.0)
    m_tilde = np.linalg.solve((np.eye(42) - A_total).T, f)  # independent: a dense solve here
    total = float(m_tilde @ t.extras["M_total"])  # M_total: the import rows' GO column
    assert acc.imports_embodied.sum() + acc.imports_embodied_exports == pytest.approx(total, rel=1e-9)
    # imports going straight to final use are in the estimate (the row-only estimate lacked them)
    direct = float(m_tilde @ t.extras["Y_imports"].sum(axis=1))
    assert direct > 0.15 * acc.imports_embodied[0]


def test_trends_and_compare_warn_when_2015_meets_2017(ws: Workspace, store: Path) -> None:
    trend = ws.trends("nbs", "CN", "imports")
    notes = " ".join(trend.meta.note_texts("en"))
    assert "competitive-imports table (2015" in notes and "2017, 2018, 2020" in notes
    assert "竞争型进口表（2015" in " ".join(trend.meta.note_texts("zh-Hans"))
    client = TestClient(create_app(allowed_hosts=("testserver",), store_path=store))
    for lang, word in (("en", "competitive-imports"), ("zh-Hans", "竞争型")):
        p = client.get(f"/api/compare?a=nbs:2015:CN&b=nbs:2017:CN&lang={lang}").json()
        assert p["imports_mismatch"] is True and word in p["imports_note"]
        assert p["imports_treatment"] == {"a": "competitive", "b": "noncompetitive_block"}
    tr = client.get("/api/trends?dataset=nbs&region=CN&indicator=imports").json()
    assert any("competitive-imports table (2015" in n for n in tr["notes"])
    same = client.get("/api/compare?a=nbs:2017:CN&b=nbs:2020:CN").json()
    assert same["imports_mismatch"] is False and same["imports_note"] is None


def test_region_imports_indicator_of_the_competitive_table_is_minus_imp(ws: Workspace) -> None:
    ya = ws.year("nbs", 2015)
    t = ya.table
    reg = ya.region_indicators()
    imp = -t.Y[:, t.fd_categories.index("IMP")].sum()
    assert reg.values["imports"][0] == pytest.approx(imp, rel=1e-12) and imp > 0
    assert reg.values["imports"][0] == pytest.approx(ya.sector_indicators("CN")["imports"].value.sum(), rel=1e-12)
