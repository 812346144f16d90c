"""One module per dashboard tab (``web/views/<tab>.py`` ↔ ``frontend/src/views/<tab>.js``):
its route(s) and the pure functions that shape the analysis results into its JSON.

The Network, Sectors and Sankey tabs draw from one province-year bundle (``/api/view``,
:mod:`.network`); :mod:`.sectors` also serves the sector table on its own for API users;
:mod:`.meta` is the page's first payload; :mod:`.common` what every view shares;
:mod:`.roadmap` the Roadmap tab (``GET``/``POST /api/roadmap``) on the app's roadmapper;
:mod:`.city_pathway` the city pathway panel of the City tab (``GET /api/city-pathway``).
"""

from __future__ import annotations

from fastapi import APIRouter

from viscarbon.web.views import (
                                  city,
                                  city_pathway,
                                  compare,
                                  flows,
                                  headline,
                                  inventory,
                                  meta,
                                  network,
                                  provinces,
                                  roadmap,
                                  sectors,
                                  supply_chains,
                                  trade,
                                  trends,
)

__all__ = ["ROUTERS"]

#: The routers of the views, in the order the API documents them.
ROUTERS: tuple[APIRouter, ...] = (meta.router, network.router, sectors.router, flows.router,
                                  provinces.router, trade.router, trends.router, inventory.router,
                                  compare.router, roadmap.router, headline.router, supply_chains.router,
                                  city.router, city_pathway.router)
