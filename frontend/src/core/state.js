// The view state lives in the URL (?dataset=demo&region=GD&year=2017&lang=zh-Hans&...).
// parseState() validates every parameter against /api/meta and never throws: a bad value
// falls back to the default and is reported, so the page shows a message, not a blank.

export const TABS = ["network", "sectors", "flows", "trends", "sankey", "provinces", "trade", "supply_chains", "city", "compare", "roadmap", "inventory"];
/** The one tab of an inventory-only dataset (CEADs inventories without an IO table). */
export const INVENTORY_TAB = "inventory";
export const MODES = ["money", "carbon"];
export const COLOURS = ["family", "intensity"];
export const INTRA = ["all", "only", "exclude"];
/** CO2 shown in Mt (百万吨) or in 万吨 (10 kt; offered on the Chinese page). */
export const CO2_UNITS = ["mt", "10kt"];
/** A city code of a city table (six-digit GB/T 2260 codes; C007-style for unmatched cities). */
const CITY_CODE = /^[0-9A-Za-z]{1,12}$/;
/** A scenario id as the scenario files write it (roadmap/scenario.py). */
const SCENARIO_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const LANG_ALIASES = {
  en: "en",
  "en-us": "en",
  "en-gb": "en",
  zh: "zh-Hans",
  "zh-hans": "zh-Hans",
  zh_hans: "zh-Hans",
  "zh-cn": "zh-Hans",
  cn: "zh-Hans",
};

export function normaliseLang(v) {
  return LANG_ALIASES[String(v || "").trim().toLowerCase()] || null;
}

function num(v) {
  if (v === null || v === undefined || String(v).trim() === "") return NaN;
  return Number(v);
}

export const NUMERIC = {
  top: { min: 0.01, max: 100, def: 5 },
  keep: { min: 0, max: 42, def: 0, int: true },
  gravity: { min: 0, max: 1, def: 0.1 },
  repulsion: { min: 1, max: 2000, def: 200 },
  n: { min: 1, max: 60, def: 10, int: true },
  min: { min: 0, max: Infinity, def: 0 },
};

/** /api/meta lists inventory-only datasets apart (`inventories`); the page offers them in
 * the same dataset list, after the IO datasets (marked `inventory_only`). */
export function withInventories(meta) {
  const names = new Set((meta.datasets || []).map((d) => d.name));
  const extra = (meta.inventories || []).filter((d) => !names.has(d.name)).map((d) => Object.assign({ inventory_only: true }, d));
  meta.datasets = (meta.datasets || []).concat(extra);
  return meta;
}

/** True when the dataset holds inventories only (no IO table: only the Inventory tab applies). */
export function inventoryOnly(meta, name) {
  const ds = datasetByName(meta, name);
  return !!(ds && ds.inventory_only);
}

/** The tab to show: the Inventory tab for an inventory-only dataset, never for an IO dataset. */
export function tabFor(meta, name, tab) {
  if (inventoryOnly(meta, name)) return INVENTORY_TAB;
  return tab === INVENTORY_TAB ? "network" : tab;
}

export function datasetByName(meta, name) {
  return (meta.datasets || []).find((d) => d.name === name) || null;
}

/** Region codes of a dataset (its own list when /api/meta gives one, e.g. ["CN"] for a
 * national table), else every region of the meta. */
export function regionsOf(meta, dsName) {
  const ds = datasetByName(meta, dsName);
  const all = (meta.regions || []).map((r) => r.code);
  return ds && Array.isArray(ds.regions) && ds.regions.length ? ds.regions.filter((c) => all.includes(c)) : all;
}

/** The region to show for a dataset: `wanted` when the dataset has it, else Guangdong, else its first. */
export function regionFor(meta, dsName, wanted) {
  const codes = regionsOf(meta, dsName);
  if (codes.includes(wanted)) return wanted;
  return codes.includes("GD") ? "GD" : codes[0];
}

