"""The embedded demo dataset: a synthetic, deterministic 31-region × 42-sector MRIO
(2012, 2015, 2017) with CO2 inventories (2012-2018), calibrated to public GRP and CEADs
CO2 totals, its intra-provincial structure to the real top-88 flows of 2012 and 2015
(VisCEADs; 2017 by assumption). Synthetic: say so wherever it is shown (``DemoDataset.banner``).

Public API: :func:`demo_dataset`, :class:`DemoDataset`.
"""

from __future__ import annotations

from viscarbon.demo.dataset import DemoDataset, demo_dataset

__all__ = ["DemoDataset", "demo_dataset"]
