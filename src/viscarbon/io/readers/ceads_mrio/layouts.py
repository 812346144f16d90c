"""The CEADs provincial MRIO workbook layouts, declared as data.

Two families are read (``../shared/reference/CEADS_FORMATS.md`` §2):

* ``2012-2017``: Zheng, Bai, Wei et al. (2021) Sci Data 8:244, tables for 2012, 2015 and
  2017 (sheet ``Table_2017_consistent``; the "2017 new" table uses the NBS 2017 sector
  list). Documented: four header rows (region in English, region in Chinese, item label,
  item code) above the first data row; columns A-C hold the row region, label and code;
  the intermediate block Z starts at D5.
* ``2018-2020``: Li et al. (2026) Sci Data, tables for 2018 and 2020 (sheet
  ``Table_<YYYY>_English Version`` plus the sheets ``Province`` and ``Sector…``). The three
  rows above the first data row hold the column region, label and code; a title may sit
  above them.

The reader finds the table **by its content**, never by fixed cells (what it looks for is
declared here, :data:`LOCATOR`, :data:`COLUMN_CODES`, :data:`ROW_CODES`): the column of
sector codes ``01``-``42`` on the row side (within the first rows and columns), the row of
the same codes above it, the region names on both sides (forward-filled over merged cells
and once-per-span headers), the final-demand codes, and the codes of the further columns
(``TIU``, ``EX``, ``TFU``, ``ERR``, ``GO``) and rows (``IM``, ``TII``, ``VA001``-``VA004``,
``TVA``, ``TI``, CO2). The header-row offsets of a layout (``region_row`` …) are what the
*writer* produces and what ``viscarbon doctor`` compares a file with; the reader does not
rely on them.

This module also holds the name tables the readers match against: region name variants
(English, Chinese, pinyin, official long forms, both in one cell) and the sector-list
detector.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from viscarbon.classification import normalise_key, regions, sectors
from viscarbon.errors import UnknownCode

__all__ = [
    "CO2_ROW_CODES",
    "COLUMN_CODES",
    "FD_CODES",
    "GENERIC_SHEET_PATTERNS",
    "LAYOUTS",
    "LOCATOR",
    "ROW_CODES",
    "VA_ROWS",
    "LayoutId",
    "LocatorLimits",
    "MrioLayout",
    "VaRow",
    "column_code",
    "detect_sector_list",
    "layout",
    "match_region",
    "match_table_sheet",
    "region_script",
    "row_code",
]

LayoutId = Literal["2012-2017", "2018-2020"]

#: Final-demand codes of the CEADs MRIO tables, in the canonical order of
#: :data:`viscarbon.classification.FD_CATEGORIES` (``Other`` holds ERR and is not a
#: column of the file's final-demand block).
FD_CODES: Final[tuple[str, ...]] = ("FU101", "FU102", "FU103", "FU201", "FU202")

#: Codes accepted in the code column for the optional CO2 row (Mt CO2 per sector).
CO2_ROW_CODES: Final[tuple[str, ...]] = ("CO2", "f")


@dataclass(frozen=True, slots=True)
class LocatorLimits:
    """Where the locator searches. ``header_rows``: the sector codes of the first data row
    and the header rows above it must lie within the first rows of the sheet;
    ``row_header_cols``: the row-side code, region and label columns within the first
    columns; ``sectors``: sectors per region block."""

    header_rows: int = 60
    row_header_cols: int = 8
    sectors: int = 42


LOCATOR: Final = LocatorLimits()

#: Codes of the columns right of Z (normalised key → canonical code). The final-demand
#: codes are FD_CODES; a column whose code cell is empty is recognised by its label
#: (the aliases after the code, normalised).
COLUMN_CODES: Final[dict[str, tuple[str, ...]]] = {
    "TIU": ("tiu", "totalintermediateuse", "中间使用合计"),
    "EX": ("ex", "exports", "export", "出口"),
    "TFU": ("tfu", "totalfinaluse", "最终使用合计"),
    "ERR": ("err", "other", "otherstatisticalerror", "statisticalerror", "其他", "误差"),
    "GO": ("go", "grossoutput", "totaloutput", "总产出", "总产品"),
    **{c: (normalise_key(c),) for c in FD_CODES},
}

#: Codes of the rows below Z (canonical code → accepted normalised keys; code cell first,
#: then the label cell). ``CO2`` is optional, as are TII, TVA and TI.
ROW_CODES: Final[dict[str, tuple[str, ...]]] = {
    "IM": ("im", "imports", "import", "进口"),
    "TII": ("tii", "totalintermediateinput", "中间投入合计"),
    "VA001": ("va001",),
    "VA002": ("va002",),
    "VA003": ("va003",),
    "VA004": ("va004",),
    "TVA": ("tva", "totalvalueadded", "增加值合计"),
    "TI": ("ti", "totalinput", "总投入"),
    "CO2": ("co2", "f", "co2emissions", "co2emissionsmt", "二氧化碳排放"),
}


@cache
def _column_keys() -> dict[str, str]:
    return {k: code for code, keys in COLUMN_CODES.items() for k in keys}


@cache
def _row_keys() -> dict[str, str]:
    return {k: code for code, keys in ROW_CODES.items() for k in keys}


def column_code(code_cell: object, label_cell: object = "") -> str | None:
    """The canonical code of a column right of Z from its code cell (or, when that is
    empty, its label): ``"EX"``, ``"FU101"`` …, ``""`` for an empty column, ``None`` for
    text that is no known code."""
    key = normalise_key(code_cell)
    if key:
        return _column_keys().get(key)
    label = normalise_key(label_cell)
    if not label:
        return ""
    return _column_keys().get(label, "")


def row_code(code_cell: object, label_cell: object = "") -> str | None:
    """The canonical code of a row below Z (``"IM"``, ``"VA001"`` …, ``"CO2"``) from its code
    cell or, when that is empty, its label; ``""`` for an empty row, ``None`` otherwise."""
    key = normalise_key(code_cell)
    if key:
        return _row_keys().get(key)
    label = normalise_key(label_cell)
    if not label:
        return ""
    if "co2" in label or "二氧化碳" in label:
        return "CO2"
    return _row_keys().get(label)


@dataclass(frozen=True, slots=True)
class VaRow:
    """A value-added row of the NBS / CEADs tables (10,000 yuan)."""

    code: str
    name_en: str
    name_zh_hans: str


VA_ROWS: Final[tuple[VaRow, ...]] = (
    VaRow("VA001", "Compensation of employees", "劳动者报酬"),
    VaRow("VA002", "Net taxes on production", "生产税净额"),
    VaRow("VA003", "Depreciation of fixed assets", "固定资产折旧"),
    VaRow("VA004", "Operating surplus", "营业盈余"),
)


@dataclass(frozen=True, slots=True)
class MrioLayout:
    """One CEADs MRIO workbook layout (family).

    ``sheet_patterns`` are the table-sheet names that identify the family (each captures
    ``year`` and may capture a ``variant`` such as ``consistent`` or ``new``); sheets named
    only by a year (:data:`GENERIC_SHEET_PATTERNS`) belong to the family of ``years``.
    ``sheet_template`` is what the writer names the sheet. The documented header rows are
    given as offsets from the first data row (``-1`` = the row just above it), with
    ``title_rows`` title rows above them; ``region_col``, ``label_col`` and ``code_col`` are
    the documented 0-based row-header columns. The writer writes exactly this; the reader
    locates every block by content and ``viscarbon doctor`` reports where the file departs
    from it. ``province_sheet`` (a column ``Province`` listing the regions in order) and
    ``sector_sheet_prefix`` (a sheet ``Sector…`` with columns ``No.`` and ``Sector``) are
    cross-checked when present.
    """

    id: LayoutId
    vintage: str
    citation_key: str
    sheet_patterns: tuple[str, ...]
    sheet_template: str
    years: tuple[int, int]
    title_rows: int
    region_row: int
    region_zh_row: int | None
    label_row: int
    code_row: int
    region_col: int = 0
    label_col: int = 1
    code_col: int = 2
    province_sheet: str | None = None
    sector_sheet_prefix: str | None = None
    blank_row_before_co2: bool = True
    distinctive_sheet_name: bool = False

    @property
    def header_rows(self) -> int:
        """Rows above the first data row (title rows plus header rows)."""
        return self.title_rows - self.region_row

    @property
    def sheet_pattern(self) -> str:
        """The first (canonical) table-sheet pattern."""
        return self.sheet_patterns[0]

    def match_sheet(self, name: str) -> re.Match[str] | None:
        """The match of ``name`` against this family's own sheet patterns."""
        for pat in self.sheet_patterns:
            m = re.fullmatch(pat, name.strip(), flags=re.IGNORECASE)
            if m:
                return m
        return None

    def documented_header(self) -> tuple[tuple[int, str], ...]:
        """The documented header rows as ``(0-based row, what)`` with ``what`` one of
        ``title``, ``region_en``, ``region_zh``, ``label``, ``code`` (for the doctor)."""
        first = self.header_rows
        rows: list[tuple[int, str]] = [(r, "title") for r in range(self.title_rows)]
        named = {self.region_row: "region_en", self.label_row: "label", self.code_row: "code"}
        if self.region_zh_row is not None:
            named[self.region_zh_row] = "region_zh"
        rows += [(first + off, named[off]) for off in sorted(named)]
        return tuple(rows)


