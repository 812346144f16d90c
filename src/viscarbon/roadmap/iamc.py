"""A roadmap as an IAMC long table (model, scenario, region, variable, unit, year, value),
written as plain CSV or XLSX (``data`` + ``meta`` sheets) that ``pyam`` loads.

Scenarios: ``baseline``, the scenario's id (when it is not the baseline) and
``<id>-secda`` (the secda targets on the scenario's activity). Regions: the English names of
the region list (``Guangdong``) and ``China`` (the sum of the provinces with CO2); trade
is directional, ``Shanxi>Guangdong`` = CO2 emitted in Shanxi for Guangdong's final demand.

Variables (declared in ``data/definitions``, checked by :mod:`viscarbon.roadmap.codelist`):

==================================================  ==========================  =================================
variable                                            unit                        value
==================================================  ==========================  =================================
``Emissions|CO2|Production-based``                  Mt CO2/yr                   ``PBA_r = Σ_{i∈r} F_i + Σ_{c∈r} F_Y,c``
``Emissions|CO2|Production-based|<sector>``         Mt CO2/yr                   ``F_i = f_i x_i``
``Emissions|CO2|Households``                        Mt CO2/yr                   ``Σ_{c∈r} F_Y,c``
``Emissions|CO2|Consumption-based``                 Mt CO2/yr                   ``CBA_s = Σ_r T_rs + Σ_{c∈s} F_Y,c``
``Emissions|CO2|Electricity-adjusted``              Mt CO2/yr                   power CO2 passed to its users
``Emissions|CO2|Embodied in trade`` (``r>s``)       Mt CO2/yr                   ``T_rs``, r ≠ s
``Emissions|CO2|Embodied in exports``               Mt CO2/yr                   ``T_r,EX`` (foreign exports)
``Carbon Removal``                                  Mt CO2/yr                   ``E(t) · clip((t − start)/(Y − start), 0, 1)``
``Emissions|CO2|Net``                               Mt CO2/yr                   ``PBA − Carbon Removal``
``GDP|Value Added``                                 billion CNY_<t0>/yr         ``VA_r = Σ_{i∈r} v_i x_i`` / 10⁵
``Output`` / ``Output|<sector>``                    billion CNY_<t0>/yr         ``x`` / 10⁵
``Carbon Intensity|Production-based``               t CO2/10000 CNY_<t0>        ``10⁶ PBA_r / VA_r``
``Carbon Intensity|<sector>``                       t CO2/10000 CNY_<t0>        ``10⁶ f_i`` (direct)
==================================================  ==========================  =================================

Money: the model's 10,000 yuan at t0 prices divided by 10⁵ gives billion yuan (CNY) at t0
prices, the IAMC unit style (``billion USD_2010/yr``); intensities stay in the project's
t CO2 per 10,000 yuan at t0 prices. The secda scenario carries the CO2 variables it
defines (production-based, by sector, households, removal, net, intensity by sector).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import SECTOR_LISTS, region, sectors
from viscarbon.errors import UnknownRegion
from viscarbon.io.writers.iamc import IAMC_COLUMNS, IamcFormat, write_iamc, write_iamc_meta_csv
from viscarbon.roadmap.engine import T_PER_MT
from viscarbon.roadmap.run import NATION, Roadmap

__all__ = [
    "CHINA",
    "MODEL",
    "TRADE_SEPARATOR",
    "iamc_columns",
    "iamc_meta",
    "meta_path",
    "money_unit",
    "region_name",
    "resolve_regions",
    "scenario_names",
    "sector_names",
    "write_roadmap_iamc",
]

CHINA: Final = "China"
MODEL: Final = f"viscarbon {__version__}"
TRADE_SEPARATOR: Final = ">"
MT: Final = "Mt CO2/yr"
#: 10,000 yuan → billion yuan
TO_BILLION: Final = 1e-5

Arr = NDArray[np.float64]


def money_unit(t0: int) -> str:
    """The IAMC unit of money at t0 prices: ``billion CNY_2017/yr``."""
    return f"billion CNY_{t0}/yr"


def intensity_unit(t0: int) -> str:
    """t CO2 per 10,000 yuan at t0 prices: ``t CO2/10000 CNY_2017``."""
    return f"t CO2/10000 CNY_{t0}"


def region_name(code: str) -> str:
    """The IAMC region name of a code: ``GD`` → ``Guangdong``, ``CN`` → ``China``; a code
    outside the region list (a custom dataset) stays as it is."""
    if code == NATION:
        return CHINA
    try:
        return region(code).name_en
    except UnknownRegion:
        return code


def sector_names(rm: Roadmap) -> tuple[str, ...]:
    """The sector names in variables: the short English names of the sector list
    (``Metal smelting``); a custom list keeps its English labels."""
    axis = rm.base.sectors
    if axis.list_id in SECTOR_LISTS:
        by_code = {s.code: s.short_en for s in sectors(axis.list_id)}
        return tuple(by_code.get(c, c) for c in axis.codes)
    return tuple(axis.labels_en)


def resolve_regions(rm: Roadmap, regions: str | Sequence[str]) -> tuple[str, ...]:
    """Region codes to export: ``"all"`` = every province with data and CN; otherwise the
    codes given (``CN`` for the nation), each checked against the dataset's regions."""
    if isinstance(regions, str):
        regions = [r for r in regions.replace(",", " ").split() if r]
    codes = [r.strip().upper() for r in regions]
    have = rm.regions
    if any(c == "ALL" for c in codes):
        # a national dataset's one region is CN itself: listed once
        return tuple(dict.fromkeys((*have, NATION)))
    bad = [c for c in codes if c not in have and c != NATION]
    if bad or not codes:
        raise UnknownRegion(f"unknown region {', '.join(bad) or '(none)'!r}",
                            hint="use all, CN or one of: " + ", ".join(have))
    return tuple(dict.fromkeys(codes))


