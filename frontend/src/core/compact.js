// The static export writes the province-year bundle (/api/view) in a compact, columnar
// form: the node indicators as one array per field instead of one object per node
// ("compact": 1, numbers rounded to 6 significant digits; docs/api.md, Static export).
// expand() gives back the shape of the API, so every view reads one shape.

const FIELDS = ["value", "share", "rank", "percentile"];

function rows(columns, i) {
  const out = {};
  for (const [code, col] of Object.entries(columns || {})) {
    const x = {};
    for (const f of FIELDS) x[f] = col[f] ? col[f][i] : null;
    out[code] = x;
  }
  return out;
}

/**
 * The per-cell rank order of a link block, 0-based: value descending, ties by position
 * (row-major), as calc.network.rank_order gives it; unknown values last.
 */
export function rankOrder(values) {
  const idx = values.map((_, i) => i);
  const key = (v) => (v === null || v === undefined || Number.isNaN(v) ? -Infinity : v);
  idx.sort((a, b) => key(values[b]) - key(values[a]) || a - b);
  const rank = new Array(values.length);
  idx.forEach((cell, r) => { rank[cell] = r; });
  return rank;
}

/** A payload as the API gives it: compact view bundles are expanded, others returned as is. */
export function expand(payload) {
  if (!payload || payload.compact !== 1 || !payload.columns) return payload;
  for (const block of Object.values(payload.links || {})) {
    if (block && !block.rank) block.rank = rankOrder(block.values);
  }
  const { columns, compact, ...rest } = payload;
  rest.nodes = (payload.nodes || []).map((n, i) => {
    const byMode = {};
    for (const [mode, cols] of Object.entries(columns.by_mode || {})) byMode[mode] = rows(cols, i);
    return { ...n, indicators: rows(columns.indicators, i), by_mode: byMode };
  });
  return rest;
}