_YEAR: Final = r"(?P<year>(?:19|20)\d\d)"

#: Table-sheet names of either family: ``2012``, ``2012年``, ``2012年投入产出表``,
#: ``MRIO_2012``, ``IO 2015``.
GENERIC_SHEET_PATTERNS: Final[tuple[str, ...]] = (
    rf"(?:mrio|io|table)?[ _-]*{_YEAR}[ _-]*(?:年.*)?",
)

LAYOUTS: Final[dict[str, MrioLayout]] = {
    "2012-2017": MrioLayout(
        id="2012-2017",
        vintage="2012-2017 (Zheng et al. 2021)",
        citation_key="common.citation.mrio_2012_2017",
        # Table_2017_consistent, Table_2017_new, Table_2012 ...; never "... English Version"
        sheet_patterns=(rf"Table[ _]?{_YEAR}(?:[ _](?P<variant>(?!english)[A-Za-z]+))?",),
        sheet_template="Table_{year}{variant}",
        years=(2012, 2017),
        title_rows=0,
        region_row=-4,
        region_zh_row=-3,
        label_row=-2,
        code_row=-1,
    ),
    "2018-2020": MrioLayout(
        id="2018-2020",
        vintage="2018-2020 (Li et al. 2026)",
        citation_key="common.citation.mrio_2018_2020",
        sheet_patterns=(rf"Table[ _]?{_YEAR}[ _]English[ _]?Version",),
        sheet_template="Table_{year}_English Version",
        years=(2018, 2020),
        title_rows=2,
        region_row=-3,
        region_zh_row=None,
        label_row=-2,
        code_row=-1,
        province_sheet="Province",
        sector_sheet_prefix="Sector",
        distinctive_sheet_name=True,
    ),
}


