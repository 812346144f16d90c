"""Pure numerics: numpy/scipy arrays in, arrays out (no pandas, no model, no I/O).

Modules (import them explicitly; this package imports nothing so a half-finished module
cannot break another):

* :mod:`viscarbon.calc.leontief` — A, LU factor and solves, L, f, m = fL, output
  multipliers, Ghosh B/G, Rasmussen linkages.
* :mod:`viscarbon.calc.accounts` — production/consumption-based CO2, transfer matrix,
  embodied in exports, footprints by sector of origin, imports estimate.
* :mod:`viscarbon.calc.electricity` — electricity-adjusted accounts.
* :mod:`viscarbon.calc.network` — ranks, edge reduction, PageRank, betweenness.
"""
