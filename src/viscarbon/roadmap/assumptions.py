"""The assumptions of a roadmap (``data/assumptions.toml``) and the measured GDP table
(``data/gdp.csv``): loaded, validated, overridden by a scenario.

Everything in :class:`Assumptions` is an *assumption* and is labelled so in every output;
:class:`GdpTable` holds measurements (NBS) and says where it stops.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon.calc.pathway import annual_rates, interpolate_anchors
from viscarbon.classification import families, sectors
from viscarbon.errors import DataError
from viscarbon.model import Axis

__all__ = [
    "Assumptions",
    "BenchmarkGroup",
    "GdpTable",
    "default_assumptions",
    "gdp_table",
    "load_assumptions",
    "uncertainty_defaults",
]

Arr = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BenchmarkGroup:
    """A benchmark pathway ``g(t) = I(t)/I(base_year)`` at the anchor years."""

    code: str
    label_en: str
    label_zh_hans: str
    ratio: tuple[float, ...]

    def label(self, lang: str | None = None) -> str:
        return self.label_zh_hans if (lang or "").startswith("zh") else self.label_en


@dataclass(frozen=True)
class Assumptions:
    """The assumptions behind every pathway (fractions: 0.05 = 5 %).

    ``gdp_from``/``gdp_rate`` real GDP growth after the measured table (piecewise constant);
    ``trend_min``/``trend_max``/``trend_fallback`` the clip and fallback of the baseline's
    intensity trend (per year); ``households_rate`` the change of households' direct CO2 per
    unit of their consumption (per year); ``removal_start`` the first year of Carbon
    Removal; ``electricity_per_fuel`` 10,000 yuan of power per 10,000 yuan of fuel replaced
    by electrification; ``anchor_years``/``groups`` the secda benchmark pathways and
    ``sector_groups`` (list id → sector code → group), ``family_groups`` (family → group)
    the sector mapping; ``sources`` one line of provenance per section; ``overridden`` the
    names a scenario changed.
    """

    gdp_from: tuple[int, ...]
    gdp_rate: tuple[float, ...]
    trend_min: float
    trend_max: float
    trend_fallback: float
    households_rate: float
    removal_start: int
    electricity_per_fuel: float
    base_year: int
    anchor_years: tuple[int, ...]
    groups: Mapping[str, BenchmarkGroup]
    sector_groups: Mapping[str, Mapping[str, str]]
    family_groups: Mapping[str, str]
    sources: Mapping[str, str]
    households_benchmark: tuple[float, ...] = ()
    version: str = ""
    overridden: tuple[str, ...] = field(default=())

    def group_of(self, axis: Axis) -> tuple[str, ...]:
        """The benchmark group of every sector of ``axis`` (by its list, else by family;
        ``industry`` for a custom list whose codes are unknown)."""
        explicit = self.sector_groups.get(axis.list_id or "", {})
        fam: dict[str, str] = {}
        if axis.list_id in self.sector_groups:
            fam = {s.code: s.family for s in sectors(axis.list_id)}
        out = []
        for code in axis.codes:
            g = explicit.get(code) or self.family_groups.get(fam.get(code, ""), "industry")
            out.append(g)
        return tuple(out)

    def benchmark_ratio(self, axis: Axis, years: Arr, t0: int) -> Arr:
        """``g_s(t)`` (T × S) re-based to ``t0``: ``ratio(t) / ratio(t0)``."""
        grp = self.group_of(axis)
        anchors = np.array([self.groups[g].ratio for g in grp]).T  # anchors × S
        g = interpolate_anchors(years, self.anchor_years, anchors)
        g0 = interpolate_anchors(np.array([t0]), self.anchor_years, anchors)[0]
        return g / np.where(g0 > 0, g0, 1.0)

    def households_ratio(self, years: Arr, t0: int) -> Arr:
        """The secda pathway of households' direct CO2 per unit of consumption, re-based
        to ``t0`` (T,); 1 throughout when the file has none."""
        if not self.households_benchmark:
            return np.ones(len(years))
        h = np.asarray(self.households_benchmark)
        g = interpolate_anchors(years, self.anchor_years, h)
        g0 = float(interpolate_anchors(np.array([t0]), self.anchor_years, h)[0])
        return g / (g0 if g0 > 0 else 1.0)

    def growth_rates(self, years: Arr, gdp: GdpTable) -> Arr:
        """Real GDP growth per year: measured (NBS) through the table's last year, assumed
        after it."""
        assumed = annual_rates(years, self.gdp_from, self.gdp_rate)
        out = np.array([gdp.growth.get(int(y), float(a)) for y, a in zip(years, assumed, strict=True)])
        return out

    def labelled(self) -> dict[str, object]:
        """The assumptions as plain data, each section with its source (for outputs)."""
        return {
            "status": "assumption",
            "version": self.version,
            "gdp_growth": {"from_year": list(self.gdp_from), "rate": list(self.gdp_rate),
                           "source": self.sources.get("gdp_growth", "")},
            "intensity_trend": {"min_rate": self.trend_min, "max_rate": self.trend_max,
                                "fallback_rate": self.trend_fallback,
                                "source": self.sources.get("intensity_trend", "")},
            "households_rate": self.households_rate,
            "removal_start": self.removal_start,
            "electricity_per_fuel": self.electricity_per_fuel,
            "benchmarks": {"base_year": self.base_year, "anchor_years": list(self.anchor_years),
                           "groups": {k: list(g.ratio) for k, g in self.groups.items()},
                           "households": list(self.households_benchmark),
                           "source": self.sources.get("benchmarks", "")},
            "overridden": list(self.overridden),
        }


def _need(d: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise DataError(f"assumptions: missing {key!r}", where=where)
    return d[key]


def _number(v: Any, key: str, where: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v) or not lo <= v <= hi:
        raise DataError(f"assumptions: {key} must be a number in [{lo}, {hi}], got {v!r}", where=where)
    return float(v)


def _parse(raw: Mapping[str, Any], where: str) -> Assumptions:
    gdp = _need(raw, "gdp_growth", where)
    trend = _need(raw, "intensity_trend", where)
    bm = _need(raw, "benchmarks", where)
    anchors = tuple(int(y) for y in _need(bm, "anchor_years", where))
    if list(anchors) != sorted(set(anchors)) or len(anchors) < 2:
        raise DataError("assumptions: benchmarks.anchor_years must be increasing", where=where)
    groups: dict[str, BenchmarkGroup] = {}
    for code, g in _need(bm, "groups", where).items():
        ratio = tuple(_number(v, f"benchmarks.groups.{code}.ratio", where, 0.0, 10.0) for v in g["ratio"])
        if len(ratio) != len(anchors):
            raise DataError(f"assumptions: benchmarks.groups.{code}.ratio has {len(ratio)} values, "
                            f"anchor_years {len(anchors)}", where=where)
        groups[code] = BenchmarkGroup(code, g.get("label_en", code), g.get("label_zh_hans", code), ratio)
    sector_groups: dict[str, dict[str, str]] = {}
    for list_id, by_group in bm.get("sectors", {}).items():
        m: dict[str, str] = {}
        for grp, codes in by_group.items():
            if grp not in groups:
                raise DataError(f"assumptions: benchmarks.sectors.{list_id} names unknown group {grp!r}",
                                where=where, hint="groups: " + ", ".join(groups))
            for c in codes:
                m[str(c)] = grp
        sector_groups[list_id] = m
    family_groups = {str(k): str(v) for k, v in bm.get("families", {}).items()}
    known_families = {f.code for f in families()}
    for fam, grp in family_groups.items():
        if fam not in known_families or grp not in groups:
            raise DataError(f"assumptions: benchmarks.families.{fam} = {grp!r} is not a known family/group",
                            where=where)
    if "industry" not in groups:
        raise DataError("assumptions: a benchmark group 'industry' is required (the fallback)", where=where)
    from_years = tuple(int(y) for y in _need(gdp, "from_year", where))
    rates = tuple(_number(v, "gdp_growth.rate", where, -0.2, 0.3) for v in _need(gdp, "rate", where))
    if len(from_years) != len(rates) or list(from_years) != sorted(from_years):
        raise DataError("assumptions: gdp_growth.from_year must be increasing and as long as rate", where=where)
    removal = raw.get("removal", {})
    return Assumptions(
        gdp_from=from_years, gdp_rate=rates,
        trend_min=_number(trend.get("min_rate", -0.06), "intensity_trend.min_rate", where, -0.5, 0.0),
        trend_max=_number(trend.get("max_rate", 0.0), "intensity_trend.max_rate", where, -0.5, 0.5),
        trend_fallback=_number(trend.get("fallback_rate", -0.02), "intensity_trend.fallback_rate", where, -0.5, 0.5),
        households_rate=_number(raw.get("households", {}).get("rate", -0.02), "households.rate", where, -0.5, 0.5),
        removal_start=int(removal.get("start_year", 2030)),
        electricity_per_fuel=_number(raw.get("electrification", {}).get("electricity_per_fuel", 0.5),
                                     "electrification.electricity_per_fuel", where, 0.0, 5.0),
        households_benchmark=tuple(
            _number(v, "benchmarks.households.ratio", where, 0.0, 10.0)
            for v in bm.get("households", {}).get("ratio", ())),
        base_year=int(_need(bm, "base_year", where)), anchor_years=anchors, groups=groups,
        sector_groups=sector_groups, family_groups=family_groups,
        sources={k: str(raw[k].get("source", "")) for k in raw if isinstance(raw[k], dict)},
        version=str(raw.get("meta", {}).get("version", "")),
    )


def load_assumptions(path: str | Path) -> Assumptions:
    """Read an assumptions file in the format of the shipped ``assumptions.toml``."""
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"assumptions: not valid TOML: {exc}", where=str(p)) from exc
    return _parse(raw, str(p))


@cache
def default_assumptions() -> Assumptions:
    """The shipped defaults (``viscarbon/roadmap/data/assumptions.toml``)."""
    text = resources.files("viscarbon.roadmap").joinpath("data/assumptions.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text), "assumptions.toml (shipped)")


@cache
def uncertainty_defaults() -> dict[str, float | int]:
    """The ``[uncertainty]`` defaults of the shipped ``assumptions.toml`` (the Monte Carlo:
    draws, seed, block, intensity_cv, power_cv, growth_sd, coefficient_cv)."""
    text = resources.files("viscarbon.roadmap").joinpath("data/assumptions.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text).get("uncertainty", {})
    ints = ("draws", "seed", "block")
    floats = ("intensity_cv", "power_cv", "growth_sd", "coefficient_cv", "regional_growth_sd")
    out: dict[str, float | int] = {k: int(raw[k]) for k in ints if k in raw}
    out.update({k: _number(raw[k], f"uncertainty.{k}", "assumptions.toml (shipped)", 0.0, 2.0)
                for k in floats if k in raw})
    return out


def with_overrides(base: Assumptions, **changes: Any) -> Assumptions:
    """``base`` with the named fields replaced (names recorded in ``overridden``)."""
    if not changes:
        return base
    return replace(base, **changes, overridden=tuple(sorted(set(base.overridden) | set(changes))))


@dataclass(frozen=True)
class GdpTable:
    """National real GDP growth (fraction per year, NBS) and nominal GDP (100 million yuan,
    current prices) where shipped; ``index(y)`` the real index (first year = 1)."""

    growth: Mapping[int, float]
    nominal: Mapping[int, float]
    first_year: int
    last_year: int

    def real_index(self, year: int, base: int) -> float | None:
        """Real GDP of ``year`` relative to ``base`` (None outside the table)."""
        lo, hi = sorted((year, base))
        if lo < self.first_year - 1 or hi > self.last_year:
            return None
        v = 1.0
        for y in range(lo + 1, hi + 1):
            v *= 1.0 + self.growth[y]
        return v if year >= base else 1.0 / v

    def deflator(self, year: int, base: int) -> float | None:
        """The GDP deflator of ``year`` relative to ``base`` (prices of ``year`` / prices of
        ``base``): nominal ratio over real ratio; None where nominal GDP is not shipped."""
        if year not in self.nominal or base not in self.nominal:
            return None
        real = self.real_index(year, base)
        if real is None:
            return None
        return (self.nominal[year] / self.nominal[base]) / real


@cache
def gdp_table() -> GdpTable:
    """The shipped ``gdp.csv`` (see ``viscarbon/roadmap/data/README.md``)."""
    text = resources.files("viscarbon.roadmap").joinpath("data/gdp.csv").read_text(encoding="utf-8")
    growth: dict[int, float] = {}
    nominal: dict[int, float] = {}
    for row in csv.DictReader(text.splitlines()):
        y = int(row["year"])
        growth[y] = float(row["growth_pct"]) / 100.0
        if row["nominal_100m_yuan"]:
            nominal[y] = float(row["nominal_100m_yuan"])
    return GdpTable(growth=growth, nominal=nominal, first_year=min(growth), last_year=max(growth))
