// node --test: the URL view state (src/state.js): defaults, validation with messages
// instead of exceptions, and stateToQuery → parseState round trips.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaults, parseState, stateToQuery, parseRef, normaliseLang, NUMERIC, withInventories, tabFor } from "../src/core/state.js";

const META = {
  datasets: [
    { name: "demo", years: [2012, 2015, 2017], sector_list: "ceads42" },
    { name: "nbs", years: [2015, 2018], sector_list: "ceads42" },
  ],
  regions: [{ code: "BJ" }, { code: "GD" }, { code: "SC" }],
  indicators: [{ code: "output" }, { code: "co2" }, { code: "intensity" }],
  sectors: { ceads42: [{ code: "01" }, { code: "25" }, { code: "42" }] },
  defaults: { dataset: "demo" },
};

test("defaults: demo, Guangdong, the last year, money flows, total output, top 5 %", () => {
  const d = defaults(META, "en");
  assert.deepEqual(
    [d.dataset, d.region, d.year, d.lang, d.mode, d.indicator, d.colour, d.tab, d.top, d.keep, d.n],
    ["demo", "GD", 2017, "en", "money", "output", "family", "network", 5, 0, 10],
  );
  assert.equal(stateToQuery(d, META), "dataset=demo&region=GD&year=2017&lang=en");
});

test("a full query is read, codes upper-cased and languages normalised", () => {
  const { state, problems } = parseState(
    "?region=sc&year=2012&lang=zh&mode=carbon&indicator=co2&colour=intensity&tab=trends&top=2.5&keep=3&gravity=0.2&repulsion=300&n=15&from=25&compare=demo:2015:bj",
    META,
    "en",
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(
    [state.region, state.year, state.lang, state.mode, state.indicator, state.colour, state.tab, state.top, state.keep, state.gravity, state.repulsion, state.n, state.from],
    ["SC", 2012, "zh-Hans", "carbon", "co2", "intensity", "trends", 2.5, 3, 0.2, 300, 15, "25"],
  );
  assert.deepEqual(parseRef(state.compare, META), { dataset: "demo", year: 2015, region: "BJ" });
});

test("bad values fall back to the defaults and are reported with what is allowed", () => {
  const { state, problems } = parseState("?region=ZZ&year=1900&mode=sideways&top=500&keep=1.5&from=99&lang=fr&compare=x", META, "en");
  assert.deepEqual(state, defaults(META, "en"));
  const by = Object.fromEntries(problems.map((p) => [p.param, p]));
  assert.deepEqual(Object.keys(by).sort(), ["compare", "from", "keep", "lang", "mode", "region", "top", "year"]);
  assert.equal(by.region.allowed, "BJ, GD, SC");
  assert.equal(by.year.allowed, "2012, 2015, 2017");
  assert.equal(by.mode.allowed, "money, carbon");
  assert.equal(by.top.value, "500");
  assert.equal(by.top.allowed, "0.01–100");
  assert.equal(by.keep.allowed, "integer 0–42");
  assert.equal(by.from.allowed, "01, 25, 42");
});

test("picking another dataset moves the year to its last one unless a valid year is given", () => {
  assert.equal(parseState("?dataset=nbs", META, "en").state.year, 2018);
  assert.equal(parseState("?dataset=nbs&year=2015", META, "en").state.year, 2015);
  const bad = parseState("?dataset=nbs&year=2017", META, "en");
  assert.equal(bad.state.year, 2018);
  assert.deepEqual(bad.problems.map((p) => [p.param, p.allowed]), [["year", "2015, 2018"]]);
});

test("stateToQuery → parseState gives the same state back", () => {
  const base = defaults(META, "en");
  const variants = [
    {},
    { region: "BJ", year: 2012, lang: "zh-Hans" },
    { dataset: "nbs", year: 2015, mode: "carbon", indicator: "intensity", colour: "intensity", tab: "sankey", n: 60 },
    { top: 0.01, keep: 42, gravity: 0, repulsion: 2000, from: "01", to: "42", intra: "exclude", min: 1e6 },
    { tab: "compare", compare: "nbs:2018:SC" },
  ];
  for (const v of variants) {
    const s = Object.assign({}, base, v);
    const q = stateToQuery(s, META);
    const back = parseState(`?${q}`, META, "en");
    assert.deepEqual(back.problems, [], q);
    assert.deepEqual(back.state, s, q);
  }
});

test("numeric limits are those documented for the URL", () => {
  assert.deepEqual([NUMERIC.top.min, NUMERIC.top.max, NUMERIC.keep.max, NUMERIC.n.max], [0.01, 100, 42, 60]);
  for (const bad of ["0", "-1", "abc", "", "100.5", "Infinity"]) {
    const { state, problems } = parseState(`?top=${bad}`, META, "en");
    assert.deepEqual(problems.map((x) => x.param), ["top"], bad);
    assert.equal(state.top, 5);
  }
});

test("language aliases", () => {
  assert.deepEqual(["en", "EN-gb", "zh", "zh-CN", "zh_Hans", "cn", "fr", ""].map(normaliseLang), ["en", "en", "zh-Hans", "zh-Hans", "zh-Hans", "zh-Hans", null, null]);
});

test("parseRef needs an existing dataset, year and region", () => {
  assert.equal(parseRef("demo:2013:GD", META), null);
  assert.equal(parseRef("demo:2012:XX", META), null);
  assert.equal(parseRef("other:2012:GD", META), null);
  assert.equal(parseRef("demo:2012", META), null);
  assert.deepEqual(parseRef("nbs:2018:gd", META), { dataset: "nbs", year: 2018, region: "GD" });
});

test("inventory-only datasets join the list and always show the Inventory tab", () => {
  const meta = withInventories(Object.assign({}, META, {
    datasets: META.datasets.slice(),
    inventories: [{ name: "inv", years: [1997, 2017], regions: ["BJ", "GD"] }],
  }));
  assert.deepEqual(meta.datasets.map((d) => [d.name, !!d.inventory_only]), [["demo", false], ["nbs", false], ["inv", true]]);
  withInventories(meta); // idempotent (the page re-reads /api/meta)
  assert.equal(meta.datasets.length, 3);
  const { state, problems } = parseState("?dataset=inv&region=gd&year=1997&tab=network", meta, "en");
  assert.deepEqual([state.dataset, state.region, state.year, state.tab, problems.length], ["inv", "GD", 1997, "inventory", 0]);
  assert.equal(parseState("?dataset=inv&region=SC", meta, "en").problems[0].param, "region"); // no inventory there
  assert.equal(parseState("?dataset=demo&tab=inventory", meta, "en").state.tab, "network");
  assert.equal(tabFor(meta, "nbs", "trade"), "trade");
  assert.match(stateToQuery(state, meta), /tab=inventory/);
});

test("the Supply chains tab's sector and base year are in the URL, validated", () => {
  const { state, problems } = parseState("?tab=supply_chains&sector=25&base=2012", META, "en");
  assert.deepEqual(problems, []);
  assert.equal(state.tab, "supply_chains");
  assert.equal(state.sector, "25");
  assert.equal(state.base, "2012");
  assert.match(stateToQuery(state, META), /tab=supply_chains.*sector=25&base=2012/);
  const bad = parseState("?year=2012&base=2015&sector=99", META, "en");
  assert.deepEqual(bad.problems.map((p) => p.param).sort(), ["base", "sector"]);
  assert.equal(bad.state.base, "");
  assert.equal(bad.state.sector, "");
});
