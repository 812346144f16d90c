"""The Provinces tab: every region's value of one indicator on a tile map, production- vs
consumption-based CO2 (``/api/provinces``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends
from numpy.typing import NDArray

from viscarbon.analysis import INDICATORS, RegionIndicators
from viscarbon.analysis.indicators import Indicator
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes, year_indicator_state
from viscarbon.web.views.common import JSON, TILES, honesty, num, region_label, status_note
from viscarbon.web.viewstate import ViewState

__all__ = ["descending_ranks", "provinces_payload", "router"]

router = APIRouter()


def descending_ranks(values: np.ndarray) -> list[int | None]:
    """1-based rank by descending value among known values (ties by position)."""
    v = np.asarray(values, dtype=np.float64)
    known = np.flatnonzero(np.isfinite(v))
    order = known[np.lexsort((known, -v[known]))]
    out: list[int | None] = [None] * v.size
    for r, i in enumerate(order.tolist(), start=1):
        out[i] = r
    return out


def provinces_payload(info: DatasetInfo, year: int, regions: RegionIndicators, spec: Indicator,
                      *, lang: str, households: Sequence[float] | NDArray[np.float64] | None = None) -> JSON:
    """``/api/provinces``: every region's value of one indicator, production- vs
    consumption-based CO2 (Mt), status and tile position; ``households`` (R,) households'
    direct CO2 (Mt, ``EmissionAccounts.arrays.households``): the part of the production-based
    total that is not the 42 sectors' (``production_mt = co2 + households_mt``)."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"provinces/{info.name}/{year}/{spec.code}", "year": year,
                 "indicator": spec.code, "indicator_label": t(spec.key, lang), "unit": spec.unit}
    out.update(honesty(info, lang, units=[spec.unit, "mt"]))
    values = np.asarray(regions.values[spec.code], dtype=np.float64)
    ranks = descending_ranks(values)
    rows = []
    for i, code in enumerate(regions.regions.codes):
        status = regions.region_status[i]
        rows.append({
            "code": code, "label": region_label(code, lang), "value": num(values[i]),
            "rank": ranks[i], "status": status, "status_note": status_note(status, code, lang),
            "production_mt": num(regions.production_based[i]),
            "consumption_mt": num(regions.consumption_based[i]),
            "households_mt": (None if households is None or status == "missing" else num(households[i])),
            "tile": list(TILES[code]) if code in TILES else None,
        })
    out["rows"] = rows
    return out


@router.get("/provinces", response_class=JSONBytes)
def provinces(ctx: Ctx, st: Annotated[ViewState, Depends(year_indicator_state)]) -> JSONBytes:
    """All regions for one indicator, production- vs consumption-based CO2."""
    def make() -> JSON:
        ya = ctx.workspace.year(st.dataset, st.year, state=ctx.state)
        return provinces_payload(ya.resolved.dataset, st.year, ya.region_indicators(), INDICATORS[st.indicator],
                                 lang=st.lang, households=ya.accounts().arrays.households)

    return ctx.respond("provinces", make, st.dataset, st.year, st.indicator, st.lang)
