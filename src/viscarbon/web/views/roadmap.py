"""The Roadmap tab: a province's (or the nation's) pathways to 2060 under a scenario, the
targets they meet or miss, the sectoral decarbonization ("secda") targets of its sectors,
and, as "insights", the wedges of the levers, the lever ranking, the partners of the key
emitters, the joint chains with its largest partner and the assistant's answers
(``GET /api/roadmap`` and ``POST /api/roadmap`` with lever overrides, the sliders).

The view functions are pure: they shape a :class:`~viscarbon.roadmap.Roadmap` into JSON.
Units: CO2 in Mt (``mt``), intensities in t CO2 per 10,000 yuan at t0 prices
(``t_per_10k_yuan``), GDP in 10,000 yuan at t0 prices. Every block names the assumptions
it rests on (``assumptions``: keys of the top-level ``assumptions`` table, which gives
each one's label and source), so the page can say which inputs are assumed, not measured.

Identities the payload keeps (tested): for every year, a pathway's production-based CO2
``pba = Σ sectors + households``; ``net = pba − removal``; a scenario without levers has
the baseline's pathway exactly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final

import numpy as np
from fastapi import APIRouter, Body, Query, Request

from viscarbon.classification import label
from viscarbon.datasets import DatasetInfo
from viscarbon.errors import ScenarioError
from viscarbon.i18n import normalize_lang, t
from viscarbon.roadmap import NATION, Lever, Roadmap, Roadmapper, Scenario, parse_levers
from viscarbon.roadmap.assistant import default_partner, questions
from viscarbon.roadmap.checks import TargetCheck
from viscarbon.roadmap.engine import T_PER_MT
from viscarbon.roadmap.montecarlo import MonteCarloResult, run_montecarlo
from viscarbon.roadmap.names import sector_name
from viscarbon.roadmap.priorities import (
    MILESTONES,
    joint_chains,
    lever_ranking,
    partners,
    sector_reductions,
    wedges,
)
from viscarbon.web.deps import Q_DATASET, Q_REGION, Context, Ctx, JSONBytes, _decode, context
from viscarbon.web.views.common import JSON, honesty, num, nums, region_label
from viscarbon.web.viewstate import InvalidParameter

__all__ = [
    "PARTS",
    "SLIDERS",
    "band_payload",
    "core_payload",
    "decode_levers",
    "insights_payload",
    "roadmap_payload",
    "roadmapper_of",
    "router",
]

router = APIRouter()

#: What a request asks for: ``core`` (pathways, targets, secda table: fast, what the
#: sliders redraw), ``insights`` (wedges, lever ranking, partners, chains, assistant) or
#: ``all`` (both), or ``band`` (the Monte Carlo band of the production-based pathway:
#: exact percentiles of the region's total over the scenario's ``[uncertainty]`` draws,
#: run in the server's process; asked for after ``core`` so it never delays the redraw).
PARTS: Final = ("all", "core", "insights", "band")
#: The most draws the server runs for one band (the scenario's ``[uncertainty].draws``
#: above it are cut to it; the CLI's ``viscarbon montecarlo`` has no such cap). 1,000
#: draws of the demo take ≈ 0.4 s in one process.
BAND_DRAWS: Final = 1000
#: The milestones of the secda table (years).
TABLE_YEARS: Final = MILESTONES
#: The evaluation year of the lever ranking, the partners and the joint chains.
INSIGHT_YEAR: Final = 2030
#: The sliders of the tab: name → (lever kind, what it moves, the lever's fixed fields,
#: min, max, step; ``sign`` −1: the slider shows a cut, the lever's field gets its
#: negative). The page turns a non-zero slider into one lever of a POST; the fields are
#: those of :class:`~viscarbon.roadmap.Lever` as :func:`parse_levers` reads them, for the
#: province shown (``region``).
SLIDERS: Final[Mapping[str, Mapping[str, Any]]] = {
    "power": {"kind": "power", "field": "cut", "fixed": {"from": 2021, "to": 2055},
              "min": 0.0, "max": 1.0, "step": 0.05},
    "industry": {"kind": "intensity", "field": "rate", "sign": -1, "fixed": {"group": "industry", "from": 2021,
                                                                            "to": 2060},
                 "min": 0.0, "max": 0.10, "step": 0.005},
    "demand": {"kind": "final_demand", "field": "rate", "fixed": {"categories": "*", "from": 2021, "to": 2060},
               "min": -0.03, "max": 0.02, "step": 0.0025},
    "electrification": {"kind": "electrification", "field": "share",
                        "fixed": {"group": "industry", "from": 2021, "to": 2060},
                        "min": 0.0, "max": 0.8, "step": 0.05},
}

#: The assumption keys of ``data/assumptions.toml`` each block rests on.
_RESTS_ON: Final = {
    "baseline": ("gdp_growth", "intensity_trend", "households"),
    "scenario": ("gdp_growth", "intensity_trend", "households", "levers"),
    "secda": ("gdp_growth", "benchmarks", "households"),
    "removal": ("removal",),
    "history": (),
    "targets": ("gdp_growth", "intensity_trend", "removal"),
    "sectors": ("benchmarks", "gdp_growth", "intensity_trend"),
    "wedges": ("levers",),
    "levers": ("electrification",),
    "partners": ("gdp_growth", "intensity_trend"),
    "chains": ("gdp_growth", "intensity_trend"),
    "assistant": ("gdp_growth", "intensity_trend", "benchmarks"),
}

_lock = threading.Lock()
#: Entries of the app's roadmapper cache (baselines, activities, runs). A run with an
#: electrification lever keeps its activity, ≈ 34 MB on the demo (its output by
#: destination per year; the response to demand in low-rank form), so each slider
#: position the cache keeps costs that much.
CACHE_SIZE: Final = 8


def roadmapper_of(request: Request) -> Roadmapper:
    """The app's :class:`Roadmapper` (one per app, on its workspace; its caches key every
    result on the dataset's store generation, as the analyses do)."""
    state = request.app.state
    with _lock:
        rm = getattr(state, "roadmapper", None)
        if rm is None or rm.workspace is not state.workspace:
            rm = Roadmapper(state.workspace, cache_size=CACHE_SIZE)
            state.roadmapper = rm
    return rm


