// node --test: numbers and units as the dashboard shows them (src/format.js, src/i18n.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, pct, setCatalog, t } from "../src/core/i18n.js";
import { escapeHtml, withUnit } from "../src/core/format.js";

const UNITS = { "10k_yuan": "10,000 yuan", "100m_yuan": "100 million yuan", mt: "Mt CO2", t_per_10k_yuan: "t CO2 per 10,000 yuan" };

test("4 significant digits, grouped; tiny values in exponent form; a dash when missing", () => {
  setCatalog({}, "en");
  assert.equal(fmt(53523456), "53,520,000");
  assert.equal(fmt(533.54), "533.5");
  assert.equal(fmt(0.012345), "0.01235");
  assert.equal(fmt(-41.63), "-41.63");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(0.00001234), "1.23e-5");
  assert.equal(fmt(123456, 3), "123,000");
  for (const v of [null, undefined, NaN]) assert.equal(fmt(v), "–");
  assert.equal(pct(0.12345), "12.3 %");
  assert.equal(pct(null), "–");
});

test("money in 10,000 yuan also shown in 100 million yuan (×10⁻⁴) from 10⁴ up", () => {
  setCatalog({}, "en");
  assert.equal(withUnit(53520000, "10k_yuan", UNITS), "53,520,000 10,000 yuan (5,352 100 million yuan)");
  assert.equal(withUnit(-25000, "10k_yuan", UNITS), "-25,000 10,000 yuan (-2.5 100 million yuan)");
  assert.equal(withUnit(9999, "10k_yuan", UNITS), "9,999 10,000 yuan");
  assert.equal(withUnit(533.54, "mt", UNITS), "533.5 Mt CO2");
  assert.equal(withUnit(1.5, "t_per_10k_yuan", UNITS), "1.5 t CO2 per 10,000 yuan");
  assert.equal(withUnit(2, "unknown_unit", UNITS), "2 unknown_unit");
  assert.equal(withUnit(2, "", UNITS), "2");
  for (const v of [null, undefined, NaN]) assert.equal(withUnit(v, "mt", UNITS), "–");
});

test("Chinese pages use zh-CN grouping and the Chinese unit names", () => {
  setCatalog({}, "zh-Hans");
  try {
    assert.equal(fmt(1234567), "1,235,000");
    assert.equal(withUnit(53520000, "10k_yuan", { "10k_yuan": "万元", "100m_yuan": "亿元" }), "53,520,000 万元 (5,352 亿元)");
  } finally {
    setCatalog({}, "en");
  }
});

test("catalog look-up fills placeholders and falls back to the key", () => {
  setCatalog({ "web.x": "{a} vs {b}", "web.y": "{a} and {missing}" }, "en");
  assert.equal(t("web.x", { a: "Guangdong 2017", b: "Guangdong 2012" }), "Guangdong 2017 vs Guangdong 2012");
  assert.equal(t("web.y", { a: 1 }), "1 and {missing}");
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.equal(t("web.not_there"), "web.not_there");
  } finally {
    console.warn = warn;
  }
});

test("HTML escaping of names shown in tooltips", () => {
  assert.equal(escapeHtml('<b class="x">R&D</b>'), "&lt;b class=&quot;x&quot;&gt;R&amp;D&lt;/b&gt;");
  assert.equal(escapeHtml(null), "");
  assert.equal(escapeHtml(0), "0");
});
