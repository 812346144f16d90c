"""analysis: every analysis of the resolved systems, computed once and cached.

:class:`Workspace` is the façade (datasets, one bounded cache, analyses across years);
:class:`YearAnalysis` every analysis of one dataset-year (accounts, trade, electricity,
networks, key sectors, extraction, structural paths); :func:`factorise` the pure
numerical core (:class:`Coefficients`). Results are immutable and labelled
(:mod:`.results`, :mod:`.keysectors`, :mod:`.extraction`, :mod:`.spa`, :mod:`.sda`).
"""

from __future__ import annotations

from viscarbon.analysis.coefficients import Coefficients, factorise
from viscarbon.analysis.extraction import ExtractionResult, extract
from viscarbon.analysis.headline import Headline, headline
from viscarbon.analysis.indicators import INDICATORS, indicator
from viscarbon.analysis.keysectors import KeySectorResult, key_sectors
from viscarbon.analysis.results import (
    ElectricityAccounts,
    EmissionAccounts,
    InventoryTrend,
    Network,
    RegionIndicators,
    ResultMeta,
    SectorIndicators,
    TradeMatrix,
    Trend,
)
from viscarbon.analysis.scope import EXPORTS_CODE, NATIONAL_CODE, TOTAL_CODE
from viscarbon.analysis.sda import SDAResult, sda
from viscarbon.analysis.spa import SPAPath, SPAResult, spa
from viscarbon.analysis.workspace import Workspace
from viscarbon.analysis.year import MODES, POWER_SECTOR, YearAnalysis

__all__ = [
    "EXPORTS_CODE",
    "INDICATORS",
    "MODES",
    "NATIONAL_CODE",
    "POWER_SECTOR",
    "TOTAL_CODE",
    "Coefficients",
    "ElectricityAccounts",
    "EmissionAccounts",
    "ExtractionResult",
    "Headline",
    "InventoryTrend",
    "KeySectorResult",
    "Network",
    "RegionIndicators",
    "ResultMeta",
    "SDAResult",
    "SPAPath",
    "SPAResult",
    "SectorIndicators",
    "TradeMatrix",
    "Trend",
    "Workspace",
    "YearAnalysis",
    "extract",
    "factorise",
    "headline",
    "indicator",
    "key_sectors",
    "sda",
    "spa",
]
