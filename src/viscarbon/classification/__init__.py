"""Classifications: the 31 regions, the two 42-sector IO lists, sector families, the 47
inventory sectors, the inventory fuel columns and the 47 → 42 concordance.

Codes are keys everywhere ("GD", "25"); labels are data, looked up at render time with
:func:`label`. Everything here is read from packaged CSV files (``data/``), whose
sources are the NBS classification and the CEADs inventory layout.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Final, Literal

from viscarbon.errors import UnknownCode, UnknownRegion, UnknownSector
from viscarbon.i18n import normalize_lang, t

__all__ = [
    "ALLOCATION_RULES",
    "FD_CATEGORIES",
    "SECTOR_LISTS",
    "AllocationRule",
    "City",
    "Concordance",
    "ConcordanceRow",
    "Family",
    "FdCategory",
    "Fuel",
    "InventorySector",
    "Region",
    "Sector",
    "cities",
    "city",
    "city_province",
    "concordance",
    "families",
    "fd_category",
    "fuels",
    "inventory_sectors",
    "label",
    "match_city",
    "normalise_key",
    "province_cities",
    "region",
    "region_codes",
    "regions",
    "sector",
    "sector_codes",
    "sector_correspondence",
    "sector_list_for_year",
    "sectors",
]

SectorListId = Literal["io42_2012", "io42_2017"]
SECTOR_LISTS: Final[tuple[str, ...]] = ("io42_2012", "io42_2017")
AllocationRule = Literal["whole", "by_output", "household", "equal"]
ALLOCATION_RULES: Final[tuple[str, ...]] = ("whole", "by_output", "household", "equal")


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def normalise_key(text: object) -> str:
    """A spelling-insensitive key for header matching: lower case, no spaces,
    underscores, hyphens or other separators (``"Scope_1 Total"`` → ``"scope1total"``)."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", str(text).strip().lower())


# --------------------------------------------------------------------------- regions
@dataclass(frozen=True, slots=True)
class Region:
    """One of the 31 provincial regions of mainland China, in NBS order."""

    code: str
    nbs_order: int
    name_en: str
    name_zh_hans: str
    name_zh_hant: str
    inventory_sheet_prefix: str | None

    def name(self, lang: str | None = None) -> str:
        return self.name_zh_hans if normalize_lang(lang) == "zh-Hans" else self.name_en


@cache
def regions() -> tuple[Region, ...]:
    """The 31 regions in NBS order (BJ … XJ)."""
    return tuple(
        Region(
            code=r["code"],
            nbs_order=int(r["nbs_order"]),
            name_en=r["name_en"],
            name_zh_hans=r["name_zh_hans"],
            name_zh_hant=r["name_zh_hant"],
            inventory_sheet_prefix=r["inventory_sheet_prefix"] or None,
        )
        for r in _rows("regions.csv")
    )


@cache
def _region_index() -> dict[str, Region]:
    return {r.code: r for r in regions()}


def region_codes() -> tuple[str, ...]:
    """The 31 two-letter codes in NBS order."""
    return tuple(r.code for r in regions())


def region(code: str) -> Region:
    """Look up a region by its two-letter code (case-insensitive)."""
    found = _region_index().get(code.strip().upper()) if isinstance(code, str) else None
    if found is None:
        raise UnknownRegion(
            f"unknown province code {code!r}",
            hint="use one of: " + ", ".join(region_codes()),
        )
    return found


# --------------------------------------------------------------------------- cities
@dataclass(frozen=True, slots=True)
class City:
    """A prefecture-level division (地级市, 地区, 自治州, 盟) or a municipality of the city
    concordance: its six-digit administrative division code (GB/T 2260), names, province
    code and toneless lower-case pinyin (``"haerbin"``; for 地区, 自治州 and 盟 the pinyin
    of the full Chinese name, ``"abazangzuqiangzuzizhizhou"``)."""

    code: str
    name_zh_hans: str
    name_en: str
    province: str
    pinyin: str

    def name(self, lang: str | None = None) -> str:
        return self.name_zh_hans if normalize_lang(lang) == "zh-Hans" else self.name_en

    @property
    def is_capital(self) -> bool:
        """The provincial capital: GB/T 2260 numbers it first (``xx0100``); a municipality
        (``xx0000``) is its own capital."""
        return self.code.endswith("0100") or self.code.endswith("0000")


