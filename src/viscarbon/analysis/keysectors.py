"""Key sectors: normalised Rasmussen backward and forward linkages and their quadrants
(Miller & Blair 2009 §12.1), on the full MRIO or one province's own block."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import columns
from viscarbon.analysis.scope import (
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
from viscarbon.calc.keysectors import QUADRANTS, classify_key_sectors, quadrant_counts
from viscarbon.calc.leontief import LeontiefFactor, backward_linkages, forward_linkages
from viscarbon.i18n import normalize_lang, t
from viscarbon.io.writers.schema import Schema
from viscarbon.model import Axis, EEIOSystem

__all__ = [
    "QUADRANTS",
    "KeySectorResult",
    "key_sectors",
    "key_sectors_on",
]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class KeySectorResult:
    """Normalised Rasmussen linkages and key-sector quadrants (Miller & Blair 2009 §12.1).

    ``backward`` / ``forward`` (n,) dimensionless (mean 1 over the ``n`` sectors of the
    scope), ``quadrant`` (n,) indices into :data:`~viscarbon.calc.keysectors.QUADRANTS`;
    ``rows`` the scope's region-sector indices shown (all, or one region's).
    """

    dataset: str
    year: int
    region: str | None
    isolated: bool
    threshold: float
    regions: Axis
    sectors: Axis
    backward: Arr
    forward: Arr
    quadrant: NDArray[np.int64]
    rows: NDArray[np.int64]
    citation: str
    synthetic: bool
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Sectors per quadrant among the rows shown."""
        return quadrant_counts(self.quadrant[self.rows])

    def as_records(self, lang: str | None = None) -> list[dict[str, object]]:
        lang = normalize_lang(lang)
        r_lab, s_lab = self.regions.labels(lang), self.sectors.labels(lang)
        S = len(self.sectors)
        out: list[dict[str, object]] = []
        for i in (int(v) for v in self.rows):
            q = QUADRANTS[int(self.quadrant[i])]
            out.append({
                "region": self.regions.codes[i // S],
                "region_label": r_lab[i // S],
                "sector": self.sectors.codes[i % S],
                "sector_label": s_lab[i % S],
                "backward_linkage": float(self.backward[i]),
                "forward_linkage": float(self.forward[i]),
                "quadrant": q,
                "quadrant_label": t(f"structural.quadrant.{q}", lang),
            })
        return out

    def metadata(self, lang: str | None = None) -> dict[str, str]:
        return {
            "title": t("structural.title.linkages", lang),
            "dataset": self.dataset, "year": str(self.year),
            "units": units_text(self.schema(), lang),
            "scope": scope_note(self.isolated, self.region, lang),
            "threshold": f"{self.threshold:g}",
            "definition": t("structural.note.linkages", lang),
            **meta_tail(self.citation, self.synthetic, self.notes, lang),
        }

    def write(self, path: str | Path, *, fmt: Format = "csv", lang: str | None = None) -> Path:
        """Write ``as_records(lang)`` with the metadata block (:func:`viscarbon.io.writers.tables.write_table`)."""
        return write_records(self.as_records(lang), self.metadata(lang), path, fmt, schema=self.schema(),
                             lang=lang)

    def schema(self) -> Schema:
        """The columns of :meth:`as_records` (:mod:`viscarbon.analysis.columns`)."""
        return columns.KEY_SECTORS


def key_sectors(system: EEIOSystem, *, region: str | None = None, isolated: bool = False,
                threshold: float = 1.0, A: Arr | None = None,
                factor: LeontiefFactor | None = None, lang: str | None = None) -> KeySectorResult:
    """Backward (``n·1ᵀL / 1ᵀL1``) and forward (``n·G1 / 1ᵀG1``) linkages and quadrants.

    Full MRIO (``isolated=False``; ``region`` only selects the rows shown, the
    normalisation is over all R·S sectors) or the province's own block (``isolated=True``,
    normalised over its S sectors). ``A``/``factor`` reuse a cached factorisation.
    """
    sc = make_scope(system, region=region, isolated=isolated, A=A, factor=factor)
    return key_sectors_on(system, sc, region=region, threshold=threshold, lang=lang)


def key_sectors_on(system: EEIOSystem, sc: Scope, *, region: str | None, threshold: float,
                    lang: str | None, linkages: tuple[Arr, Arr] | None = None) -> KeySectorResult:
    """:func:`key_sectors` on a prepared scope; ``linkages`` (backward, forward) already
    computed for it (the engine's cached full-MRIO linkages) skip two solves."""
    isolated = sc.isolated
    if linkages is not None:
        bl, fl = linkages
    else:
        table = system.table
        x_tab = np.asarray(table.x[table.region_slice(region)]) if isolated and region else np.asarray(table.x)
        bl = backward_linkages(sc.factor)
        fl = forward_linkages(sc.factor, x_tab)
    q = classify_key_sectors(bl, fl, threshold=threshold)
    S = len(sc.sectors)
    if region is not None and not isolated:
        r = sc.regions.index(region)
        rows = np.arange(r * S, (r + 1) * S, dtype=np.int64)
    else:
        rows = np.arange(bl.size, dtype=np.int64)
    rows.setflags(write=False)
    q.setflags(write=False)
    return KeySectorResult(
        dataset=system.dataset, year=system.year, region=region, isolated=isolated,
        threshold=threshold, regions=sc.regions, sectors=sc.sectors, backward=readonly_copy(bl),
        forward=readonly_copy(fl), quadrant=q, rows=rows, citation=citation_of(system),
        synthetic=system.synthetic, notes=tuple(status_notes(system, lang)),
    )
