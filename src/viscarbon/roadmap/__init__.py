"""Roadmaps to 2060: how much to cut, where, and how jointly along supply chains.

* :mod:`~viscarbon.roadmap.targets` targets as data (``data/targets.toml``) and
  :mod:`~viscarbon.roadmap.assumptions` the labelled assumptions (``data/assumptions.toml``,
  ``data/gdp.csv``);
* :mod:`~viscarbon.roadmap.scenario` named scenarios (TOML) with their levers;
* :mod:`~viscarbon.roadmap.baseline` the calibrated baseline of a dataset;
* :mod:`~viscarbon.roadmap.engine` the year-by-year IO model and
  :mod:`~viscarbon.roadmap.run` one roadmap run (pathways, secda, removal, checks, binding,
  imported mitigation);
* :mod:`~viscarbon.roadmap.city` city pathways reconciled to the provincial roadmap
  (:mod:`~viscarbon.roadmap.city_iamc` their IAMC and coverage tables);
* :class:`~viscarbon.roadmap.service.Roadmapper` the cached façade the CLI and the
  dashboard use.

The equations are written out in ``docs/roadmap.md``.
"""

from __future__ import annotations

from viscarbon.roadmap.assumptions import (
    Assumptions,
    default_assumptions,
    gdp_table,
    load_assumptions,
)
from viscarbon.roadmap.baseline import END_YEAR, RoadmapBase, build_base
from viscarbon.roadmap.city import CityRoadmap, city_roadmap
from viscarbon.roadmap.engine import Pathway
from viscarbon.roadmap.run import NATION, PATHWAYS, Roadmap, run_roadmap
from viscarbon.roadmap.scenario import (
    LEVER_KINDS,
    Lever,
    Scenario,
    baseline_scenario,
    load_scenario,
    parse_levers,
    parse_scenario,
    shipped_scenarios,
)
from viscarbon.roadmap.service import Roadmapper
from viscarbon.roadmap.targets import STATUSES, Target, default_targets, load_targets

__all__ = [
    "END_YEAR",
    "LEVER_KINDS",
    "NATION",
    "PATHWAYS",
    "STATUSES",
    "Assumptions",
    "CityRoadmap",
    "Lever",
    "Pathway",
    "Roadmap",
    "RoadmapBase",
    "Roadmapper",
    "Scenario",
    "Target",
    "baseline_scenario",
    "build_base",
    "city_roadmap",
    "default_assumptions",
    "default_targets",
    "gdp_table",
    "load_assumptions",
    "load_scenario",
    "load_targets",
    "parse_levers",
    "parse_scenario",
    "run_roadmap",
    "shipped_scenarios",
]