# ------------------------------------------------------------------ decoding
def _scenario(rmr: Roadmapper, name: str | None) -> Scenario:
    listed = rmr.scenarios()
    by_id = {s.id: s for s in listed}  # a saved scenario comes after the shipped ones and wins
    key = "baseline" if name in (None, "") else name
    if not isinstance(key, str) or key not in by_id:
        raise InvalidParameter("scenario", name, allowed=[s.id for s in listed])
    return by_id[key]


def _region(ctx: Context, dataset: str | None, region: str | None) -> tuple[str, str]:
    """(dataset, region) with ``CN`` accepted for the nation of a multi-regional dataset."""
    if isinstance(region, str) and region.strip().upper() == NATION:
        st = _decode(ctx, dataset=dataset)
        if st.region != NATION and len(ctx.state.io_info(st.dataset).regions) > 1:
            return st.dataset, NATION
    st = _decode(ctx, dataset=dataset, region=region)
    return st.dataset, st.region


def _parts(value: object) -> str:
    v = "all" if value in (None, "") else value
    if v not in PARTS:
        raise InvalidParameter("parts", value, allowed=PARTS)
    return str(v)


def decode_levers(obj: object) -> tuple[Lever, ...]:
    """The lever overrides of a POST body (see :func:`~viscarbon.roadmap.parse_levers`);
    a bad one is a :class:`~viscarbon.errors.ScenarioError` naming ``levers[i].<field>``."""
    return parse_levers([] if obj is None else obj)


