"""The city pathway panel (mounted by the City tab in ``<section id="city-pathway">``):
one city's CO2 to 2060 under a scenario, reconciled to its province's roadmap
(``GET /api/city-pathway?dataset&city&scenario&province_dataset&lang``; method:
:mod:`viscarbon.roadmap.city`).

:func:`city_pathway_view` is pure: it shapes a :class:`~viscarbon.roadmap.city.CityRoadmap`
into JSON. Units: CO2 in Mt per year (``mt``). Identities the payload keeps (tested):
``scenario = sectors + households`` in every year; for a complete province the city's
``share`` is its pathway over the province's; ``history`` are inventory years before t0
(measured), everything from t0 on is the model.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query, Request

from viscarbon.classification import city as find_city
from viscarbon.classification import region
from viscarbon.datasets import DatasetInfo
from viscarbon.errors import UnknownCode
from viscarbon.i18n import normalize_lang, t
from viscarbon.roadmap.city import MILESTONES, CityRoadmap
from viscarbon.roadmap.city_iamc import city_region
from viscarbon.web.deps import Ctx, JSONBytes
from viscarbon.web.views.city import city_dataset
from viscarbon.web.views.common import JSON, fmt_mt, honesty, num, nums, region_label
from viscarbon.web.views.roadmap import _scenario, roadmapper_of
from viscarbon.web.viewstate import InvalidParameter

__all__ = ["MILESTONES", "city_pathway_view", "router"]

router = APIRouter()


def _city_name(cr: CityRoadmap, code: str, lang: str) -> str:
    c = cr.index(code)
    labels = cr.cities.labels_zh if lang == "zh-Hans" else cr.cities.labels_en
    return (labels[c] if labels else "") or code


def _missing_name(code: str, lang: str) -> str:
    try:
        return find_city(code).name(lang)
    except UnknownCode:
        return code


def _pct(x: float, lang: str, *, signed: bool = False) -> str:
    return t("city_pathway.pct", lang, value=f"{100.0 * x:+.1f}" if signed else f"{100.0 * x:.1f}")


def _mt(x: float | None, lang: str) -> str:
    """A figure in Mt CO2 for a sentence (two decimals, with the unit)."""
    return t("city_pathway.mt", lang, value=fmt_mt(x, lang))


def city_pathway_view(info: DatasetInfo, cr: CityRoadmap, city: str, *, lang: str) -> JSON:
    """The panel's payload for ``city`` (a code of the city table)."""
    lang = normalize_lang(lang)
    c = cr.index(city)
    s = cr.city(city)
    years = [int(y) for y in cr.years]
    prov = s.province
    sc = cr.scenario
    sectors = cr.co2["scenario"][:, c].sum(axis=1)
    out: JSON = {"key": f"city-pathway/{cr.city_dataset}/{city}/{sc.id}", "city": city,
                 "city_label": _city_name(cr, city, lang), "iamc_region": city_region(city),
                 "province": prov, "province_label": region_label(prov, lang) if prov else None,
                 "province_dataset": cr.province_dataset, "status": s.status, "t0": int(cr.t0), "years": years,
                 "unit": "mt"}
    out.update(honesty(info, lang, units=["mt"]))
    out["scenario"] = {"id": sc.id, "title": sc.title(lang)}
    out["history"] = {"years": list(cr.history_years),
                      "co2": nums(cr.history[:, c]) if len(cr.history_years) else []}
    out["pathways"] = {"baseline": nums(s.baseline), "scenario": nums(s.total), "sectors": nums(sectors),
                       "households": nums(cr.households["scenario"][:, c])}
    out["peak"] = {"year": s.peak_year, "value": num(s.peak)}
    out["milestones"] = {str(y): num(v) for y, v in s.at.items()}
    out["reduction"] = num(s.reduction)
    out["share"] = nums(s.share_of_province) if s.share_of_province is not None else None
    cov_json: JSON | None = None
    if prov is not None and s.status in ("complete", "partial"):
        cov = cr.coverage_of(prov)
        gap = cov.gap["scenario"]
        k60 = 2060 - cr.t0
        cov_json = {"k": cov.k, "n": cov.total, "missing": [{"code": m, "label": _missing_name(m, lang)}
                                                              for m in cov.missing],
                    "share_t0": num(cov.share_t0), "province_total": nums(cr.province_total(prov)),
                    "rest": nums(cr.rest(prov)) if cov.status == "partial" else None,
                    "gap": {"t0": num(gap[0]), "2060": num(gap[k60]),
                            "max_relative": num(float(np.nanmax(np.abs(cov.gap_relative["scenario"]))))}}
    out["coverage"] = cov_json
    out["note"] = _note(cr, s.status, prov, cov_json, lang)
    out["summary"] = t("city_pathway.summary", lang, city=out["city_label"], peak=s.peak_year,
                       value=_mt(s.peak, lang), end=_mt(s.at.get(2060), lang),
                       change=_pct(-s.reduction, lang, signed=True) if np.isfinite(s.reduction) else "—", t0=cr.t0)
    out["notes"] = [n for n in cr.notes if city in n or (prov is not None and n.startswith(prov + ":"))]
    return out


