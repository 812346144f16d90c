"""Fill the HTML shell (``web/templates/index.html``, written by the front-end side).

The shell has four placeholders, replaced with :meth:`str.replace` (no template engine):
``__VC_LANG__`` (the ``<html lang>``), ``__VC_TITLE__``, ``__VC_BOOT__`` (the script that
sets ``window.VISCARBON_BOOT``: an external ``/boot.js`` from the server, whose
Content-Security-Policy allows no inline script; inline in a static export, which runs
from ``file://``) and ``__VC_ASSETS__`` (the ``<link>``/``<script>`` tags).
The same bundle runs from the server (``mode: "server"``, data fetched from ``/api``) and
from a static export (``mode: "static"``, data loaded as ``<script>`` files from
``dataBase``). See docs/api.md.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any, Final, Literal

from viscarbon.errors import NotFound
from viscarbon.i18n import catalog, normalize_lang

__all__ = [
    "PLACEHOLDERS",
    "boot_payload",
    "boot_script",
    "dumps_script_safe",
    "load_template",
    "render_page",
    "server_assets",
    "static_assets",
]

PLACEHOLDERS: Final = ("__VC_LANG__", "__VC_TITLE__", "__VC_BOOT__", "__VC_ASSETS__")

_SCRIPT_ESCAPES: Final = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def dumps_script_safe(value: object) -> str:
    """JSON that is safe inside an inline ``<script>`` (no ``</script>``, no ``<!--``) and a
    JavaScript expression (U+2028/U+2029 escaped); keeps non-ASCII text (Chinese) as is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_ESCAPES)


def load_template() -> str:
    """The HTML shell shipped in the package."""
    path = resources.files("viscarbon.web").joinpath("templates", "index.html")
    if not path.is_file():
        raise NotFound("the page template web/templates/index.html is missing from the package",
                       hint="reinstall viscarbon or restore src/viscarbon/web/templates/index.html")
    return path.read_text(encoding="utf-8")


def server_assets(prefix: str = "/static/dist/") -> str:
    """``<link>`` and ``<script>`` tags of the built bundle, served by the app."""
    return (f'<link rel="stylesheet" href="{prefix}app.css">\n'
            f'<script src="{prefix}app.js"></script>')


def static_assets(prefix: str = "assets/") -> str:
    """The same tags with relative paths, for the static export (works from ``file://``)."""
    return server_assets(prefix)


def boot_payload(
    *,
    mode: Literal["server", "static"],
    lang: str,
    meta: dict[str, Any],
    api_base: str = "/api",
    data_base: str | None = None,
) -> dict[str, Any]:
    """``window.VISCARBON_BOOT``: mode, language, the merged catalog of that language
    (keys namespaced, e.g. ``web.load``), the ``/api/meta`` payload and the two bases."""
    lang = normalize_lang(lang)
    return {
        "mode": mode,
        "lang": lang,
        "catalog": dict(catalog(lang)),
        "meta": meta,
        "apiBase": api_base,
        "dataBase": data_base if data_base is not None else f"data/{lang}/",
    }


def boot_script(boot: dict[str, Any]) -> str:
    """The JavaScript that hands the boot payload to the page."""
    return f"window.VISCARBON_BOOT = {dumps_script_safe(boot)};\n"


def render_page(template: str, *, lang: str, title: str, assets: str, boot: dict[str, Any] | None = None,
                boot_src: str | None = None) -> str:
    """Replace the four placeholders of ``template``: the boot payload inline (``boot``) or
    as an external script (``boot_src``, the server's ``/boot.js``). Pure."""
    if (boot is None) == (boot_src is None):
        raise ValueError("give either boot or boot_src")
    tag = (f'<script src="{html.escape(boot_src, quote=True)}"></script>' if boot_src is not None
           else f"<script>{boot_script(boot or {})}</script>")
    return (
        template.replace("__VC_LANG__", html.escape(normalize_lang(lang), quote=True))
        .replace("__VC_TITLE__", html.escape(title, quote=False))
        .replace("__VC_ASSETS__", assets)
        # last: the boot JSON may contain any text (catalog strings)
        .replace("__VC_BOOT__", tag)
    )
