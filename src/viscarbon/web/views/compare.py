"""The Compare tab: two province-years side by side with their differences (``/api/compare``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends, Query

from viscarbon.analysis.indicators import Indicator
from viscarbon.analysis.results import IndicatorValues
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes
from viscarbon.web.views.common import (
    JSON,
    honesty,
    indicator_specs,
    num,
    region_label,
    sector_labels,
    status_note,
)
from viscarbon.web.views.network import ProvinceYear, gather
from viscarbon.web.viewstate import ViewState, parse_side

__all__ = ["CompareQuery", "compare_payload", "router"]

router = APIRouter()


class CompareQuery:
    """The two sides of ``/api/compare``, each written ``dataset:year:region``."""

    def __init__(self, ctx: Ctx,
                 a: Annotated[str | None, Query(description="dataset:year:region, e.g. demo:2012:GD")] = None,
                 b: Annotated[str | None, Query(description="dataset:year:region, e.g. demo:2017:GD")] = None):
        self.a: ViewState = parse_side("a", a, ctx.choices, lang=ctx.lang)
        self.b: ViewState = parse_side("b", b, ctx.choices, lang=ctx.lang)


def _side(py: ProvinceYear, lang: str) -> JSON:
    return {"dataset": py.info.name, "year": py.year, "region": py.region,
            "label": f"{region_label(py.region, lang)} {py.year}", "status": py.status,
            "status_note": status_note(py.status, py.region, lang), "synthetic": py.info.synthetic}


def _total(iv: IndicatorValues, spec: Indicator) -> float | None:
    if not spec.additive:
        return None
    v = np.asarray(iv.value, dtype=np.float64)
    return None if not np.isfinite(v).all() else float(v.sum())


def compare_payload(a: ProvinceYear, b: ProvinceYear, specs: Sequence[Indicator], *, lang: str) -> JSON:
    """``/api/compare``: two province-years side by side: additive totals with
    ``diff = b − a`` and ``ratio = b / a``; per-sector values and differences when both
    sides use the same sector list; ``imports_mismatch`` and a localised ``imports_note``
    when one side is a competitive-imports table and the other is not (imports, final use
    and consumption-based CO2 are then defined differently)."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"compare/{a.info.name}:{a.year}:{a.region}/{b.info.name}:{b.year}:{b.region}",
                 "a": _side(a, lang), "b": _side(b, lang)}
    synthetic = a.info.synthetic or b.info.synthetic
    citation = a.info.citation if a.info.citation == b.info.citation else f"{a.info.citation} | {b.info.citation}"
    out.update(honesty(a.info, lang, units=[s.unit for s in specs]))
    out["dataset"] = a.info.name if a.info.name == b.info.name else f"{a.info.name} | {b.info.name}"
    out["synthetic"] = synthetic
    out["banner"] = t("common.synthetic_demo", lang) if synthetic else None
    out["citation"] = citation
    av, bv = a.nodes.values, b.nodes.values
    totals = []
    for s in specs:
        sa, sb = av.get(s.code), bv.get(s.code)
        if sa is None or sb is None or not s.additive:
            continue
        va, vb = _total(sa, s), _total(sb, s)
        totals.append({"indicator": s.code, "label": t(s.key, lang), "unit": s.unit, "a": va, "b": vb,
                       "diff": (vb - va) if (va is not None and vb is not None) else None,
                       "ratio": (vb / va) if (va and vb is not None) else None})
    out["totals"] = totals
    same = a.sector_list == b.sector_list and a.sectors == b.sectors
    out["sector_list_mismatch"] = not same
    out["mismatch_note"] = None if same else t("api.compare.mismatch", lang, a=a.sector_list, b=b.sector_list)
    mixed = (a.imports_treatment == "competitive") != (b.imports_treatment == "competitive")
    out["imports_treatment"] = {"a": a.imports_treatment, "b": b.imports_treatment}
    out["imports_mismatch"] = mixed
    out["imports_note"] = (t("api.compare.imports_mixed", lang,
                             competitive="A" if a.imports_treatment == "competitive" else "B",
                             noncompetitive="B" if a.imports_treatment == "competitive" else "A")
                           if mixed else None)
    rows = []
    if same:
        names = sector_labels(a.sector_list, a.sectors, lang)
        for i, code in enumerate(a.sectors):
            row: JSON = {"code": code, "label": names[code][0], "family": names[code][2]}
            for s in specs:
                sa, sb = av.get(s.code), bv.get(s.code)
                if sa is None or sb is None:
                    continue
                va, vb = num(sa.value[i]), num(sb.value[i])
                row[f"{s.code}_a"] = va
                row[f"{s.code}_b"] = vb
                row[f"{s.code}_diff"] = (vb - va) if (va is not None and vb is not None) else None
            rows.append(row)
    out["rows"] = rows
    return out


@router.get("/compare", response_class=JSONBytes)
def compare(ctx: Ctx, q: Annotated[CompareQuery, Depends()]) -> JSONBytes:
    """Two province-years side by side with their differences (b − a)."""
    sa, sb = q.a, q.b

    def make() -> JSON:
        ws, st = ctx.workspace, ctx.state
        pa = gather(ws.year(sa.dataset, sa.year, state=st), sa.region)
        pb = gather(ws.year(sb.dataset, sb.year, state=st), sb.region)
        return compare_payload(pa, pb, indicator_specs(), lang=ctx.lang)

    return ctx.respond("compare", make, sa.dataset, sa.year, sa.region, sb.dataset, sb.year, sb.region,
                       ctx.lang)