def lever_json(lv: Lever) -> JSON:
    """A lever as the POST body writes it (``parse_levers`` reads it back)."""
    out: JSON = {"kind": lv.kind, "from": lv.start, "to": lv.end, "regions": list(lv.regions) if lv.regions else "*"}
    names = {"intensity": ("sectors",), "electrification": ("sectors",), "final_demand": ("categories",),
             "coefficient": ("inputs", "users", "input_regions"), "power": ()}[lv.kind]
    for name in names:
        v = getattr(lv, name)
        out[name] = list(v) if v is not None else "*"
    if lv.kind in ("intensity", "final_demand", "coefficient"):
        out["rate"] = lv.rate
    if lv.kind == "power":
        out["cut"] = lv.cut
    if lv.kind == "electrification":
        out["share"] = lv.share
    if lv.label:
        out["label"] = lv.label
    return out


# ------------------------------------------------------------------ shaping
def _account(rm: Roadmap, values: np.ndarray, region: str) -> np.ndarray:
    """One region's (or the nation's) column of a T × R account."""
    if region == NATION:
        return rm.nation(values)
    out: np.ndarray = values[:, rm.base.regions.index(region)]
    return out


def _pathway(rm: Roadmap, name: str, region: str) -> JSON:
    """One pathway of ``region`` (Mt per year): production-based (``pba``), its sectors'
    sum (``sectors``) and households' direct CO2, Carbon Removal and ``net = pba −
    removal``; consumption-based (``cba``) for the baseline and the scenario."""
    base = rm.base
    T, R, S = len(rm.years), base.n_regions, base.n_sectors
    pba = _account(rm, rm.pba(name), region)
    hh = _account(rm, rm.households(name), region)
    sec = rm.sector_co2(name).reshape(T, R, S).sum(axis=2)
    removal = _account(rm, rm.removal[name], region)
    out: JSON = {"pba": nums(pba), "sectors": nums(_account(rm, sec, region)), "households": nums(hh),
                 "removal": nums(removal), "net": nums(pba - removal),
                 "assumptions": [*_RESTS_ON.get(name, ()), "removal"]}
    if name != "secda":
        out["cba"] = nums(_account(rm, rm.pathway(name).cba, region))
    return out


def _history(rm: Roadmap, region: str) -> JSON:
    """The inventory's CO2 of ``region`` (Mt) in the years up to t0 (measured, not assumed)."""
    h = rm.base.history
    years = [int(y) for y in h.years if y <= rm.base.t0]
    keep = [i for i, y in enumerate(h.years) if y <= rm.base.t0]
    if region == NATION:
        rep = rm.base.reported
        vals = np.nansum(h.by_region[:, rep], axis=1) if rep.any() else np.zeros(len(h.years))
    else:
        vals = h.by_region[:, rm.base.regions.index(region)]
    return {"years": years, "co2": nums(np.asarray(vals)[keep]), "assumptions": []}


def _check(c: TargetCheck, lang: str) -> JSON:
    """A target judged on a pathway: status and its label, the year, the value, what the
    target requires and the gap (in ``unit``: Mt, year or fraction), the CO2 over it (Mt),
    the target's own status (law, plan …) and its source."""
    tg = c.target
    reason = t(f"roadmap.reason.{c.reason}", lang) if c.reason else None
    return {"id": tg.id, "kind": tg.kind, "kind_label": t(f"roadmap.kind.{tg.kind}", lang), "year": tg.year,
            "pathway": c.pathway, "status": c.status, "status_label": t(f"roadmap.check.{c.status}", lang),
            "met": bool(c.met), "unit": c.unit, "value": num(c.value), "required": num(c.required), "gap": num(c.gap),
            "excess_mt": num(c.excess_mt), "judged_year": c.year, "reason": reason,
            "target_status": tg.status, "target_status_label": t(f"roadmap.target_status.{tg.status}", lang),
            "source": tg.source_text(lang), "sector": tg.sector, "base_year": tg.base_year,
            "assumption": tg.status == "assumption"}


def _sector_name(rm: Roadmap, code: str, lang: str) -> tuple[str, str]:
    return sector_name(rm.base, code, lang, short=False), sector_name(rm.base, code, lang)


