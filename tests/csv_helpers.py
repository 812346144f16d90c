"""Reading what the CLI writes as CSV: plain CSV on standard output, the metadata as
``key: value`` lines on standard error (or a Frictionless Data Package)."""

from __future__ import annotations

import csv
import io
from typing import Any

__all__ = ["cli_csv", "stderr_meta"]


def stderr_meta(text: str) -> dict[str, str]:
    """The ``key: value`` metadata lines ``analyse … --format csv`` prints on standard error."""
    meta: dict[str, str] = {}
    for line in text.splitlines():
        k, sep, v = line.partition(": ")
        if sep and k and " " not in k:
            meta[k] = v
    return meta


def cli_csv(result: Any) -> tuple[dict[str, str], list[dict[str, str]]]:
    """``(metadata, rows)`` of a CliRunner result of ``analyse … --format csv`` (to stdout)."""
    assert not result.stdout.startswith("#"), result.stdout[:200]
    return stderr_meta(result.stderr), list(csv.DictReader(io.StringIO(result.stdout)))
