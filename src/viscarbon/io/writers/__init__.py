"""Writers of model objects and results: tidy tables (:mod:`.tables`: CSV, XLSX, JSON,
Parquet, each with its metadata), CEADs-layout MRIO workbooks (:mod:`.ceads_mrio`) and
pymrio folders (:mod:`.pymrio`)."""

from __future__ import annotations

from viscarbon.io.writers.ceads_mrio import write_ceads_mrio
from viscarbon.io.writers.pymrio import write_pymrio_folder
from viscarbon.io.writers.tables import FORMATS, write_columns, write_table

__all__ = ["FORMATS", "write_ceads_mrio", "write_columns", "write_pymrio_folder", "write_table"]