def scenario_names(rm: Roadmap) -> dict[str, str]:
    """pathway → IAMC scenario name."""
    sid = rm.scenario_def.id
    out = {"baseline": "baseline"}
    if sid != "baseline":
        out["scenario"] = sid
    out["secda"] = f"{sid}-secda"
    return out


class _Rows:
    """Column buffers of an IAMC table, filled block by block."""

    def __init__(self, years: NDArray[np.int64]):
        self.years = years
        self.parts: dict[str, list[NDArray[Any]]] = {k: [] for k in IAMC_COLUMNS}

    def add(self, scenario: str, region: str, variable: str, unit: str, values: Arr) -> None:
        T = len(self.years)
        for k, v in (("model", MODEL), ("scenario", scenario), ("region", region),
                     ("variable", variable), ("unit", unit)):
            self.parts[k].append(np.full(T, v, dtype=object))
        self.parts["year"].append(self.years)
        self.parts["value"].append(np.asarray(values, dtype=np.float64))

    def columns(self) -> dict[str, NDArray[Any]]:
        out: dict[str, NDArray[Any]] = {}
        for k, v in self.parts.items():
            out[k] = np.concatenate(v) if v else np.zeros(0, dtype=object)
        return out


def iamc_columns(rm: Roadmap, regions: str | Sequence[str] = "all") -> dict[str, NDArray[Any]]:
    """The IAMC long table of ``rm`` for ``regions`` (see the module docstring for every
    variable, its unit and equation). Regions without CO2 in the dataset get the money
    variables only; trade rows are kept where any year is non-zero and either end is one
    of the regions asked for."""
    base = rm.base
    codes = resolve_regions(rm, regions)
    years = rm.years
    t0 = base.t0
    money, inten = money_unit(t0), intensity_unit(t0)
    names = sector_names(rm)
    R, S = base.n_regions, base.n_sectors
    rep = base.reported
    rows = _Rows(years)
    scen = scenario_names(rm)
    idx = {c: i for i, c in enumerate(rm.regions)}
    for name, sname in scen.items():
        is_secda = name == "secda"
        pba = rm.pba(name)
        co2 = rm.sector_co2(name)
        hh = rm.households(name)
        removal = rm.removal[name]
        path = None if is_secda else rm.pathway(name)
        x = (rm.scenario if is_secda else rm.pathway(name)).x
        va = (rm.scenario if is_secda else rm.pathway(name)).va
        for code in codes:
            national = code == NATION
            rname = region_name(code)
            if national:
                sel = np.flatnonzero(rep)
                has_co2 = bool(rep.any())
            else:
                sel = np.array([idx[code]])
                has_co2 = bool(rep[idx[code]])

            def tot(a: Arr, _sel: NDArray[np.intp] = sel) -> Arr:
                out: Arr = a[:, _sel].sum(axis=1)
                return out

            by_sector_x = x.reshape(len(years), R, S)[:, sel, :].sum(axis=1)
            gdp = tot(va)
            if not is_secda:
                rows.add(sname, rname, "GDP|Value Added", money, gdp * TO_BILLION)
                rows.add(sname, rname, "Output", money, by_sector_x.sum(axis=1) * TO_BILLION)
                for s in range(S):
                    rows.add(sname, rname, f"Output|{names[s]}", money, by_sector_x[:, s] * TO_BILLION)
            if not has_co2:
                continue
            e = tot(pba)
            rows.add(sname, rname, "Emissions|CO2|Production-based", MT, e)
            by_sector = co2.reshape(len(years), R, S)[:, sel, :].sum(axis=1)
            for s in range(S):
                rows.add(sname, rname, f"Emissions|CO2|Production-based|{names[s]}", MT, by_sector[:, s])
            rows.add(sname, rname, "Emissions|CO2|Households", MT, tot(hh))
            rem = tot(removal)
            rows.add(sname, rname, "Carbon Removal", MT, rem)
            rows.add(sname, rname, "Emissions|CO2|Net", MT, e - rem)
            with np.errstate(divide="ignore", invalid="ignore"):
                ci = np.where(gdp > 0, e * T_PER_MT / gdp, np.nan)
                # direct intensity of the region's sector: CO2 over output (t per 10,000 yuan)
                sec_i = np.where(by_sector_x > 0, by_sector * T_PER_MT / by_sector_x, np.nan)
            rows.add(sname, rname, "Carbon Intensity|Production-based", inten, ci)
            for s in range(S):
                rows.add(sname, rname, f"Carbon Intensity|{names[s]}", inten, sec_i[:, s])
            if path is not None:
                rows.add(sname, rname, "Emissions|CO2|Consumption-based", MT, tot(path.cba))
                rows.add(sname, rname, "Emissions|CO2|Electricity-adjusted", MT, tot(path.electricity))
                rows.add(sname, rname, "Emissions|CO2|Embodied in exports", MT,
                         path.transfer[:, sel, R].sum(axis=1))
        if path is None:
            continue
        wanted = {idx[c] for c in codes if c != NATION}
        for r in range(R):
            for s in range(R):
                if r == s or not (rep[r] and (r in wanted or s in wanted)):
                    continue
                v = path.transfer[:, r, s]
                if not np.any(v != 0):
                    continue
                pair = f"{region_name(rm.regions[r])}{TRADE_SEPARATOR}{region_name(rm.regions[s])}"
                rows.add(sname, pair, "Emissions|CO2|Embodied in trade", MT, v)
    return rows.columns()


