"""Static export of the dashboard: a folder that works from ``file://`` with networking off
and on any static host.

Browsers refuse ``fetch()`` and ES modules from ``file://``, so every payload is written as
a classic script ``data/<lang>/<key>.js`` that calls ``VISCARBON_DATA_CB("<key>", {…})``;
the page (the same bundle as the server's) injects ``<script src>`` tags to load them.
Keys are :func:`data_key` (docs/api.md, "Static export"). The payloads are the API's (the
same view functions on the same analysis results), with two differences that keep the
site small: every number is rounded to :data:`SIGNIFICANT` significant digits (a relative
error below 5 × 10⁻⁷, far below the precision of the data: CEADs inventories carry a few
per cent of uncertainty, the tables are given to 0.01 万元), and the province-year bundle
is written in its compact, columnar form (:func:`viscarbon.web.views.network.compact_view`;
the page expands it).
"""

from __future__ import annotations

import json
import math
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
from viscarbon.web.views.headline import headline_block
from viscarbon.web.views.meta import meta_for

__all__ = ["KEY_PARAMS", "SHARED_FIELDS", "SIGNIFICANT", "SiteExport", "data_file", "data_key", "data_script", "export_site", "plan", "rounded", "shared_key", "split_shared"]

#: The parameters of each exported endpoint, in key order.
KEY_PARAMS: Final[dict[str, tuple[str, ...]]] = {
    "view": ("dataset", "year", "region"),
    "provinces": ("dataset", "year", "indicator"),
    "trade": ("dataset", "year", "region"),
    "trends": ("dataset", "region", "indicator"),
    "inventory-trend": ("dataset", "region"),
}

#: significant digits of the numbers of a static site (see the module docstring)
SIGNIFICANT: Final = 6


def rounded(value: Any, digits: int = SIGNIFICANT) -> Any:
    """``value`` (a JSON payload) with every float rounded to ``digits`` significant digits."""
    if isinstance(value, float):
        return float(f"{value:.{digits}g}") if math.isfinite(value) else value
    if isinstance(value, list):
        return [rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    return value


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
    """The payload of one exported key: the API's (the same view functions as the routes),
    rounded and, for the province-year bundle, compact (see the module docstring)."""
    out: dict[str, Any] = rounded(_api_payload(workspace, endpoint, params, lang))
    return out


def _api_payload(workspace: Workspace, endpoint: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    name = str(params["dataset"])
    info = workspace.dataset(name)
    if endpoint in ("view", "trade", "provinces"):
        ya = workspace.year(name, int(params["year"]))
        if endpoint == "view":
            return network.compact_view(
                network.view_payload(network.gather(ya, str(params["region"])), indicator_specs(), lang=lang,
                                     headline=headline_block(workspace.headline(ya.dataset, ya.year,
                                                                                str(params["region"])))))
        if endpoint == "trade":
            return trade.trade_payload(info, ya.year, ya.trade(), ya.electricity_adjusted(),
                                       region_code=str(params["region"]), lang=lang)
        return provinces.provinces_payload(info, ya.year, ya.region_indicators(),
                                           INDICATORS[str(params["indicator"])], lang=lang,
                                           households=ya.accounts().arrays.households)
    if endpoint == "trends":
        code = str(params["indicator"])
        return trends.trends_payload(info, str(params["region"]), INDICATORS[code],
                                     workspace.trends(name, str(params["region"]), code), top=0, lang=lang)
    if endpoint == "inventory-trend":
        return trends.inventory_trend_payload(info, str(params["region"]),
                                              workspace.inventory_trend(name, str(params["region"])),
                                              top=0, lang=lang)
    raise UnknownCode(f"unknown exported endpoint {endpoint!r}")


#: fields of an exported payload that are the same in every language, by endpoint: written
#: once to ``data/shared/<key>.js`` and named in the payload's ``$shared`` list
SHARED_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "view": ("links", "columns"),
    "trade": ("regions", "status", "matrix", "net_transfer", "for_exports", "electricity"),
}


def shared_key(endpoint: str, params: dict[str, Any]) -> str | None:
    """The key of the language-neutral part of a payload (None: the payload has none). The
    trade matrix of a year is the same for every region, so its key leaves the region out."""
    if endpoint == "view":
        return data_key("view", **params)
    if endpoint == "trade":
        return f"trade/{params['dataset']}/{params['year']}"
    return None


def split_shared(endpoint: str, params: dict[str, Any], body: dict[str, Any]
                 ) -> tuple[dict[str, Any], tuple[str, dict[str, Any]] | None]:
    """``(payload of one language, (shared key, shared fields) or None)``. The per-cell rank
    order of the view's links is left out (the page recomputes it: value descending, ties
    by position), and so are the trend series' labels and families (the page has them in
    its sector lists)."""
    if endpoint == "trends":
        series = [{k: v for k, v in s.items() if k not in ("label", "family")} for s in body["series"]]
        return {**body, "series": series}, None
    key = shared_key(endpoint, params)
    if key is None:
        return body, None
    fields = SHARED_FIELDS[endpoint]
    shared = {k: body[k] for k in fields}
    if endpoint == "view":
        shared["links"] = {mode: (None if block is None else {k: v for k, v in block.items() if k != "rank"})
                           for mode, block in body["links"].items()}
    rest = {k: v for k, v in body.items() if k not in fields}
    rest["$shared"] = [key]
    return rest, (key, shared)


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
    written_shared: set[str] = set()
    n_files = 0
    for done, (lang, key, body) in enumerate(_iter_payloads(workspace, items, langs), start=1):
        endpoint = key.split("/", 1)[0]
        params = dict(zip(KEY_PARAMS[endpoint], key.split("/")[1:], strict=True))
        own, shared = split_shared(endpoint, params, body)
        parts = [(data_file(lang, key), key, own)]
        if shared is not None and shared[0] not in written_shared:
            written_shared.add(shared[0])
            parts.append((f"data/shared/{shared[0]}.js", f"shared/{shared[0]}", shared[1]))
        for rel, cb_key, content in parts:
            path = outdir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            text = data_script(cb_key, content)
            path.write_text(text, encoding="utf-8")
            n_bytes += len(text.encode())
            n_files += 1
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
                "langs": list(langs), "keys": keys, "files": n_files, "shared": sorted(written_shared)}
    (outdir / "data" / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return SiteExport(outdir=outdir, dataset=ds.name, years=ds.years, regions=ds.regions,
                      keys=tuple(keys), files=n_files, bytes=n_bytes, assets=have_assets)
