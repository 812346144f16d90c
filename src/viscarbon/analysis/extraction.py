"""Hypothetical extraction of a sector, a province or a sector in a province (Miller &
Blair 2009 §12.2; Dietzenbacher & Lahr 2013): the output and CO2 the rest loses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import columns
from viscarbon.analysis.scope import (
    TOTAL_CODE,
    Format,
    Scope,
    citation_of,
    make_scope,
    meta_tail,
    readonly_copy,
    scope_note,
    status_notes,
    units_text,
    write_records,
)
from viscarbon.calc.extraction import EXTRACTION_MODES, hypothetical_extraction
from viscarbon.calc.leontief import LeontiefFactor
from viscarbon.errors import DataError
from viscarbon.i18n import normalize_lang, t
from viscarbon.io.writers.schema import Schema
from viscarbon.model import Axis, EEIOSystem

__all__ = [
    "ExtractMode",
    "ExtractionResult",
    "extract",
    "extract_on",
]

Arr = NDArray[np.float64]
ExtractMode = Literal["complete", "backward", "forward"]


@dataclass(frozen=True, eq=False)
class ExtractionResult:
    """Loss of output (10,000 yuan) and of industry CO2 (Mt) from a hypothetical extraction.

    ``output_loss`` / ``co2_loss`` (n,) by region-sector of the scope; by region and in
    total through :meth:`by_region`; shares relative to the baseline output and CO2.
    """

    dataset: str
    year: int
    target_region: str | None
    target_sector: str | None
    mode: str
    isolated: bool
    regions: Axis
    sectors: Axis
    extracted: NDArray[np.int64]
    x: Arr
    co2: Arr
    output_loss: Arr
    co2_loss: Arr
    citation: str
    synthetic: bool
    notes: tuple[str, ...] = ()

    @property
    def total_output_loss(self) -> float:
        return float(self.output_loss.sum())

    @property
    def total_co2_loss(self) -> float:
        return float(self.co2_loss.sum())

    def by_region(self) -> tuple[Arr, Arr, Arr, Arr]:
        """(output loss, baseline output, CO2 loss, baseline CO2) per region (R,)."""
        R, S = len(self.regions), len(self.sectors)

        def agg(v: Arr) -> Arr:
            return readonly_copy(v.reshape(R, S).sum(axis=1))

        return agg(self.output_loss), agg(self.x), agg(self.co2_loss), agg(self.co2)

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        dx, x, de, e = self.by_region()
        labels = self.regions.labels(lang)

        def share(a: float, b: float) -> float | None:
            return a / b if b != 0 else None

        out: list[dict[str, object]] = []
        for r, code in enumerate(self.regions.codes):
            out.append({
                "region": code, "region_label": labels[r],
                "output_loss_10k_yuan": float(dx[r]),
                "output_loss_share": share(float(dx[r]), float(x[r])),
                "co2_loss_mt": float(de[r]),
                "co2_loss_share": share(float(de[r]), float(e[r])),
            })
        out.append({
            "region": TOTAL_CODE, "region_label": t("structural.total", lang),
            "output_loss_10k_yuan": self.total_output_loss,
            "output_loss_share": share(self.total_output_loss, float(self.x.sum())),
            "co2_loss_mt": self.total_co2_loss,
            "co2_loss_share": share(self.total_co2_loss, float(self.co2.sum())),
        })
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        target = "/".join(c for c in (self.target_region, self.target_sector) if c) or "-"
        return {
            "title": t("structural.title.extract", lang),
            "dataset": self.dataset, "year": str(self.year),
            "target": target,
            "mode": t(f"structural.extract.mode.{self.mode}", lang),
            "scope": scope_note(self.isolated, self.target_region if self.isolated else None, lang),
            "units": units_text(self.schema(), lang),
            "definition": t("structural.note.extract", lang),
            **meta_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return write_records(self.as_records(lang), self.metadata(lang), path, fmt, schema=self.schema(),
                             lang=lang)

    def schema(self) -> Schema:
        """The columns of :meth:`as_records` (:mod:`viscarbon.analysis.columns`)."""
        return columns.EXTRACTION


def _extraction_set(sc: Scope, region: str | None, sector: str | None) -> NDArray[np.int64]:
    S = len(sc.sectors)
    R = len(sc.regions)
    if sector is None and region is None:
        raise DataError("hypothetical extraction needs a sector, a region, or both",
                        hint="pass --sector (every region), --region (a whole province) or both")
    j = sc.sectors.index(sector) if sector is not None else None
    if sc.isolated:
        if j is None:
            raise DataError("extracting a whole province from its own block leaves nothing",
                            hint="pass --sector with --isolated, or drop --isolated")
        return np.array([j], dtype=np.int64)
    if region is None:
        return np.array([r * S + j for r in range(R)], dtype=np.int64)  # type: ignore[operator]
    r = sc.regions.index(region)
    if j is None:
        return np.arange(r * S, (r + 1) * S, dtype=np.int64)
    return np.array([r * S + j], dtype=np.int64)


def extract(system: EEIOSystem, *, region: str | None = None, sector: str | None = None,
            mode: ExtractMode = "complete", isolated: bool = False, A: Arr | None = None,
            factor: LeontiefFactor | None = None, lang: str | None = None) -> ExtractionResult:
    """Hypothetically extract a sector (in every region), a province, or a sector in a
    province (Miller & Blair 2009 §12.2; Dietzenbacher & Lahr 2013).

    ``mode``: ``complete`` (remove its rows, columns and final demand; default),
    ``backward`` (it buys no inputs from the rest) or ``forward`` (it sells no inputs to
    the rest). The reduced system is factorised once; the baseline uses the cached
    ``factor``. With ``isolated=True`` the province's own block is used (``region`` names
    it, ``sector`` is required).
    """
    if mode not in EXTRACTION_MODES:
        raise DataError(f"unknown extraction mode {mode!r}", hint="use one of: " + ", ".join(EXTRACTION_MODES))
    sc = make_scope(system, region=region, isolated=isolated, A=A, factor=factor)
    return extract_on(system, sc, region=region, sector=sector, mode=mode, lang=lang)


def extract_on(system: EEIOSystem, sc: Scope, *, region: str | None, sector: str | None,
                mode: ExtractMode, lang: str | None) -> ExtractionResult:
    """:func:`extract` on a prepared scope."""
    isolated = sc.isolated
    E = _extraction_set(sc, region, sector)
    res = hypothetical_extraction(sc.A, sc.y, sc.e, E, mode=mode, x=sc.x)
    E.setflags(write=False)
    return ExtractionResult(
        dataset=system.dataset, year=system.year, target_region=region, target_sector=sector,
        mode=mode, isolated=isolated, regions=sc.regions, sectors=sc.sectors, extracted=E,
        x=sc.x, co2=readonly_copy(sc.e * sc.x), output_loss=res.output_loss, co2_loss=res.emission_loss,
        citation=citation_of(system), synthetic=system.synthetic,
        notes=tuple(status_notes(system, lang)),
    )
