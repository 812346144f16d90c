// Client-side edge reduction of a view bundle; identical to GET /api/network (docs/api.md):
// n = floor(p·S²/100) (p = 5, S = 42 → 88); keep cells with rank < n and value > 0; then, in
// CO2 rank order, for each top-k emitter (emitter_rank ≤ k) that no kept link touches yet,
// add its strongest link, flagged keptForEmitter (as viscarbon.calc.network.prune_edges).

export function topCount(p, S) {
  return Math.floor((p * S * S) / 100);
}

/**
 * Returns [{i, j, source, target, value, rank, keptForEmitter}] ordered by rank, then the
 * added emitter links in node order.
 */
export function pruneView(view, mode, top, keep) {
  const links = view.links && view.links[mode];
  if (!links || !links.values) return [];
  const S = view.S;
  const codes = view.sectors;
  const n = topCount(top, S);
  const { values, rank } = links;
  const kept = [];
  const seen = new Set();
  for (let c = 0; c < values.length; c++) {
    const v = values[c];
    if (rank[c] < n && v !== null && v > 0) {
      kept.push(c);
      seen.add(c);
    }
  }
  kept.sort((a, b) => rank[a] - rank[b]);
  const edge = (c, flag) => {
    const i = Math.floor(c / S);
    const j = c % S;
    return { i, j, source: codes[i], target: codes[j], value: values[c], rank: rank[c], keptForEmitter: flag };
  };
  const out = kept.map((c) => edge(c, false));
  if (keep > 0) {
    // a node is visible when a kept link touches it; emitters are taken in CO2 rank order
    const visible = new Array(S).fill(false);
    for (const c of kept) {
      visible[Math.floor(c / S)] = true;
      visible[c % S] = true;
    }
    const emitters = view.nodes
      .map((node, k) => ({ node, k }))
      .filter((x) => x.node.emitter_rank !== null && x.node.emitter_rank !== undefined && x.node.emitter_rank <= keep)
      .sort((a, b) => a.node.emitter_rank - b.node.emitter_rank || a.k - b.k);
    for (const { node, k } of emitters) {
      const s = node.strongest && node.strongest[mode];
      if (visible[k] || !s || seen.has(s.cell)) continue;
      seen.add(s.cell);
      out.push(edge(s.cell, true));
      visible[Math.floor(s.cell / S)] = true;
      visible[s.cell % S] = true;
    }
  }
  return out;
}