def _note(cr: CityRoadmap, status: str, prov: str | None, cov: JSON | None, lang: str) -> str:
    """The coverage note: what the pathway adds up to, or why it is not reconciled."""
    if status == "unknown_province" or prov is None:
        return t("city_pathway.status.unknown_province", lang)
    name = region(prov).name(lang)
    if status == "no_roadmap" or cov is None:
        return t("city_pathway.status.no_roadmap", lang, province=name, dataset=cr.province_dataset)
    sep = "" if lang == "zh-Hans" else " "
    gap = t("city_pathway.gap", lang, value=_mt(abs(cov["gap"]["2060"] or 0.0), lang),
            pct=_pct(cov["gap"]["max_relative"] or 0.0, lang))
    if status == "complete":
        return t("city_pathway.status.complete", lang, province=name, n=cov["n"]) + sep + gap
    missing = t("roadmap.list.sep", lang).join(m["label"] for m in cov["missing"])
    return t("city_pathway.status.partial", lang, province=name, k=cov["k"], n=cov["n"], missing=missing,
             t0=cr.t0) + sep + gap


Q_CITY = Query(description="City code of the city table (six-digit GB/T 2260 code, e.g. 440300).")
Q_CITY_DATASET = Query(description="A city MRIO dataset (regions are cities); default: the first one.")
Q_SCENARIO = Query(description="Shipped or saved scenario id (baseline, clean-power, …); default baseline.")
Q_PROVINCE_DATASET = Query(description="The provincial dataset to reconcile to; default: the one of the same "
                                       "last year (see docs/roadmap.md, City roadmaps).")


def _city_dataset(ctx: Ctx, dataset: str | None) -> DatasetInfo:
    """The City tab's choice (:func:`viscarbon.web.views.city.city_dataset`); a 400 when
    there is no city dataset at all."""
    info = city_dataset(ctx.state, dataset)
    if info is None:
        raise InvalidParameter("dataset", dataset, allowed=[])
    return info


@router.get("/city-pathway", response_class=JSONBytes)
def city_pathway_get(request: Request, ctx: Ctx, dataset: Annotated[str | None, Q_CITY_DATASET] = None,
                     city: Annotated[str | None, Q_CITY] = None,
                     scenario: Annotated[str | None, Q_SCENARIO] = None,
                     province_dataset: Annotated[str | None, Q_PROVINCE_DATASET] = None) -> JSONBytes:
    """One city's pathway to 2060, reconciled to its province's roadmap."""
    info = _city_dataset(ctx, dataset)
    if city is None or city not in info.regions:
        raise InvalidParameter("city", city, allowed=list(info.regions))
    rmr = roadmapper_of(request)
    sc = _scenario(rmr, scenario)
    if province_dataset in (None, ""):
        prov_ds = rmr.province_dataset_for(info.name)
    else:
        provs = [d.name for d in ctx.state.io]
        if province_dataset not in provs:
            raise InvalidParameter("province_dataset", province_dataset, allowed=provs)
        prov_ds = str(province_dataset)

    def make() -> Any:
        return city_pathway_view(info, rmr.city_run(info.name, prov_ds, sc), city, lang=ctx.lang)

    return ctx.respond("city-pathway", make, info.name, prov_ds, city, sc.id, ctx.lang)
