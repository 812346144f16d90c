"""The indicator registry: every node (sector) indicator the engine computes, its unit,
catalog keys and how to read it. Codes are keys; labels live in the ``analysis`` i18n
catalogs (``analysis.indicator.<code>`` and ``analysis.indicator.<code>.description``),
units in ``analysis.unit.<unit>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from viscarbon.errors import UnknownCode
from viscarbon.i18n import t

__all__ = ["DIRECTIONS", "INDICATORS", "UNITS", "Indicator", "indicator", "unit_label"]

#: Unit codes used by analysis results.
UNITS: Final = ("10k_yuan", "mt", "t_per_10k_yuan", "dimensionless")
#: How to read an indicator: more is worse (emissions), or neutral (size, centrality).
DIRECTIONS: Final = ("higher_is_worse", "neutral")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: ``code``, ``unit`` (one of :data:`UNITS`), ``direction``,
    ``additive`` (shares of the province total and region totals make sense),
    ``carbon`` (needs the CO2 inventory: unknown for a region whose status is missing)
    and ``network`` (depends on the link mode: money or carbon)."""

    code: str
    unit: str
    direction: str
    additive: bool
    carbon: bool
    network: bool = False

    @property
    def key(self) -> str:
        """Catalog key of the name (``analysis.indicator.<code>``)."""
        return f"analysis.indicator.{self.code}"

    @property
    def description_key(self) -> str:
        return f"analysis.indicator.{self.code}.description"

    def label(self, lang: str | None = None) -> str:
        return t(self.key, lang)

    def description(self, lang: str | None = None) -> str:
        return t(self.description_key, lang)

    def unit_label(self, lang: str | None = None) -> str:
        return unit_label(self.unit, lang)


def unit_label(unit: str, lang: str | None = None) -> str:
    """Localised label of a unit code (``mt`` → "Mt CO2" / "百万吨 CO2")."""
    if unit not in UNITS:
        raise UnknownCode(f"unknown unit {unit!r}", hint="use one of: " + ", ".join(UNITS))
    return t(f"analysis.unit.{unit}", lang)


_ALL = (
    Indicator("output", "10k_yuan", "neutral", additive=True, carbon=False),
    Indicator("value_added", "10k_yuan", "neutral", additive=True, carbon=False),
    Indicator("imports", "10k_yuan", "neutral", additive=True, carbon=False),
    Indicator("exports", "10k_yuan", "neutral", additive=True, carbon=False),
    Indicator("final_use", "10k_yuan", "neutral", additive=True, carbon=False),
    Indicator("co2", "mt", "higher_is_worse", additive=True, carbon=True),
    Indicator("intensity", "t_per_10k_yuan", "higher_is_worse", additive=False, carbon=True),
    Indicator("multiplier", "t_per_10k_yuan", "higher_is_worse", additive=False, carbon=True),
    Indicator("upstream", "t_per_10k_yuan", "higher_is_worse", additive=False, carbon=True),
    Indicator("cba_co2", "mt", "higher_is_worse", additive=True, carbon=True),
    Indicator("backward_linkage", "dimensionless", "neutral", additive=False, carbon=False),
    Indicator("forward_linkage", "dimensionless", "neutral", additive=False, carbon=False),
    Indicator("in_strength", "10k_yuan", "neutral", additive=True, carbon=False, network=True),
    Indicator("out_strength", "10k_yuan", "neutral", additive=True, carbon=False, network=True),
    Indicator("pagerank", "dimensionless", "neutral", additive=True, carbon=False, network=True),
    Indicator("betweenness", "dimensionless", "neutral", additive=False, carbon=False, network=True),
)

#: code → :class:`Indicator`, in display order.
INDICATORS: Final[dict[str, Indicator]] = {i.code: i for i in _ALL}


def indicator(code: str) -> Indicator:
    """Look up an indicator; :class:`UnknownCode` lists the allowed codes."""
    try:
        return INDICATORS[code]
    except KeyError:
        raise UnknownCode(f"unknown indicator {code!r}", hint="use one of: " + ", ".join(INDICATORS)) from None
