"""The CEADs provincial MRIO reader (:mod:`.reader`) and its layouts as data (:mod:`.layouts`)."""

from __future__ import annotations

from viscarbon.io.readers.ceads_mrio.layouts import LAYOUTS, MrioLayout, layout
from viscarbon.io.readers.ceads_mrio.reader import read_ceads_mrio, va_axis

__all__ = ["LAYOUTS", "MrioLayout", "layout", "read_ceads_mrio", "va_axis"]
