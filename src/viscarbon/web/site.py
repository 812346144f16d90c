"""Static export of the dashboard: a folder that works from ``file://`` with networking off
and on any static host.

Browsers refuse ``fetch()`` and ES modules from ``file://``, so every payload is written as
a classic script ``data/<lang>/<key>.js`` that calls ``VISCARBON_DATA_CB("<key>", {…})``;
the page (the same bundle as the server's) injects ``<script src>`` tags to load them.
Keys are :func:`data_key` (docs/api.md, "Static export"). The payloads are exactly the API's
(the same view-model functions on the same analysis results).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from viscarbon.analysis import INDICATORS, Workspace
from viscarbon.errors import DataError, NotFound, UnknownCode
from viscarbon.i18n import LANGS, t
from viscarbon.web import render
from viscarbon.web.app import static_dir
from viscarbon.web.deps import Context, PayloadCache
from viscarbon.web.views import network, provinces, trade, trends
from viscarbon.web.views.common import indicator_specs
from viscarbon.web.views.meta import meta_for

__all__ = ["KEY_PARAMS", "SiteExport", "data_file", "data_key", "data_script", "export_site", "plan"]

#: The parameters of each exported endpoint, in key order.
KEY_PARAMS: Final[dict[str, tuple[str, ...]]] = {
    "view": ("dataset", "year", "region"),
    "provinces": ("dataset", "year", "indicator"),
    "trade": ("dataset", "year", "region"),
    "trends": ("dataset", "region", "indicator"),
    "inventory-trend": ("dataset", "region"),
}

#: index file name per language.
INDEX_FILES: Final = {"en": "index.en.html", "zh-Hans": "index.zh-hans.html"}


def data_key(endpoint: str, **params: object) -> str:
    """``<endpoint>/<p1>/<p2>…`` with the parameters of :data:`KEY_PARAMS` in order:
    ``data_key("view", dataset="demo", year=2017, region="GD") == "view/demo/2017/GD"``."""
    if endpoint not in KEY_PARAMS:
        raise UnknownCode(f"unknown exported endpoint {endpoint!r}", hint="use one of: " + ", ".join(KEY_PARAMS))
    names = KEY_PARAMS[endpoint]
    missing = [n for n in names if n not in params]
    extra = sorted(set(params) - set(names))
    if missing or extra:
        raise UnknownCode(f"key {endpoint!r} takes {', '.join(names)}",
                          hint=f"missing: {', '.join(missing) or '-'}; unexpected: {', '.join(extra) or '-'}")
    return "/".join([endpoint, *(str(params[n]) for n in names)])


def data_file(lang: str, key: str) -> str:
    """Relative path of a key's script: ``data/<lang>/<key>.js``."""
    return f"data/{lang}/{key}.js"


def data_script(key: str, payload: object) -> str:
    """The classic script that hands a payload to the page."""
    return f"VISCARBON_DATA_CB({render.dumps_script_safe(key)},{render.dumps_script_safe(payload)});\n"


@dataclass(frozen=True, slots=True)
class SiteExport:
    """What :func:`export_site` wrote."""

    outdir: Path
    dataset: str
    years: tuple[int, ...]
    regions: tuple[str, ...]
    keys: tuple[str, ...]
    files: int
    bytes: int
    assets: bool

    @property
    def index(self) -> Path:
        return self.outdir / INDEX_FILES["en"]


def plan(workspace: Workspace, dataset: str) -> list[tuple[str, dict[str, object]]]:
    """Every (endpoint, params) the static site needs for ``dataset``: each province-year
    view and trade payload, each year × indicator map, each region × indicator trend and
    each region's inventory trend."""
    ds = workspace.dataset(dataset)
    codes = [s.code for s in indicator_specs()]
    items: list[tuple[str, dict[str, object]]] = []
    for year in ds.years:
        for region in ds.regions:
            items.append(("view", {"dataset": dataset, "year": year, "region": region}))
            items.append(("trade", {"dataset": dataset, "year": year, "region": region}))
        for code in codes:
            items.append(("provinces", {"dataset": dataset, "year": year, "indicator": code}))
    for region in ds.regions:
        for code in codes:
            items.append(("trends", {"dataset": dataset, "region": region, "indicator": code}))
        items.append(("inventory-trend", {"dataset": dataset, "region": region}))
    return items


