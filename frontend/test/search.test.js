// node --test: the province search (src/core/search.js) with the real pinyin table
// (src/data/pinyin.json): codes, Chinese, English, pinyin with or without tones, other names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { searchIndex, suggest, resolveRegion, fold, numbered, regionText } from "../src/core/search.js";

const PINYIN = JSON.parse(readFileSync(new URL("../src/data/pinyin.json", import.meta.url), "utf-8"));
const CSV = readFileSync(new URL("../../src/viscarbon/classification/data/regions.csv", import.meta.url), "utf-8");
const REGIONS = CSV.trim().split("\n").slice(1).map((line) => {
  const [code, , en, zh] = line.split(",");
  return { code, label: en, label_en: en, label_zh: zh };
});
const INDEX = searchIndex(REGIONS, PINYIN);
const codes = (q) => suggest(INDEX, q).map((x) => x.code);

test("the pinyin table covers every province of the classification", () => {
  assert.equal(REGIONS.length, 31);
  for (const r of REGIONS) assert.ok(PINYIN[r.code] && PINYIN[r.code].pinyin, r.code);
});

test("tone numbers from tone marks, syllable by syllable", () => {
  assert.equal(numbered("Shǎnxī"), "shan3xi1");
  assert.equal(numbered("Shānxī"), "shan1xi1");
  assert.equal(numbered("Nèi Měnggǔ"), "nei4meng3gu3");
  assert.equal(numbered("Hénán"), "he2nan2");
  assert.equal(numbered("Yúnnán"), "yun2nan2");
  assert.equal(numbered("Hēilóngjiāng"), "hei1long2jiang1");
  assert.equal(numbered("Liáoníng"), "liao2ning2");
  assert.equal(numbered("Ānhuī"), "an1hui1");
  assert.equal(numbered("Guǎngdōng"), "guang3dong1");
  assert.equal(fold("Nèi Měnggǔ"), "neimenggu");
});

test("codes, Chinese names and English names", () => {
  assert.equal(codes("GD")[0], "GD");
  assert.equal(codes("gd")[0], "GD");
  assert.deepEqual(codes("广东"), ["GD"]);
  assert.deepEqual(codes("Guangdong"), ["GD"]);
  assert.deepEqual(codes("guang").sort(), ["GD", "GX"]);
  assert.deepEqual(resolveRegion(INDEX, "Hubei"), { code: "HB" });
  assert.deepEqual(resolveRegion(INDEX, "广东（GD）"), { code: "GD" });
  assert.deepEqual(resolveRegion(INDEX, "Guangdong (GD)"), { code: "GD" });
  assert.deepEqual(resolveRegion(INDEX, "GD:广东"), { code: "GD" });
});

test("the cases of the issue: Shan, 山, neimenggu", () => {
  assert.deepEqual(codes("Shan").sort(), ["SD", "SH", "SN", "SX"]);
  assert.deepEqual(codes("山").sort(), ["SD", "SX"]);
  const shan = resolveRegion(INDEX, "Shan");
  assert.deepEqual(shan.ambiguous.sort(), ["SD", "SH", "SN", "SX"]);
  assert.deepEqual(resolveRegion(INDEX, "neimenggu"), { code: "NM" });
  assert.deepEqual(resolveRegion(INDEX, "Nei Menggu"), { code: "NM" });
  assert.deepEqual(resolveRegion(INDEX, "inner mongolia"), { code: "NM" });
  assert.deepEqual(resolveRegion(INDEX, "内蒙"), { code: "NM" });
  assert.deepEqual(resolveRegion(INDEX, "xyz"), { none: true });
});

test("tones tell 山西 and 陕西 apart; without tones both are offered", () => {
  assert.deepEqual(resolveRegion(INDEX, "Shǎnxī"), { code: "SN" });
  assert.deepEqual(resolveRegion(INDEX, "Shānxī"), { code: "SX" });
  assert.deepEqual(resolveRegion(INDEX, "shan3xi1"), { code: "SN" });
  assert.deepEqual(resolveRegion(INDEX, "shan1xi1"), { code: "SX" });
  assert.deepEqual(codes("shan3"), ["SN"]);
  assert.deepEqual(codes("Shǎn"), ["SN"]);
  assert.deepEqual(codes("shanxi").sort(), ["SN", "SX"]);
  assert.deepEqual(resolveRegion(INDEX, "Shanxi"), { code: "SX" }); // the English name wins over 陕西's pinyin
  assert.deepEqual(resolveRegion(INDEX, "Shaanxi"), { code: "SN" });
  assert.deepEqual(resolveRegion(INDEX, "Tibet"), { code: "XZ" });
  assert.deepEqual(resolveRegion(INDEX, "xizang"), { code: "XZ" });
});

test("the field shows the picked region in the page language", () => {
  assert.equal(regionText({ code: "GD", label: "广东" }, "zh-Hans"), "广东（GD）");
  assert.equal(regionText({ code: "GD", label: "Guangdong" }, "en"), "Guangdong (GD)");
});

test("pinyin from /api/meta, when it carries it, wins over the shipped table", () => {
  const index = searchIndex([{ code: "GD", label: "Guangdong", label_en: "Guangdong", label_zh: "广东", pinyin: "Guǎngdōng", also: ["Kwangtung"] }], {});
  assert.deepEqual(resolveRegion(index, "kwangtung"), { code: "GD" });
  assert.deepEqual(resolveRegion(index, "guang3dong1"), { code: "GD" });
});
