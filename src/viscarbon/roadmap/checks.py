"""Targets as checks on a pathway, and the one adjustment that makes them binding.

Every applicable target is judged on a CO2 series (history before t0, the pathway from t0;
Mt): ``met``, ``missed`` (with the gap), ``not_checkable`` (the data cannot say: e.g.
non-fossil shares need energy data the tables do not have) or ``skipped`` (a figure
needed is not shipped: provincial GDP at constant prices before t0). Gaps are
*achieved − required* in the target's unit, positive when missed.

Binding (:func:`bind`): a uniform extra annual intensity cut ``c`` across all sectors of a
province from the first projected year, ``f_ps(t) ← f_ps(t) · (1 − c)^(t − t_cal)``
(households untouched), the smallest ``c`` that meets each binding target found by
bisection, targets taken in the priority order user > law > plan > announced >
assumption (then by year); national targets then add one national ``c`` on every province.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon.roadmap.targets import Target

__all__ = ["BindingOutcome", "Series", "TargetCheck", "bind", "check_target", "required_cut"]

Arr = NDArray[np.float64]
_TOL = 1e-9
MAX_CUT = 0.5


@dataclass(frozen=True, eq=False)
class Series:
    """A CO2 series to judge: ``years`` (history then pathway), ``co2`` (Mt, NaN where
    unknown), ``gdp`` (10,000 yuan at t0 prices; NaN where not known), ``t0``; ``gdp_note``
    says why GDP before t0 is missing."""

    region: str
    years: NDArray[np.int64]
    co2: Arr
    gdp: Arr
    t0: int
    gdp_note: str = ""

    def at(self, year: int) -> float:
        k = np.flatnonzero(self.years == year)
        return float(self.co2[k[0]]) if k.size else float("nan")

    def gdp_at(self, year: int) -> float:
        k = np.flatnonzero(self.years == year)
        return float(self.gdp[k[0]]) if k.size else float("nan")


@dataclass(frozen=True)
class TargetCheck:
    """One target judged on one pathway. ``value``/``required`` in ``unit`` (``Mt`` for
    emissions, ``year`` for a peak, ``fraction`` for a change of intensity); ``gap`` =
    value − required (> 0: missed by that much), ``excess_mt`` the CO2 above what the target
    allows in its year (Mt; 0 when met); ``year`` the year judged; ``reason`` a message key
    when not judged; ``params`` figures for the message."""

    target: Target
    region: str
    pathway: str
    status: str
    unit: str = ""
    value: float | None = None
    required: float | None = None
    gap: float | None = None
    excess_mt: float | None = None
    year: int | None = None
    reason: str = ""
    params: dict[str, object] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.status == "met"


def _peak(s: Series, year: int) -> tuple[int, float, float]:
    """(peak year, CO2 at the peak, overshoot after ``year``) over the known years."""
    ok = np.isfinite(s.co2)
    before = ok & (s.years <= year)
    after = ok & (s.years > year)
    peak_i = int(np.nanargmax(np.where(ok, s.co2, -np.inf)))
    best_before = float(s.co2[before].max()) if before.any() else float("nan")
    over = float(s.co2[after].max() - best_before) if after.any() and before.any() else 0.0
    return int(s.years[peak_i]), float(s.co2[peak_i]), max(over, 0.0)


def check_target(t: Target, s: Series, *, pathway: str) -> TargetCheck:
    """Judge target ``t`` on series ``s`` (see the module doc)."""
    def made(**kw: Any) -> TargetCheck:
        return TargetCheck(target=t, region=s.region, pathway=pathway, **kw)

    if t.kind == "non_fossil_share":
        return made(status="not_checkable", reason="no_energy_data", year=t.year,
                           params={"share": t.share})
    if t.year > int(s.years[-1]):
        return made(status="skipped", reason="beyond_horizon", year=t.year)
    if t.kind == "peak":
        py, pv, over = _peak(s, t.year)
        status = "met" if over <= _TOL * max(pv, 1.0) else "missed"
        return made(status=status, unit="year", value=float(py), required=float(t.year),
                           gap=float(py - t.year) if status == "missed" else 0.0, excess_mt=over, year=py,
                           params={"peak_year": py, "peak_mt": pv, "overshoot_mt": over})
    if t.kind == "neutrality":
        assert t.base_year is not None and t.gross_cut is not None
        e_base, e_end = s.at(t.base_year), s.at(t.year)
        if not np.isfinite(e_base):
            return made(status="skipped", reason="no_base_year_co2", year=t.year,
                               params={"base_year": t.base_year})
        allowed = (1.0 - t.gross_cut) * e_base
        gap = e_end - allowed
        return made(status="met" if gap <= _TOL * max(abs(allowed), 1.0) else "missed", unit="Mt",
                           value=e_end, required=allowed, gap=gap, excess_mt=max(gap, 0.0), year=t.year,
                           params={"base_year": t.base_year, "base_mt": e_base, "gross_cut": t.gross_cut,
                                   "removal_mt": max(e_end, 0.0)})
    if t.kind == "intensity_cut":
        assert t.base_year is not None and t.cut is not None
        e_b, e_y = s.at(t.base_year), s.at(t.year)
        g_b, g_y = s.gdp_at(t.base_year), s.gdp_at(t.year)
        if not (np.isfinite(e_b) and e_b > 0):
            return made(status="skipped", reason="no_base_year_co2", year=t.year,
                               params={"base_year": t.base_year})
        if not (np.isfinite(g_b) and g_b > 0):
            return made(status="skipped", reason=s.gdp_note or "no_base_year_gdp", year=t.year,
                               params={"base_year": t.base_year})
        change = (e_y / g_y) / (e_b / g_b) - 1.0
        allowed_mt = (1.0 - t.cut) * (e_b / g_b) * g_y
        gap = change - (-t.cut)
        return made(status="met" if gap <= _TOL else "missed", unit="fraction", value=change,
                           required=-t.cut, gap=gap, excess_mt=max(e_y - allowed_mt, 0.0), year=t.year,
                           params={"base_year": t.base_year, "cut": t.cut, "allowed_mt": allowed_mt})
    # emissions_cut
    assert t.cut is not None
    e_y = s.at(t.year)
    if t.from_peak:
        ok = np.isfinite(s.co2) & (s.years <= t.year)
        ref = float(s.co2[ok].max())
        ref_year = int(s.years[ok][int(np.argmax(s.co2[ok]))])
    else:
        assert t.base_year is not None
        ref, ref_year = s.at(t.base_year), t.base_year
        if not np.isfinite(ref):
            return made(status="skipped", reason="no_base_year_co2", year=t.year,
                               params={"base_year": t.base_year})
    weak = t.cut_low if t.cut_low is not None else t.cut
    allowed = (1.0 - weak) * ref
    gap = e_y - allowed
    change = e_y / ref - 1.0 if ref else float("nan")
    return made(status="met" if gap <= _TOL * max(abs(allowed), 1.0) else "missed", unit="Mt",
                       value=e_y, required=allowed, gap=gap, excess_mt=max(gap, 0.0), year=t.year,
                       params={"reference_year": ref_year, "reference_mt": ref, "change": change, "cut": t.cut,
                               "cut_low": weak, "strong_end_met": e_y <= (1.0 - t.cut) * ref + _TOL})


def required_cut(met: Callable[[float], bool], *, hi: float = MAX_CUT, iterations: int = 60) -> float | None:
    """The smallest ``c`` in [0, hi] with ``met(c)`` by bisection (0 if already met; None
    when even ``hi`` does not meet it)."""
    if met(0.0):
        return 0.0
    if not met(hi):
        return None
    lo = 0.0
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if met(mid):
            hi = mid
        else:
            lo = mid
    # a hair above the threshold, so that the rounding of later sums cannot undo it
    nudged = min(hi * (1.0 + 1e-6) + 1e-12, MAX_CUT)
    return nudged if met(nudged) else hi


@dataclass(frozen=True)
class BindingOutcome:
    """What a binding target did: the cut it needed (``needed``; None: not reachable by
    the adjustment up to 50 % a year), whether it ``bound`` (raised the cut) and by how much
    (``raised_by``), the resulting cut ``cut`` of the region after it."""

    target: Target
    region: str
    needed: float | None
    bound: bool
    raised_by: float
    cut: float
    reason: str = ""


def bind(targets: Sequence[tuple[Target, str]], *, series_for: Callable[[str, float], Series],
         start: float = 0.0) -> tuple[float, list[BindingOutcome]]:
    """The uniform cut of one region (or of the nation) that meets ``targets`` in priority
    order; ``series_for(region, c)`` gives the series with cut ``c``. Targets that cannot
    be judged (non-fossil, skipped) are reported and do not bind."""
    cut = start
    out: list[BindingOutcome] = []
    for t, region in sorted(targets, key=lambda tr: (tr[0].priority, tr[0].year, tr[0].id)):
        probe = check_target(t, series_for(region, cut), pathway="scenario")
        if probe.status in ("not_checkable", "skipped"):
            out.append(BindingOutcome(t, region, None, False, 0.0, cut, reason=probe.reason))
            continue

        def ok(c: float, _t: Target = t, _r: str = region) -> bool:
            return check_target(_t, series_for(_r, c), pathway="scenario").met

        def ok_from(c: float, _floor: float = cut) -> bool:
            return ok(max(c, _floor))

        need = required_cut(ok_from)
        if need is None:
            out.append(BindingOutcome(t, region, None, False, 0.0, cut, reason="unreachable"))
            continue
        new = max(cut, need)
        out.append(BindingOutcome(t, region, need, new > cut, new - cut, new))
        cut = new
    return cut, out
