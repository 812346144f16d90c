"""The JSON API routes (``/api/…``), documented in docs/api.md.

Each handler is thin: decode a :class:`~viscarbon.web.viewstate.ViewState` (validation →
400 naming the allowed values), ask the app's :class:`~viscarbon.web.source.AnalysisSource`
(analysis, cached per dataset-year and store generation), shape JSON with a pure function
of :mod:`viscarbon.web.viewmodels`. Handlers are plain ``def`` so FastAPI runs them in its
threadpool and the event loop stays responsive while a year is being factorised.
Rendered payloads are cached (bytes) per (endpoint, parameters, store generation).
"""

from __future__ import annotations

import gzip
import json
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from viscarbon.i18n import t
from viscarbon.web import viewmodels as vm
from viscarbon.web.source import AnalysisSource
from viscarbon.web.viewstate import (
    INTRA,
    Choices,
    InvalidParameter,
    ViewState,
    decode_inventory,
    decode_lang,
    parse_float,
    parse_int,
    parse_side,
)

__all__ = ["FORMATS", "TABLES", "JSONBytes", "PayloadCache", "dumps", "router"]

TABLES: Final = ("sectors", "flows", "provinces", "trade")
FORMATS: Final = ("csv", "xlsx")
MEDIA: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

GZIP_MIN: Final = 1000

