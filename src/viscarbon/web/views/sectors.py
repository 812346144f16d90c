"""The Sectors tab: every indicator of a province's sectors (``/api/sectors``; the page
draws the table from the province-year bundle, :mod:`viscarbon.web.views.network`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends

from viscarbon.analysis.indicators import Indicator
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes, province_state
from viscarbon.web.views.common import JSON, indicator_specs, num, sector_labels, unit_labels
from viscarbon.web.views.network import ProvinceYear, gather, header
from viscarbon.web.viewstate import ViewState

__all__ = ["router", "sectors_payload"]

router = APIRouter()


def sectors_payload(py: ProvinceYear, specs: Sequence[Indicator], *, lang: str) -> JSON:
    """``/api/sectors``: one row per sector; columns ``<code>``, ``<code>_share``,
    ``<code>_rank``, ``<code>_percentile`` for every indicator."""
    lang = normalize_lang(lang)
    out = header(py, lang, f"sectors/{py.info.name}/{py.year}/{py.region}")
    names = sector_labels(py.sector_list, py.sectors, lang)
    used = [s for s in specs if s.code in py.nodes.values]
    out["columns"] = [{"key": s.code, "label": t(s.key, lang), "unit": s.unit,
                       "unit_label": unit_labels([s.unit], lang)[s.unit]} for s in used]
    rows = []
    for i, code in enumerate(py.sectors):
        name, _short, fam = names[code]
        row: JSON = {"code": code, "label": name, "family": fam}
        for s in used:
            iv = py.nodes.values[s.code]
            v = num(iv.value[i])
            row[s.code] = v
            row[f"{s.code}_share"] = num(iv.share[i]) if (s.additive and v is not None) else None
            row[f"{s.code}_rank"] = int(iv.rank[i]) if v is not None else None
            row[f"{s.code}_percentile"] = num(iv.percentile[i]) if v is not None else None
        rows.append(row)
    out["rows"] = rows
    out["units"] = unit_labels([s.unit for s in used], lang)
    return out


@router.get("/sectors", response_class=JSONBytes)
def sectors(ctx: Ctx, st: Annotated[ViewState, Depends(province_state)]) -> JSONBytes:
    """The sector table: every indicator with value, share, rank and percentile."""
    def make() -> JSON:
        py = gather(ctx.workspace.year(st.dataset, st.year, state=ctx.state), st.region)
        return sectors_payload(py, indicator_specs(), lang=st.lang)

    return ctx.respond("sectors", make, st.dataset, st.year, st.region, st.lang)