export function defaults(meta, bootLang) {
  const def = meta.defaults || {};
  const ds = datasetByName(meta, def.dataset) || (meta.datasets || [])[0] || { name: "demo", years: [] };
  const years = ds.years || [];
  const regions = regionsOf(meta, ds.name);
  const indicators = (meta.indicators || []).map((i) => i.code);
  return {
    dataset: ds.name,
    region: def.region && regions.includes(def.region) ? def.region : regions.includes("GD") ? "GD" : regions[0],
    year: def.year && years.includes(def.year) ? def.year : years.length ? years[years.length - 1] : null,
    lang: bootLang || "en",
    mode: MODES.includes(def.mode) ? def.mode : "money",
    indicator: indicators.includes(def.indicator) ? def.indicator : indicators.includes("output") ? "output" : indicators[0],
    colour: "family",
    tab: "network",
    top: typeof def.top === "number" ? def.top : NUMERIC.top.def,
    keep: typeof def.keep === "number" ? def.keep : NUMERIC.keep.def,
    gravity: NUMERIC.gravity.def,
    repulsion: NUMERIC.repulsion.def,
    n: NUMERIC.n.def,
    from: "",
    to: "",
    intra: "all",
    min: 0,
    compare: "",
    co2: "mt",
    cols: "",
    sector: "", // Supply chains: the sector traced ("" = the province's whole final demand)
    base: "", // Supply chains: the earlier year of the decomposition ("" = the previous table year)
    scenario: "baseline",
    city: "", // City tab: the city code ("" = the capital or first city of the province)
    cityds: "", // City tab: the city dataset ("" = the latest imported one, else demo-city)
  };
}

/** The sector list of a dataset ([{code, label, short, family}]). */
export function sectorsOf(meta, dsName) {
  const ds = datasetByName(meta, dsName);
  const lists = meta.sectors || {};
  if (Array.isArray(lists)) return lists;
  return (ds && lists[ds.sector_list]) || [];
}

