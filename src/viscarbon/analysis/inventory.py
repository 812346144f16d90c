"""Inventory-only datasets: CEADs provincial CO2 inventories over their years, without an
IO table (an ``import ceads-inventory`` on its own).

Pure aggregation of :class:`~viscarbon.model.InventoryTable` objects (one per year; the
:class:`~viscarbon.analysis.Workspace` loads them once per store generation).

For one region r and year y of an inventory ``E[r, s, c]`` (Mt CO2; s the 47 inventory
sectors, 46 Urban and 47 Rural households; c the 17 fuels, Scope 2 / other-energy
columns and Process):

* CO2 by sector: ``e_s = Σ_c E[r, s, c]``  (47,)
* CO2 by fuel column: ``e_c = Σ_s E[r, s, c]``  (C,)
* total: ``e = Σ_s e_s = Σ_c e_c`` = the Scope 1 total of the workbook's total row
  (``InventoryTable.totals[r]``, identity checked at construction of the table)

and per year the totals of every region (a ranking of the provinces). These are direct
(production-based, territorial, Scope 1) emissions, the satellite rows F and household
F_Y of an EEIO model (Miller & Blair 2009, ch. 10.2); no IO algebra is involved here.
Regions absent from a year's file (Tibet, XZ, has no CEADs inventory) are NaN, never 0.

Apparent emissions (:class:`~viscarbon.model.ApparentEmissions`, kind ``ceads-apparent``):
``A[r, c]`` for the categories c = raw coal, crude oil, natural gas, cement process (Mt);
per region over the years the categories and the workbook's total ``a = Σ_c A[r, c]``
(:func:`region_apparent`), and every region's total per year
(:func:`apparent_province_totals`). They count the primary fuels where they are consumed
(apparent consumption) and so differ from the sectoral Scope 1 totals (final
consumption by sector): shown beside them, never summed with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.classification import fuels
from viscarbon.errors import NotFound, UnknownCode
from viscarbon.model import ApparentEmissions, Axis, InventoryTable

__all__ = [
    "ApparentRegion",
    "ProvinceTotals",
    "RegionInventory",
    "apparent_province_totals",
    "province_totals",
    "region_apparent",
    "region_inventory",
    "regions_present",
]

Arr = NDArray[np.float64]

#: Columns always shown in the fuel mix: the 17 fuels and Process (the Scope 2 and
#: other-energy columns are shown only where they hold a non-zero value).
_ALWAYS: Final = ("fuel", "process")


def _ro(a: Arr) -> Arr:
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class RegionInventory:
    """CO2 of one region over the inventory years (Mt).

    ``by_sector`` (Y × 47): ``Σ_c E[r, s, c]`` per year; ``by_column`` (Y × C):
    ``Σ_s E[r, s, c]`` for the ``columns`` shown; ``totals`` (Y,): the workbook's Scope 1
    total (``InventoryTable.totals[r]``); ``households`` (Y × 2): rows 46 Urban, 47 Rural.
    """

    region: str
    years: tuple[int, ...]
    sectors: Axis
    columns: Axis
    by_sector: Arr
    by_column: Arr
    totals: Arr
    households: Arr
    unit: str = "Mt"


@dataclass(frozen=True)
class ProvinceTotals:
    """``totals[y, r]``: Scope 1 total of region r in year y (Mt); NaN where the year's
    file has no sheet for the region (never 0)."""

    years: tuple[int, ...]
    regions: tuple[str, ...]
    totals: Arr
    unit: str = "Mt"


def _sorted(inventories: Sequence[InventoryTable]) -> list[InventoryTable]:
    if not inventories:
        raise NotFound("no inventory years given", hint="import a CEADs inventory workbook first")
    out = sorted(inventories, key=lambda inv: inv.year)
    first = out[0]
    for inv in out[1:]:
        if inv.sectors.codes != first.sectors.codes or inv.columns.codes != first.columns.codes:
            raise UnknownCode(f"inventory {inv.year} has other sectors or columns than {first.year}",
                              hint="inventories of one dataset must share the CEADs 47-sector grid")
    return out


def regions_present(inventories: Sequence[InventoryTable]) -> tuple[str, ...]:
    """Region codes with a sheet in at least one year, in the order of first appearance."""
    seen: dict[str, None] = {}
    for inv in _sorted(inventories):
        for code in inv.regions.codes:
            seen.setdefault(code, None)
    return tuple(seen)


def region_inventory(inventories: Sequence[InventoryTable], region: str) -> RegionInventory:
    """CO2 of ``region`` by inventory sector, by fuel column and in total over the years
    (see the module docstring for the equations). Raises :class:`NotFound` when no year
    has the region (e.g. Tibet); years without it are NaN."""
    invs = _sorted(inventories)
    if region not in regions_present(invs):
        raise NotFound(f"no inventory for region {region!r}",
                       hint="regions with an inventory: " + ", ".join(regions_present(invs)))
    first = invs[0]
    S, C, Y = len(first.sectors), len(first.columns), len(invs)
    by_sector = np.full((Y, S), np.nan)
    by_column_all = np.full((Y, C), np.nan)
    totals = np.full(Y, np.nan)
    for i, inv in enumerate(invs):
        if region not in inv.regions.codes:
            continue
        grid = inv.values[inv.regions.index(region)]  # (S, C)
        by_sector[i] = grid.sum(axis=1)
        by_column_all[i] = grid.sum(axis=0)
        totals[i] = inv.totals[inv.regions.index(region)]
    kinds = {f.key: f.kind for f in fuels()}
    keep = [k for k, code in enumerate(first.columns.codes)
            if kinds.get(code.replace("_", ""), "fuel") in _ALWAYS or np.nansum(np.abs(by_column_all[:, k])) > 0]
    columns = Axis(first.columns.dimension, tuple(first.columns.codes[k] for k in keep))
    hh_rows = [first.sectors.index(code) for code in ("46", "47")]
    return RegionInventory(
        region=region, years=tuple(inv.year for inv in invs), sectors=first.sectors, columns=columns,
        by_sector=_ro(by_sector), by_column=_ro(np.ascontiguousarray(by_column_all[:, keep])),
        totals=_ro(totals), households=_ro(np.ascontiguousarray(by_sector[:, hh_rows])), unit=first.unit,
    )


def province_totals(inventories: Sequence[InventoryTable]) -> ProvinceTotals:
    """Every region's Scope 1 total per year (Y × R, Mt; NaN where a year lacks the region)."""
    invs = _sorted(inventories)
    regions = regions_present(invs)
    out = np.full((len(invs), len(regions)), np.nan)
    col = {c: k for k, c in enumerate(regions)}
    for i, inv in enumerate(invs):
        for r, code in enumerate(inv.regions.codes):
            out[i, col[code]] = inv.totals[r]
    return ProvinceTotals(years=tuple(inv.year for inv in invs), regions=regions, totals=_ro(out),
                          unit=invs[0].unit)


