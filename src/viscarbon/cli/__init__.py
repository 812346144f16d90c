"""The ``viscarbon`` command line (typer). Thin: parse arguments, call the library, print."""

from __future__ import annotations

from viscarbon.cli.app import app, main

__all__ = ["app", "main"]