def _sectors_table(rm: Roadmap, region: str, lang: str) -> JSON:
    """The secda table of ``region``: per sector its intensity at t0 and its target
    intensity in 2030 and 2060 (t CO2 per 10,000 yuan at t0 prices; output-weighted over
    the provinces for the nation), the market-share factor ``m`` in 2030 and 2060 (≤ 1)
    and the cut still needed by each milestone ``needed = scenario − target`` (Mt; > 0:
    the sector must cut that much more than the scenario does)."""
    base = rm.base
    years = [int(y) for y in rm.years]
    red = sector_reductions(rm, region, years=TABLE_YEARS)
    T, R, S = len(years), base.n_regions, base.n_sectors
    k30, k60 = years.index(2030), years.index(years[-1])
    x = rm.scenario.x.reshape(T, R, S)
    target = rm.secda.arrays.target  # T × R × S, t per 10,000 yuan
    m = rm.secda.arrays.m
    f0 = (rm.scenario.f[0] * T_PER_MT).reshape(R, S)  # t CO2 per 10,000 yuan
    if region == NATION:
        rep = base.reported
        w0, w30, w60 = (x[k, rep] for k in (0, k30, k60))

        def wmean(v: np.ndarray, w: np.ndarray) -> np.ndarray:
            tot = w.sum(axis=0)
            out: np.ndarray = np.divide((v * w).sum(axis=0), tot, out=np.full(S, np.nan), where=tot > 0)
            return out

        i0, i30, i60 = wmean(f0[rep], w0), wmean(target[k30, rep], w30), wmean(target[k60, rep], w60)
        m30, m60 = wmean(m[k30, rep], w30), wmean(m[k60, rep], w60)
    else:
        r = base.regions.index(region)
        i0, i30, i60, m30, m60 = f0[r], target[k30, r], target[k60, r], m[k30, r], m[k60, r]
    rows = []
    for s, code in enumerate(red.sectors):
        name, short = _sector_name(rm, code, lang)
        sector = s < S
        rows.append({"code": code, "label": name, "short": short,
                     "co2_t0": num(red.t0[s]),
                     "intensity_t0": num(i0[s]) if sector else None,
                     "target_2030": num(i30[s]) if sector else None,
                     "target_2060": num(i60[s]) if sector else None,
                     "m_2030": num(m30[s]) if sector else None, "m_2060": num(m60[s]) if sector else None,
                     "needed": nums(red.needed[s]), "target_mt": nums(red.target[s]),
                     "scenario_mt": nums(red.scenario[s])})
    return {"years": list(TABLE_YEARS), "end_year": years[-1], "rows": rows,
            "units": {"intensity": "t_per_10k_yuan", "co2": "mt", "m": "dimensionless"},
            "assumptions": list(_RESTS_ON["sectors"])}


def _assumptions(rm: Roadmap, lang: str) -> JSON:
    """The assumed inputs (key → label, source, whether the scenario overrides it), and
    the scenario's levers (an assumption of the scenario, never measured)."""
    a = rm.base.assumptions
    out: JSON = {}
    for key, source in a.sources.items():
        if key == "meta":
            continue
        try:
            name = t(f"roadmap.assumption.{key}", lang)
        except KeyError:  # an assumption added to assumptions.toml without its label yet
            name = key.replace("_", " ")
        out[key] = {"label": name, "source": source or t("roadmap.assumption.assumed", lang),
                    "overridden": key in a.overridden}
    out["levers"] = {"label": t("roadmap.assumption.levers", lang),
                     "source": rm.scenario_def.file or rm.scenario_def.id, "overridden": False}
    return out


