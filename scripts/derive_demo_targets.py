"""Derive the demo's intra-provincial calibration targets from the VisCEADs top-88 edges.

Run once by a developer (never at run time: the demo reads only what this writes)::

    python scripts/derive_demo_targets.py ../shared/data/visceads/top_edges_2012_2015.csv \
        src/viscarbon/demo/data/intra_targets_2012_2015.csv

Input: ``top_edges_2012_2015.csv``, the 88 largest intra-provincial intermediate flows of
each of the 31 regions in 2012 and 2015, **million yuan**, as published in the data files
of the VisCEADs dashboard (Oxford Roadmapping 2023), taken from the CEADs provincial MRIO
tables (Zheng, Bai, Wei et al. 2021, *Scientific Data* 8:244). Its README states no
licence; the shared-data index asks to cite both sources, which the written file does.

Output: one row per flow, ``region,year,from,to,value_10k_yuan``, regions and sectors as
viscarbon codes (``viscarbon.demo.visceads``), the value converted to the demo's unit,
``v_10k = 100 × v_million`` (1 million yuan = 100 × 10,000 yuan), and rounded to three
significant figures, sorted by region (NBS order), year, value (descending), sector pair.
It is a calibration target of the synthetic demo, not a copy of the tables.
``tests/test_demo_calibration.py`` checks that the packaged file is exactly what this
script writes from the shared file.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

from viscarbon.classification import region_codes
from viscarbon.demo.visceads import visceads_region_code, visceads_sector_code

HEADER = (
    "# derived by scripts/derive_demo_targets.py from the VisCEADs top-88 intra-provincial money\n"
    "# flows (VisCEADs dashboard data, Oxford Roadmapping 2023, taken from the CEADs provincial MRIO\n"
    "# tables of Zheng, Bai, Wei et al. 2021, Scientific Data 8:244; cite both): for each region and\n"
    "# year the 88 largest intra-provincial intermediate flows Z_rr[from, to], converted from million\n"
    "# yuan to 10,000 yuan (x 100) and rounded to 3 significant figures. Calibration targets of the\n"
    "# synthetic demo, not data tables.\n"
)
MILLION_YUAN_IN_10K: int = 100


def round_sig(value: float, digits: int = 3) -> int:
    """``value`` rounded to ``digits`` significant figures, as an integer (half to even)."""
    return int(Decimal(f"{value:.{digits}g}"))


def read_top_edges(path: Path) -> dict[tuple[str, int], dict[tuple[str, str], float]]:
    """The flows of the VisCEADs file by (region code, year): (from, to) → 10,000 yuan."""
    out: dict[tuple[str, int], dict[tuple[str, str], float]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (visceads_region_code(row["region_name"]), int(row["year"]))
            pair = (visceads_sector_code(row["from_sector_name"]),
                    visceads_sector_code(row["to_sector_name"]))
            cells = out.setdefault(key, {})
            if pair in cells:
                raise ValueError(f"{path}: {key} {pair} occurs twice")
            cells[pair] = float(row["value_million_yuan"]) * MILLION_YUAN_IN_10K
    return out


def derive_targets(path: Path) -> str:
    """The text of ``intra_targets_2012_2015.csv`` (see the module docstring)."""
    edges = read_top_edges(path)
    order = {c: k for k, c in enumerate(region_codes())}
    lines = [HEADER + "region,year,from,to,value_10k_yuan"]
    for region, year in sorted(edges, key=lambda k: (order[k[0]], k[1])):
        cells = [(round_sig(v), pair) for pair, v in edges[(region, year)].items()]
        for value, (i, j) in sorted(cells, key=lambda c: (-c[0], c[1])):
            lines.append(f"{region},{year},{i},{j},{value}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python scripts/derive_demo_targets.py TOP_EDGES_CSV OUT_CSV")
        return 2
    Path(args[1]).write_text(derive_targets(Path(args[0])), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
