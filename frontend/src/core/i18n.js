// UI text comes from the catalogs inlined by the server (window.VISCARBON_BOOT.catalog,
// keys namespaced like "web.load"); numbers are formatted for the page language.

let catalog = {};
let lang = "en";
const missing = new Set();

export function setCatalog(cat, language) {
  catalog = cat || {};
  lang = language === "zh-Hans" ? "zh-Hans" : "en";
}

export function currentLang() {
  return lang;
}

/** Translate `key` ("web.load") and fill `{name}` placeholders from `params`. */
export function t(key, params) {
  let text = catalog[key];
  if (text === undefined) {
    if (!missing.has(key)) {
      missing.add(key);
      console.warn("viscarbon: missing catalog key", key);
    }
    text = key;
  }
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return text;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(catalog, key);
}

const formatters = new Map();
function formatter(digits) {
  const k = `${lang}|${digits}`;
  if (!formatters.has(k)) {
    formatters.set(
      k,
      new Intl.NumberFormat(lang === "zh-Hans" ? "zh-CN" : "en-US", {
        maximumSignificantDigits: digits,
      }),
    );
  }
  return formatters.get(k);
}

/** A number for display: 4 significant digits, grouped; "–" for missing values. */
export function fmt(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (typeof value !== "number") return String(value);
  if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential(2);
  return formatter(digits).format(value);
}

export function pct(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return `${fmt(value * 100, digits)} %`;
}
