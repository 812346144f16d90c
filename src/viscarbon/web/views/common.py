"""What every view shares: JSON helpers, units, labels, colours, the tile map and the
"honesty" block every data payload carries (dataset, synthetic flag and banner, citation,
units, scope). Pure functions of codes and numbers; no analysis, no I/O.

Units: money in 10,000 yuan (万元, ``10k_yuan``), CO2 in Mt (``mt``), intensities in t CO2
per 10,000 yuan (``t_per_10k_yuan``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.analysis import INDICATORS
from viscarbon.analysis.indicators import Indicator
from viscarbon.classification import families, region, sectors
from viscarbon.datasets import DatasetInfo
from viscarbon.harmonize import ReconciliationReport
from viscarbon.i18n import normalize_lang, t

__all__ = [
    "JSON",
    "NATIONAL_REGIONS",
    "TILES",
    "UNIT_KEYS",
    "colour",
    "honesty",
    "indicator_specs",
    "num",
    "nums",
    "reconciliation_block",
    "region_label",
    "rows_of",
    "scope_note",
    "sector_labels",
    "status_note",
    "unit_labels",
]

Arr = NDArray[np.float64]
JSON = dict[str, Any]

#: unit code → catalog key of its label (common namespace).
UNIT_KEYS: Final = {
    "10k_yuan": "common.unit.10k_yuan",
    "100m_yuan": "common.unit.100m_yuan",
    "mt": "common.unit.mt_co2",
    "t_per_10k_yuan": "common.unit.t_per_10k_yuan",
    "dimensionless": "common.unit.dimensionless",
}

#: Tile-grid map of China: region code → (row, column); one tile per province, roughly
#: where it lies (north at the top). No boundary data needed.
TILES: Final[Mapping[str, tuple[int, int]]] = {
    "HL": (0, 7),
    "NM": (1, 4), "BJ": (1, 5), "LN": (1, 6), "JL": (1, 7),
    "XJ": (2, 0), "NX": (2, 2), "SX": (2, 3), "HE": (2, 4), "TJ": (2, 5),
    "QH": (3, 1), "GS": (3, 2), "SN": (3, 3), "HA": (3, 4), "SD": (3, 5),
    "XZ": (4, 0), "SC": (4, 2), "CQ": (4, 3), "HB": (4, 4), "AH": (4, 5), "JS": (4, 6),
    "GZ": (5, 2), "HN": (5, 3), "JX": (5, 4), "ZJ": (5, 5), "SH": (5, 6),
    "YN": (6, 2), "GX": (6, 3), "GD": (6, 4), "FJ": (6, 5),
    "HI": (7, 4),
}



RECONCILIATION_RTOL: Final = 1e-3


def num(x: object) -> float | None:
    """A JSON number, ``None`` for NaN/inf/None (unknown is never shown as 0)."""
    if x is None:
        return None
    v = float(x)  # type: ignore[arg-type]
    return v if math.isfinite(v) else None


def nums(a: Arr | Sequence[float]) -> list[float | None]:
    arr = np.asarray(a, dtype=np.float64)
    if np.isfinite(arr).all():
        out: list[float | None] = arr.tolist()
        return out
    return [v if math.isfinite(v) else None for v in arr.tolist()]


def unit_labels(codes: Sequence[str], lang: str) -> dict[str, str]:
    """Unit code → localised label for the given codes (unknown codes kept as they are)."""
    return {c: (t(UNIT_KEYS[c], lang) if c in UNIT_KEYS else c) for c in dict.fromkeys(codes)}


def honesty(ds: DatasetInfo, lang: str, *, units: Sequence[str] = ()) -> JSON:
    """The block every data payload carries: dataset, synthetic, banner, citation, units."""
    lang = normalize_lang(lang)
    return {
        "dataset": ds.name,
        "synthetic": ds.synthetic,
        "banner": t("common.synthetic_demo", lang) if ds.synthetic else None,
        "citation": ds.citation,
        "units": unit_labels(list(units) or list(UNIT_KEYS), lang),
        "lang": lang,
        "single_region": len(ds.regions) == 1,
        "scope_note": scope_note(ds, lang),
    }


def sector_labels(list_id: str, codes: Sequence[str], lang: str) -> dict[str, tuple[str, str, str]]:
    """code → (name, short name, family) for a known list; codes as labels otherwise."""
    try:
        known = {s.code: s for s in sectors(list_id)}
    except KeyError:
        known = {}
    out = {}
    for c in codes:
        s = known.get(c)
        out[c] = (s.name(lang), s.name(lang, short=True), s.family) if s else (c, c, "")
    return out


def colour(family_code: str) -> str:
    for f in families():
        if f.code == family_code:
            return f.colour
    return "#999999"


#: Regions of national (single-region) tables, labelled through the catalogs.
NATIONAL_REGIONS: Final = ("CN",)


def region_label(code: str, lang: str) -> str:
    if code in NATIONAL_REGIONS:
        return t(f"inventory.region.{code}", lang)
    try:
        return region(code).name(lang)
    except KeyError:
        return code


def scope_note(ds: DatasetInfo, lang: str) -> str | None:
    """For a single-region dataset (a national table such as NBS, region ``CN``): why the
    maps and the R × R trade views show one region; None for multi-regional datasets."""
    if len(ds.regions) != 1:
        return None
    return t("api.single_region.note", lang, dataset=ds.name, region=region_label(ds.regions[0], lang),
             code=ds.regions[0])


def status_note(status: str, region_code: str, lang: str) -> str | None:
    """Why a region is greyed (``missing``) or flagged (``imputed``); None when reported."""
    if status == "missing":
        return t("api.status.missing", lang, region=region_label(region_code, lang))
    if status == "imputed":
        return t("api.status.imputed", lang, region=region_label(region_code, lang))
    return None


def fmt_mt(x: float | None, lang: str) -> str:
    """A figure in Mt for a sentence (two decimals, thousands separated; "n/a" when unknown)."""
    return t("api.reconciliation.na", lang) if x is None else f"{x:,.2f}"


def reconciliation_block(report: ReconciliationReport | None, region_code: str, lang: str) -> JSON | None:
    """Inventory total, mapped total, MRIO CO2-row total (Mt) of one region, their largest
    difference and a localised note when they disagree by more than 0.1 %."""
    if report is None:
        return None
    row = next((r for r in report.rows if r.region == region_code), None)
    if row is None:
        return None
    inv, mapped, mrio = num(row.inventory_total), num(row.mapped_total), num(row.mrio_co2_total)
    known = [v for v in (inv, mapped, mrio) if v is not None]
    diff = (max(known) - min(known)) if len(known) >= 2 else None
    note = None
    if diff is not None and diff > RECONCILIATION_RTOL * max(abs(v) for v in known):
        ref = inv if inv else max(abs(v) for v in known)
        pct = 100.0 * diff / ref if ref else float("nan")
        note = t("api.reconciliation.note", lang, region=region_label(region_code, lang),
                 inventory=fmt_mt(inv, lang), mapped=fmt_mt(mapped, lang), mrio=fmt_mt(mrio, lang),
                 diff=f"{diff:,.2f}", pct=f"{pct:.1f}")
    return {"inventory_mt": inv, "mapped_mt": mapped, "mrio_co2_mt": mrio,
            "difference_mt": diff, "note": note}


def rows_of(a: Arr) -> list[list[float | None]]:
    """A 2-D array as JSON rows (``None`` for unknown values)."""
    return [nums(row) for row in np.asarray(a, dtype=np.float64)]


def indicator_specs() -> tuple[Indicator, ...]:
    """The node indicators, in registry order."""
    return tuple(INDICATORS.values())
