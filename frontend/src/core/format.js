// Numbers for people: the ONE formatter of the dashboard, used by every tooltip, table, tile,
// axis, legend and note. Pure (no DOM): the unit labels come from the catalogs (web.unit.*).
//
// * Money (the data are in 10,000 yuan = 万元) is scaled by magnitude: in Chinese 万元 → 亿元
//   (10^4 万元) → 万亿元 (10^8 万元); in English ¥ million (10^2 万元) → ¥ billion (10^5 万元)
//   → ¥ trillion (10^8 万元).
// * CO2 in Mt (百万吨); on request (setFormat({co2: "10kt"})) in 万吨 = 10 kt = 0.01 Mt.
// * A value alone (tooltip, tile) gets its own scale and about 4 significant digits; a column
//   or an axis gets ONE scale and ONE number of decimals for all its values (columnScale),
//   the unit said once in its header.
// * Never an exponent: a non-zero value too small for the decimals is written "<0.01".
// * Shares as "52.1 %" ("52.1%" in Chinese), changes as signed percentages ("+10.4 %").
// * Every number written into the page is tagged with its unit: tag() → <span class="vc-num"
//   data-unit="cny_bn">…</span> (a browser test sweeps every tab for untagged numbers).
import { t, currentLang } from "./i18n.js";