def iamc_meta(rm: Roadmap, *, dataset_citation: str = "", synthetic: bool = False) -> list[dict[str, object]]:
    """The ``meta`` rows (pyam layout: one per model and scenario): dataset, units, t0
    prices and every assumption (``assumption|<name>``, with ``overridden`` naming what
    the scenario changed)."""
    base = rm.base
    a = base.assumptions
    common: dict[str, object] = {
        "dataset": base.dataset.name,
        "dataset_citation": dataset_citation or base.dataset.citation,
        "synthetic": bool(synthetic or base.dataset.synthetic),
        "t0": int(base.t0),
        "price_base": f"constant {base.t0} prices (t0 = last IO year of the dataset)",
        "unit_emissions": MT,
        "unit_money": money_unit(base.t0) + " (10,000 yuan at t0 prices / 100,000)",
        "unit_intensity": intensity_unit(base.t0),
        "calibrated_years": ", ".join(str(y) for y in base.calibrated),
        "assumption|gdp_growth": "; ".join(f"from {y}: {r:.4f}/yr" for y, r in zip(a.gdp_from, a.gdp_rate,
                                                                                     strict=True)),
        "assumption|trend_min": a.trend_min,
        "assumption|trend_max": a.trend_max,
        "assumption|trend_fallback": a.trend_fallback,
        "assumption|households_rate": a.households_rate,
        "assumption|removal_start": a.removal_start,
        "assumption|electricity_per_fuel": a.electricity_per_fuel,
        "assumption|secda_base_year": a.base_year,
        "assumption|overridden": ", ".join(a.overridden),
        "assumption|version": a.version,
    }
    for k, v in a.sources.items():
        common[f"source|{k}"] = v
    out = []
    for name, sname in scenario_names(rm).items():
        sc = rm.scenario_def
        title = sc.title_en if name != "baseline" else "Baseline"
        out.append({"model": MODEL, "scenario": sname, "pathway": name, "title": title
                    + (" (secda targets)" if name == "secda" else ""), **common})
    return out


def write_roadmap_iamc(rm: Roadmap, path: str | Path, *, fmt: IamcFormat = "csv",
                       regions: str | Sequence[str] = "all") -> Path:
    """Write ``rm`` as IAMC CSV (plus ``<stem>.meta.csv`` with the meta rows) or XLSX
    (``data`` and ``meta`` sheets). Returns the path of the table."""
    cols = iamc_columns(rm, regions)
    meta = iamc_meta(rm)
    out = write_iamc(cols, path, fmt=fmt, meta=meta)
    if fmt == "csv":
        write_iamc_meta_csv(meta, meta_path(out))
    return out


def meta_path(path: str | Path) -> Path:
    """Where the meta rows of an IAMC CSV go: ``<stem>.meta.csv`` beside it."""
    p = Path(path)
    return p.with_name(p.stem + ".meta.csv")
