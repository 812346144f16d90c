// The force layout of the network, computed to rest before it is drawn (pure). The same
// model as ECharts' graph force layout (echarts/lib/chart/graph/forceHelper.js, itself after
// d3's force layout): edges pull their ends to a length that shrinks as the flow grows
// (edgeLength [short, long]), every pair of nodes repels (repulsion / d²), gravity pulls to
// the centre, and the step shrinks by friction × 0.992 per iteration until it is below 0.01.
// Run to the end at once, the picture is still (no drifting labels), deterministic for the
// same start, and "fit" / "reset layout" are exact.

function linearMap(v, [d0, d1], [r0, r1]) {
  if (d1 === d0) return (r0 + r1) / 2;
  return r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/**
 * nodes: [{x, y, fixed?}] start positions; edges: [{source, target, value}] node indices.
 * opts: {gravity, repulsion, edgeLength: [short, long], friction (0.2), center ([0, 0])}.
 * Returns [[x, y], …] at rest (and the number of steps taken as .steps).
 */
export function forceLayout(nodes, edges, opts = {}) {
  const gravity = opts.gravity === undefined ? 0.1 : opts.gravity;
  const rep = opts.repulsion === undefined ? 200 : opts.repulsion;
  const [short, long] = opts.edgeLength || [40, 160];
  const center = opts.center || [0, 0];
  let friction = opts.friction === undefined ? 0.2 : opts.friction;
  const n = nodes.length;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const qx = new Float64Array(n); // ECharts' pp: the position before this step's repulsion
  const qy = new Float64Array(n);
  const fixed = nodes.map((d) => !!d.fixed);
  nodes.forEach((d, i) => {
    px[i] = qx[i] = d.x;
    py[i] = qy[i] = d.y;
  });
  const values = edges.map((e) => e.value);
  const extent = values.length ? [Math.min(...values), Math.max(...values)] : [0, 0];
  const links = edges
    .filter((e) => e.source !== e.target)
    .map((e) => ({ a: e.source, b: e.target, d: linearMap(e.value, extent, [long, short]) }));
  let steps = 0;
  while (friction >= 0.01 && steps < 5000) {
    for (const l of links) {
      let dx = px[l.b] - px[l.a];
      let dy = py[l.b] - py[l.a];
      const len = Math.sqrt(dx * dx + dy * dy);
      const d = len - l.d;
      if (len > 0) {
        dx /= len;
        dy /= len;
      } else {
        dx = dy = 0;
      }
      // equal weights: each end moves half way
      if (!fixed[l.a]) {
        px[l.a] += dx * 0.5 * d * friction;
        py[l.a] += dy * 0.5 * d * friction;
      }
      if (!fixed[l.b]) {
        px[l.b] -= dx * 0.5 * d * friction;
        py[l.b] -= dy * 0.5 * d * friction;
      }
    }
    for (let i = 0; i < n; i++) {
      if (fixed[i]) continue;
      px[i] += (center[0] - px[i]) * gravity * friction;
      py[i] += (center[1] - py[i]) * gravity * friction;
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = px[j] - px[i];
        let dy = py[j] - py[i];
        let d = Math.sqrt(dx * dx + dy * dy);
        if (d === 0) {
          // coincident nodes: push apart along a fixed direction (ECharts: a random one)
          dx = 0.5 - ((i * 7 + j * 13) % 10) / 10;
          dy = 0.5 - ((i * 11 + j * 3) % 10) / 10;
          d = 1;
        }
        const f = (rep + rep) / d / d;
        if (!fixed[i]) {
          qx[i] += dx * f;
          qy[i] += dy * f;
        }
        if (!fixed[j]) {
          qx[j] -= dx * f;
          qy[j] -= dy * f;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (fixed[i]) continue;
      px[i] += (px[i] - qx[i]) * friction;
      py[i] += (py[i] - qy[i]) * friction;
      qx[i] = px[i];
      qy[i] = py[i];
    }
    friction *= 0.992;
    steps++;
  }
  const out = [];
  for (let i = 0; i < n; i++) out.push([px[i], py[i]]);
  out.steps = steps;
  return out;
}

/** Start positions on a circle (node i at angle 2πi/n), as the dashboard always starts. */
export function circle(n, radius = 300) {
  return Array.from({ length: n }, (_, i) => ({ x: radius * Math.cos((2 * Math.PI * i) / n), y: radius * Math.sin((2 * Math.PI * i) / n) }));
}
