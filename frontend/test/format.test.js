// node --test: numbers for people (src/core/format.js) with the real web catalogs: money
// scaled by magnitude (万元/亿元/万亿元, ¥ million/billion/trillion), CO2 in Mt or 万吨, one
// scale and fixed decimals per column, no exponent anywhere, signed changes, shares, tags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setCatalog, t } from "../src/core/i18n.js";
import {
  fmtValue, formatValue, numHtml, number, columnScale, fmtIn, cellHtml, fmtWith, headerWith, fmtShare, fmtChange,
  fmtCount, setFormat, escapeHtml, zhPunct, decimalsFor, axisFormatter,
} from "../src/core/format.js";

function catalog(lang) {
  const url = new URL(`../../src/viscarbon/i18n/catalogs/web.${lang}.json`, import.meta.url);
  const web = JSON.parse(readFileSync(url, "utf-8"));
  return Object.fromEntries(Object.entries(web).map(([k, v]) => [`web.${k}`, v]));
}
const EN = catalog("en");
const ZH = catalog("zh-Hans");

function inLang(lang, fn) {
  setCatalog(lang === "en" ? EN : ZH, lang);
  try {
    fn();
  } finally {
    setCatalog(EN, "en");
    setFormat({ co2: "mt" });
  }
}

const EXPONENT = /\d[eE][-+]?\d/;

test("money in English: ¥ million / billion / trillion by magnitude (data in 10,000 yuan)", () => {
  inLang("en", () => {
    assert.equal(fmtValue(96750000, "10k_yuan"), "¥967.5 billion"); // 96,750,000 万元
    assert.equal(fmtValue(2.98e9, "10k_yuan"), "¥29.80 trillion");
    assert.equal(fmtValue(53520, "10k_yuan"), "¥535.2 million");
    assert.equal(fmtValue(12, "10k_yuan"), "¥0.12 million");
    assert.equal(fmtValue(-25000, "10k_yuan"), "-¥250.0 million");
    assert.equal(fmtValue(9675, "100m_yuan"), "¥967.5 billion"); // 9,675 亿元
    assert.equal(formatValue(96750000, "10k_yuan").code, "cny_bn");
  });
});

test("money in Chinese: 万元 / 亿元 / 万亿元 by magnitude", () => {
  inLang("zh-Hans", () => {
    assert.equal(fmtValue(96750000, "10k_yuan"), "9,675亿元");
    assert.equal(fmtValue(2.98e9, "10k_yuan"), "29.80万亿元");
    assert.equal(fmtValue(5352, "10k_yuan"), "5,352万元");
    assert.equal(fmtValue(12345, "10k_yuan"), "1.23亿元");
    assert.equal(formatValue(2.98e9, "10k_yuan").code, "cny_1t");
  });
});

test("CO2 in Mt, or in 万吨 on request; intensity per ¥10,000; plain indices", () => {
  inLang("en", () => {
    assert.equal(fmtValue(277.912, "mt"), "277.9 Mt CO2");
    assert.equal(fmtValue(0.0000966, "mt"), "<0.01 Mt CO2");
    assert.equal(fmtValue(2.8712, "t_per_10k_yuan"), "2.871 t CO2 per ¥10,000");
    assert.equal(fmtValue(0.02437, "dimensionless"), "0.024");
    assert.equal(fmtValue(1.0432, "dimensionless"), "1.043");
  });
  inLang("zh-Hans", () => {
    assert.equal(fmtValue(277.912, "mt"), "277.9 百万吨 CO2");
    setFormat({ co2: "10kt" });
    assert.equal(fmtValue(277.912, "mt"), "27,791 万吨 CO2");
    assert.equal(formatValue(277.912, "mt").code, "10kt");
  });
});

test("no exponent, ever; unknown is a dash", () => {
  inLang("en", () => {
    for (const v of [9.66e-5, -3.2e-9, 1e-12, 1e15, 123456789012, 4.2e21, 5e-324]) {
      for (const unit of ["10k_yuan", "mt", "t_per_10k_yuan", "dimensionless", "fraction"]) {
        const s = fmtValue(v, unit);
        assert.doesNotMatch(s, EXPONENT, `${v} ${unit} → ${s}`);
      }
      assert.doesNotMatch(number(v, 2), EXPONENT);
    }
    assert.equal(number(9.66e-5, 2), "<0.01");
    assert.equal(number(-9.66e-5, 2), ">-0.01");
    assert.equal(number(-0.0001, 1), ">-0.1");
    assert.equal(number(-0.04, 1), ">-0.1");
    assert.equal(number(0, 2), "0.00");
    for (const v of [null, undefined, NaN]) {
      assert.equal(fmtValue(v, "mt"), "–");
      assert.equal(number(v), "–");
    }
  });
});

