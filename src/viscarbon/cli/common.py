"""Shared CLI plumbing: the ``--store`` option, one-line errors, ``--debug``."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from viscarbon.errors import ViscarbonError
from viscarbon.io.store.paths import resolve_store_path

__all__ = ["ImputeOpt", "StoreOpt", "console", "err_console", "fail", "handle_errors", "store_path"]

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)

StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Store file (DuckDB). Default: $VISCARBON_STORE or the user data directory."),
]
ImputeOpt = Annotated[bool, typer.Option(
    "--impute-missing",
    help="Estimate the CO2 of regions without inventory (Tibet) from national average intensities "
         "instead of leaving it unknown; such regions are flagged 'imputed' in every output.")]


def store_path(store: Path | None) -> Path:
    return resolve_store_path(store)


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


