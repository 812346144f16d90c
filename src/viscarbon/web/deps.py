"""What every route needs, as FastAPI dependencies: the app's workspace, the catalog state
of this request (one store generation for the whole request), the decoded view state
(query parameters validated once: a bad value is a 400 naming the allowed values), and
the cached, encoded response.

Each dependency declares exactly the query parameters it reads, so the OpenAPI schema
documents each route's parameters and no route declares one it ignores.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse

from viscarbon.analysis import INDICATORS, Workspace
from viscarbon.datasets import CatalogState
from viscarbon.web.viewstate import Choices, ViewState, decode_lang, parse_int

__all__ = [
    "GZIP_MIN",
    "Context",
    "JSONBytes",
    "PayloadCache",
    "context",
    "dumps",
    "province_state",
    "region_and_top",
    "state_and_top",
    "year_indicator_state",
]

GZIP_MIN: Final = 1000


def dumps(payload: object) -> bytes:
    """Compact UTF-8 JSON; NaN is refused (views turn unknown values into null)."""
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
    """A small thread-safe LRU of encoded payloads: key → JSON bytes (and their gzip form,
    compressed once). Keys start with the store generation of the request, so a payload of
    an older generation is never served again."""

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

    def response(self, key: tuple[object, ...], make: Callable[[], object], *, gzip_ok: bool) -> JSONBytes:
        """A response for ``key``: gzip-encoded when the client accepts it and the body is
        over 1 KB (the GZip middleware leaves responses with a Content-Encoding alone)."""
        entry = self._entry(key, make)
        if not gzip_ok or len(entry.body) < GZIP_MIN:
            return JSONBytes(entry.body, headers={"Vary": "Accept-Encoding"})
        if entry.gz is None:
            entry.gz = gzip.compress(entry.body, compresslevel=6, mtime=0)
        return JSONBytes(entry.gz, headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


@dataclass(frozen=True)
class Context:
    """One request's view of the app: the workspace, the catalog state it reads (one store
    generation), the choices that state offers, the language, and the payload cache."""

    workspace: Workspace
    state: CatalogState
    lang: str
    cache: PayloadCache
    gzip_ok: bool

    @property
    def generation(self) -> str:
        return ":".join(str(g) for g in self.state.generation)

    @property
    def choices(self) -> Choices:
        return Choices(datasets=self.state.io, indicators=tuple(INDICATORS))

    def respond(self, endpoint: str, make: Callable[[], object], *parts: object) -> JSONBytes:
        """The cached response of ``endpoint`` for ``parts`` at this request's generation."""
        return self.cache.response((endpoint, self.generation, *parts), make, gzip_ok=self.gzip_ok)


Q_LANG = Query(description="en or zh-Hans (zh accepted).")


def context(request: Request, lang: Annotated[str | None, Q_LANG] = None) -> Context:
    """The request's :class:`Context` (the store generation is read once, here)."""
    ws: Workspace = request.app.state.workspace
    return Context(workspace=ws, state=ws.state(), lang=decode_lang(lang, request.app.state.default_lang),
                   cache=request.app.state.payload_cache,
                   gzip_ok="gzip" in request.headers.get("accept-encoding", "").lower())


Ctx = Annotated[Context, Depends(context)]
Q_DATASET = Query(description="Dataset name (see /api/meta); default: the first (demo).")
Q_YEAR = Query(description="MRIO year of the dataset; default: its last year.")
Q_REGION = Query(description="Region code (GD, BJ …); default GD.")
Q_INDICATOR = Query(description="Indicator code (see /api/meta).")


def _decode(ctx: Context, **params: str | None) -> ViewState:
    return ViewState.decode({k: v for k, v in params.items() if v is not None} | {"lang": ctx.lang},
                            ctx.choices)


def province_state(ctx: Ctx, dataset: Annotated[str | None, Q_DATASET] = None,
                   year: Annotated[str | None, Q_YEAR] = None,
                   region: Annotated[str | None, Q_REGION] = None) -> ViewState:
    """A province-year: dataset, year, region (and the language)."""
    return _decode(ctx, dataset=dataset, year=year, region=region)


def year_indicator_state(ctx: Ctx, dataset: Annotated[str | None, Q_DATASET] = None,
                         year: Annotated[str | None, Q_YEAR] = None,
                         indicator: Annotated[str | None, Q_INDICATOR] = None) -> ViewState:
    """A dataset-year and an indicator (every region)."""
    return _decode(ctx, dataset=dataset, year=year, indicator=indicator)


def state_and_top(ctx: Ctx, dataset: Annotated[str | None, Q_DATASET] = None,
                  region: Annotated[str | None, Q_REGION] = None,
                  indicator: Annotated[str | None, Q_INDICATOR] = None,
                  top: Annotated[str | None, Query(description="Number of sectors (default 10; 0 = all).")] = None,
                  ) -> tuple[ViewState, int]:
    """A dataset, region and indicator over the years, and the number of sectors to show."""
    return (_decode(ctx, dataset=dataset, region=region, indicator=indicator),
            parse_int("top", top or None, default=10, low=0, high=10_000))


def region_and_top(ctx: Ctx, dataset: Annotated[str | None, Q_DATASET] = None,
                   region: Annotated[str | None, Q_REGION] = None,
                   top: Annotated[str | None, Query(description="Number of sectors (default 10; 0 = all).")] = None,
                   ) -> tuple[ViewState, int]:
    """A dataset and region over the years, and the number of sectors to show."""
    return (_decode(ctx, dataset=dataset, region=region),
            parse_int("top", top or None, default=10, low=0, high=10_000))
