// node --test: the Supply chains tab's pure parts (src/core/supplychains.js) and the headline
// tiles (src/core/headline.js) with the real web catalogs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setCatalog } from "../src/core/i18n.js";
import { pathTree, waterfall, nodeName } from "../src/core/supplychains.js";
import { headlineTiles } from "../src/core/headline.js";

function catalog(lang) {
  const out = {};
  for (const ns of ["web", "common"]) {
    const url = new URL(`../../src/viscarbon/i18n/catalogs/${ns}.${lang}.json`, import.meta.url);
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(url, "utf-8")))) out[`${ns}.${k}`] = v;
  }
  return out;
}

const n = (region, sector, short) => ({ region, sector, short, label: short, region_label: region, colour: "#000" });

test("the path tree sums the listed paths through each node", () => {
  const rows = [
    { value_mt: 10, nodes: [n("GD", "28", "Construction"), n("GD", "13", "Cement")] },
    { value_mt: 4, nodes: [n("GD", "28", "Construction"), n("GD", "13", "Cement"), n("SX", "25", "Power")] },
    { value_mt: 3, nodes: [n("GD", "25", "Power")] },
  ];
  const root = pathTree(rows, "GD", "Final demand");
  assert.equal(root.value, 17);
  assert.equal(root.children.length, 2);
  const constr = root.children.find((c) => c.key === "GD/28");
  assert.equal(constr.value, 14);
  const cement = constr.children[0];
  assert.equal(cement.value, 14);
  assert.equal(cement.emits, 10); // the end of the first path
  assert.equal(cement.children[0].name, "SX · Power"); // another province is named
  assert.equal(root.children.find((c) => c.key === "GD/25").emits, 3);
  assert.equal(nodeName(n("GD", "25", "Power"), "GD"), "Power");
});

test("the waterfall runs from the earlier total through the effects to the later total", () => {
  const s = { base: 2015, year: 2017, co2_from_mt: 100, co2_to_mt: 110,
    effects: [{ label: "a", value_mt: -5 }, { label: "b", value_mt: 15 }] };
  const steps = waterfall(s);
  assert.deepEqual(steps.map((x) => [x.name, x.start, x.end, x.kind]),
    [["2015", 0, 100, "total"], ["a", 100, 95, "down"], ["b", 95, 110, "up"], ["2017", 0, 110, "total"]]);
});

test("headline tiles: five figures, tagged, each with how it is computed", () => {
  setCatalog(catalog("en"), "en");
  const h = { production_mt: 556.86, industry_mt: 533.54, households_mt: 23.32, consumption_mt: 397.09,
    intensity_t_per_10k_yuan: 0.6076, previous_intensity_t_per_10k_yuan: 0.6892, intensity_change: -0.1184,
    previous_year: 2015, rank: 5, ranked: 31, national_mt: 10178.5, share_of_nation: 0.0547 };
  const tiles = headlineTiles(h, "Guangdong");
  assert.deepEqual(tiles.map((x) => x.code), ["production", "consumption", "intensity", "rank", "share"]);
  for (const x of tiles) assert.ok(x.title && x.label && x.html.includes("data-unit"), x.code);
  assert.match(tiles[0].html, /556\.9 Mt CO2/);
  assert.match(tiles[0].note, /533\.5 Mt CO2.*23\.32 Mt CO2/);
  assert.match(tiles[2].note, /-11\.8 %.*2015/);
  assert.match(tiles[3].html, /5.*31/);
  assert.match(tiles[4].html, /5\.5 %/);
  // no inventory: said once, no dashes for the parts
  const missing = headlineTiles(Object.assign({}, h, { production_mt: null, industry_mt: null, households_mt: null }), "Tibet");
  assert.match(missing[0].note, /missing, not zero/);
  setCatalog(catalog("zh-Hans"), "zh-Hans");
  assert.match(headlineTiles(h, "广东")[3].html, /第.*5.*位／共.*31.*个/);
  assert.equal(headlineTiles(null, "x").length, 0);
  // a national table (one region): three tiles, no rank or share
  assert.deepEqual(headlineTiles(Object.assign({}, h, { rank: 1, ranked: 1, share_of_nation: 1 }), "China").map((x) => x.code),
    ["production", "consumption", "intensity"]);
});
