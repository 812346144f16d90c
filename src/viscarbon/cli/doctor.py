"""``viscarbon doctor FILE…``: inspect files without importing them (thin: the inspection
is :func:`viscarbon.io.readers.doctor.inspect_files`; this prints its reports).

Texts come from the ``doctor`` catalogs in the language of ``--lang`` or
``$VISCARBON_LANG`` (``en`` by default, ``zh`` for 简体中文). Exit code 0 when every file
matches a layout, 1 otherwise (the reports are printed in both cases).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from viscarbon.cli.common import console, handle_errors
from viscarbon.cli.data import cli_lang
from viscarbon.i18n import normalize_lang, t
from viscarbon.io.readers.doctor import inspect_files

__all__ = ["doctor"]


@handle_errors
def doctor(
    files: Annotated[list[Path], typer.Argument(help=t("doctor.cli.files", cli_lang()), show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help=t("doctor.cli.json", cli_lang()))] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Language: en or zh-Hans (default: $VISCARBON_LANG).")
                    ] = None,
) -> None:
    """Inspect files (registered as ``viscarbon doctor`` by :mod:`viscarbon.cli.app`)."""
    language = normalize_lang(lang) if lang else cli_lang()
    reports = inspect_files(files)
    if as_json:
        typer.echo(json.dumps([r.as_dict(language) for r in reports], ensure_ascii=False, indent=2))
    else:
        for k, report in enumerate(reports):
            if k:
                console.print("")
            for line in report.lines(language):
                console.print(line, highlight=False, soft_wrap=True, markup=False)
        console.print("")
        console.print(t("doctor.cli.summary", language, ok=sum(r.ok for r in reports), n=len(reports)),
                      highlight=False)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)