@cache
def cities() -> tuple[City, ...]:
    """The cities of the packaged concordance (``data/cities.csv``), in code order.

    Source: the administrative division codes of GB/T 2260 (2020 vintage) as published by
    the Ministry of Civil Affairs. The file lists every prefecture-level division of the 27
    provinces and autonomous regions (333: 地级市, 地区, 自治州, 盟) and the four
    municipalities as single cities (110000, 120000, 310000, 500000): 337 rows. County-level
    cities administered directly by a province (省直辖县级行政单位, e.g. 济源 419001,
    仙桃 429004, 石河子 659001, 五指山 469001) are not included. A table's own city list
    wins: cities not listed here keep the names the file gives them.
    """
    return tuple(City(code=r["code"], name_zh_hans=r["name_zh_hans"], name_en=r["name_en"],
                      province=region(r["province"]).code, pinyin=r["pinyin"])
                 for r in _rows("cities.csv"))


@cache
def _city_by_code() -> dict[str, City]:
    return {c.code: c for c in cities()}


def city_province(code: str) -> str | None:
    """The province of a concordance city code; None for a code outside the concordance
    (a city a table names that the concordance does not know)."""
    c = _city_by_code().get(str(code).strip())
    return c.province if c is not None else None


def province_cities(province: str) -> tuple[City, ...]:
    """The concordance cities of one province (two-letter code, case-insensitive), in
    code order; a municipality gives its one city. Raises :class:`UnknownRegion` for a
    code that is not one of the 31 regions."""
    code = region(province).code
    return tuple(c for c in cities() if c.province == code)


@cache
def _city_index() -> dict[str, City]:
    """Normalised spelling → city. A spelling shared by several cities (the romanisations
    Suzhou 苏州/宿州, Fuzhou 福州/抚州, Taizhou 泰州/台州, Yichun 伊春/宜春, Yulin 玉林/榆林)
    is left out: it names no single city, and only the Chinese name or the code can tell."""
    seen: dict[str, set[str]] = {}
    first: dict[str, City] = {}
    for c in cities():
        keys = {c.code, c.name_zh_hans, c.name_zh_hans + "市", c.pinyin, c.pinyin + "shi",
                c.name_en, c.name_en + " city"}
        for key in keys:
            k = normalise_key(key)
            seen.setdefault(k, set()).add(c.code)
            first.setdefault(k, c)
    return {k: c for k, c in first.items() if len(seen[k]) == 1}


def city(code: str) -> City:
    """Look up a city of the concordance by its six-digit code."""
    found = _city_by_code().get(str(code).strip())
    if found is None:
        shown = ", ".join(c.code for c in cities()[:20])
        raise UnknownCode(f"unknown city code {code!r}", hint=f"use a six-digit GB/T 2260 code, e.g. {shown} …")
    return found


def match_city(text: object) -> City | None:
    """The concordance city a file's label names, or None when it names none (or names
    several, see below).

    Matched: the six-digit code; the Chinese name with or without 市 (``"广州"``,
    ``"广州市"``); the English name with or without "City"; the pinyin (``"Haerbin"``,
    ``"ha er bin"``, ``"Wu-lu-mu-qi"``). Case, spaces, hyphens, underscores and apostrophes
    are ignored (:func:`normalise_key`). A romanisation shared by two cities (Suzhou,
    Fuzhou, Taizhou, Yichun, Yulin) is ambiguous and matches none: give the Chinese name
    or the code.
    """
    return _city_index().get(normalise_key(text))


# --------------------------------------------------------------------------- families
@dataclass(frozen=True, slots=True)
class Family:
    """A sector family used for colouring (Okabe-Ito colour-blind-safe palette)."""

    code: str
    order: int
    colour: str
    why: str


@cache
def families() -> tuple[Family, ...]:
    return tuple(
        Family(r["code"], int(r["order"]), r["colour"], r["why"]) for r in _rows("families.csv")
    )


# --------------------------------------------------------------------------- sectors
@dataclass(frozen=True, slots=True)
class Sector:
    """An IO sector of one of the NBS 42-sector lists."""

    list_id: str
    code: str
    name_en: str
    name_zh_hans: str
    short_en: str
    short_zh_hans: str
    family: str

    def name(self, lang: str | None = None, *, short: bool = False) -> str:
        zh = normalize_lang(lang) == "zh-Hans"
        if short:
            return self.short_zh_hans if zh else self.short_en
        return self.name_zh_hans if zh else self.name_en


@cache
def sectors(list_id: str = "io42_2012") -> tuple[Sector, ...]:
    """The 42 sectors of ``io42_2012`` (NBS 2012/2015 list) or ``io42_2017`` (NBS 2017 list)."""
    if list_id not in SECTOR_LISTS:
        raise UnknownCode(f"unknown sector list {list_id!r}", hint="use io42_2012 or io42_2017")
    display = {
        r["code"]: r for r in _rows("sector_display.csv") if r["list"] == list_id
    }
    file = "sectors_io42_2012.csv" if list_id == "io42_2012" else "sectors_io42_2017.csv"
    out = []
    for r in _rows(file):
        d = display[r["code"]]
        out.append(
            Sector(
                list_id=list_id,
                code=r["code"],
                name_en=r["name_en"],
                name_zh_hans=r["name_zh_hans"],
                short_en=d["short_en"],
                short_zh_hans=d["short_zh_hans"],
                family=d["family"],
            )
        )
    return tuple(out)


