"""The columns of every analysis output, defined once.

Each result's ``as_records`` rows follow one :class:`~viscarbon.io.writers.schema.Schema`
of this module: its column names, types (codes are ``string``), units and descriptions
(``schema`` catalogs, en / zh-Hans). The CSV writer, the ``datapackage.json`` beside a
CSV file, the ``schema`` block of ``--format json``, the ``columns`` sheet of an XLSX
workbook and the Parquet metadata all render from these schemas; a test checks that
every record's keys are its schema's columns and that every column has a description in
both languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from viscarbon.analysis.indicators import INDICATORS
from viscarbon.calc.sda import SDA_FACTORS
from viscarbon.io.writers.schema import Field, Schema, Text

__all__ = [
    "ACCOUNTS",
    "ELECTRICITY",
    "EXTRACTION",
    "INVENTORY_TREND",
    "KEY_SECTORS",
    "ORIGINS",
    "SDA",
    "SPA",
    "TRADE",
    "network_schema",
    "region_indicator_schema",
    "sector_indicator_schema",
    "trend_schema",
]

S, N, INT, B = "string", "number", "integer", "boolean"
MT: Final = "mt_co2"

#: :meth:`EmissionAccounts.as_records` (one row per region).
ACCOUNTS: Final = Schema.of(
    "accounts",
    ("region", S), ("label", S), ("status", S),
    ("production_based_mt", N, MT), ("consumption_based_mt", N, MT), ("embodied_in_exports_mt", N, MT),
    ("production_industry_mt", N, MT), ("households_mt", N, MT), ("emitted_for_exports_mt", N, MT),
    ("net_transfer_mt", N, MT),
    ("inventory_changes_mt", N, MT), ("other_err_mt", N, MT), ("competitive_imports_mt", N, MT),
    ("imports_embodied_estimate_mt", N, MT), ("imports_embodied_exports_estimate_mt", N, MT),
)

#: :meth:`EmissionAccounts.origin_records` (a region's footprint by region-sector of origin).
ORIGINS: Final = Schema.of(
    "origins",
    ("origin_region", S), ("origin_region_label", S), ("sector", S), ("sector_label", S),
    ("co2_mt", N, MT), ("share", N, "fraction"),
)

#: :meth:`TradeMatrix.as_records` (from region × to region, plus ``to_region = EX``).
TRADE: Final = Schema.of(
    "trade",
    ("from_region", S), ("from_label", S), ("to_region", S), ("to_label", S), ("co2_mt", N, MT),
)

#: :meth:`ElectricityAccounts.as_records`.
ELECTRICITY: Final = Schema.of(
    "electricity",
    ("region", S), ("label", S), ("status", S),
    ("production_based_mt", N, MT), ("electricity_adjusted_mt", N, MT), ("difference_mt", N, MT),
    ("power_factor_t_per_10k_yuan", N, "t_per_10k_yuan"),
)


def network_schema(unit: str) -> Schema:
    """:meth:`Network.as_records` (one row per kept edge); ``value`` in the link unit."""
    return Schema.of(
        "network",
        ("source", S), ("source_label", S), ("target", S), ("target_label", S),
        ("value", N, unit), ("share", N, "fraction"), ("rank", INT), ("percentile", N, "percent"),
        ("kept_for_emitter", B),
    )


def trend_schema(unit: str) -> Schema:
    """:meth:`Trend.as_records`; ``value`` in the indicator's unit."""
    return Schema.of("trend", ("region", S), ("year", INT), ("sector", S), ("label", S), ("indicator", S),
                     ("value", N, unit))


#: :meth:`InventoryTrend.as_records`.
INVENTORY_TREND: Final = Schema.of(
    "inventory_trend", ("region", S), ("year", INT), ("sector", S), ("label", S), ("co2_mt", N, MT),
)

#: :meth:`KeySectorResult.as_records`.
KEY_SECTORS: Final = Schema.of(
    "linkages",
    ("region", S), ("region_label", S), ("sector", S), ("sector_label", S),
    ("backward_linkage", N, "dimensionless"), ("forward_linkage", N, "dimensionless"),
    ("quadrant", S), ("quadrant_label", S),
)

#: :meth:`ExtractionResult.as_records`.
EXTRACTION: Final = Schema.of(
    "extract",
    ("region", S), ("region_label", S), ("output_loss_10k_yuan", N, "10k_yuan"),
    ("output_loss_share", N, "fraction"), ("co2_loss_mt", N, MT), ("co2_loss_share", N, "fraction"),
)

#: :meth:`SPAResult.as_records`.
SPA: Final = Schema.of(
    "spa",
    ("rank", INT), ("depth", INT), ("value_mt", N, MT), ("share", N, "fraction"),
    ("emitter_region", S), ("emitter_sector", S), ("final_demand_region", S), ("final_demand_sector", S),
    ("path", S), ("path_label", S),
)

#: :meth:`SDAResult.as_records`.
SDA: Final = Schema(
    "sda",
    (Field("destination", S), Field("destination_label", S), Field("co2_from_mt", N, MT),
     Field("co2_to_mt", N, MT), Field("change_mt", N, MT),
     *(Field(f"{f}_mt", N, MT, description=Text.of("schema.sda.effect",
                                                    factor=Text(f"structural.sda.factor.{f}")))
       for f in SDA_FACTORS),
     Field("households_direct_change_mt", N, MT)),
)


def _indicator_fields(code: str, unit: str, *, ranked: bool) -> list[Field]:
    name = Text(f"analysis.indicator.{code}")
    definition = Text(f"analysis.indicator.{code}.description")
    value = Field(code, N, unit, title=name,
                  description=Text.of("schema.column.indicator_value", indicator=name, definition=definition))
    if not ranked:
        return [value]
    return [
        value,
        Field(f"{code}_share", N, "fraction", description=Text.of("schema.column.indicator_share", indicator=name)),
        Field(f"{code}_rank", INT, description=Text.of("schema.column.indicator_rank", indicator=name)),
        Field(f"{code}_percentile", N, "percent",
              description=Text.of("schema.column.indicator_percentile", indicator=name)),
    ]


def sector_indicator_schema(units: Iterable[tuple[str, str]]) -> Schema:
    """:meth:`SectorIndicators.as_records`: region, sector, label, then value, share,
    rank and percentile of every indicator ``(code, unit)``."""
    fields = [Field("region", S), Field("sector", S), Field("label", S)]
    for code, unit in units:
        fields += _indicator_fields(code, unit, ranked=True)
    return Schema("sectors", tuple(fields))


def region_indicator_schema(codes: Iterable[str]) -> Schema:
    """:meth:`RegionIndicators.as_records`: region, label, status, every indicator's
    region value, production- and consumption-based CO2."""
    fields = [Field("region", S), Field("label", S), Field("status", S)]
    for code in codes:
        fields += _indicator_fields(code, INDICATORS[code].unit, ranked=False)
    fields += [Field("production_based_mt", N, MT), Field("consumption_based_mt", N, MT)]
    return Schema("provinces", tuple(fields))
