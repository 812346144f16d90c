"""harmonize.build_co2_satellite: identities, rules, missing vs imputed regions, years."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viscarbon.classification import concordance, fuels, inventory_sectors, sector_codes
from viscarbon.errors import DataError, NotFound
from viscarbon.harmonize import build_co2_satellite, nearest_table_year
from viscarbon.model import Axis, InventoryTable, IOTable

REGIONS = ("BJ", "SX", "XZ")
S = 42
K = 6


def make_table(*, year: int = 2015, zero: tuple[tuple[str, str], ...] = (), seed: int = 1,
               list_id: str = "io42_2012", co2_row: bool = False) -> IOTable:
    """A small balanced 3-region table; ``zero`` lists region/sector pairs with x = 0."""
    rng = np.random.default_rng(seed)
    R = len(REGIONS)
    n = R * S
    Z = rng.random((n, n)) * 10.0
    Y = rng.random((n, R * K)) * 100.0
    EX = rng.random(n) * 50.0
    for reg, sec in zero:
        i = REGIONS.index(reg) * S + int(sec) - 1
        Z[i, :] = 0.0
        Z[:, i] = 0.0
        Y[i, :] = 0.0
        EX[i] = 0.0
    x = Z.sum(axis=1) + Y.sum(axis=1) + EX
    IM = 0.05 * x
    V = (x - Z.sum(axis=0) - IM)[None, :]
    assert (V >= 0).all()
    sectors = Axis.sectors(list_id) if list_id else Axis("sector", sector_codes())
    extras = {"co2_row": rng.random(n)} if co2_row else {}
    return IOTable(year=year, regions=Axis.regions(REGIONS), sectors=sectors, Z=Z, Y=Y,
                   fd_categories=Axis.fd_categories(), EX=EX, IM=IM, V=V,
                   va_rows=Axis("va_row", ("VA",)), x=x, extras=extras)


def make_inventory(*, year: int = 2015, regions: tuple[str, ...] = ("BJ", "SX"),
                   seed: int = 2) -> InventoryTable:
    rng = np.random.default_rng(seed)
    cols = [f for f in fuels() if f.kind != "total"]
    C = len(cols)
    vals = rng.random((len(regions), 47, C))
    process = next(i for i, f in enumerate(cols) if f.kind == "process")
    vals[:, :, process] = 0.0
    vals[:, 26, process] = 5.0  # Nonmetal Mineral Products
    vals[:, :, 17:20] = 0.0  # Scope 2 / other energy: zero as in CEADs files
    inv = inventory_sectors()
    return InventoryTable(
        year=year, regions=Axis.regions(regions),
        sectors=Axis("inventory_sector", tuple(str(s.index) for s in inv),
                     tuple(s.name_en for s in inv), list_id="inv47"),
        columns=Axis("stressor", tuple(f.column for f in cols), tuple(f.name_en for f in cols)),
        values=vals, totals=vals.sum(axis=(1, 2)))


@pytest.fixture(scope="module")
def table() -> IOTable:
    return make_table()


@pytest.fixture(scope="module")
def inventory() -> InventoryTable:
    return make_inventory()


def col(region: str, sector: str) -> int:
    return REGIONS.index(region) * S + int(sector) - 1


def fdcol(region: str, cat: str) -> int:
    return REGIONS.index(region) * K + ("FU101", "FU102", "FU103", "FU201", "FU202", "Other").index(cat)


def test_shapes_status_and_identities(table: IOTable, inventory: InventoryTable) -> None:
    acc, rep = build_co2_satellite(inventory, table)
    assert acc.name == "CO2" and acc.unit == "Mt" and acc.year == 2015
    assert acc.stressors.codes == inventory.columns.codes
    assert acc.F.shape == (21, 3 * S) and acc.F_Y.shape == (21, 3 * K)
    assert acc.region_status == ("reported", "reported", "missing")
    for reg in ("BJ", "SX"):
        row = rep.row(reg)
        ri = inventory.regions.index(reg)
        assert row.inventory_total == pytest.approx(float(inventory.totals[ri]), rel=0, abs=0)
        assert abs(row.mapped_total - row.inventory_total) <= 1e-9 * row.inventory_total
        sl = table.region_slice(reg)
        ind = acc.F[:, sl].sum()
        hh = acc.F_Y[:, REGIONS.index(reg) * K:(REGIONS.index(reg) + 1) * K].sum()
        assert ind + hh == pytest.approx(row.inventory_total, rel=1e-12)
        # per column (fuel) too
        np.testing.assert_allclose(
            acc.F[:, sl].sum(axis=1) + acc.F_Y[:, REGIONS.index(reg) * K:(REGIONS.index(reg) + 1) * K].sum(axis=1),
            inventory.values[ri].sum(axis=0), rtol=1e-12)
    assert rep.max_abs_difference < 1e-9
    # Tibet: missing, zeros that mean unknown, no inventory total
    xz = rep.row("XZ")
    assert xz.status == "missing" and xz.inventory_total is None and xz.difference is None
    assert acc.F[:, table.region_slice("XZ")].sum() == 0.0
    assert any("XZ: no CEADs inventory" in n for n in acc.notes)


def test_whole_by_output_and_household_rules(table: IOTable, inventory: InventoryTable) -> None:
    acc, _ = build_co2_satellite(inventory, table)
    v = inventory.values[inventory.regions.index("SX")]
    # row 39 power is the only source of IO 25: whole
    np.testing.assert_array_equal(acc.F[:, col("SX", "25")], v[38])
    # row 44 trade/catering → 29 and 31 by gross output (their only source)
    x29, x31 = table.x[col("SX", "29")], table.x[col("SX", "31")]
    np.testing.assert_allclose(acc.F[:, col("SX", "29")], v[43] * x29 / (x29 + x31), rtol=1e-14)
    np.testing.assert_allclose(acc.F[:, col("SX", "31")], v[43] * x31 / (x29 + x31), rtol=1e-14)
    # rows 9-12 (food, beverages, tobacco) all go to 06
    np.testing.assert_allclose(acc.F[:, col("SX", "06")], v[8:12].sum(axis=0), rtol=1e-14)
    # households: urban → FU102, rural → FU101 of their own region; nothing elsewhere
    np.testing.assert_array_equal(acc.F_Y[:, fdcol("SX", "FU102")], v[45])
    np.testing.assert_array_equal(acc.F_Y[:, fdcol("SX", "FU101")], v[46])
    assert acc.F_Y[:, fdcol("SX", "FU103")].sum() == 0.0
    assert acc.F_Y[:, fdcol("BJ", "FU102")].sum() > 0 and acc.F_Y[:, fdcol("XZ", "FU102")].sum() == 0
    # process CO2 lands in nonmetal minerals (13) only
    process = acc.stressors.index("V")
    assert acc.F[process].sum() == pytest.approx(acc.F[process, [col("BJ", "13"), col("SX", "13")]].sum())


def test_switching_a_rule_moves_co2_but_keeps_totals(table: IOTable, inventory: InventoryTable) -> None:
    base, rep0 = build_co2_satellite(inventory, table)
    conc = concordance("io42_2012").with_rule(44, "equal").with_rule(39, "by_output", targets=["25", "26"])
    acc, rep = build_co2_satellite(inventory, table, concordance=conc)
    assert "44:equal:29+31" in rep.concordance and "39:by_output:25+26" in rep.concordance
    v = inventory.values[inventory.regions.index("BJ")]
    np.testing.assert_allclose(acc.F[:, col("BJ", "29")], v[43] / 2, rtol=1e-14)
    np.testing.assert_allclose(acc.F[:, col("BJ", "31")], v[43] / 2, rtol=1e-14)
    # power CO2 moved from 25 to 26 in proportion to output, totals kept
    moved = base.F[:, col("BJ", "25")].sum() - acc.F[:, col("BJ", "25")].sum()
    assert moved > 0
    assert acc.F[:, col("BJ", "26")].sum() - base.F[:, col("BJ", "26")].sum() == pytest.approx(moved)
    for r0, r1 in zip(rep0.rows, rep.rows, strict=True):
        assert (r0.mapped_total == pytest.approx(r1.mapped_total, rel=1e-12)) or r0.status == "missing"
    assert acc.F.sum() + acc.F_Y.sum() == pytest.approx(inventory.totals.sum(), rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.integers(1, 45), st.sampled_from(["whole", "by_output", "equal"]),
                  st.lists(st.sampled_from(sector_codes()), min_size=1, max_size=4, unique=True)),
        min_size=1, max_size=5),
)
def test_any_rule_keeps_every_region_total(changes: list[tuple[int, str, list[str]]]) -> None:
    table, inventory = _TABLE, _INV
    conc = concordance("io42_2012")
    for idx, rule, targets in changes:
        conc = conc.with_rule(idx, rule, targets=targets[:1] if rule == "whole" else targets)
    acc, rep = build_co2_satellite(inventory, table, concordance=conc)
    for r in rep.rows:
        if r.inventory_total is not None:
            assert abs(r.mapped_total - r.inventory_total) <= 1e-9 * r.inventory_total
    assert (acc.F >= 0).all()


_TABLE = make_table()
_INV = make_inventory()


def test_zero_output_targets_fall_back_to_equal_split_with_a_note() -> None:
    table = make_table(zero=(("BJ", "29"), ("BJ", "31")))
    inv = make_inventory()
    acc, rep = build_co2_satellite(inv, table)
    v = inv.values[0]
    np.testing.assert_allclose(acc.F[:, col("BJ", "29")], v[43] / 2, rtol=1e-14)
    assert any("inventory row 44 split equally over 29+31" in n.text() for n in rep.row("BJ").notes)
    assert "行在" in rep.row("BJ").notes[0].text("zh")
    assert rep.row("BJ").difference == pytest.approx(0.0, abs=1e-9)


def test_imputed_tibet_uses_national_average_intensity(table: IOTable, inventory: InventoryTable) -> None:
    missing, _ = build_co2_satellite(inventory, table)
    acc, rep = build_co2_satellite(inventory, table, impute_missing=True)
    assert acc.region_status == ("reported", "reported", "imputed")
    assert acc.imputed_regions(table.regions) == ("XZ",)
    # reported regions unchanged
    np.testing.assert_array_equal(acc.F[:, :2 * S], missing.F[:, :2 * S])
    # formula: intensity of (BJ, SX) for each fuel × Tibet's output
    for sec in ("25", "13", "30"):
        num = missing.F[:, col("BJ", sec)] + missing.F[:, col("SX", sec)]
        den = table.x[col("BJ", sec)] + table.x[col("SX", sec)]
        np.testing.assert_allclose(acc.F[:, col("XZ", sec)], num / den * table.x[col("XZ", sec)], rtol=1e-12)
    hh = acc.F_Y[:, fdcol("XZ", "FU102")].sum()
    ycat = table.Y.sum(axis=0)
    expect = (missing.F_Y[:, fdcol("BJ", "FU102")].sum() + missing.F_Y[:, fdcol("SX", "FU102")].sum()) / (
        ycat[fdcol("BJ", "FU102")] + ycat[fdcol("SX", "FU102")]) * ycat[fdcol("XZ", "FU102")]
    assert hh == pytest.approx(expect, rel=1e-12)
    xz = rep.row("XZ")
    assert xz.status == "imputed" and xz.inventory_total is None and xz.mapped_total > 0
    assert "CO2 imputed" in xz.notes[0].text() and "估算" in xz.notes[0].text("zh-Hans")


def test_year_mismatch_is_noted() -> None:
    acc, rep = build_co2_satellite(make_inventory(year=2016), make_table(year=2015))
    assert acc.year == 2016 and rep.inventory_year == 2016 and rep.table_year == 2015
    assert "inventory 2016 mapped with table 2015 (nearest table year)" in acc.notes
    assert "inventory 2016 mapped with table 2015 (nearest table year)" in rep.notes_text()


def test_nearest_table_year() -> None:
    years = (2012, 2015, 2017)
    assert [nearest_table_year(y, years) for y in range(2010, 2020)] == [
        2012, 2012, 2012, 2012, 2015, 2015, 2015, 2017, 2017, 2017]
    assert nearest_table_year(2016, (2017, 2015)) == 2015  # tie → earlier
    assert nearest_table_year(2019, [2018, 2020]) == 2018
    with pytest.raises(NotFound, match="no table year"):
        nearest_table_year(2015, [])


def test_mrio_co2_row_is_reconciled() -> None:
    table = make_table(co2_row=True)
    inv = make_inventory()
    _, rep = build_co2_satellite(inv, table)
    co2 = table.extras["co2_row"]
    bj = rep.row("BJ")
    assert bj.mrio_co2_total == pytest.approx(co2[:S].sum(), rel=1e-14)
    assert bj.mrio_difference == pytest.approx(bj.mrio_co2_total - bj.inventory_total)
    assert rep.row("XZ").mrio_difference is None
    recs = rep.as_records()
    assert [r["region"] for r in recs] == list(REGIONS)
    assert set(recs[0]) >= {"region", "status", "inventory_total_mt", "mapped_total_mt",
                            "difference_mt", "mrio_co2_total_mt", "notes"}
    assert recs[2]["inventory_total_mt"] is None and recs[2]["status"] == "missing"
    _, rep_plain = build_co2_satellite(inv, make_table())
    assert rep_plain.row("BJ").mrio_co2_total is None


def test_errors_name_the_problem(inventory: InventoryTable) -> None:
    with pytest.raises(DataError, match="concordance inv47-io42_2017-v1 is for sector list io42_2017"):
        build_co2_satellite(inventory, make_table(), concordance=concordance("io42_2017"))
    with pytest.raises(DataError, match="no known classification"):
        build_co2_satellite(inventory, make_table(list_id=""))
    # an unknown-list table works with an explicit concordance
    acc, _ = build_co2_satellite(inventory, make_table(list_id=""), concordance=concordance())
    assert acc.F.shape == (21, 3 * S)
    bad = InventoryTable(year=2015, regions=inventory.regions,
                         sectors=Axis("inventory_sector", tuple(str(i) for i in range(46))),
                         columns=inventory.columns, values=inventory.values[:, :46],
                         totals=inventory.values[:, :46].sum(axis=(1, 2)))
    with pytest.raises(DataError, match="46 sector rows"):
        build_co2_satellite(bad, make_table())


def test_synthetic_flag_and_provenance(table: IOTable, inventory: InventoryTable) -> None:
    acc, rep = build_co2_satellite(inventory, table)
    assert not rep.synthetic
    assert acc.provenance[-1].product == "harmonized CO2 satellite"
    assert acc.provenance[-1].vintage == "inv47-io42_2012-v1"
