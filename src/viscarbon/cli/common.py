"""Shared CLI plumbing: one-line errors, ``--debug``, codes from options, the workspace
every analysis command starts from, and printing or writing results."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from viscarbon.analysis import Workspace
from viscarbon.cli.options import OutFormat
from viscarbon.errors import ViscarbonError
from viscarbon.i18n import t
from viscarbon.io.store import resolve_store_path
from viscarbon.io.writers import write_table
from viscarbon.io.writers.datapackage import (
    SIDECAR_SUFFIX,
    resource,
    sidecar_path,
    write_datapackage,
)
from viscarbon.io.writers.schema import Schema
from viscarbon.io.writers.tables import records_csv_text

__all__ = [
    "Result",
    "console",
    "emit",
    "err_console",
    "fail",
    "handle_errors",
    "region_code",
    "sector_code",
    "store_path",
    "workspace",
]

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


class Result(Protocol):
    """What :func:`emit` prints: a result with a metadata block."""

    def metadata(self, lang: str | None = None) -> Mapping[str, str]: ...

    def schema(self) -> Schema: ...


def store_path(store: Path | None) -> Path:
    """The store file of a ``--store`` option (default location when absent)."""
    return resolve_store_path(store)


def workspace(store: Path | None, *, impute_missing: bool = False) -> Workspace:
    """The :class:`~viscarbon.analysis.Workspace` of the demo and the store."""
    return Workspace(store_path(store), impute_missing=impute_missing)


def region_code(value: str | None) -> str | None:
    """A region option as a code: ``" gd "`` → ``"GD"``."""
    return value.strip().upper() if value else None


def sector_code(value: str | None) -> str | None:
    """A sector option as a code: ``"5"`` → ``"05"`` (two-digit NBS codes)."""
    if not value:
        return None
    v = value.strip()
    return v.zfill(2) if v.isdigit() else v


def debug_enabled() -> bool:
    return os.environ.get("VISCARBON_DEBUG", "") not in ("", "0")


def fail(message: str, code: int = 1) -> None:
    """Print one clear line to stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/bold red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`ViscarbonError` (and OS errors) into one line and exit code 1;
    full tracebacks only with ``--debug``."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (ViscarbonError, OSError) as exc:
            if debug_enabled():
                raise
            fail(str(exc))
            raise  # unreachable

    return wrapper


def _cell(v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def _package_for(out_csv: str, meta_file: Path, schema: Schema, meta: Mapping[str, str], lang: str) -> Path:
    stem = Path(out_csv).stem
    return write_datapackage(meta_file, [resource(out_csv, schema, meta, lang=lang)], meta, name=stem, lang=lang)


def _stem_of_package(path: Path) -> str:
    name = path.name
    for suffix in (SIDECAR_SUFFIX, ".json"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return path.stem or "table"


def emit(result: Result, records: list[dict[str, object]], *, fmt: OutFormat, out: Path | None, lang: str,
         columns: list[str] | None = None, schema: Schema | None = None, meta_out: Path | None = None) -> None:
    """Print ``records`` as a table or write them (csv/json/xlsx) with the result's metadata
    (units, citation, synthetic flag) and column ``schema`` (default: the result's)
    through :func:`viscarbon.io.writers.write_table`.

    ``--format csv`` is plain CSV (one header row, then the rows). With ``--out FILE.csv``
    its Frictionless Data Package goes beside it (``FILE.datapackage.json``, or
    ``meta_out``); on standard output the metadata goes to standard error, or to the Data
    Package ``meta_out`` (``--meta FILE``; its resource is named ``<stem>.csv``: save the
    output under that name beside it). ``--format json`` keeps metadata and schema inline.
    """
    meta = dict(result.metadata(lang))
    schema = schema if schema is not None else result.schema()
    if fmt is OutFormat.table:
        cols = columns or (list(records[0]) if records else [])
        table = Table(title=meta.get("title", ""), caption=None, show_lines=False)
        for c in cols:
            numeric = bool(records) and all(isinstance(r.get(c), int | float) or r.get(c) is None
                                             for r in records)
            table.add_column(c, justify="right" if numeric else "left")
        for r in records:
            table.add_row(*(_cell(r.get(c)) for c in cols))
        console.print(table)
        for k in ("units", "citation", "synthetic", "notes"):
            if k in meta:
                console.print(f"[dim]{k}: {meta[k]}[/dim]", highlight=False, soft_wrap=True)
        return
    if meta_out is not None and fmt is not OutFormat.csv:
        fail(t("analysis.cli.meta_csv_only", lang))
    if out is None:
        if fmt is OutFormat.xlsx:
            fail("--format xlsx needs --out FILE")
        if fmt is OutFormat.csv:
            sys.stdout.write(records_csv_text(records, schema=schema))
            sys.stdout.flush()
            if meta_out is not None:
                _package_for(f"{_stem_of_package(meta_out)}.csv", meta_out, schema, meta, lang)
            else:
                for k, v in meta.items():
                    err_console.print(f"{k}: {v}", highlight=False, soft_wrap=True, markup=False)
                err_console.print(t("analysis.cli.meta_hint", lang), highlight=False, soft_wrap=True,
                                  markup=False)
            return
        with tempfile.TemporaryDirectory() as tmp:
            path = write_table(records, Path(tmp) / f"out.{fmt.value}", fmt=fmt.value, meta=meta,  # type: ignore[arg-type]
                               schema=schema, lang=lang, sidecar=False)
            sys.stdout.write(path.read_text(encoding="utf-8"))
            sys.stdout.flush()
        return
    path = write_table(records, out, fmt=fmt.value, meta=meta, schema=schema, lang=lang,  # type: ignore[arg-type]
                       sidecar=fmt is OutFormat.csv and meta_out is None)
    console.print(t("analysis.cli.written", lang, path=str(path)), highlight=False, soft_wrap=True)
    if fmt is OutFormat.csv:
        package = meta_out if meta_out is not None else sidecar_path(path)
        if meta_out is not None:
            rel = os.path.relpath(path.resolve(), meta_out.resolve().parent)
            _package_for(Path(rel).as_posix(), meta_out, schema, meta, lang)
        console.print(t("analysis.cli.written", lang, path=str(package)), highlight=False, soft_wrap=True)
