"""One city-year of a city-level MRIO, computed once: the accounts at scale and what the
City tab shows of any one city (headline figures, its sector network, its partner cities
in embodied CO2 trade, the cities of its province).

:func:`city_year` runs the scale path of :mod:`viscarbon.analysis.scale` once per
dataset-year (memory planned up front: dense LU up to :data:`~viscarbon.calc.scale.
DENSE_UP_TO` sectors, else GMRES with the per-city block preconditioner; ``R + 3``
solves) and keeps only what the views need, none of it ``n × n``: the diagonal blocks
``Z_cc`` (R × S × S), ``x``, ``F``, value added, households' direct CO2, the total
intensities ``m = f L`` and the transfer matrix ``T`` (R × (R+1)). Every per-city
function below then only slices (no solve), so a city view costs milliseconds once the
year is set up. :class:`viscarbon.analysis.Workspace.city_year` caches one
:class:`CityYear` per (dataset, year, store generation) in its bounded cache.

Symbols (``docs/terminology.md``; Miller & Blair 2009 ch. 2, 3 and 10): ``x`` (n,) output,
10,000 yuan; ``F`` (n,) industries' CO2, Mt; ``f = F x̂⁻¹``; ``m = f L`` (Mt per 10,000
yuan); ``T[r, s] = Σ_{i∈r} f_i (L Y_s)_i`` the CO2 emitted in city ``r`` embodied in the
final demand of city ``s`` (last column: foreign exports ``EX``), Mt.

Headline identities (tested): production-based ``PBA_r = Σ_{i∈r} F_i + h_r`` (households'
direct CO2 ``h_r``), consumption-based ``CBA_r = Σ_q T[q, r] + h_r``, exports row
``Σ_q T[q, R]``; so ``Σ_r CBA_r + exports = Σ_r PBA_r`` (eq. 10.6 summed over
destinations); the partner flows of a city add up to its embodied imports
``Σ_{q≠r} T[q, r]`` and exports ``Σ_{s≠r} T[r, s]``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Final

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from viscarbon.analysis.scale import ScaleRun, flows_accounts, table_accounts
from viscarbon.calc.network import prune_edges
from viscarbon.calc.scale import MemoryEstimate
from viscarbon.classification import city_province, province_cities
from viscarbon.datasets import DatasetInfo, ResolvedSystem
from viscarbon.errors import UnknownCode

__all__ = ["CITY_LINKS_PERCENT", "PARTNERS", "CityEdge", "CityFigures", "CityNetwork", "CityYear", "Partner",
           "ProvinceCoverage", "city_year", "city_year_from_flows"]

Arr = NDArray[np.float64]
#: Links of a city's sector network: the top p % of the S² intra-city money flows (as the
#: provincial network's default), plus the strongest link of each of the top emitters.
CITY_LINKS_PERCENT: Final = 5.0
CITY_KEEP_EMITTERS: Final = 3
#: Partner cities listed each way (the rest summed as "others").
PARTNERS: Final = 10
MT_TO_T: Final = 1e6


@dataclass(frozen=True)
class CityFigures:
    """One city's headline figures (``None`` where unknown: no CO2 for it, zero output).

    ``output_10k_yuan`` ``Σ_{i∈c} x_i``; ``value_added_10k_yuan`` ``Σ_{i∈c} Σ_v V_vi``;
    ``production_mt`` ``Σ_{i∈c} F_i + h_c``; ``consumption_mt`` ``Σ_q T[q, c] + h_c``;
    ``intensity_t_per_10k_yuan`` ``10⁶ · production / value added``; the shares of the
    province: of the province's totals over the table's cities (the province's own totals
    when it is covered completely, ``complete``)."""

    code: str
    province: str
    output_10k_yuan: float
    value_added_10k_yuan: float
    production_mt: float | None
    consumption_mt: float | None
    intensity_t_per_10k_yuan: float | None
    output_share_of_province: float | None
    co2_share_of_province: float | None
    complete: bool


@dataclass(frozen=True)
class CityEdge:
    """A kept intra-city money flow ``Z_cc[i, j]`` (10,000 yuan): sector codes, its rank
    among the S² cells (1 = largest), its share of the block's total, and whether it was
    added to keep a top emitter visible."""

    source: str
    target: str
    value: float
    rank: int
    share: float
    kept_for_emitter: bool


@dataclass(frozen=True)
class CityNetwork:
    """A city's sector network: per sector (S,) output ``x`` (10,000 yuan), CO2 ``F`` (Mt),
    direct intensity ``10⁶ F / x`` (t per 10,000 yuan; NaN at zero output), total intensity
    ``10⁶ m`` (t per 10,000 yuan); the kept links."""

    sectors: tuple[str, ...]
    output: Arr
    co2: Arr
    intensity: Arr
    total_intensity: Arr
    edges: tuple[CityEdge, ...]
    n_cells: int
    block_total: float


@dataclass(frozen=True)
class Partner:
    """A partner city and the CO2 embodied in the trade with it, Mt."""

    code: str
    province: str
    value_mt: float


@dataclass(frozen=True)
class ProvinceCoverage:
    """How much of a province the table holds: its cities in the table, in the concordance."""

    province: str
    in_table: tuple[str, ...]
    in_concordance: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return bool(self.in_concordance) and set(self.in_concordance) <= set(self.in_table)


@dataclass(frozen=True, eq=False)
class CityYear:
    """A city-level dataset-year, set up once (see the module docstring). ``provinces`` the
    province code of each city (``""`` when the concordance does not know the city);
    ``names_en`` / ``names_zh`` the table's city names; ``plan`` the memory plan of the
    solve; ``setup_seconds`` measured. Holds no n × n array (the table is not kept)."""

    dataset: DatasetInfo
    year: int
    cities: tuple[str, ...]
    names_en: tuple[str, ...]
    names_zh: tuple[str, ...]
    provinces: tuple[str, ...]
    sectors: tuple[str, ...]
    blocks: Arr  # (R, S, S) Z_cc, 10,000 yuan
    x: Arr
    F: Arr
    value_added: Arr
    households: Arr  # (R,) households' direct CO2, Mt
    m: Arr
    transfer: Arr  # (R, R + 1), Mt
    known: NDArray[np.bool_]  # (R,) the city's CO2 is known (not "missing")
    plan: MemoryEstimate
    setup_seconds: float

    @property
    def n_regions(self) -> int:
        return len(self.cities)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def index(self, city: str) -> int:
        """The position of ``city`` (its code) in the table; :class:`UnknownCode` otherwise."""
        try:
            return self.cities.index(city)
        except ValueError:
            shown = ", ".join(self.cities[:12])
            raise UnknownCode(f"city {city!r} is not in dataset {self.dataset.name!r} "
                              f"({self.year})", hint=f"{len(self.cities)} cities, e.g. {shown} …") from None

    # ------------------------------------------------------------ per city, all at once
    def totals(self) -> dict[str, Arr]:
        """Per city (R,): ``output``, ``value_added`` (10,000 yuan), ``production``,
        ``consumption`` (Mt; NaN where unknown); and ``exports_mt`` (the exports row, a
        scalar array)."""
        R, S = self.n_regions, self.n_sectors
        out = self.x.reshape(R, S).sum(axis=1)
        va = self.value_added.reshape(R, S).sum(axis=1)
        prod = self.F.reshape(R, S).sum(axis=1) + self.households
        cons = self.transfer[:, :R].sum(axis=0) + self.households
        prod = np.where(self.known, prod, np.nan)
        cons = np.where(self.known, cons, np.nan)
        return {"output": out, "value_added": va, "production": prod, "consumption": cons,
                "exports_mt": np.asarray(self.transfer[:, R].sum())}

    def coverage(self, province: str) -> ProvinceCoverage:
        """The table's cities of ``province`` and the concordance's."""
        in_table = tuple(c for c, p in zip(self.cities, self.provinces, strict=True) if p == province)
        return ProvinceCoverage(province=province, in_table=in_table,
                                in_concordance=tuple(c.code for c in province_cities(province)))

    def figures(self) -> tuple[CityFigures, ...]:
        """:class:`CityFigures` of every city, in table order (computed once)."""
        return self._figures

    @cached_property
    def _figures(self) -> tuple[CityFigures, ...]:
        tot = self.totals()
        out_p: dict[str, float] = {}
        co2_p: dict[str, float] = {}
        for k, p in enumerate(self.provinces):
            out_p[p] = out_p.get(p, 0.0) + float(tot["output"][k])
            if np.isfinite(tot["production"][k]):
                co2_p[p] = co2_p.get(p, 0.0) + float(tot["production"][k])
        complete = {p: self.coverage(p).complete for p in set(self.provinces) if p}
        rows = []
        for k, (code, p) in enumerate(zip(self.cities, self.provinces, strict=True)):
            prod, cons = _known(tot["production"][k]), _known(tot["consumption"][k])
            va = float(tot["value_added"][k])
            inten = prod * MT_TO_T / va if (prod is not None and va > 0) else None
            o = float(tot["output"][k])
            rows.append(CityFigures(
                code=code, province=p, output_10k_yuan=o, value_added_10k_yuan=va, production_mt=prod,
                consumption_mt=cons, intensity_t_per_10k_yuan=inten,
                output_share_of_province=o / out_p[p] if (p and out_p.get(p)) else None,
                co2_share_of_province=prod / co2_p[p] if (p and prod is not None and co2_p.get(p)) else None,
                complete=complete.get(p, False)))
        return tuple(rows)

    # ------------------------------------------------------------ one city
    def network(self, city: str, *, top_percent: float = CITY_LINKS_PERCENT,
                keep_top_emitters: int = CITY_KEEP_EMITTERS) -> CityNetwork:
        """The sector network of ``city``: nodes and the kept intra-city money flows
        (:func:`viscarbon.calc.network.prune_edges`, as the provincial network)."""
        r = self.index(city)
        S = self.n_sectors
        sl = slice(r * S, (r + 1) * S)
        W = self.blocks[r]
        co2 = self.F[sl] if self.known[r] else np.full(S, np.nan)
        pr = prune_edges(W, top_percent=top_percent, emissions=np.nan_to_num(co2) if self.known[r] else None,
                         keep_top_emitters=keep_top_emitters if self.known[r] else 0)
        flat = W.ravel()
        total = float(flat.sum())
        order = np.argsort(-flat, kind="stable")
        rank = np.empty(flat.size, dtype=np.intp)
        rank[order] = np.arange(1, flat.size + 1)
        edges = tuple(CityEdge(source=self.sectors[int(c) // S], target=self.sectors[int(c) % S],
                               value=float(flat[c]), rank=int(rank[c]), share=float(flat[c] / total) if total else 0.0,
                               kept_for_emitter=bool(a))
                      for c, a in zip(pr.cells, pr.added, strict=True))
        x = self.x[sl]
        with np.errstate(divide="ignore", invalid="ignore"):
            inten = np.where(x > 0, co2 * MT_TO_T / x, np.nan)
        tot_int = self.m[sl] * MT_TO_T if self.known[r] else np.full(S, np.nan)
        return CityNetwork(sectors=self.sectors, output=x, co2=co2, intensity=inten, total_intensity=tot_int,
                           edges=edges, n_cells=S * S, block_total=total)

    def partners(self, city: str, *, top: int = PARTNERS) -> dict[str, object]:
        """The partner cities of ``city`` in embodied CO2 trade (Mt): ``imports`` the top
        ``top`` cities by ``T[q, c]`` (CO2 emitted in q for c's final demand), ``exports`` by
        ``T[c, s]``, each with ``others_mt`` (the rest of the cities) and ``total_mt``
        (``Σ_{q≠c}``, which the listed flows and ``others_mt`` add up to); ``foreign_mt``
        ``T[c, R]`` (embodied in foreign exports); ``domestic_mt`` ``T[c, c]``."""
        r = self.index(city)
        R = self.n_regions
        imp = self.transfer[:R, r].copy()
        exp = self.transfer[r, :R].copy()
        imp[r] = exp[r] = 0.0

        def listed(v: Arr) -> tuple[tuple[Partner, ...], float, float]:
            order = [int(i) for i in np.argsort(-v, kind="stable") if i != r and v[i] > 0][:top]
            rows = tuple(Partner(code=self.cities[i], province=self.provinces[i], value_mt=float(v[i])) for i in order)
            total = float(v.sum())
            return rows, total - float(sum(p.value_mt for p in rows)), total

        i_rows, i_others, i_total = listed(imp)
        e_rows, e_others, e_total = listed(exp)
        return {"imports": i_rows, "imports_others_mt": max(i_others, 0.0), "imports_total_mt": i_total,
                "exports": e_rows, "exports_others_mt": max(e_others, 0.0), "exports_total_mt": e_total,
                "foreign_mt": float(self.transfer[r, R]), "domestic_mt": float(self.transfer[r, r])}


def _known(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


def _province(code: str) -> str:
    return city_province(code) or ""


def city_year(resolved: ResolvedSystem, *, available: int | None = None) -> CityYear:
    """Set up one city-level dataset-year (see the module docstring): the scale accounts
    (:func:`viscarbon.analysis.scale.table_accounts`, memory checked first) and the
    per-city pieces the views slice. ``resolved`` a city table (regions = cities)."""
    t0 = time.perf_counter()
    table = resolved.table
    sat = resolved.co2
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    known = np.array([s != "missing" for s in sat.region_status], dtype=bool)
    F = np.where(np.repeat(known, S), np.asarray(sat.F, dtype=np.float64).sum(axis=0), 0.0)
    run = table_accounts(table, F, available=available)
    blocks = np.empty((R, S, S))
    for r in range(R):
        sl = slice(r * S, (r + 1) * S)
        blocks[r] = table.Z[sl, sl]
    hh = np.asarray(sat.F_Y, dtype=np.float64).sum(axis=0).reshape(R, K).sum(axis=1)
    regions = table.regions
    return _assemble(resolved.dataset, resolved.year, regions.codes, regions.labels_en or regions.codes,
                     regions.labels_zh or regions.codes, table.sectors.codes, blocks=blocks, x=np.asarray(table.x),
                     F=F, value_added=np.asarray(table.V, dtype=np.float64).sum(axis=0),
                     households=np.where(known, hh, 0.0), known=known, run=run, t0=t0)


def city_year_from_flows(info: DatasetInfo, year: int, cities: Sequence[str], sectors: Sequence[str], *,
                         Z: sp.sparray | sp.spmatrix, x: ArrayLike, Y_regions: ArrayLike, EX: ArrayLike,
                         F: ArrayLike, value_added: ArrayLike, households: ArrayLike | None = None,
                         names_en: Sequence[str] | None = None, names_zh: Sequence[str] | None = None,
                         available: int | None = None) -> CityYear:
    """:func:`city_year` for flows held sparse (``Z`` n × n, ``Y_regions`` n × R final demand
    by destination city, ``EX`` (n,), ``F`` (n,) Mt, ``value_added`` (n,)), e.g. a generated
    full-size year that is never held dense (the benchmark); the path is
    :func:`viscarbon.analysis.scale.flows_accounts`'s."""
    t0 = time.perf_counter()
    R, S = len(cities), len(sectors)
    Zc = sp.csr_array(Z)
    run = flows_accounts(Zc, x=x, F=F, Y_regions=Y_regions, EX=EX, available=available)
    blocks = np.empty((R, S, S))
    for r in range(R):
        sl = slice(r * S, (r + 1) * S)
        blocks[r] = Zc[sl, sl].toarray()
    hh = np.zeros(R) if households is None else np.asarray(households, dtype=np.float64)
    return _assemble(info, year, tuple(cities), tuple(names_en or cities), tuple(names_zh or cities), tuple(sectors),
                     blocks=blocks, x=np.asarray(x, dtype=np.float64), F=np.asarray(F, dtype=np.float64),
                     value_added=np.asarray(value_added, dtype=np.float64), households=hh,
                     known=np.ones(R, dtype=bool), run=run, t0=t0)


def _assemble(info: DatasetInfo, year: int, codes: Sequence[str], en: Sequence[str], zh: Sequence[str],
              sectors: Sequence[str], *, blocks: Arr, x: Arr, F: Arr, value_added: Arr, households: Arr,
              known: NDArray[np.bool_], run: ScaleRun, t0: float) -> CityYear:
    for a in (blocks, x, F, value_added, households, known):
        a.setflags(write=False)
    return CityYear(dataset=info, year=int(year), cities=tuple(codes), names_en=tuple(en), names_zh=tuple(zh),
                    provinces=tuple(_province(c) for c in codes), sectors=tuple(sectors), blocks=blocks, x=x, F=F,
                    value_added=value_added, households=households, m=run.accounts.m,
                    transfer=run.accounts.transfer, known=known, plan=run.plan,
                    setup_seconds=time.perf_counter() - t0)
