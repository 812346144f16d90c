// The Supply chains tab's pure parts (Node-tested): the listed structural paths as a tree,
// the structural decomposition as waterfall steps, a path node's name.

/** A node's name in a path: the sector's short name, with its province when another. */
export function nodeName(n, region) {
  return n.region === region ? n.short : `${n.region_label} · ${n.short}`;
}

/** The listed paths as a tree rooted in the final demand: each node's value is the CO2 of
 * the listed paths that pass through it (Mt). Pure. */
export function pathTree(rows, region, rootName) {
  const root = { name: rootName, value: 0, children: [], key: "root", label: { position: "bottom", align: "left", offset: [-8, 4] } };
  for (const p of rows) {
    root.value += p.value_mt;
    let at = root;
    p.nodes.forEach((n, k) => {
      const key = `${n.region}/${n.sector}`;
      let child = at.children.find((c) => c.key === key);
      if (!child) {
        child = { name: nodeName(n, region), full: `${n.region_label} · ${n.label}`, key, value: 0, children: [], colour: n.colour };
        at.children.push(child);
      }
      child.value += p.value_mt;
      if (k === p.nodes.length - 1) child.emits = (child.emits || 0) + p.value_mt;
      at = child;
    });
  }
  return root;
}

/** The waterfall of an sda payload: [{name, start, end, value, kind}] (Mt). Pure. */
export function waterfall(s) {
  const out = [{ name: String(s.base), start: 0, end: s.co2_from_mt, value: s.co2_from_mt, kind: "total" }];
  let at = s.co2_from_mt;
  for (const e of s.effects) {
    out.push({ name: e.label, start: at, end: at + e.value_mt, value: e.value_mt, kind: e.value_mt >= 0 ? "up" : "down" });
    at += e.value_mt;
  }
  out.push({ name: String(s.year), start: 0, end: s.co2_to_mt, value: s.co2_to_mt, kind: "total" });
  return out;
}