export function escapeHtml(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

let options = { co2: "mt" };

/** Display options: {co2: "mt" | "10kt"} (万吨, offered on the Chinese page). */
export function setFormat(opts) {
  options = Object.assign({}, options, opts || {});
}

export function formatOptions() {
  return Object.assign({}, options);
}

// The scales. factor: how many data units (万元, Mt, …) one display unit holds.
// label: the unit as a column header says it; value: the template for one value ({v}).
const MONEY = {
  en: [
    { code: "cny_m", factor: 1e2, label: "web.unit.cny_m", value: "web.unit.cny_m.value" },
    { code: "cny_bn", factor: 1e5, label: "web.unit.cny_bn", value: "web.unit.cny_bn.value" },
    { code: "cny_tn", factor: 1e8, label: "web.unit.cny_tn", value: "web.unit.cny_tn.value" },
  ],
  "zh-Hans": [
    { code: "cny_10k", factor: 1, label: "web.unit.cny_10k", value: "web.unit.cny_10k.value" },
    { code: "cny_100m", factor: 1e4, label: "web.unit.cny_100m", value: "web.unit.cny_100m.value" },
    { code: "cny_1t", factor: 1e8, label: "web.unit.cny_1t", value: "web.unit.cny_1t.value" },
  ],
};
const CO2 = {
  mt: { code: "mt", factor: 1, label: "web.unit.mt", value: "web.unit.mt.value" },
  "10kt": { code: "10kt", factor: 0.01, label: "web.unit.10kt", value: "web.unit.10kt.value" },
};
const INTENSITY = { code: "t_per_10k_yuan", factor: 1, label: "web.unit.t_per_10k_yuan", value: "web.unit.t_per_10k_yuan.value" };
const PLAIN = { code: "index", factor: 1, label: null, value: null };
const PERCENT = { code: "pct", factor: 0.01, label: "web.unit.pct", value: "web.unit.pct.value" };

/** The kind of a data unit code of the API. */
export function kindOf(unit) {
  if (unit === "10k_yuan" || unit === "100m_yuan") return "money";
  if (unit === "mt") return "co2";
  if (unit === "t_per_10k_yuan") return "intensity";
  if (unit === "dimensionless") return "plain";
  if (unit === "fraction" || unit === "share") return "share";
  return "other";
}

// most decimals a value of the kind gets
const MAX_DECIMALS = { money: 2, co2: 2, intensity: 3, plain: 3, share: 1, other: 3 };

function lang() {
  return currentLang() === "zh-Hans" ? "zh-Hans" : "en";
}

/** Values of `unit` converted to the base unit of its kind (万元 for money). */
function base(value, unit) {
  return unit === "100m_yuan" ? value * 1e4 : value;
}

/** The scale for a magnitude (in the base unit): the largest step not above it. */
function scaleAt(unit, magnitude) {
  const kind = kindOf(unit);
  if (kind === "money") {
    const ladder = MONEY[lang()];
    let s = ladder[0];
    for (const step of ladder) if (Math.abs(magnitude) >= step.factor) s = step;
    return s;
  }
  if (kind === "co2") return CO2[options.co2] || CO2.mt;
  if (kind === "intensity") return INTENSITY;
  if (kind === "share") return PERCENT;
  if (kind === "plain") return PLAIN;
  return { code: unit || "index", factor: 1, label: null, value: null, raw: unit };
}

/** Decimals that give `sig` significant digits at magnitude `x`, within [0, max]. */
export function decimalsFor(x, sig, max) {
  const a = Math.abs(x);
  if (!Number.isFinite(a) || a === 0) return Math.min(max, 1);
  const d = sig - 1 - Math.floor(Math.log10(a));
  return Math.max(0, Math.min(max, d));
}

const intl = new Map();
function nf(decimals, signed, trim) {
  const key = `${lang()}|${decimals}|${signed ? 1 : 0}|${trim ? 1 : 0}`;
  if (!intl.has(key)) {
    intl.set(
      key,
      new Intl.NumberFormat(lang() === "zh-Hans" ? "zh-CN" : "en-US", {
        minimumFractionDigits: trim ? 0 : decimals,
        maximumFractionDigits: decimals,
        useGrouping: true,
        signDisplay: signed ? "exceptZero" : "auto",
      }),
    );
  }
  return intl.get(key);
}

/**
 * A plain number with `decimals` fixed decimals, grouped ("1,234.5"); never an exponent: a
 * non-zero value that rounds to 0 is "<0.01" (">-0.01" when negative); "–" when unknown.
 * opts: {signed: "+1.2" for positive values, trim: drop trailing zeros (axis ticks)}.
 */
export function number(x, decimals = 2, opts = {}) {
  if (x === null || x === undefined || typeof x !== "number" || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  const step = 10 ** -decimals;
  if (x !== 0 && Math.abs(x) < step / 2) {
    const tiny = nf(decimals, false, false).format(step);
    return x > 0 ? `${opts.signed ? "+" : ""}<${tiny}` : `>-${tiny}`;
  }
  const s = nf(decimals, !!opts.signed, !!opts.trim).format(x);
  // "-0.0" after rounding: zero
  return /^[-+]?0([.,]0+)?$/.test(s) ? nf(decimals, false, !!opts.trim).format(0) : s;
}

function label(scale) {
  if (scale.label) return t(scale.label);
  return scale.raw || "";
}

function fill(scale, text) {
  if (scale.value) return t(scale.value, { v: text });
  return scale.raw ? `${text} ${scale.raw}` : text;
}

/**
 * One value with its unit, scaled for itself: {text: "¥96.8 billion", code: "cny_bn",
 * number: "96.75", label: "¥ billion"}. opts: {sig (4), signed, decimals (fixed)}.
 */
export function formatValue(value, unit, opts = {}) {
  const kind = kindOf(unit);
  if (value === null || value === undefined || typeof value !== "number" || Number.isNaN(value)) {
    return { text: "–", code: "na", number: "–", label: "" };
  }
  const v = base(value, unit);
  const scale = scaleAt(unit, v);
  const x = v / scale.factor;
  const decimals = opts.decimals !== undefined ? opts.decimals : decimalsFor(x, opts.sig || 4, MAX_DECIMALS[kind]);
  const num = number(x, decimals, { signed: opts.signed });
  // the sign goes before the unit's prefix: "-¥250.0 million", "+¥1.2 billion"
  const sign = /^[-+]/.test(num) && !/^[-+]?[<>]/.test(num) ? num[0] : "";
  return { text: sign + fill(scale, sign ? num.slice(1) : num), code: scale.code, number: num, label: label(scale) };
}

/** formatValue(...).text: "¥96.8 billion", "277.9 Mt CO2", "2.87 t CO2 per ¥10,000". */
export function fmtValue(value, unit, opts) {
  return formatValue(value, unit, opts).text;
}

/** A span tagged with its unit (the one way numbers enter the page as HTML). */
export function tag(text, code) {
  return `<span class="vc-num" data-unit="${escapeHtml(code)}">${escapeHtml(text)}</span>`;
}

/** fmtValue as tagged HTML. */
export function numHtml(value, unit, opts) {
  const f = formatValue(value, unit, opts);
  return tag(f.text, f.code);
}

function median(values) {
  const a = values.filter((v) => typeof v === "number" && Number.isFinite(v) && v !== 0).map(Math.abs).sort((x, y) => x - y);
  if (!a.length) return 0;
  return a[Math.floor((a.length - 1) / 2)];
}

/**
 * ONE scale and ONE number of decimals for a column (or an axis) of `values` in `unit`: the
 * scale of the median magnitude, decimals giving it 3 significant digits.
 * → {code, factor, label ("亿元", "Mt CO2", "" for plain numbers), decimals, unit, kind}
 */
export function columnScale(unit, values, opts = {}) {
  const kind = kindOf(unit);
  const vals = (values || []).map((v) => (typeof v === "number" ? base(v, unit) : v));
  const m = median(vals);
  const scale = scaleAt(unit, m);
  const decimals = opts.decimals !== undefined ? opts.decimals : decimalsFor(m / scale.factor, opts.sig || 3, MAX_DECIMALS[kind]);
  return { code: scale.code, factor: scale.factor, label: label(scale), decimals, unit, kind, scale };
}

/** A value in a column's scale, without the unit (the header says it). */
export function fmtIn(value, spec, opts = {}) {
  if (value === null || value === undefined || typeof value !== "number" || Number.isNaN(value)) return "–";
  const o = Object.assign({ signed: !!spec.signed }, opts);
  return number(base(value, spec.unit) / spec.factor, o.decimals !== undefined ? o.decimals : spec.decimals, o);
}

/** fmtIn as tagged HTML (table cells). */
export function cellHtml(value, spec, opts) {
  const text = fmtIn(value, spec, opts);
  return tag(text, text === "–" ? "na" : spec.code);
}

/** A value in a column's scale WITH its unit ("967.5 亿元"): tiles, totals. */
export function fmtWith(value, spec, opts = {}) {
  const text = fmtIn(value, spec, opts);
  return text === "–" ? text : fill(spec.scale, text);
}

/** Axis tick labels in the axis' scale (trailing zeros dropped). */
export function axisFormatter(spec) {
  return (v) => fmtIn(v, spec, { trim: true });
}

/** A column header: "Total output [亿元]" (the bare title for plain numbers). */
export function headerWith(title, spec) {
  return spec && spec.label ? t("web.col.with_unit", { title, unit: spec.label }) : title;
}

/** A share (a fraction of 1) as "52.1 %" ("52.1%" in Chinese); "–" when unknown. */
export function fmtShare(fraction, decimals = 1) {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return "–";
  return t("web.unit.pct.value", { v: number(fraction * 100, decimals) });
}

export function shareHtml(fraction, decimals = 1) {
  const s = fmtShare(fraction, decimals);
  return tag(s, s === "–" ? "na" : "pct");
}

/** The change from a to b as a signed percentage: a = 100, b = 110.4 → "+10.4 %". */
export function fmtChange(a, b, decimals = 1) {
  if (a === null || b === null || a === undefined || b === undefined || !a || Number.isNaN(a) || Number.isNaN(b)) return "–";
  return t("web.unit.pct.value", { v: number(((b - a) / Math.abs(a)) * 100, decimals, { signed: true }) });
}

export function changeHtml(a, b, decimals = 1) {
  const s = fmtChange(a, b, decimals);
  return tag(s, s === "–" ? "na" : "change_pct");
}

/** A count or a rank, grouped ("1,764"); counts need no unit, but are tagged all the same. */
export function fmtCount(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return nf(0, false, false).format(n);
}

export function countHtml(n, code = "count") {
  return tag(fmtCount(n), code);
}

/** The unit label of an API unit code at the scale its values take ("Mt CO2", "亿元"). */
export function unitLabel(unit, values) {
  return columnScale(unit, values || []).label;
}

export { zhPunct } from "./i18n.js";

/**
 * A catalog text as HTML with some placeholders filled by HTML (tagged numbers):
 * htmlText("web.x", {region: "广东"}, {total: numHtml(556.9, "mt")}).
 */
export function htmlText(key, params, html) {
  const marks = {};
  for (const k of Object.keys(html || {})) marks[k] = `\u0001${k}\u0001`;
  let s = escapeHtml(t(key, Object.assign({}, params, marks)));
  for (const [k, v] of Object.entries(html || {})) s = s.split(`\u0001${k}\u0001`).join(v);
  return s;
}
