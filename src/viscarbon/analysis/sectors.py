"""Values of one sector list re-expressed on another (the NBS 2012- and 2017-style lists)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from viscarbon.classification import SECTOR_LISTS, sector_correspondence
from viscarbon.model import Axis

__all__ = ["align_sectors"]

Arr = NDArray[np.float64]


def align_sectors(values: Arr, source: Axis, target: Axis, *, additive: bool) -> tuple[Arr, bool]:
    """Sector values on ``source``'s list re-expressed on ``target``'s list.

    Same list (or custom lists): matched by code, codes absent from ``source`` are NaN.
    Between the NBS 2012- and 2017-style lists (:func:`viscarbon.classification.
    sector_correspondence`): a target sector gets the value of its one source sector when
    the correspondence is one-to-one; the sum of its sources when several merge into it and
    the indicator is additive (output, CO2 …); NaN when a source splits across targets or a
    merge meets a non-additive indicator (intensity, multiplier …), since no honest value
    exists there. Returns ``(values on target, whether the lists differed)``.
    """
    out = np.full(len(target), np.nan)
    if source.list_id == target.list_id or not {source.list_id, target.list_id} <= set(SECTOR_LISTS):
        pos = {code: k for k, code in enumerate(source.codes)}
        for k, code in enumerate(target.codes):
            if code in pos:
                out[k] = values[pos[code]]
        return out, False
    corr = sector_correspondence(source.list_id, target.list_id)
    sources_of: dict[str, list[str]] = {}
    for src, dsts in corr.items():
        for dst in dsts:
            sources_of.setdefault(dst, []).append(src)
    pos = {code: k for k, code in enumerate(source.codes)}
    for k, code in enumerate(target.codes):
        srcs = sources_of.get(code, [])
        if not srcs or any(len(corr[c]) > 1 for c in srcs) or (len(srcs) > 1 and not additive):
            continue
        out[k] = float(sum(values[pos[c]] for c in srcs))
    return out, True
