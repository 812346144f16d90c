"""The FastAPI application factory of the dashboard.

``create_app(store_path=None, lang="en")`` builds one app with one
:class:`~viscarbon.analysis.Workspace` (the catalog of the demo and the store, one bounded
cache of analyses per dataset-year and store generation), the JSON API of
:mod:`viscarbon.web.api`, the page at
``/`` (the HTML shell filled by :mod:`viscarbon.web.render`), the built front end under
``/static``, gzip compression, and errors as JSON ``{"error": …}``: 400 for a bad parameter
(naming the allowed values, localised), 404 for an unknown path, 500 otherwise — the server
keeps serving after any of them. FastAPI's own ``/docs`` and ``/redoc`` are off; the
self-hosted Swagger UI is at ``/api/docs`` and the schema at ``/api/openapi.json``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from viscarbon._version import __version__
from viscarbon.analysis import Workspace
from viscarbon.datasets import resolve_store_path
from viscarbon.errors import NotFound, ScenarioError, UnknownCode, ViscarbonError
from viscarbon.i18n import normalize_lang, t
from viscarbon.web import render
from viscarbon.web.api import router
from viscarbon.web.deps import PayloadCache, context
from viscarbon.web.security import HostCheck, SecurityHeaders, server_names
from viscarbon.web.views.meta import meta_for
from viscarbon.web.views.roadmap import scenario_error_body
from viscarbon.web.viewstate import InvalidParameter, decode_lang

__all__ = ["create_app", "error_message", "static_dir"]

log = logging.getLogger("viscarbon.web")


def static_dir() -> Path:
    """``web/static`` inside the installed package (``dist/`` holds the built bundle)."""
    return Path(str(resources.files("viscarbon.web").joinpath("static")))


def _request_lang(request: Request) -> str:
    default = getattr(request.app.state, "default_lang", "en")
    try:
        return decode_lang(request.query_params.get("lang"), default)
    except InvalidParameter:
        return normalize_lang(default)


def error_message(exc: InvalidParameter, lang: str) -> str:
    """The localised message of a bad parameter (names the allowed values)."""
    side, _, base = exc.param.rpartition(".")
    key = f"api.param.{base}"
    try:
        name = t(key, lang)
    except KeyError:
        name = base
    if side:
        name = f"{t(f'api.param.{side}', lang)}: {name}"
    params: dict[str, Any] = {"param": name, "value": exc.value, **exc.params}
    if exc.kind == "unknown_value":
        params["allowed"] = ", ".join(exc.allowed)
    return t(f"api.error.{exc.kind}", lang, **params)


def create_app(*, store_path: Path | None = None, lang: str = "en",
               workspace: Workspace | None = None, impute_missing: bool = False,
               bind_host: str = "127.0.0.1", allowed_hosts: Sequence[str] = ()) -> FastAPI:
    """The dashboard app. ``store_path`` None uses the default store location
    (``$VISCARBON_STORE`` or the user data directory; the demo is always there);
    ``lang`` is the default language of the page and of error messages;
    ``impute_missing`` imputes the CO2 of stored datasets' regions without inventory
    (Tibet), flagged ``imputed`` in every view (ignored when ``workspace`` is given).
    Requests must name the server by one of its names (``bind_host``, loopback, the
    machine's own addresses when bound to every interface, ``allowed_hosts``; see
    :mod:`viscarbon.web.security`), else 400."""
    app = FastAPI(
        title="viscarbon API",
        version=__version__,
        description="JSON API of the viscarbon dashboard (see docs/api.md).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.workspace = (workspace if workspace is not None
                           else Workspace(resolve_store_path(store_path), impute_missing=impute_missing))
    app.state.default_lang = normalize_lang(lang)
    app.state.payload_cache = PayloadCache()
    app.state.host_names = server_names(bind_host, allowed_hosts)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, names=app.state.host_names, lang=app.state.default_lang)
    app.include_router(router)

    @app.exception_handler(InvalidParameter)
    def _bad_param(request: Request, exc: InvalidParameter) -> JSONResponse:
        body: dict[str, Any] = {"error": error_message(exc, _request_lang(request)), "param": exc.param}
        if exc.allowed:
            body["allowed"] = list(exc.allowed)
        return JSONResponse(body, status_code=400)

    @app.exception_handler(ScenarioError)
    def _bad_scenario(request: Request, exc: ScenarioError) -> JSONResponse:
        """A bad lever of ``POST /api/roadmap``: 400 naming ``levers[i].<field>``."""
        return JSONResponse(scenario_error_body(exc), status_code=400)

    @app.exception_handler(ViscarbonError)
    def _viscarbon_error(request: Request, exc: ViscarbonError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, UnknownCode) else 422
        return JSONResponse({"error": t("api.error.data", _request_lang(request), message=str(exc))},
                            status_code=status)

    @app.exception_handler(RequestValidationError)
    def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": str(exc.errors())}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            msg = t("api.error.not_found", _request_lang(request), path=request.url.path)
        else:
            msg = str(exc.detail)
        return JSONResponse({"error": msg}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s", request.url, exc_info=exc)
        return JSONResponse(
            {"error": t("api.error.internal", _request_lang(request), kind=type(exc).__name__,
                        message=str(exc))},
            status_code=500,
        )

    @app.get("/", include_in_schema=False)
    @app.get("/index.html", include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        page_lang = _request_lang(request)
        html = render.render_page(render.load_template(), lang=page_lang,
                                  title=t("api.page_title", page_lang),
                                  boot_src=f"/boot.js?lang={page_lang}", assets=render.server_assets())
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    @app.get("/boot.js", include_in_schema=False)
    def boot_js(request: Request) -> Response:
        """The page's boot payload (catalog, ``/api/meta``) as a script: the page loads it
        from here because the Content-Security-Policy allows no inline script."""
        page_lang = _request_lang(request)
        boot = render.boot_payload(mode="server", lang=page_lang, meta=meta_for(context(request, page_lang)),
                                   api_base="/api", data_base="data/")
        return Response(render.boot_script(boot), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-store"})

    app.mount("/static", StaticFiles(directory=static_dir(), check_dir=False), name="static")
    return app
