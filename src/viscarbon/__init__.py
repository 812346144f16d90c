"""viscarbon: precision decarbonization roadmapping of Chinese provinces.

Reads the CEADs provincial MRIO tables and CO2 inventories, computes where carbon is
emitted and for whom (Leontief, consumption- vs production-based accounts, embodied
trade, key sectors, structural paths and decompositions), and shows it in a bilingual
(简体中文 / English) offline dashboard.

The public Python API (``docs/python-api.md``), importable from here::

    import viscarbon as vc
    ws = vc.Workspace()                       # the embedded (synthetic) demo; vc.Workspace(path) for a store
    accounts = ws.year("demo", 2017).accounts()

Names are resolved on first use, so ``import viscarbon.errors`` stays light and the
layers below never import the ones above.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from viscarbon._version import __version__
from viscarbon.errors import (
    BalanceError,
    DataError,
    LayoutError,
    NotFound,
    ScenarioError,
    StoreError,
    UnknownCode,
    UnknownRegion,
    UnknownSector,
    ViscarbonError,
)

if TYPE_CHECKING:
    from viscarbon.analysis import Coefficients, Workspace, YearAnalysis, factorise
    from viscarbon.datasets import Catalog, DatasetInfo, ResolvedSystem, open_store
    from viscarbon.demo import demo_dataset
    from viscarbon.harmonize import build_co2_satellite, impute_missing_regions
    from viscarbon.ingest import (
        export_dataset,
        import_files,
        link_dataset,
        remove_dataset,
        rename_dataset,
    )
    from viscarbon.io.readers import (
        read_ceads_mrio,
        read_inventory_workbook,
        read_national_inventory,
        read_nbs_io,
        read_pymrio_folder,
    )
    from viscarbon.io.readers.concordance import read_concordance
    from viscarbon.io.writers import write_ceads_mrio, write_pymrio_folder, write_table
    from viscarbon.model import (
        Axis,
        EEIOSystem,
        InventoryTable,
        IOTable,
        Provenance,
        SatelliteAccount,
    )
    from viscarbon.roadmap import (
        Roadmap,
        Roadmapper,
        Scenario,
        default_assumptions,
        default_targets,
        load_scenario,
        parse_scenario,
    )

#: public name → the module that defines it
_LAZY: Final[dict[str, str]] = {
    # the analysis façade
    "Workspace": "viscarbon.analysis", "YearAnalysis": "viscarbon.analysis",
    "Coefficients": "viscarbon.analysis", "factorise": "viscarbon.analysis",
    # datasets and stores
    "Catalog": "viscarbon.datasets", "DatasetInfo": "viscarbon.datasets",
    "ResolvedSystem": "viscarbon.datasets", "open_store": "viscarbon.datasets",
    "demo_dataset": "viscarbon.demo",
    # use cases that write the store or read it whole
    "import_files": "viscarbon.ingest", "link_dataset": "viscarbon.ingest",
    "export_dataset": "viscarbon.ingest", "remove_dataset": "viscarbon.ingest",
    "rename_dataset": "viscarbon.ingest",
    # readers and writers
    "read_ceads_mrio": "viscarbon.io.readers", "read_inventory_workbook": "viscarbon.io.readers",
    "read_national_inventory": "viscarbon.io.readers", "read_nbs_io": "viscarbon.io.readers",
    "read_pymrio_folder": "viscarbon.io.readers", "read_concordance": "viscarbon.io.readers.concordance",
    "write_table": "viscarbon.io.writers", "write_ceads_mrio": "viscarbon.io.writers",
    "write_pymrio_folder": "viscarbon.io.writers",
    # harmonization
    "build_co2_satellite": "viscarbon.harmonize", "impute_missing_regions": "viscarbon.harmonize",
    # roadmaps
    "Roadmapper": "viscarbon.roadmap", "Roadmap": "viscarbon.roadmap", "Scenario": "viscarbon.roadmap",
    "load_scenario": "viscarbon.roadmap", "parse_scenario": "viscarbon.roadmap",
    "default_targets": "viscarbon.roadmap", "default_assumptions": "viscarbon.roadmap",
    # core types
    "Axis": "viscarbon.model", "IOTable": "viscarbon.model", "SatelliteAccount": "viscarbon.model",
    "EEIOSystem": "viscarbon.model", "InventoryTable": "viscarbon.model", "Provenance": "viscarbon.model",
}

__all__ = [
    "Axis",
    "BalanceError",
    "Catalog",
    "Coefficients",
    "DataError",
    "DatasetInfo",
    "EEIOSystem",
    "IOTable",
    "InventoryTable",
    "LayoutError",
    "NotFound",
    "Provenance",
    "ResolvedSystem",
    "Roadmap",
    "Roadmapper",
    "SatelliteAccount",
    "Scenario",
    "ScenarioError",
    "StoreError",
    "UnknownCode",
    "UnknownRegion",
    "UnknownSector",
    "ViscarbonError",
    "Workspace",
    "YearAnalysis",
    "__version__",
    "build_co2_satellite",
    "default_assumptions",
    "default_targets",
    "demo_dataset",
    "export_dataset",
    "factorise",
    "import_files",
    "impute_missing_regions",
    "link_dataset",
    "load_scenario",
    "open_store",
    "parse_scenario",
    "read_ceads_mrio",
    "read_concordance",
    "read_inventory_workbook",
    "read_national_inventory",
    "read_nbs_io",
    "read_pymrio_folder",
    "remove_dataset",
    "rename_dataset",
    "write_ceads_mrio",
    "write_pymrio_folder",
    "write_table",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'viscarbon' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
