"""Bad inventory workbooks, each generated from a small valid fixture, and the error each
one must raise: its type, and a message naming the file, the sheet and the cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from inventory_fixtures import (
    Grid,
    release2021_grid,
    synthetic_values,
    write_release2021,
    write_workbook,
)
from viscarbon.errors import BalanceError, DataError, LayoutError, ViscarbonError
from viscarbon.io.readers.ceads_inventory.reader import (
    detect_inventory_year,
    read_inventory_workbook,
)

FILE = "Emission_Inventories_for_30_Provinces_2012.xlsx"
Sheets = dict[str, Grid]


def bad_workbook(tmp_path: Path, mutate: Callable[[Sheets], None], *, year: int = 2012,
                 file_name: str | None = None) -> Path:
    """Two provinces (Beijing, Guangdong) of a valid release-2021 workbook, then ``mutate``."""
    path, _ = write_release2021(tmp_path, year, codes=["BJ", "GD"], mutate=mutate,
                                file_name=file_name)
    return path


def read(path: Path, **kw: object) -> None:
    read_inventory_workbook(path, allow_missing=True, **kw)  # type: ignore[arg-type]


def test_valid_small_fixture_reads(tmp_path: Path) -> None:
    path = bad_workbook(tmp_path, lambda s: None)
    read(path)  # the baseline every case below damages


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="file not found"):
        read_inventory_workbook(tmp_path / "nope.xlsx")


def test_truncated_file(tmp_path: Path) -> None:
    path = bad_workbook(tmp_path, lambda s: None)
    data = path.read_bytes()
    cut = tmp_path / "cut" / FILE
    cut.parent.mkdir()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(LayoutError, match=f"not a readable workbook.*file {FILE}.*truncated"):
        read_inventory_workbook(cut)


def test_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / FILE
    p.write_text("Total Consumption,1,2,3\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="not a readable workbook"):
        read_inventory_workbook(p)


def test_zero_province_sheets(tmp_path: Path) -> None:
    p = write_workbook(tmp_path / FILE, {"NOTE": [["Unit/单位", "Mt"]], "Sheet2": [[1.0]]})
    with pytest.raises(LayoutError, match=r"no province sheets found \(sheets: NOTE, Sheet2\)") as exc:
        read_inventory_workbook(p)
    assert f"file {FILE}" in str(exc.value)


def test_missing_province_sheet(tmp_path: Path) -> None:
    path, _ = write_release2021(tmp_path, 2012, mutate=lambda s: s.pop("Hainan2012"))
    with pytest.raises(LayoutError, match=r"province sheet 'Hainan2012' \(HI\) is missing \(file "):
        read_inventory_workbook(path)
    tab = read_inventory_workbook(path, allow_missing=True)
    assert len(tab.regions) == 29 and "HI" not in tab.regions.codes


def test_duplicate_province_sheet(tmp_path: Path) -> None:
    def dup(s: Sheets) -> None:
        s["Beijing 2012"] = s["Beijing2012"]

    with pytest.raises(LayoutError, match="two sheets for the same province"):
        read(bad_workbook(tmp_path, dup))


def test_header_block_shifted_one_row(tmp_path: Path) -> None:
    def shift(s: Sheets) -> None:
        s["Guangdong2012"].insert(0, [""] * 23)

    with pytest.raises(LayoutError, match="header block displaced: 'Raw Coal' found at B2, expected at B1") as exc:
        read(bad_workbook(tmp_path, shift))
    assert f"file {FILE}, sheet Guangdong2012, cell B2" in str(exc.value)


def test_block_shifted_one_column(tmp_path: Path) -> None:
    def shift(s: Sheets) -> None:
        s["Beijing2012"] = [["", *row] for row in s["Beijing2012"]]

    with pytest.raises(LayoutError, match=r"found at C1, expected at B1.*sheet Beijing2012, cell C1"):
        read(bad_workbook(tmp_path, shift))


def test_total_row_shifted_one_row(tmp_path: Path) -> None:
    def shift(s: Sheets) -> None:
        s["Guangdong2012"].insert(3, [""] * 23)

    with pytest.raises(LayoutError, match="total row displaced: 'Total Consumption' found at A5, expected at A4"):
        read(bad_workbook(tmp_path, shift))


def test_numbers_shifted_down_under_fixed_labels(tmp_path: Path) -> None:
    def shift(s: Sheets) -> None:
        g = s["Guangdong2012"]
        numbers = [row[1:] for row in g[3:]]
        for i in range(3, len(g)):
            g[i] = [g[i][0], *([""] * 22)]
        g.append([""] * 23)
        for i, nums in enumerate(numbers):
            g[4 + i][1:] = nums

    with pytest.raises(LayoutError, match=r"under the last sector row.*sheet Guangdong2012, cell B52"):
        read(bad_workbook(tmp_path, shift))


def test_numbers_shifted_right(tmp_path: Path) -> None:
    def shift(s: Sheets) -> None:
        g = s["Beijing2012"]
        for i in range(3, len(g)):
            g[i] = [g[i][0], "", *g[i][1:]]

    with pytest.raises(LayoutError, match=r"right of the last column 'Scope 1 Total'.*cell X4"):
        read(bad_workbook(tmp_path, shift))


def test_sector_rows_swapped(tmp_path: Path) -> None:
    def swap(s: Sheets) -> None:
        g = s["Beijing2012"]
        g[10], g[11] = g[11], g[10]

    with pytest.raises(LayoutError, match="row label 'Logging and Transport of Wood and Bamboo' at A11 is not inventory sector 7 'Other Minerals"):
        read(bad_workbook(tmp_path, swap))


def test_wrong_header(tmp_path: Path) -> None:
    def rename(s: Sheets) -> None:
        s["Beijing2012"][0][4] = "Coke Oven Gas"  # E1 should be Briquettes

    with pytest.raises(LayoutError, match="unexpected header 'Coke Oven Gas' at E1, expected 'Briquettes'"):
        read(bad_workbook(tmp_path, rename))


def test_wrong_unit(tmp_path: Path) -> None:
    def unit(s: Sheets) -> None:
        s["Beijing2012"][1][3] = "kt CO2"

    with pytest.raises(LayoutError, match="unit 'kt CO2' at D2, expected 'Mt CO2'"):
        read(bad_workbook(tmp_path, unit))


def test_text_in_a_number_cell(tmp_path: Path) -> None:
    def text(s: Sheets) -> None:
        s["Guangdong2012"][9][3] = "12,3x"

    with pytest.raises(DataError, match="text '12,3x' where a number is required") as exc:
        read(bad_workbook(tmp_path, text))
    assert "sheet Guangdong2012, cell D10" in str(exc.value)


@pytest.mark.parametrize(("value", "shown"), [(float("nan"), "#NUM!"), (float("inf"), "#DIV/0!")])
def test_nan_and_inf_cells(tmp_path: Path, value: float, shown: str) -> None:
    """NaN / inf cannot be stored as numbers in .xlsx: they are error cells, which the
    reader must not take for empty (zero) cells."""

    def err(s: Sheets) -> None:
        s["Beijing2012"][20][4] = value

    with pytest.raises(DataError, match=f"spreadsheet error value {shown}") as exc:
        read(bad_workbook(tmp_path, err))
    assert "sheet Beijing2012, cell E21" in str(exc.value)


def test_nan_as_text(tmp_path: Path) -> None:
    def err(s: Sheets) -> None:
        s["Beijing2012"][20][4] = "NaN"

    with pytest.raises(DataError, match=r"non-finite value 'NaN'.*cell E21"):
        read(bad_workbook(tmp_path, err))


def test_negative_value(tmp_path: Path) -> None:
    def neg(s: Sheets) -> None:
        g = s["Guangdong2012"]
        g[6][2] = -abs(g[6][2] or 1.0)

    with pytest.raises(DataError, match=r"negative emissions .* Mt.*sheet Guangdong2012, cell C7"):
        read(bad_workbook(tmp_path, neg))


def test_fuels_plus_process_differ_from_total(tmp_path: Path) -> None:
    def off(s: Sheets) -> None:
        s["Guangdong2012"][30][1] = float(s["Guangdong2012"][30][1] or 0.0) + 0.5  # B31, sector 27

    with pytest.raises(BalanceError, match=r"fuels \+ process sum to .* but 'Scope 1 Total' says .* "
                                            r"for sector 27 'Nonmetal Mineral Products' \(gap 0.5 Mt\)") as exc:
        read(bad_workbook(tmp_path, off))
    assert "sheet Guangdong2012, cell W31" in str(exc.value)


def test_sectors_differ_from_total_row(tmp_path: Path) -> None:
    def off(s: Sheets) -> None:
        g = s["Beijing2012"]
        g[12][9] = float(g[12][9] or 0.0) + 0.25  # J13 (Crude Oil), sector 9
        g[12][22] = float(g[12][22]) + 0.25  # keep the row identity: W13

    with pytest.raises(BalanceError, match=r"the 47 sector rows of 'Crude Oil' sum to .* total row says") as exc:
        read(bad_workbook(tmp_path, off))
    assert "sheet Beijing2012, cell J4" in str(exc.value)


def test_tiny_rounding_is_accepted(tmp_path: Path) -> None:
    def nudge(s: Sheets) -> None:
        g = s["Beijing2012"]
        g[3][22] = float(g[3][22]) * (1 + 1e-12)

    read(bad_workbook(tmp_path, nudge))


def test_wrong_year_in_file_name(tmp_path: Path) -> None:
    wrong = "Emission_Inventories_for_30_Provinces_2013.xlsx"
    path = bad_workbook(tmp_path, lambda s: None, file_name=wrong)
    with pytest.raises(DataError, match="wrong year in the file name: the file name says 2013 but "
                                        "the sheet names say 2012") as exc:
        read(path)
    assert f"file {wrong}, sheet Guangdong2012" in str(exc.value)
    with pytest.raises(DataError, match="wrong year in the file name"):
        detect_inventory_year(path)
    assert read_inventory_workbook(path, year=2012, allow_missing=True).year == 2012  # override
    with pytest.raises(DataError, match="year=2013 was asked for but the sheets are for 2012"):
        read(path, year=2013)


def test_sheets_of_different_years(tmp_path: Path) -> None:
    def other_year(s: Sheets) -> None:
        s["Guangdong2013"] = s.pop("Guangdong2012")

    with pytest.raises(DataError, match="province sheets are for different years: 'Beijing2012' and 'Guangdong2013'"):
        read(bad_workbook(tmp_path, other_year))


def test_every_error_is_a_viscarbon_error(tmp_path: Path) -> None:
    """One line each, suitable for the CLI: what, where, and a hint."""
    def neg(s: Sheets) -> None:
        s["Beijing2012"] = release2021_grid(-synthetic_values(3))

    with pytest.raises(ViscarbonError) as exc:
        read(bad_workbook(tmp_path, neg))
    text = str(exc.value)
    assert "\n" not in text and exc.value.where and exc.value.hint