def payload(workspace: Workspace, endpoint: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The API payload of one exported key (the same view functions as the routes)."""
    name = str(params["dataset"])
    info = workspace.dataset(name)
    if endpoint in ("view", "trade", "provinces"):
        ya = workspace.year(name, int(params["year"]))
        if endpoint == "view":
            return network.view_payload(network.gather(ya, str(params["region"])), indicator_specs(), lang=lang)
        if endpoint == "trade":
            return trade.trade_payload(info, ya.year, ya.trade(), ya.electricity_adjusted(),
                                       region_code=str(params["region"]), lang=lang)
        return provinces.provinces_payload(info, ya.year, ya.region_indicators(),
                                           INDICATORS[str(params["indicator"])], lang=lang)
    if endpoint == "trends":
        code = str(params["indicator"])
        return trends.trends_payload(info, str(params["region"]), INDICATORS[code],
                                     workspace.trends(name, str(params["region"]), code), top=0, lang=lang)
    if endpoint == "inventory-trend":
        return trends.inventory_trend_payload(info, str(params["region"]),
                                              workspace.inventory_trend(name, str(params["region"])),
                                              top=0, lang=lang)
    raise UnknownCode(f"unknown exported endpoint {endpoint!r}")


def _iter_payloads(workspace: Workspace, items: Sequence[tuple[str, dict[str, object]]],
                   langs: Sequence[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for endpoint, params in items:
        key = data_key(endpoint, **params)
        for lang in langs:
            yield lang, key, payload(workspace, endpoint, dict(params), lang)


def export_site(
    workspace: Workspace,
    outdir: Path,
    *,
    dataset: str | None = None,
    langs: Sequence[str] = LANGS,
    allow_missing_assets: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SiteExport:
    """Write the static site of ``dataset`` (default: the first, i.e. the demo) to
    ``outdir``: ``index.en.html``, ``index.zh-hans.html``, ``index.html`` (a copy of the
    English page), ``assets/app.js`` + ``assets/app.css`` (the built bundle),
    ``data/<lang>/<key>.js`` for every key of :func:`plan`, and ``data/manifest.json``.
    ``progress(done, total)`` is called after each payload. The built bundle is required
    unless ``allow_missing_assets`` (the data side is then still complete)."""
    if dataset is not None and any(d.name == dataset for d in workspace.inventory_datasets()):
        raise DataError(f"dataset {dataset!r} is an inventory-only dataset (CEADs inventories without an "
                        "IO table): the static export covers IO datasets only",
                        hint="view it with `viscarbon serve` (the Inventory tab), or export an MRIO dataset "
                             "linked to it (its inventory trends are included)")
    ds = workspace.dataset(dataset) if dataset is not None else workspace.datasets()[0]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    dist = static_dir() / "dist"
    have_assets = (dist / "app.js").is_file() and (dist / "app.css").is_file()
    if not have_assets and not allow_missing_assets:
        raise NotFound("the front end is not built (web/static/dist/app.js missing)",
                       hint="run: python scripts/build_frontend.py")
    if have_assets:
        (outdir / "assets").mkdir(exist_ok=True)
        for name in ("app.js", "app.css"):
            shutil.copyfile(dist / name, outdir / "assets" / name)
    items = plan(workspace, ds.name)
    total = len(items) * len(langs)
    n_bytes = 0
    keys: list[str] = []
    for done, (lang, key, body) in enumerate(_iter_payloads(workspace, items, langs), start=1):
        path = outdir / data_file(lang, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = data_script(key, body)
        path.write_text(text, encoding="utf-8")
        n_bytes += len(text.encode())
        if lang == langs[0]:
            keys.append(key)
        if progress is not None:
            progress(done, total)
    template = render.load_template()
    for lang in langs:
        ctx = Context(workspace=workspace, state=workspace.state(), lang=lang, cache=PayloadCache(size=1),
                      gzip_ok=False)
        meta = meta_for(ctx, only=ds.name)
        boot = render.boot_payload(mode="static", lang=lang, meta=meta, api_base="",
                                   data_base=f"data/{lang}/")
        page = render.render_page(template, lang=lang, title=t("api.page_title", lang), boot=boot,
                                  assets=render.static_assets("assets/"))
        (outdir / INDEX_FILES[lang]).write_text(page, encoding="utf-8")
        n_bytes += len(page.encode())
    if "en" in langs:
        shutil.copyfile(outdir / INDEX_FILES["en"], outdir / "index.html")
    manifest = {"dataset": ds.name, "years": list(ds.years), "regions": list(ds.regions),
                "langs": list(langs), "keys": keys, "files": total}
    (outdir / "data" / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return SiteExport(outdir=outdir, dataset=ds.name, years=ds.years, regions=ds.regions,
                      keys=tuple(keys), files=total, bytes=n_bytes, assets=have_assets)
