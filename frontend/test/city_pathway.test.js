// node --test: the city pathway panel's chart option and notes (src/views/city_pathway_chart.js)
// built from a payload of /api/city-pathway's shape, with the real web catalogs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setCatalog } from "../src/core/i18n.js";
import { cityPathwayOption, cityPathwayNotes, cityPathwayParams } from "../src/views/city_pathway_chart.js";

function catalog(lang) {
  const url = new URL(`../../src/viscarbon/i18n/catalogs/web.${lang}.json`, import.meta.url);
  const web = JSON.parse(readFileSync(url, "utf-8"));
  return Object.fromEntries(Object.entries(web).map(([k, v]) => [`web.${k}`, v]));
}

const years = Array.from({ length: 44 }, (_, i) => 2017 + i);
const scen = years.map((y) => (y <= 2028 ? 10 + (y - 2017) : 21 - 0.6 * (y - 2028)));
const payload = (over = {}) => Object.assign({
  city: "130100", city_label: "Shijiazhuang", province: "HE", province_label: "Hebei", status: "partial", t0: 2017, years,
  scenario: { id: "clean-power", title: "Clean power" },
  history: { years: [2012, 2015], co2: [8, 9] },
  pathways: { baseline: years.map((y) => 10 + 0.5 * (y - 2017)), scenario: scen },
  peak: { year: 2028, value: 21 }, milestones: { 2030: scen[13], 2060: scen[43] }, share: years.map(() => 0.2),
  coverage: { k: 1, n: 2, missing: [{ code: "210200", label: "Dalian" }], share_t0: 0.35, province_total: scen.map((v) => v * 5), rest: scen.map((v) => v * 4) },
  summary: "Shijiazhuang: CO2 peaks in 2028 …", note: "Hebei is covered partly (1 of 2 cities; missing: Dalian) …", banner: "synthetic",
}, over);

test("the chart: history, baseline, scenario with the peak and 2030/2060 markers, rest, share on the right axis", () => {
  setCatalog(catalog("en"), "en");
  const o = cityPathwayOption(payload(), { year: 2017 });
  assert.equal(o.xAxis.data[0], "2012");
  assert.equal(o.xAxis.data.at(-1), "2060");
  const names = o.series.map((s) => s.name);
  assert.deepEqual(names, ["Inventory (history)", "Baseline", "Scenario: Clean power", "Rest of Hebei (not in the city table)", "Share of Hebei (right axis)", "Peak, 2030 and 2060"]);
  const sc = o.series[2];
  const marks = o.series[5];
  assert.equal(marks.type, "scatter");
  assert.deepEqual(marks.data.map((m) => m.name), ["Peak 2028", "2030", "2060"]);
  assert.deepEqual(marks.data[0].value, ["2028", 21]);
  assert.equal(sc.markLine.data[0].xAxis, "2017");
  // without a history the shown year is the chart's first: no line drawn on the y axis
  const bare = cityPathwayOption(payload({ history: { years: [], co2: [] } }), { year: 2017 });
  assert.equal(bare.series.find((s) => s.name === "Scenario: Clean power").markLine, undefined);
  assert.equal(o.series[4].yAxisIndex, 1);
  assert.equal(o.series[0].data[0], 8); // history first
  assert.equal(o.series[2].data[0], null); // the scenario starts at t0
  assert.ok(o.yAxis[0].name.includes("Mt"));
  // no exponents anywhere in the axis labels
  assert.ok(!/e[+-]?\d/i.test(o.yAxis[0].axisLabel.formatter(12345.678)));
});

test("a complete province without rest, an unreconciled city without share; zh labels", () => {
  setCatalog(catalog("zh-Hans"), "zh-Hans");
  const o = cityPathwayOption(payload({ coverage: { k: 5, n: 5, missing: [], share_t0: 1, province_total: scen, rest: null }, status: "complete" }));
  assert.equal(o.series.length, 5);
  assert.ok(o.series[2].name.startsWith("情景"));
  const raw = cityPathwayOption(payload({ coverage: null, share: null, status: "no_roadmap", history: { years: [], co2: [] } }));
  assert.deepEqual(raw.series.map((s) => s.type), ["line", "line", "scatter"]);
  assert.ok(raw.series.every((s) => !s.yAxisIndex));
  assert.equal(raw.yAxis[1].show, false);
  const html = cityPathwayNotes(payload());
  assert.ok(html.includes('data-status="partial"') && html.includes("35.0%") && html.includes("Hebei"));
});

test("request parameters leave empty values out", () => {
  assert.deepEqual(cityPathwayParams({ dataset: "demo-city", city: "440300", scenario: "", year: 2017 }), { dataset: "demo-city", city: "440300" });
});

test("the server's sentences: every decimal tagged with the unit written after it", async () => {
  const { tagInline } = await import("../src/views/city_pathway_chart.js");
  const html = tagInline("Suzhou: CO2 peaks in 2060 at 286.33 Mt CO2 (+163.4 % against 2017); 1,234.5 Mt; 苏州 40.39 百万吨 CO2（-67.2%）");
  assert.ok(html.includes('<span class="vc-num" data-unit="mt">286.33</span> Mt'));
  assert.ok(html.includes('<span class="vc-num" data-unit="pct">+163.4</span> %'));
  assert.ok(html.includes('<span class="vc-num" data-unit="mt">1,234.5</span> Mt'));
  assert.ok(html.includes('<span class="vc-num" data-unit="mt">40.39</span> 百万吨'));
  assert.ok(html.includes('<span class="vc-num" data-unit="pct">-67.2</span>%'));
  assert.ok(html.includes("in 2060 at") && html.includes("against 2017"), "years stay plain");
  assert.equal(tagInline("<b>"), "&lt;b&gt;");
});