@dataclass(frozen=True)
class ApparentRegion:
    """Apparent CO2 of one region over the years (Mt): ``by_category`` (Y × C) for the
    ``categories``, ``totals`` (Y,) the workbook's own total; NaN for a year without it."""

    region: str
    years: tuple[int, ...]
    categories: Axis
    by_category: Arr
    totals: Arr
    unit: str = "Mt"


def _sorted_apparent(tables: Sequence[ApparentEmissions]) -> list[ApparentEmissions]:
    if not tables:
        raise NotFound("no apparent-emission years given", hint="import a CEADs apparent-emissions workbook first")
    out = sorted(tables, key=lambda a: a.year)
    for a in out[1:]:
        if a.categories.codes != out[0].categories.codes:
            raise UnknownCode(f"apparent emissions {a.year} have other categories than {out[0].year}")
    return out


def region_apparent(tables: Sequence[ApparentEmissions], region: str) -> ApparentRegion:
    """Apparent CO2 of ``region`` by category and in total over the years; :class:`NotFound`
    when no year has the region."""
    apps = _sorted_apparent(tables)
    present = {c for a in apps for c in a.regions.codes}
    if region not in present:
        raise NotFound(f"no apparent emissions for region {region!r}",
                       hint="regions: " + ", ".join(c for c in dict.fromkeys(c for a in apps for c in a.regions.codes)))
    C = len(apps[0].categories)
    by_cat = np.full((len(apps), C), np.nan)
    totals = np.full(len(apps), np.nan)
    for i, a in enumerate(apps):
        if region in a.regions.codes:
            r = a.regions.index(region)
            by_cat[i] = a.values[r]
            totals[i] = a.totals[r]
    return ApparentRegion(region=region, years=tuple(a.year for a in apps), categories=apps[0].categories,
                          by_category=_ro(by_cat), totals=_ro(totals), unit=apps[0].unit)


def apparent_province_totals(tables: Sequence[ApparentEmissions]) -> ProvinceTotals:
    """Every region's apparent total per year (Y × R, Mt; NaN where a year lacks it)."""
    apps = _sorted_apparent(tables)
    regions = tuple(dict.fromkeys(c for a in apps for c in a.regions.codes))
    out = np.full((len(apps), len(regions)), np.nan)
    col = {c: k for k, c in enumerate(regions)}
    for i, a in enumerate(apps):
        for r, code in enumerate(a.regions.codes):
            out[i, col[code]] = a.totals[r]
    return ProvinceTotals(years=tuple(a.year for a in apps), regions=regions, totals=_ro(out), unit=apps[0].unit)