def core_payload(info: DatasetInfo, rm: Roadmap, region: str, *, lang: str, scenarios: Sequence[Scenario],
                 edited: bool) -> JSON:
    """The pathways, the history, the target checks and the secda table of ``region``."""
    lang = normalize_lang(lang)
    sc = rm.scenario_def
    years = [int(y) for y in rm.years]
    checks = [_check(c, lang) for c in rm.checks if c.region == region and c.pathway in ("baseline", "scenario")]
    r = None if region == NATION else rm.base.regions.index(region)
    out: JSON = {"key": f"roadmap/{info.name}/{region}/{sc.id}", "region": region,
                 "region_label": region_label(region, lang) if region != NATION else t("roadmap.nation", lang),
                 "region_status": rm.base.region_status[r] if r is not None else "reported",
                 "t0": int(rm.base.t0), "years": years, "unit": "mt"}
    out.update(honesty(info, lang, units=["mt", "t_per_10k_yuan"]))
    out["scenario"] = {"id": sc.id, "title": sc.title(lang), "description": sc.description(lang), "edited": edited,
                       "levers": [lever_json(lv) for lv in sc.levers]}
    out["scenarios"] = [{"id": s.id, "title": s.title(lang), "description": s.description(lang),
                         "levers": [lever_json(lv) for lv in s.levers]} for s in scenarios]
    out["sliders"] = {k: dict(v) for k, v in SLIDERS.items()}
    out["pathways"] = {name: _pathway(rm, name, region) for name in ("baseline", "scenario", "secda")}
    out["history"] = _history(rm, region)
    out["targets"] = {"checks": checks, "assumptions": list(_RESTS_ON["targets"])}
    out["sectors"] = _sectors_table(rm, region, lang)
    out["assumptions"] = _assumptions(rm, lang)
    out["notes"] = list(dict.fromkeys(rm.notes))
    return out


def _lever_what(rm: Roadmap, le: Any, lang: str) -> str:
    if le.kind == "final_demand":
        return t("roadmap.lever.final_demand", lang, category=label("fd", le.category, lang))
    if le.kind == "coefficient":
        src_region, src_sector = le.input_sector.split(":")
        return t("roadmap.lever.coefficient", lang, input=_sector_name(rm, src_sector, lang)[1],
                 input_region=region_label(src_region, lang), sector=_sector_name(rm, le.sector, lang)[1])
    return t(f"roadmap.lever.{le.kind}", lang, sector=_sector_name(rm, le.sector, lang)[1])


def insights_payload(info: DatasetInfo, rm: Roadmap, region: str, *, lang: str) -> JSON:
    """Wedges (Mt per year per lever, in the scenario's order; their sum is baseline −
    scenario), the lever ranking in :data:`INSIGHT_YEAR` (Mt avoided per unit of change),
    the partners of the five largest emitters, the joint chains with the largest partner
    and the assistant's answers (sentences with their figures and the anchor they link to)."""
    lang = normalize_lang(lang)
    sc = rm.scenario_def
    out: JSON = {"key": f"roadmap-insights/{info.name}/{region}/{sc.id}", "region": region,
                 "year": INSIGHT_YEAR, "unit": "mt"}
    out.update(honesty(info, lang, units=["mt"]))
    w = wedges(rm, region)
    out["wedges"] = {"years": [int(y) for y in w.years],
                     "series": [{"label": lab, "kind": kind, "kind_label": t(f"roadmap.lever_kind.{kind}", lang),
                                 "values": nums(w.values[:, k])}
                                for k, (lab, kind) in enumerate(zip(w.labels, w.kinds, strict=True))],
                     "assumptions": list(_RESTS_ON["wedges"])}
    if region == NATION:
        out["levers"] = None
        out["partners"] = None
        out["chains"] = None
    else:
        ranking = lever_ranking(rm, region, year=INSIGHT_YEAR, top=10)
        out["levers"] = {"year": INSIGHT_YEAR, "rows": [
            {"rank": i + 1, "kind": le.kind, "what": _lever_what(rm, le, lang),
             "unit": le.unit, "unit_label": t(f"roadmap.unit.{le.unit}", lang), "avoided": num(le.avoided),
             "inside": num(le.inside), "outside": num(le.outside), "direct": num(le.direct),
             "upstream": num(le.upstream), "assumption": le.kind == "electrification"}
            for i, le in enumerate(ranking)], "assumptions": list(_RESTS_ON["levers"])}

        def partner(p: Any) -> JSON:
            return {"region": p.region, "region_label": region_label(p.region, lang), "sector": p.sector,
                    "sector_label": _sector_name(rm, p.sector, lang)[1], "mt": num(p.mt), "inside": bool(p.inside)}

        out["partners"] = {"year": INSIGHT_YEAR, "emitters": [
            {"sector": ke.sector, "sector_label": _sector_name(rm, ke.sector, lang)[1], "co2": num(ke.co2),
             "upstream": [partner(p) for p in ke.upstream], "downstream": [partner(p) for p in ke.downstream]}
            for ke in partners(rm, region, year=INSIGHT_YEAR)], "assumptions": list(_RESTS_ON["partners"])}
        other = default_partner(rm, region, INSIGHT_YEAR)
        jc = joint_chains(rm, region, other, year=INSIGHT_YEAR, top=8)
        out["chains"] = {"a": region, "b": other, "b_label": region_label(other, lang), "year": INSIGHT_YEAR,
                         "total_ab": num(jc.total_ab), "total_ba": num(jc.total_ba),
                         "rows": [{"src": c[0], "src_label": region_label(c[0], lang), "src_sector": c[1],
                                   "src_sector_label": _sector_name(rm, c[1], lang)[1], "dst": c[2],
                                   "dst_label": region_label(c[2], lang), "dst_sector": c[3],
                                   "dst_sector_label": _sector_name(rm, c[3], lang)[1], "mt": num(c[4])}
                                  for c in jc.chains],
                         "assumptions": list(_RESTS_ON["chains"])}
    out["assistant"] = {"year": INSIGHT_YEAR, "answers": [
        {"question": a.question, "title": a.title, "params": {k: v for k, v in a.params.items()},
         "sentences": [{"text": s.text, "link": s.link, "figures": {k: num(v) for k, v in s.figures.items()}}
                       for s in a.sentences]}
        for a in questions(rm, region, lang, year=INSIGHT_YEAR)], "assumptions": list(_RESTS_ON["assistant"])}
    return out


