"""viscarbon: precision decarbonization roadmapping of Chinese provinces.

Reads the CEADs provincial MRIO tables and CO2 inventories, computes where carbon is
emitted and for whom (Leontief, consumption- vs production-based accounts, embodied
trade), and shows it in a bilingual (简体中文 / English) offline dashboard.
"""

from __future__ import annotations

from viscarbon._version import __version__
from viscarbon.errors import (
    BalanceError,
    DataError,
    LayoutError,
    NotFound,
    StoreError,
    UnknownCode,
    UnknownRegion,
    UnknownSector,
    ViscarbonError,
)

__all__ = [
    "BalanceError",
    "DataError",
    "LayoutError",
    "NotFound",
    "StoreError",
    "UnknownCode",
    "UnknownRegion",
    "UnknownSector",
    "ViscarbonError",
    "__version__",
]