/** Parse and validate a query string. Returns {state, problems: [{param, value, allowed}]}. */
export function parseState(search, meta, bootLang) {
  const q = new URLSearchParams(search);
  const s = defaults(meta, bootLang);
  const problems = [];
  const bad = (param, allowed) => problems.push({ param, value: q.get(param), allowed });

  if (q.has("dataset")) {
    const ds = datasetByName(meta, q.get("dataset"));
    if (ds) {
      if (ds.name !== s.dataset) s.year = ds.years.length ? ds.years[ds.years.length - 1] : null;
      s.dataset = ds.name;
    } else bad("dataset", (meta.datasets || []).map((d) => d.name).join(", "));
  }
  const ds = datasetByName(meta, s.dataset) || { years: [] };
  if (q.has("year")) {
    const y = Number(q.get("year"));
    if (ds.years.includes(y)) s.year = y;
    else bad("year", ds.years.join(", "));
  }
  const regions = regionsOf(meta, s.dataset);
  if (q.has("region")) {
    const code = String(q.get("region")).trim().toUpperCase();
    if (regions.includes(code)) s.region = code;
    else bad("region", regions.join(", "));
  }
  s.region = regionFor(meta, s.dataset, s.region);
  if (q.has("lang")) {
    const l = normaliseLang(q.get("lang"));
    if (l) s.lang = l;
    else bad("lang", "en, zh-Hans, zh");
  }
  const choose = (param, allowed) => {
    if (!q.has(param)) return;
    const v = q.get(param);
    if (allowed.includes(v)) s[param] = v;
    else bad(param, allowed.join(", "));
  };
  choose("mode", MODES);
  choose("colour", COLOURS);
  choose("tab", TABS);
  choose("intra", INTRA);
  choose("co2", CO2_UNITS);
  choose("indicator", (meta.indicators || []).map((i) => i.code));
  const codes = sectorsOf(meta, s.dataset).map((x) => x.code);
  for (const p of ["from", "to", "sector"]) {
    if (!q.has(p) || q.get(p) === "") continue;
    if (!codes.length || codes.includes(q.get(p))) s[p] = q.get(p);
    else bad(p, codes.join(", "));
  }
  for (const [param, spec] of Object.entries(NUMERIC)) {
    if (!q.has(param)) continue;
    const v = num(q.get(param));
    if (Number.isFinite(v) && v >= spec.min && v <= spec.max && (!spec.int || Number.isInteger(v))) s[param] = v;
    else bad(param, `${spec.int ? "integer " : ""}${spec.min}–${spec.max === Infinity ? "∞" : spec.max}`);
  }
  if (q.has("cols") && q.get("cols") !== "") {
    // more indicator columns of the Sectors tab (beside the one picked in the sidebar)
    const known = (meta.indicators || []).map((i) => i.code);
    const cols = q.get("cols").split(",").map((c) => c.trim()).filter(Boolean);
    if (cols.every((c) => known.includes(c))) s.cols = [...new Set(cols)].join(",");
    else bad("cols", known.join(", "));
  }
  if (q.has("base") && q.get("base") !== "") {
    const earlier = (ds.years || []).filter((y) => y < s.year).map(String);
    if (earlier.includes(q.get("base"))) s.base = q.get("base");
    else bad("base", earlier.join(", "));
  }
  if (q.has("scenario")) {
    // the Roadmap tab's scenario: a scenario id (the tab checks it against the shipped ones)
    if (SCENARIO_ID.test(q.get("scenario"))) s.scenario = q.get("scenario");
    else bad("scenario", "baseline, clean-power, efficient-industry, coal-belt, targets-binding");
  }
  if (q.has("city") && q.get("city") !== "") {
    // the City tab checks the code against the table's cities (/api/cities)
    if (CITY_CODE.test(q.get("city"))) s.city = q.get("city");
    else bad("city", "a city code, e.g. 440100");
  }
  if (q.has("cityds") && q.get("cityds") !== "") {
    const names = (meta.city_datasets || []).map((d) => d.name);
    if (names.includes(q.get("cityds"))) s.cityds = q.get("cityds");
    else bad("cityds", names.join(", "));
  }
  s.tab = tabFor(meta, s.dataset, s.tab);
  if (q.has("compare") && q.get("compare") !== "") {
    if (parseRef(q.get("compare"), meta)) s.compare = q.get("compare");
    else bad("compare", "dataset:year:region, e.g. demo:2012:GD");
  }
  return { state: s, problems };
}

/** "demo:2017:GD" → {dataset, year, region} when all three exist, else null. */
export function parseRef(text, meta) {
  const parts = String(text || "").split(":");
  if (parts.length !== 3) return null;
  const ds = datasetByName(meta, parts[0]);
  const year = Number(parts[1]);
  const region = parts[2].toUpperCase();
  if (!ds || !ds.years.includes(year)) return null;
  if (!regionsOf(meta, ds.name).includes(region)) return null;
  return { dataset: ds.name, year, region };
}

const ORDER = ["dataset", "region", "year", "lang", "tab", "mode", "indicator", "colour", "top", "keep", "gravity", "repulsion", "n", "from", "to", "intra", "min", "compare", "co2", "cols", "sector", "base", "scenario", "city", "cityds"];

/** Query string of a state; parameters equal to their defaults are left out except the
 * core four (dataset, region, year, lang), so links stay short and readable. */
export function stateToQuery(s, meta) {
  const d = defaults(meta, s.lang);
  const q = new URLSearchParams();
  for (const k of ORDER) {
    const core = k === "dataset" || k === "region" || k === "year" || k === "lang";
    if (!core && (s[k] === d[k] || s[k] === "" || s[k] === null || s[k] === undefined)) continue;
    q.set(k, String(s[k]));
  }
  return q.toString();
}
