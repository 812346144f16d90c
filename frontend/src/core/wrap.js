// Line breaking for text drawn into figures (pure; the width of a piece of text comes from a
// `measure` function, a canvas' measureText in the browser). Latin words are never broken:
// lines break at spaces, between Chinese characters (never before closing punctuation such
// as ，。）、 or after opening punctuation such as （“), and inside a web address only after
// / ? & = (an address longer than a whole line is the one thing cut, at those points first).

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
const NO_START = /^[，。、；：？！）》」』】〕”’,.;:?!)\]%]/;
const NO_END = /[（《「『【〔“‘([]$/;

/** The breakable pieces of `text`: words with their trailing space, single CJK characters. */
export function tokens(text) {
  const out = [];
  let word = "";
  for (const ch of String(text)) {
    if (ch === " ") {
      out.push(word + " ");
      word = "";
    } else if (CJK.test(ch)) {
      if (word) out.push(word);
      word = "";
      out.push(ch);
    } else word += ch;
  }
  if (word) out.push(word);
  // glue punctuation that may not start a line to the piece before it, and opening
  // punctuation to the piece after it
  const glued = [];
  for (const tk of out) {
    const prev = glued[glued.length - 1];
    if (prev !== undefined && (NO_START.test(tk) || NO_END.test(prev.trimEnd()))) glued[glued.length - 1] = prev + tk;
    else glued.push(tk);
  }
  return glued;
}

function splitLong(token, max, measure) {
  // a web address or another unbreakable run wider than a line: cut after / ? & = first
  const parts = token.split(/(?<=[/?&=])/);
  const out = [];
  let line = "";
  for (const p of parts) {
    if (measure(line + p) <= max || !line) {
      line += p;
    } else {
      out.push(line);
      line = p;
    }
  }
  if (line) out.push(line);
  // still too wide: cut by characters (only a piece with no break point at all)
  return out.flatMap((piece) => {
    if (measure(piece) <= max) return [piece];
    const chars = [];
    let cur = "";
    for (const ch of piece) {
      if (measure(cur + ch) > max && cur) {
        chars.push(cur);
        cur = ch;
      } else cur += ch;
    }
    if (cur) chars.push(cur);
    return chars;
  });
}

/** Lines of `text` no wider than `max` (by `measure`); explicit "\n" breaks are kept. */
export function wrapText(text, max, measure) {
  const lines = [];
  for (const para of String(text === null || text === undefined ? "" : text).split("\n")) {
    let line = "";
    for (const tk of tokens(para)) {
      const next = line + tk;
      if (measure(next.trimEnd()) <= max) {
        line = next;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      if (measure(tk.trimEnd()) <= max) line = tk;
      else {
        const pieces = splitLong(tk.trimEnd(), max, measure);
        lines.push(...pieces.slice(0, -1));
        line = pieces[pieces.length - 1] + (tk.endsWith(" ") ? " " : "");
      }
    }
    if (line.trim() || !lines.length) lines.push(line.trimEnd());
  }
  return lines;
}
