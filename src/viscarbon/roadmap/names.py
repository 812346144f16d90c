"""How a roadmap names its regions and sectors for people (one place for the assistant,
the report and the dashboard's Roadmap tab)."""

from __future__ import annotations

from viscarbon.classification import SECTOR_LISTS, label
from viscarbon.i18n import t
from viscarbon.roadmap.baseline import RoadmapBase
from viscarbon.roadmap.run import NATION

__all__ = ["HOUSEHOLDS", "region_name", "sector_name"]

#: The code of households' direct CO2 in sector-level results.
HOUSEHOLDS = "HH"


def region_name(code: str, lang: str) -> str:
    """A province's name, or "China" for the nation (``CN``), in ``lang``."""
    return t("roadmap.nation", lang) if code == NATION else label("region", code, lang)


def sector_name(base: RoadmapBase, code: str, lang: str, *, short: bool = True) -> str:
    """A sector's name in ``lang`` (the short form of the CEADs 42-sector lists when
    ``short``); households' direct CO2 for ``HH``; the table's own label for other lists,
    the code where the table has none."""
    if code == HOUSEHOLDS:
        return t("roadmap.households", lang)
    lst = base.sectors.list_id
    if lst in SECTOR_LISTS:
        return label("sector", code, lang, list_id=lst, short=short)
    return base.sectors.labels(lang)[base.sectors.index(code)] or code
