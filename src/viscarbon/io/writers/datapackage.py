"""Frictionless Data Packages beside plain CSV files.

A CSV file viscarbon writes is plain (one header row, then the rows; UTF-8, no comment
lines), so any tool opens it without options; what it means goes to a
``datapackage.json`` (Frictionless Data Package v1, https://specs.frictionlessdata.io/
data-package/) beside it: one ``tabular-data-resource`` per file with its Table Schema
(types, units and descriptions of every column, from :class:`~.schema.Schema`) and the
metadata block (title, dataset, year, citation, synthetic flag, notes …).

* :func:`sidecar_path`: ``fp.csv`` → ``fp.datapackage.json`` (one table written on its own);
* :func:`resource`: the resource descriptor of one file;
* :func:`write_datapackage`: a package of several resources (``viscarbon export``).

Package and resource properties beyond the specification (``synthetic``, ``notes``,
``citation``, ``metadata``) are viscarbon's own, as the specification allows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from viscarbon.i18n import normalize_lang
from viscarbon.io.writers.schema import NOTE_SEPARATOR, Schema

__all__ = [
    "PACKAGE_FILE",
    "SIDECAR_SUFFIX",
    "package_descriptor",
    "resource",
    "resource_name",
    "sidecar_path",
    "write_datapackage",
]

#: The package file of a folder of tables (``viscarbon export``).
PACKAGE_FILE: Final = "datapackage.json"
#: The package file beside one table: ``<stem>.datapackage.json``.
SIDECAR_SUFFIX: Final = ".datapackage.json"
_FORMATS: Final = {"csv": ("csv", "text/csv"), "json": ("json", "application/json"),
                   "parquet": ("parquet", "application/vnd.apache.parquet"),
                   "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
# meta keys that get a structured place in a descriptor (the rest go to ``metadata``)
_STRUCTURED: Final = ("title", "citation", "synthetic", "notes")


def sidecar_path(path: str | Path) -> Path:
    """The Data Package written beside a single table: ``out/fp.csv`` → ``out/fp.datapackage.json``."""
    p = Path(path)
    return p.with_name(p.stem + SIDECAR_SUFFIX)


def resource_name(text: str) -> str:
    """A valid resource/package name (lower case letters, digits, ``-``, ``_``, ``.``)."""
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.")
    return name or "table"


def _notes(meta: Mapping[str, str]) -> list[str]:
    text = meta.get("notes", "")
    return [n for n in text.split(NOTE_SEPARATOR) if n] if text else []


def _common(meta: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if meta.get("title"):
        out["title"] = meta["title"]
    if meta.get("citation"):
        out["citation"] = meta["citation"]
        out["sources"] = [{"title": meta["citation"]}]
    if "synthetic" in meta:
        out["synthetic"] = meta["synthetic"] == "true"
    notes = _notes(meta)
    if notes:
        out["notes"] = notes
    rest = {k: v for k, v in meta.items() if k not in _STRUCTURED}
    if rest:
        out["metadata"] = rest
    return out


def resource(path: str, schema: Schema, meta: Mapping[str, str], *, lang: str | None = None,
             name: str | None = None, fmt: str = "csv") -> dict[str, Any]:
    """The descriptor of one tabular file at ``path`` (relative to the package, POSIX
    separators): its Table Schema in ``lang`` and its metadata block ``meta``."""
    form, media = _FORMATS.get(fmt, (fmt, "application/octet-stream"))
    out: dict[str, Any] = {
        "name": resource_name(name or Path(path).stem),
        "path": path,
        "profile": "tabular-data-resource",
        "format": form,
        "mediatype": media,
        "encoding": "utf-8",
    }
    if fmt == "csv":
        out["dialect"] = {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\n", "header": True}
    out.update(_common(meta))
    out["schema"] = schema.descriptor(lang)
    return out


def package_descriptor(resources: Sequence[Mapping[str, Any]], meta: Mapping[str, str], *,
                       name: str, lang: str | None = None) -> dict[str, Any]:
    """A Data Package of ``resources`` with the package-level metadata ``meta``."""
    seen: set[str] = set()
    res = []
    for r in resources:
        d = dict(r)
        base, k = d["name"], 2
        while d["name"] in seen:  # names must be unique within a package
            d["name"] = f"{base}-{k}"
            k += 1
        seen.add(d["name"])
        res.append(d)
    out: dict[str, Any] = {"profile": "tabular-data-package", "name": resource_name(name),
                           "language": normalize_lang(lang)}
    out.update(_common(meta))
    out["resources"] = res
    return out


def write_datapackage(path: str | Path, resources: Sequence[Mapping[str, Any]], meta: Mapping[str, str], *,
                      name: str, lang: str | None = None) -> Path:
    """Write a ``datapackage.json`` of ``resources`` to ``path`` (UTF-8, indented)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = package_descriptor(resources, meta, name=name, lang=lang)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return out
