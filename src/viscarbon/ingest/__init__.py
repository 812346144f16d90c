"""ingest: the use cases that write the store or read it whole.

* importing (:mod:`.importing`, readers keyed by kind in :mod:`.sources`): read →
  validate → harmonize → store, all or nothing;
* linking (:mod:`.linking`): link an IO dataset to an inventory (and a concordance),
  re-harmonizing it atomically;
* housekeeping (:mod:`.housekeeping`): list, remove, rename;
* exporting (:mod:`.exporting`): tidy tables and pymrio folders of a dataset.
"""

from __future__ import annotations

from viscarbon.ingest.exporting import EXPORT_FORMATS, ExportResult, export_dataset
from viscarbon.ingest.housekeeping import dataset_listing, remove_dataset, rename_dataset
from viscarbon.ingest.importing import ImportResult, default_name, import_files
from viscarbon.ingest.linking import LinkResult, inventory_regions, link_dataset
from viscarbon.ingest.sources import SOURCES, Progress

#: The kinds :func:`import_files` takes.
IMPORT_KINDS = tuple(SOURCES)

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_KINDS",
    "ExportResult",
    "ImportResult",
    "LinkResult",
    "Progress",
    "dataset_listing",
    "default_name",
    "export_dataset",
    "import_files",
    "inventory_regions",
    "link_dataset",
    "remove_dataset",
    "rename_dataset",
]
