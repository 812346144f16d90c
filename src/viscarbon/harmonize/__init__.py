"""harmonize: inventory → IO sectors through a concordance with visible allocation rules,
the imputation overlay for regions without inventory, and the reconciliation report
(inventory vs mapped vs the MRIO's own CO2 row).

Receives model objects, never paths (an import-linter contract forbids ``harmonize → io``).
"""

from __future__ import annotations

from viscarbon.harmonize.co2 import (
    HarmonizeNote,
    ReconciliationReport,
    ReconciliationRow,
    adapt_concordance,
    build_co2_satellite,
    impute_missing_regions,
    nearest_table_year,
    report_from_json,
    report_to_json,
)

__all__ = [
    "HarmonizeNote",
    "ReconciliationReport",
    "ReconciliationRow",
    "adapt_concordance",
    "build_co2_satellite",
    "impute_missing_regions",
    "nearest_table_year",
    "report_from_json",
    "report_to_json",
]