def layout(layout_id: str) -> MrioLayout:
    """The layout ``"2012-2017"`` or ``"2018-2020"``."""
    try:
        return LAYOUTS[layout_id]
    except KeyError:
        raise UnknownCode(f"unknown CEADs MRIO layout {layout_id!r}",
                          hint="use one of: " + ", ".join(LAYOUTS)) from None


def match_table_sheet(name: str) -> tuple[MrioLayout | None, int, str] | None:
    """Whether ``name`` names an MRIO table sheet: ``(family or None, year, variant)``.

    A family's own pattern (``Table_2018_English Version`` → 2018-2020,
    ``Table_2017_consistent`` → 2012-2017) names the family; a generic name (``2012``,
    ``2012年``, ``MRIO_2015``) only the year (the family then follows from the workbook).
    """
    for lay in LAYOUTS.values():
        m = lay.match_sheet(name)
        if m:
            year, variant = int(m.group("year")), (m.groupdict().get("variant") or "")
            # "Table_2018" is not a 2012-2017 name: only its years or a variant decide
            decides = (lay.distinctive_sheet_name or bool(variant)
                       or lay.years[0] <= year <= lay.years[1])
            return (lay if decides else None), year, variant
    for pat in GENERIC_SHEET_PATTERNS:
        m = re.fullmatch(pat, name.strip(), flags=re.IGNORECASE)
        if m:
            return None, int(m.group("year")), ""
    return None


# --------------------------------------------------------------------------- region names
#: Pinyin and other spellings that differ from the English names of ``regions.csv``.
_REGION_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "NM": ("Neimenggu", "Nei Mongol", "Nei Menggu", "Inner Mongolia Autonomous Region"),
    "XZ": ("Xizang", "Xizang Autonomous Region", "Tibet Autonomous Region"),
    "GX": ("Guangxi Zhuang Autonomous Region", "广西壮族自治区"),
    "NX": ("Ningxia Hui Autonomous Region", "宁夏回族自治区"),
    "XJ": ("Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur Autonomous Region",
           "新疆维吾尔自治区"),
    "SN": ("Shaanxi Province",),
}

