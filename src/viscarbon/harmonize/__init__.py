"""harmonize: inventory → IO sectors through a concordance with visible allocation rules,
and the reconciliation report (inventory vs mapped vs the MRIO's own CO2 row).

Receives model objects, never paths. Public API (imported lazily, so this package stays
light): :func:`build_co2_satellite`, :func:`nearest_table_year`,
:func:`adapt_concordance`, :class:`ReconciliationReport`, :class:`ReconciliationRow`, :class:`HarmonizeNote`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "HarmonizeNote",
    "ReconciliationReport",
    "ReconciliationRow",
    "adapt_concordance",
    "build_co2_satellite",
    "nearest_table_year",
]

if TYPE_CHECKING:
    from viscarbon.harmonize.co2 import (
        HarmonizeNote,
        ReconciliationReport,
        ReconciliationRow,
        adapt_concordance,
        build_co2_satellite,
        nearest_table_year,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        from viscarbon.harmonize import co2

        return getattr(co2, name)
    raise AttributeError(f"module 'viscarbon.harmonize' has no attribute {name!r}")
