// node --test: line breaking for the figures' title and caption bands (src/core/wrap.js):
// no Latin word broken, Chinese broken between characters but not before closing punctuation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { wrapText, tokens } from "../src/core/wrap.js";

// a fixed-pitch measure: Latin 1, Chinese 2 per character
const measure = (s) => [...s].reduce((n, ch) => n + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);

test("Latin text breaks at spaces only", () => {
  const text = "Source: Carbon Emission Accounts and Datasets (CEADs) — Shan et al. 2018, Scientific Data 5:170201";
  const lines = wrapText(text, 30, measure);
  assert.ok(lines.every((l) => measure(l) <= 30), lines);
  const words = text.split(" ");
  assert.deepEqual(lines.join(" ").split(" "), words); // every word whole, in order
});

test("Chinese breaks between characters, never before ，。）", () => {
  const text = "数据来源：中国碳核算数据库（CEADs），请引用Shan等（2018）。";
  const lines = wrapText(text, 12, measure);
  assert.ok(lines.every((l) => measure(l) <= 14), lines); // a glued punctuation mark may overhang
  assert.equal(lines.join(""), text);
  for (const l of lines.slice(1)) assert.doesNotMatch(l, /^[，。）：]/, l);
  assert.ok(tokens("（CEADs）").length === 1);
});

test("a web address is cut after / ? & only; explicit newlines kept", () => {
  const url = "http://127.0.0.1:8050/?dataset=demo&region=GD&year=2017&lang=en&indicator=co2";
  const lines = wrapText(url, 30, measure);
  assert.equal(lines.join(""), url);
  for (const l of lines.slice(0, -1)) assert.match(l, /[/?&=]$/, l);
  assert.deepEqual(wrapText("a b\nc", 10, measure), ["a b", "c"]);
  assert.deepEqual(wrapText("", 10, measure), [""]);
});
