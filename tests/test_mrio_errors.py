"""Bad CEADs MRIO workbooks: each failure is a typed error naming file, sheet and cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mrio_fixtures import random_mrio, write_fixture
from viscarbon.errors import BalanceError, DataError, LayoutError
from viscarbon.io.files import cell_ref
from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio
from viscarbon.io.writers.ceads_mrio import mrio_sheets, write_sheets

N = 126  # 3 regions × 42 sectors
SHEET_A = "Table_2017_consistent"
SHEET_B = "Table_2017_English Version"
# 2012-2017 layout: first data row 5 (index 4), Z from D (index 3)
R0, Z0 = 4, 3
TIU = Z0 + N
EX = TIU + 1 + 15
TFU, ERR, GO = EX + 1, EX + 2, EX + 3
IM_ROW, TII_ROW = R0 + N, R0 + N + 1
VA_ROWS = [R0 + N + 2 + k for k in range(4)]
TVA_ROW, TI_ROW = R0 + N + 6, R0 + N + 7


@pytest.fixture(scope="module")
def table() -> Any:
    return random_mrio(("BJ", "TJ", "HE"), seed=7)


def sheets_of(table: Any, layout: str = "2012-2017") -> dict[str, list[list[Any]]]:
    return {k: [list(r) for r in v] for k, v in mrio_sheets(table, layout=layout).items()}


def write(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "bad.xlsx") -> Path:
    return write_sheets(tmp_path / name, sheets)


def where(row0: int, col0: int, *, file: str = "bad.xlsx", sheet: str = SHEET_A) -> str:
    return f"file {file}, sheet {sheet}, cell {cell_ref(row0, col0)}"


def test_truncated_file(table, tmp_path: Path) -> None:
    path = write_fixture(table, tmp_path, layout="2012-2017", name="cut.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LayoutError, match=r"not a readable workbook.*file cut\.xlsx.*truncated"):
        read_ceads_mrio(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="file not found"):
        read_ceads_mrio(tmp_path / "nope.xlsx")


def test_missing_table_sheet(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    # a sheet whose name says nothing is found by its content; its year must then be told
    path = write(tmp_path, {"Sheet1": s[SHEET_A]})
    with pytest.raises(LayoutError, match=r"cannot tell the year of sheet 'Sheet1' \(file bad\.xlsx\)"):
        read_ceads_mrio(path)
    assert read_ceads_mrio(path, year=2017).provenance[0].sheet == "Sheet1"
    with pytest.raises(LayoutError, match=r"sheet 'Table_2015' not found.*Sheet1"):
        read_ceads_mrio(path, sheet="Table_2015")
    path = write(tmp_path, {"Sheet1": [["hello"]], "Notes": [["x", 1.0]]})
    with pytest.raises(LayoutError, match=r"no CEADs MRIO table sheet found \(file bad\.xlsx\).*Sheet1, Notes"):
        read_ceads_mrio(path)


def test_province_and_sector_sheets_2018_layout(table, tmp_path: Path) -> None:
    """The Province and Sector sheets are cross-checked when present; without them the
    regions and labels come from the table sheet (said in the notes)."""
    s = sheets_of(table, "2018-2020")
    del s["Province"]
    t = read_ceads_mrio(write(tmp_path, s))
    assert any("no Province sheet" in note for note in t.notes)
    s = sheets_of(table, "2018-2020")
    s["Province"][2][1] = "Shanghai"  # rows say TJ
    with pytest.raises(LayoutError, match=r"Province sheet lists BJ, SH, HE.*table rows hold BJ, TJ, HE"):
        read_ceads_mrio(write(tmp_path, s))
    s = sheets_of(table, "2018-2020")
    del s["Sector"]
    t = read_ceads_mrio(write(tmp_path, s))
    assert any("no Sector sheet" in note for note in t.notes)
    s = sheets_of(table, "2018-2020")
    s["Sector"][5][0] = "99"
    with pytest.raises(LayoutError, match=r"does not list sectors 01-42"):
        read_ceads_mrio(write(tmp_path, s))


def test_several_table_sheets(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s["Table_2017_new"] = s[SHEET_A]
    with pytest.raises(LayoutError, match=r"several MRIO table sheets.*keep one table sheet"):
        read_ceads_mrio(write(tmp_path, s))


def test_row_block_shifted_by_one_row(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    rows = s[SHEET_A]
    rows.insert(R0 + 50, [])  # an empty row inside the block of Tianjin
    with pytest.raises(LayoutError, match=r"expected sector code 09 of TJ but found ''") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 50, 2)


def test_blank_row_between_header_and_data_is_tolerated(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    rows = s[SHEET_A]
    rows.insert(R0, [])  # data now start on row 6 while the codes stay on row 4
    t = read_ceads_mrio(write(tmp_path, s))
    np.testing.assert_allclose(t.Z, table.Z, rtol=1e-15, atol=0)


def test_header_shifted_against_the_data(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    for r in range(4):  # the four header rows one column to the right of the data
        s[SHEET_A][r] = ["", *s[SHEET_A][r]]
    with pytest.raises(LayoutError, match=r"number .* left of the Z block.*column E") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0, Z0)


def test_column_block_shifted(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    code_row = s[SHEET_A][3]
    code_row.insert(Z0 + 60, "")
    with pytest.raises(LayoutError, match=r"expected column code 19 of TJ but found ''.*126 × 126") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(3, Z0 + 60)


def test_text_in_a_number_cell(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][R0 + 44][Z0 + 7] = "n/a"
    with pytest.raises(DataError, match=r"text 'n/a' where a number is required") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 44, Z0 + 7) == "file bad.xlsx, sheet Table_2017_consistent, cell K49"


def test_nan_text_in_a_number_cell(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][R0 + 3][EX] = "NaN"
    with pytest.raises(DataError, match=r"non-finite value 'NaN'") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 3, EX)


def test_excel_error_value_in_a_number_cell(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][R0 + 2][Z0 + 2] = float("nan")  # xlsxwriter writes the error value #NUM!
    with pytest.raises(DataError, match=r"spreadsheet error value #NUM! where a number is required") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 2, Z0 + 2)


def test_formula_without_a_stored_value(table, tmp_path: Path) -> None:
    """A workbook written by a program that does not compute formulas (never opened in a
    spreadsheet): calamine reads such a cell as empty, which must not pass for zero."""
    import xlsxwriter

    s = sheets_of(table)
    path = tmp_path / "formula.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for name, rows in s.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if (name, r, c) == (SHEET_A, R0 + 5, Z0 + 3):
                    ws.write_formula(r, c, "=1+1", None, "")  # a formula, no stored value
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, int | float):
                    ws.write_number(r, c, float(v))
                elif v not in (None, ""):
                    ws.write_string(r, c, str(v))
    wb.close()
    with pytest.raises(DataError, match="formula without a stored value") as e:
        read_ceads_mrio(path)
    assert e.value.where == "file formula.xlsx, " + where(R0 + 5, Z0 + 3).split(", ", 1)[1]
    assert "open and save the workbook in Excel or LibreOffice" in str(e.value)


def test_negative_gross_output(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][R0 + 100][GO] = -5.0
    with pytest.raises(DataError, match=r"negative gross output at HE/17 \(-5 万元\)") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 100, GO)


def test_zero_gross_output_with_flows(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][R0 + 1][GO] = 0.0
    with pytest.raises(BalanceError, match=r"zero gross output at BJ/02 while it has intermediate flows"):
        read_ceads_mrio(write(tmp_path, s))


def test_unbalanced_row(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    row = s[SHEET_A][R0 + 45]  # TJ/04
    row[Z0 + 3] += 1234.0
    row[TIU] += 1234.0
    with pytest.raises(BalanceError, match=r"row balance fails at TJ/04 \(gap -1\.23e\+03 万元") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 45, GO)
    assert "1 row(s) fail" in str(e.value)


def test_unbalanced_column(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    j = 90  # HE/07
    s[SHEET_A][VA_ROWS[0]][Z0 + j] += 0.01 * table.x[j]
    with pytest.raises(BalanceError, match=r"column balance fails at HE/07") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(TI_ROW, Z0 + j)


@pytest.mark.parametrize(("what", "row", "col", "label"), [
    ("TIU", R0 + 5, TIU, "total intermediate use (TIU) of BJ/06"),
    ("TFU", R0 + 6, TFU, "total final use (TFU) of BJ/07"),
    ("TII", TII_ROW, Z0 + 8, "total intermediate input (TII) of BJ/09"),
    ("TVA", TVA_ROW, Z0 + 9, "total value added (TVA) of BJ/10"),
    ("TI", TI_ROW, Z0 + 10, "total input (TI) of BJ/11"),
])
def test_subtotal_mismatch(table, tmp_path: Path, what: str, row: int, col: int, label: str) -> None:
    s = sheets_of(table)
    s[SHEET_A][row][col] += 50.0
    with pytest.raises(BalanceError, match=label.replace("(", r"\(").replace(")", r"\)")) as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(row, col)


def test_imports_row_breaks_the_column_balance(table, tmp_path: Path) -> None:
    """IM and TI raised together: TI still equals its parts, but no longer GO."""
    s = sheets_of(table)
    j = 12
    s[SHEET_A][IM_ROW][Z0 + j] += 0.05 * table.x[j]
    s[SHEET_A][TI_ROW][Z0 + j] += 0.05 * table.x[j]
    with pytest.raises(BalanceError, match=r"column balance fails at BJ/13"):
        read_ceads_mrio(write(tmp_path, s))


def test_wrong_year_in_file_name(table, tmp_path: Path) -> None:
    path = write_fixture(table, tmp_path, layout="2012-2017", name="CEADs_MRIO_2015.xlsx")
    with pytest.raises(DataError, match=r"the file name says 2015 but sheet 'Table_2017_consistent' "
                                        r"holds the 2017 table \(file CEADs_MRIO_2015\.xlsx\)"):
        read_ceads_mrio(path)
    ok = write_fixture(table, tmp_path, layout="2012-2017", name="MRIO_2012-2017.xlsx")
    assert read_ceads_mrio(ok).year == 2017


def test_regions_out_of_order_or_unknown(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    rows = s[SHEET_A]
    rows[R0:R0 + N] = rows[R0 + 42:R0 + 84] + rows[R0:R0 + 42] + rows[R0 + 84:R0 + N]
    with pytest.raises(LayoutError, match=r"regions are not in NBS order: BJ follows TJ"):
        read_ceads_mrio(write(tmp_path, s))
    s = sheets_of(table)
    s[SHEET_A][R0 + 42][0] = "Atlantis"
    with pytest.raises(LayoutError, match=r"'Atlantis' names no province") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(R0 + 42, 0)
    s = sheets_of(table)
    s[SHEET_A][0][Z0 + 50] = "Atlantis"
    with pytest.raises(LayoutError, match=r"column header 'Atlantis' names no province"):
        read_ceads_mrio(write(tmp_path, s))


def test_columns_and_rows_in_different_region_order(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    head = s[SHEET_A][0]
    head[Z0:Z0 + 42], head[Z0 + 42:Z0 + 84] = head[Z0 + 42:Z0 + 84], head[Z0:Z0 + 42]
    with pytest.raises(LayoutError, match=r"column D belongs to TJ but the rows put BJ there"):
        read_ceads_mrio(write(tmp_path, s))


def test_missing_codes(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][3][TIU] = "Total"
    with pytest.raises(LayoutError, match=r"unexpected code 'Total' after the Z block") as e:
        read_ceads_mrio(write(tmp_path, s))
    assert e.value.where == where(3, TIU)
    s = sheets_of(table)
    s[SHEET_A][3][EX] = "EXP"
    with pytest.raises(LayoutError, match=r"unexpected code 'EXP' in the final-demand block"):
        read_ceads_mrio(write(tmp_path, s))
    s = sheets_of(table)
    s[SHEET_A][3][GO] = "Output"  # no GO column: the TI row gives gross output (said)
    t = read_ceads_mrio(write(tmp_path, s))
    np.testing.assert_allclose(t.x, table.x, rtol=1e-12)
    assert any("no GO column" in note for note in t.notes)
    for row in s[SHEET_A]:
        if len(row) > 2 and row[2] == "TI":
            row[1] = row[2] = ""
    with pytest.raises(LayoutError, match=r"no gross output: neither a column with code GO"):
        read_ceads_mrio(write(tmp_path, s))
    s = sheets_of(table)
    s[SHEET_A][VA_ROWS[2]][1] = s[SHEET_A][VA_ROWS[2]][2] = ""
    with pytest.raises(LayoutError, match=r"no row with code VA003 below the Z block"):
        read_ceads_mrio(write(tmp_path, s))
    s = sheets_of(table)
    s[SHEET_A][3][TIU + 7] = "FU101"  # TJ's FU102 column labelled FU101 again
    with pytest.raises(LayoutError, match=r"final-demand column FU101 of TJ appears twice"):
        read_ceads_mrio(write(tmp_path, s))


def test_not_a_table_sheet(tmp_path: Path) -> None:
    path = write_sheets(tmp_path / "x_2017.xlsx", {"Table_2017": [["hello", "world"], [1, 2]]})
    with pytest.raises(LayoutError, match=r"cannot find the first data row"):
        read_ceads_mrio(path)


def test_error_messages_are_one_line(table, tmp_path: Path) -> None:
    s = sheets_of(table)
    s[SHEET_A][R0][Z0] = "oops"
    with pytest.raises(DataError) as e:
        read_ceads_mrio(write(tmp_path, s))
    assert "\n" not in str(e.value) and "cell D5" in str(e.value)


def test_writing_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    from viscarbon.io.writers.ceads_mrio import write_ceads_mrio

    target = tmp_path / "no-such-folder" / "mrio.xlsx"
    with pytest.raises(DataError, match="cannot create the workbook") as err:
        write_ceads_mrio(random_mrio(), target, layout="2012-2017")
    assert "no-such-folder" in str(err.value)