test("a column: one scale (by the median) and fixed decimals for every value", () => {
  inLang("zh-Hans", () => {
    const output = [2.55e8, 96750000, 6.8e7, 4.64e6, 13150000];
    const spec = columnScale("10k_yuan", output);
    assert.equal(spec.label, "亿元");
    assert.equal(spec.decimals, 0);
    assert.deepEqual(output.map((v) => fmtIn(v, spec)), ["25,500", "9,675", "6,800", "464", "1,315"]);
    assert.equal(headerWith("总产出", spec), "总产出［亿元］");
    assert.equal(fmtWith(96750000, spec), "9,675亿元");
  });
  inLang("en", () => {
    const co2 = [277.9, 102.6, 1.7, 0.31, 0.0000966, null];
    const spec = columnScale("mt", co2);
    assert.equal(spec.label, "Mt CO2");
    const shown = co2.map((v) => fmtIn(v, spec));
    assert.deepEqual(shown, ["277.90", "102.60", "1.70", "0.31", "<0.01", "–"]);
    const decimals = shown.filter((s) => /^\d/.test(s)).map((s) => s.split(".")[1].length);
    assert.equal(new Set(decimals).size, 1); // the same decimals all the way down
    assert.match(cellHtml(277.9, spec), /^<span class="vc-num" data-unit="mt">277\.90<\/span>$/);
    assert.equal(cellHtml(null, spec), '<span class="vc-num" data-unit="na">–</span>');
    // axis ticks drop trailing zeros
    assert.equal(axisFormatter(columnScale("10k_yuan", [5e7]))(50000000), "500");
  });
});

test("shares and changes as percentages, changes signed", () => {
  inLang("en", () => {
    assert.equal(fmtShare(0.5213), "52.1 %");
    assert.equal(fmtShare(0.0004), "<0.1 %");
    assert.equal(fmtChange(100, 110.4), "+10.4 %");
    assert.equal(fmtChange(100, 91), "-9.0 %");
    assert.equal(fmtChange(100, 100), "0.0 %");
    assert.equal(fmtChange(0, 5), "–");
    assert.equal(fmtCount(1764), "1,764");
  });
  inLang("zh-Hans", () => {
    assert.equal(fmtShare(0.5213), "52.1%");
    assert.equal(fmtChange(1, 1.104), "+10.4%");
  });
});

test("every number written as HTML carries its unit", () => {
  inLang("en", () => {
    assert.equal(numHtml(96750000, "10k_yuan"), '<span class="vc-num" data-unit="cny_bn">¥967.5 billion</span>');
    assert.equal(numHtml(null, "mt"), '<span class="vc-num" data-unit="na">–</span>');
    assert.equal(escapeHtml('<a href="x">&'), "&lt;a href=&quot;x&quot;&gt;&amp;");
  });
});

test("decimals for about n significant digits, within bounds", () => {
  assert.equal(decimalsFor(277.9, 4, 2), 1);
  assert.equal(decimalsFor(2.19, 3, 2), 2);
  assert.equal(decimalsFor(0.0001, 3, 3), 3);
  assert.equal(decimalsFor(12345, 3, 2), 0);
});

test("Chinese text gets full-width punctuation; numbers, codes and addresses stay", () => {
  assert.equal(zhPunct("广东, 2017: 总产出 (亿元)"), "广东，2017：总产出（亿元）");
  assert.equal(zhPunct("共 1,764 个单元格"), "共 1,764 个单元格");
  assert.equal(zhPunct("来源: http://127.0.0.1:8050/?a=1"), "来源：http://127.0.0.1:8050/?a=1");
  assert.equal(zhPunct("Guangdong (GD), 2017"), "Guangdong (GD), 2017"); // no Chinese: untouched
  setCatalog({ "web.x": "{a}: 排放 ({u})" }, "zh-Hans");
  assert.equal(t("web.x", { a: "广东", u: "百万吨 CO2" }), "广东：排放（百万吨 CO2）");
  setCatalog(EN, "en");
});

test("catalog look-up fills placeholders and falls back to the key", () => {
  setCatalog({ "web.x": "{a} vs {b}", "web.y": "{a} and {missing}" }, "en");
  assert.equal(t("web.x", { a: "Guangdong 2017", b: "Guangdong 2012" }), "Guangdong 2017 vs Guangdong 2012");
  assert.equal(t("web.y", { a: 1 }), "1 and {missing}");
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.equal(t("web.nope"), "web.nope");
  } finally {
    console.warn = warn;
  }
  setCatalog(EN, "en");
});
