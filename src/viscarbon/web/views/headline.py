"""The headline strip above every province view: ``/api/headline`` and the ``headline``
block of ``/api/view`` (the page loads it with the province-year bundle: one request per
province-year).

:func:`headline_block` shapes :class:`~viscarbon.analysis.Headline` into JSON and does no
arithmetic: every figure is the analysis' (``Workspace.headline``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from viscarbon.analysis import Headline
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import normalize_lang
from viscarbon.web.deps import Ctx, JSONBytes, province_state
from viscarbon.web.views.common import JSON, honesty, num, region_label
from viscarbon.web.viewstate import ViewState

__all__ = ["headline_block", "headline_payload", "router"]

router = APIRouter()


def headline_block(h: Headline) -> JSON:
    """The figures of the headline strip (units in the key names: ``_mt`` Mt CO2,
    ``_10k_yuan`` 10,000 yuan at the table year's prices, ``_t_per_10k_yuan`` t CO2 per
    10,000 yuan of GDP; ``intensity_change`` and ``share_of_nation`` are fractions);
    ``None`` where unknown. Language-neutral."""
    return {
        "year": h.year, "region": h.region, "status": h.status,
        "production_mt": num(h.production_mt), "industry_mt": num(h.industry_mt),
        "households_mt": num(h.households_mt), "consumption_mt": num(h.consumption_mt),
        "gdp_10k_yuan": num(h.gdp_10k_yuan),
        "intensity_t_per_10k_yuan": num(h.intensity_t_per_10k_yuan),
        "previous_year": h.previous_year,
        "previous_intensity_t_per_10k_yuan": num(h.previous_intensity_t_per_10k_yuan),
        "intensity_change": num(h.intensity_change),
        "rank": h.rank, "ranked": h.ranked,
        "national_mt": num(h.national_mt), "share_of_nation": num(h.share_of_nation),
    }


def headline_payload(info: DatasetInfo, h: Headline, *, lang: str) -> JSON:
    """``/api/headline``: the honesty block, the province-year and :func:`headline_block`."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"headline/{info.name}/{h.year}/{h.region}", "year": h.year, "region": h.region,
                 "region_label": region_label(h.region, lang)}
    out.update(honesty(info, lang, units=["mt", "10k_yuan", "t_per_10k_yuan"]))
    out["headline"] = headline_block(h)
    return out


@router.get("/headline", response_class=JSONBytes)
def headline(ctx: Ctx, st: Annotated[ViewState, Depends(province_state)]) -> JSONBytes:
    """The headline figures of a province-year (also inside ``/api/view``)."""
    def make() -> JSON:
        info = ctx.state.io_info(st.dataset)
        return headline_payload(info, ctx.workspace.headline(st.dataset, st.year, st.region), lang=st.lang)

    return ctx.respond("headline", make, st.dataset, st.year, st.region, st.lang)