def band_payload(info: DatasetInfo, mc: MonteCarloResult, region: str, *, lang: str) -> JSON:
    """The Monte Carlo band of ``region``'s production-based CO2 (Mt): exact percentiles
    p5 … p95 per year of the draws (``numpy.percentile``, linear), their mean, and what
    was drawn (coefficients of variation, draws, seed): every spread is an assumption."""
    r = mc.regions.index(region)
    u = mc.uncertainty
    out: JSON = {"band": {
        "years": [int(y) for y in mc.years],
        **{mc.statistic(q): nums(mc.total_bands[k, r]) for k, q in enumerate(mc.percentiles)},
        "mean": nums(mc.total_mean[r]),
        "deterministic": nums(mc.deterministic_totals[r]),
        "draws": mc.draws, "seed": mc.seed, "method": "exact", "unit": "mt",
        "cv": {"intensity": u.intensity_cv, "power": u.power_cv, "growth_sd": u.growth_sd,
               "coefficient": u.coefficient_cv, "regional_growth_sd": u.regional_growth_sd},
        "assumptions": ["uncertainty"],
        "note": t("roadmap.band_note", lang, draws=str(mc.draws)),
    }}
    out.update(honesty(info, lang, units=("mt",)))
    out["region"] = region
    out["scenario"] = mc.scenario
    return out


def roadmap_payload(info: DatasetInfo, rm: Roadmap, region: str, *, lang: str, parts: str,
                    scenarios: Sequence[Scenario], edited: bool = False) -> JSON:
    """The payload of ``parts`` (see :data:`PARTS`)."""
    if parts == "core":
        out = core_payload(info, rm, region, lang=lang, scenarios=scenarios, edited=edited)
    elif parts == "insights":
        out = insights_payload(info, rm, region, lang=lang)
    else:
        out = core_payload(info, rm, region, lang=lang, scenarios=scenarios, edited=edited)
        ins = insights_payload(info, rm, region, lang=lang)
        for k in ("wedges", "levers", "partners", "chains", "assistant"):
            out[k] = ins[k]
    out["parts"] = parts
    return out