def sector_codes(list_id: str = "io42_2012") -> tuple[str, ...]:
    return tuple(s.code for s in sectors(list_id))


def sector(list_id: str, code: str) -> Sector:
    for s in sectors(list_id):
        if s.code == code:
            return s
    raise UnknownSector(
        f"unknown sector code {code!r} in list {list_id}",
        hint="use a two-digit code 01-42",
    )


def sector_list_for_year(year: int, *, new_list: bool = False) -> str:
    """The sector list CEADs uses for an MRIO year: 2012-style for 2012/2015/2017
    (unless the "2017 new" table is read, ``new_list=True``), 2017-style from 2018."""
    return "io42_2017" if (year >= 2018 or new_list) else "io42_2012"


def sector_correspondence(from_list: str, to_list: str) -> dict[str, tuple[str, ...]]:
    """Which sectors of ``to_list`` each sector of ``from_list`` corresponds to.

    Between the NBS 2012-style and 2017-style 42-sector lists (``data/
    sector_bridge_io42_2012_2017.csv``): codes 01-21 and 37-42 are the same; 22 "other
    manufacturing" and 23 "waste resources" (2012) merge into 22 (2017); 24-35 shift down
    by one; 36 "scientific research and technical services" (2012) splits into 35 R&D and
    36 technical services (2017). A merge maps several sources to one target, a split one
    source to several targets: values can be summed across a merge, never across a split.
    The same list maps every code to itself.
    """
    for lid in (from_list, to_list):
        if lid not in SECTOR_LISTS:
            raise UnknownCode(f"unknown sector list {lid!r}", hint="use io42_2012 or io42_2017")
    if from_list == to_list:
        return {c: (c,) for c in sector_codes(from_list)}
    pairs = [(r["io42_2012"], r["io42_2017"]) for r in _rows("sector_bridge_io42_2012_2017.csv")]
    if from_list == "io42_2017":
        pairs = [(b, a) for a, b in pairs]
    out: dict[str, list[str]] = {}
    for src, dst in pairs:
        out.setdefault(src, []).append(dst)
    return {k: tuple(v) for k, v in out.items()}


# --------------------------------------------------------------------------- final demand
@dataclass(frozen=True, slots=True)
class FdCategory:
    code: str
    name_en: str
    name_zh_hans: str

    def name(self, lang: str | None = None) -> str:
        return self.name_zh_hans if normalize_lang(lang) == "zh-Hans" else self.name_en


FD_CATEGORIES: Final[tuple[FdCategory, ...]] = (
    FdCategory("FU101", "Rural household consumption", "农村居民消费"),
    FdCategory("FU102", "Urban household consumption", "城镇居民消费"),
    FdCategory("FU103", "Government consumption", "政府消费"),
    FdCategory("FU201", "Gross fixed capital formation", "固定资本形成总额"),
    FdCategory("FU202", "Changes in inventories", "存货变动"),
    FdCategory("Other", "Other (statistical discrepancy, ERR)", "其他（统计误差）"),
)


def fd_category(code: str) -> FdCategory:
    for c in FD_CATEGORIES:
        if c.code == code:
            return c
    raise UnknownCode(
        f"unknown final-demand category {code!r}",
        hint="use one of: " + ", ".join(c.code for c in FD_CATEGORIES),
    )


# --------------------------------------------------------------------------- inventory
@dataclass(frozen=True, slots=True)
class InventorySector:
    """One of the 47 rows of a CEADs provincial inventory (46 Urban, 47 Rural are households)."""

    index: int
    name_en: str

    @property
    def key(self) -> str:
        return normalise_key(self.name_en)



@cache
def inventory_sectors() -> tuple[InventorySector, ...]:
    return tuple(InventorySector(int(r["index"]), r["name_en"]) for r in _rows("sectors_inv47.csv"))


@dataclass(frozen=True, slots=True)
class Fuel:
    """A column of the CEADs inventory grid (B-W): 17 fuels, Scope 2 / other, Process, Total."""

    column: str
    name_en: str
    kind: str  # fuel | scope2_or_other | process | total

    @property
    def key(self) -> str:
        return normalise_key(self.name_en)


@cache
def fuels() -> tuple[Fuel, ...]:
    return tuple(Fuel(r["column"], r["name_en"], r["kind"]) for r in _rows("fuels.csv"))


