// UI text comes from the catalogs inlined by the server (window.VISCARBON_BOOT.catalog,
// keys namespaced like "web.load"). Numbers: core/format.js.

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
  return lang === "zh-Hans" ? zhPunct(text) : text;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(catalog, key);
}

const FULL = { ",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！" };
const CJK = /[\u3400-\u9fff]/;

/**
 * Chinese text: in a string holding Chinese characters the half-width , : ; ( ) ? ! become
 * full-width (，：；（）？！) and the spaces around them go; a separator between two digits
 * ("1,234", "3:1") and web addresses stay as they are. Text without Chinese is returned as is.
 */
export function zhPunct(s, force = false) {
  const text = String(s === null || s === undefined ? "" : s);
  if (!force && !CJK.test(text)) return text;
  return text
    .split(/(\S+:\/\/\S+)/)
    .map((part, k) => {
      if (k % 2 === 1) return part; // a URL
      const chars = [...part];
      return chars
        .map((ch, i) => (ch in FULL && !(/\d/.test(chars[i - 1] || "") && /\d/.test(chars[i + 1] || "")) ? FULL[ch] : ch))
        .join("")
        .replace(/ *([，：；（）？！]) */g, "$1");
    })
    .join("");
}

/** zhPunct for HTML: the text between the tags is converted when the whole text holds Chinese. */
export function zhPunctHtml(html) {
  const s = String(html === null || html === undefined ? "" : html);
  const parts = s.split(/(<[^>]*>)/);
  if (!CJK.test(parts.filter((p, k) => k % 2 === 0).join(""))) return s;
  return parts.map((p, k) => (k % 2 === 1 ? p : zhPunct(p, true))).join("");
}
