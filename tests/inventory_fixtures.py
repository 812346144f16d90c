"""Small CEADs inventory workbooks written by code (xlsxwriter), for the inventory tests.

Grids are built as lists of rows (from A1) so a test can damage a valid grid (shift a
block, put text in a number cell …) before writing it. Values are generated from a seed:
sparse positive fuel emissions, Scope 2 / Other Energy zero, Process only in sector 27
(Nonmetal Mineral Products), totals computed as in the CEADs files (row sums, then column
sums), so every identity holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from viscarbon.classification import fuels, inventory_sectors, regions

Grid = list[list[Any]]

HEADERS_2021: tuple[str, ...] = tuple(f.name_en for f in fuels())  # B..W, 22 names
HEADERS_2018: tuple[str, ...] = (*(f.name_en for f in fuels() if f.kind == "fuel"), "Process", "Total")
SECTOR_LABELS: tuple[str, ...] = tuple(s.name_en for s in inventory_sectors())
PROVINCES: tuple[tuple[str, str], ...] = tuple(
    (r.code, r.inventory_sheet_prefix) for r in regions() if r.inventory_sheet_prefix
)
PROCESS_COL = 20  # index of Process among the 21 output columns
NONMETAL_ROW = 26  # 0-based index of sector 27


def synthetic_values(seed: int) -> np.ndarray:
    """47 × 21 non-negative emissions (Mt): fuels sparse lognormal, Process in sector 27."""
    rng = np.random.default_rng(seed)
    v = rng.lognormal(mean=-1.0, sigma=1.5, size=(47, 21))
    v[rng.random((47, 21)) < 0.45] = 0.0
    v[:, 17:21] = 0.0  # Scope 2 heat, Scope 2 electricity, Other Energy, Process
    v[NONMETAL_ROW, PROCESS_COL] = float(rng.uniform(5.0, 60.0))
    v[7] = 0.0  # Logging and Transport of Wood and Bamboo is empty in the real files
    return v


def _full_block(values: np.ndarray) -> np.ndarray:
    """(48, 22): the total row on top, the total column on the right."""
    rows = np.column_stack([values, values.sum(axis=1)])
    return np.vstack([rows.sum(axis=0)[None, :], rows])


def release2021_grid(values: np.ndarray, *, headers: Sequence[str] = HEADERS_2021,
                     total_label: str = "Total Consumption", corner: str = "",
                     unit_label: str = "", zero_as_blank: bool = False) -> Grid:
    """A release-2021 province sheet (51 × 23): header row, unit row, blank row, total row,
    the 47 sectors with trailing-space labels."""
    block = _full_block(values)
    grid: Grid = [[corner, *headers], [unit_label, *(["Mt CO2"] * 22)], [""] * 23]
    labels = [total_label, *(f"{s}{' ' * (8 if i % 3 else 0)}" for i, s in enumerate(SECTOR_LABELS))]
    for label, row in zip(labels, block, strict=True):
        cells: list[Any] = ["" if zero_as_blank and x == 0 else float(x) for x in row]
        grid.append([label, *cells])
    return grid


def release2018_grid(values: np.ndarray, *, headers: Sequence[str] = HEADERS_2018,
                     total_label: str = "Total Consumption") -> Grid:
    """A release-2018 province sheet: labels in A, 17 fuels, Process, Total from B; total row
    at the 0-based row 3 (rows 1-2: unit row and a blank row)."""
    cols = [*range(17), PROCESS_COL]
    sub = values[:, cols]
    block = _full_block(sub)
    grid: Grid = [["", *headers], ["", *(["Mt CO2"] * len(headers))], [""] * (len(headers) + 1)]
    for label, row in zip([total_label, *SECTOR_LABELS], block, strict=True):
        grid.append([label, *(float(x) for x in row)])
    return grid


NOTE_ROWS: Grid = [
    ["Introduction/简介", "Synthetic test workbook in the CEADs layout (not real data)."],
    ["Unit/单位", "Mt\n百万吨"],
]


def write_workbook(path: Path, sheets: dict[str, Grid]) -> Path:
    """Write ``sheets`` (name → grid from A1) with xlsxwriter; NaN/inf become the
    spreadsheet errors #NUM! / #DIV/0!, as Excel would show them."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    for name, grid in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, float) and not math.isfinite(v):
                    ws.write_number(r, c, v)
                else:
                    ws.write(r, c, v)
    wb.close()
    return path