#: Suffixes stripped before matching ("Hebei Province", "北京市", "内蒙古自治区").
_SUFFIXES: Final[tuple[str, ...]] = (
    "autonomousregion", "municipality", "province", "city", "自治区", "省", "市",
)


def _strip_suffix(key: str) -> str:
    for s in _SUFFIXES:
        if key.endswith(s) and len(key) > len(s) + 1:
            return key[: -len(s)]
    return key


@cache
def _region_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for r in regions():
        for name in (r.code, r.name_en, r.name_zh_hans, r.name_zh_hant,
                     r.inventory_sheet_prefix or "", *_REGION_VARIANTS.get(r.code, ())):
            k = normalise_key(name)
            if k:
                out[k] = r.code
                out[_strip_suffix(k)] = r.code
    return out


def _match_whole(text: str) -> str | None:
    k = normalise_key(text)
    if not k:
        return None
    aliases = _region_aliases()
    return aliases.get(k) or aliases.get(_strip_suffix(k))


_SCRIPT_PARTS: Final = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+|[^\u4e00-\u9fff\u3400-\u4dbf]+")


def match_region(name: object) -> str | None:
    """The two-letter code of a region name in English, Chinese (simplified or
    traditional), pinyin or an official long form (``"Inner Mongolia"``, ``"内蒙古自治区"``,
    ``"Neimenggu"`` → ``"NM"``), or both in one cell (``"北京 Beijing"``,
    ``"Beijing (北京市)"``, ``"广东/Guangdong"``), or ``None`` when it names no province
    (or the parts of a two-language cell name different provinces)."""
    if name is None or isinstance(name, bool | int | float):
        return None
    text = str(name)
    code = _match_whole(text)
    if code is not None or not text.strip():
        return code
    parts = [p for p in _SCRIPT_PARTS.findall(text) if normalise_key(p)]
    if len(parts) < 2:
        return None
    codes = {_match_whole(p) for p in parts}
    if len(codes) == 1 and None not in codes:
        return codes.pop()
    return None


def region_script(name: object) -> str:
    """Which script a region name cell is written in: ``zh`` (Chinese characters only),
    ``en`` (Latin letters: English or pinyin), ``zh+en`` (both), ``""`` for an empty cell."""
    text = str(name or "")
    has_zh = bool(re.search(r"[\u4e00-\u9fff\u3400-\u4dbf]", text))
    has_en = bool(re.search(r"[A-Za-z]", text))
    return "zh+en" if has_zh and has_en else "zh" if has_zh else "en" if has_en else ""


# --------------------------------------------------------------------------- sector lists
@cache
def _sector_keys(list_id: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset({normalise_key(s.name_en), normalise_key(s.name_zh_hans),
                            normalise_key(s.short_en), normalise_key(s.short_zh_hans)})
                 for s in sectors(list_id))


def detect_sector_list(labels: Sequence[object], *, default: str) -> tuple[str, str]:
    """Which 42-sector list the sector ``labels`` (in code order 01-42) belong to.

    Returns ``(list_id, how)``. First the labels are compared with the packaged names of
    both lists (English, Chinese, short forms); the list with more exact matches wins.
    When that does not decide, the distinguishing sectors are looked at: in the NBS 2017
    list sector 22 is "Other manufacturing *and waste resources*" and 35 "Research and
    experimental development"; in the 2012 list 23 is "Comprehensive use of waste
    resources". When neither decides, ``default`` (from the year and the sheet name) is
    used and ``how`` says so.
    """
    keys = [normalise_key(v) for v in labels]
    if len(keys) == 42:
        scores = {lid: sum(k in ks for k, ks in zip(keys, _sector_keys(lid), strict=True))
                  for lid in ("io42_2012", "io42_2017")}
        if scores["io42_2012"] != scores["io42_2017"]:
            best = max(scores, key=lambda lid: scores[lid])
            return best, f"sector labels match {best} ({scores[best]}/42)"
        s22, s23, s35 = keys[21], keys[22], keys[34]
        waste = ("waste", "废")
        if any(w in s22 for w in waste) and any(w in s35 for w in ("research", "研究")):
            return "io42_2017", "sector 22 includes waste resources and 35 is R&D"
        if any(w in s23 for w in waste) and not any(w in s22 for w in waste):
            return "io42_2012", "sector 23 is waste resources"
    return default, f"sector list not recognisable from the labels; assumed {default}"
