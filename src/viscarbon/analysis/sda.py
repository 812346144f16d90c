"""Structural decomposition analysis (``sda``, five factors) of the change in CO2
between two vintages (Miller & Blair 2009 §13.1). Not the sectoral decarbonization
approach of the roadmap (``secda``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import columns
from viscarbon.analysis.scope import (
    EXPORTS_CODE,
    NATIONAL_CODE,
    Format,
    Scope,
    citation_of,
    imports_mixed,
    make_scope,
    meta_tail,
    readonly_copy,
    scope_note,
    status_notes,
    units_text,
    write_records,
)
from viscarbon.calc.leontief import LeontiefFactor, solve_transposed
from viscarbon.calc.sda import SDA_FACTORS, SDA_METHODS, structural_decomposition
from viscarbon.errors import DataError
from viscarbon.i18n import normalize_lang, t
from viscarbon.io.writers.schema import Schema
from viscarbon.model import EEIOSystem

__all__ = [
    "SDA_FACTORS",
    "SDAResult",
    "SdaMethod",
    "check_sda",
    "sda",
    "sda_on",
]

Arr = NDArray[np.float64]
SdaMethod = Literal["polar", "shapley"]


@dataclass(frozen=True, eq=False)
class SDAResult:
    """Five-factor structural decomposition (``sda``) of the change in industry CO2 driven
    by each destination's final demand between two years (Mt CO2).

    ``destinations``: the provinces (their own final demand) and ``EX`` (foreign exports);
    ``effects`` (5 × D) in the order of :data:`~viscarbon.calc.sda.SDA_FACTORS`,
    ``co2_from`` / ``co2_to`` (D,); ``households_change`` (D,) the change in households'
    direct CO2 (not decomposed; 0 for ``EX``). The national row sums every destination.
    """

    dataset: str
    from_year: int
    to_year: int
    method: str
    isolated: bool
    region: str | None
    destinations: tuple[str, ...]
    destination_labels_en: tuple[str, ...]
    destination_labels_zh: tuple[str, ...]
    effects: Arr
    co2_from: Arr
    co2_to: Arr
    households_change: Arr
    deflated: bool
    citation: str
    synthetic: bool
    national_effects: Arr
    national_from: float
    national_to: float
    national_households: float
    notes: tuple[str, ...] = ()

    @property
    def change(self) -> Arr:
        return readonly_copy(self.co2_to - self.co2_from)

    def national(self) -> tuple[Arr, float, float]:
        """(effects (5,), CO2 from, CO2 to) summed over every destination (Mt), also when
        the rows shown are one province's."""
        return self.national_effects, self.national_from, self.national_to

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        labels = self.destination_labels_zh if lang == "zh-Hans" else self.destination_labels_en

        def row(code: str, label: str, eff: Arr, e0: float, e1: float, hh: float) -> dict[str, object]:
            rec: dict[str, object] = {"destination": code, "destination_label": label,
                                      "co2_from_mt": e0, "co2_to_mt": e1, "change_mt": e1 - e0}
            for k, name in enumerate(SDA_FACTORS):
                rec[f"{name}_mt"] = float(eff[k])
            rec["households_direct_change_mt"] = hh
            return rec

        out = [row(code, labels[d], self.effects[:, d], float(self.co2_from[d]), float(self.co2_to[d]),
                   float(self.households_change[d]))
               for d, code in enumerate(self.destinations)]
        if not self.isolated:
            eff, e0, e1 = self.national()
            out.append(row(NATIONAL_CODE, t("structural.national", lang), eff, e0, e1,
                           self.national_households))
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        return {
            "title": t("structural.title.sda", lang),
            "dataset": self.dataset,
            "years": f"{self.from_year}-{self.to_year}",
            "method": t(f"structural.sda.method.{self.method}", lang),
            "scope": scope_note(self.isolated, self.region, lang),
            "units": units_text({"*_mt": "mt_co2"}, lang),
            "prices": t("structural.sda.deflated" if self.deflated else "structural.sda.current_prices", lang),
            "factors": ", ".join(t(f"structural.sda.factor.{f}", lang) for f in SDA_FACTORS),
            "definition": t("structural.note.sda", lang),
            **meta_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return write_records(self.as_records(lang), self.metadata(lang), path, fmt, schema=self.schema(),
                             lang=lang)

    def schema(self) -> Schema:
        """The columns of :meth:`as_records` (:mod:`viscarbon.analysis.columns`)."""
        return columns.SDA


def _check_same_axes(s0: EEIOSystem, s1: EEIOSystem) -> None:
    t0, t1 = s0.table, s1.table
    for name, a, b in (("region", t0.regions, t1.regions), ("sector", t0.sectors, t1.sectors)):
        if a.codes != b.codes or a.list_id != b.list_id:
            raise DataError(
                f"sda needs two years on the same {name} axis: {t0.year} has "
                f"{len(a)} {name}s ({a.list_id or 'custom'}), {t1.year} has {len(b)} "
                f"({b.list_id or 'custom'})",
                hint="pick two vintages of one sector classification (e.g. 2012, 2015, 2017)",
            )
    if t0.fd_categories.codes != t1.fd_categories.codes:
        mixed = imports_mixed(((t0.year, t0.imports_treatment), (t1.year, t1.imports_treatment)))
        raise DataError(f"sda needs the same final-demand categories in {t0.year} and {t1.year}",
                        hint=None if mixed is None else
                        f"{mixed[0]} is a competitive-imports table (imports as final-demand category IMP), "
                        f"{mixed[1]} a non-competitive one: the two are not comparable this way")


def check_sda(system0: EEIOSystem, system1: EEIOSystem, *, method: str, region: str | None) -> None:
    if method not in SDA_METHODS:
        raise DataError(f"unknown sda method {method!r}", hint="use one of: " + ", ".join(SDA_METHODS))
    _check_same_axes(system0, system1)
    if region is not None:
        system0.table.regions.index(region)


def _deflator_vector(deflators: Mapping[int, float | Sequence[float]] | None, year: int,
                     R: int, S: int) -> Arr:
    if deflators is None:
        return np.ones(R * S)
    if year not in deflators:
        raise DataError(f"a deflator was supplied but none for {year}",
                        hint="give a price index for both years (e.g. 2012: 1.0, 2017: 1.08)")
    p = np.asarray(deflators[year], dtype=np.float64)
    if p.ndim == 0:
        p = np.full(S, float(p))
    if p.shape != (S,) or not np.all(np.isfinite(p)) or np.any(p <= 0):
        raise DataError(f"the deflator for {year} must be a positive number or {S} positive numbers "
                        "(one per sector)")
    return np.tile(p, R)


def sda(system0: EEIOSystem, system1: EEIOSystem, *, method: SdaMethod = "polar",
        region: str | None = None, isolated: bool = False,
        deflators: Mapping[int, float | Sequence[float]] | None = None,
        factors: tuple[LeontiefFactor, LeontiefFactor] | None = None,
        coefficients: tuple[Arr, Arr] | None = None,
        lang: str | None = None) -> SDAResult:
    """Structural decomposition (``sda``) of CO2 between two vintages (Miller & Blair §13.1).

    Per destination ``d`` (each province's own final demand; ``EX`` foreign exports):
    ``E_d = f L y_d``, ``y_d = level_d · mix_d ⊙ sourcing_d`` (see
    :mod:`viscarbon.calc.sda`). ``method``: ``polar`` (mean of the two polar forms) or
    ``shapley`` (mean of all 120 orderings). Current prices unless ``deflators``
    (year → a price index, scalar or one per sector, base 1) are given: then
    ``y/p``, ``x/p``, ``f·p``, ``A_real = p̂⁻¹ A p̂``. ``region`` restricts the rows to one
    destination; ``isolated`` decomposes that province's own block (one destination).
    ``factors`` (and ``coefficients``, the two ``A``) reuse the two years' cached LU
    factors (full MRIO only).
    """
    check_sda(system0, system1, method=method, region=region)
    scopes = []
    for k, sysm in enumerate((system0, system1)):
        fac = factors[k] if (factors is not None and not isolated) else None
        A_k = coefficients[k] if (coefficients is not None and not isolated) else None
        scopes.append(make_scope(sysm, region=region, isolated=isolated, A=A_k, factor=fac))
    return sda_on(system0, system1, (scopes[0], scopes[1]), method=method, region=region,
                   deflators=deflators, lang=lang)


def sda_on(system0: EEIOSystem, system1: EEIOSystem, scopes: tuple[Scope, Scope], *,
            method: SdaMethod, region: str | None,
            deflators: Mapping[int, float | Sequence[float]] | None, lang: str | None) -> SDAResult:
    """:func:`sda` on the two years' prepared scopes (same isolation)."""
    isolated = scopes[0].isolated
    t0, t1 = system0.table, system1.table
    R, S, K = t0.n_regions, t0.n_sectors, len(t0.fd_categories)
    if isolated:
        Rn = 1
        Ys = [sc.y[:, None] for sc in scopes]
        codes: tuple[str, ...] = (region or "",)
        lab_en: tuple[str, ...] = (t0.regions.labels_en[t0.regions.index(region or "")],)
        lab_zh: tuple[str, ...] = (t0.regions.labels_zh[t0.regions.index(region or "")],)
    else:
        Rn = R
        Ys = [np.column_stack([sysm.table.Y_by_region(), sysm.table.EX]) for sysm in (system0, system1)]
        codes = (*t0.regions.codes, EXPORTS_CODE)
        lab_en = (*t0.regions.labels_en, t("structural.exports", "en"))
        lab_zh = (*t0.regions.labels_zh, t("structural.exports", "zh-Hans"))
    years = (t0.year, t1.year)
    p = [_deflator_vector(deflators, y, Rn, S) for y in years]
    M = np.empty((2, 2, Rn * S))
    for a in range(2):
        for b in range(2):
            M[a, b] = solve_transposed(scopes[b].factor, scopes[a].e * p[a] / p[b]) * p[b]
    Yr = [Ys[k] / p[k][:, None] for k in range(2)]
    arr = structural_decomposition(M, Yr[0], Yr[1], n_regions=Rn, n_sectors=S, method=method)
    hh = np.zeros(len(codes))
    if not isolated:
        FY = [sysm.satellite("CO2").total_Y.reshape(R, K).sum(axis=1) for sysm in (system0, system1)]
        hh[:R] = FY[1] - FY[0]
    else:
        r = t0.regions.index(region or "")
        hh[0] = (system1.satellite("CO2").total_Y.reshape(R, K).sum(axis=1)[r]
                 - system0.satellite("CO2").total_Y.reshape(R, K).sum(axis=1)[r])
    notes = [t("structural.note.sda_households", lang)]
    mixed = imports_mixed(((t0.year, t0.imports_treatment), (t1.year, t1.imports_treatment)))
    if mixed is not None:
        notes.append(t("structural.note.imports_mixed", lang, competitive=mixed[0], noncompetitive=mixed[1]))
    for sysm in (system0, system1):
        notes += [f"{sysm.year}: {n}" for n in status_notes(sysm, lang)]
    effects, e0, e1 = arr.effects, arr.E0, arr.E1
    nat = (readonly_copy(effects.sum(axis=1)), float(e0.sum()), float(e1.sum()), float(hh.sum()))
    if region is not None and not isolated:
        d = t0.regions.index(region)
        effects, e0, e1 = effects[:, [d]], e0[[d]], e1[[d]]
        hh = hh[[d]]
        codes, lab_en, lab_zh = (codes[d],), (lab_en[d],), (lab_zh[d],)
    cite = "; ".join(dict.fromkeys(c for c in (citation_of(system0), citation_of(system1)) if c))
    return SDAResult(
        dataset=system1.dataset, from_year=t0.year, to_year=t1.year, method=method,
        isolated=isolated, region=region, destinations=codes, destination_labels_en=lab_en,
        destination_labels_zh=lab_zh, effects=readonly_copy(effects), co2_from=readonly_copy(e0), co2_to=readonly_copy(e1),
        households_change=readonly_copy(hh), deflated=deflators is not None, citation=cite,
        synthetic=system0.synthetic or system1.synthetic, national_effects=nat[0],
        national_from=nat[1], national_to=nat[2], national_households=nat[3], notes=tuple(notes),
    )