def province_values(seed: int, codes: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """Synthetic 47 × 21 values per province code (seed + NBS order)."""
    wanted = set(codes) if codes is not None else None
    return {code: synthetic_values(seed * 100 + i)
            for i, (code, _) in enumerate(PROVINCES) if wanted is None or code in wanted}


def release2021_sheets(year: int, values: dict[str, np.ndarray], *,
                       grid: Callable[..., Grid] = release2021_grid) -> dict[str, Grid]:
    """NOTE plus one ``<Prefix><YYYY>`` sheet per province (in a non-alphabetical order)."""
    prefix = dict(PROVINCES)
    sheets: dict[str, Grid] = {"NOTE": [*NOTE_ROWS, ["Timeseries/时间序列", float(year)]]}
    for code in reversed(list(values)):
        sheets[f"{prefix[code]}{year}"] = grid(values[code])
    return sheets


def write_release2021(folder: Path, year: int, *, seed: int = 1,
                      codes: Iterable[str] | None = None, file_name: str | None = None,
                      mutate: Callable[[dict[str, Grid]], None] | None = None) -> tuple[Path, dict[str, np.ndarray]]:
    """A release-2021 workbook ``Emission_Inventories_for_30_Provinces_<year>.xlsx``;
    ``mutate`` may edit the sheets (name → grid) before writing."""
    values = province_values(seed, codes)
    sheets = release2021_sheets(year, values)
    if mutate is not None:
        mutate(sheets)
    name = file_name or f"Emission_Inventories_for_30_Provinces_{year}.xlsx"
    return write_workbook(folder / name, sheets), values


def write_release2018(folder: Path, year: int, *, seed: int = 2,
                      codes: Iterable[str] | None = None,
                      mutate: Callable[[dict[str, Grid]], None] | None = None) -> tuple[Path, dict[str, np.ndarray]]:
    """A release-2018 workbook ``Province sectoral CO2 emissions <year>.xlsx`` (sheets named
    by province, no NOTE sheet, no Scope 2 / Other Energy columns)."""
    values = province_values(seed, codes)
    prefix = dict(PROVINCES)
    sheets = {prefix[c]: release2018_grid(v) for c, v in values.items()}
    if mutate is not None:
        mutate(sheets)
    return write_workbook(folder / f"Province sectoral CO2 emissions {year}.xlsx", sheets), values


def write_national(folder: Path, years: Sequence[int], *, seed: int = 3) -> tuple[Path, dict[int, np.ndarray]]:
    """A national workbook: NOTE, ``sum`` (total row per year), ``Sum-Sec-Scope 1`` (Scope 1
    total per sector and year) and one sheet per year with the release-2021 grid."""
    values = {y: synthetic_values(seed * 1000 + y) for y in years}
    sum_grid: Grid = [["", *HEADERS_2021]]
    sec_grid: Grid = [["", *(float(y) for y in years)], [""] * (len(years) + 1), [""] * (len(years) + 1)]
    blocks = {y: _full_block(v) for y, v in values.items()}
    for y in years:
        sum_grid.append([float(y), *(float(x) for x in blocks[y][0])])
    for i, label in enumerate(["Total Consumption", *SECTOR_LABELS]):
        sec_grid.append([label, *(float(blocks[y][i, -1]) for y in years)])
    sheets: dict[str, Grid] = {"NOTE": NOTE_ROWS, "sum": sum_grid, "Sum-Sec-Scope 1": sec_grid}
    for y in years:
        sheets[str(y)] = release2021_grid(values[y])
    return write_workbook(folder / "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx",
                          sheets), values


# --------------------------------------------------------------------------- newer workbooks
def underscored(name: str) -> str:
    """A header as the 2022 workbook spells it (issue 9): ``Scope 1 Total`` → ``Scope_1_Total``."""
    return name.replace(" ", "_")


HEADERS_2022: tuple[str, ...] = tuple(underscored(h) for h in HEADERS_2021)


def release2022_grid(values: np.ndarray, *, title: bool = False, unit: bool = True) -> Grid:
    """A province sheet of the 2022 workbook as read from the issue: the 2021/22 grid with
    underscored headers (``Raw_Coal`` … ``Scope_1_Total``), the total row ``Total_Emissions``;
    ``title`` puts ``Emission_Inventory`` / ``unit`` rows above it (as sheet Hunan2017 has);
    ``unit`` whether the ``Mt_CO2`` row is there."""
    grid = release2021_grid(values, headers=HEADERS_2022, total_label="Total_Emissions")
    grid[1] = ["", *(["Mt_CO2"] * 22)] if unit else [""] * 23
    if title:
        grid = [["Emission_Inventory"], ["unit: Mt_CO2"], *grid]
    return grid


def write_release2022(folder: Path, year: int = 2022, *, seed: int = 22, codes: Iterable[str] | None = None,
                      title: bool = False, unit: bool = True,
                      mutate: Callable[[dict[str, Grid]], None] | None = None) -> tuple[Path, dict[str, np.ndarray]]:
    """The 2022 provincial workbook ``Emission_Inventories_for_30_Provinces_<year>.xlsx``."""
    values = province_values(seed, codes)
    sheets = release2021_sheets(year, values, grid=lambda v: release2022_grid(v, title=title, unit=unit))
    if mutate is not None:
        mutate(sheets)
    return write_workbook(folder / f"Emission_Inventories_for_30_Provinces_{year}.xlsx", sheets), values


APPARENT_HEADERS: tuple[str, ...] = ("Raw Coal", "Crude Oil", "Natural Gas", "Cement Process", "Total")


def apparent_values(seed: int, year: int) -> np.ndarray:
    """30 × 4 apparent emissions (Mt): raw coal dominant, crude oil and gas smaller, cement."""
    rng = np.random.default_rng(seed * 10_000 + year)
    scale = np.array([300.0, 40.0, 20.0, 30.0])
    v = rng.gamma(2.0, 0.5, (len(PROVINCES), 4)) * scale
    v[rng.random(len(PROVINCES)) < 0.2, 1] = 0.0  # provinces without refineries
    return v


def apparent_grid(values: np.ndarray, *, names: str = "en", headers: Sequence[str] = APPARENT_HEADERS,
                  unit: bool = True, total_col: bool = True, total_row: bool = True,
                  label: str = "Province", notes: bool = False) -> Grid:
    """One year sheet of the apparent-emissions workbook as read from the issue (guessed):
    a label column, the four categories, the total; a unit row; 30 provinces; a total row."""
    cols = list(headers if total_col else headers[:4])
    grid: Grid = [[label, *cols]]
    if unit:
        grid.append(["", *(["Mt CO2"] * len(cols))])
    from viscarbon.classification import region

    for (code, _), row in zip(PROVINCES, values, strict=True):
        name = {"en": region(code).name_en, "zh": region(code).name_zh_hans}[names]
        cells = [float(x) for x in row] + ([float(row.sum())] if total_col else [])
        grid.append([name, *cells])
    if total_row:
        tot = values.sum(axis=0)
        grid.append(["Total", *(float(x) for x in tot), *([float(tot.sum())] if total_col else [])])
    if notes:
        grid += [[""], ["Source: synthetic test workbook in the guessed CEADs layout"]]
    return grid


def write_apparent(folder: Path, years: Sequence[int] = (1997, 2012, 2022), *, seed: int = 9,
                   file_name: str = "Apparent_CO2_Emissions_30_Provinces_1997-2022.xlsx",
                   mutate: Callable[[dict[str, Grid]], None] | None = None,
                   **grid_options: Any) -> tuple[Path, dict[int, np.ndarray]]:
    """The apparent-emissions workbook: NOTE plus one sheet per year."""
    values = {y: apparent_values(seed, y) for y in years}
    sheets: dict[str, Grid] = {"NOTE": [*NOTE_ROWS, ["Timeseries/时间序列", f"{years[0]}-{years[-1]}"]]}
    for y in years:
        sheets[str(y)] = apparent_grid(values[y], **grid_options)
    if mutate is not None:
        mutate(sheets)
    return write_workbook(folder / file_name, sheets), values
