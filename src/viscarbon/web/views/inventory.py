"""The Inventory tab: an inventory-only dataset (CEADs provincial inventories without an
IO table, or the apparent emissions): CO2 of a region by inventory sector and by fuel
(or by apparent category) over the years, and every region's totals; beside them the
other kind (the apparent emissions of the region beside a sectoral inventory, the
sectoral Scope 1 totals beside the apparent emissions) when the store holds it
(``/api/inventory``)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from viscarbon.analysis.inventory import (
    ApparentRegion,
    ProvinceTotals,
    RegionInventory,
    apparent_province_totals,
    province_totals,
    region_apparent,
    region_inventory,
)
from viscarbon.classification import region_codes, regions
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import has_key, normalize_lang, t
from viscarbon.web.deps import Context, Ctx, JSONBytes
from viscarbon.web.views.common import JSON, honesty, nums, region_label, rows_of
from viscarbon.web.viewstate import decode_inventory

__all__ = [
    "InventoryQuery",
    "apparent_block",
    "apparent_of",
    "apparent_payload",
    "inventory_meta",
    "inventory_payload",
    "router",
    "sectoral_block",
]

router = APIRouter()


def _text(key: str, fallback: str, lang: str) -> str:
    """The catalog text of ``key``, or ``fallback`` (the code) for a code without one."""
    return t(key, lang) if has_key(key) else fallback


def inventory_meta(info: DatasetInfo, lang: str) -> JSON:
    """An inventory-only dataset as ``/api/meta`` lists it under ``inventories``."""
    lang = normalize_lang(lang)
    return {"name": info.name, "kind": info.kind, "years": list(info.years), "regions": list(info.regions),
            "inventory_only": True, "sector_list": info.sector_list, "synthetic": info.synthetic,
            "banner": t("common.synthetic_demo", lang) if info.synthetic else None,
            "citation": info.citation, "single_region": len(info.regions) == 1, "scope_note": None,
            "apparent": info.is_apparent}


def apparent_block(info: DatasetInfo, facts: ApparentRegion, lang: str) -> JSON:
    """The apparent emissions of one region over the years, as carried by ``/api/inventory``
    and ``/api/inventory-trend`` (``apparent``): ``values[y][c]`` by category (raw coal,
    crude oil, natural gas, cement process), ``totals[y]`` the workbook's own total, Mt CO2;
    ``null`` for a year without the region."""
    lang = normalize_lang(lang)
    return {"dataset": info.name, "kind": info.kind, "citation": info.citation, "unit": "mt",
            "region": facts.region, "years": list(facts.years),
            "categories": [{"code": c, "label": _text(f"inventory.apparent.{c}", c, lang)}
                           for c in facts.categories.codes],
            "values": rows_of(facts.by_category), "totals": nums(facts.totals),
            "note": t("api.inventory.apparent_note", lang)}


def sectoral_block(info: DatasetInfo, facts: RegionInventory) -> JSON:
    """The sectoral inventory's Scope 1 totals of one region over its years (``sectoral``
    of an apparent-emissions ``/api/inventory`` payload), Mt CO2."""
    return {"dataset": info.name, "kind": info.kind, "citation": info.citation, "unit": "mt",
            "region": facts.region, "years": list(facts.years), "totals": nums(facts.totals)}


def _common(info: DatasetInfo, region: str, years: tuple[int, ...], lang: str) -> JSON:
    out: JSON = {"key": f"inventory/{info.name}/{region}", "kind": info.kind, "inventory_only": True,
                 "region": region, "region_label": region_label(region, lang),
                 "unit": "mt", "years": list(years)}
    out.update(honesty(info, lang, units=["mt"]))
    return out


def _regions_part(out: JSON, region: str, years: tuple[int, ...], region_totals: list[float],
                  totals: ProvinceTotals, lang: str) -> None:
    out["provinces"] = {
        "regions": [{"code": c, "label": region_label(c, lang)} for c in totals.regions],
        "totals": rows_of(totals.totals),
    }
    absent = [y for y, v in zip(years, region_totals, strict=True) if not math.isfinite(v)]
    out["note"] = t("api.inventory.years_missing", lang, region=region_label(region, lang),
                    years=", ".join(map(str, absent))) if absent else None
    out["missing_regions"] = [{"code": r.code, "label": r.name(lang)} for r in regions()
                              if r.code not in totals.regions]
    out["missing_note"] = (t("api.inventory.regions_absent", lang, regions=", ".join(
        x["label"] for x in out["missing_regions"])) if out["missing_regions"] else None)


def apparent_payload(info: DatasetInfo, facts: ApparentRegion, totals: ProvinceTotals, *, lang: str,
                     sectoral: JSON | None = None) -> JSON:
    """``/api/inventory`` for an apparent-emissions dataset (kind ``ceads-apparent``): the
    fields of :func:`inventory_payload` (``sectors`` empty, ``values[y]`` empty rows,
    ``fuels`` the four categories, ``fuel_mix[y][c]`` their CO2, ``totals`` the workbook's
    totals, ``households`` empty lists, ``provinces``), plus ``apparent`` (the same
    figures, :func:`apparent_block`) and ``sectoral`` (the region's Scope 1 totals from
    the store's first sectoral inventory covering it, :func:`sectoral_block`, or null)."""
    lang = normalize_lang(lang)
    out = _common(info, facts.region, facts.years, lang)
    out["sectors"] = []
    block = apparent_block(info, facts, lang)
    out["fuels"] = block["categories"]
    out["values"] = [[] for _ in facts.years]
    out["fuel_mix"] = block["values"]
    out["totals"] = block["totals"]
    out["households"] = {"urban": [], "rural": []}
    _regions_part(out, facts.region, facts.years, facts.totals.tolist(), totals, lang)
    out["apparent"] = block
    out["sectoral"] = sectoral
    return out


def inventory_payload(info: DatasetInfo, facts: RegionInventory, totals: ProvinceTotals, *, lang: str,
                      apparent: JSON | None = None) -> JSON:
    """``/api/inventory``: CO2 of one region by inventory sector and by fuel column over
    the inventory years, its totals, households (rows 46 Urban, 47 Rural) and every
    region's totals per year (Mt CO2). ``values[y][s]``, ``fuel_mix[y][c]``,
    ``provinces.totals[y][r]``; ``null`` for a year without the region (never 0).
    ``apparent``: the region's apparent emissions from the store's first apparent dataset
    (:func:`apparent_block`), null without one; ``sectoral`` is null (the payload is it)."""
    lang = normalize_lang(lang)
    out = _common(info, facts.region, facts.years, lang)
    codes = tuple(facts.sectors.codes)
    out["sectors"] = [{"code": c, "label": _text(f"inventory.sector.{c}", c, lang),
                       "short": _text(f"inventory.sector_short.{c}", c, lang), "household": c in ("46", "47")}
                      for c in codes]
    out["fuels"] = [{"code": c, "label": _text(f"inventory.fuel.{c}", c, lang)} for c in facts.columns.codes]
    out["values"] = rows_of(facts.by_sector)
    out["fuel_mix"] = rows_of(facts.by_column)
    out["totals"] = nums(facts.totals)
    idx = {c: k for k, c in enumerate(codes)}
    out["households"] = {"urban": nums(facts.by_sector[:, idx["46"]]) if "46" in idx else [],
                         "rural": nums(facts.by_sector[:, idx["47"]]) if "47" in idx else []}
    _regions_part(out, facts.region, facts.years, facts.totals.tolist(), totals, lang)
    out["apparent"] = apparent
    out["sectoral"] = None
    return out


class InventoryQuery:
    """``(dataset, region)`` of ``/api/inventory``: an inventory dataset (default: the first)
    and a region it covers (Tibet has no CEADs inventory: a 400 that says so)."""

    def __init__(self, ctx: Ctx,
                 dataset: Annotated[str | None, Query(description="Inventory dataset (see /api/meta, "
                                                                   "inventories); default: the first.")] = None,
                 region: Annotated[str | None, Query(description="Region code with an inventory (no XZ); "
                                                                  "default GD.")] = None):
        listed = [(d.name, d.regions) for d in ctx.state.inventories]
        params = {k: v for k, v in (("dataset", dataset), ("region", region)) if v is not None}
        self.dataset, self.region = decode_inventory(params, listed, known_regions=region_codes())


def apparent_of(ctx: Context, region: str, *, exclude: str | None = None) -> JSON | None:
    """The apparent-emissions block of ``region`` from the store's first apparent dataset
    covering it (None without one)."""
    name = ctx.workspace.apparent_for(region, exclude=exclude)
    if name is None:
        return None
    return apparent_block(ctx.state.info(name), region_apparent(ctx.workspace.apparent_tables(name), region),
                          ctx.lang)


def _facts(ctx: Context, q: InventoryQuery) -> JSON:
    info = ctx.state.info(q.dataset)
    if info.is_apparent:
        apps = ctx.workspace.apparent_tables(q.dataset)
        sect = ctx.workspace.sectoral_for(q.region)
        sectoral = None
        if sect is not None:
            sectoral = sectoral_block(ctx.state.info(sect),
                                      region_inventory(ctx.workspace.inventory_tables(sect), q.region))
        return apparent_payload(info, region_apparent(apps, q.region), apparent_province_totals(apps),
                                lang=ctx.lang, sectoral=sectoral)
    tables = ctx.workspace.inventory_tables(q.dataset)
    return inventory_payload(info, region_inventory(tables, q.region), province_totals(tables), lang=ctx.lang,
                             apparent=apparent_of(ctx, q.region) if info.regions != ("CN",) else None)


@router.get("/inventory", response_class=JSONBytes)
def inventory(ctx: Ctx, q: Annotated[InventoryQuery, Depends()]) -> JSONBytes:
    """An inventory-only dataset (CEADs provincial inventories): CO2 of a region by
    inventory sector and by fuel over the inventory years, totals, every region's totals."""
    return ctx.respond("inventory", lambda: _facts(ctx, q), q.dataset, q.region, ctx.lang)
