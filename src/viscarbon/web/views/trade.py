"""The Trade tab: CO2 embodied in inter-provincial trade and the electricity-adjusted
accounts (``/api/trade``)."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends, Query

from viscarbon.analysis import ElectricityAccounts, TradeMatrix
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes, province_state
from viscarbon.web.views.common import JSON, fmt_mt, honesty, num, nums, region_label
from viscarbon.web.viewstate import ViewState

__all__ = ["router", "trade_payload"]

router = APIRouter()


def trade_payload(info: DatasetInfo, year: int, trade: TradeMatrix, electricity: ElectricityAccounts, *,
                  region_code: str | None, lang: str, n_partners: int = 10) -> JSON:
    """``/api/trade``: the R × R matrix of CO2 emitted in r for final demand in s, each
    region's net transfer (Σ_s M[s, r] − Σ_s M[r, s], off-diagonal), the selected region's
    top partners and the electricity-adjusted accounts (Mt)."""
    lang = normalize_lang(lang)
    key = f"trade/{info.name}/{year}" + (f"/{region_code}" if region_code else "")
    out: JSON = {"key": key, "year": year, "region": region_code, "unit": "mt"}
    out.update(honesty(info, lang, units=["mt"]))
    M = np.asarray(trade.matrix, dtype=np.float64)
    codes = trade.regions.codes
    status = tuple(trade.region_status)
    off = M.copy()
    np.fill_diagonal(off, 0.0)
    inflow = np.nansum(off, axis=0)  # emitted elsewhere for r's final demand
    outflow = np.nansum(off, axis=1)  # emitted in r for others
    out["regions"] = list(codes)
    out["labels"] = [region_label(c, lang) for c in codes]
    out["status"] = list(status)
    out["matrix"] = [nums(row) for row in M]
    out["net_transfer"] = [{"code": c, "value": num(inflow[i] - outflow[i]),
                            "inflow": num(inflow[i]), "outflow": num(outflow[i])}
                           for i, c in enumerate(codes)]
    partners = None
    if region_code is not None:
        r = codes.index(region_code)

        def top(vec: np.ndarray) -> list[JSON]:
            idx = [i for i in range(len(codes)) if i != r and np.isfinite(vec[i])]
            idx.sort(key=lambda i: (-vec[i], i))
            return [{"code": codes[i], "label": region_label(codes[i], lang), "value": float(vec[i])}
                    for i in idx[:n_partners]]

        partners = {"region": region_code, "emitted_for_others": top(M[r, :]),
                    "others_emit_for": top(M[:, r])}
    out["partners"] = partners
    exports = np.asarray(trade.for_exports, dtype=np.float64)
    out["for_exports"] = [{"code": c, "value": num(exports[i])} for i, c in enumerate(codes)]
    out["note"] = (t("api.single_region.trade", lang, region=region_label(codes[0], lang),
                     exports=fmt_mt(num(exports[0]), lang)) if len(codes) == 1 else None)
    prod = np.array([np.nan if s == "missing" else v
                     for v, s in zip(electricity.production_based, status, strict=True)], dtype=np.float64)
    adjusted = np.asarray(electricity.adjusted, dtype=np.float64)
    out["electricity"] = [
        {"code": c, "production_mt": num(prod[i]), "adjusted_mt": num(adjusted[i]),
         "difference_mt": num(adjusted[i] - prod[i])}
        for i, c in enumerate(codes)
    ]
    return out


@router.get("/trade", response_class=JSONBytes)
def trade(ctx: Ctx, st: Annotated[ViewState, Depends(province_state)],
          region: Annotated[str | None, Query(description="Region whose top partners to list.")] = None,
          ) -> JSONBytes:
    """CO2 embodied in inter-provincial trade; electricity-adjusted accounts."""
    region_code = st.region if (region or "").strip() else None

    def make() -> JSON:
        ya = ctx.workspace.year(st.dataset, st.year, state=ctx.state)
        return trade_payload(ya.resolved.dataset, st.year, ya.trade(), ya.electricity_adjusted(),
                             region_code=region_code, lang=st.lang)

    return ctx.respond("trade", make, st.dataset, st.year, region_code, st.lang)
