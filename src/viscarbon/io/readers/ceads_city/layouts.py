"""The layout of the CEADs city MRIO ``.mat`` files, declared as data.

The city tables (Zheng et al. 2021 methodology; 2012, 2015, 2017; 313 cities × 42
sectors, 10,000 yuan) are distributed as MATLAB files. Variable names differ between
releases and hand-made copies, so each block is located by one of the accepted names
(compared spelling-insensitively: case, spaces, ``_`` and ``-`` ignored) *and* by its
shape, with n = C·S region-sectors (C cities, S = 42 sectors):

===========  ==========================================  =====================
block        accepted names                               shape
===========  ==========================================  =====================
``Z``        Z, T, Zmat, intermediate, inter, IntermediateUse  (n, n)
``FD``       FD, Y, F, finaldemand, final_demand          (n, 5·C) or (5·C, n)
``VA``       VA, V, valueadded, value_added               (m, n) or (n, m), m ≤ 10
``IM``       IM, M, import(s), imp                        (n,) (1, n) or (n, 1)
``EX``       EX, E, export(s), exp                        (n,) (1, n) or (n, 1)
``GO``       X, GO, output, totaloutput, total_output     (n,) (1, n) or (n, 1)
``cities``   city, cities, citylist, cityname(s), region(s), citycode(s)   C texts or codes
===========  ==========================================  =====================

The five final-demand columns of each city are, in order, rural household consumption,
urban household consumption, government consumption, gross fixed capital formation and
changes in inventories (FU101, FU102, FU103, FU201, FU202), city-major. When several
variables answer to one block's names, the one with the block's shape is taken (an
emission extension ``F`` (1, n) beside ``FD``); several of that shape are an error. ``GO`` may be
absent: then ``x = Z·1 + FD·1 + EX`` (stated in the table's notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["BLOCKS", "FD_PER_CITY", "MAX_VA_ROWS", "SECTORS_PER_CITY", "BlockSpec"]

SECTORS_PER_CITY: Final = 42
FD_PER_CITY: Final = 5
MAX_VA_ROWS: Final = 10


@dataclass(frozen=True)
class BlockSpec:
    """One block: its ``name``, the accepted variable ``names`` (normalised keys), the
    ``shape`` it must have (text for messages) and whether it is ``required``."""

    name: str
    names: tuple[str, ...]
    shape: str
    required: bool = True


BLOCKS: Final[tuple[BlockSpec, ...]] = (
    BlockSpec("Z", ("z", "t", "zmat", "intermediate", "inter", "intermediateuse"), "(n, n)"),
    BlockSpec("FD", ("fd", "y", "f", "finaldemand", "fu"), "(n, 5·C) or (5·C, n)"),
    BlockSpec("VA", ("va", "v", "valueadded", "w"), "(m, n) or (n, m) with m ≤ 10"),
    BlockSpec("IM", ("im", "m", "import", "imports", "imp"), "(n,), (1, n) or (n, 1)"),
    BlockSpec("EX", ("ex", "e", "export", "exports", "exp"), "(n,), (1, n) or (n, 1)"),
    BlockSpec("GO", ("x", "go", "output", "totaloutput", "grossoutput"), "(n,), (1, n) or (n, 1)",
              required=False),
    BlockSpec("cities", ("city", "cities", "citylist", "cityname", "citynames", "region", "regions",
                         "citycode", "citycodes", "regionname", "regionnames"), "C names or codes"),
)
