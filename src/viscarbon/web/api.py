"""The JSON API (``/api/…``, documented in docs/api.md): the views' routes, the health
check and the self-hosted API docs.

Each route is thin: its dependencies decode the request (:mod:`viscarbon.web.deps`:
validation → 400 naming the allowed values), it asks the analysis for results and
shapes them with the pure functions of its view (:mod:`viscarbon.web.views`). Routes are
plain ``def`` so FastAPI runs them in its threadpool and the event loop stays responsive
while a year is being factorised. Encoded payloads are cached per (endpoint, store
generation, parameters).
"""

from __future__ import annotations

import html
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from viscarbon.i18n import t
from viscarbon.web.views import ROUTERS

__all__ = ["ERROR_RESPONSES", "router"]

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


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: ``{"status": "ok"}``; touches no data."""
    return {"status": "ok"}


for _view in ROUTERS:
    router.include_router(_view)


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """Self-hosted Swagger UI (assets from static/dist/swagger, no CDN), started by a static
    script (``static/api-docs.js``: no inline script, the online validator off)."""
    title = html.escape(t("api.page_title", request.app.state.default_lang))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>{title} · API</title>
<link rel="stylesheet" href="/static/dist/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/dist/swagger/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>"""
    return HTMLResponse(page)
