"""The Trends tab: the top sectors of a region over the table years for one indicator
(``/api/trends``) and its CO2 over the inventory years (``/api/inventory-trend``)."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends

from viscarbon.analysis import INDICATORS, InventoryTrend, Trend
from viscarbon.analysis.indicators import Indicator
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import normalize_lang, t
from viscarbon.model import Axis
from viscarbon.web.deps import Ctx, JSONBytes, region_and_top, state_and_top
from viscarbon.web.views.common import JSON, honesty, nums, region_label, sector_labels
from viscarbon.web.views.inventory import apparent_of
from viscarbon.web.viewstate import ViewState

__all__ = ["inventory_trend_payload", "router", "trends_payload"]

router = APIRouter()


def _series(sectors: Axis, values: np.ndarray, list_id: str, lang: str, top: int) -> list[JSON]:
    """The sectors (rows of ``values``, years × sectors) largest in the last year first."""
    codes = tuple(sectors.codes)
    names = sector_labels(list_id, codes, lang)
    V = np.asarray(values, dtype=np.float64).T  # sectors × years
    last = V[:, -1] if V.size else np.zeros(len(codes))
    key = np.where(np.isfinite(last), last, -np.inf)
    order = np.lexsort((np.arange(len(codes)), -key))
    if top > 0:
        order = order[:top]
    return [{"code": codes[i], "label": names[codes[i]][0], "family": names[codes[i]][2], "values": nums(V[i])}
            for i in order.tolist()]


def trends_payload(info: DatasetInfo, region_code: str, spec: Indicator, trend: Trend, *,
                   top: int, lang: str) -> JSON:
    """``/api/trends``: the top N sectors (by their last-year value) over the MRIO years,
    with the trend's ``notes`` (e.g. a warning when the years mix competitive and
    non-competitive imports tables)."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"trends/{info.name}/{region_code}/{spec.code}", "region": region_code,
                 "indicator": spec.code, "indicator_label": t(spec.key, lang),
                 "unit": spec.unit, "years": list(trend.years), "top": top}
    out.update(honesty(info, lang, units=[spec.unit]))
    out["series"] = _series(trend.sectors, trend.values, trend.sectors.list_id or info.sector_list, lang, top)
    # the analysis' notes (sector lists bridged, competitive and non-competitive years mixed …)
    out["notes"] = trend.meta.note_texts(lang)
    return out


def inventory_trend_payload(info: DatasetInfo, region_code: str, trend: InventoryTrend, *, top: int,
                            lang: str, apparent: JSON | None = None) -> JSON:
    """``/api/inventory-trend``: CO2 by (mapped) sector over the inventory years, Mt;
    ``apparent``: the region's apparent emissions (raw coal, crude oil, natural gas, cement
    process and their total per year) from the store's first apparent-emissions dataset,
    to draw beside ``total`` (null without one)."""
    lang = normalize_lang(lang)
    note = None
    if not trend.available:
        note = (t("api.inventory.region_missing", lang, region=region_label(region_code, lang))
                if info.inventory_years else t("api.inventory.none", lang, dataset=info.name))
    out: JSON = {"key": f"inventory-trend/{info.name}/{region_code}", "region": region_code,
                 "unit": "mt", "available": trend.available,
                 "years": list(trend.years) if trend.available else [], "top": top, "note": note}
    out.update(honesty(info, lang, units=["mt"]))
    out["total"] = nums(trend.totals) if trend.available else []
    out["series"] = (_series(trend.sectors, trend.values, trend.sectors.list_id or info.sector_list, lang, top)
                     if trend.available else [])
    out["apparent"] = apparent
    return out


@router.get("/trends", response_class=JSONBytes)
def trends(ctx: Ctx, q: Annotated[tuple[ViewState, int], Depends(state_and_top)]) -> JSONBytes:
    """The top N sectors of a region over the dataset's MRIO years for one indicator."""
    st, n = q

    def make() -> JSON:
        tr = ctx.workspace.trends(st.dataset, st.region, st.indicator)
        return trends_payload(ctx.state.io_info(st.dataset), st.region, INDICATORS[st.indicator], tr,
                              top=n, lang=st.lang)

    return ctx.respond("trends", make, st.dataset, st.region, st.indicator, n, st.lang)


@router.get("/inventory-trend", response_class=JSONBytes)
def inventory_trend(ctx: Ctx, q: Annotated[tuple[ViewState, int], Depends(region_and_top)]) -> JSONBytes:
    """CO2 by sector of a region over the inventory years linked to the dataset."""
    st, n = q

    def make() -> JSON:
        it = ctx.workspace.inventory_trend(st.dataset, st.region)
        info = ctx.state.io_info(st.dataset)
        apparent = apparent_of(ctx, st.region) if info.regions != ("CN",) else None
        return inventory_trend_payload(info, st.region, it, top=n, lang=st.lang, apparent=apparent)

    return ctx.respond("inventory-trend", make, st.dataset, st.region, n, st.lang)


