"""The Supply chains tab (产业链): the top structural paths behind a province's final demand
or one of its sectors, the key-sector quadrant, the hypothetical extraction of a sector and
the structural decomposition (``sda``) of the change in CO2 between two table years:
``/api/supply-chains`` and ``/api/sda``.

The payload functions shape the analysis' results (``YearAnalysis.spa``,
``YearAnalysis.key_sectors``, ``YearAnalysis.extract``, ``Workspace.sda``) into JSON and do
no arithmetic beyond picking rows; the numbers are the analysis façade's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Final

import numpy as np
from fastapi import APIRouter, Depends, Query

from viscarbon.analysis import ExtractionResult, KeySectorResult, SDAResult, SPAResult, YearAnalysis
from viscarbon.analysis.keysectors import QUADRANTS
from viscarbon.analysis.sda import SDA_FACTORS
from viscarbon.datasets import DatasetInfo
from viscarbon.errors import DataError
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes, province_state
from viscarbon.web.views.common import JSON, colour, honesty, num, region_label, sector_labels
from viscarbon.web.viewstate import InvalidParameter, ViewState

__all__ = [
    "SPA_DEPTH",
    "SPA_TOP",
    "extraction_block",
    "key_sector_block",
    "paths_block",
    "router",
    "sda_payload",
    "supply_chains_payload",
]

#: paths listed and the depth searched (the threshold is the analysis default, 10⁻⁴ of the total)
SPA_TOP: Final = 20
SPA_DEPTH: Final = 6
#: regions listed by name in the extraction (the rest summed)
EXTRACTION_REGIONS: Final = 8


def _node(region: str, sector: str, names: dict[str, tuple[str, str, str]], lang: str) -> JSON:
    name, short, fam = names.get(sector, (sector, sector, ""))
    return {"region": region, "region_label": region_label(region, lang), "sector": sector,
            "label": name, "short": short, "family": fam, "colour": colour(fam)}


def paths_block(res: SPAResult, names: dict[str, tuple[str, str, str]], lang: str) -> JSON:
    """The listed paths (``nodes`` from the final-demand sector to the emitter; paths of zero
    CO2, e.g. in a region without inventory, are not listed), their
    coverage of the target's total (``found_mt / total_mt``: all paths above the threshold;
    ``top_coverage``: the listed ones) and the search settings (Mt CO2)."""
    return {
        "target": res.target, "total_mt": num(res.total_mt), "found_mt": num(res.found_mt),
        "coverage": num(res.coverage), "top_coverage": num(res.top_coverage),
        "n_paths": res.n_paths, "depth": res.depth, "threshold_mt": num(res.threshold_mt),
        "rows": [{"rank": p.rank, "depth": p.depth, "value_mt": num(p.value_mt), "share": num(p.share),
                  "nodes": [_node(r, s, names, lang) for r, s in p.nodes]}
                 for p in res.paths if p.value_mt != 0],  # none without CO2 (no inventory)
    }


def key_sector_block(res: KeySectorResult, co2: np.ndarray, names: dict[str, tuple[str, str, str]],
                     lang: str) -> JSON:
    """One row per sector of the province: normalised backward and forward linkages (mean
    1 over all region-sectors of the MRIO), quadrant, and its CO2 (Mt; bubble size)."""
    S = len(res.sectors)
    rows = []
    for i in (int(v) for v in res.rows):
        code = res.sectors.codes[i % S]
        q = QUADRANTS[int(res.quadrant[i])]
        rows.append({**_node(res.regions.codes[i // S], code, names, lang),
                     "backward": num(res.backward[i]), "forward": num(res.forward[i]),
                     "quadrant": q, "co2_mt": num(co2[i])})
    return {"threshold": res.threshold, "counts": res.counts(),
            "quadrants": [{"code": q, "label": t(f"structural.quadrant.{q}", lang)} for q in QUADRANTS],
            "rows": rows}


def extraction_block(res: ExtractionResult, region: str, names: dict[str, tuple[str, str, str]],
                     lang: str, *, chosen: bool) -> JSON:
    """What the system loses when the sector is extracted (complete extraction): output
    (10,000 yuan) and industry CO2 (Mt), in the province and in the other provinces, the
    largest losers by name. ``chosen`` false when the sector was picked by default (the
    province's largest emitter)."""
    dx, x, de, e = res.by_region()
    r = res.regions.index(region)
    others = [i for i in range(len(res.regions)) if i != r]
    order = sorted(others, key=lambda i: (-float(de[i]), i))
    sector = res.target_sector or ""
    return {
        "sector": _node(region, sector, names, lang), "chosen": chosen, "mode": res.mode,
        "co2_loss_mt": num(res.total_co2_loss), "output_loss_10k_yuan": num(res.total_output_loss),
        "inside": {"co2_loss_mt": num(de[r]), "co2_mt": num(e[r]),
                   "output_loss_10k_yuan": num(dx[r]), "output_10k_yuan": num(x[r])},
        "elsewhere": {"co2_loss_mt": num(float(de[others].sum())), "co2_mt": num(float(e[others].sum())),
                      "output_loss_10k_yuan": num(float(dx[others].sum())),
                      "output_10k_yuan": num(float(x[others].sum()))},
        "regions": [{"region": res.regions.codes[i], "label": region_label(res.regions.codes[i], lang),
                     "co2_loss_mt": num(de[i]), "output_loss_10k_yuan": num(dx[i])}
                    for i in order[:EXTRACTION_REGIONS]],
    }


def supply_chains_payload(info: DatasetInfo, ya: YearAnalysis, region: str, sector: str | None, *,
                          paths: SPAResult, keys: KeySectorResult, extraction: ExtractionResult,
                          lang: str) -> JSON:
    """``/api/supply-chains``: the honesty block, the paths, the quadrant and the extraction."""
    lang = normalize_lang(lang)
    codes = tuple(ya.table.sectors.codes)
    names = sector_labels(ya.table.sectors.list_id or info.sector_list, codes, lang)
    out: JSON = {"key": f"supply-chains/{info.name}/{ya.year}/{region}/{sector or ''}", "year": ya.year,
                 "region": region, "region_label": region_label(region, lang), "sector": sector,
                 "sectors": [{"code": c, "label": names[c][0], "short": names[c][1]} for c in codes]}
    out.update(honesty(info, lang, units=["mt", "10k_yuan", "dimensionless"]))
    status = ya.coefficients.region_status[ya.table.regions.index(region)]
    out["status"] = status
    co2 = np.asarray(extraction.co2, dtype=np.float64)
    out["paths"] = paths_block(paths, names, lang)
    out["key_sectors"] = key_sector_block(keys, co2, names, lang)
    out["extraction"] = extraction_block(extraction, region, names, lang, chosen=sector is not None)
    out["notes"] = list(dict.fromkeys([*paths.notes, *extraction.notes]))
    return out


def sda_payload(info: DatasetInfo, res: SDAResult | None, region: str, year: int, base: int | None,
                years: Sequence[int], *, lang: str, problem: str | None = None) -> JSON:
    """``/api/sda``: the change in CO2 driven by the province's own final demand between
    ``base`` and ``year`` split into the five effects (Mt CO2; their sum is the change),
    and households' direct change beside them (not decomposed). ``available`` false with a
    ``note`` when there is no earlier year or the two years cannot be decomposed."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"sda/{info.name}/{region}/{base}/{year}", "region": region,
                 "region_label": region_label(region, lang), "year": year, "base": base,
                 "years": list(years), "unit": "mt"}
    out.update(honesty(info, lang, units=["mt"]))
    if res is None:
        out.update({"available": False, "note": problem or t("api.sda.one_year", lang)})
        return out
    d = res.destinations.index(region)
    out.update({
        "available": True, "note": None, "method": res.method,
        "co2_from_mt": num(res.co2_from[d]), "co2_to_mt": num(res.co2_to[d]),
        "change_mt": num(res.co2_to[d] - res.co2_from[d]),
        "effects": [{"code": f, "label": t(f"structural.sda.factor.{f}", lang), "value_mt": num(res.effects[k, d])}
                    for k, f in enumerate(SDA_FACTORS)],
        "households_change_mt": num(res.households_change[d]),
        "notes": list(res.notes),
    })
    return out


# --------------------------------------------------------------------------- routes
router = APIRouter()


def _sector(ya: YearAnalysis, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    codes = ya.table.sectors.codes
    v = value.strip()
    if v not in codes:
        raise InvalidParameter("sector", v, allowed=codes)
    return v


@router.get("/supply-chains", response_class=JSONBytes)
def supply_chains(ctx: Ctx, st: Annotated[ViewState, Depends(province_state)],
                  sector: Annotated[str | None, Query(description="Sector code (default: the province's "
                                                                  "whole final demand; extraction: its largest emitter).")] = None,
                  ) -> JSONBytes:
    """Structural paths, key sectors, extraction of a sector, for one province-year."""
    ya = ctx.workspace.year(st.dataset, st.year, state=ctx.state)
    code = _sector(ya, sector)

    def make() -> JSON:
        region = st.region
        paths = ya.spa(region=region, sector=code, depth=SPA_DEPTH, top=SPA_TOP, lang=st.lang)
        keys = ya.key_sectors(region=region, lang=st.lang)
        target = code
        if target is None:
            si = ya.sector_indicators(region)
            co2 = np.nan_to_num(np.asarray(si["co2"].value, dtype=np.float64), nan=-np.inf)
            target = ya.table.sectors.codes[int(np.argmax(co2))]
        extraction = ya.extract(region=region, sector=target, lang=st.lang)
        return supply_chains_payload(ctx.state.io_info(st.dataset), ya, region, code, paths=paths, keys=keys,
                                     extraction=extraction, lang=st.lang)

    return ctx.respond("supply-chains", make, st.dataset, st.year, st.region, code, st.lang)


@router.get("/sda", response_class=JSONBytes)
def sda(ctx: Ctx, st: Annotated[ViewState, Depends(province_state)],
        base: Annotated[str | None, Query(description="The earlier table year (default: the one before year).")] = None,
        ) -> JSONBytes:
    """Structural decomposition (sda) of the change in CO2 of a province's final demand
    between two table years."""
    info = ctx.state.io_info(st.dataset)
    years = tuple(info.years)
    earlier = [y for y in years if y < st.year]
    b: int | None
    if base is None or not base.strip():
        b = earlier[-1] if earlier else None
    else:
        if base.strip() not in [str(y) for y in earlier]:
            raise InvalidParameter("base", base.strip(), allowed=[str(y) for y in earlier])
        b = int(base.strip())

    def make() -> JSON:
        if b is None:
            return sda_payload(info, None, st.region, st.year, None, years, lang=st.lang)
        try:
            res = ctx.workspace.sda(st.dataset, b, st.year, region=st.region, lang=st.lang)
        except DataError as e:
            return sda_payload(info, None, st.region, st.year, b, years, lang=st.lang, problem=str(e))
        return sda_payload(info, res, st.region, st.year, b, years, lang=st.lang)

    return ctx.respond("sda", make, st.dataset, st.region, b, st.year, st.lang)
