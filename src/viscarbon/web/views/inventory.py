"""The Inventory tab: an inventory-only dataset (CEADs provincial inventories without an
IO table): CO2 of a region by inventory sector and by fuel over the years, and every
region's totals (``/api/inventory``)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from viscarbon.analysis.inventory import (
    ProvinceTotals,
    RegionInventory,
    province_totals,
    region_inventory,
)
from viscarbon.classification import region_codes, regions
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import has_key, normalize_lang, t
from viscarbon.web.deps import Context, Ctx, JSONBytes
from viscarbon.web.views.common import JSON, honesty, nums, region_label, rows_of
from viscarbon.web.viewstate import decode_inventory

__all__ = ["InventoryQuery", "inventory_meta", "inventory_payload", "router"]

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
            "citation": info.citation, "single_region": len(info.regions) == 1, "scope_note": None}


def inventory_payload(info: DatasetInfo, facts: RegionInventory, totals: ProvinceTotals, *, lang: str) -> JSON:
    """``/api/inventory``: CO2 of one region by inventory sector and by fuel column over
    the inventory years, its totals, households (rows 46 Urban, 47 Rural) and every
    region's totals per year (Mt CO2). ``values[y][s]``, ``fuel_mix[y][c]``,
    ``provinces.totals[y][r]``; ``null`` for a year without the region (never 0)."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"inventory/{info.name}/{facts.region}", "kind": info.kind, "inventory_only": True,
                 "region": facts.region, "region_label": region_label(facts.region, lang),
                 "unit": "mt", "years": list(facts.years)}
    out.update(honesty(info, lang, units=["mt"]))
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
    out["provinces"] = {
        "regions": [{"code": c, "label": region_label(c, lang)} for c in totals.regions],
        "totals": rows_of(totals.totals),
    }
    absent = [y for y, v in zip(facts.years, facts.totals.tolist(), strict=True) if not math.isfinite(v)]
    out["note"] = t("api.inventory.years_missing", lang, region=region_label(facts.region, lang),
                    years=", ".join(map(str, absent))) if absent else None
    out["missing_regions"] = [{"code": r.code, "label": r.name(lang)} for r in regions()
                              if r.code not in totals.regions]
    out["missing_note"] = (t("api.inventory.regions_absent", lang, regions=", ".join(
        x["label"] for x in out["missing_regions"])) if out["missing_regions"] else None)
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


def _facts(ctx: Context, q: InventoryQuery) -> JSON:
    tables = ctx.workspace.inventory_tables(q.dataset)
    return inventory_payload(ctx.state.info(q.dataset), region_inventory(tables, q.region),
                             province_totals(tables), lang=ctx.lang)


@router.get("/inventory", response_class=JSONBytes)
def inventory(ctx: Ctx, q: Annotated[InventoryQuery, Depends()]) -> JSONBytes:
    """An inventory-only dataset (CEADs provincial inventories): CO2 of a region by
    inventory sector and by fuel over the inventory years, totals, every region's totals."""
    return ctx.respond("inventory", lambda: _facts(ctx, q), q.dataset, q.region, ctx.lang)
