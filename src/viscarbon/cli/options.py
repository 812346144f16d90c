"""Every CLI option and argument shared by more than one command, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "ConcordanceOpt",
    "DatasetOpt",
    "FormatOpt",
    "ImputeOpt",
    "IsolatedOpt",
    "LangOpt",
    "MetaOpt",
    "Mode",
    "OutFormat",
    "OutOpt",
    "StoreOpt",
    "YearOpt",
]


class OutFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Mode(StrEnum):
    money = "money"
    carbon = "carbon"


StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Store file (DuckDB). Default: $VISCARBON_STORE or the user data directory."),
]
ImputeOpt = Annotated[bool, typer.Option(
    "--impute-missing",
    help="Estimate the CO2 of regions without inventory (Tibet) from national average intensities "
         "instead of leaving it unknown; such regions are flagged 'imputed' in every output.")]
DatasetOpt = Annotated[str, typer.Option("--dataset", help="Dataset name (see `viscarbon datasets`).")]
YearOpt = Annotated[int | None, typer.Option("--year", help="MRIO year (default: the dataset's last year).")]
FormatOpt = Annotated[OutFormat, typer.Option("--format", help="Output format.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write to this file (required for xlsx).")]
MetaOpt = Annotated[Path | None, typer.Option(
    "--meta",
    help="With --format csv: write the metadata and column definitions to this Frictionless Data "
         "Package file (default: FILE.datapackage.json beside --out FILE.csv; on standard output "
         "they go to standard error).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of labels: en or zh-Hans.")]
IsolatedOpt = Annotated[bool, typer.Option(
    "--isolated", help="Use only the province's own S×S block (labelled as such).")]
ConcordanceOpt = Annotated[str | None, typer.Option(
    "--concordance",
    help="Concordance of the 47 inventory sectors to the IO sectors: a CSV file in the layout of the "
         "packaged one (edit a copy to change a rule), or 'default' for the packaged one. Default: the "
         "dataset's current one.")]
