"""The Flows tab: the province block's flows in one link mode, filtered (``/api/flows``)."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends, Query

from viscarbon.i18n import normalize_lang
from viscarbon.web.deps import Ctx, JSONBytes, province_state
from viscarbon.web.views.common import JSON, sector_labels, unit_labels
from viscarbon.web.views.network import ProvinceYear, gather, header
from viscarbon.web.viewstate import (
    INTRA,
    MODES,
    InvalidParameter,
    ViewState,
    parse_float,
    parse_int,
)

__all__ = ["FlowFilters", "flows_payload", "router"]

router = APIRouter()


class FlowFilters:
    """The decoded filters of ``/api/flows``: the link mode, supplying and using sector,
    intra-sector flows, a minimum value and the number of rows."""

    def __init__(self, ctx: Ctx, st: Annotated[ViewState, Depends(province_state)],
                 mode: Annotated[str | None, Query(description="money or carbon.")] = None,
                 from_: Annotated[str | None, Query(alias="from", description="Supplying sector code.")] = None,
                 to: Annotated[str | None, Query(description="Using sector code.")] = None,
                 intra: Annotated[str | None, Query(description="all, exclude or only (intra-sector flows).")] = None,
                 min: Annotated[str | None, Query(description="Minimum value in the mode's unit.")] = None,
                 limit: Annotated[str | None, Query(description="Maximum rows (default 2000).")] = None):
        sectors = ctx.choices.dataset(st.dataset).sectors
        self.state = st
        mode_c = (mode or "").strip() or "money"
        if mode_c not in MODES:
            raise InvalidParameter("mode", mode, allowed=MODES)
        self.mode = mode_c
        picked: dict[str, str | None] = {}
        for name, value in (("from", from_), ("to", to)):
            v = (value or "").strip() or None
            if v is not None and v not in sectors:
                raise InvalidParameter(name, v, allowed=sectors)
            picked[name] = v
        self.source, self.target = picked["from"], picked["to"]
        intra_c = (intra or "all").strip() or "all"
        if intra_c not in INTRA:
            raise InvalidParameter("intra", intra_c, allowed=INTRA)
        self.intra = intra_c
        self.minimum = parse_float("min", min or None, default=0.0, low=0.0, high=float("1e300"))
        self.limit = parse_int("limit", limit or None, default=2000, low=1, high=max(1, len(sectors) ** 2))

    def key(self) -> tuple[object, ...]:
        return (self.mode, self.source, self.target, self.intra, self.minimum, self.limit)


def flows_payload(py: ProvinceYear, *, mode: str, lang: str, source: str | None = None,
                  target: str | None = None, intra: str = "all", minimum: float = 0.0,
                  limit: int = 2000) -> JSON:
    """``/api/flows``: the province block's non-zero flows in ``mode``, largest first
    (the analysis' rank order), filtered by supplying sector, using sector, intra-sector
    flag and a minimum value. Each row's ``rank`` is 1-based (1 = the block's largest
    cell), like the node ranks and the edges of ``/api/network``."""
    lang = normalize_lang(lang)
    out = header(py, lang, f"flows/{py.info.name}/{py.year}/{py.region}/{mode}")
    net = py.network(mode)
    unit = net.unit if net is not None else ("mt" if mode == "carbon" else "10k_yuan")
    out.update({"mode": mode, "unit": unit, "units": unit_labels([unit], lang),
                "filters": {"from": source, "to": target, "intra": intra, "min": minimum}})
    if net is None:
        out.update({"edge_count": 0, "returned": 0, "rows": []})
        return out
    S = len(py.sectors)
    flat = np.asarray(net.block, dtype=np.float64).ravel()
    total = float(np.nansum(flat))
    rank = np.asarray(net.rank).ravel()
    names = sector_labels(py.sector_list, py.sectors, lang)
    mask = np.isfinite(flat) & (flat != 0) & (flat >= minimum)
    rows_idx, cols_idx = np.divmod(np.arange(S * S), S)
    if source is not None:
        mask &= rows_idx == py.sectors.index(source)
    if target is not None:
        mask &= cols_idx == py.sectors.index(target)
    if intra == "exclude":
        mask &= rows_idx != cols_idx
    elif intra == "only":
        mask &= rows_idx == cols_idx
    cells = np.flatnonzero(mask)
    cells = cells[np.argsort(rank[cells], kind="stable")]
    rows = []
    for c in cells[:limit].tolist():
        i, j = divmod(c, S)
        v = float(flat[c])
        rows.append({"source": py.sectors[i], "source_label": names[py.sectors[i]][0],
                     "target": py.sectors[j], "target_label": names[py.sectors[j]][0],
                     "value": v, "share": v / total if total else None, "rank": int(rank[c]) + 1,
                     "intra": i == j})
    out.update({"edge_count": int(cells.size), "returned": len(rows), "rows": rows})
    return out


@router.get("/flows", response_class=JSONBytes)
def flows(ctx: Ctx, f: Annotated[FlowFilters, Depends()]) -> JSONBytes:
    """Inter-sector flows of the province's block, filtered; the edge count."""
    st = f.state

    def make() -> JSON:
        py = gather(ctx.workspace.year(st.dataset, st.year, state=ctx.state), st.region)
        return flows_payload(py, mode=f.mode, lang=st.lang, source=f.source, target=f.target,
                             intra=f.intra, minimum=f.minimum, limit=f.limit)

    return ctx.respond("flows", make, st.dataset, st.year, st.region, st.lang, *f.key())
