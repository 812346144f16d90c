// Label placement for the network (pure): which node labels to show and on which side, so
// that no two labels overlap and no label lies on another node. Labels are placed in order:
// the "always" ones first (the top emitters: always labelled, at their least bad side if no
// side is free), then by priority (node size): a label finds no free side → hidden (it still
// shows when its node is hovered). Sides tried: right, left, below, above, then the four
// diagonals; a label placed on a diagonal is drawn there by views/network.js (label x/y).

const SIDES = ["right", "left", "bottom", "top", "bottomRight", "topRight", "bottomLeft", "topLeft"];

function rectFor(it, side, gap) {
  const { x, y, r, w, h } = it;
  const d = (r + gap) * Math.SQRT1_2; // the diagonals touch the circle at 45°
  if (side === "right") return [x + r + gap, y - h / 2, w, h];
  if (side === "left") return [x - r - gap - w, y - h / 2, w, h];
  if (side === "bottom") return [x - w / 2, y + r + gap, w, h];
  if (side === "top") return [x - w / 2, y - r - gap - h, w, h];
  if (side === "bottomRight") return [x + d, y + d, w, h];
  if (side === "topRight") return [x + d, y - d - h, w, h];
  if (side === "bottomLeft") return [x - d - w, y + d, w, h];
  return [x - d - w, y - d - h, w, h];
}

function rectArea(a, b) {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

function circleArea(rect, c) {
  // overlap of a rectangle with a circle, estimated by the circle's inscribed square when the
  // closest point of the rectangle lies inside the circle (0 otherwise)
  const cx = Math.max(rect[0], Math.min(c.x, rect[0] + rect[2]));
  const cy = Math.max(rect[1], Math.min(c.y, rect[1] + rect[3]));
  if ((cx - c.x) ** 2 + (cy - c.y) ** 2 >= c.r * c.r) return 0;
  const s = c.r * Math.SQRT2;
  return Math.max(1, rectArea(rect, [c.x - s / 2, c.y - s / 2, s, s]));
}

function outside(rect, b) {
  const w = Math.max(0, b.x0 - rect[0]) + Math.max(0, rect[0] + rect[2] - b.x1);
  const h = Math.max(0, b.y0 - rect[1]) + Math.max(0, rect[1] + rect[3] - b.y1);
  return (w * rect[3] + h * rect[2]) || 0;
}

/**
 * items: [{x, y, r, w, h, priority, always}] in pixels (node centre, radius, label size);
 * bounds: {x0, y0, x1, y1} (labels must stay inside). Returns [{show, side, rect}].
 */
export function placeLabels(items, bounds, opts = {}) {
  const gap = opts.gap === undefined ? 3 : opts.gap;
  const pad = opts.pad === undefined ? 1 : opts.pad;
  const order = items.map((_, i) => i).sort((a, b) => (items[b].always ? 1 : 0) - (items[a].always ? 1 : 0) || items[b].priority - items[a].priority || a - b);
  const placed = [];
  const out = items.map(() => ({ show: false, side: "right", rect: null }));
  const circles = items.map((it) => ({ x: it.x, y: it.y, r: it.r + pad }));
  for (const i of order) {
    const it = items[i];
    let best = null;
    for (const side of SIDES) {
      const rect = rectFor(it, side, gap);
      let bad = outside(rect, bounds) * 4;
      for (const p of placed) bad += rectArea(rect, p) * 2;
      for (let k = 0; k < circles.length; k++) if (k !== i) bad += circleArea(rect, circles[k]);
      if (!best || bad < best.bad) best = { side, rect, bad };
      if (bad === 0) break;
    }
    if (best.bad === 0 || it.always) {
      out[i] = { show: true, side: best.side, rect: best.rect };
      placed.push([best.rect[0] - pad, best.rect[1] - pad, best.rect[2] + 2 * pad, best.rect[3] + 2 * pad]);
    }
  }
  return out;
}

/** True when two placed label rectangles overlap (for tests and checks). */
export function overlaps(a, b) {
  return rectArea(a, b) > 0;
}