_ERROR_SCHEMA: Final[dict[str, Any]] = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "string"}, "param": {"type": "string"},
                   "allowed": {"type": "array", "items": {"type": "string"}}},
}
#: The error answers every route may give (documented in the OpenAPI schema): a bad
#: parameter (400), an unknown dataset/year (404), data that cannot be analysed (422).
ERROR_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    code: {"description": text, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
    for code, text in ((400, "Bad parameter; the message names the allowed values"),
                       (404, "Unknown dataset, year or path"),
                       (422, "The data cannot be analysed as asked"))
}

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def dumps(payload: object) -> bytes:
    """Compact UTF-8 JSON; NaN is refused (view-models turn unknown values into null)."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class JSONBytes(JSONResponse):
    """A JSON response from already-encoded bytes (skips FastAPI's slow encoder); a
    JSONResponse subclass so that the OpenAPI schema documents a JSON body."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


class _Entry:
    """An encoded payload and, once asked for, its gzip form."""

    __slots__ = ("body", "gz")

    def __init__(self, body: bytes):
        self.body = body
        self.gz: bytes | None = None


class PayloadCache:
    """A small thread-safe LRU of encoded payloads: key → JSON bytes (and their gzip
    form, compressed once, so a cached payload costs no encoding and no compression)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._data: OrderedDict[tuple[object, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _entry(self, key: tuple[object, ...], make: Callable[[], object]) -> _Entry:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return hit
        entry = _Entry(dumps(make()))
        with self._lock:
            self.misses += 1
            self._data[key] = entry
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return entry

    def get_or_make(self, key: tuple[object, ...], make: Callable[[], object]) -> bytes:
        """The JSON bytes of ``key`` (made with ``make`` on a miss)."""
        return self._entry(key, make).body

    def response(self, key: tuple[object, ...], make: Callable[[], object], *, gzip_ok: bool) -> JSONBytes:
        """A response for ``key``: gzip-encoded when the client accepts it and the body is
        over 1 KB (the GZip middleware leaves responses with a Content-Encoding alone)."""
        entry = self._entry(key, make)
        if not gzip_ok or len(entry.body) < GZIP_MIN:
            return JSONBytes(entry.body, headers={"Vary": "Accept-Encoding"})
        if entry.gz is None:
            entry.gz = gzip.compress(entry.body, compresslevel=6, mtime=0)
        return JSONBytes(entry.gz, headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


def _source(request: Request) -> AnalysisSource:
    src: AnalysisSource = request.app.state.source
    return src


def _cache(request: Request) -> PayloadCache:
    cache: PayloadCache = request.app.state.payload_cache
    return cache


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items()}


def _lang(request: Request) -> str:
    return decode_lang(request.query_params.get("lang"), request.app.state.default_lang)


def _state(request: Request, choices: Choices) -> ViewState:
    return ViewState.decode(_params(request), choices)


def _cached(request: Request, endpoint: str, make: Callable[[], object], *parts: object) -> JSONBytes:
    src = _source(request)
    key = (endpoint, src.generation(), *parts)
    gzip_ok = "gzip" in request.headers.get("accept-encoding", "").lower()
    return _cache(request).response(key, make, gzip_ok=gzip_ok)


# Query declarations: strings, so that validation (and its message naming the allowed
# values) is ours, not FastAPI's; they document the parameters in /api/openapi.json.
Q_DATASET = Query(None, description="Dataset name (see /api/meta); default: the first (demo).")
Q_YEAR = Query(None, description="MRIO year of the dataset; default: its last year.")
Q_REGION = Query(None, description="Region code (GD, BJ …); default GD.")
Q_LANG = Query(None, description="en or zh-Hans (zh accepted).")
Q_MODE = Query(None, description="money or carbon.")
Q_INDICATOR = Query(None, description="Indicator code (see /api/meta).")
Q_TOP = Query(None, description="Edge share p in percent, 0 < p ≤ 100 (default 5).")
Q_KEEP = Query(None, description="Keep the top-k emitters visible (default 0).")


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: ``{"status": "ok"}``; touches no data."""
    return {"status": "ok"}


@router.get("/meta", response_class=JSONBytes)
def meta(request: Request, lang: str | None = Q_LANG) -> JSONBytes:
    """Datasets (re-listed per call), regions, sectors, indicators, families, modes, units."""
    lang_c = _lang(request)
    src = _source(request)
    return _cached(request, "meta", lambda: src.meta(lang_c), lang_c)


@router.get("/view", response_class=JSONBytes)
def view(request: Request, dataset: str | None = Q_DATASET, year: str | None = Q_YEAR,
         region: str | None = Q_REGION, lang: str | None = Q_LANG) -> JSONBytes:
    """One province-year bundle: nodes with every indicator, both link modes in full."""
    src = _source(request)
    st = _state(request, src.choices())
    return _cached(request, "view", lambda: vm.view_payload(
        src.province_year(st.dataset, st.year, st.region), src.indicator_specs(), lang=st.lang),
        st.dataset, st.year, st.region, st.lang)


@router.get("/network", response_class=JSONBytes)
def network(request: Request, dataset: str | None = Q_DATASET, year: str | None = Q_YEAR,
            region: str | None = Q_REGION, mode: str | None = Q_MODE, top: str | None = Q_TOP,
            keep: str | None = Q_KEEP, lang: str | None = Q_LANG) -> JSONBytes:
    """The pruned network (top p % of cells + strongest links of the top-k emitters)."""
    src = _source(request)
    st = _state(request, src.choices())

    def make() -> object:
        py = src.province_year(st.dataset, st.year, st.region)
        edges = src.network_edges(st.dataset, st.year, st.region, mode=st.mode, top=st.top, keep=st.keep)
        return vm.network_payload(py, edges, mode=st.mode, top=st.top, keep=st.keep, lang=st.lang)

    return _cached(request, "network", make, st.dataset, st.year, st.region, st.mode, st.top,
                   st.keep, st.lang)


@router.get("/sectors", response_class=JSONBytes)
def sectors_table(request: Request, dataset: str | None = Q_DATASET, year: str | None = Q_YEAR,
                  region: str | None = Q_REGION, lang: str | None = Q_LANG) -> JSONBytes:
    """The sector table: every indicator with value, share, rank and percentile."""
    src = _source(request)
    st = _state(request, src.choices())
    return _cached(request, "sectors", lambda: vm.sectors_payload(
        src.province_year(st.dataset, st.year, st.region), src.indicator_specs(), lang=st.lang),
        st.dataset, st.year, st.region, st.lang)


def _flow_filters(request: Request, st: ViewState, src: AnalysisSource) -> dict[str, Any]:
    q = request.query_params
    sectors = src.choices().dataset(st.dataset).sectors
    out: dict[str, Any] = {}
    for name, key in (("from", "source"), ("to", "target")):
        value = (q.get(name) or "").strip() or None
        if value is not None and value not in sectors:
            raise InvalidParameter(name, value, allowed=sectors)
        out[key] = value
    intra = (q.get("intra") or "all").strip() or "all"
    if intra not in INTRA:
        raise InvalidParameter("intra", intra, allowed=INTRA)
    out["intra"] = intra
    out["minimum"] = parse_float("min", (q.get("min") or None), default=0.0, low=0.0,
                                 high=float("1e300"))
    out["limit"] = parse_int("limit", (q.get("limit") or None), default=2000, low=1,
                             high=max(1, len(sectors) ** 2))
    return out


@router.get("/flows", response_class=JSONBytes)
def flows(request: Request, dataset: str | None = Q_DATASET, year: str | None = Q_YEAR,
          region: str | None = Q_REGION, mode: str | None = Q_MODE,
          from_: str | None = Query(None, alias="from", description="Supplying sector code."),
          to: str | None = Query(None, description="Using sector code."),
          intra: str | None = Query(None, description="all, exclude or only (intra-sector flows)."),
          min: str | None = Query(None, description="Minimum value in the mode's unit."),
          limit: str | None = Query(None, description="Maximum rows (default 2000)."),
          lang: str | None = Q_LANG) -> JSONBytes:
    """Inter-sector flows of the province's block, filtered; the edge count."""
    src = _source(request)
    st = _state(request, src.choices())
    f = _flow_filters(request, st, src)
    return _cached(request, "flows", lambda: vm.flows_payload(
        src.province_year(st.dataset, st.year, st.region), mode=st.mode, lang=st.lang, **f),
        st.dataset, st.year, st.region, st.mode, st.lang, *sorted(f.items()))


@router.get("/provinces", response_class=JSONBytes)
def provinces(request: Request, dataset: str | None = Q_DATASET, year: str | None = Q_YEAR,
              indicator: str | None = Q_INDICATOR, lang: str | None = Q_LANG) -> JSONBytes:
    """All regions for one indicator, production- vs consumption-based CO2."""
    src = _source(request)
    st = _state(request, src.choices())
    return _cached(request, "provinces", lambda: vm.provinces_payload(
        src.dataset_meta(st.dataset), st.year, src.region_table(st.dataset, st.year),
        src.indicator_spec(st.indicator), lang=st.lang), st.dataset, st.year, st.indicator, st.lang)


@router.get("/trade", response_class=JSONBytes)
def trade(request: Request, dataset: str | None = Q_DATASET, year: str | None = Q_YEAR,
          region: str | None = Query(None, description="Region whose top partners to list."),
          lang: str | None = Q_LANG) -> JSONBytes:
    """CO2 embodied in inter-provincial trade; electricity-adjusted accounts."""
    src = _source(request)
    st = _state(request, src.choices())
    region_code = st.region if (request.query_params.get("region") or "").strip() else None
    return _cached(request, "trade", lambda: vm.trade_payload(
        src.dataset_meta(st.dataset), st.year, src.trade(st.dataset, st.year),
        region_code=region_code, lang=st.lang), st.dataset, st.year, region_code, st.lang)


def _state_and_top(request: Request, src: AnalysisSource, default: int = 10) -> tuple[ViewState, int]:
    """The view state (``top`` left out: here it counts sectors, not the edge share) and
    the number of sectors to show."""
    st = ViewState.decode({k: v for k, v in _params(request).items() if k != "top"}, src.choices())
    return st, parse_int("top", (request.query_params.get("top") or None), default=default, low=0, high=10_000)


@router.get("/trends", response_class=JSONBytes)
def trends(request: Request, dataset: str | None = Q_DATASET, region: str | None = Q_REGION,
           indicator: str | None = Q_INDICATOR,
           top: str | None = Query(None, description="Number of sectors (default 10; 0 = all)."),
           lang: str | None = Q_LANG) -> JSONBytes:
    """The top N sectors of a region over the dataset's MRIO years for one indicator."""
    src = _source(request)
    st, n = _state_and_top(request, src)
    return _cached(request, "trends", lambda: vm.trends_payload(
        src.dataset_meta(st.dataset), st.region, src.indicator_spec(st.indicator),
        src.trend(st.dataset, st.region, st.indicator), top=n, lang=st.lang),
        st.dataset, st.region, st.indicator, n, st.lang)


@router.get("/inventory-trend", response_class=JSONBytes)
def inventory_trend(request: Request, dataset: str | None = Q_DATASET, region: str | None = Q_REGION,
                    top: str | None = Query(None, description="Number of sectors (default 10; 0 = all)."),
                    lang: str | None = Q_LANG) -> JSONBytes:
    """CO2 by sector of a region over the inventory years linked to the dataset."""
    src = _source(request)
    st, n = _state_and_top(request, src)
    return _cached(request, "inventory-trend", lambda: vm.inventory_trend_payload(
        src.dataset_meta(st.dataset), st.region, src.inventory_trend(st.dataset, st.region, lang=st.lang),
        top=n, lang=st.lang), st.dataset, st.region, n, st.lang)


@router.get("/inventory", response_class=JSONBytes)
def inventory(request: Request,
              dataset: str | None = Query(None, description="Inventory dataset (see /api/meta, inventories); "
                                                          "default: the first."),
              region: str | None = Query(None, description="Region code with an inventory (no XZ); default GD."),
              lang: str | None = Q_LANG) -> JSONBytes:
    """An inventory-only dataset (CEADs provincial inventories): CO2 of a region by
    inventory sector and by fuel over the inventory years, totals, every region's totals."""
    from viscarbon.classification import region_codes

    src = _source(request)
    lang_c = _lang(request)
    listed = src.inventory_datasets()
    ds, region_c = decode_inventory(_params(request), [(d.name, d.regions) for d in listed],
                                    known_regions=region_codes())
    return _cached(request, "inventory", lambda: vm.inventory_payload(src.inventory_facts(ds, region_c),
                                                                      lang=lang_c), ds, region_c, lang_c)


@router.get("/compare", response_class=JSONBytes)
def compare(request: Request,
            a: str | None = Query(None, description="dataset:year:region, e.g. demo:2012:GD"),
            b: str | None = Query(None, description="dataset:year:region, e.g. demo:2017:GD"),
            lang: str | None = Q_LANG) -> JSONBytes:
    """Two province-years side by side with their differences (b − a)."""
    src = _source(request)
    lang_c = _lang(request)
    choices = src.choices()
    sa = parse_side("a", request.query_params.get("a"), choices, lang=lang_c)
    sb = parse_side("b", request.query_params.get("b"), choices, lang=lang_c)
    return _cached(request, "compare", lambda: vm.compare_payload(
        src.province_year(sa.dataset, sa.year, sa.region),
        src.province_year(sb.dataset, sb.year, sb.region), src.indicator_specs(), lang=lang_c),
        sa.dataset, sa.year, sa.region, sb.dataset, sb.year, sb.region, lang_c)


def _download_payload(request: Request, table: str, src: AnalysisSource) -> tuple[dict[str, Any], str]:
    """The JSON payload behind a download and the file name stem."""
    st = _state(request, src.choices())
    if table == "sectors":
        payload = vm.sectors_payload(src.province_year(st.dataset, st.year, st.region),
                                     src.indicator_specs(), lang=st.lang)
        return payload, f"viscarbon_sectors_{st.dataset}_{st.year}_{st.region}"
    if table == "flows":
        f = _flow_filters(request, st, src)
        payload = vm.flows_payload(src.province_year(st.dataset, st.year, st.region), mode=st.mode,
                                   lang=st.lang, **f)
        return payload, f"viscarbon_flows_{st.dataset}_{st.year}_{st.region}_{st.mode}"
    if table == "provinces":
        payload = vm.provinces_payload(src.dataset_meta(st.dataset), st.year,
                                       src.region_table(st.dataset, st.year),
                                       src.indicator_spec(st.indicator), lang=st.lang)
        return payload, f"viscarbon_provinces_{st.dataset}_{st.year}_{st.indicator}"
    region_code = st.region if (request.query_params.get("region") or "").strip() else None
    payload = vm.trade_payload(src.dataset_meta(st.dataset), st.year, src.trade(st.dataset, st.year),
                               region_code=region_code, lang=st.lang)
    return payload, f"viscarbon_trade_{st.dataset}_{st.year}"


@router.get("/download", response_class=Response, responses={
    200: {"description": "The table as a file", "content": {m.split(";")[0]: {} for m in MEDIA.values()}}})
def download(request: Request,
             table: str | None = Query(None, description="sectors, flows, provinces or trade"),
             format: str | None = Query(None, description="csv or xlsx"),
             dataset: str | None = Q_DATASET, year: str | None = Q_YEAR, region: str | None = Q_REGION,
             mode: str | None = Q_MODE, indicator: str | None = Q_INDICATOR,
             lang: str | None = Q_LANG) -> Response:
    """A table as CSV or XLSX with units, source/citation and the synthetic flag."""
    from viscarbon.io.writers.tables import write_table

    src = _source(request)
    table_c = (table or "").strip()
    if table_c not in TABLES:
        raise InvalidParameter("table", table, allowed=TABLES)
    fmt = (format or "csv").strip()
    if fmt not in FORMATS:
        raise InvalidParameter("format", format, allowed=FORMATS)
    payload, stem = _download_payload(request, table_c, src)
    records, meta = vm.download_table(table_c, payload)
    with tempfile.TemporaryDirectory(prefix="viscarbon-dl-") as tmp:
        path = write_table(records, Path(tmp) / f"{stem}.{fmt}", fmt="xlsx" if fmt == "xlsx" else "csv",
                           meta=meta)
        body = Path(path).read_bytes()
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """Self-hosted Swagger UI (assets from static/dist/swagger, no CDN)."""
    title = t("api.page_title", request.app.state.default_lang)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · API</title>
<link rel="stylesheet" href="/static/dist/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/dist/swagger/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({{url: "/api/openapi.json", dom_id: "#swagger-ui"}});</script>
</body></html>"""
    return HTMLResponse(page)


def query_mapping(request: Request) -> Mapping[str, str]:
    """The request's query parameters as a plain mapping (for error messages)."""
    return _params(request)
