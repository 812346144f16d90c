"""Derive the demo's embedded parameter files from public data (run once by a developer).

Never used at run time: the demo reads only the CSV files this writes into
``demo/data``. Re-run with::

    python -m viscarbon.demo._derive ../shared/data/nbs/china_2015_42.csv \
        ../shared/data/ceads/inventories/Emission_Inventories_for_30_Provinces_2015.xlsx \
        src/viscarbon/demo/data

and a test (``tests/test_demo_data.py``, real data) checks that the packaged files are
exactly what this produces.

``national_structure_2015.csv`` (NBS 2015 42-sector table, competitive imports,
10,000 yuan; Miller & Blair 2009, §2.2 and §8.2 on import treatment):

* ``a_<j>`` in row ``i``: domestic technical coefficient ``a^d_ij = (1 − m_i) z_ij / x_j``
  with the import share of product ``i`` ``m_i = IM_i / (TIU_i + TFU_i − EX_i)``
  (imports over domestic use);
* ``im`` (column attribute of sector ``j``): imported intermediate input per unit of
  output, ``Σ_i m_i z_ij / x_j``;
* ``va001``-``va003``: value-added rows per unit of output (``VA004`` is the residual at
  run time, so each column sums to one);
* ``fu101``-``fu202``, ``ex``: domestically supplied final demand of product ``i`` per
  yuan of national GDP: ``(1 − m_i) FU_k,i / ΣTVA`` (negative inventory changes set to
  0), exports ``EX_i / ΣTVA``.

``inventory_profile_2015.csv`` (CEADs 2015, the 30 provinces summed, Mt CO2): the
total of each of the 47 inventory rows and its split over the 21 columns.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from viscarbon.io.readers.ceads_inventory.reader import read_inventory_workbook

FD = ("FU101", "FU102", "FU103", "FU201", "FU202")
NBS_CITATION = ("National Bureau of Statistics of China, 2015 input-output table of China "
                "(42 sectors), 10,000 yuan")
INV_CITATION = ("CEADs provincial CO2 inventories 2015 (Shan et al. 2018, Sci Data 5:170201; "
                "Guan et al. 2021, Earth's Future 9:e2021EF002241), 30 provinces summed")


def derive_structure(nbs_csv: Path) -> str:
    with nbs_csv.open(encoding="utf-8") as fh:
        rows = {r["Code"]: r for r in csv.DictReader(fh)}
    codes = [f"{i:02d}" for i in range(1, 43)]

    def v(r: str, c: str) -> float:
        return float(rows[r][c] or 0.0)

    gdp = sum(v("TVA", j) for j in codes)
    m = {}
    for i in codes:
        dom_use = v(i, "TIU") + v(i, "TFU") - v(i, "EX")
        m[i] = min(max(v(i, "IM") / dom_use, 0.0), 0.95) if dom_use > 0 else 0.0
    lines = [
        f"# derived by viscarbon.demo._derive from: {NBS_CITATION}",
        "# a_j in row i: domestic technical coefficient (1-m_i) z_ij / x_j; im, va001-va003: per unit"
        " of output of the row's sector (column attributes); fu*, ex: domestic final demand of the"
        " row's product per unit of national GDP",
        ",".join(["code", "import_share", "im", "va001", "va002", "va003", *[f.lower() for f in FD],
                  "ex", *[f"a_{j}" for j in codes]]),
    ]
    for i in codes:
        x = v(i, "GO")
        im = sum(m[k] * v(k, i) for k in codes) / x
        vas = [v(f"VA00{k}", i) / x for k in (1, 2, 3)]
        fds = [max(v(i, f), 0.0) * (1 - m[i]) / gdp for f in FD]
        ex = v(i, "EX") / gdp
        a = [(1 - m[i]) * v(i, j) / v(j, "GO") for j in codes]
        cells = [i, f"{m[i]:.7f}", f"{im:.7f}", *[f"{q:.7f}" for q in vas],
                 *[f"{q:.7f}" for q in fds], f"{ex:.7f}", *[f"{q:.7f}" for q in a]]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def derive_inventory_profile(xlsx: Path) -> str:
    inv = read_inventory_workbook(xlsx)
    nat = inv.values.sum(axis=0)  # 47 × 21, Mt
    lines = [
        f"# derived by viscarbon.demo._derive from: {INV_CITATION}",
        "# co2_mt: row total (Mt CO2); the other columns: share of the row total per inventory column",
        ",".join(["index", "co2_mt", *inv.columns.codes]),
    ]
    for s in range(nat.shape[0]):
        tot = float(nat[s].sum())
        shares = [float(q) / tot if tot > 0 else 0.0 for q in nat[s]]
        lines.append(",".join([str(s + 1), f"{tot:.2f}", *[f"{q:.6f}" for q in shares]]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m viscarbon.demo._derive NBS_2015_CSV INVENTORY_2015_XLSX OUT_DIR")
        return 2
    out = Path(args[2])
    (out / "national_structure_2015.csv").write_text(derive_structure(Path(args[0])), encoding="utf-8")
    (out / "inventory_profile_2015.csv").write_text(derive_inventory_profile(Path(args[1])),
                                                     encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
