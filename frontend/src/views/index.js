// The dashboard's tabs: one module per tab, named after it (views/<tab>.js; the Python side
// has web/views/<tab>.py with the same names). The order here is the order of the tab bar
// and of core/state.js TABS.
//
// Mount point for a new tab (e.g. "supply_chains"): write views/<tab>.js exporting a class
// with mount(panel), render(state, view) → Promise and optionally resize(); add it below and
// to TABS in core/state.js; add the catalog key web.tab.<tab> (en and zh-Hans). The
// controller (app.js) builds the tab button and the panel, renders the active tab and waits
// for its charts and tables before it reports "vc:tab-rendered".
import { NetworkView } from "./network.js";
import { SectorsView } from "./sectors.js";
import { FlowsView } from "./flows.js";
import { TrendsView } from "./trends.js";
import { SankeyView } from "./sankey.js";
import { ProvincesView } from "./provinces.js";
import { TradeView } from "./trade.js";
import { CompareView } from "./compare.js";
import { InventoryView } from "./inventory.js";
import { SupplyChainsView } from "./supply_chains.js";
import { RoadmapView } from "./roadmap.js";
import { CityView } from "./city.js";

export const VIEWS = {
  network: NetworkView,
  sectors: SectorsView,
  flows: FlowsView,
  trends: TrendsView,
  sankey: SankeyView,
  provinces: ProvincesView,
  trade: TradeView,
  compare: CompareView,
  supply_chains: SupplyChainsView,
  city: CityView,
  roadmap: RoadmapView,
  inventory: InventoryView,
};
