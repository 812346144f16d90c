"""The page's first payload: what the dashboard can show (``/api/meta``): datasets
(stored and embedded), regions with their tiles, sector lists, indicators, families,
link modes, units, defaults, and the inventory-only datasets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from viscarbon._version import __version__
from viscarbon.analysis.indicators import Indicator
from viscarbon.classification import families, label, regions, sectors
from viscarbon.datasets import DatasetInfo
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.deps import Context, Ctx, JSONBytes
from viscarbon.web.views.city import city_datasets_block
from viscarbon.web.views.common import (
    JSON,
    NATIONAL_REGIONS,
    TILES,
    honesty,
    indicator_specs,
    region_label,
    scope_note,
    unit_labels,
)
from viscarbon.web.views.inventory import inventory_meta

__all__ = ["default_dataset", "import_hint", "meta_for", "meta_payload", "router"]

router = APIRouter()


def meta_payload(
    datasets: Sequence[DatasetInfo],
    indicators: Sequence[Indicator],
    *,
    lang: str,
    version: str,
    generation: str,
    defaults: Mapping[str, object],
    inventories: Sequence[DatasetInfo] = (),
    impute_missing: bool = False,
) -> JSON:
    """``/api/meta``: datasets, regions (with tiles), sector lists, indicators, families,
    modes, units; the honesty block of the default (first) dataset; ``inventories``: the
    inventory-only datasets (:func:`inventory_meta`), a list apart from the IO datasets."""
    lang = normalize_lang(lang)
    lists = sorted({d.sector_list for d in datasets} | {"io42_2012"})
    sector_lists: dict[str, list[JSON]] = {}
    for list_id in lists:
        try:
            sector_lists[list_id] = [
                {"code": s.code, "label": s.name(lang), "short": s.name(lang, short=True),
                 "family": s.family}
                for s in sectors(list_id)
            ]
        except KeyError:
            continue
    out: JSON = {
        "lang": lang,
        "version": version,
        "generation": generation,
        "defaults": dict(defaults),
        "datasets": [
            {"name": d.name, "kind": d.kind, "years": list(d.years),
             "inventory_years": list(d.inventory_years), "regions": list(d.regions),
             "sector_list": d.sector_list, "synthetic": d.synthetic,
             "banner": t("common.synthetic_demo", lang) if d.synthetic else None,
             "citation": d.citation, "single_region": len(d.regions) == 1,
             "scope_note": scope_note(d, lang)}
            for d in datasets
        ],
        "regions": [
            *({"code": r.code, "label": r.name(lang), "label_en": r.name_en, "label_zh": r.name_zh_hans,
               "option": f"{r.code}:{r.name(lang)}", "tile": list(TILES[r.code])}
              for r in regions()),
            *({"code": c, "label": region_label(c, lang), "label_en": region_label(c, "en"),
               "label_zh": region_label(c, "zh-Hans"), "option": f"{c}:{region_label(c, lang)}",
               "tile": None, "national": True}
              for c in NATIONAL_REGIONS if any(c in d.regions for d in datasets)),
        ],
        "sectors": sector_lists,
        "indicators": [
            {"code": s.code, "label": t(s.key, lang), "unit": s.unit,
             "unit_label": unit_labels([s.unit], lang)[s.unit], "direction": s.direction,
             "carbon": s.carbon, "additive": s.additive}
            for s in indicators
        ],
        "families": [
            {"code": f.code, "label": label("family", f.code, lang), "colour": f.colour}
            for f in families()
        ],
        "modes": [
            {"code": "money", "label": t("api.mode.money", lang), "unit": "10k_yuan"},
            {"code": "carbon", "label": t("api.mode.carbon", lang), "unit": "mt"},
        ],
        "tables": ["sectors", "flows", "provinces", "trade"],
        "formats": ["csv", "xlsx"],
        "inventories": [inventory_meta(d, lang) for d in inventories],
    }
    first = next((d for d in datasets if d.name == defaults.get("dataset")), datasets[0])
    out.update(honesty(first, lang))
    out["hint"] = import_hint(first, lang)
    # whether regions without an inventory (Tibet) are imputed (flagged) or missing
    out["impute_missing"] = impute_missing
    return out


def default_dataset(datasets: Sequence[DatasetInfo]) -> DatasetInfo:
    """The dataset the page opens on: the most recently imported real (non-synthetic)
    dataset (the store lists them in import order), else the first (the demo)."""
    real = [d for d in datasets if not d.synthetic and d.kind != "demo"]
    return real[-1] if real else datasets[0]


def import_hint(info: DatasetInfo, lang: str) -> str | None:
    """One line saying what else to import for the tabs ``info`` cannot fill (localised):
    an inventory for the CO2 views, another table year for trends and the structural
    decomposition; None for the demo and for a dataset that has both."""
    if info.synthetic or info.kind == "demo":
        return None
    missing = []
    if not info.inventory_years and info.kind == "ceads-mrio":
        missing.append(t("api.hint.inventory", lang))
    if len(info.years) < 2:
        missing.append(t("api.hint.years", lang))
    if not missing:
        return None
    return t("api.hint.import", lang, dataset=info.name, what=t("api.hint.sep", lang).join(missing))


def meta_for(ctx: Context, *, only: str | None = None) -> JSON:
    """The ``/api/meta`` payload of a request (``only``: restrict to one dataset, for a
    static site, which also leaves out the inventory-only datasets)."""
    datasets: Sequence[DatasetInfo] = ctx.state.io
    if only is not None:
        datasets = tuple(d for d in datasets if d.name == only) or datasets
    first = default_dataset(datasets)
    defaults = {"dataset": first.name, "year": first.years[-1],
                "region": "GD" if "GD" in first.regions else first.regions[0],
                "indicator": "output", "mode": "money", "top": 5, "keep": 0}
    out = meta_payload(datasets, indicator_specs(), lang=ctx.lang, version=__version__,
                       generation=ctx.generation, defaults=defaults,
                       inventories=() if only is not None else ctx.state.inventories,
                       impute_missing=ctx.workspace.impute_missing)
    # the city-level datasets (the City tab); none in a static site
    out["city_datasets"] = [] if only is not None else city_datasets_block(ctx.state.cities, ctx.lang)
    if only is not None:
        out["hint"] = None  # a static site cannot import anything
    return out


@router.get("/meta", response_class=JSONBytes)
def meta(ctx: Ctx) -> JSONBytes:
    """Datasets (re-listed on every change of the store), regions, sectors, indicators,
    families, modes, units."""
    return ctx.respond("meta", lambda: meta_for(ctx), ctx.lang)

