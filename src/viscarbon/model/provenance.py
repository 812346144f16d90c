"""Where a number came from."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Provenance"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Source of a model object: publisher, product, vintage, the file and its SHA-256.

    ``synthetic`` is true for the generated demo dataset; it must be shown wherever the
    data is shown.
    """

    source: str  # "CEADs", "NBS", "pymrio", "viscarbon demo"
    product: str  # "provincial inventory", "MRIO", "national IO table" ...
    vintage: str  # "release 2021", "2012-2017 (Zheng et al. 2021)", "2018-2020" ...
    file_name: str = ""
    sha256: str = ""
    sheet: str = ""
    importer_version: str = ""
    notes: str = ""
    citation: str = ""
    synthetic: bool = False
