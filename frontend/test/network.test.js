// node --test: the network's force layout run to rest (src/core/forcelayout.js) and the label
// placement (src/core/labels.js): deterministic, no label on a label or on another node, the
// top emitters always labelled, small nodes' labels hidden first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { forceLayout, circle } from "../src/core/forcelayout.js";
import { placeLabels, overlaps } from "../src/core/labels.js";

function ring(n) {
  const edges = [];
  for (let i = 0; i < n; i++) edges.push({ source: i, target: (i + 1) % n, value: 1 + (i % 5) });
  edges.push({ source: 0, target: 0, value: 9 }); // a self-loop pulls nothing
  return edges;
}

test("the layout comes to rest, the same every time, connected nodes closer than strangers", () => {
  const start = circle(42);
  const a = forceLayout(start, ring(42), { gravity: 0.1, repulsion: 200 });
  const b = forceLayout(start, ring(42), { gravity: 0.1, repulsion: 200 });
  assert.deepEqual(a, b);
  assert.ok(a.steps > 300 && a.steps < 400, a.steps); // 0.2 · 0.992^n < 0.01
  assert.ok(a.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const dist = (i, j) => Math.hypot(a[i][0] - a[j][0], a[i][1] - a[j][1]);
  assert.ok(dist(0, 1) < dist(0, 21));
  // more gravity: a tighter picture
  const tight = forceLayout(start, ring(42), { gravity: 0.6, repulsion: 200 });
  const spread = (p) => Math.max(...p.map(([x, y]) => Math.hypot(x, y)));
  assert.ok(spread(tight) < spread(a));
  // a fixed node stays where it is
  const pinned = start.map((s, i) => (i === 3 ? { ...s, fixed: true } : s));
  const c = forceLayout(pinned, ring(42), {});
  assert.deepEqual(c[3], [start[3].x, start[3].y]);
});

test("coincident nodes are pushed apart without randomness", () => {
  const p = forceLayout([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }], [], {});
  assert.ok(Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]) > 1);
  assert.deepEqual(p, forceLayout([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }], [], {}));
});

const BOUNDS = { x0: 0, y0: 0, x1: 800, y1: 600 };

function crowd() {
  // a dense core: 12 nodes within 60 px, one big node (the power sector) in the middle
  const items = [{ x: 400, y: 300, r: 30, w: 80, h: 12, priority: 900, always: true }];
  for (let k = 0; k < 12; k++) {
    const a = (2 * Math.PI * k) / 12;
    items.push({ x: 400 + 45 * Math.cos(a), y: 300 + 45 * Math.sin(a), r: 4 + (k % 3), w: 90, h: 12, priority: k, always: k === 5 });
  }
  items.push({ x: 780, y: 20, r: 5, w: 120, h: 12, priority: 1, always: false }); // near the corner
  return items;
}

test("no two shown labels overlap, none lies on another node, none leaves the chart", () => {
  const items = crowd();
  const out = placeLabels(items, BOUNDS);
  const shown = out.map((o, i) => ({ ...o, i })).filter((o) => o.show);
  for (const a of shown) for (const b of shown) if (a.i < b.i) assert.ok(!overlaps(a.rect, b.rect), `${a.i} × ${b.i}`);
  for (const a of shown) {
    if (items[a.i].always) continue;
    for (let k = 0; k < items.length; k++) {
      if (k === a.i) continue;
      const c = items[k];
      const cx = Math.max(a.rect[0], Math.min(c.x, a.rect[0] + a.rect[2]));
      const cy = Math.max(a.rect[1], Math.min(c.y, a.rect[1] + a.rect[3]));
      assert.ok(Math.hypot(cx - c.x, cy - c.y) >= c.r, `label ${a.i} on node ${k}`);
    }
    assert.ok(a.rect[0] >= 0 && a.rect[0] + a.rect[2] <= 800 && a.rect[1] >= 0 && a.rect[1] + a.rect[3] <= 600);
  }
  // the corner node's label turned to the free side instead of leaving the chart
  assert.equal(out[13].show, true);
  assert.notEqual(out[13].side, "right");
});

test("the top emitters are always labelled; small nodes lose their labels first", () => {
  const items = crowd();
  const out = placeLabels(items, BOUNDS);
  assert.equal(out[0].show, true);
  assert.equal(out[6].show, true); // k = 5, always
  const hidden = out.map((o, i) => i).filter((i) => !out[i].show);
  assert.ok(hidden.length > 0);
  const shownPriorities = out.map((o, i) => (o.show && !items[i].always ? items[i].priority : null)).filter((p) => p !== null);
  // somebody hidden has a lower priority than the best shown (greedy by size)
  assert.ok(Math.min(...hidden.map((i) => items[i].priority)) <= Math.max(...shownPriorities));
  // an isolated node keeps its label on the right
  const lone = placeLabels([{ x: 100, y: 100, r: 5, w: 50, h: 12, priority: 1 }], BOUNDS);
  assert.deepEqual([lone[0].show, lone[0].side], [true, "right"]);
});
