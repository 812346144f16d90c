"""How the VisCEADs top-edge files name regions and sectors, in viscarbon codes.

The VisCEADs dashboard (Oxford Roadmapping, 2023) publishes, for each province and table
year, the 88 largest intra-provincial money flows of the CEADs provincial MRIO (Zheng,
Bai, Wei et al. 2021, *Sci Data* 8:244), labelled by short English sector names. The demo
is calibrated to a rounded copy of those flows (``data/intra_targets_2012_2015.csv``,
written by ``scripts/derive_demo_targets.py``); the test that measures the calibration
reads the original file from ``../shared/data/visceads``. Both go through this map.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from viscarbon.classification import normalise_key, regions
from viscarbon.errors import UnknownCode

__all__ = ["VISCEADS_SECTOR_CODES", "visceads_region_code", "visceads_sector_code"]

#: VisCEADs' short English sector names → sector codes of the 42-sector list of 2012
#: (``io42_2012``, ``classification/data/sectors_io42_2012.csv``): the 40 names that occur
#: in the top-88 files of 2012 and 2015 (24, repair of metal products, and 27, water
#: supply, never make a top 88, so their VisCEADs names are not known here). Two spellings are VisCEADs' own: ``Other manuf.`` is 22 and
#: ``Recyclying`` (sic) is 23, comprehensive use of waste resources; ``Leather, fur &
#: feather`` is 08, which in the NBS list also holds wearing apparel; ``Scientific research
#: & Polytechnic services`` is 36 (VisCEADs' README says so).
VISCEADS_SECTOR_CODES: Final[Mapping[str, str]] = MappingProxyType({
    "Agriculture, forestry, husbandry & fishery": "01",
    "Coal mining": "02",
    "Petro & gas extraction": "03",
    "Metal ores mining": "04",
    "Nonmetal and other ores mining": "05",
    "Food & tobacco processing": "06",
    "Textile": "07",
    "Leather, fur & feather": "08",
    "Timber & furniture": "09",
    "Paper, printing and culture, education and sport items": "10",
    "Fuel processing": "11",
    "Chemical manuf.": "12",
    "Non-metallic mineral manuf.": "13",
    "Metal smelting & processing": "14",
    "Metal manuf.": "15",
    "Machinery, general": "16",
    "Machinery, specialized": "17",
    "Equipments, transport": "18",
    "Electrical machinery & equipment": "19",
    "Electronic & computer equipments": "20",
    "Instruments, measurement": "21",
    "Other manuf.": "22",
    "Recyclying": "23",
    "Power & heat prod. & distr.": "25",
    "Gas prod. & distr.": "26",
    "Construction": "28",
    "Wholesale & retail": "29",
    "Transport, storage & postal services": "30",
    "Accommodation & catering": "31",
    "Information & software services": "32",
    "Finance": "33",
    "Real estate": "34",
    "Leasing and commercial services": "35",
    "Scientific research & Polytechnic services": "36",
    "Administration of water, environment & public facilities": "37",
    "Resident, repair & other services": "38",
    "Education": "39",
    "Health care & social work": "40",
    "Culture, sports & entertainment": "41",
    "Public administration, social insurance & organizations": "42",
})


def visceads_sector_code(name: str) -> str:
    """The ``io42_2012`` code of a VisCEADs sector name (exact spelling, outer spaces ignored)."""
    try:
        return VISCEADS_SECTOR_CODES[name.strip()]
    except KeyError:
        raise UnknownCode(f"unknown VisCEADs sector name {name!r}",
                          hint="see viscarbon.demo.visceads.VISCEADS_SECTOR_CODES") from None


def visceads_region_code(name: str) -> str:
    """The region code of a VisCEADs region name: ``Inner Mongolia`` and ``InnerMongolia``
    are both ``NM`` (names compared without spaces, case-insensitively)."""
    key = normalise_key(name)
    for reg in regions():
        if normalise_key(reg.name_en) == key:
            return reg.code
    raise UnknownCode(f"unknown VisCEADs region name {name!r}", hint="an English province name")
