"""The CEADs provincial MRIO workbook layouts, declared as data.

Two families are read (``../shared/reference/CEADS_FORMATS.md`` §2):

* ``2012-2017``: Zheng, Bai, Wei et al. (2021) Sci Data 8:244, tables for 2012, 2015 and
  2017 (sheet ``Table_2017_consistent``; the "2017 new" table uses the NBS 2017 sector
  list). Four header rows (region in English, region in Chinese, item label, item code)
  above the first data row; columns A-C hold the row region, label and code; the
  intermediate block Z starts at D5.
* ``2018-2020``: Li et al. (2026) Sci Data, tables for 2018 and 2020 (sheet
  ``Table_<YYYY>_English Version`` plus the sheets ``Province`` and ``Sector…``). The three
  rows above the first data row hold the column region, label and code; a title may sit
  above them.

Both are located by *labels and codes*, never by fixed cells: the first data row is the
first row whose code cell is ``01`` and whose region cell names a province; the code row
above it names every column (sector codes ``01``-``42``, ``TIU``, ``FU101``…``FU202``,
``EX``, ``TFU``, ``ERR``, ``GO``), the code column names every row (``IM``, ``TII``,
``VA001``-``VA004``, ``TVA``, ``TI``, an optional CO2 row). The offsets of the header rows
relative to the first data row are the only positions declared here.

This module also holds the name tables the readers match against: region name variants
(English, Chinese, pinyin, official long forms) and the sector-list detector.
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
    "FD_CODES",
    "LAYOUTS",
    "VA_ROWS",
    "LayoutId",
    "MrioLayout",
    "VaRow",
    "detect_sector_list",
    "layout",
    "match_region",
]

LayoutId = Literal["2012-2017", "2018-2020"]

#: Final-demand codes of the CEADs MRIO tables, in the canonical order of
#: :data:`viscarbon.classification.FD_CATEGORIES` (``Other`` holds ERR and is not a
#: column of the file's final-demand block).
FD_CODES: Final[tuple[str, ...]] = ("FU101", "FU102", "FU103", "FU201", "FU202")

#: Codes accepted in the code column for the optional CO2 row (Mt CO2 per sector).
CO2_ROW_CODES: Final[tuple[str, ...]] = ("CO2", "f")


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
    """One CEADs MRIO workbook layout.

    ``sheet_pattern`` matches the table sheet and captures ``year`` (and, for the
    2012-2017 family, an optional ``variant`` such as ``consistent`` or ``new``);
    ``sheet_template`` is what the writer names it. Header rows are given as offsets from
    the first data row (``-1`` = the row just above it). ``region_col``, ``label_col``
    and ``code_col`` are the 0-based columns holding each data row's region, label and
    code. ``aux_sheets`` are further sheets the layout requires: ``province`` (a column
    ``Province`` listing the regions in order) and ``sector`` (a sheet whose name starts
    with ``Sector``, columns ``No.`` and ``Sector``).
    """

    id: LayoutId
    vintage: str
    citation_key: str
    sheet_pattern: str
    sheet_template: str
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

    @property
    def header_rows(self) -> int:
        """Rows above the first data row (title rows plus header rows)."""
        return self.title_rows - self.region_row

    def match_sheet(self, name: str) -> re.Match[str] | None:
        return re.fullmatch(self.sheet_pattern, name.strip(), flags=re.IGNORECASE)


LAYOUTS: Final[dict[str, MrioLayout]] = {
    "2012-2017": MrioLayout(
        id="2012-2017",
        vintage="2012-2017 (Zheng et al. 2021)",
        citation_key="common.citation.mrio_2012_2017",
        # Table_2017_consistent, Table_2017_new, Table_2012 ...; never "... English Version"
        sheet_pattern=r"Table[ _]?(?P<year>(?:19|20)\d\d)(?:[ _](?P<variant>(?!english)[A-Za-z]+))?",
        sheet_template="Table_{year}{variant}",
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
        sheet_pattern=r"Table[ _]?(?P<year>(?:19|20)\d\d)[ _]English[ _]?Version",
        sheet_template="Table_{year}_English Version",
        title_rows=2,
        region_row=-3,
        region_zh_row=None,
        label_row=-2,
        code_row=-1,
        province_sheet="Province",
        sector_sheet_prefix="Sector",
    ),
}


def layout(layout_id: str) -> MrioLayout:
    """The layout ``"2012-2017"`` or ``"2018-2020"``."""
    try:
        return LAYOUTS[layout_id]
    except KeyError:
        raise UnknownCode(f"unknown CEADs MRIO layout {layout_id!r}",
                          hint="use one of: " + ", ".join(LAYOUTS)) from None


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


def match_region(name: object) -> str | None:
    """The two-letter code of a region name in English, Chinese (simplified or
    traditional), pinyin or an official long form (``"Inner Mongolia"``, ``"内蒙古自治区"``,
    ``"Neimenggu"`` → ``"NM"``), or ``None`` when it names no province."""
    k = normalise_key(name)
    if not k:
        return None
    aliases = _region_aliases()
    return aliases.get(k) or aliases.get(_strip_suffix(k))


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
