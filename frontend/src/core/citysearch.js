// City search (pure): the province search of core/search.js (Chinese, English, pinyin with or
// without tones) applied to cities (/api/cities rows {code, zh, en, pinyin, province}), plus
// pinyin initials ("gz" → 广州 Guangzhou, "sz" → 深圳, 苏州 …) and code prefixes ("4401").
// Cities of the given province rank first among equal matches.
import { fold, searchIndex, suggest } from "./search.js";

const VOWELS = "aeiouü";

/** The syllables of folded pinyin ("guangzhou" → ["guang", "zhou"]; "xi'an" → ["xi", "an"]). */
export function syllables(pinyin) {
  const out = [];
  for (const word of String(pinyin || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/[\s'’\-·]+/)) {
    let syl = "";
    for (let i = 0; i < word.length; i++) {
      const ch = word[i];
      const isVowel = VOWELS.includes(ch);
      if (!isVowel && syl && VOWELS.includes(syl[syl.length - 1])) {
        const next = word[i + 1] || "";
        // a coda: n / ng / r not followed by a vowel
        if (ch === "n" && next === "g" && !VOWELS.includes(word[i + 2] || "")) {
          syl += "ng";
          i++;
          out.push(syl);
          syl = "";
          continue;
        }
        if ((ch === "n" || ch === "r") && !VOWELS.includes(next) && next !== "g") {
          syl += ch;
          out.push(syl);
          syl = "";
          continue;
        }
        out.push(syl);
        syl = "";
      }
      if (/[a-zü]/.test(ch)) syl += ch;
    }
    if (syl) out.push(syl);
  }
  return out;
}

/** Initials of pinyin: "Guǎngzhōu" → "gz", "Zhūhǎi" → "zh" (the first letter of each syllable). */
export function initials(pinyin) {
  return syllables(pinyin).map((s) => s[0]).join("");
}

/** The search index of cities: [{city, entry (core/search.js), initials, code}]. */
export function cityIndex(cities) {
  const regions = (cities || []).map((c) => ({ code: c.code, label: c.en, label_en: c.en, label_zh: c.zh, pinyin: c.pinyin || "", also: [] }));
  const base = searchIndex(regions, {});
  return base.map((e, i) => ({ city: cities[i], entry: e, initials: initials(cities[i].pinyin || cities[i].en), code: cities[i].code }));
}

/** Suggestions for `query`: [{code, city, score}] best first; `province` ranks its cities first. */
export function suggestCities(index, query, { province = null, limit = 8 } = {}) {
  const raw = String(query || "").trim();
  if (!raw) return [];
  const scores = new Map();
  for (const hit of suggest(index.map((x) => x.entry), raw, index.length)) scores.set(hit.code, hit.score);
  const f = fold(raw);
  for (const x of index) {
    let s = scores.get(x.code) || 0;
    if (/^\d{2,6}$/.test(raw) && x.code.startsWith(raw)) s = Math.max(s, raw.length === 6 ? 100 : 60);
    if (/^[a-z]{2,4}$/.test(f) && x.initials) {
      if (x.initials === f) s = Math.max(s, 85);
      else if (x.initials.startsWith(f)) s = Math.max(s, 55);
    }
    if (s > 0) scores.set(x.code, s);
  }
  const order = new Map(index.map((x, i) => [x.code, i]));
  const byCode = new Map(index.map((x) => [x.code, x]));
  const hits = [...scores.entries()].map(([code, score]) => {
    const x = byCode.get(code);
    return { code, city: x.city, score: score + (province && x.city.province === province ? 5 : 0) };
  });
  hits.sort((a, b) => b.score - a.score || order.get(a.code) - order.get(b.code));
  return hits.slice(0, limit);
}
