"""Roadmaps on a workspace: :class:`Roadmapper` builds each dataset's baseline once per
store generation and set of assumptions, and each scenario run once, in bounded caches
(the dashboard's sliders re-run a scenario with other levers and reuse the baseline and,
when only intensities change, the activity)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from viscarbon.analysis import Workspace
from viscarbon.analysis.cache import BoundedCache
from viscarbon.calc.scale import check_memory
from viscarbon.classification import region_codes
from viscarbon.datasets import open_store
from viscarbon.errors import NotFound
from viscarbon.io.files import available_memory
from viscarbon.roadmap.baseline import END_YEAR, RoadmapBase, build_base
from viscarbon.roadmap.city import (
    CITY_FD_COLUMNS,
    CityRoadmap,
    city_memory_estimate,
    city_province,
    city_roadmap,
)
from viscarbon.roadmap.engine import activity, intensities, pathway
from viscarbon.roadmap.levers import resolve_lever
from viscarbon.roadmap.run import Roadmap, run_roadmap
from viscarbon.roadmap.scenario import (
    Scenario,
    baseline_scenario,
    shipped_scenarios,
    stored_scenario,
)
from viscarbon.roadmap.targets import Target, default_targets

__all__ = ["Roadmapper", "fingerprint"]


def fingerprint(scenario: Scenario) -> str:
    """A key for what a scenario computes (levers, targets, binding, overrides; not its
    titles)."""
    parts = (scenario.id, repr(scenario.levers), repr(scenario.targets), repr(scenario.binding),
             repr(sorted(scenario.overrides.items(), key=lambda kv: kv[0])))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


class Roadmapper:
    """Roadmap runs on the datasets of ``workspace`` (thread-safe through its caches).

    ``targets`` replaces the shipped targets (a user's ``--targets`` file); the
    scenarios' own targets are added to them.
    """

    def __init__(self, workspace: Workspace, *, targets: Sequence[Target] | None = None,
                 cache_size: int = 16):
        self.workspace = workspace
        self.targets = tuple(targets) if targets is not None else default_targets()
        self.cache = BoundedCache(cache_size)

    def scenarios(self) -> tuple[Scenario, ...]:
        """The shipped scenarios (the baseline first), then the ones saved in the store."""
        return shipped_scenarios() + self.saved_scenarios()

    def saved_scenarios(self) -> tuple[Scenario, ...]:
        """The scenarios saved in the workspace's store (``viscarbon scenario save``), by name;
        read once per store generation (a save or a delete changes it)."""
        path = self.workspace.store_path
        if path is None or not path.exists():
            return ()
        gen = self.workspace.catalog.generation()
        return self.cache.get(("saved", gen), lambda: tuple(
            stored_scenario(r.name, r.toml) for r in open_store(path).scenarios()))

    def scenario(self, name: str) -> Scenario:
        """A saved scenario of that name first, then a shipped one."""
        saved = self.saved_scenarios()
        for s in (*saved, *shipped_scenarios()):
            if s.id == name:
                return s
        raise NotFound(f"unknown scenario {name!r}",
                       hint="saved: " + (", ".join(s.id for s in saved) or "none") + "; shipped: "
                       + ", ".join(s.id for s in shipped_scenarios()) + "; or pass a TOML file")

    def base(self, dataset: str, scenario: Scenario | None = None) -> RoadmapBase:
        """The baseline inputs of ``dataset`` under the scenario's assumptions."""
        sc = scenario or baseline_scenario()
        a = sc.assumptions()
        key = ("base", dataset, self.workspace.token(dataset),
               repr(sorted(sc.overrides.items(), key=lambda kv: kv[0])))
        return self.cache.get(key, lambda: build_base(self.workspace, dataset, assumptions=a))

    def run(self, dataset: str, scenario: Scenario | None = None) -> Roadmap:
        """The roadmap of ``scenario`` (default: the baseline) on ``dataset``."""
        sc = scenario or baseline_scenario()
        base = self.base(dataset, sc)
        token = self.workspace.token(dataset)
        bkey = ("baseline", dataset, token, id(base))

        def build_baseline():  # type: ignore[no-untyped-def]
            act = activity(base, ())
            f, hh = intensities(base, ())
            return pathway(base, act, f, hh, scenario="baseline"), act

        bl = self.cache.get(bkey, build_baseline)
        levers = tuple(resolve_lever(lv, base, file=sc.file or sc.id) for lv in sc.levers)
        act_key = ("activity", dataset, token, id(base),
                   repr([lv for lv in sc.levers if lv.kind in ("final_demand", "coefficient", "electrification")]))
        needs = any(lv.lever.kind in ("final_demand", "coefficient", "electrification") for lv in levers)
        act = self.cache.get(act_key, lambda: activity(base, levers)) if needs else None
        return self.cache.get(("run", dataset, token, id(base), fingerprint(sc)),
                              lambda: run_roadmap(base, sc, targets=self.targets, baseline=bl,
                                                  scenario_activity=act))

    def province_dataset_for(self, city_dataset: str) -> str:
        """The provincial dataset a city table's roadmap is reconciled to by default: an IO
        dataset with provinces as regions whose last table year is the city table's, the
        same synthetic flag first (the demo city table goes with the demo), then the one
        holding most of the cities' provinces. :class:`NotFound` when there is none."""
        info = self.workspace.dataset(city_dataset)
        wanted = {p for p in (city_province(c) for c in info.regions) if p is not None}
        known = set(region_codes())
        cands = [d for d in self.workspace.datasets()
                 if not d.is_inventory and d.name != city_dataset and d.years and d.years[-1] == info.years[-1]
                 and len(d.regions) > 1 and set(d.regions) <= known]
        if not cands:
            raise NotFound(f"no provincial dataset ends in {info.years[-1]} like the city table {city_dataset!r}: "
                           "a city roadmap is reconciled to a provincial roadmap of the same start year",
                           hint="import a provincial MRIO table of that year, or name one")
        best = max(cands, key=lambda d: (d.synthetic == info.synthetic, len(wanted & set(d.regions))))
        return best.name

    def city_run(self, city_dataset: str, province_dataset: str, scenario: Scenario | None = None,
                 *, members: Mapping[str, Sequence[str]] | None = None,
                 available: int | None = None) -> CityRoadmap:
        """The city roadmap of ``scenario`` on ``city_dataset`` reconciled to the provincial
        roadmap of ``province_dataset`` (that run is :meth:`run`'s, cached alike; see
        :mod:`viscarbon.roadmap.city`). ``members`` replaces the concordance's complete
        city lists of the provinces it names (tests, newer divisions). The memory it needs
        (:func:`~viscarbon.roadmap.city.city_memory_estimate`) is checked against
        ``available`` bytes (default: the memory available) before anything is built:
        :class:`~viscarbon.errors.MemoryLimitError` names both."""
        sc = scenario or baseline_scenario()
        info = self.workspace.dataset(city_dataset)
        n = len(info.regions) * len(info.sectors)
        check_memory(city_memory_estimate(n, fd_columns=CITY_FD_COLUMNS * len(info.regions),
                                          years=END_YEAR - info.years[-1] + 1),
                     available_memory() if available is None else int(available))
        prov = self.run(province_dataset, sc)
        base = self.base(city_dataset, sc)
        key = ("city", city_dataset, self.workspace.token(city_dataset), id(base), province_dataset,
               self.workspace.token(province_dataset), id(prov), fingerprint(sc),
               repr(sorted((k, tuple(v)) for k, v in members.items())) if members else "")
        return self.cache.get(key, lambda: city_roadmap(base, prov, sc, members=members,
                                                        province_dataset=province_dataset))
