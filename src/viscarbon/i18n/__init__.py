"""Message catalogs (en, zh-Hans) shared by the server, the CLI and the browser.

Catalogs live in ``catalogs/<namespace>.<lang>.json`` (flat ``{"key": "text"}``); keys
are namespaced by file, e.g. ``web.load`` lives in ``web.en.json``. Language codes
``en`` and ``zh-Hans`` are canonical; ``zh``, ``zh-CN``, ``zh_Hans``, ``zh-hans`` are
accepted as aliases of ``zh-Hans``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Final

from viscarbon.errors import UnknownCode

__all__ = ["DEFAULT_LANG", "LANGS", "catalog", "has_key", "namespaces", "normalize_lang", "t"]

LANGS: Final = ("en", "zh-Hans")
DEFAULT_LANG: Final = "en"

_ALIASES: Final = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "zh": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh_hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh_cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "cn": "zh-Hans",
}


def normalize_lang(lang: str | None) -> str:
    """Return the canonical language code (``en`` or ``zh-Hans``) for ``lang``.

    ``None`` or an empty string gives the default (``en``). Unknown codes raise
    :class:`~viscarbon.errors.UnknownCode` naming the allowed values.
    """
    if not lang:
        return DEFAULT_LANG
    key = lang.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnknownCode(
        f"unknown language {lang!r}",
        hint="use one of: en, zh-Hans (zh is accepted as an alias)",
    )


def _files() -> list[tuple[str, str, str]]:
    out = []
    for entry in resources.files(__package__).joinpath("catalogs").iterdir():
        name = entry.name
        if not name.endswith(".json"):
            continue
        stem = name[: -len(".json")]
        ns, _, lang = stem.partition(".")
        out.append((ns, lang, name))
    return sorted(out)


def namespaces() -> list[str]:
    """The catalog namespaces (``common``, ``web``, ``cli`` ...)."""
    return sorted({ns for ns, _, _ in _files()})


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, keys prefixed by their namespace (``web.load``)."""
    lang = normalize_lang(lang)
    merged: dict[str, str] = {}
    base = resources.files(__package__).joinpath("catalogs")
    for ns, file_lang, name in _files():
        if file_lang != lang:
            continue
        data = json.loads(base.joinpath(name).read_text(encoding="utf-8"))
        for key, text in data.items():
            merged[f"{ns}.{key}"] = text
    return merged


def has_key(key: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether ``key`` (namespaced) exists in the catalog of ``lang``."""
    return key in catalog(lang)


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``params``.

    A missing key raises ``KeyError``: every user-facing string must be in both catalogs
    (a test checks it).
    """
    text = catalog(normalize_lang(lang))[key]
    return text.format(**params) if params else text