# --------------------------------------------------------------------------- concordance
@dataclass(frozen=True, slots=True)
class ConcordanceRow:
    """How one inventory row is mapped to IO sectors.

    ``targets`` are IO sector codes, or ``FD:<category>`` for household direct emissions.
    ``rule``: ``whole`` (one target gets all), ``by_output`` (split in proportion to the
    targets' gross output in the same province and year), ``equal`` (equal split),
    ``household`` (attached to household final demand, not to an industry).
    """

    inv_index: int
    inventory_sector: str
    targets: tuple[str, ...]
    rule: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.rule not in ALLOCATION_RULES:
            raise UnknownCode(
                f"unknown allocation rule {self.rule!r} for inventory row {self.inv_index}",
                hint="use one of: " + ", ".join(ALLOCATION_RULES),
            )
        if self.rule == "whole" and len(self.targets) != 1:
            raise UnknownCode(
                f"rule 'whole' needs exactly one target (inventory row {self.inv_index})"
            )
        if self.rule == "household" and not all(t.startswith("FD:") for t in self.targets):
            raise UnknownCode(
                f"rule 'household' needs FD:<category> targets (inventory row {self.inv_index})"
            )


@dataclass(frozen=True, slots=True)
class Concordance:
    """A versioned 47 → 42 concordance for one IO sector list.

    Immutable: :meth:`with_rule` returns a new object whose ``version`` records the change,
    so every result can say exactly which mapping produced it.
    """

    version: str
    list_id: str
    rows: tuple[ConcordanceRow, ...]
    changes: tuple[str, ...] = field(default=())

    def row(self, inv_index: int) -> ConcordanceRow:
        for r in self.rows:
            if r.inv_index == inv_index:
                return r
        raise UnknownCode(f"no concordance row for inventory sector {inv_index}", hint="use 1-47")

    def with_rule(
        self, inv_index: int, rule: str, *, targets: Sequence[str] | None = None
    ) -> Concordance:
        """A copy where inventory row ``inv_index`` uses ``rule`` (and ``targets``)."""
        old = self.row(inv_index)
        new_targets = tuple(targets) if targets is not None else old.targets
        valid = set(sector_codes(self.list_id))
        for target in new_targets:
            if not target.startswith("FD:") and target not in valid:
                raise UnknownSector(
                    f"unknown IO sector {target!r} as concordance target", hint=f"list {self.list_id}"
                )
        new = replace(old, rule=rule, targets=new_targets)
        change = f"{inv_index}:{rule}:{'+'.join(new_targets)}"
        return replace(
            self,
            rows=tuple(new if r.inv_index == inv_index else r for r in self.rows),
            changes=(*self.changes, change),
        )

    @property
    def label(self) -> str:
        return self.version + ("" if not self.changes else " + " + "; ".join(self.changes))

    def as_records(self) -> list[dict[str, object]]:
        return [
            {
                "inv_index": r.inv_index,
                "inventory_sector": r.inventory_sector,
                "targets": list(r.targets),
                "rule": r.rule,
                "note": r.note,
            }
            for r in self.rows
        ]


@cache
def concordance(list_id: str = "io42_2012", version: str = "v1") -> Concordance:
    """The packaged concordance (``v1``: the proposal of ``shared/reference``) for a list."""
    if version != "v1":
        raise UnknownCode(f"unknown concordance version {version!r}", hint="use v1")
    col = "io42_2012" if list_id == "io42_2012" else "io42_2017"
    if list_id not in SECTOR_LISTS:
        raise UnknownCode(f"unknown sector list {list_id!r}", hint="use io42_2012 or io42_2017")
    rows = []
    for r in _rows("concordance_inv47_io42_v1.csv"):
        rows.append(
            ConcordanceRow(
                inv_index=int(r["inv_index"]),
                inventory_sector=r["inventory_sector"],
                targets=tuple(t.strip() for t in r[col].split(";")),
                rule=r["allocation"],
                note=r["note"],
            )
        )
    return Concordance(version=f"inv47-{list_id}-v1", list_id=list_id, rows=tuple(rows))


# --------------------------------------------------------------------------- labels
def label(kind: str, code: str, lang: str | None = None, *, list_id: str = "io42_2012",
          short: bool = False) -> str:
    """Display label of a code: ``label("region", "GD", "zh")`` → ``"广东"``.

    ``kind`` is ``region``, ``sector``, ``fd`` or ``family``.
    """
    if kind == "region":
        return region(code).name(lang)
    if kind == "sector":
        return sector(list_id, code).name(lang, short=short)
    if kind == "fd":
        return fd_category(code).name(lang)
    if kind == "family":
        return t(f"common.family.{code}", lang)
    raise UnknownCode(f"unknown label kind {kind!r}", hint="region, sector, fd or family")

