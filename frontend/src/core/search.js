// Forgiving province search (pure): a code ("GD", "gd"), a Chinese name ("广东", "广"), an
// English name ("Guangdong", "guang"), pinyin without tones ("neimenggu", "Nei Menggu"), with
// tone marks ("Shǎnxī" is 陕西, "Shānxī" 山西) or tone numbers ("shan3xi1"), other names
// ("Tibet", "Inner Mongolia", "Shaanxi"). The pinyin comes from data/pinyin.json until
// /api/meta carries it.

const TONED = {
  ā: ["a", 1], á: ["a", 2], ǎ: ["a", 3], à: ["a", 4],
  ē: ["e", 1], é: ["e", 2], ě: ["e", 3], è: ["e", 4],
  ī: ["i", 1], í: ["i", 2], ǐ: ["i", 3], ì: ["i", 4],
  ō: ["o", 1], ó: ["o", 2], ǒ: ["o", 3], ò: ["o", 4],
  ū: ["u", 1], ú: ["u", 2], ǔ: ["u", 3], ù: ["u", 4],
  ǖ: ["ü", 1], ǘ: ["ü", 2], ǚ: ["ü", 3], ǜ: ["ü", 4],
};
const VOWEL = /[aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/;

/** Lower case, tone marks and diacritics removed, no spaces, apostrophes, dots or dashes. */
export function fold(s) {
  return String(s || "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s'’.\-·_]+/g, "");
}

/** Lower case with tone marks kept (NFC), no spaces: "Nèi Měnggǔ" → "nèiměnggǔ". */
export function toned(s) {
  return String(s || "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s'’.\-·_]+/g, "");
}

/**
 * Toned pinyin to tone numbers: "Shǎnxī" → "shan3xi1", "Nèi Měnggǔ" → "nei4meng3gu3".
 * Syllables end before a consonant that follows a vowel, except a final n / ng / r that is
 * followed by a consonant or ends the word ("Hénán" → he2nan2, "Yúnnán" → yun2nan2).
 */
export function numbered(pinyin) {
  const out = [];
  for (const word of String(pinyin || "").normalize("NFC").toLowerCase().split(/[\s'’\-]+/)) {
    const chars = [...word];
    let syl = "";
    let tone = 0;
    const flush = () => {
      if (syl) out.push(syl + (tone || ""));
      syl = "";
      tone = 0;
    };
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const isVowel = VOWEL.test(ch);
      if (!isVowel && syl && VOWEL.test(syl[syl.length - 1])) {
        // a consonant after a vowel: a coda (n, ng, r) or the start of the next syllable
        const next = chars[i + 1] || "";
        const coda =
          (ch === "n" && next === "g" && !VOWEL.test(chars[i + 2] || "")) ||
          ((ch === "n" || ch === "r") && !VOWEL.test(next) && next !== "g");
        if (coda) {
          syl += ch === "n" && next === "g" ? "ng" : ch;
          if (ch === "n" && next === "g") i++;
          flush();
          continue;
        }
        flush();
      }
      const mark = TONED[ch];
      if (mark) {
        syl += mark[0];
        tone = mark[1];
      } else syl += ch;
    }
    flush();
  }
  return out.join("");
}

/**
 * The search index of `regions` (/api/meta regions: {code, label, label_en, label_zh}) with
 * the pinyin table {code: {pinyin, also: [...]}}.
 */
export function searchIndex(regions, pinyinTable) {
  const table = pinyinTable || {};
  return (regions || []).map((r) => {
    // /api/meta regions may carry the pinyin themselves (regions[].pinyin, regions[].also);
    // until they do, the table of data/pinyin.json is used
    const py = r.pinyin || (table[r.code] && table[r.code].pinyin) || "";
    const also = r.also || (table[r.code] && table[r.code].also) || [];
    const latin = [r.label_en, r.label, py, ...also].filter(Boolean);
    return {
      region: r,
      code: r.code,
      zh: [r.label_zh, r.label].filter((x) => x && /[\u3400-\u9fff]/.test(x)),
      folded: [...new Set(latin.map(fold))],
      english: fold(r.label_en || r.label),
      toned: py ? toned(py) : "",
      numbered: py ? numbered(py) : "",
      pinyin: py,
    };
  });
}

const HAS_TONE = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/;

/** Score of one entry for a query (0: no match). */
function score(e, q) {
  const raw = String(q || "").trim();
  if (!raw) return 0;
  const f = fold(raw);
  let s = 0;
  if (/^[a-z]{2}$/i.test(raw) && e.code.toLowerCase() === raw.toLowerCase()) s = 100;
  // Chinese characters
  if (/[\u3400-\u9fff]/.test(raw)) {
    for (const z of e.zh) {
      if (z === raw) s = Math.max(s, 95);
      else if (z.startsWith(raw)) s = Math.max(s, 75);
      else if (z.includes(raw)) s = Math.max(s, 45);
    }
    return s;
  }
  // tone marks or tone numbers: must agree with the toned pinyin
  if (HAS_TONE.test(raw.normalize("NFC"))) {
    const tq = toned(raw);
    if (!e.toned) return s;
    if (e.toned === tq) return Math.max(s, 92);
    if (e.toned.startsWith(tq)) return Math.max(s, 72);
    return s;
  }
  if (/\d/.test(raw)) {
    const nq = raw.toLowerCase().replace(/[\s'’\-]+/g, "");
    if (!e.numbered) return s;
    if (e.numbered === nq) return Math.max(s, 92);
    // a prefix ending in a tone digit or in the middle of a syllable ("shan3x")
    const plain = e.numbered.replace(/\d/g, "");
    if (e.numbered.startsWith(nq) || (plain.startsWith(nq.replace(/\d/g, "")) && matchesTones(e.numbered, nq))) return Math.max(s, 72);
    return s;
  }
  if (!f) return s;
  if (e.english === f) s = Math.max(s, 93); // "Shanxi" is 山西's English name (陕西: Shaanxi)
  for (const name of e.folded) {
    if (name === f) s = Math.max(s, 90);
    else if (name.startsWith(f)) s = Math.max(s, 70);
    else if (f.length >= 3 && name.includes(f)) s = Math.max(s, 40);
  }
  if (s === 0 && e.code.toLowerCase().startsWith(f) && f.length === 1) s = 20;
  return s;
}

/** The tone digits of `query` agree with those of `full` syllable by syllable. */
function matchesTones(full, query) {
  const sylF = full.match(/[a-zü]+\d?/g) || [];
  const sylQ = query.match(/[a-zü]+\d?/g) || [];
  return sylQ.every((q, i) => {
    const f = sylF[i];
    if (!f) return false;
    const qd = q.match(/\d$/);
    const fd = f.match(/\d$/);
    const qs = q.replace(/\d$/, "");
    const fs = f.replace(/\d$/, "");
    if (qd) return qs === fs && (!fd || qd[0] === fd[0]);
    return i === sylQ.length - 1 ? fs.startsWith(qs) : qs === fs;
  });
}

/** Suggestions for a query: [{code, region, score, pinyin}], best first (at most `limit`). */
export function suggest(index, query, limit = 8) {
  const hits = [];
  for (const e of index) {
    const s = score(e, query);
    if (s > 0) hits.push({ code: e.code, region: e.region, score: s, pinyin: e.pinyin });
  }
  hits.sort((a, b) => b.score - a.score || index.findIndex((e) => e.code === a.code) - index.findIndex((e) => e.code === b.code));
  return hits.slice(0, limit);
}

/** The text of a picked region in the field: "广东（GD）", "Guangdong (GD)". */
export function regionText(region, lang) {
  if (!region) return "";
  return lang === "zh-Hans" ? `${region.label}（${region.code}）` : `${region.label} (${region.code})`;
}

/**
 * What the field's text names: {code} for one region, {ambiguous: [codes]} for several,
 * {none: true} for none. The field's own forms ("广东（GD）", "Guangdong (GD)", "GD:广东")
 * resolve to their code; otherwise one clear best match wins.
 */
export function resolveRegion(index, text) {
  const raw = String(text || "").trim();
  if (!raw) return { none: true };
  const byCode = (c) => index.find((e) => e.code === c.toUpperCase());
  const m = raw.match(/[(（]\s*([A-Za-z]{2})\s*[)）]\s*$/) || raw.match(/^([A-Za-z]{2})\s*[:：]/);
  if (m && byCode(m[1])) return { code: byCode(m[1]).code };
  const hits = suggest(index, raw, index.length);
  if (!hits.length) return { none: true };
  if (hits.length === 1) return { code: hits[0].code };
  if (hits[0].score >= 90 && hits[1].score < hits[0].score) return { code: hits[0].code };
  return { ambiguous: hits.map((x) => x.code) };
}
