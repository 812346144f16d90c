"""The City tab (城市): one city-year of a city-level MRIO in one request
(``/api/city-view``) and the list of a dataset's cities for the picker (``/api/cities``).

The analysis (:class:`viscarbon.analysis.city.CityYear`, set up once per dataset-year and
cached by the workspace) holds every number; the payload functions here pick and label
them and do no arithmetic beyond unit scaling for display fields (亿元 = 10,000 万元).

City tiles: the tab draws a province's cities as tiles laid out on a generated grid
(:func:`tile_grid`: code order, capital first; ``ceil(√n)`` columns), not a geographic
map — no boundary or coordinate data is shipped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Final

from fastapi import APIRouter, Query

from viscarbon.analysis.city import CityFigures, CityNetwork, CityYear, Partner
from viscarbon.classification import City, match_city, province_cities
from viscarbon.datasets import CatalogState, DatasetInfo
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes
from viscarbon.web.views.common import JSON, colour, honesty, num, region_label, sector_labels
from viscarbon.web.viewstate import InvalidParameter, parse_int

__all__ = [
    "cities_payload",
    "city_dataset",
    "city_view_payload",
    "figures_block",
    "network_block",
    "partners_block",
    "router",
    "tile_grid",
]

#: 亿元 per 万元 (display only; the API's money fields stay in 10,000 yuan)
TEN_K_TO_100M: Final = 1e-4


def tile_grid(codes: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Tile positions (row, column) of a province's cities: in the given order (the
    capital first, then code order), ``ceil(√n)`` columns. A generated layout, not geography."""
    n = len(codes)
    cols = max(1, math.ceil(math.sqrt(n)))
    return {c: (k // cols, k % cols) for k, c in enumerate(codes)}


def _ordered(cs: Sequence[City]) -> list[City]:
    return [c for c in cs if c.is_capital] + [c for c in cs if not c.is_capital]


def _pinyin(c: City | None) -> str:
    return c.pinyin if c is not None else ""


def _name(cy: CityYear, code: str, lang: str) -> str:
    k = cy.cities.index(code)
    return cy.names_zh[k] if normalize_lang(lang) == "zh-Hans" else cy.names_en[k]


def _city_entry(cy: CityYear, code: str, lang: str) -> JSON:
    k = cy.cities.index(code)
    c = match_city(code)
    p = cy.provinces[k]
    return {"code": code, "label": _name(cy, code, lang), "zh": cy.names_zh[k], "en": cy.names_en[k],
            "pinyin": _pinyin(c), "province": p, "province_label": region_label(p, lang) if p else ""}


def city_dataset(state: CatalogState, name: str | None) -> DatasetInfo | None:
    """The city dataset asked for; default (``None``/empty): the most recently imported real
    one, else the demo's synthetic ``demo-city``; None when there is none. An unknown name
    is a 400 naming the city datasets."""
    cities = state.cities
    if name is None or not name.strip():
        real = [d for d in cities if not d.synthetic]
        return real[-1] if real else (cities[0] if cities else None)
    for d in cities:
        if d.name == name.strip():
            return d
    raise InvalidParameter("dataset", name.strip(), allowed=[d.name for d in cities])


def _year(info: DatasetInfo, value: str | None) -> int:
    if value is None or not value.strip():
        return info.years[-1]
    y = parse_int("year", value.strip(), default=info.years[-1], low=0, high=9999)
    if y not in info.years:
        raise InvalidParameter("year", value.strip(), allowed=[str(v) for v in info.years])
    return y


def _coverage_note(province: str, n_table: int, n_all: int, lang: str) -> str | None:
    if n_all == 0 or n_table >= n_all:
        return None
    return t("api.city.coverage_partial", lang, n=n_table, total=n_all, province=region_label(province, lang))


def _province_entry(cy: CityYear, p: str, lang: str) -> JSON:
    """A province of the table: its cities in the table, in the concordance, complete, the
    coverage note (empty fields for a city the concordance does not place, ``p == ""``)."""
    if not p:
        return {"code": p, "label": "", "n_table": cy.provinces.count(p), "n_all": 0, "complete": False,
                "coverage_note": None}
    cov = cy.coverage(p)
    return {"code": p, "label": region_label(p, lang), "n_table": len(cov.in_table),
            "n_all": len(cov.in_concordance), "complete": cov.complete,
            "coverage_note": _coverage_note(p, len(cov.in_table), len(cov.in_concordance), lang)}


def provinces_block(cy: CityYear, lang: str) -> list[JSON]:
    """The provinces of the table's cities: cities in the table, in the concordance, complete."""
    return [_province_entry(cy, p, lang) for p in dict.fromkeys(p for p in cy.provinces if p)]


def cities_payload(info: DatasetInfo, cy: CityYear, datasets: Sequence[DatasetInfo], *, lang: str) -> JSON:
    """``/api/cities``: every city of the table (``covered`` true) and the concordance's
    other cities of the same provinces (``covered`` false), each with its names (zh, en,
    pinyin), province and tile; the provinces with their coverage; the city datasets."""
    lang = normalize_lang(lang)
    out: JSON = {"key": f"cities/{info.name}/{cy.year}", "year": cy.year, "years": list(info.years)}
    out.update(honesty(info, lang, units=["10k_yuan", "mt"]))
    if info.synthetic:
        out["banner"] = t("api.city.synthetic", lang)
    out["datasets"] = city_datasets_block(datasets, lang)
    rows: list[JSON] = []
    in_table = set(cy.cities)
    provinces = provinces_block(cy, lang)
    for p in provinces:
        conc = _ordered(province_cities(p["code"]))
        table_only = [c for c, pr in zip(cy.cities, cy.provinces, strict=True) if pr == p["code"]
                      and c not in {x.code for x in conc}]
        order = [c.code for c in conc] + table_only
        tiles = tile_grid(order)
        for code in order:
            if code in in_table:
                e = _city_entry(cy, code, lang)
            else:
                c = match_city(code)
                e = {"code": code, "label": c.name(lang) if c else code, "zh": c.name_zh_hans if c else code,
                     "en": c.name_en if c else code, "pinyin": _pinyin(c), "province": p["code"],
                     "province_label": p["label"]}
            e.update({"covered": code in in_table, "tile": list(tiles[code])})
            rows.append(e)
    # cities of the table whose province is unknown (not in the concordance)
    for k, code in enumerate(cy.cities):
        if not cy.provinces[k]:
            rows.append({**_city_entry(cy, code, lang), "covered": True, "tile": None})
    out["provinces"] = provinces
    out["cities"] = rows
    out["n_cities"] = len(cy.cities)
    return out


def city_datasets_block(datasets: Sequence[DatasetInfo], lang: str) -> list[JSON]:
    """The city datasets for ``/api/meta`` and ``/api/cities``."""
    return [{"name": d.name, "kind": d.kind, "years": list(d.years), "synthetic": d.synthetic,
             "banner": t("api.city.synthetic", lang) if d.synthetic else None, "citation": d.citation,
             "n_cities": len(d.regions)} for d in datasets]


def figures_block(f: CityFigures) -> JSON:
    """A city's headline figures (money in 10,000 yuan and, for display, 亿元; Mt CO2)."""
    return {"output_10k_yuan": num(f.output_10k_yuan), "output_100m_yuan": num(f.output_10k_yuan * TEN_K_TO_100M),
            "value_added_10k_yuan": num(f.value_added_10k_yuan),
            "value_added_100m_yuan": num(f.value_added_10k_yuan * TEN_K_TO_100M),
            "production_mt": num(f.production_mt), "consumption_mt": num(f.consumption_mt),
            "intensity_t_per_10k_yuan": num(f.intensity_t_per_10k_yuan),
            "output_share_of_province": num(f.output_share_of_province),
            "co2_share_of_province": num(f.co2_share_of_province), "province_complete": f.complete}


def network_block(net: CityNetwork, list_id: str, lang: str) -> JSON:
    """Nodes (42 sectors: output, CO2, intensities) and the kept intra-city money flows."""
    names = sector_labels(list_id, net.sectors, lang)
    nodes = []
    for i, code in enumerate(net.sectors):
        name, short, fam = names[code]
        nodes.append({"code": code, "label": name, "short": short, "family": fam, "colour": colour(fam),
                      "output": num(net.output[i]), "co2": num(net.co2[i]), "intensity": num(net.intensity[i]),
                      "total_intensity": num(net.total_intensity[i])})
    return {"nodes": nodes, "unit": "10k_yuan", "n_cells": net.n_cells, "total": num(net.block_total),
            "edges": [{"source": e.source, "target": e.target, "value": num(e.value), "rank": e.rank,
                       "share": num(e.share), "kept_for_emitter": e.kept_for_emitter} for e in net.edges]}


def _partner(cy: CityYear, p: Partner, lang: str) -> JSON:
    return {**_city_entry(cy, p.code, lang), "value_mt": num(p.value_mt)}


def partners_block(cy: CityYear, city: str, lang: str) -> JSON:
    """The top partner cities in embodied CO2 trade each way (Mt), with the rest and totals."""
    pt = cy.partners(city)
    imports: Sequence[Partner] = pt["imports"]  # type: ignore[assignment]
    exports: Sequence[Partner] = pt["exports"]  # type: ignore[assignment]
    return {"imports": [_partner(cy, p, lang) for p in imports], "exports": [_partner(cy, p, lang) for p in exports],
            **{k: num(v) for k, v in pt.items() if k.endswith("_mt")}}


def city_view_payload(info: DatasetInfo, cy: CityYear, city: str, *, lang: str) -> JSON:
    """``/api/city-view``: everything the City tab shows of one city-year: the honesty
    block, the city and its province, the headline figures, the sector network, the
    partner cities and the province's cities with their figures."""
    lang = normalize_lang(lang)
    k = cy.index(city)
    figs = cy.figures()
    f = figs[k]
    p = cy.provinces[k]
    out: JSON = {"key": f"city-view/{info.name}/{cy.year}/{city}", "year": cy.year}
    out.update(honesty(info, lang, units=["10k_yuan", "100m_yuan", "mt", "t_per_10k_yuan"]))
    if info.synthetic:
        out["banner"] = t("api.city.synthetic", lang)
    out["city"] = _city_entry(cy, city, lang)
    out["headline"] = figures_block(f)
    out["network"] = network_block(cy.network(city), info.sector_list, lang)
    out["partners"] = partners_block(cy, city, lang)
    members = [i for i, q in enumerate(cy.provinces) if q == p]
    out["province"] = {**_province_entry(cy, p, lang),
                       "cities": [{**_city_entry(cy, cy.cities[i], lang), **figures_block(figs[i])} for i in members]}
    out["known"] = bool(cy.known[k])
    out["method"] = cy.plan.method
    out["notes"] = [t("api.city.note.shares", lang)]
    return out


def _empty(lang: str) -> JSON:
    return {"available": False, "note": t("api.city.none", lang), "datasets": []}


# --------------------------------------------------------------------------- routes
router = APIRouter()
Q_CITY_DATASET = Query(description="City dataset name (see /api/meta city_datasets); default: the "
                                   "latest imported city table, else the demo's synthetic demo-city.")
Q_CITY_YEAR = Query(description="Table year of the city dataset; default: its last year.")


@router.get("/cities", response_class=JSONBytes)
def cities(ctx: Ctx, dataset: Annotated[str | None, Q_CITY_DATASET] = None,
           year: Annotated[str | None, Q_CITY_YEAR] = None) -> JSONBytes:
    """The cities of a city dataset-year for the picker (names in zh, en, pinyin; province;
    in the table or not), the provinces with their coverage, the city datasets."""
    info = city_dataset(ctx.state, dataset)
    if info is None:
        return ctx.respond("cities", lambda: _empty(ctx.lang), "", ctx.lang)
    y = _year(info, year)

    def make() -> JSON:
        cy = ctx.workspace.city_year(info.name, y, state=ctx.state)
        return {"available": True, **cities_payload(info, cy, ctx.state.cities, lang=ctx.lang)}

    return ctx.respond("cities", make, info.name, y, ctx.lang)


@router.get("/city-view", response_class=JSONBytes)
def city_view(ctx: Ctx, dataset: Annotated[str | None, Q_CITY_DATASET] = None,
              year: Annotated[str | None, Q_CITY_YEAR] = None,
              city: Annotated[str | None, Query(description="City code (six digits, see /api/cities); "
                                                            "default: the table's first city.")] = None,
              ) -> JSONBytes:
    """One city-year in one request: headline figures, sector network, partner cities in
    embodied CO2 trade, the province's cities."""
    info = city_dataset(ctx.state, dataset)
    if info is None:
        return ctx.respond("city-view", lambda: _empty(ctx.lang), "", ctx.lang)
    y = _year(info, year)
    cy = ctx.workspace.city_year(info.name, y, state=ctx.state)
    code = (city or "").strip() or cy.cities[0]
    if code not in cy.cities:
        raise InvalidParameter("city", code, kind="unknown_city",
                               params={"dataset": info.name, "year": y, "example": ", ".join(cy.cities[:3])})
    return ctx.respond("city-view", lambda: {"available": True, **city_view_payload(info, cy, code, lang=ctx.lang)},
                       info.name, y, code, ctx.lang)