# ------------------------------------------------------------------ routes
Q_SCENARIO = Query(description="Shipped scenario id (baseline, clean-power, …); default baseline.")
Q_PARTS = Query(description="all (default), core (pathways, targets, secda table), insights (wedges, levers, "
                            "partners, chains, assistant) or band (the Monte Carlo band of the pathway).")


def _answer(ctx: Context, rmr: Roadmapper, dataset: str, region: str, scenario: Scenario, parts: str,
            edited: bool, key: str) -> JSONBytes:
    info = ctx.state.io_info(dataset)

    def make() -> JSON:
        if parts == "band":
            mc = run_montecarlo(rmr, dataset, scenario, draws=min(scenario.uncertainty.draws, BAND_DRAWS),
                                scheduler="serial")
            return {**band_payload(info, mc, region, lang=ctx.lang), "parts": parts}
        rm = rmr.run(dataset, scenario)
        return roadmap_payload(info, rm, region, lang=ctx.lang, parts=parts, scenarios=rmr.scenarios(),
                               edited=edited)

    return ctx.respond("roadmap", make, dataset, region, key, parts, ctx.lang)


@router.get("/roadmap", response_class=JSONBytes)
def roadmap_get(request: Request, ctx: Ctx, dataset: Annotated[str | None, Q_DATASET] = None,
                region: Annotated[str | None, Q_REGION] = None,
                scenario: Annotated[str | None, Q_SCENARIO] = None,
                parts: Annotated[str | None, Q_PARTS] = None) -> JSONBytes:
    """The roadmap of a province (or ``CN``, the nation) under a shipped scenario."""
    rmr = roadmapper_of(request)
    ds, reg = _region(ctx, dataset, region)
    sc = _scenario(rmr, scenario)
    return _answer(ctx, rmr, ds, reg, sc, _parts(parts), False, sc.id)


_BODY_FIELDS: Final = ("dataset", "region", "scenario", "levers", "replace", "parts", "lang")


@router.post("/roadmap", response_class=JSONBytes)
def roadmap_post(request: Request, body: Annotated[dict[str, Any], Body(
        description="{dataset, region, scenario, levers: [{kind, sector|group, region, rate|cut|share, from, to}], "
                    "replace (false: the levers are added to the scenario's; true: they replace them), parts, lang}",
        examples=[{"dataset": "demo", "region": "GD", "scenario": "baseline",
                   "levers": [{"kind": "power", "cut": 0.5, "from": 2021, "to": 2055}], "parts": "core"}])],
                 ) -> JSONBytes:
    """The roadmap of a scenario with lever overrides (the sliders of the Roadmap tab)."""
    for k in body:
        if k not in _BODY_FIELDS:
            raise InvalidParameter("body", k, allowed=_BODY_FIELDS)
    strings = {k: body.get(k) for k in ("dataset", "region", "scenario", "parts", "lang")}
    for k, v in strings.items():
        if v is not None and not isinstance(v, str):
            raise InvalidParameter(k, json.dumps(v, ensure_ascii=False))
    replace = body.get("replace", False)
    if not isinstance(replace, bool):
        raise InvalidParameter("replace", json.dumps(replace), allowed=("true", "false"))
    ctx = context(request, strings["lang"])
    rmr = roadmapper_of(request)
    ds, reg = _region(ctx, strings["dataset"], strings["region"])
    start = _scenario(rmr, strings["scenario"])
    parts = _parts(strings["parts"])
    levers = decode_levers(body.get("levers"))
    if not levers and not replace:
        return _answer(ctx, rmr, ds, reg, start, parts, False, start.id)
    sc = start.with_levers(levers if replace else start.levers + levers)
    key = "post:" + json.dumps([start.id, replace, [lever_json(lv) for lv in levers]], sort_keys=True)
    return _answer(ctx, rmr, ds, reg, sc, parts, True, key)


def scenario_error_body(exc: ScenarioError) -> JSON:
    """The 400 answer of a bad lever: the message, the field (``levers[i].<field>``) and
    what it allows."""
    out: JSON = {"error": str(exc), "param": exc.field or "levers"}
    if exc.allowed:
        out["allowed"] = [exc.allowed]
    return out
